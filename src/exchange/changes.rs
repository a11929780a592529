//! What a package carries: the changes to the rows a site owns, captured by
//! SQLite's session extension (docs/exchange.md).
//!
//! **Writing.** A package carries its changes as a list of changesets — its
//! *parts* — applied in order. To the site above, after the first package: the
//! changes every write transaction left in `exchange_outbox` since the last
//! package, folded by a changegroup into parts of about `PART_BYTES`
//! (`from_outbox`). When the partner has nothing yet (the first package): the
//! rows it should have are written into an in-memory copy of the tables with a
//! session attached, renewed every `PART_ROWS` rows (`complete`). Otherwise (a
//! site below that has some): those rows are copied beside the state the
//! earlier packages gave it (kept as one changeset, `site_partner.sent_state`),
//! and `sqlite3session_diff` turns the difference into one part (`diff`).
//!
//! **Why parts.** `sqlite3changeset_apply` runs inside a savepoint; every
//! statement within it keeps a statement journal, and SQLite walks the
//! savepoint's in-memory sub-journal each time one is released — so one huge
//! changeset applied into a large archive slows down with every page it
//! touches (measured: a county's first package took 16 s into an empty city
//! and 180 s into one holding three counties). Parts bound that walk.
//!
//! **Applying.** Every row of every part is checked to belong to the sender
//! (the site its id range names) before anything is written; the parts are
//! applied in the caller's transaction, and every conflict is resolved — the
//! owner's version wins — with the losing version kept in `exchange_conflict`.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex};

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::session::{Changegroup, ChangesetItem, ChangesetIter, ConflictAction, ConflictType, Session};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::package::KindCount;
use crate::archive::ids::{self, SITE_SPAN};
use crate::error::{Error, Result};

pub use crate::archive::ids::EXCHANGED;

/// Which of a site's rows a partner receives.
#[derive(Debug, Clone, Copy)]
pub enum Audience {
    /// The site above (the city at a county): every row the site owns.
    Everything,
    /// A site below (a county at the city, owning `base`'s range): the rows this
    /// site owns that concern the partner's records — ratings of its items,
    /// 批示 on its cadres, grades decided for them.
    Concerning { base: i64 },
}

fn owned(col: &str, base: i64) -> String {
    format!("({col} >= {base} AND {col} < {})", base + SITE_SPAN)
}

/// The rows of `table` that `audience` gets from the site at `base`.
fn selection(table: &str, owner: &str, base: i64, audience: Audience) -> String {
    let mine = owned(owner, base);
    match audience {
        Audience::Everything => mine,
        Audience::Concerning { base: theirs } => {
            let refs: Vec<String> = match table {
                "review" => {
                    vec![format!("id IN (SELECT review_id FROM main.review_cadre WHERE {})", owned("cadre_id", theirs))]
                }
                // The history of every record of this site the partner gets.
                "revision" => EXCHANGED
                    .iter()
                    .filter(|(t, owner)| *owner == "id" && !matches!(*t, "revision"))
                    .map(|(t, _)| {
                        format!(
                            "(entity = '{t}' AND entity_id IN (SELECT id FROM main.\"{t}\" WHERE {}))",
                            selection(t, "id", base, audience)
                        )
                    })
                    .collect(),
                _ => ids::ID_COLUMNS
                    .iter()
                    .find(|(t, _)| *t == table)
                    .map(|(_, cols)| cols.iter().map(|c| owned(c, theirs)).collect())
                    .unwrap_or_default(),
            };
            if refs.is_empty() { "0".to_owned() } else { format!("{mine} AND ({})", refs.join(" OR ")) }
        }
    }
}

/// Rows per part of a complete package.
pub const PART_ROWS: usize = 500;
/// About this many bytes of folded outbox entries per part.
pub const PART_BYTES: usize = 256 * 1024;

/// `CREATE TABLE` of `table` for a copy in each of the databases `dbs`, without
/// references (a copy holds some rows only).
fn create_copy(conn: &Connection, table: &str, dbs: &[&str]) -> Result<String> {
    let sql: String =
        conn.query_row("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))?;
    let body = &sql[sql.find('(').unwrap_or(0)..];
    let mut out = String::new();
    let mut rest = body;
    while let Some(at) = rest.find("REFERENCES ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "REFERENCES ".len()..];
        let name_end = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        let mut tail = &after[name_end..];
        if tail.starts_with('(') {
            tail = &tail[tail.find(')').map_or(tail.len(), |e| e + 1)..];
        }
        rest = tail;
    }
    out.push_str(rest);
    Ok(dbs.iter().map(|db| format!("CREATE TABLE IF NOT EXISTS {db}.\"{table}\" {out};")).collect())
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}', 'main') ORDER BY cid"))?;
    Ok(stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// The package's parts and the partner's state after it, with the counts per kind.
pub struct Diff {
    /// Changesets applied in order.
    pub parts: Vec<Vec<u8>>,
    /// The partner's state after this package (kept for a site below only; empty otherwise).
    pub state: Vec<u8>,
    pub counts: Vec<KindCount>,
    /// The last outbox entry the package covers.
    pub outbox_through: i64,
}

/// The package from the outbox: every transaction's changes after entry
/// `after`, folded by changegroups into parts of about `PART_BYTES`.
pub fn from_outbox(conn: &Connection, after: i64) -> Result<Diff> {
    // Parts of about PART_BYTES; the counts from all the entries folded at once
    // (a row added in one part and changed in the next is one new row).
    let (mut whole, mut group) = (Changegroup::new()?, Changegroup::new()?);
    let (mut parts, mut size) = (Vec::new(), 0);
    let mut through = after;
    let mut stmt = conn.prepare("SELECT id, changeset FROM exchange_outbox WHERE id > ?1 ORDER BY id")?;
    let mut rows = stmt.query([after])?;
    let flush = |group: &mut Changegroup, parts: &mut Vec<Vec<u8>>| -> Result<()> {
        let mut part = Vec::new();
        std::mem::replace(group, Changegroup::new()?).output_strm(&mut part)?;
        if !part.is_empty() {
            parts.push(part);
        }
        Ok(())
    };
    while let Some(row) = rows.next()? {
        through = row.get(0)?;
        let bytes: Vec<u8> = row.get(1)?;
        whole.add_stream(&mut &bytes[..])?;
        group.add_stream(&mut &bytes[..])?;
        size += bytes.len();
        if size >= PART_BYTES {
            flush(&mut group, &mut parts)?;
            size = 0;
        }
    }
    flush(&mut group, &mut parts)?;
    let mut all = Vec::new();
    whole.output_strm(&mut all)?;
    Ok(Diff { counts: count(&all)?, parts, state: Vec::new(), outbox_through: through })
}

/// Every row the partner should have, for a partner that has nothing yet: the
/// rows are written into empty in-memory copies of the tables with a session
/// attached, a new session (a new part) every `PART_ROWS` rows. The partner's
/// state after it is kept for a site below (`Concerning`).
pub fn complete(conn: &Connection, base: i64, audience: Audience) -> Result<Diff> {
    let keep_state = matches!(audience, Audience::Concerning { .. });
    let mem = Connection::open_in_memory()?;
    let (mut parts, mut counts) = (Vec::new(), Vec::new());
    let mut state = Changegroup::new()?;
    for (table, owner) in EXCHANGED {
        mem.execute_batch(&create_copy(conn, table, &["main"])?)?;
        let cols = columns(conn, table)?;
        let marks = vec!["?"; cols.len()].join(", ");
        let mut read =
            conn.prepare(&format!("SELECT * FROM main.\"{table}\" WHERE {}", selection(table, owner, base, audience)))?;
        let mut rows = read.query([])?;
        let mut total = 0u64;
        loop {
            let mut session = Session::new(&mem)?;
            session.attach(Some(*table))?;
            let mut insert = mem.prepare_cached(&format!("INSERT INTO main.\"{table}\" VALUES ({marks})"))?;
            let mut n = 0;
            while n < PART_ROWS {
                let Some(row) = rows.next()? else { break };
                let values = (0..cols.len()).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                insert.execute(params_from_iter(values))?;
                n += 1;
            }
            if n > 0 {
                let mut part = Vec::new();
                session.changeset_strm(&mut part)?;
                if keep_state {
                    state.add_stream(&mut &part[..])?;
                }
                parts.push(part);
                total += n as u64;
            }
            if n < PART_ROWS {
                break;
            }
        }
        if total > 0 {
            counts.push(KindCount {
                kind: (*table).to_owned(),
                label: crate::archive::seal::label(table).unwrap_or(table).to_owned(),
                inserted: total,
                updated: 0,
                deleted: 0,
            });
        }
    }
    let mut next = Vec::new();
    if keep_state {
        state.output_strm(&mut next)?;
    }
    Ok(Diff { parts, state: next, counts, outbox_through: 0 })
}

/// The difference between what the partner has (`state`, not empty) and the
/// rows it should have now, from the archive `conn` (this site's range at
/// `base`), as one part.
pub fn diff(conn: &Connection, state: &[u8], base: i64, audience: Audience) -> Result<Diff> {
    // The site above is sent the outbox after this package: its state is not kept.
    let keep_state = matches!(audience, Audience::Concerning { .. });
    let mem = Connection::open_in_memory()?;
    mem.execute_batch("ATTACH DATABASE ':memory:' AS want")?;
    for (table, _) in EXCHANGED {
        mem.execute_batch(&create_copy(conn, table, &["want", "main"])?)?;
    }
    if !state.is_empty() {
        let mut input: &[u8] = state;
        mem.apply_strm(&mut input, None::<fn(&str) -> bool>, |_, _| ConflictAction::SQLITE_CHANGESET_ABORT)?;
    }
    for (table, owner) in EXCHANGED {
        let cols = columns(conn, table)?;
        let marks = vec!["?"; cols.len()].join(", ");
        let mut insert = mem.prepare(&format!("INSERT INTO want.\"{table}\" VALUES ({marks})"))?;
        let mut read =
            conn.prepare(&format!("SELECT * FROM main.\"{table}\" WHERE {}", selection(table, owner, base, audience)))?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values = (0..cols.len()).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
            insert.execute(params_from_iter(values))?;
        }
    }
    let mut session = Session::new_with_name(&mem, "want")?;
    for (table, _) in EXCHANGED {
        session.attach(Some(*table))?;
        session.diff::<&str, &str>("main", table)?;
    }
    let mut changeset = Vec::new();
    session.changeset_strm(&mut changeset)?;
    drop(session);
    let mut next = Vec::new();
    if keep_state {
        let mut group = Changegroup::new()?;
        if !state.is_empty() {
            group.add_stream(&mut &state[..])?;
        }
        group.add_stream(&mut &changeset[..])?;
        group.output_strm(&mut next)?;
    }
    let counts = count(&changeset)?;
    let parts = if changeset.is_empty() { Vec::new() } else { vec![changeset] };
    Ok(Diff { parts, state: next, counts, outbox_through: 0 })
}

/// Inserted / updated / deleted rows per table of a changeset, in `EXCHANGED` order.
pub fn count(changeset: &[u8]) -> Result<Vec<KindCount>> {
    let mut by: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    let input: &mut dyn Read = &mut &changeset[..];
    let mut it = ChangesetIter::start_strm(&input)?;
    while let Some(item) = it.next()? {
        let op = item.op()?;
        let slot = match op.code() {
            rusqlite::hooks::Action::SQLITE_INSERT => 0,
            rusqlite::hooks::Action::SQLITE_UPDATE => 1,
            _ => 2,
        };
        by.entry(op.table_name().to_owned()).or_default()[slot] += 1;
    }
    drop(it);
    Ok(EXCHANGED
        .iter()
        .filter_map(|(t, _)| {
            by.get(*t).map(|[i, u, d]| KindCount {
                kind: (*t).to_owned(),
                label: crate::archive::seal::label(t).unwrap_or(t).to_owned(),
                inserted: *i,
                updated: *u,
                deleted: *d,
            })
        })
        .collect())
}

fn json(v: ValueRef) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(b) => format!("（{} 字节）", b.len()).into(),
    }
}

/// A conflict met while applying, and how it was resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub table: String,
    /// What a user calls the record (干部, 谋事评价 …).
    pub label: String,
    /// The row's key values, e.g. `[5588…]`.
    pub key: String,
    /// 本地已改动 / 本地已删除 / 本地已有 / 约束冲突.
    pub kind: String,
    /// 以发送方为准 / 未应用.
    pub resolution: String,
    /// The version that lost (this archive's), as column → value.
    #[ts(type = "unknown")]
    pub kept: serde_json::Value,
}

fn item_key(item: &ChangesetItem, cols: usize, pk: &[u8], old: bool) -> String {
    let vals: Vec<String> = (0..cols)
        .filter(|i| pk.get(*i).is_some_and(|p| *p != 0))
        .map(|i| {
            let v = if old { item.old_value(i) } else { item.new_value(i) };
            v.map(json).map(|j| j.to_string()).unwrap_or_default()
        })
        .collect();
    vals.join(",")
}

/// A conflicting row's values as column → value: this archive's version, or the sender's.
fn row_values(item: &ChangesetItem, cols: usize, names: Option<&Vec<String>>, sender: bool) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for i in 0..cols {
        let name = names.and_then(|n| n.get(i)).cloned().unwrap_or_else(|| i.to_string());
        let value = if sender { item.new_value(i) } else { item.conflict(i) };
        map.insert(name, value.map(json).unwrap_or(serde_json::Value::Null));
    }
    serde_json::Value::Object(map)
}

fn handle(
    kind: ConflictType,
    item: &ChangesetItem,
    names: &BTreeMap<String, Vec<String>>,
) -> (ConflictAction, Conflict) {
    let (table, cols, insert) = match item.op() {
        Ok(op) => (
            op.table_name().to_owned(),
            usize::try_from(op.number_of_columns()).unwrap_or(0),
            op.code() == rusqlite::hooks::Action::SQLITE_INSERT,
        ),
        Err(_) => (String::new(), 0, false),
    };
    let pk = item.pk().map(<[u8]>::to_vec).unwrap_or_default();
    let key = item_key(item, cols, &pk, !insert);
    let row = |sender: bool| row_values(item, cols, names.get(&table), sender);
    let local = || row(false);
    let (action, what, resolution, kept) = match kind {
        ConflictType::SQLITE_CHANGESET_DATA => {
            (ConflictAction::SQLITE_CHANGESET_REPLACE, "本地已改动", "以发送方为准", local())
        }
        ConflictType::SQLITE_CHANGESET_CONFLICT => {
            (ConflictAction::SQLITE_CHANGESET_REPLACE, "本地已有", "以发送方为准", local())
        }
        ConflictType::SQLITE_CHANGESET_NOTFOUND => {
            (ConflictAction::SQLITE_CHANGESET_OMIT, "本地已删除", "未应用", serde_json::Value::Null)
        }
        // Two sites' revisions of one record with the same number (this archive
        // changed a record the sender owns, outside the ownership rule): both are
        // history — this archive's stays in place, the sender's is kept apart.
        ConflictType::SQLITE_CHANGESET_CONSTRAINT if table == "revision" => {
            (ConflictAction::SQLITE_CHANGESET_OMIT, "修订编号重复", "保留本地修订，发送方的修订另存", row(true))
        }
        _ => (ConflictAction::SQLITE_CHANGESET_ABORT, "约束冲突", "未导入", serde_json::Value::Null),
    };
    let label = crate::archive::seal::label(&table).unwrap_or("记录").to_owned();
    (action, Conflict { table, label, key, kind: what.to_owned(), resolution: resolution.to_owned(), kept })
}

/// Check that every row of every part belongs to the sender (`sender_base`'s
/// range) and is of a table packages carry; then apply the parts in order to
/// `conn` (in the caller's transaction, which lets the owner's rows change:
/// `ids::applying`). Returns every conflict met. A constraint or foreign-key
/// conflict refuses the whole package, naming the table and the row.
pub fn apply(conn: &Connection, parts: &[&[u8]], sender_base: i64, sender: &str) -> Result<Vec<Conflict>> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (t, _) in EXCHANGED {
        names.insert((*t).to_owned(), columns(conn, t)?);
    }
    for changeset in parts {
        owned_by_sender(changeset, &names, sender_base, sender)?;
    }
    let mut conflicts = Vec::new();
    for changeset in parts {
        conflicts.extend(apply_owned(conn, changeset, &names)?);
    }
    Ok(conflicts)
}

fn owned_by_sender(
    changeset: &[u8],
    names: &BTreeMap<String, Vec<String>>,
    sender_base: i64,
    sender: &str,
) -> Result<()> {
    {
        let input: &mut dyn Read = &mut &changeset[..];
        let mut it = ChangesetIter::start_strm(&input)?;
        while let Some(item) = it.next()? {
            let op = item.op()?;
            let table = op.table_name().to_owned();
            let Some((_, owner)) = EXCHANGED.iter().find(|(t, _)| *t == table) else {
                return Err(Error::State(format!("交换包含有本程序不交换的表「{table}」，拒收")));
            };
            let col = names[&table].iter().position(|c| c == owner).unwrap_or(0);
            let v = if op.code() == rusqlite::hooks::Action::SQLITE_INSERT {
                item.new_value(col)?
            } else {
                item.old_value(col)?
            };
            let id = v.as_i64().unwrap_or(-1);
            if ids::site_of(id) != ids::site_of(sender_base) {
                let label = crate::archive::seal::label(&table).unwrap_or("记录");
                return Err(Error::State(format!(
                    "交换包里有一条{label}（编号 {id}）不属于发送方 {sender}：一个站点只能发送自己维护的记录，整包拒收"
                )));
            }
        }
    }
    Ok(())
}

fn apply_owned(conn: &Connection, changeset: &[u8], names: &BTreeMap<String, Vec<String>>) -> Result<Vec<Conflict>> {
    let seen: Arc<Mutex<Vec<Conflict>>> = Arc::default();
    let (log, names_for) = (Arc::clone(&seen), names.clone());
    let result = conn.apply_strm(&mut &changeset[..], None::<fn(&str) -> bool>, move |kind, item| {
        let (action, conflict) = handle(kind, &item, &names_for);
        if let Ok(mut l) = log.lock() {
            l.push(conflict);
        }
        action
    });
    let conflicts = seen.lock().map(|l| l.clone()).unwrap_or_default();
    if let Err(e) = result {
        let refused: Vec<String> = conflicts
            .iter()
            .filter(|c| c.resolution == "未导入")
            .map(|c| format!("{}（{}）", crate::archive::seal::label(&c.table).unwrap_or(&c.table), c.key))
            .collect();
        return Err(Error::State(if refused.is_empty() {
            format!("应用交换包失败：{e}")
        } else {
            format!("交换包与本档案的记录冲突（{}），整包未导入：{e}", refused.join("、"))
        }));
    }
    Ok(conflicts)
}
