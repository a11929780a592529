//! LRMX files from other tools (issue 17): every problem in a file listed, every
//! element the archive does not keep named in the preview, 政治面貌 kept and
//! written back.

use ganshi::formats::lrmx;

use crate::support::*;

fn full() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lrmx");
    std::fs::read_to_string(dir.join("full.lrmx")).expect("fixture")
}

#[test]
fn every_problem_in_a_file_is_listed_not_only_the_first() {
    let bad = full()
        .replace("<XingBie>男</XingBie>", "<XingBie>未知</XingBie>")
        .replace("<ChuShengNianYue>197805</ChuShengNianYue>", "<ChuShengNianYue>七八年</ChuShengNianYue>")
        .replace("<RuDangShiJian>200107</RuDangShiJian>", "<RuDangShiJian>去年</RuDangShiJian>");
    let problems = lrmx::parse("三处问题.lrmx", bad.as_bytes()).expect_err("refused");
    let places: Vec<&str> = problems.iter().map(|p| p.location.as_str()).collect();
    assert_eq!(places, vec!["XingBie", "ChuShengNianYue", "RuDangShiJian"], "{problems:?}");
    // Through the import, all three are in the preview.
    let mut f = fixture();
    let preview = import_file(&mut f.archive, "三处问题.lrmx", bad.into_bytes(), Some(f.unit), true);
    assert_eq!(preview.errors.len(), 3, "{:?}", preview.errors);
}

#[test]
fn what_the_archive_does_not_keep_is_named_and_politics_are_kept() {
    let text = full()
        .replace("<ChuShengDi>河北燕州</ChuShengDi>", "<ChuShengDi>河北燕州</ChuShengDi>\n  <ZhengZhiMianMao>中共党员</ZhengZhiMianMao>\n  <GeRenBeiZhu>借调市委办半年</GeRenBeiZhu>\n  <KongYuanSu></KongYuanSu>");
    let person = lrmx::parse("周明远.lrmx", text.as_bytes()).expect("reads");
    assert_eq!(person.profile.political, "中共党员");
    assert_eq!(person.unmapped, vec!["<GeRenBeiZhu>：借调市委办半年".to_owned()], "empty elements need no mention");
    let written = lrmx::write(&person);
    assert!(written.contains("<ZhengZhiMianMao>中共党员</ZhengZhiMianMao>"), "written back");
    let mut f = fixture();
    let preview = import_file(&mut f.archive, "周明远.lrmx", text.into_bytes(), Some(f.unit), false);
    assert!(preview.committed, "{:?}", preview.errors);
    let warnings: Vec<String> = preview.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("周明远.lrmx") && w.contains("GeRenBeiZhu") && w.contains("未导入")),
        "{warnings:?}"
    );
    let id = f.archive.cadres(None, Some("周明远")).expect("list")[0].id;
    let profile = f.archive.profile(id).expect("profile").expect("stored");
    assert_eq!(profile.political, "中共党员");
}

/// The dry run of a new person shows what would be created, field by field, in
/// the words of the form (until issue 17: `changes: []`, and profile fields
/// named like `任免审批表.birthplace`, a photo by its MIME type).
#[test]
fn a_dry_run_shows_a_new_persons_fields_in_the_forms_words() {
    let mut f = fixture();
    let preview = import_file(&mut f.archive, "周明远.lrmx", full().into_bytes(), Some(f.unit), true);
    let item = &preview.items[0];
    let shown =
        |field: &str| item.changes.iter().find(|c| c.field == field).map(|c| (c.before.clone(), c.after.clone()));
    assert_eq!(shown("姓名"), Some((String::new(), "周明远".to_owned())));
    assert_eq!(shown("出生年月"), Some((String::new(), "1978-05".to_owned())));
    assert_eq!(shown("任免审批表·出生地"), Some((String::new(), "河北燕州".to_owned())));
    assert_eq!(shown("照片"), Some((String::new(), "新照片".to_owned())));
    assert!(
        item.changes.iter().all(|c| c.field.chars().all(|ch| !ch.is_ascii_alphabetic()) && !c.after.contains("image/")),
        "no field names or MIME types: {:?}",
        item.changes
    );
}

/// 年度考核结果 becomes the years' grades, marked as imported, so eligibility sees
/// them; a year the archive has decided keeps the archive's decision (a warning
/// says so); the re-exported file states the same grades.
#[test]
fn yearly_grades_in_the_form_become_imported_grades() {
    let mut f = fixture();
    let text = full();
    let preview = import_file(&mut f.archive, "周明远.lrmx", text.clone().into_bytes(), Some(f.unit), false);
    assert!(preview.committed, "{:?}", preview.errors);
    let item = &preview.items[0];
    assert!(
        item.changes.iter().any(|c| c.field == "2023年度考核等次" && c.after == "优秀（据任免审批表）"),
        "{:?}",
        item.changes
    );
    let id = item.cadre_id.expect("created");
    let records = f.archive.cadre_records(id).expect("records");
    let grades: Vec<(i32, &str, &str)> = records
        .final_grades
        .iter()
        .map(|g| (g.fields.year, g.fields.grade.as_str(), g.fields.decided_by.as_str()))
        .collect();
    assert_eq!(
        grades,
        vec![
            (2022, "称职", "任免审批表（导入）"),
            (2023, "优秀", "任免审批表（导入）"),
            (2024, "称职", "任免审批表（导入）")
        ]
    );
    let summary = f.archive.promotion_evidence(id, 2024, None).expect("promotion evidence");
    assert!(
        summary.grades.iter().any(|g| g.year == 2023 && g.grade == Some(ganshi::enums::Grade::Excellent)),
        "{:?}",
        summary.grades
    );
    // Exported and read back: the same grades, as the form writes them.
    let exported = f.archive.export_lrmx(id).expect("export");
    let again = lrmx::parse("again.lrmx", exported.as_bytes()).expect("reads");
    assert_eq!(again.profile.appraisal_results, "2022年度考核称职；2023年度考核优秀；2024年度考核称职");
    // A second file saying otherwise for 2023: the archive's record stays, and a warning says so.
    let other = text.replace("2023年度考核优秀", "2023年度考核基本称职");
    let preview = import_file(&mut f.archive, "另一份.lrmx", other.into_bytes(), Some(f.unit), false);
    let warnings: Vec<String> = preview.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("2023 年度考核") && w.contains("保留档案中的决定")), "{warnings:?}");
    let kept = f.archive.cadre_records(id).expect("records").final_grades;
    assert_eq!(kept.iter().find(|g| g.fields.year == 2023).map(|g| g.fields.grade.as_str()), Some("优秀"));
}

/// The current post starts when the 简历 says (its last open period), not on
/// the day of the import (eligibility said 「已 -11 个月」).
#[test]
fn the_current_post_starts_when_the_resume_says() {
    let mut f = fixture();
    let preview = import_file(&mut f.archive, "周明远.lrmx", full().into_bytes(), Some(f.unit), false);
    let item = &preview.items[0];
    assert!(
        item.changes.iter().any(|c| c.field == "任现职时间" && c.after == "2016-03（据简历）"),
        "{:?}",
        item.changes
    );
    let id = item.cadre_id.expect("created");
    let posts = ganshi::records::cadres::posts(f.archive.conn(), id).expect("posts");
    let current = posts.iter().find(|p| p.fields.end_date.is_none()).expect("current post");
    assert_eq!(current.fields.start_date, "2016-03-01");
    let summary = f.archive.promotion_evidence(id, 2024, None).expect("promotion evidence");
    let tenure = summary.eligibility.iter().find(|e| e.rule.starts_with("任现职")).expect("tenure rule");
    assert!(
        tenure.passed && tenure.detail.contains("自 2016-03-01 任现职") && tenure.detail.contains("已 105 个月"),
        "{tenure:?}"
    );
}

/// The elements in the order the 任免审批表 software writes them: the family right
/// after 任免理由, then 呈报单位, 计算年龄时间, 填表时间, 填表人, 身份证, 照片, 版本.
#[test]
fn an_exported_form_keeps_the_national_softwares_element_order() {
    let person = lrmx::parse("周明远.lrmx", full().as_bytes()).expect("reads");
    let written = lrmx::write(&person);
    let order = [
        "<XingMing>",
        "<XingBie>",
        "<ChuShengNianYue>",
        "<MinZu>",
        "<JiGuan>",
        "<ChuShengDi>",
        "<RuDangShiJian>",
        "<CanJiaGongZuoShiJian>",
        "<JianKangZhuangKuang>",
        "<ZhuanYeJiShuZhiWu>",
        "<ShuXiZhuanYeYouHeZhuanChang>",
        "<QuanRiZhiJiaoYu_XueLi>",
        "<ZaiZhiJiaoYu_XueLi>",
        "<XianRenZhiWu>",
        "<NiRenZhiWu>",
        "<NiMianZhiWu>",
        "<JianLi>",
        "<JiangChengQingKuang>",
        "<NianDuKaoHeJieGuo>",
        "<RenMianLiYou>",
        "<JiaTingChengYuan>",
        "<ChengBaoDanWei>",
        "<JiSuanNianLingShiJian>",
        "<TianBiaoShiJian>",
        "<TianBiaoRen>",
        "<ShenFenZheng>",
        "<ZhaoPian>",
        "<Version>",
    ];
    let mut at = 0;
    for tag in order {
        let found = written[at..].find(tag).unwrap_or_else(|| panic!("{tag} after position {at}:\n{written}"));
        at += found + tag.len();
    }
    assert_eq!(lrmx::parse("again.lrmx", written.as_bytes()).expect("reads back"), person);
}

/// 奖惩情况 holds the person's own rewards and sanctions in the form's wording; a
/// recognition of a work item belongs to the item (the 干事档案), not here.
#[test]
fn rewards_and_sanctions_are_the_persons_own() {
    use ganshi::enums::{AccountabilityKind, RecognitionLevel};
    use ganshi::records::negatives::{NegativeDetail, NegativeInput};
    let mut f = fixture();
    let item = executing_initiative(&mut f);
    f.archive
        .add_recognition(
            item,
            ganshi::records::outcomes::RecognitionInput {
                level: RecognitionLevel::Provincial,
                title: "全省营商环境改革先进典型".into(),
                body: "省委办公厅通报".into(),
                date: "2024-09-01".into(),
            },
        )
        .expect("recognition of the item");
    f.archive
        .add_negative(NegativeInput {
            cadre_id: f.cadre,
            date: "2024-10-08".into(),
            detail: NegativeDetail::Accountability {
                accountability: AccountabilityKind::Admonishment,
                subtype: "诫勉谈话".into(),
                effect_months: Some(6),
                reason: "责任落实不到位".into(),
                issued_by: "市纪委监委".into(),
            },
        })
        .expect("sanction");
    let exported = f.archive.export_lrmx(f.cadre).expect("export");
    let person = lrmx::parse("x.lrmx", exported.as_bytes()).expect("reads");
    assert_eq!(person.profile.rewards, "2024年10月受到市纪委监委诫勉谈话");
}
