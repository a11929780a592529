//! An allegation never leaves the building (issue 17): under investigation or
//! found 不实, its content is not on the 年度考核登记表 the cadre signs, on the
//! unit's 汇总表, or in the exported 干事档案; neutral words stand in its place.

use std::io::Read;

use ganshi::enums::*;
use ganshi::records::reports::{FindingInput, ReportInput};

use crate::support::*;

/// The text of a .docx or .xlsx: every XML part, tags stripped.
fn office_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("office file");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        if entry.name().is_ok_and(|n| n.ends_with(".xml")) {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).expect("xml");
            let mut inside = false;
            for c in xml.chars() {
                match c {
                    '<' => inside = true,
                    '>' => inside = false,
                    c if !inside => all.push(c),
                    _ => {}
                }
            }
        }
    }
    all
}

const ALLEGED: &str = "收受管理服务对象礼金";
const CLEARED: &str = "违规插手工程招标";

#[test]
fn an_allegation_is_not_on_any_exported_form() {
    let mut f = fixture();
    let report = |summary: &str, on: &str| ReportInput {
        cadre_id: 0,
        received_on: on.into(),
        source: "来信".into(),
        summary: summary.into(),
    };
    let cadre = f.cadre;
    f.archive.add_report(ReportInput { cadre_id: cadre, ..report(ALLEGED, "2024-05-01") }).expect("open report");
    let cleared =
        f.archive.add_report(ReportInput { cadre_id: cadre, ..report(CLEARED, "2024-03-01") }).expect("report");
    f.archive
        .record_finding(
            cleared.id,
            FindingInput {
                finding: ReportFinding::Untrue,
                found_on: "2024-06-01".into(),
                investigated_by: "市纪委监委".into(),
                note: String::new(),
                clearing_scope: None,
                clearing_statement: None,
            },
        )
        .expect("found 不实");
    // The archive's own screens still say what it is about.
    let assessed = f
        .archive
        .assess(&ganshi::assessment::AssessRequest { year: 2024, unit_id: None, cadre_id: Some(cadre), as_of: None })
        .expect("assess");
    assert!(assessed.cadres[0].suggested.reasons.iter().any(|r| r.contains(ALLEGED)));

    let dir = f.dir.path().join("登记表");
    let done = f.archive.export_appraisal(2024, f.unit, &dir, &ganshi::Job::new()).expect("export");
    assert!(!done.files.is_empty());
    for file in &done.files {
        let text = office_text(&std::fs::read(dir.join(file)).expect("read"));
        assert!(!text.contains(ALLEGED) && !text.contains(CLEARED), "{file} names an allegation");
        if file.ends_with(".docx") {
            assert!(text.contains("有关问题正在核查"), "{file}: the neutral wording");
        }
    }
    // The comparison for a 任用 meeting says why the cadre is not eligible, in neutral words.
    let mut other = cadre_input(f.unit);
    other.name = "李四".into();
    let other = f.archive.create_cadre(other, Some("2020-01-01")).expect("other").id;
    let comparison = office_text(&f.archive.comparison_xlsx(&[cadre, other], 2024).expect("comparison"));
    assert!(!comparison.contains(ALLEGED) && !comparison.contains(CLEARED), "the comparison names an allegation");
    assert!(comparison.contains("有关问题正在核查"), "{comparison}");
    let dossier = office_text(&f.archive.dossier_docx(cadre, 2024).expect("dossier"));
    assert!(!dossier.contains(ALLEGED) && !dossier.contains(CLEARED), "the dossier names an allegation");
    assert!(dossier.contains("有关反映经核查不实，已澄清正名"), "the clearing is said, not what was alleged");
    // No record ids: the records behind a figure are counted in words.
    assert!(!dossier.contains('#'), "no record ids like plan_rating#11: {dossier}");
    assert!(dossier.contains("有关反映 2 条"), "the reports behind 不出事, counted in neutral words: {dossier}");
}

/// The 建议等次 on the form is the one the committee decided against (stored with
/// its decision), not one recomputed on the day of the export.
#[test]
fn the_form_prints_the_suggestion_the_committee_decided_against() {
    use ganshi::assessment::AssessRequest;
    use ganshi::assessment::grades::FinalGradeInput;
    let found = (0..40).find_map(|seed| {
        let mut w = crate::generated::world(seed);
        let year = 2025;
        let report =
            w.archive.assess(&AssessRequest { year, unit_id: None, cadre_id: None, as_of: None }).expect("assess");
        let c = report.cadres.iter().find(|c| c.suggested.grade != Grade::Undetermined)?.clone();
        let stored = c.suggested.grade;
        w.archive
            .record_final_grade(FinalGradeInput {
                cadre_id: c.cadre_id,
                year,
                grade: stored,
                reason: String::new(),
                decided_by: "考核委员会".into(),
                decided_on: "2026-01-10".into(),
            })
            .expect("decided");
        Some((w, c, stored, year))
    });
    let (mut w, c, stored, year) = found.expect("a generated cadre with a grade suggested");
    // Afterwards a report comes in for that year: recomputed, the suggestion is 不确定等次.
    w.archive
        .add_report(ReportInput {
            cadre_id: c.cadre_id,
            received_on: format!("{year}-11-01"),
            source: "来信".into(),
            summary: ALLEGED.into(),
        })
        .expect("report");
    let now = w
        .archive
        .assess(&AssessRequest { year, unit_id: None, cadre_id: Some(c.cadre_id), as_of: None })
        .expect("assess");
    assert_eq!(now.cadres[0].suggested.grade, Grade::Undetermined);
    let unit = w.archive.cadre(c.cadre_id).expect("cadre").fields.unit_id;
    let dir = w._dir.path().join("表");
    let done = w.archive.export_appraisal(year, unit, &dir, &ganshi::Job::new()).expect("export");
    let form = done
        .files
        .iter()
        .find(|f| f.ends_with(&format!("-{}.docx", c.name)) || f.contains(&format!("-{}（", c.name)))
        .expect("the cadre's form");
    let text = office_text(&std::fs::read(dir.join(form)).expect("read"));
    assert!(text.contains(&format!("建议等次：{stored}")), "the stored suggestion {stored}: {text}");
    assert!(!text.contains('≥'), "the scheme's thresholds are not a leader's comment: {text}");
}

/// The form follows the official 公务员年度考核登记表: its title, its boxes in the
/// printed order, no 文化程度 row.
#[test]
fn the_form_has_the_official_boxes_in_the_official_order() {
    let mut f = fixture();
    let dir = f.dir.path().join("表");
    let done = f.archive.export_appraisal(2024, f.unit, &dir, &ganshi::Job::new()).expect("export");
    let form = done.files.iter().find(|n| n.ends_with(".docx")).expect("a form");
    let text = office_text(&std::fs::read(dir.join(form)).expect("read"));
    let order = [
        "（2024年度）",
        "公务员年度考核登记表",
        "姓名",
        "性别",
        "出生年月",
        "政治面貌",
        "任现职务职级时间",
        "单位及职务职级",
        "从事或分管工作",
        "个人总结",
        "主管领导评语和考核等次建议",
        "机关负责人或考核委员会意见",
        "本人意见",
        "未确定等次或不参加考核情况说明",
    ];
    let mut at = 0;
    for box_label in order {
        let found = text[at..].find(box_label).unwrap_or_else(|| panic!("「{box_label}」 after position {at}: {text}"));
        at += found + box_label.len();
    }
    assert!(!text.contains("文化程度"), "no 文化程度 row");
    assert!(!text.contains('≥'), "the scheme's thresholds are not a leader's comment");
    let name = f.archive.cadre(f.cadre).expect("cadre").fields.name;
    assert!(text.contains(&format!("{name} · 2024年度公务员年度考核登记表")), "every page names whose form it is");
}
