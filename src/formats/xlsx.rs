//! Excel exports: the unit's yearly appraisal roster (考核结果汇总表) and the
//! promotion comparison, with headers, widths, a frozen header row, A4 print
//! setup with the header repeated on every page, and Chinese formats.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::assessment::AssessmentReport;
use crate::assessment::promotion::PromotionSummary;
use crate::error::{Error, Result};
use crate::records::cadres::Cadre;

fn xl(e: XlsxError) -> Error {
    Error::State(format!("无法生成 Excel 文件：{e}"))
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    number: Format,
}

fn formats() -> Formats {
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_font_name("宋体").set_font_size(11);
    Formats {
        title: Format::new().set_bold().set_font_size(16).set_font_name("黑体").set_align(FormatAlign::Center),
        header: border(Format::new())
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0x00DD_EBF7)),
        text: border(Format::new()).set_text_wrap().set_align(FormatAlign::VerticalCenter),
        number: border(Format::new()).set_num_format("0.00").set_align(FormatAlign::VerticalCenter),
    }
}

/// Title on row 0, headers on row 1 (frozen, repeated when printed), A4.
fn sheet_setup(ws: &mut Worksheet, f: &Formats, title: &str, headers: &[(&str, f64)], landscape: bool) -> Result<()> {
    let last = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    ws.merge_range(0, 0, 0, last, title, &f.title).map_err(xl)?;
    ws.set_row_height(0, 30).map_err(xl)?;
    for (i, (h, w)) in headers.iter().enumerate() {
        let c = u16::try_from(i).unwrap_or(u16::MAX);
        ws.write_string_with_format(1, c, *h, &f.header).map_err(xl)?;
        ws.set_column_width(c, *w).map_err(xl)?;
    }
    ws.set_freeze_panes(2, 0).map_err(xl)?;
    ws.set_paper_size(9); // A4
    if landscape {
        ws.set_landscape();
    }
    ws.set_repeat_rows(0, 1).map_err(xl)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

fn birth_text(ym: &str) -> String {
    ym.replace('-', ".")
}

pub const ROSTER_HEADERS: [&str; 14] = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "单位",
    "职务",
    "实绩",
    "官评",
    "民评",
    "扣减",
    "综合得分",
    "建议等次",
    "确定等次",
    "说明",
];

/// The yearly appraisal roster of a unit.
pub fn appraisal_roster(report: &AssessmentReport, unit_name: &str, cadres: &[Cadre]) -> Result<Vec<u8>> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(format!("{}年度考核", report.year)).map_err(xl)?;
    let widths = [6.0, 10.0, 6.0, 10.0, 22.0, 24.0, 8.0, 8.0, 8.0, 8.0, 10.0, 10.0, 10.0, 36.0];
    let headers: Vec<(&str, f64)> = ROSTER_HEADERS.iter().copied().zip(widths).collect();
    sheet_setup(ws, &f, &format!("{}{}年度考核结果汇总表", unit_name, report.year), &headers, true)?;
    // In post order: by 职级 (正职 before 副职, higher levels first), then by name.
    let rank_of = |id: i64| cadres.iter().find(|c| c.id == id).map_or(usize::MAX, |c| rank_order(&c.fields.rank));
    let mut rows: Vec<&crate::assessment::yearly::CadreAssessment> = report.cadres.iter().collect();
    rows.sort_by(|a, b| rank_of(a.cadre_id).cmp(&rank_of(b.cadre_id)).then_with(|| a.name.cmp(&b.name)));
    for (i, a) in rows.into_iter().enumerate() {
        let r = u32::try_from(i + 2).unwrap_or(u32::MAX);
        let cadre = cadres.iter().find(|c| c.id == a.cadre_id);
        // In the words of the cadre's own form (事业单位 staff: 合格 …).
        let category = cadre.map(|c| c.fields.staff_category).unwrap_or_default();
        let final_grade = a.final_grade.as_ref().map(|g| g.fields.grade.word(category).to_owned()).unwrap_or_default();
        let note = match &a.final_grade {
            Some(g) if !g.fields.reason.is_empty() => g.fields.reason.clone(),
            _ => super::confidential::reasons(&a.suggested.reasons).join("；"),
        };
        let texts = [
            (1, a.name.clone()),
            (2, cadre.map(|c| c.fields.gender.to_string()).unwrap_or_default()),
            (3, cadre.map(|c| birth_text(&c.fields.birth)).unwrap_or_default()),
            (4, a.unit_name.clone()),
            (5, a.post.clone()),
            (11, a.suggested.grade.word(category).to_owned()),
            (12, final_grade),
            (13, note),
        ];
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.text).map_err(xl)?;
        for (c, t) in texts {
            ws.write_string_with_format(r, c, t, &f.text).map_err(xl)?;
        }
        for (c, e) in [(6, &a.achievement), (7, &a.official), (8, &a.public), (9, &a.deductions), (10, &a.composite)] {
            match e.value {
                Some(v) => ws.write_number_with_format(r, c, v, &f.number).map_err(xl)?,
                None => ws.write_string_with_format(r, c, "—", &f.text).map_err(xl)?,
            };
        }
    }
    // The summary line organization departments write under the table, then who filled it in.
    let n = report.cadres.len();
    let decided = report.cadres.iter().filter(|a| a.final_grade.is_some()).count();
    let excellent = report
        .cadres
        .iter()
        .filter(|a| {
            a.final_grade.as_ref().map_or(a.suggested.grade, |g| g.fields.grade) == crate::enums::Grade::Excellent
        })
        .count();
    let share = if n == 0 { 0.0 } else { excellent as f64 * 100.0 / n as f64 };
    let allowed: usize = report.quotas.iter().map(|q| q.allowed).sum();
    let basis =
        if decided == n && n > 0 { "确定等次" } else { "已确定的等次与尚未确定者的建议等次" };
    let last = u32::try_from(n + 3).unwrap_or(u32::MAX);
    ws.write_string(
        last,
        0,
        format!("参加考核 {n} 人，优秀 {excellent} 人，占 {share:.1}%，优秀名额 {allowed} 名（按{basis}统计）。"),
    )
    .map_err(xl)?;
    ws.write_string(last + 1, 0, format!("统计日期：{}；考核方案第 {} 版。", report.as_of, report.scheme_version))
        .map_err(xl)?;
    ws.write_string(last + 3, 0, "填表人：").map_err(xl)?;
    ws.write_string(last + 3, 4, "审核人：").map_err(xl)?;
    ws.write_string(last + 3, 9, "单位（盖章）：").map_err(xl)?;
    ws.write_string(last + 4, 9, "        年    月    日").map_err(xl)?;
    wb.save_to_buffer().map_err(xl)
}

/// Where a 职级 stands in a unit's list: 正 before 副 at each level, higher levels
/// first; 职级 names (一级巡视员 … 四级主任科员) among them; anything else last.
fn rank_order(rank: &str) -> usize {
    let order = super::normalize::RANKS;
    order.iter().position(|r| *r == rank).unwrap_or(order.len())
}

/// The promotion comparison: one column per candidate.
/// What the comparison shows of a candidate besides the promotion summary.
pub struct Candidate {
    /// Full years at the summary's as-of date.
    pub age: String,
    pub post_since: String,
    pub rank: String,
    pub education: String,
    /// The unit's full path, 「燕州市 / 丰河县 / 发改局」.
    pub unit_path: String,
    /// The year's composite score and suggested grade.
    pub composite: String,
    pub suggested: String,
}

pub fn comparison(summaries: &[PromotionSummary], candidates: &[Candidate]) -> Result<Vec<u8>> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("任用比较").map_err(xl)?;
    let mut headers: Vec<(&str, f64)> = vec![("项目", 22.0)];
    headers.extend(summaries.iter().map(|s| (s.name.as_str(), 30.0)));
    let year = summaries.first().map_or(0, |s| s.year);
    sheet_setup(ws, &f, &format!("干部任用比较（{year} 年）"), &headers, summaries.len() > 3)?;
    let of = |get: fn(&Candidate) -> &String| candidates.iter().map(|c| get(c).clone()).collect::<Vec<_>>();
    let mut rows: Vec<(String, Vec<String>)> = vec![
        ("单位".into(), of(|c| &c.unit_path)),
        ("职务".into(), summaries.iter().map(|s| s.post.clone()).collect()),
        ("职级".into(), of(|c| &c.rank)),
        ("年龄".into(), of(|c| &c.age)),
        ("任现职时间".into(), of(|c| &c.post_since)),
        ("学历".into(), of(|c| &c.education)),
        (format!("{year} 年综合得分"), of(|c| &c.composite)),
        (format!("{year} 年建议等次"), of(|c| &c.suggested)),
    ];
    let dims: Vec<String> =
        summaries.first().map(|s| s.dimensions.iter().map(|d| d.name.clone()).collect()).unwrap_or_default();
    for (k, name) in dims.iter().enumerate() {
        rows.push((
            name.clone(),
            summaries
                .iter()
                .map(|s| {
                    s.dimensions
                        .get(k)
                        .map(|d| format!("{}（{}）", d.level, d.score.value.map_or("—".into(), |v| format!("{v:.2}"))))
                        .unwrap_or_default()
                })
                .collect(),
        ));
    }
    rows.push((
        "近年考核等次".into(),
        summaries
            .iter()
            .map(|s| {
                s.grades
                    .iter()
                    .map(|g| format!("{}：{}", g.year, g.grade.map_or("—".to_owned(), |x| x.to_string())))
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .collect(),
    ));
    rows.push((
        "任用资格".into(),
        summaries
            .iter()
            .map(|s| {
                if s.eligible {
                    "符合".to_owned()
                } else {
                    let why: Vec<String> = s
                        .eligibility
                        .iter()
                        .filter(|e| !e.passed)
                        .map(|e| format!("{}：{}", e.rule, super::confidential::detail(&e.detail)))
                        .collect();
                    format!("不符合（{}）", why.join("；"))
                }
            })
            .collect(),
    ));
    for (i, (label, values)) in rows.iter().enumerate() {
        let r = u32::try_from(i + 2).unwrap_or(u32::MAX);
        ws.write_string_with_format(r, 0, label, &f.header).map_err(xl)?;
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, u16::try_from(c + 1).unwrap_or(u16::MAX), v, &f.text).map_err(xl)?;
        }
    }
    wb.save_to_buffer().map_err(xl)
}
