//! The audit trail (留痕): every change appends an entry — actor, action,
//! object, digests of the record before and after, time — and entries form a
//! hash chain (each entry's hash covers the previous one's). The table is
//! append-only (triggers refuse UPDATE and DELETE); `verify` recomputes the
//! chain and names the first entry that does not match.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::Result;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// 创建, 更正, 推进到干事, 中止, 导入, 导出, 备份…
    pub action: String,
    /// `entity#id`, or `archive`.
    pub object: String,
    /// The cadre the change concerns, when known (for filtering).
    pub cadre_id: Option<i64>,
    /// SHA-256 of the record before the change (empty for a creation).
    pub before_digest: String,
    /// SHA-256 of the record after the change.
    pub after_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash an entry must carry: it covers every field and the previous hash.
pub fn entry_hash(e: &AuditEntry) -> String {
    digest(&format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        e.id,
        e.at,
        e.actor,
        e.action,
        e.object,
        e.cadre_id.map(|c| c.to_string()).unwrap_or_default(),
        e.before_digest,
        e.after_digest,
        e.prev_hash
    ))
}

/// Append an entry to the chain (inside the caller's transaction).
pub struct Event<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub cadre_id: Option<i64>,
    /// Every cadre the change concerns (`cadre_id` among them), for `audit list --cadre`.
    pub concerns: &'a [i64],
    pub before: &'a str,
    pub after: &'a str,
}

pub fn append(conn: &Connection, ev: &Event) -> Result<AuditEntry> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (id, prev_hash) = last.map_or((1, GENESIS.to_owned()), |(id, hash)| (id + 1, hash));
    let mut entry = AuditEntry {
        id,
        at: ev.at.to_owned(),
        actor: ev.actor.to_owned(),
        action: ev.action.to_owned(),
        object: ev.object.to_owned(),
        cadre_id: ev.cadre_id,
        before_digest: if ev.before.is_empty() { String::new() } else { digest(ev.before) },
        after_digest: if ev.after.is_empty() { String::new() } else { digest(ev.after) },
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry);
    conn.prepare_cached(
        "INSERT INTO audit (id, at, actor, action, object, cadre_id, before_digest, after_digest, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        entry.id,
        entry.at,
        entry.actor,
        entry.action,
        entry.object,
        entry.cadre_id,
        entry.before_digest,
        entry.after_digest,
        entry.prev_hash,
        entry.hash
    ])?;
    let mut concerns: Vec<i64> = ev.concerns.iter().copied().chain(ev.cadre_id).collect();
    concerns.sort_unstable();
    concerns.dedup();
    let mut link = conn.prepare_cached("INSERT INTO audit_concerns (audit_id, cadre_id) VALUES (?1, ?2)")?;
    for c in concerns {
        link.execute(params![entry.id, c])?;
    }
    Ok(entry)
}

const COLUMNS: &str = "id, at, actor, action, object, cadre_id, before_digest, after_digest, prev_hash, hash";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        cadre_id: r.get(5)?,
        before_digest: r.get(6)?,
        after_digest: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub entries: i64,
    pub ok: bool,
    /// The first entry that does not verify, and why.
    pub first_broken: Option<i64>,
    pub problem: Option<String>,
}

/// Recompute the whole chain. Entries must be numbered 1, 2, 3 … without gaps,
/// each linking to its predecessor's hash and carrying its own correct hash.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_id = 1;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let e = from_row(row)?;
        count += 1;
        let problem = if e.id != expected_id {
            Some(format!("条目 {expected_id} 缺失（下一条为 {}）", e.id))
        } else if e.prev_hash != prev {
            Some(format!("条目 {} 的前序哈希与条目 {} 不符（前面的条目被改动或删除）", e.id, e.id - 1))
        } else if entry_hash(&e) != e.hash {
            Some(format!("条目 {} 的内容与其哈希不符（该条目被改动）", e.id))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Ok(ChainReport {
                entries: count,
                ok: false,
                first_broken: Some(expected_id.min(e.id)),
                problem: Some(problem),
            });
        }
        prev = e.hash;
        expected_id += 1;
    }
    Ok(ChainReport { entries: count, ok: true, first_broken: None, problem: None })
}

/// Filter for the audit viewer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub cadre_id: Option<i64>,
    pub action: Option<String>,
    /// Inclusive `YYYY-MM-DD` bounds on the entry's date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Newest first; at most this many (default 500).
    pub limit: Option<i64>,
}

pub fn list(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit
         WHERE (?1 IS NULL OR actor = ?1)
           AND (?2 IS NULL OR id IN (SELECT audit_id FROM audit_concerns WHERE cadre_id = ?2))
           AND (?3 IS NULL OR action = ?3)
           AND (?4 IS NULL OR substr(at, 1, 10) >= ?4) AND (?5 IS NULL OR substr(at, 1, 10) <= ?5)
         ORDER BY id DESC LIMIT ?6"
    ))?;
    let rows = stmt.query_map(
        params![f.actor, f.cadre_id, f.action, f.from, f.to, f.limit.unwrap_or(500).clamp(1, 10_000)],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
