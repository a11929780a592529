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
