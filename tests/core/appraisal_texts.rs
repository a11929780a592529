//! The 个人总结 and 主管领导评语 of the 年度考核登记表 (issue 17): drafted from the
//! year's work in the cadre's voice (no scores, no rules), edited, kept per cadre
//! and year and printed; the 事业单位工作人员 form and grade words by 人员类别.

use ganshi::enums::*;
use ganshi::records::appraisal_texts::AppraisalTextInput;
use ganshi::records::final_grades::FinalGradeInput;

use crate::support::*;

fn form_text(f: &mut Fixture, year: i32) -> String {
    let dir = f.dir.path().join(format!("表-{}", f.archive.audit_entries(&Default::default()).expect("audit").len()));
    let done = f.archive.export_appraisal(year, f.unit, &dir, &ganshi::Job::new()).expect("export");
    // Named by the cadre, never by an id (issue 18).
    let form = done.files.iter().find(|n| n.ends_with("-张三.docx")).expect("the cadre's form");
    pdf_text(&dir.join(form), &dir)
}

#[test]
fn the_texts_are_drafted_from_the_year_kept_and_printed() {
    let mut f = fixture();
    let item = executing_initiative(&mut f);
    let drafted = f.archive.appraisal_texts(f.cadre, 2024).expect("texts");
    assert!(!drafted.saved);
    let s = &drafted.summary;
    assert!(s.starts_with("2024年，本人任副县长。"), "{s}");
    assert!(s.contains("一、引进冷链物流集散中心项目。本人牵头此项工作，目标是建成 10 万吨级冷库。"), "{s}");
    assert!(s.contains("主要措施：专班推进，全程代办。") && s.contains("计划节点 1 个"), "{s}");
    for internal in ["分", "≥", "谋事评价", "#", &format!("initiative#{item}")] {
        assert!(!s.contains(internal), "no scores, rules or record ids ({internal}) in a cadre's own words: {s}");
    }
    assert!(drafted.leader_comment.contains("张三同志2024年度牵头1项工作"), "{}", drafted.leader_comment);
    // Before anything is kept, the form prints the drafts.
    assert!(form_text(&mut f, 2024).contains("本人牵头此项工作"));

    let mine = "2024年，本人围绕冷链物流枢纽建设，协调落地项目一个。\n不足：统筹能力有待提高。";
    let comment = "该同志政治坚定，敢于担当，工作实绩突出。";
    f.archive
        .save_appraisal_texts(AppraisalTextInput {
            cadre_id: f.cadre,
            year: 2024,
            summary: mine.into(),
            leader_comment: comment.into(),
        })
        .expect("kept");
    let kept = f.archive.appraisal_texts(f.cadre, 2024).expect("texts");
    assert!(kept.saved && kept.summary == mine && kept.leader_comment == comment);
    assert!(kept.draft_summary.contains("本人牵头此项工作"), "the draft is still there to start again from");
    let text = form_text(&mut f, 2024);
    assert!(text.contains("统筹能力有待提高") && text.contains("工作实绩突出"), "{text}");
    assert!(!text.contains("本人牵头此项工作"), "the kept text replaces the draft: {text}");
    assert!(text.contains("建议等次："), "{text}");
    // Kept per year: another year still has its draft; the change is in the history.
    assert!(!f.archive.appraisal_texts(f.cadre, 2023).expect("2023").saved);
    let history = f.archive.history("appraisal_text", 1).expect("history");
    assert_eq!(history.len(), 1);
    // Too long a text is refused by name, and nothing changes.
    let err = f
        .archive
        .save_appraisal_texts(AppraisalTextInput {
            cadre_id: f.cadre,
            year: 2024,
            summary: "字".repeat(6_001),
            leader_comment: String::new(),
        })
        .expect_err("too long");
    assert!(err.to_string().contains("个人总结"), "{err}");
    assert_eq!(f.archive.appraisal_texts(f.cadre, 2024).expect("texts").summary, mine);
}

/// 事业单位 staff sign the 事业单位工作人员年度考核登记表 and are graded 合格 where a
/// civil servant is 称职 — on the form, the 汇总表 and the LRMX file.
#[test]
fn institution_staff_get_their_own_form_and_grade_words() {
    let mut f = fixture();
    let mut input = f.archive.cadre(f.cadre).expect("cadre").fields;
    input.staff_category = StaffCategory::Institution;
    f.archive.update_cadre(f.cadre, input, "人员类别更正").expect("update");
    f.archive
        .record_final_grade(FinalGradeInput {
            cadre_id: f.cadre,
            year: 2024,
            grade: Grade::Competent,
            reason: "考核委员会研究确定".into(),
            decided_by: "考核委员会".into(),
            decided_on: "2025-01-10".into(),
        })
        .expect("grade");
    let text = form_text(&mut f, 2024);
    assert!(text.contains("事业单位工作人员年度考核登记表"), "{text}");
    assert!(!text.contains("公务员年度考核登记表"), "{text}");
    // As LibreOffice lays it out (labels wrap inside their cells).
    let order = [
        "姓名",
        "政治面貌",
        "任现岗位时间",
        "单位及岗位",
        "从事或分管",
        "个人总结",
        "主管领导评",
        "单位负责人",
        "本人意见",
        "未确定等次",
    ];
    let mut at = 0;
    for label in order {
        let found = text[at..].find(label).unwrap_or_else(|| panic!("{label} after {at}: {text}"));
        at += found + label.len();
    }
    assert!(text.contains("确定为「合格」"), "{text}");
    assert!(!text.contains("称职"), "a 事业单位 form has no 称职: {text}");
    let lrmx = f.archive.export_lrmx(f.cadre).expect("lrmx");
    assert!(lrmx.contains("2024年度考核合格"), "{lrmx}");
}
