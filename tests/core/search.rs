//! Global search on a real encrypted archive: names by characters, pinyin and
//! initials; units and posts; initiatives by title, summary and outcome
//! narrative; the index follows every change and survives reopening.

use ganshi::enums::*;
use ganshi::records::outcomes::OutcomeInput;
use ganshi::records::units::UnitInput;
use ganshi::search::{HitKind, SearchResults};

use crate::support::*;

fn names(r: &SearchResults) -> Vec<String> {
    r.cadres.iter().map(|h| h.title.clone()).collect()
}

fn titles(r: &SearchResults) -> Vec<String> {
    r.initiatives.iter().map(|h| h.title.clone()).collect()
}

fn add(f: &mut Fixture, name: &str, post: &str) -> i64 {
    let mut c = cadre_input(f.unit);
    c.name = name.into();
    c.post = post.into();
    c.id_number = None;
    f.archive.create_cadre(c, Some("2021-01-01")).expect("cadre").id
}

#[test]
fn names_are_found_by_characters_pinyin_and_initials() {
    let mut f = fixture();
    add(&mut f, "张三丰", "科长");
    add(&mut f, "单雄信", "主任");
    add(&mut f, "王芳", "副主任");
    let a = &f.archive;
    let mut found = names(&a.search("张三", 10).expect("search"));
    found.sort();
    assert_eq!(found, ["张三", "张三丰"], "a name is a substring of another");
    assert_eq!(names(&a.search("三丰", 10).expect("search")), ["张三丰"]);
    assert_eq!(names(&a.search("芳", 10).expect("search")), ["王芳"], "one character");
    assert_eq!(names(&a.search("zsf", 10).expect("search")), ["张三丰"], "initials");
    assert_eq!(names(&a.search("ZhangSanF", 10).expect("search")), ["张三丰"], "a prefix of the full pinyin, any case");
    let zs = a.search("zs", 10).expect("search");
    assert_eq!(zs.cadres.len(), 2, "zs is the initials of 张三 and a prefix of 张三丰's: {zs:?}");
    assert!(zs.cadres.iter().all(|h| h.matched == "拼音"));
    // A surname with two readings is found by both.
    assert_eq!(names(&a.search("shanxiongxin", 10).expect("search")), ["单雄信"]);
    assert_eq!(names(&a.search("dxx", 10).expect("search")), ["单雄信"]);
    assert!(a.search("李四", 10).expect("search").cadres.is_empty());
    // The exact name ranks first.
    let hit = &a.search("张三", 10).expect("search").cadres[0];
    assert_eq!((hit.kind, hit.matched.as_str()), (HitKind::Cadre, "姓名"));
}

#[test]
fn units_and_posts_are_found_and_a_renamed_unit_is_reindexed() {
    let mut f = fixture();
    let r = f.archive.search("副县长", 10).expect("search");
    assert_eq!((names(&r), r.cadres[0].matched.as_str()), (vec!["张三".to_owned()], "职务"));
    let r = f.archive.search("燕州", 10).expect("search");
    assert_eq!((names(&r), r.cadres[0].matched.as_str()), (vec!["张三".to_owned()], "单位"));
    assert!(r.cadres[0].subtitle.contains("燕州市") && r.cadres[0].subtitle.contains("副县长"));
    f.archive
        .update_unit(
            f.unit,
            UnitInput {
                parent_id: None,
                code: "1301".into(),
                name: "滦河市".into(),
                kind: UnitKind::City,
                sort_order: 0,
            },
            "更名",
        )
        .expect("rename");
    assert!(f.archive.search("燕州", 10).expect("search").cadres.is_empty(), "the old name is gone");
    assert_eq!(names(&f.archive.search("滦河市", 10).expect("search")), ["张三"]);
    let mut c = cadre_input(f.unit);
    c.post = "常务副县长".into();
    f.archive.update_cadre(f.cadre, c, "任职调整").expect("update");
    assert_eq!(names(&f.archive.search("常务", 10).expect("search")), ["张三"]);
}

#[test]
fn initiatives_are_found_by_title_summary_and_outcome_narrative() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    let r = f.archive.search("冷链物流", 10).expect("search");
    assert_eq!(titles(&r), ["引进冷链物流集散中心项目"]);
    assert_eq!(r.initiatives[0].matched, "标题");
    assert!(r.initiatives[0].subtitle.contains("张三牵头"), "{:?}", r.initiatives[0]);
    let r = f.archive.search("京津冀", 10).expect("search");
    assert_eq!(
        (r.initiatives[0].matched.as_str(), r.initiatives[0].excerpt.as_deref()),
        ("概要", Some("建设辐射京津冀的冷链物流枢纽"))
    );
    assert!(f.archive.search("冻品周转", 10).expect("search").initiatives.is_empty());
    f.archive
        .record_outcome(
            id,
            OutcomeInput {
                achievement: Achievement::Full,
                narrative: "冷库投用后冻品周转时间缩短三成，带动就业四百余人。".into(),
                recorded_on: "2024-11-01".into(),
                metrics: vec![],
            },
            "",
        )
        .expect("outcome");
    let r = f.archive.search("冻品周转", 10).expect("search");
    assert_eq!(r.initiatives.len(), 1);
    assert_eq!(r.initiatives[0].matched, "成效");
    assert!(r.initiatives[0].excerpt.as_deref().unwrap_or_default().contains("冻品周转"));
    // Words are ANDed: both must be somewhere in the initiative.
    assert_eq!(f.archive.search("冷链 就业", 10).expect("search").initiatives.len(), 1);
    assert!(f.archive.search("冷链 光伏", 10).expect("search").initiatives.is_empty());
    // Reopening keeps the index (it is in the file).
    let path = f.path();
    drop(f.archive);
    let again = reopen(&path);
    assert_eq!(again.search("冻品周转", 10).expect("search").initiatives.len(), 1);
    assert_eq!(names(&again.search("zs", 10).expect("search")), ["张三"]);
}

#[test]
fn limits_report_more_and_hostile_queries_are_harmless() {
    let mut f = fixture();
    for i in 0..12 {
        add(
            &mut f,
            &format!("张{}", ["一", "二", "伟", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"][i]),
            "科员",
        );
    }
    let r = f.archive.search("张", 5).expect("search");
    assert_eq!((r.cadres.len(), r.more_cadres), (5, true));
    let again = f.archive.search("张", 5).expect("search");
    assert_eq!(names(&r), names(&again), "the same archive gives the same order");
    for q in ["\"", "张\" OR \"*", "NEAR(", "title:张", "* AND *", "-", "'; DROP TABLE cadre; --", "{title}"] {
        f.archive.search(q, 5).unwrap_or_else(|e| panic!("query {q:?} must not fail: {e}"));
    }
    assert!(f.archive.search("", 5).expect("empty").cadres.is_empty());
    let long = "长".repeat(101);
    assert_eq!(f.archive.search(&long, 5).expect_err("too long").code(), "invalid");
    assert_eq!(f.archive.cadres(None, None).expect("cadres").len(), 13, "nothing was harmed");
}

#[test]
fn lists_come_in_pages_with_a_scoped_total() {
    use ganshi::records::initiatives::InitiativeFilter;
    use ganshi::records::pages::PageRequest;
    let mut f = fixture();
    let mut ids = vec![f.cadre];
    for i in 0..7 {
        ids.push(add(&mut f, &format!("王{}", ["一", "二", "三", "四", "五", "六", "七"][i]), "科员"));
        f.archive.create_initiative(initiative_input(ids[i])).expect("initiative");
    }
    let p = f.archive.cadres_page(None, None, PageRequest { offset: 3, limit: 3 }).expect("page");
    assert_eq!(p.total, 8);
    assert_eq!(p.rows.iter().map(|c| c.id).collect::<Vec<_>>(), ids[3..6].to_vec());
    let p = f.archive.cadres_page(None, Some("王"), PageRequest { offset: 0, limit: 100 }).expect("by name");
    assert_eq!((p.total, p.rows.len()), (7, 7));
    let p =
        f.archive.initiatives_page(&InitiativeFilter::default(), PageRequest { offset: 5, limit: 5 }).expect("page");
    assert_eq!((p.total, p.rows.len()), (7, 2));
    let p = f.archive.cadres_page(None, None, PageRequest { offset: 0, limit: 100_000 }).expect("capped");
    assert_eq!(p.rows.len(), 8, "an oversized page is capped, not refused");
}

/// The initiative list finds its rows three ways by how much of the archive the
/// filter keeps (all of it, much, little); whichever way, page after page must
/// give exactly the rows and total of the plain list, for the administrator and
/// for a clerk scoped to one county.
#[test]
fn initiative_pages_match_the_plain_list_whatever_the_filter_keeps() {
    use ganshi::Archive;
    use ganshi::archive::encrypted::Credentials;
    use ganshi::records::initiatives::InitiativeFilter;
    use ganshi::records::pages::PageRequest;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    let (mut admin, _key) = Archive::create_encrypted(&path, PASSWORD).expect("create");
    ganshi::demo::generate(&mut admin, 160, 3).expect("demo");
    ganshi::demo::add_demo_users(&mut admin, PASSWORD).expect("users");
    let units = admin.units().expect("units");
    // The demo spreads its cadres thinly; one district gets 30 more, so that it
    // holds more than 1/8 of the archive.
    let district = units.iter().find(|u| u.fields.parent_id == Some(units[0].id)).expect("a district").id;
    for i in 0..30 {
        let mut c = cadre_input(district);
        c.name = format!("新{}", ["甲", "乙", "丙", "丁", "戊", "己"][i % 6]);
        c.id_number = None;
        let id = admin.create_cadre(c, Some("2021-01-01")).expect("cadre").id;
        admin.create_initiative(initiative_input(id)).expect("initiative");
    }
    let clerk = Archive::open_encrypted(&path, &Credentials::password("clerk", PASSWORD)).expect("clerk");
    let cadres = admin.cadres(None, None).expect("cadres");
    let subtree_share = |u: i64| {
        let mut ids = vec![u];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i];
            ids.extend(units.iter().filter(|x| x.fields.parent_id == Some(parent)).map(|x| x.id));
            i += 1;
        }
        cadres.iter().filter(|c| ids.contains(&c.fields.unit_id)).count() as f64 / cadres.len() as f64
    };
    // A unit keeping much of the archive (≥ 1/8 of the cadres, not all) and one keeping little.
    let broad = units.iter().map(|u| u.id).find(|&u| (0.125..1.0).contains(&subtree_share(u))).expect("a broad unit");
    let narrow =
        units.iter().map(|u| u.id).find(|&u| (0.0..0.125).contains(&subtree_share(u)) && subtree_share(u) > 0.0);
    let narrow = narrow.expect("a narrow unit");
    let some = admin.initiatives(&InitiativeFilter::default()).expect("all");
    let title: String = some[some.len() / 2].title.chars().skip(2).take(3).collect();
    let lead = some[3].lead_name.clone();
    assert!(title.chars().all(ganshi::search::terms::is_han), "a Chinese title fragment: {title}");

    let mut filters = Vec::new();
    // The root unit holds every cadre: the same rows as no unit at all.
    for unit in [None, Some(units[0].id), Some(broad), Some(narrow)] {
        for stage in [None, Some(Stage::Execution)] {
            let single: String = title.chars().take(1).collect();
            for text in [None, Some(title.clone()), Some(single), Some(lead.clone()), Some("20".to_owned())] {
                filters.push(InitiativeFilter { unit_id: unit, stage, category: None, text });
            }
        }
        filters.push(InitiativeFilter { unit_id: unit, stage: None, category: Some(some[0].category), text: None });
    }
    let scope: Vec<i64> = clerk.units().expect("scope").iter().map(|u| u.id).collect();
    let mut nonempty = 0;
    for (who, a) in [("admin", &admin), ("clerk", &clerk)] {
        for f in &filters {
            if f.unit_id.is_some_and(|u| !scope.contains(&u)) && who == "clerk" {
                continue;
            }
            let want: Vec<i64> = a.initiatives(f).expect("list").iter().map(|r| r.id).collect();
            let mut got = Vec::new();
            let mut offset = 0;
            loop {
                let p = a.initiatives_page(f, PageRequest { offset, limit: 7 }).expect("page");
                assert_eq!(p.total as usize, want.len(), "{who} {f:?}: total");
                if p.rows.is_empty() {
                    break;
                }
                got.extend(p.rows.iter().map(|r| r.id));
                offset += 7;
            }
            assert_eq!(got, want, "{who} {f:?}: rows, page after page");
            nonempty += usize::from(!want.is_empty());
        }
    }
    assert!(nonempty >= 20, "most filters find something ({nonempty})");
}

/// Issue 18: the cadre list (and every cadre picker built on it) takes pinyin and
/// its initials as Ctrl+K does, besides a part of the name.
#[test]
fn the_cadre_list_finds_names_by_pinyin_and_initials() {
    let f = crate::support::fixture(); // 张三
    let names = |q: &str| -> Vec<String> {
        f.archive
            .cadres_page(None, Some(q), ganshi::records::pages::PageRequest { offset: 0, limit: 10 })
            .expect("page")
            .rows
            .into_iter()
            .map(|c| c.fields.name)
            .collect()
    };
    for q in ["zs", "zhangsan", "zhang", "张", "张三"] {
        assert_eq!(names(q), vec!["张三".to_owned()], "{q}");
    }
    assert!(names("ls").is_empty());
}
