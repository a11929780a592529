//! The 考核结果汇总表 as organization departments hand it in (issue 17): rows in
//! post order, the summary line under the table, and who filled it in.

use calamine::{Data, Reader};

use crate::support::*;

#[test]
fn the_roster_has_post_order_a_summary_line_and_a_footer() {
    let mut f = fixture();
    // A 副科级 before a 正科级 in the archive's own order.
    let mut deputy = cadre_input(f.unit);
    deputy.name = "副职".into();
    deputy.rank = "副科级".into();
    f.archive.create_cadre(deputy, Some("2020-01-01")).expect("deputy");
    let mut chief = cadre_input(f.unit);
    chief.name = "正职".into();
    chief.rank = "正科级".into();
    f.archive.create_cadre(chief, Some("2020-01-01")).expect("chief");
    let dir = f.dir.path().join("表");
    let done = f.archive.export_appraisal(2024, f.unit, &dir, &ganshi::Job::new()).expect("export");
    let roster = done.files.last().expect("the roster is last");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join(roster)).expect("open with calamine");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let text = |r: usize, c: usize| match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let names: Vec<String> = (2..range.height()).map(|r| text(r, 1)).filter(|n| n == "正职" || n == "副职").collect();
    assert_eq!(names, vec!["正职".to_owned(), "副职".to_owned()], "正职 before 副职");
    let all: Vec<String> = (0..range.height()).map(|r| text(r, 0)).collect();
    assert!(all.iter().any(|t| t.starts_with("参加考核 3 人，优秀 ") && t.contains("优秀名额")), "{all:?}");
    assert!(all.iter().any(|t| t == "填表人："), "{all:?}");
    let row = (0..range.height()).find(|r| text(*r, 0) == "填表人：").expect("footer");
    assert_eq!((text(row, 4), text(row, 9)), ("审核人：".to_owned(), "单位（盖章）：".to_owned()));
}

/// The comparison for a 任用 meeting (issue 17): age, 任现职时间, 职级, 学历, the
/// year's score and suggestion, eligibility with its reason, full unit paths.
#[test]
fn the_comparison_shows_what_a_meeting_weighs() {
    let mut f = fixture();
    let mut other = cadre_input(f.unit);
    other.name = "李四".into();
    other.rank = "副科级".into();
    let second = f.archive.create_cadre(other, Some("2024-06-01")).expect("second").id;
    let bytes = f.archive.comparison_xlsx(&[f.cadre, second], 2024).expect("comparison");
    let path = f.dir.path().join("比较.xlsx");
    std::fs::write(&path, bytes).expect("write");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("open with calamine");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let row = |label: &str| -> Vec<String> {
        (0..range.height())
            .find(|r| matches!(range.get((*r, 0)), Some(Data::String(s)) if s.starts_with(label)))
            .map(|r| {
                (1..range.width()).map(|c| range.get((r, c)).map(ToString::to_string).unwrap_or_default()).collect()
            })
            .unwrap_or_else(|| panic!("row {label}"))
    };
    assert!(row("年龄").iter().all(|a| a.ends_with(" 岁")), "{:?}", row("年龄"));
    assert_eq!(row("任现职时间")[1], "2024.06");
    assert_eq!(row("职级")[1], "副科级");
    assert!(row("单位").iter().all(|u| u == "燕州市"), "{:?}", row("单位"));
    assert!(row("2024 年综合得分").len() == 2 && row("2024 年建议等次").len() == 2);
    let eligibility = row("任用资格");
    assert!(
        eligibility[1].starts_with("不符合（") && eligibility[1].contains("任现职"),
        "with its reason: {eligibility:?}"
    );
}

/// The 干事档案 for a 任用 meeting (issue 17): a first page with three years of
/// 年度考核, the four dimensions with a sentence each, eligibility and 批示; per
/// item the stage scores with their reasons in words; the 任免审批表's 简历 and
/// family; no record ids anywhere. Read back through LibreOffice.
#[test]
fn the_dossier_opens_with_a_summary_page_and_names_no_record_ids() {
    use ganshi::records::reviews::{ReviewInput, ReviewTarget};
    let mut f = fixture();
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lrmx/full.lrmx"))
            .expect("fixture");
    let preview = import_file(&mut f.archive, "周明远.lrmx", text.into_bytes(), Some(f.unit), false);
    let zhou = preview.items[0].cadre_id.expect("created");
    let mut item = initiative_input(zhou);
    item.title = "冷链物流集散中心".into();
    let id = f.archive.create_initiative(item).expect("initiative").id;
    f.archive.save_plan(id, complete_plan(f.unit), "").expect("plan");
    f.archive.add_milestone(id, milestone("2024-06-30")).expect("milestone");
    f.archive.rate_plan(id, rating(ganshi::enums::RaterRole::OrgDept), "").expect("rating");
    f.archive.rate_plan(id, rating(ganshi::enums::RaterRole::UnitLeader), "").expect("rating");
    f.archive.advance(id, "2024-02-01", "").expect("advance");
    f.archive
        .add_review(ReviewInput {
            target_kind: ReviewTarget::Cadre,
            cadre_ids: vec![zhou],
            parent_id: None,
            text: "实绩突出，可重点培养".into(),
            signed_off: false,
        })
        .expect("review");
    let bytes = f.archive.dossier_docx(zhou, 2024).expect("dossier");
    let dir = f.dir.path().join("档案");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("干事档案-周明远.docx");
    std::fs::write(&file, bytes).expect("write");
    let text = pdf_text(&file, &dir);
    let (first, rest) = text.split_once('\u{c}').expect("the summary has a page of its own");
    for said in [
        "任用摘要（2024 年度",
        "年度考核：2022 年 称职；2023 年 优秀；2024 年 称职",
        "想干事：",
        "会干事：",
        "干成事：",
        "不出事：",
        "任职资格：",
        "实绩突出，可重点培养",
    ] {
        assert!(first.contains(said), "{said} on the first page:\n{first}");
    }
    for said in [
        "谋事·看担当",
        "两方评价按权重加权平均",
        "时间节点 1 个",
        "本人牵头",
        "简历：",
        "2016.03--",
        "李秀英",
        "中共党员",
    ] {
        assert!(rest.contains(said) || first.contains(said), "{said} in the dossier:\n{rest}");
    }
    let all = format!("{first}{rest}");
    for id_like in ["plan_rating#", "initiative#", "milestone#", "tracking#", "cadre#", "#1", "#2"] {
        assert!(!all.contains(id_like), "no record ids ({id_like}):\n{all}");
    }
}

/// Exported file names are in the user's words (issue 18): the cadre's name, and
/// where two share it, the birth month — never an id of the archive.
#[test]
fn appraisal_files_are_named_by_the_cadre_not_by_an_id() {
    let mut f = fixture(); // 张三, born 1978-05
    let mut namesake = cadre_input(f.unit);
    namesake.birth = "1980-01".into();
    let other = f.archive.create_cadre(namesake, Some("2020-01-01")).expect("namesake").id;
    let dir = f.dir.path().join("表");
    let done = f.archive.export_appraisal(2024, f.unit, &dir, &ganshi::Job::new()).expect("export");
    let mut forms: Vec<&String> = done.files.iter().filter(|n| n.ends_with(".docx")).collect();
    forms.sort();
    assert_eq!(forms, vec!["2024年度考核登记表-张三（1978.05）.docx", "2024年度考核登记表-张三（1980.01）.docx"]);
    assert!(done.files.iter().all(|n| !n.contains(&format!("-{other}")) && !n.contains(&format!("-{}.", f.cadre))));
}

/// A former cadre's 干事档案 still exports (no year to assess: the record stands
/// without it), and a second unit's export into the same folder never replaces
/// another cadre's form of the same name.
#[test]
fn former_cadres_export_and_namesakes_in_one_folder_are_kept_apart() {
    use ganshi::records::units::UnitInput;
    let mut f = fixture();
    let other_unit = f
        .archive
        .create_unit(UnitInput {
            parent_id: Some(f.unit),
            code: "1301-77".into(),
            name: "市交通局".into(),
            kind: ganshi::enums::UnitKind::Department,
            sort_order: 0,
        })
        .expect("unit")
        .id;
    let namesake = f.archive.create_cadre(cadre_input(other_unit), Some("2020-01-01")).expect("namesake").id;
    let dir = f.dir.path().join("表");
    let first = f.archive.export_appraisal(2024, other_unit, &dir, &ganshi::Job::new()).expect("first unit");
    let second = f.archive.export_appraisal(2024, f.unit, &dir, &ganshi::Job::new()).expect("second unit");
    let forms: Vec<&String> = first.files.iter().chain(&second.files).filter(|n| n.ends_with(".docx")).collect();
    let distinct: std::collections::HashSet<&&String> = forms.iter().collect();
    assert_eq!(distinct.len(), forms.len(), "no form written over another: {forms:?}");
    let mut retired = f.archive.cadre(namesake).expect("cadre").fields;
    retired.status = ganshi::enums::CadreStatus::Retired;
    f.archive.update_cadre(namesake, retired, "退休").expect("retire");
    assert!(f.archive.dossier_docx(namesake, 2024).is_ok(), "a retired cadre's dossier exports");
}
