//! The formats organization departments already use: LRMX 任免审批表 files,
//! Excel rosters, the 年度考核登记表 and the dossier in Word. Every reader
//! reports problems with the file and the element, row or column; every
//! import is previewed and committed all-or-nothing.

pub mod appraisal_texts;
pub mod biff;
mod confidential;
pub mod docx;
mod dossier_docx;
pub mod exports;
pub mod import;
mod import_plan;
pub mod lrmx;
mod normalize;
mod post_words;
pub mod roster;
mod roster_rows;
pub mod xlsx;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A problem in one input file: the file, where in it (an LRMX element, or a
/// spreadsheet row and column), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FormatError {
    pub file: String,
    /// `XingMing`, `第 3 行 C 列（出生年月）`, … (empty: the whole file).
    pub location: String,
    pub message: String,
}

impl FormatError {
    pub fn new(file: &str, location: &str, message: String) -> FormatError {
        FormatError { file: file.to_owned(), location: location.to_owned(), message }
    }
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}：{}", self.file, self.message)
        } else {
            write!(f, "{}（{}）：{}", self.file, self.location, self.message)
        }
    }
}

/// What a file is, judged by its content (not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    Lrmx,
    Xlsx,
    /// Legacy Excel / WPS (.xls, .et): an OLE compound file.
    Xls,
    /// The archive interchange document.
    Json,
    /// A zip of other files (e.g. a batch of .lrmx).
    Zip,
    Unknown,
}

pub fn detect(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"xl/workbook") || has(b"[Content_Types].xml") && has(b"xl/") {
            return Kind::Xlsx;
        }
        return Kind::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Xls;
    }
    if lrmx::sniff(bytes) {
        return Kind::Lrmx;
    }
    let t = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    if t.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
        return Kind::Json;
    }
    Kind::Unknown
}
