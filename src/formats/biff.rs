//! A look at an .xls (BIFF8) workbook before calamine reads it. Opening one,
//! calamine reads every sheet: it reserves room for each sheet's declared
//! dimensions (a fuzzed 6 KB file asked for 830 GB and aborted the process) and
//! lays each sheet out as one grid from its first to its last cell (a 6 KB
//! LibreOffice file with cells in A1 and IV65536 took 1 GB and 3 s). This reads
//! the workbook stream's records (no cell values) and gives, for every sheet,
//! both spans, so the roster reader can refuse a file whose grids exceed its
//! limits, and a damaged directory or dimension calamine would stumble on.

use std::io::Read;

/// A sheet's name and the rows and columns calamine would lay it out over.
pub struct Span {
    pub sheet: String,
    /// (first row, first column, last row, last column), 0-based.
    pub cells: (u32, u32, u32, u32),
    /// Where the span comes from: the sheet's declared dimensions or its cells.
    pub declared: bool,
}

impl Span {
    /// Rows × columns of the grid.
    pub fn size(&self) -> (u64, u64) {
        let (r0, c0, r1, c1) = self.cells;
        (u64::from(r1.saturating_sub(r0)) + 1, u64::from(c1.saturating_sub(c0)) + 1)
    }
}

const BOUNDSHEET: u16 = 0x0085;
const EOF: u16 = 0x000A;
/// Records whose first four bytes are the row and column of a cell with a value
/// (blank formatted cells — BLANK, MULBLANK — hold nothing and are left out).
const CELLS: &[u16] = &[0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6];
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The records of a BIFF stream from `offset`: (type, data).
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = offset;
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data))
    })
}

const DIMENSIONS: u16 = 0x0200;
const BOF: u16 = 0x0809;

/// A sheet's dimensions record as calamine reads it (`parse_dimensions`):
/// `None` when its length is not one calamine accepts (calamine refuses the file
/// then), `Err` when its first row or column lies after its last (calamine's
/// subtraction would underflow).
fn dimensions(d: &[u8]) -> Option<Result<(u32, u32, u32, u32), ()>> {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?), u32::from(u16_at(d, 4)?), u32::from(u16_at(d, 6)?)),
        14 | 16 => (u32_at(d, 0)?, u32_at(d, 4)?, u32::from(u16_at(d, 8)?), u32::from(u16_at(d, 10)?)),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (end_r, end_c) = if rl >= 1 && cl >= 1 { (rl - 1, cl - 1) } else { (rf, cf) };
    Some(if end_r < rf || end_c < cf { Err(()) } else { Ok((rf, cf, end_r, end_c)) })
}

/// Every sheet of an .xls held in `bytes`, with the two grids calamine builds
/// for it when the workbook is opened (it opens every sheet, not only the one
/// asked for): the space it reserves from the sheet's declared dimensions, and
/// the range it lays the sheet's cells out in. `Err` names what is damaged.
pub fn sheet_spans(bytes: &[u8]) -> Result<Vec<Span>, String> {
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
        .map_err(|_| "无法读取表格：不是有效的 .xls 文件，或文件已损坏".to_owned())?;
    let name = ["/Workbook", "/Book"].into_iter().find(|n| file.is_stream(n)).ok_or("表格中没有工作簿数据")?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|_| "无法读取表格：文件已损坏".to_owned())?;
    // The workbook globals name each sheet with the offset of its own records.
    let mut sheets = Vec::new();
    for (_, d) in records(&stream, 0).take_while(|(kind, _)| *kind != EOF).filter(|(kind, _)| *kind == BOUNDSHEET) {
        let (Some(pos), Some(len), Some(flags)) = (u32_at(d, 0), d.get(6), d.get(7)) else {
            return Err("表格的工作表目录已损坏".to_owned());
        };
        let text = d.get(8..).unwrap_or_default();
        let len = usize::from(*len);
        let name = if flags & 1 == 1 {
            let units: Vec<u16> = text.chunks_exact(2).take(len).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        } else {
            text.iter().take(len).map(|b| char::from(*b)).collect()
        };
        if pos as usize > stream.len() {
            return Err(format!("表格的工作表「{name}」指向文件之外，文件已损坏"));
        }
        sheets.push((pos as usize, name));
    }
    let mut spans = Vec::new();
    for (pos, sheet) in sheets {
        let mut cells: Option<(u32, u32, u32, u32)> = None;
        let mut widen = |row: u16, first: u16, last: u16| {
            let (r, a, b) = (u32::from(row), u32::from(first), u32::from(last.max(first)));
            cells = Some(match cells {
                None => (r, a, r, b),
                Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(a), r1.max(r), c1.max(b)),
            });
        };
        // As calamine reads a sheet: its first BOF, then records up to its EOF,
        // skipping nested substreams (embedded charts).
        let mut depth = 0usize;
        let mut seen_bof = false;
        // A STRING record (a formula's text value) is placed at the last formula's
        // cell, A1 before any.
        let mut formula_at = (0u16, 0u16);
        for (kind, d) in records(&stream, pos) {
            if depth > 0 {
                match kind {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match kind {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => match dimensions(d) {
                    Some(Ok(cells)) => spans.push(Span { sheet: sheet.clone(), cells, declared: true }),
                    Some(Err(())) => return Err(format!("工作表「{sheet}」声明的范围首尾颠倒，文件已损坏")),
                    None => {}
                },
                MULRK => {
                    if let (Some(r), Some(c), Some(last)) =
                        (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len().saturating_sub(2)))
                    {
                        widen(r, c, last);
                    }
                }
                STRING => widen(formula_at.0, formula_at.1, formula_at.1),
                k if CELLS.contains(&k) => {
                    if let (Some(r), Some(c)) = (u16_at(d, 0), u16_at(d, 2)) {
                        if k == FORMULA {
                            formula_at = (r, c);
                        }
                        widen(r, c, c);
                    }
                }
                _ => {}
            }
        }
        if let Some(cells) = cells {
            spans.push(Span { sheet, cells, declared: false });
        }
    }
    Ok(spans)
}
