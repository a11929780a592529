//! A look at an .xls (BIFF8) sheet before calamine reads it. calamine lays a
//! sheet out as one grid from its first to its last cell: a 6 KB file with a
//! cell in A1 and one in IV65536 took 1 GB and 3 s before any check could run.
//! This reads the workbook stream's records (no cell values), finds the first
//! worksheet and the span of its cells that hold something, so the roster
//! reader can refuse a sheet laid out larger than its limits by the file's real
//! content.

use std::io::Read;

/// The first worksheet's name and the rows and columns its valued cells span
/// (`None` when it has none), or why the file cannot be read.
pub struct Span {
    pub sheet: String,
    /// (first row, first column, last row, last column), 0-based.
    pub cells: Option<(u32, u32, u32, u32)>,
}

const BOUNDSHEET: u16 = 0x0085;
const EOF: u16 = 0x000A;
/// Records whose first four bytes are the row and column of a cell with a value
/// (blank formatted cells — BLANK, MULBLANK — hold nothing and are left out).
const CELLS: &[u16] = &[0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6];
const MULRK: u16 = 0x00BD;

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

/// Read the span of the first worksheet of an .xls held in `bytes`.
pub fn first_sheet_span(bytes: &[u8]) -> Result<Span, String> {
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
        .map_err(|e| format!("无法读取表格（不是有效的 .xls 文件：{e}）"))?;
    let name = ["/Workbook", "/Book"].into_iter().find(|n| file.is_stream(n)).ok_or("表格中没有工作簿数据")?;
    let mut stream = Vec::new();
    file.open_stream(name).and_then(|mut s| s.read_to_end(&mut stream)).map_err(|e| format!("无法读取表格：{e}"))?;
    // The workbook globals name each sheet with the offset of its own records.
    let (offset, sheet) = records(&stream, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, _)| *kind == BOUNDSHEET)
        .find_map(|(_, d)| {
            // lbPlyPos, hsState, dt (0: worksheet), then a short Unicode string.
            let (pos, dt, len, flags) = (u32_at(d, 0)?, *d.get(5)?, usize::from(*d.get(6)?), *d.get(7)?);
            if dt != 0 {
                return None;
            }
            let text = d.get(8..)?;
            let name = if flags & 1 == 1 {
                let units: Vec<u16> =
                    text.chunks_exact(2).take(len).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                String::from_utf16_lossy(&units)
            } else {
                text.iter().take(len).map(|b| char::from(*b)).collect()
            };
            Some((pos as usize, name))
        })
        .ok_or("表格中没有工作表")?;
    let mut span: Option<(u32, u32, u32, u32)> = None;
    let mut widen = |row: u16, first: u16, last: u16| {
        let (r, a, b) = (u32::from(row), u32::from(first), u32::from(last.max(first)));
        span = Some(match span {
            None => (r, a, r, b),
            Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(a), r1.max(r), c1.max(b)),
        });
    };
    for (kind, d) in records(&stream, offset).skip(1).take_while(|(kind, _)| *kind != EOF) {
        if CELLS.contains(&kind) {
            if let (Some(r), Some(c)) = (u16_at(d, 0), u16_at(d, 2)) {
                widen(r, c, c);
            }
        } else if kind == MULRK
            && let (Some(r), Some(c), Some(last)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len().saturating_sub(2)))
        {
            widen(r, c, last);
        }
    }
    Ok(Span { sheet, cells: span })
}
