//! Cadre rosters (花名册) in Excel (.xlsx; .xls/.et where calamine reads them):
//! the header row is found by its 姓名 cell and columns are mapped by their
//! usual Chinese headers; every problem names the row and the column.

use calamine::{Data, Reader};

use super::FormatError;
use super::import::Incoming;
use crate::records::units::Unit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Col {
    Name,
    Gender,
    Birth,
    Ethnicity,
    NativePlace,
    Post,
    Rank,
    Unit,
    UnitCode,
    Party,
    WorkStart,
    Education,
    IdNumber,
    Level,
    Category,
}

/// Accepted headers for each column (spaces, line breaks and a parenthetical such
/// as 「（岁）」 ignored). docs/formats.md lists them.
pub(super) const HEADERS: &[(Col, &[&str])] = &[
    (Col::Name, &["姓名"]),
    (Col::Gender, &["性别"]),
    (Col::Birth, &["出生年月", "出生日期", "出生年月日", "出生时间"]),
    (Col::Ethnicity, &["民族"]),
    (Col::NativePlace, &["籍贯"]),
    (Col::Post, &["现任职务", "职务", "现职务", "现任职务全称", "职务名称"]),
    (Col::Rank, &["职级", "职务层次", "职级层次", "级别", "现职级", "现任职级"]),
    (Col::Unit, &["单位", "工作单位", "所在单位", "现工作单位", "单位名称"]),
    (Col::UnitCode, &["单位代码", "单位编码", "单位编号"]),
    (Col::Party, &["入党时间", "入党年月", "入党日期"]),
    (Col::WorkStart, &["参加工作时间", "参加工作年月", "参加工作日期"]),
    (Col::Education, &["学历", "文化程度", "最高学历", "学历学位", "全日制学历", "全日制教育学历"]),
    (Col::IdNumber, &["身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证"]),
    (Col::Level, &["管理权限", "干部管理权限", "管理类别", "管理层次"]),
    (Col::Category, &["人员类别", "人员身份", "身份类别", "编制类别"]),
];

/// Headers of columns that hold nothing to import and need no warning.
pub(super) const COUNTERS: &[&str] = &["序号", "编号", "序", "No", "NO", "no"];

const MAX_ROWS: usize = 200_000;

pub(super) fn column_letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s
}

/// Excel serial day → `YYYY-MM`.
fn serial_month(serial: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))?;
    Some(d.format("%Y-%m").to_string())
}

pub(super) fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        // 1978.10 typed in a number cell shows as 1978.1: keep two decimals.
        Data::Float(f) => format!("{f:.2}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_month(d.as_f64()).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.get(..7).unwrap_or(s).to_owned(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// The first sheet's non-empty rows: each with its 0-based sheet row and its
/// cells from column `col0` on. Only cells that hold something are kept, so
/// memory follows the file's real content, never its declared size.
pub(super) struct Sheet {
    pub col0: usize,
    pub rows: Vec<(usize, Vec<Data>)>,
}

/// A roster is a few thousand people and a few dozen columns: anything larger is refused.
const MAX_COLS: usize = 500;
/// Cells holding something, and row slots once the rows are laid out (a roster of 20,000 people
/// and 50 columns is a million): memory stays within about 64 MB of cells.
const MAX_CELLS: usize = 2_000_000;
/// The uncompressed parts of an .xlsx, together (declared in the zip directory; checked before reading).
const MAX_UNPACKED: u64 = 256 << 20;

fn cell_name(row: usize, col: usize) -> String {
    format!("{}{}", column_letter(col), row + 1)
}

/// Check what an .xlsx really unpacks to before calamine reads any of it: the
/// declared sizes first, then every entry unpacked into nothing, counting. A
/// deflate stream can unpack to about a thousand times its size; the zip reader
/// stops at the size an entry declares, and this pass makes that refusal name
/// the part, before calamine holds any of it (it reads the shared strings whole).
fn unpacked_within_limit(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>) -> Result<(), String> {
    let too_big =
        |bytes: u64| format!("表格解压后超过 {} MB（上限 {} MB），不像一份花名册", bytes >> 20, MAX_UNPACKED >> 20);
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map_err(|e| format!("无法读取表格：{e}"))?.size();
        declared = declared.saturating_add(size);
    }
    if declared > MAX_UNPACKED {
        return Err(too_big(declared));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| format!("无法读取表格：{e}"))?;
        let (name, size) = (entry.name().map(|n| n.into_owned()).unwrap_or_default(), entry.size());
        let left = MAX_UNPACKED - total;
        let read = std::io::copy(&mut std::io::Read::take(&mut entry, left + 1), &mut std::io::sink())
            // The zip reader itself stops where the declared size ends.
            .map_err(|_| {
                format!("表格中的「{name}」无法解压：文件已损坏，或解压后比它声明的大小（{size} 字节）更大")
            })?;
        if read > size {
            return Err(format!("表格中的「{name}」解压后比它声明的大小（{size} 字节）更大：文件已损坏或经过篡改"));
        }
        total += read;
        if total > MAX_UNPACKED {
            return Err(too_big(total));
        }
    }
    Ok(())
}

/// Read the first sheet of an .xlsx cell by cell (the declared dimension is
/// checked before any cell is read, and every cell's position as it comes), or
/// of another format calamine reads (.xls/.et, whose format caps the sheet).
fn sheet(file: &str, bytes: &[u8]) -> Result<Sheet, FormatError> {
    let whole = |m: String| FormatError::new(file, "", m);
    if bytes.starts_with(b"PK") {
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| whole(format!("无法读取表格：{e}")))?;
        unpacked_within_limit(&mut zip).map_err(whole)?;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| whole(format!("无法读取表格：{e}")))?;
        let name = book.sheet_names().first().cloned().ok_or_else(|| whole("表格中没有工作表".to_owned()))?;
        let mut cells =
            book.worksheet_cells_reader(&name).map_err(|e| whole(format!("无法读取工作表「{name}」：{e}")))?;
        let d = cells.dimensions();
        let (rows, cols) =
            (d.end.0.saturating_sub(d.start.0) as usize + 1, d.end.1.saturating_sub(d.start.1) as usize + 1);
        if rows > MAX_ROWS || cols > MAX_COLS {
            return Err(whole(format!(
                "工作表「{name}」声明的范围 {}:{} 有 {rows} 行、{cols} 列，超过上限（{MAX_ROWS} 行、{MAX_COLS} 列）；请只保留花名册所在的区域后再导入",
                cell_name(d.start.0 as usize, d.start.1 as usize),
                cell_name(d.end.0 as usize, d.end.1 as usize)
            )));
        }
        let mut by_row: std::collections::BTreeMap<usize, Vec<(usize, Data)>> = std::collections::BTreeMap::new();
        let mut kept = 0usize;
        while let Some(cell) = cells.next_cell().map_err(|e| whole(format!("无法读取工作表「{name}」：{e}")))?
        {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            let value = Data::from(cell.get_value().clone());
            // A formatted but empty cell holds nothing (calamine's ranges ignore them too).
            if matches!(value, Data::Empty) {
                continue;
            }
            if r >= MAX_ROWS || c >= MAX_COLS {
                return Err(FormatError::new(
                    file,
                    &format!("第 {} 行 {} 列", r + 1, column_letter(c)),
                    format!("单元格 {} 超出花名册的上限（{MAX_ROWS} 行、{MAX_COLS} 列）", cell_name(r, c)),
                ));
            }
            kept += 1;
            if kept > MAX_CELLS {
                return Err(whole(format!("工作表「{name}」的内容超过 {MAX_CELLS} 个单元格，不像一份花名册")));
            }
            by_row.entry(r).or_default().push((c, value));
        }
        let col0 = by_row.values().flatten().map(|(c, _)| *c).min().unwrap_or(0);
        // Each row as wide as its last cell: together at most MAX_CELLS slots (a row with a
        // cell in column A and one in column SF would otherwise take 500 slots for 2 cells).
        let slots: usize =
            by_row.values().map(|cells| cells.iter().map(|(c, _)| c - col0 + 1).max().unwrap_or(0)).sum();
        if slots > MAX_CELLS {
            return Err(whole(format!("工作表「{name}」过于稀疏宽大（{slots} 个单元格位置），不像一份花名册")));
        }
        let rows = by_row
            .into_iter()
            .map(|(r, cells)| {
                let width = cells.iter().map(|(c, _)| c - col0 + 1).max().unwrap_or(0);
                let mut row = vec![Data::Empty; width];
                for (c, v) in cells {
                    row[c - col0] = v;
                }
                (r, row)
            })
            .collect();
        return Ok(Sheet { col0, rows });
    }
    // An .xls (.et): calamine reserves and lays out every sheet's grid when it opens
    // the workbook, so the grids are checked first, from the file's records.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        for span in super::biff::sheet_spans(bytes).map_err(whole)? {
            let (rows, cols) = span.size();
            if rows > MAX_ROWS as u64 || cols > MAX_COLS as u64 || rows * cols > MAX_CELLS as u64 {
                let (r0, c0, r1, c1) = span.cells;
                return Err(whole(format!(
                    "工作表「{}」{} {}:{}（{rows} 行 × {cols} 列），超过上限（{MAX_ROWS} 行、{MAX_COLS} 列、{MAX_CELLS} 个单元格位置）；请只保留花名册所在的区域后再导入",
                    span.sheet,
                    if span.declared { "声明的范围为" } else { "的内容分布在" },
                    cell_name(r0 as usize, c0 as usize),
                    cell_name(r1 as usize, c1 as usize)
                )));
            }
        }
    }
    // calamine may still panic on a damaged file the checks above let through (a
    // record shorter than it expects): that is a damaged file to the user, not a
    // crash of the app, and no backtrace on the terminal.
    quiet_calamine_panics();
    let opened = std::panic::catch_unwind(|| {
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .map_err(|e| format!("无法读取表格：{e}"))?;
        let name = book.sheet_names().first().cloned().ok_or_else(|| "表格中没有工作表".to_owned())?;
        let range = book.worksheet_range(&name).map_err(|e| format!("无法读取工作表「{name}」：{e}"))?;
        Ok::<_, String>(range)
    });
    let range = match opened {
        Ok(r) => r.map_err(whole)?,
        Err(_) => return Err(whole("无法读取表格：文件已损坏".to_owned())),
    };
    if range.height() > MAX_ROWS {
        return Err(whole(format!("行数过多（{} 行，上限 {MAX_ROWS}）", range.height())));
    }
    let (row0, col0) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let rows = range
        .rows()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)))
        .map(|(i, r)| (row0 + i, r.to_vec()))
        .collect();
    Ok(Sheet { col0, rows })
}

/// Leave panics raised inside calamine unprinted (they are caught and reported as a
/// damaged file); every other panic is printed as before.
fn quiet_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.location().is_some_and(|l| l.file().contains("/calamine-")) {
                previous(info);
            }
        }));
    });
}

/// What a roster gave: the people, the rows refused (each with its reason) and
/// what was read but not imported (columns, footer lines), named.
pub struct RosterRead {
    pub people: Vec<Incoming>,
    pub errors: Vec<FormatError>,
    pub warnings: Vec<FormatError>,
}

/// Read a roster: the people in it and the problems, or a problem with the whole file.
pub fn read(file: &str, bytes: &[u8], units: &[Unit]) -> Result<RosterRead, FormatError> {
    let sheet = sheet(file, bytes)?;
    super::roster_rows::read(file, &sheet, units)
}
