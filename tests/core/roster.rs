//! Rosters as clerks really send them (issue 17): numbers where text belongs, an
//! ID number that contradicts the row, a footer under the table, headers with
//! line breaks, units named by path or code, short forms — read right or refused
//! by row and column, and whatever is not imported named, never dropped silently.

use ganshi::enums::*;
use ganshi::records::units::UnitInput;

use crate::support::*;

/// A cell as a clerk typed it: text, or a number (Excel keeps 1978.10 as 1978.1).
enum C {
    T(&'static str),
    N(f64),
}

fn xlsx(rows: &[Vec<C>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                C::T(t) => ws.write_string(r, c, *t).map(|_| ()),
                C::N(n) => ws.write_number(r, c, *n).map(|_| ()),
            }
            .expect("cell");
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

fn unit(f: &mut Fixture, parent: i64, code: &str, name: &str) -> i64 {
    f.archive
        .create_unit(UnitInput {
            parent_id: Some(parent),
            code: code.into(),
            name: name.into(),
            kind: UnitKind::Office,
            sort_order: 0,
        })
        .expect("unit")
        .id
}

/// 燕州市 → 市财政局 → 综合科, 燕州市 → 市卫生健康委员会 → 综合科 (two 综合科).
fn two_offices() -> Fixture {
    let mut f = fixture();
    let root = f.unit;
    let finance = unit(&mut f, root, "1301-CZ", "市财政局");
    let health = unit(&mut f, root, "1301-WJ", "市卫生健康委员会");
    unit(&mut f, finance, "1301-CZ-01", "综合科");
    unit(&mut f, health, "1301-WJ-01", "综合科");
    f
}

fn import(
    f: &mut Fixture,
    bytes: Vec<u8>,
    dry_run: bool,
) -> (ganshi::formats::import::ImportPreview, Vec<String>, Vec<String>) {
    let preview = import_file(&mut f.archive, "花名册.xlsx", bytes, None, dry_run);
    let errors = preview.errors.iter().map(ToString::to_string).collect();
    let warnings = preview.warnings.iter().map(ToString::to_string).collect();
    (preview, errors, warnings)
}

const HEADER: [&str; 10] =
    ["序号", "姓　名", "性别", "出生日期", "民族", "单位", "职级", "公民身份号码", "学历\n学位", "现任职务"];

fn header() -> Vec<C> {
    HEADER.iter().map(|h| C::T(h)).collect()
}

#[test]
fn a_messy_roster_is_read_right_and_says_what_it_did_not_import() {
    let mut f = two_offices();
    let rows = vec![
        vec![C::T("燕州市干部花名册")],
        {
            let mut h = header();
            h.push(C::T("家庭住址"));
            h.push(C::T("单位代码"));
            h
        },
        // Full-width ID digits, a name with a full-width space, short forms, a unit by path.
        vec![
            C::N(1.0),
            C::T("赵　立新"),
            C::T("男"),
            C::N(1978.1),
            C::T("汉"),
            C::T("市财政局/综合科"),
            C::T("正科"),
            C::T("１３０２２３１９７８１００１１２３５"),
            C::T("本科"),
            C::T("综合科科长"),
            C::T("某小区"),
        ],
        // Text 1978.1 is January; a unit by its code.
        vec![
            C::N(2.0),
            C::T("钱晓红"),
            C::T("女"),
            C::T("1975.3"),
            C::T("回"),
            C::T(""),
            C::T("副科"),
            C::T("130223197503011243"),
            C::T("硕士研究生"),
            C::T("综合科副科长"),
            C::T(""),
            C::T("1301-WJ-01"),
        ],
        // A unit by its usual short name: taken, and said.
        vec![
            C::N(3.0),
            C::T("孙伟"),
            C::T("男"),
            C::T("1980.01"),
            C::T("汉族"),
            C::T("市卫健委"),
            C::T("科员"),
            C::T(""),
            C::T("大学"),
            C::T("科员"),
        ],
        vec![C::T("填表人：王五　　审核人：李六")],
        vec![C::T("制表日期：2025年1月")],
    ];
    let (preview, errors, warnings) = import(&mut f, xlsx(&rows), false);
    assert!(errors.is_empty(), "{errors:?} {warnings:?}");
    assert!(preview.committed && preview.created == 3, "{preview:?}");
    // Named, not dropped: the column that is not imported and the two footer lines.
    assert!(warnings.iter().any(|w| w.contains("K 列") && w.contains("「家庭住址」列不是能导入的列")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("第 6 行") && w.contains("填表人")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("第 7 行") && w.contains("制表日期")), "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("第 5 行 F 列（单位）")
                && w.contains("「市卫健委」按简称对应为「燕州市/市卫生健康委员会」")),
        "{warnings:?}"
    );
    assert_eq!(warnings.len(), 4, "序号 needs no warning: {warnings:?}");
    let zhao = f.archive.cadres(None, Some("赵立新")).expect("list").remove(0);
    assert_eq!(zhao.fields.birth, "1978-10", "1978.1 as a number: the ID number says October");
    assert_eq!(zhao.fields.id_number.as_deref(), Some("130223197810011235"), "full-width digits");
    assert_eq!(zhao.fields.ethnicity, "汉族");
    assert_eq!(zhao.fields.rank, "正科级");
    assert_eq!(zhao.fields.education, "大学");
    let unit = f.archive.unit(zhao.fields.unit_id).expect("unit");
    assert_eq!((unit.fields.code.as_str(), unit.fields.name.as_str()), ("1301-CZ-01", "综合科"), "the path chose it");
    let qian = f.archive.cadres(None, Some("钱晓红")).expect("list").remove(0);
    assert_eq!((qian.fields.birth.as_str(), qian.fields.education.as_str()), ("1975-03", "研究生"));
    assert_eq!(f.archive.unit(qian.fields.unit_id).expect("unit").fields.code, "1301-WJ-01", "by its code");
    assert_eq!((qian.fields.ethnicity.as_str(), qian.fields.rank.as_str()), ("回族", "副科级"));
    let sun = f.archive.cadres(None, Some("孙伟")).expect("list").remove(0);
    assert_eq!(f.archive.unit(sun.fields.unit_id).expect("unit").fields.name, "市卫生健康委员会");
}

#[test]
fn rows_that_contradict_themselves_are_refused_by_row_and_column() {
    let mut f = two_offices();
    let row = |n: f64, name: &'static str, gender: &'static str, birth: C, unit: &'static str, id: C| {
        vec![
            C::N(n),
            C::T(name),
            C::T(gender),
            birth,
            C::T("汉族"),
            C::T(unit),
            C::T("科员"),
            id,
            C::T("大学"),
            C::T("科员"),
        ]
    };
    let rows = vec![
        header(),
        // The ID says October 1978 and male.
        row(1.0, "甲", "男", C::T("1978.11"), "市财政局/综合科", C::T("130223197810011235")),
        row(2.0, "乙", "女", C::T("1978.10"), "市财政局/综合科", C::T("130223197810011235")),
        // 1978.1 as a number and no ID: January or October?
        row(3.0, "丙", "男", C::N(1978.1), "市财政局/综合科", C::T("")),
        // An ID Excel turned into a number.
        row(4.0, "丁", "男", C::T("1978.10"), "市财政局/综合科", C::N(130223197810011235.0)),
        // Two 综合科: which one?
        row(5.0, "戊", "男", C::T("1980.05"), "综合科", C::T("")),
    ];
    let mut with_work = header();
    with_work.push(C::T("参加工作时间"));
    let mut young = row(6.0, "己", "男", C::T("1980.05"), "市财政局/综合科", C::T(""));
    young.push(C::T("1992.09"));
    let mut rows2 = vec![with_work];
    rows2.push(young);
    let (preview, errors, _) = import(&mut f, xlsx(&rows), true);
    assert!(!preview.committed && preview.created == 0);
    let has = |line: &str, what: &[&str]| errors.iter().any(|e| e.contains(line) && what.iter().all(|w| e.contains(w)));
    assert!(has("第 2 行 D 列（出生日期）", &["1978-11", "1978-10", "不一致"]), "{errors:?}");
    assert!(has("第 3 行 C 列（性别）", &["女", "男", "不一致"]), "{errors:?}");
    assert!(has("第 4 行 D 列（出生日期）", &["1 月", "10 月", "1978.01"]), "{errors:?}");
    assert!(has("第 5 行 H 列（公民身份号码）", &["存成了数字", "文本"]), "{errors:?}");
    assert!(has("第 6 行 F 列（单位）", &["燕州市/市财政局/综合科", "燕州市/市卫生健康委员会/综合科"]), "{errors:?}");
    assert!(errors.iter().all(|e| !e.contains("idNumber") && !e.contains("字段")), "no internal names: {errors:?}");
    let (_, errors, _) = import(&mut f, xlsx(&rows2), true);
    assert!(errors.iter().any(|e| e.contains("第 2 行 K 列（参加工作时间）") && e.contains("12 岁")), "{errors:?}");
}

/// A 管理权限 column is read (县管 / 县管干部 / 区管 …), a value that is none of them
/// refused by row and column; without the column the level chosen at import applies.
#[test]
fn the_management_level_column_is_read_and_checked() {
    use ganshi::formats::import::{ImportOptions, InputFile};
    let mut f = fixture();
    let header = || {
        vec![
            C::T("姓名"),
            C::T("性别"),
            C::T("出生年月"),
            C::T("民族"),
            C::T("现任职务"),
            C::T("单位"),
            C::T("管理权限"),
        ]
    };
    let rows = vec![
        header(),
        vec![C::T("韩明"), C::T("男"), C::T("1980.03"), C::T("汉族"), C::T("科员"), C::T("燕州市"), C::T("县管干部")],
        vec![C::T("韩亮"), C::T("男"), C::T("1981.04"), C::T("汉族"), C::T("科员"), C::T("燕州市"), C::T("")],
    ];
    let files = [InputFile { name: "名册.xlsx".into(), bytes: xlsx(&rows) }];
    let options = ImportOptions { unit: None, level: Some(ManagementLevel::City) };
    let done = f.archive.import_files_with(&files, options, false, &ganshi::Job::new()).expect("import");
    assert!(done.committed, "{:?}", done.errors);
    let level = |name: &str| f.archive.cadres(None, Some(name)).expect("list")[0].fields.management_level;
    assert_eq!((level("韩明"), level("韩亮")), (ManagementLevel::County, ManagementLevel::City));
    let bad = vec![
        header(),
        vec![C::T("韩光"), C::T("男"), C::T("1982.05"), C::T("汉族"), C::T("科员"), C::T("燕州市"), C::T("乡管")],
    ];
    let files = [InputFile { name: "名册2.xlsx".into(), bytes: xlsx(&bad) }];
    let refused = f.archive.import_files_with(&files, options, false, &ganshi::Job::new()).expect("preview");
    let errors: Vec<String> = refused.errors.iter().map(ToString::to_string).collect();
    assert!(
        errors.iter().any(|e| e.contains("第 2 行") && e.contains("G 列") && e.contains("管理权限「乡管」")),
        "{errors:?}"
    );
}
