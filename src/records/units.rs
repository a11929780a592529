//! Units (单位): a tree 市 → 县(市、区)/开发区, 市直部门, 市属企事业单位 → 乡镇/科室.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{Archive, Tx, found, revision};
use crate::enums::UnitKind;
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnitInput {
    pub parent_id: Option<i64>,
    /// Organisation code, unique in the archive (e.g. `130200-03`).
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    #[serde(default)]
    pub sort_order: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    pub id: i64,
    #[serde(flatten)]
    pub fields: UnitInput,
}

impl UnitInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("code", "单位代码", &self.code, 64)?;
        validate::required("name", "单位名称", &self.name, validate::MAX_NAME)
    }
}

const COLUMNS: &str = "id, parent_id, code, name, kind, sort_order";

fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: row.get(0)?,
        fields: UnitInput {
            parent_id: row.get(1)?,
            code: row.get(2)?,
            name: row.get(3)?,
            kind: row.get(4)?,
            sort_order: row.get(5)?,
        },
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Unit> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM unit WHERE id = ?1"))?;
    found("单位", id, stmt.query_row([id], from_row))
}

pub fn list(conn: &Connection) -> Result<Vec<Unit>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM unit ORDER BY sort_order, id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Insert with an explicit id (import) or a new one.
pub fn insert(conn: &Connection, id: Option<i64>, u: &UnitInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "unit", id)?;
    conn.execute(
        "INSERT INTO unit (id, parent_id, code, name, kind, sort_order) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, u.parent_id, u.code, u.name, u.kind, u.sort_order],
    )
    .map_err(|e| unique_code(e, &u.code))?;
    Ok(conn.last_insert_rowid())
}

fn unique_code(e: rusqlite::Error, code: &str) -> Error {
    if e.to_string().contains("unit.code") {
        Error::invalid("code", format!("单位代码「{code}」已被使用"))
    } else {
        e.into()
    }
}

/// The ids of `root` and every unit below it.
pub fn subtree(conn: &Connection, root: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE t(id) AS (SELECT ?1 UNION ALL SELECT u.id FROM unit u JOIN t ON u.parent_id = t.id)
         SELECT id FROM t",
    )?;
    let rows = stmt.query_map([root], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Names from the root down to `id`, e.g. `["唐山市", "路北区", "果园乡"]`.
pub fn path_names(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut next = Some(id);
    while let Some(current) = next {
        let row: Option<(String, Option<i64>)> = conn
            .query_row("SELECT name, parent_id FROM unit WHERE id = ?1", [current], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((name, parent)) = row else { break };
        names.push(name);
        next = parent;
        if names.len() > 64 {
            break;
        }
    }
    names.reverse();
    Ok(names)
}

fn check_parent(tx: &Tx, id: Option<i64>, parent: Option<i64>) -> Result<()> {
    let Some(parent) = parent else { return Ok(()) };
    get(tx, parent).map_err(|_| Error::invalid("parentId", format!("上级单位 {parent} 不存在")))?;
    if let Some(id) = id
        && subtree(tx, id)?.contains(&parent)
    {
        return Err(Error::invalid("parentId", "上级单位不能是本单位或其下级单位"));
    }
    Ok(())
}

impl Archive {
    pub fn units(&self) -> Result<Vec<Unit>> {
        let scope = self.scope_units()?;
        let mut all = list(self.conn())?;
        all.retain(|u| scope.contains(&u.id));
        Ok(all)
    }

    pub fn unit(&self, id: i64) -> Result<Unit> {
        self.require_unit(id)?;
        get(self.conn(), id)
    }

    pub fn create_unit(&mut self, input: UnitInput) -> Result<Unit> {
        input.validate()?;
        self.with_tx(|tx| {
            check_parent(tx, None, input.parent_id)?;
            let id = insert(tx, None, &input)?;
            let unit = get(tx, id)?;
            revision::record(tx, "unit", id, "创建", &unit)?;
            Ok(unit)
        })
    }

    pub fn update_unit(&mut self, id: i64, input: UnitInput, reason: &str) -> Result<Unit> {
        self.require_write("unit", id)?;
        input.validate()?;
        self.with_tx(|tx| {
            get(tx, id)?;
            check_parent(tx, Some(id), input.parent_id)?;
            tx.execute(
                "UPDATE unit SET parent_id = ?2, code = ?3, name = ?4, kind = ?5, sort_order = ?6 WHERE id = ?1",
                params![id, input.parent_id, input.code, input.name, input.kind, input.sort_order],
            )
            .map_err(|e| unique_code(e, &input.code))?;
            let unit = get(tx, id)?;
            revision::record(tx, "unit", id, reason_or_default(reason), &unit)?;
            Ok(unit)
        })
    }
}

pub(crate) fn reason_or_default(reason: &str) -> &str {
    if reason.trim().is_empty() { "更正" } else { reason }
}
