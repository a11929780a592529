use ganshi::enums::*;
use ganshi::records::cadres::Transfer;
use ganshi::records::units::UnitInput;

use crate::support::*;

#[test]
fn validation_errors_name_the_field() {
    let mut f = fixture();
    type Mutation = Box<dyn Fn(&mut ganshi::records::cadres::CadreInput)>;
    let cases: Vec<(&str, Mutation)> = vec![
        ("name", Box::new(|c| c.name = " ".into())),
        ("birth", Box::new(|c| c.birth = "1978-13".into())),
        ("partyDate", Box::new(|c| c.party_date = Some("1970-01".into()))),
        ("idNumber", Box::new(|c| c.id_number = Some("110105194912310021".into()))),
        ("post", Box::new(|c| c.post = String::new())),
    ];
    for (field, mutate) in cases {
        let mut input = cadre_input(f.unit);
        mutate(&mut input);
        let err = f.archive.create_cadre(input, None).expect_err(field);
        assert_eq!(err.field(), Some(field), "error for {field}: {err}");
        assert_eq!(err.code(), "invalid");
    }
    let mut input = initiative_input(f.cadre);
    input.participants.clear();
    assert_eq!(f.archive.create_initiative(input).expect_err("no lead").field(), Some("participants"));
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    let mut bad = rating(RaterRole::OrgDept);
    bad.challenge = 6;
    assert_eq!(f.archive.rate_plan(id, bad, "").expect_err("out of range").field(), Some("challenge"));
    let mut plan = complete_plan(f.unit);
    plan.deadline = Some("2023-12-31".into());
    assert_eq!(f.archive.save_plan(id, plan, "").expect_err("deadline before start").field(), Some("deadline"));
    assert_eq!(
        f.archive.add_milestone(id, milestone("2023-01-01")).expect_err("before start").field(),
        Some("dueDate")
    );
}

#[test]
fn corrections_are_new_revisions_and_history_is_kept() {
    let mut f = fixture();
    let mut input = cadre_input(f.unit);
    input.post = "县长".into();
    f.archive.update_cadre(f.cadre, input, "职务更正").expect("update");
    let history = f.archive.history("cadre", f.cadre).expect("history");
    assert_eq!(history.len(), 2, "creation plus one correction");
    assert_eq!(history[0].data["post"], "副县长", "the first version is kept as it was");
    assert_eq!(history[1].data["post"], "县长");
    assert_eq!(history[1].reason, "职务更正");
    assert_eq!(history[1].actor, "测试员");

    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    f.archive.rate_plan(id, rating(RaterRole::OrgDept), "").expect("rate");
    let mut again = rating(RaterRole::OrgDept);
    again.innovation = 2;
    let second = f.archive.rate_plan(id, again, "复核后调整").expect("re-rate");
    let ratings = f.archive.history("plan_rating", second.id).expect("history");
    assert_eq!(ratings.iter().map(|r| r.data["innovation"].as_i64()).collect::<Vec<_>>(), vec![Some(4), Some(2)]);
}

#[test]
fn transfer_closes_the_open_post_and_opens_a_new_one() {
    let mut f = fixture();
    let county = f
        .archive
        .create_unit(UnitInput {
            parent_id: Some(f.unit),
            code: "130101".into(),
            name: "丰河县".into(),
            kind: UnitKind::County,
            sort_order: 1,
        })
        .expect("unit")
        .id;
    let moved = f
        .archive
        .transfer_cadre(
            f.cadre,
            Transfer {
                unit_id: county,
                title: "县长".into(),
                rank: "正处级".into(),
                date: "2024-06-01".into(),
                note: String::new(),
            },
        )
        .expect("transfer");
    assert_eq!(moved.fields.unit_id, county);
    let dossier = f.archive.dossier(f.cadre, "2024-12-31").expect("dossier");
    assert_eq!(dossier.posts.len(), 2);
    assert_eq!(dossier.posts[0].post.fields.end_date.as_deref(), Some("2024-06-01"));
    assert_eq!(dossier.posts[1].post.fields.end_date, None);
    assert_eq!(dossier.unit_path, vec!["燕州市", "丰河县"]);
    assert_eq!(f.archive.cadres(Some(f.unit), None).expect("subtree").len(), 1, "a unit's list includes its subtree");
}

#[test]
fn unit_tree_refuses_cycles_and_duplicate_codes() {
    let mut f = fixture();
    let child = f
        .archive
        .create_unit(UnitInput {
            parent_id: Some(f.unit),
            code: "2".into(),
            name: "下级".into(),
            kind: UnitKind::County,
            sort_order: 0,
        })
        .expect("child");
    let mut root = f.archive.unit(f.unit).expect("root").fields;
    root.parent_id = Some(child.id);
    assert_eq!(f.archive.update_unit(f.unit, root, "").expect_err("cycle").field(), Some("parentId"));
    let dup =
        UnitInput { parent_id: None, code: "2".into(), name: "重复".into(), kind: UnitKind::Other, sort_order: 0 };
    assert_eq!(f.archive.create_unit(dup).expect_err("duplicate").field(), Some("code"));
}

#[test]
fn evidence_is_stored_with_its_digest_and_read_back() {
    let mut f = fixture();
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    let pdf = b"%PDF-1.4 minimal".to_vec();
    let meta = f.archive.add_evidence(OwnerKind::Initiative, id, "../../签约文件.pdf", &pdf).expect("attach");
    assert_eq!(meta.name, "签约文件.pdf", "directories are stripped from names");
    assert_eq!(meta.mime, "application/pdf", "the type comes from the content");
    let (_, bytes) = f.archive.evidence_content(meta.id).expect("read back");
    assert_eq!(bytes, pdf);
    assert!(f.archive.add_evidence(OwnerKind::Tracking, 999, "x.txt", b"x").is_err(), "the owner record must exist");
    assert!(f.archive.add_evidence(OwnerKind::Initiative, id, "empty.txt", b"").is_err(), "empty files are refused");
    let view = f.archive.initiative_view(id, "2024-12-31").expect("view");
    assert_eq!(view.evidence.len(), 1);
}

#[test]
fn data_survives_reopening_the_file() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    let path = f.path();
    drop(f.archive);
    let reopened = crate::support::reopen(&path);
    assert_eq!(reopened.initiative(id).expect("initiative").stage, Stage::Execution);
    assert!(
        ganshi::Archive::open_encrypted(&path.with_extension("missing"), &crate::support::admin()).is_err(),
        "open_existing never creates files"
    );
}

#[test]
fn leader_reviews_are_stamped_append_only_and_followed_up() {
    use ganshi::records::reviews::{ReviewInput, ReviewTarget};
    let mut f = fixture();
    let other = f.archive.create_cadre(cadre_input(f.unit), None).expect("second cadre").id;
    let review = |kind, ids: Vec<i64>, parent, text: &str| ReviewInput {
        target_kind: kind,
        cadre_ids: ids,
        parent_id: parent,
        text: text.into(),
        signed_off: false,
    };
    let first =
        f.archive.add_review(review(ReviewTarget::Cadre, vec![f.cadre], None, "实绩突出，可重点培养")).expect("review");
    assert_eq!(
        (first.author.as_str(), first.at.as_str()),
        ("测试员", "2024-12-31 09:00:00"),
        "author and time are stamped"
    );
    let mut follow = review(ReviewTarget::Cadre, vec![f.cadre], Some(first.id), "请组织部补充近三年考核情况");
    follow.signed_off = true;
    assert!(f.archive.add_review(follow.clone()).expect("follow-up").fields.signed_off);
    follow.cadre_ids = vec![other];
    assert_eq!(f.archive.add_review(follow).expect_err("other dossier").field(), Some("parentId"));
    assert_eq!(
        f.archive
            .add_review(review(ReviewTarget::Comparison, vec![f.cadre], None, "比较"))
            .expect_err("one cadre")
            .field(),
        Some("cadreIds")
    );
    f.archive.add_review(review(ReviewTarget::Comparison, vec![other, f.cadre], None, "二人均可")).expect("comparison");
    assert_eq!(
        f.archive.reviews(f.cadre).expect("reviews").len(),
        3,
        "dossier reviews and comparisons the cadre was in"
    );
    assert_eq!(f.archive.reviews(other).expect("reviews").len(), 1);
    let conn = rusqlite::Connection::open(f.path()).expect("raw");
    assert!(conn.execute("UPDATE review SET text = '改过' WHERE id = 1", []).is_err(), "a review is never edited");
    assert!(conn.execute("DELETE FROM review WHERE id = 1", []).is_err(), "nor deleted");
}
