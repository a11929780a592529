//! Word exports: the 年度考核登记表 laid out as the standard form, and the
//! 干事档案 dossier of a cadre. A4, 宋体/黑体, tables with borders.

use docx_rs::{
    AlignmentType, BreakType, Docx, Header, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow,
    VAlignType, WidthType,
};

use crate::error::{Error, Result};

/// A4 text width with 2.5 cm side margins, in twentieths of a point.
const WIDTH: usize = 9_072;

fn doc() -> Docx {
    Docx::new()
        .page_size(11_906, 16_838)
        .page_margin(PageMargin::new().top(1_417).bottom(1_417).left(1_417).right(1_417))
        .default_fonts(RunFonts::new().east_asia("宋体").ascii("Times New Roman"))
        .default_size(24)
}

pub(crate) fn pack(d: Docx) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| Error::State(format!("无法生成 Word 文件：{e}")))?;
    Ok(out.into_inner())
}

pub(crate) fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).size(36).bold().fonts(RunFonts::new().east_asia("黑体")))
        .align(AlignmentType::Center)
}

pub(crate) fn heading(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).size(28).bold().fonts(RunFonts::new().east_asia("黑体")))
}

/// A paragraph; each line of `text` is its own line.
pub(crate) fn para(text: &str) -> Paragraph {
    let mut p = Paragraph::new();
    for (i, line) in text.split('\n').enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(run.add_text(line));
    }
    p
}

fn cell(text: &str, span: usize, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(para(text))
        .grid_span(span)
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn label(text: &str, span: usize, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(para(text).align(AlignmentType::Center))
        .grid_span(span)
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

/// A label on the left and a tall free-text box (text from the top) over the remaining columns.
fn block(name: &str, body: &str, height: f32, cols: usize, col: usize) -> TableRow {
    let text = cell(body, cols - 1, col * (cols - 1)).vertical_align(VAlignType::Top);
    // A box never splits across pages: its signature line stays with it.
    TableRow::new(vec![label(name, 1, col), text]).row_height(height).cant_split()
}

/// What the 年度考核登记表 holds for one cadre.
pub struct AppraisalForm {
    pub year: i32,
    pub unit: String,
    pub name: String,
    pub gender: String,
    pub birth: String,
    pub political: String,
    pub unit_and_post: String,
    pub post_since: String,
    pub duties: String,
    pub summary: String,
    pub leader_comment: String,
    pub committee: String,
    pub undetermined: String,
    /// 人员类别: the 事业单位工作人员 form for 事业单位 staff.
    pub staff: crate::enums::StaffCategory,
}

/// The form's title and the words of its rows that differ by 人员类别.
struct FormWords {
    title: &'static str,
    post: &'static str,
    since: &'static str,
    committee: &'static str,
}

impl FormWords {
    fn of(staff: crate::enums::StaffCategory) -> FormWords {
        match staff {
            crate::enums::StaffCategory::Institution => FormWords {
                title: "事业单位工作人员年度考核登记表",
                post: "单位及岗位",
                since: "任现岗位时间",
                committee: "单位负责人或考核委员会意见",
            },
            _ => FormWords {
                title: "公务员年度考核登记表",
                post: "单位及职务职级",
                since: "任现职务职级时间",
                committee: "机关负责人或考核委员会意见",
            },
        }
    }
}

/// The 公务员年度考核登记表 as organization departments print it, filled from the
/// archive: 姓名 · 性别 · 出生年月 / 政治面貌 · 任现职务职级时间 / 单位及职务职级 /
/// 从事或分管工作 / 个人总结 / 主管领导评语和考核等次建议 / 机关负责人或考核委员会意见 /
/// 本人意见 / 未确定等次或不参加考核情况说明 — no 文化程度 row. Every box that is signed
/// keeps its signature line at its bottom.
pub fn appraisal_form(f: &AppraisalForm) -> Result<Vec<u8>> {
    let words = FormWords::of(f.staff);
    let cols = 6;
    let col = WIDTH / cols;
    let sign = "\n\n签名：                    年    月    日";
    let rows = vec![
        TableRow::new(vec![
            label("姓名", 1, col),
            cell(&f.name, 1, col),
            label("性别", 1, col),
            cell(&f.gender, 1, col),
            label("出生年月", 1, col),
            cell(&f.birth, 1, col),
        ])
        .row_height(560.0),
        TableRow::new(vec![
            label("政治面貌", 1, col),
            cell(&f.political, 1, col),
            label(words.since, 2, col * 2),
            cell(&f.post_since, 2, col * 2),
        ])
        .row_height(560.0),
        TableRow::new(vec![label(words.post, 1, col), cell(&f.unit_and_post, 5, col * 5)]).row_height(560.0),
        TableRow::new(vec![label("从事或分管工作", 1, col), cell(&f.duties, 5, col * 5)]).row_height(700.0),
        block("个人总结", &format!("{}{sign}", f.summary), 3_800.0, cols, col),
        block("主管领导评语和考核等次建议", &format!("{}{sign}", f.leader_comment), 2_000.0, cols, col),
        block(
            words.committee,
            &format!("{}\n\n（盖章）                    年    月    日", f.committee),
            1_600.0,
            cols,
            col,
        ),
        block("本人意见", sign, 900.0, cols, col),
        block("未确定等次或不参加考核情况说明", &f.undetermined, 700.0, cols, col),
    ];
    let table = Table::new(rows).set_grid(vec![col; cols]).width(WIDTH, WidthType::Dxa);
    // Every page carries whose form it is and the year, should the content run long.
    let header = Header::new().add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(format!("{} · {}年度{}", f.name, f.year, words.title)).size(18))
            .align(AlignmentType::Right),
    );
    let d = doc()
        .header(header)
        .add_paragraph(para(&format!("（{}年度）", f.year)))
        .add_paragraph(title(words.title))
        .add_paragraph(para(&format!("单位：{}", f.unit)).align(AlignmentType::Left))
        .add_table(table);
    pack(d)
}

/// A two-column table of label/value rows.
pub(crate) fn facts(rows: &[(&str, String)]) -> Table {
    let left = WIDTH / 4;
    Table::new(rows.iter().map(|(k, v)| TableRow::new(vec![label(k, 1, left), cell(v, 1, WIDTH - left)])).collect())
        .set_grid(vec![left, WIDTH - left])
        .width(WIDTH, WidthType::Dxa)
}

/// A table with a header row.
pub(crate) fn grid(headers: &[&str], widths: &[usize], rows: &[Vec<String>]) -> Table {
    let total: usize = widths.iter().sum();
    let scale = |w: usize| w * WIDTH / total.max(1);
    let mut out = vec![TableRow::new(headers.iter().zip(widths).map(|(h, w)| label(h, 1, scale(*w))).collect())];
    for r in rows {
        out.push(TableRow::new(r.iter().zip(widths).map(|(v, w)| cell(v, 1, scale(*w))).collect()));
    }
    Table::new(out).set_grid(widths.iter().map(|w| scale(*w)).collect()).width(WIDTH, WidthType::Dxa)
}

/// A document of paragraphs and tables, in order.
pub(crate) enum Block {
    Title(String),
    Heading(String),
    Text(String),
    Table(Box<Table>),
    /// What follows starts on a new page.
    PageBreak,
}

impl Block {
    pub(crate) fn table(t: Table) -> Block {
        Block::Table(Box::new(t))
    }
}

pub(crate) fn document(blocks: Vec<Block>) -> Result<Vec<u8>> {
    let mut d = doc();
    for b in blocks {
        d = match b {
            Block::Title(t) => d.add_paragraph(title(&t)),
            Block::Heading(t) => d.add_paragraph(heading(&t)),
            Block::Text(t) => d.add_paragraph(para(&t)),
            Block::Table(t) => d.add_table(*t).add_paragraph(Paragraph::new()),
            Block::PageBreak => d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
        };
    }
    pack(d)
}
