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
    /// The digest of every record table's seal after this change
    /// (`archive::seal`); empty for entries written before schema version 13.
    pub state_digest: String,
}

pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash an entry must carry: it covers every field and the previous hash
/// (and the state digest, for the entries that carry one).
pub fn entry_hash(e: &AuditEntry) -> String {
    let state = if e.state_digest.is_empty() { String::new() } else { format!("\u{1f}{}", e.state_digest) };
    digest(&format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}{state}",
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
        state_digest: super::seal::flush(conn)?,
    };
    entry.hash = entry_hash(&entry);
    conn.prepare_cached(
        "INSERT INTO audit (id, at, actor, action, object, cadre_id, before_digest, after_digest, prev_hash, hash,
                            state_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
        entry.hash,
        entry.state_digest
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

const COLUMNS: &str =
    "id, at, actor, action, object, cadre_id, before_digest, after_digest, prev_hash, hash, state_digest";

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
        state_digest: r.get(10)?,
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
    /// The kinds of record (as a user calls them) whose rows no longer match
    /// what the trail sealed: changed, added or removed outside the program.
    pub changed_records: Vec<String>,
    /// Whether the chain's head was checked against the anchor in the key file.
    pub anchored: bool,
    /// The partner sites' chains this archive keeps (the city keeps each
    /// county's, as the county's packages brought it: docs/exchange.md).
    #[serde(default)]
    pub sites: Vec<SiteChain>,
}

/// A partner site's audit chain as this archive keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SiteChain {
    pub code: String,
    pub name: String,
    pub entries: i64,
    pub ok: bool,
    pub problem: Option<String>,
}

/// Walks a chain entry by entry: each must be the next number, link to its
/// predecessor's hash and carry its own correct hash.
pub struct Walk {
    pub next_id: i64,
    pub prev: String,
}

impl Walk {
    /// A walk continuing after entry `count` whose hash is `head` (from the start: 0).
    pub fn after(count: i64, head: &str) -> Walk {
        Walk { next_id: count + 1, prev: if count == 0 { GENESIS.to_owned() } else { head.to_owned() } }
    }

    /// Take entry `e`, or say why it does not follow.
    pub fn step(&mut self, e: &AuditEntry) -> std::result::Result<(), String> {
        let problem = if e.id != self.next_id {
            Some(format!("条目 {} 缺失（下一条为 {}）", self.next_id, e.id))
        } else if e.prev_hash != self.prev {
            Some(format!("条目 {} 的前序哈希与条目 {} 不符（前面的条目被改动或删除）", e.id, e.id - 1))
        } else if entry_hash(e) != e.hash {
            Some(format!("条目 {} 的内容与其哈希不符（该条目被改动）", e.id))
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(p);
        }
        self.prev.clone_from(&e.hash);
        self.next_id += 1;
        Ok(())
    }
}

impl ChainReport {
    fn broken(entries: i64, first: Option<i64>, problem: String) -> ChainReport {
        ChainReport {
            entries,
            ok: false,
            first_broken: first,
            problem: Some(problem),
            changed_records: Vec::new(),
            anchored: false,
            sites: Vec::new(),
        }
    }

    /// This report with the anchor's verdict (`anchor::check`) added: a problem
    /// makes it fail, none makes it anchored. Only for a report that is still ok.
    pub(crate) fn with_anchor(mut self, problem: Option<String>) -> ChainReport {
        match problem {
            Some(p) => {
                self.ok = false;
                self.problem = Some(p);
            }
            None => self.anchored = true,
        }
        self
    }

    /// A report for an archive without a trail (an empty or very old file).
    pub fn empty() -> ChainReport {
        ChainReport {
            entries: 0,
            ok: true,
            first_broken: None,
            problem: None,
            changed_records: Vec::new(),
            anchored: false,
            sites: Vec::new(),
        }
    }
}

/// Recompute the whole chain, then the records' seals. Entries must be numbered
/// 1, 2, 3 … without gaps, each linking to its predecessor's hash and carrying
/// its own correct hash; every record table must match its seal, and the seals
/// the state digest of the last entry that carries one (`archive::seal`). The
/// connection needs the `gs_row` function (`seal::register`).
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut walk = Walk::after(0, GENESIS);
    let mut count = 0;
    let mut last_state = None;
    while let Some(row) = rows.next()? {
        let e = from_row(row)?;
        count += 1;
        let expected_id = walk.next_id;
        if let Err(problem) = walk.step(&e) {
            return Ok(ChainReport::broken(count, Some(expected_id.min(e.id)), problem));
        }
        if !e.state_digest.is_empty() {
            last_state = Some((e.id, e.state_digest.clone()));
        }
    }
    // An archive (or backup) from before schema version 13 has no seals to check;
    // one from since then without its seal table had it dropped.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let sealed: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'seal_state')", [], |r| r.get(0))?;
    if version < 13 {
        return Ok(ChainReport { entries: count, ..ChainReport::empty() });
    }
    if !sealed {
        return Ok(ChainReport::broken(count, None, "记录的封存表不见了（在本程序之外被删除）".to_owned()));
    }
    super::seal::register(conn)?;
    let seals = super::seal::check(conn)?;
    if !seals.changed.is_empty() {
        let mut report = ChainReport::broken(
            count,
            None,
            format!("以下记录与审计日志不符，在本程序之外被改动、增加或删除：{}", seals.changed.join("、")),
        );
        report.changed_records = seals.changed.iter().map(|l| (*l).to_owned()).collect();
        return Ok(report);
    }
    let sealed = last_state.as_ref().map_or_else(|| super::seal::EMPTY_STATE.to_owned(), |(_, d)| d.clone());
    if sealed != seals.state {
        let which =
            last_state.map_or_else(|| "审计日志没有封存记录".to_owned(), |(id, _)| format!("最后封存于条目 {id}"));
        return Ok(ChainReport::broken(
            count,
            None,
            format!("记录的封存状态与审计日志不符（{which}）：封存表被改动，或最后的审计条目被删除"),
        ));
    }
    Ok(ChainReport { entries: count, ..ChainReport::empty() })
}

/// Recompute every partner site's chain kept here (`site_audit`): numbered
/// from 1 without gaps, linked, each entry with its own hash, and ending at the
/// head the last package signed (`site_partner.audit_head`).
pub fn verify_sites(conn: &Connection) -> Result<Vec<SiteChain>> {
    let kept: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'site_audit')", [], |r| r.get(0))?;
    if !kept {
        return Ok(Vec::new());
    }
    let mut partners = conn.prepare(
        "SELECT code, name, audit_received, audit_head FROM site_partner
          WHERE audit_received > 0 OR code IN (SELECT DISTINCT site FROM site_audit) ORDER BY code",
    )?;
    let partners = partners
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<(String, String, i64, String)>>>()?;
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM site_audit WHERE site = ?1 ORDER BY id"))?;
    let mut out = Vec::new();
    for (code, name, received, head) in partners {
        let mut walk = Walk::after(0, GENESIS);
        let mut entries = 0;
        let mut problem = None;
        let mut rows = stmt.query([&code])?;
        while let Some(row) = rows.next()? {
            entries += 1;
            if let Err(p) = walk.step(&from_row(row)?) {
                problem = Some(p);
                break;
            }
        }
        if problem.is_none() && (entries != received || walk.prev != head) {
            problem = Some(format!(
                "保存的 {entries} 条与最后一个交换包签署的链头（第 {received} 条）不符：条目在本程序之外被增删"
            ));
        }
        out.push(SiteChain { code, name, entries, ok: problem.is_none(), problem });
    }
    Ok(out)
}

/// This archive's entries after `after`, oldest first (what a package carries).
pub fn since(conn: &Connection, after: i64) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit WHERE id > ?1 ORDER BY id"))?;
    let rows = stmt.query_map([after], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keep a partner site's entries (checked by the caller to continue its chain).
pub fn keep_site(conn: &Connection, site: &str, entries: &[AuditEntry]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO site_audit (site, id, at, actor, action, object, cadre_id, before_digest, after_digest,
                                 prev_hash, hash, state_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for e in entries {
        insert.execute(params![
            site,
            e.id,
            e.at,
            e.actor,
            e.action,
            e.object,
            e.cadre_id,
            e.before_digest,
            e.after_digest,
            e.prev_hash,
            e.hash,
            e.state_digest
        ])?;
    }
    Ok(())
}

/// The hash of entry `id`, if there is one.
pub fn hash_of(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT hash FROM audit WHERE id = ?1", [id], |r| r.get(0)).optional()?)
}

/// The number of entries and the newest one's hash.
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    let last: Option<(i64, String)> = conn
        .query_row("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(last.unwrap_or((0, GENESIS.to_owned())))
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
    /// A partner site's chain kept here (its code); none: this archive's own.
    #[serde(default)]
    pub site: Option<String>,
}

pub fn list(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    // A partner's chain has no concerns index: its entries name one cadre each.
    let (from, cadre) = match f.site {
        None => ("audit WHERE ?7 IS NULL", "id IN (SELECT audit_id FROM audit_concerns WHERE cadre_id = ?2)"),
        Some(_) => ("site_audit WHERE site = ?7", "cadre_id = ?2"),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {from}
           AND (?1 IS NULL OR actor = ?1)
           AND (?2 IS NULL OR {cadre})
           AND (?3 IS NULL OR action = ?3)
           AND (?4 IS NULL OR substr(at, 1, 10) >= ?4) AND (?5 IS NULL OR substr(at, 1, 10) <= ?5)
         ORDER BY id DESC LIMIT ?6"
    ))?;
    let rows = stmt.query_map(
        params![f.actor, f.cadre_id, f.action, f.from, f.to, f.limit.unwrap_or(500).clamp(1, 10_000), f.site],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
