//! The 工作台 (issue 18): each role's list of what needs doing, in its scope.
//! The clerk's 黄/橙/红 warnings follow the milestones (and go when they are
//! done); the leader sees 批示 awaiting 签阅; the 考核办 the year's progress and
//! the raters' calibration, flagged, never applied to a score.

use ganshi::desk::clerk::WarningLevel;
use ganshi::enums::*;
use ganshi::records::plans::MilestoneInput;

use crate::support::*;

/// An item led by the fixture's cadre, in 干事, with one milestone due `due`.
fn item_due(f: &mut Fixture, title: &str, due: &str) -> (i64, i64) {
    let mut input = initiative_input(f.cadre);
    input.title = title.into();
    let id = f.archive.create_initiative(input).expect("initiative").id;
    let mut plan = complete_plan(f.unit);
    plan.deadline = Some("2025-12-31".into());
    f.archive.save_plan(id, plan, "").expect("plan");
    let m = f
        .archive
        .add_milestone(id, MilestoneInput { name: format!("{title}节点"), due_date: due.into(), done_date: None })
        .expect("milestone")
        .id;
    f.archive.rate_plan(id, rating(RaterRole::OrgDept), "").expect("rating 1");
    f.archive.rate_plan(id, rating(RaterRole::UnitLeader), "").expect("rating 2");
    f.archive.advance(id, "2024-02-01", "").expect("advance");
    (id, m)
}

#[test]
fn milestones_turn_yellow_orange_and_red_and_go_when_done() {
    let mut f = fixture(); // today: 2024-12-31
    let (soon, _) = item_due(&mut f, "临近", "2025-01-05");
    let (yellow, _) = item_due(&mut f, "黄色", "2024-12-10");
    let (orange, _) = item_due(&mut f, "橙色", "2024-10-31");
    let (red, red_milestone) = item_due(&mut f, "红色", "2024-08-01");
    let desk = f.archive.clerk_desk(None, None).expect("desk");
    let level = |id: i64| desk.warnings.iter().find(|w| w.initiative_id == id).map(|w| w.level);
    assert_eq!(level(soon), Some(WarningLevel::Yellow));
    assert_eq!(level(yellow), Some(WarningLevel::Yellow));
    assert_eq!(level(orange), Some(WarningLevel::Orange));
    assert_eq!(level(red), Some(WarningLevel::Red));
    let red_row = desk.warnings.iter().find(|w| w.initiative_id == red).expect("red");
    assert_eq!(red_row.reasons, vec!["节点「红色节点」已逾期 152 天".to_owned()]);
    assert_eq!(desk.warnings[0].initiative_id, red, "the worst first");
    assert_eq!((desk.units[0].red, desk.units[0].orange, desk.units[0].yellow), (1, 1, 2));
    assert!(desk.rule.contains("红：逾期超过 90 天"), "{}", desk.rule);
    assert!(desk.tracking_due.iter().any(|t| t.initiative_id == red), "not tracked in December");
    // Done (late): the warning goes.
    f.archive
        .update_milestone(
            red_milestone,
            MilestoneInput {
                name: "红色节点".into(),
                due_date: "2024-08-01".into(),
                done_date: Some("2024-12-30".into()),
            },
            "完成",
        )
        .expect("done");
    let desk = f.archive.clerk_desk(None, None).expect("desk");
    assert!(desk.warnings.iter().all(|w| w.initiative_id != red), "done, the warning goes");
}

#[test]
fn an_item_past_its_plan_date_is_red_and_ratings_awaited_are_named() {
    let mut f = fixture();
    let mut input = initiative_input(f.cadre);
    input.title = "过期未成".into();
    let late = f.archive.create_initiative(input).expect("initiative").id;
    let mut plan = complete_plan(f.unit);
    plan.deadline = Some("2024-06-30".into());
    f.archive.save_plan(late, plan, "").expect("plan");
    f.archive.rate_plan(late, rating(RaterRole::OrgDept), "").expect("rating");
    let desk = f.archive.clerk_desk(None, None).expect("desk");
    let row = desk.warnings.iter().find(|w| w.initiative_id == late).expect("warned");
    assert_eq!(row.level, WarningLevel::Red);
    assert!(row.reasons[0].starts_with("已过计划完成日期 2024-06-30"), "{:?}", row.reasons);
    let waiting = desk.awaiting_rating.iter().find(|a| a.initiative_id == late).expect("awaiting a rating");
    assert_eq!(waiting.missing, vec![RaterRole::UnitLeader]);
}

#[test]
fn the_leader_sees_reviews_awaiting_sign_off() {
    use ganshi::records::reviews::{ReviewInput, ReviewTarget};
    let mut f = fixture();
    let review = |text: &str, parent: Option<i64>, signed_off: bool| ReviewInput {
        target_kind: ReviewTarget::Cadre,
        cadre_ids: vec![1],
        parent_id: parent,
        text: text.into(),
        signed_off,
    };
    let first = f.archive.add_review(review("请组织部提出意见", None, false)).expect("review").id;
    let desk = f.archive.leader_desk().expect("desk");
    assert_eq!(desk.awaiting.len(), 1);
    assert_eq!(desk.awaiting[0].names, "张三");
    f.archive.add_review(review("同意，已阅", Some(first), true)).expect("follow-up");
    let desk = f.archive.leader_desk().expect("desk");
    assert!(desk.awaiting.is_empty(), "signed off");
    assert_eq!(desk.recent[0].follow_ups, 1);
}

/// A unit whose 组织部门 ratings sit a point above the others' on the same kind of
/// item is flagged 偏松; the scores stay as they are.
#[test]
fn a_lenient_rater_group_is_flagged_and_scores_are_untouched() {
    use ganshi::records::units::UnitInput;
    let mut f = fixture();
    let other_unit = f
        .archive
        .create_unit(UnitInput {
            parent_id: Some(f.unit),
            code: "1301-09".into(),
            name: "市交通局".into(),
            kind: UnitKind::Department,
            sort_order: 0,
        })
        .expect("unit")
        .id;
    let mut other = cadre_input(other_unit);
    other.name = "李四".into();
    let other = f.archive.create_cadre(other, Some("2020-01-01")).expect("cadre").id;
    let mut rate = |cadre: i64, n: usize, score: i64| {
        for k in 0..n {
            let mut input = initiative_input(cadre);
            input.title = format!("项目{cadre}-{k}");
            let id = f.archive.create_initiative(input).expect("initiative").id;
            f.archive.save_plan(id, complete_plan(f.unit), "").expect("plan");
            let mut r = rating(RaterRole::OrgDept);
            (r.innovation, r.challenge, r.difficulty) = (score, score, score);
            f.archive.rate_plan(id, r, "").expect("rating");
        }
    };
    rate(f.cadre, 5, 5);
    rate(other, 5, 3);
    let before = f
        .archive
        .assess(&ganshi::assessment::AssessRequest { year: 2024, unit_id: None, cadre_id: None, as_of: None })
        .expect("assess");
    let rows = f.archive.rater_calibration(2024).expect("calibration");
    let lenient = rows.iter().find(|r| r.unit_id == f.unit && r.rater_role == RaterRole::OrgDept).expect("row");
    assert_eq!((lenient.flag.as_str(), lenient.mean, lenient.others_mean), ("偏松", 5.0, Some(3.0)));
    assert_eq!(lenient.share_of_fives, 1.0);
    let strict = rows.iter().find(|r| r.unit_id == other_unit).expect("row");
    assert_eq!(strict.flag, "偏严");
    assert!(!rows[0].flag.is_empty(), "flagged first");
    let after = f
        .archive
        .assess(&ganshi::assessment::AssessRequest { year: 2024, unit_id: None, cadre_id: None, as_of: None })
        .expect("assess");
    assert_eq!(before, after, "a flag changes no score");
}

/// The window shows an error's message, never the machine path of the field
/// (issue 18: messages read 「…（字段 post）」); the path travels apart to mark the input.
#[test]
fn an_error_for_the_window_names_no_internal_field() {
    let e = ganshi::Error::invalid("post", "现任职务不能为空");
    let dto = ganshi::error::ErrorDto::from(&e);
    assert_eq!(dto.message, "现任职务不能为空");
    assert_eq!(dto.field.as_deref(), Some("post"));
    assert!(!dto.message.contains("字段"));
}

/// A scoped clerk's desk lists the items whose lead is in the scope — what the
/// clerk can act on; an item led from another district, shared with one of the
/// clerk's cadres, is that district's to follow up (and no unit outside the scope
/// is counted).
#[test]
fn a_scoped_clerks_desk_lists_the_items_it_can_act_on() {
    use crate::security::{CLERK_PW, scoped, sign_in};
    use ganshi::records::initiatives::Participant;
    let mut s = scoped();
    let mut shared = initiative_input(s.outside);
    shared.title = "外区牵头共建".into();
    shared.participants.push(Participant { cadre_id: s.inside, role: ParticipantRole::Member });
    let shared = s.f.archive.create_initiative(shared).expect("shared").id;
    let own = s.f.archive.create_initiative(initiative_input(s.inside)).expect("own").id;
    let a = sign_in(&s.f.path(), "clerk", CLERK_PW);
    let desk = a.clerk_desk(None, None).expect("desk");
    let awaiting: Vec<i64> = desk.awaiting_rating.iter().map(|r| r.initiative_id).collect();
    assert!(awaiting.contains(&own), "{awaiting:?}");
    assert!(!awaiting.contains(&shared) && !awaiting.contains(&s.outside_initiative), "{awaiting:?}");
    let outside_unit = s.f.archive.cadre(s.outside).expect("cadre").fields.unit_id;
    assert!(desk.units.iter().all(|u| u.unit_id != outside_unit));
}

/// A 考核单位 partly in a clerk's scope (东城区 and 西城区 are small and pooled
/// into the city): the desk says how many the unit assesses and counts only the
/// clerk's cadres, never calls the unit finished, and a unit's rating flag is the
/// same whoever asks — the others' baseline is every unit, not the reader's scope.
#[test]
fn a_partly_visible_unit_and_the_calibration_baseline_do_not_depend_on_the_reader() {
    use crate::security::{CLERK_PW, scoped, sign_in};
    let mut s = scoped();
    // Five 组织部门 ratings of 东城区 items at 5, five of 西城区 items at 2.
    for (cadre, unit, score) in [(s.inside, s.b, 5), (s.outside, s.c, 2)] {
        for k in 0..5 {
            let mut input = initiative_input(cadre);
            input.title = format!("评价尺度{cadre}-{k}");
            let id = s.f.archive.create_initiative(input).expect("initiative").id;
            s.f.archive.save_plan(id, complete_plan(unit), "").expect("plan");
            let mut r = rating(RaterRole::OrgDept);
            (r.innovation, r.challenge, r.difficulty) = (score, score, score);
            s.f.archive.rate_plan(id, r, "").expect("rating");
        }
    }
    let admin_rows = s.f.archive.rater_calibration(2024).expect("admin");
    let of = |rows: &[ganshi::desk::calibration::RaterCalibration], unit: i64| {
        rows.iter().find(|r| r.unit_id == unit && r.rater_role == RaterRole::OrgDept).cloned()
    };
    let admin_b = of(&admin_rows, s.b).expect("东城区 row");
    assert_eq!((admin_b.flag.as_str(), admin_b.others_mean), ("偏松", Some(2.0)));

    let clerk = sign_in(&s.f.path(), "clerk", CLERK_PW);
    let rows = clerk.rater_calibration(2024).expect("clerk");
    assert_eq!(of(&rows, s.b), Some(admin_b), "the same flag and baseline whoever asks");
    assert!(rows.iter().all(|r| r.unit_id == s.b), "only the scope's units are listed: {rows:?}");

    let desk = clerk.appraisal_desk(2024, &ganshi::Job::new()).expect("desk");
    let city = desk.units.iter().find(|u| u.unit_id == s.f.unit).expect("the pooled 考核单位");
    assert_eq!((city.assessed, city.visible), (3, 1), "{city:?}");
    assert_eq!(city.distribution.iter().sum::<usize>(), 1, "counts are of the clerk's cadre only");
    assert_eq!(desk.units.len(), 1, "{:?}", desk.units);
    assert_eq!(desk.finished_units, 0);
    let whole = s.f.archive.appraisal_desk(2024, &ganshi::Job::new()).expect("admin desk");
    let city = whole.units.iter().find(|u| u.unit_id == s.f.unit).expect("city");
    assert_eq!((city.assessed, city.visible), (3, 3));
}
