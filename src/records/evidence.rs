//! Evidence (佐证材料): files stored inside the archive and attached to any record.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{cadres, initiatives, outcomes, plans, tracking};
use crate::archive::{Archive, found, revision};
use crate::enums::OwnerKind;
use crate::error::{Error, Result};

/// The largest file accepted as evidence.
pub const MAX_EVIDENCE_BYTES: usize = 50 * 1024 * 1024;

/// Evidence without its content (listing, dossier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceMeta {
    pub id: i64,
    pub owner_kind: OwnerKind,
    pub owner_id: i64,
    pub name: String,
    /// Media type sniffed from the content.
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub added_on: String,
    pub added_by: String,
}

/// A file name safe to store and to write out again: no directories, no
/// control or reserved characters, no leading dots, bounded length.
pub fn sanitize_name(raw: &str) -> Result<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .map(|c| {
            let reserved = matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*');
            if c.is_control() || reserved || crate::validate::bidi_format(c) { '_' } else { c }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        return Err(Error::invalid("name", format!("文件名「{raw}」无效")));
    }
    Ok(cleaned.chars().take(120).collect())
}

/// Media type from the first bytes; falls back to text or octet-stream.
pub fn sniff_mime(bytes: &[u8]) -> &'static str {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    ];
    for (magic, mime) in SIGNATURES {
        if bytes.starts_with(magic) {
            return mime;
        }
    }
    if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return "image/webp";
    }
    if std::str::from_utf8(bytes).is_ok() {
        return "text/plain";
    }
    "application/octet-stream"
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

const COLUMNS: &str = "id, owner_kind, owner_id, name, mime, size, sha256, added_on, added_by";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<EvidenceMeta> {
    Ok(EvidenceMeta {
        id: r.get(0)?,
        owner_kind: r.get(1)?,
        owner_id: r.get(2)?,
        name: r.get(3)?,
        mime: r.get(4)?,
        size: r.get(5)?,
        sha256: r.get(6)?,
        added_on: r.get(7)?,
        added_by: r.get(8)?,
    })
}

pub fn meta(conn: &Connection, id: i64) -> Result<EvidenceMeta> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM evidence WHERE id = ?1"))?;
    found("佐证材料", id, stmt.query_row([id], from_row))
}

pub fn of_owner(conn: &Connection, kind: OwnerKind, owner_id: i64) -> Result<Vec<EvidenceMeta>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM evidence WHERE owner_kind = ?1 AND owner_id = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![kind, owner_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<EvidenceMeta>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM evidence ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn content(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    let mut stmt = conn.prepare_cached("SELECT content FROM evidence WHERE id = ?1")?;
    found("佐证材料", id, stmt.query_row([id], |r| r.get(0)))
}

pub fn insert(conn: &Connection, m: &EvidenceMeta, bytes: &[u8]) -> Result<i64> {
    conn.execute(
        "INSERT INTO evidence (id, owner_kind, owner_id, name, mime, size, sha256, content, added_on, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            crate::archive::ids::assign(conn, "evidence", Some(m.id))?,
            m.owner_kind,
            m.owner_id,
            m.name,
            m.mime,
            m.size,
            m.sha256,
            bytes,
            m.added_on,
            m.added_by
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The record the evidence is attached to must exist.
pub fn check_owner(conn: &Connection, kind: OwnerKind, id: i64) -> Result<()> {
    match kind {
        OwnerKind::Cadre => cadres::get(conn, id).map(drop),
        OwnerKind::Initiative => initiatives::get(conn, id).map(drop),
        OwnerKind::Milestone => plans::milestone(conn, id).map(drop),
        OwnerKind::Rating => found(
            "评价记录",
            id,
            conn.query_row("SELECT id FROM plan_rating WHERE id = ?1", [id], |r| r.get::<_, i64>(0)),
        )
        .map(drop),
        OwnerKind::Tracking => tracking::get(conn, id).map(drop),
        OwnerKind::Outcome => {
            outcomes::outcome(conn, id)?.map(drop).ok_or(Error::NotFound { entity: "成效记录", id })
        }
        OwnerKind::Recognition => outcomes::recognition(conn, id).map(drop),
    }
}

impl Archive {
    /// Store a file as evidence for a record.
    pub fn add_evidence(
        &mut self,
        owner_kind: OwnerKind,
        owner_id: i64,
        name: &str,
        bytes: &[u8],
    ) -> Result<EvidenceMeta> {
        self.require_write(owner_kind.as_str(), owner_id)?;
        let name = sanitize_name(name)?;
        if bytes.is_empty() {
            return Err(Error::invalid("content", format!("文件「{name}」是空文件")));
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(Error::invalid(
                "content",
                format!(
                    "文件「{name}」大小 {} MB，超过上限 {} MB",
                    bytes.len() / 1_048_576,
                    MAX_EVIDENCE_BYTES / 1_048_576
                ),
            ));
        }
        self.with_tx(|tx| {
            check_owner(tx, owner_kind, owner_id)?;
            let meta = EvidenceMeta {
                id: 0,
                owner_kind,
                owner_id,
                name: name.clone(),
                mime: sniff_mime(bytes).to_owned(),
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                sha256: sha256_hex(bytes),
                added_on: tx.now.clone(),
                added_by: tx.actor.to_owned(),
            };
            let id = insert(tx, &meta, bytes)?;
            let saved = self::meta(tx, id)?;
            revision::record(tx, "evidence", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    pub fn evidence_meta(&self, id: i64) -> Result<EvidenceMeta> {
        self.require_record("evidence", id)?;
        meta(self.conn(), id)
    }

    /// The stored bytes, verified against the recorded SHA-256.
    pub fn evidence_content(&self, id: i64) -> Result<(EvidenceMeta, Vec<u8>)> {
        self.require_record("evidence", id)?;
        let m = meta(self.conn(), id)?;
        let bytes = content(self.conn(), id)?;
        if sha256_hex(&bytes) != m.sha256 {
            return Err(Error::State(format!("佐证材料「{}」内容校验失败（SHA-256 不符），文件可能已损坏", m.name)));
        }
        Ok((m, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_directories_and_hostile_characters() {
        assert_eq!(sanitize_name("../../etc/passwd").ok().as_deref(), Some("passwd"));
        assert_eq!(sanitize_name("C:\\Users\\x\\报告.pdf").ok().as_deref(), Some("报告.pdf"));
        assert_eq!(sanitize_name("a\u{0}b?.txt").ok().as_deref(), Some("a_b_.txt"));
        assert!(sanitize_name("..").is_err(), "a name of only dots would be a path component");
        assert!(sanitize_name("dir/").is_err());
        // 「纪要\u{202E}fdp.exe」 displays as 「纪要exe.pdf」: the override is replaced.
        assert_eq!(sanitize_name("纪要\u{202E}fdp.exe").ok().as_deref(), Some("纪要_fdp.exe"));
    }

    #[test]
    fn mime_comes_from_content_not_name() {
        assert_eq!(sniff_mime(b"%PDF-1.7 ..."), "application/pdf");
        assert_eq!(sniff_mime(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(sniff_mime("会议纪要".as_bytes()), "text/plain");
        assert_eq!(sniff_mime(&[0xff, 0x00, 0xfe]), "application/octet-stream");
    }
}
