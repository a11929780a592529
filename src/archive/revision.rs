//! The revision log: every create and every correction stores the record's
//! full state as a new revision, so history is never overwritten.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Tx;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    pub id: i64,
    /// Table the record lives in (`cadre`, `initiative`, `plan`, …).
    pub entity: String,
    pub entity_id: i64,
    /// 1 for the creating version, then 2, 3, …
    pub rev: i64,
    pub at: String,
    pub actor: String,
    /// Why the record changed (创建, 更正, or the user's own words).
    pub reason: String,
    /// The record as it stood after this change.
    #[ts(type = "unknown")]
    pub data: serde_json::Value,
}

/// The cadre a change concerns, for the audit trail's cadre filter.
fn cadre_of(tx: &Tx, entity: &str, entity_id: i64, data: &serde_json::Value) -> Result<Option<i64>> {
    if entity == "cadre" {
        return Ok(Some(entity_id));
    }
    if let Some(c) = data.get("cadreId").and_then(serde_json::Value::as_i64) {
        return Ok(Some(c));
    }
    if let Some([one]) = data.get("cadreIds").and_then(serde_json::Value::as_array).map(Vec::as_slice) {
        return Ok(one.as_i64());
    }
    let initiative = if entity == "initiative" {
        Some(entity_id)
    } else {
        data.get("initiativeId").and_then(serde_json::Value::as_i64)
    };
    let Some(initiative) = initiative else { return Ok(None) };
    Ok(tx
        .query_row("SELECT cadre_id FROM participant WHERE initiative_id = ?1 AND role = '牵头'", [initiative], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Every cadre a change concerns: the record's `cadres` as the database now holds
/// them (every participant of an initiative), the cadres its data names, and —
/// for an initiative — the participants it had before the change.
fn concerns(cadres: Option<&[i64]>, value: &serde_json::Value, before: Option<&str>) -> Vec<i64> {
    let mut ids = cadres.unwrap_or_default().to_vec();
    let named = |v: &serde_json::Value| -> Vec<i64> {
        let mut out: Vec<i64> = v.get("cadreId").and_then(serde_json::Value::as_i64).into_iter().collect();
        for key in ["cadreIds", "participants"] {
            for item in v.get(key).and_then(serde_json::Value::as_array).into_iter().flatten() {
                out.extend(item.as_i64().or_else(|| item.get("cadreId").and_then(serde_json::Value::as_i64)));
            }
        }
        out
    };
    ids.extend(named(value));
    if let Some(b) = before.and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok()) {
        ids.extend(named(&b));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Append a revision holding `record` as it now stands, and the matching audit entry.
pub fn record<T: Serialize>(tx: &Tx, entity: &str, entity_id: i64, reason: &str, record: &T) -> Result<()> {
    if tx.bulk {
        return Ok(());
    }
    let value = serde_json::to_value(record)?;
    let data = value.to_string();
    let before: Option<String> = tx
        .prepare_cached("SELECT data FROM revision WHERE entity = ?1 AND entity_id = ?2 ORDER BY rev DESC LIMIT 1")?
        .query_row(params![entity, entity_id], |r| r.get(0))
        .optional()?;
    let prior = match (&before, entity) {
        (Some(b), "cadre" | "unit" | "initiative") => serde_json::from_str(b).ok(),
        _ => None,
    };
    let cadres = crate::access::cadres_of(tx, entity, entity_id)?;
    crate::access::guard_write(tx, entity, entity_id, before.is_none(), prior.as_ref(), cadres.as_deref())?;
    // The revision first: the entry that follows seals it with the record.
    tx.prepare_cached(
        "INSERT INTO revision (id, entity, entity_id, rev, at, actor, reason, data)
         VALUES (?7, ?1, ?2, (SELECT coalesce(max(rev), 0) + 1 FROM revision WHERE entity = ?1 AND entity_id = ?2),
                 ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        entity,
        entity_id,
        tx.now,
        tx.actor,
        reason,
        data,
        super::ids::assign(tx, "revision", None)?
    ])?;
    super::audit::append(
        tx,
        &super::audit::Event {
            at: &tx.now,
            actor: tx.actor,
            action: reason,
            object: &format!("{entity}#{entity_id}"),
            cadre_id: cadre_of(tx, entity, entity_id, &value)?,
            concerns: &concerns(cadres.as_deref(), &value, before.as_deref()),
            before: before.as_deref().unwrap_or(""),
            after: &data,
        },
    )?;
    Ok(())
}

/// Insert a revision verbatim (archive import).
pub fn insert(conn: &Connection, r: &Revision) -> Result<()> {
    conn.execute(
        "INSERT INTO revision (id, entity, entity_id, rev, at, actor, reason, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![r.id, r.entity, r.entity_id, r.rev, r.at, r.actor, r.reason, serde_json::to_string(&r.data)?],
    )?;
    Ok(())
}

fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Revision> {
    let data: String = row.get(7)?;
    Ok(Revision {
        id: row.get(0)?,
        entity: row.get(1)?,
        entity_id: row.get(2)?,
        rev: row.get(3)?,
        at: row.get(4)?,
        actor: row.get(5)?,
        reason: row.get(6)?,
        data: serde_json::from_str(&data)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e)))?,
    })
}

const COLUMNS: &str = "id, entity, entity_id, rev, at, actor, reason, data";

/// The history of one record, oldest first.
pub fn history(conn: &Connection, entity: &str, entity_id: i64) -> Result<Vec<Revision>> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM revision WHERE entity = ?1 AND entity_id = ?2 ORDER BY rev"))?;
    let rows = stmt.query_map(params![entity, entity_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Revision>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM revision ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
