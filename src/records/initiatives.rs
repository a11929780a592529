//! Initiatives (干事事项): what a cadre devised, brought in or made shine,
//! with the cadres who lead and take part and the conduct tags.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadres;
use super::units::reason_or_default;
use crate::archive::{Archive, Tx, found, revision};
use crate::enums::{Category, ConductTag, ParticipantRole, Stage};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    pub cadre_id: i64,
    pub role: ParticipantRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeInput {
    pub category: Category,
    pub title: String,
    pub summary: String,
    pub start_date: String,
    /// Exactly one 牵头; any number of 参与.
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub tags: Vec<ConductTag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Initiative {
    pub id: i64,
    #[serde(flatten)]
    pub fields: InitiativeInput,
    pub stage: Stage,
    pub stopped_on: Option<String>,
    pub stop_reason: Option<String>,
}

impl Initiative {
    pub fn lead(&self) -> Option<i64> {
        self.fields.participants.iter().find(|p| p.role == ParticipantRole::Lead).map(|p| p.cadre_id)
    }
}

impl InitiativeInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("title", "事项名称", &self.title, validate::MAX_NAME)?;
        validate::bounded("summary", "事项简介", &self.summary, validate::MAX_TEXT)?;
        validate::date("startDate", "开始日期", &self.start_date)?;
        let leads = self.participants.iter().filter(|p| p.role == ParticipantRole::Lead).count();
        if leads != 1 {
            return Err(Error::invalid("participants", format!("须有且只有一名牵头干部，现有 {leads} 名")));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, p) in self.participants.iter().enumerate() {
            if !seen.insert(p.cadre_id) {
                return Err(Error::invalid(format!("participants[{i}]"), format!("干部 {} 重复列入", p.cadre_id)));
            }
        }
        let mut tags = std::collections::BTreeSet::new();
        for (i, t) in self.tags.iter().enumerate() {
            if !tags.insert(*t) {
                return Err(Error::invalid(format!("tags[{i}]"), format!("标签「{t}」重复")));
            }
        }
        Ok(())
    }
}

pub(crate) const COLUMNS: &str = "id, category, title, summary, stage, start_date, stopped_on, stop_reason";

pub(crate) fn base_from_row(row: &rusqlite::Row) -> rusqlite::Result<Initiative> {
    Ok(Initiative {
        id: row.get(0)?,
        fields: InitiativeInput {
            category: row.get(1)?,
            title: row.get(2)?,
            summary: row.get(3)?,
            start_date: row.get(5)?,
            participants: Vec::new(),
            tags: Vec::new(),
        },
        stage: row.get(4)?,
        stopped_on: row.get(6)?,
        stop_reason: row.get(7)?,
    })
}

fn fill(conn: &Connection, mut i: Initiative) -> Result<Initiative> {
    let mut stmt = conn.prepare_cached(
        "SELECT cadre_id, role FROM participant WHERE initiative_id = ?1 ORDER BY role = '参与', rowid",
    )?;
    i.fields.participants = stmt
        .query_map([i.id], |r| Ok(Participant { cadre_id: r.get(0)?, role: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached("SELECT tag FROM initiative_tag WHERE initiative_id = ?1 ORDER BY rowid")?;
    i.fields.tags = stmt.query_map([i.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(i)
}

pub fn get(conn: &Connection, id: i64) -> Result<Initiative> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM initiative WHERE id = ?1"))?;
    let base = found("干事事项", id, stmt.query_row([id], base_from_row))?;
    fill(conn, base)
}

/// Initiatives a cadre leads or takes part in, newest first.
pub fn of_cadre(conn: &Connection, cadre_id: i64) -> Result<Vec<Initiative>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM initiative WHERE id IN (SELECT initiative_id FROM participant WHERE cadre_id = ?1)
         ORDER BY start_date DESC, id DESC"
    ))?;
    let rows: Vec<Initiative> = stmt.query_map([cadre_id], base_from_row)?.collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|i| fill(conn, i)).collect()
}

/// One row of the initiative list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeRow {
    pub id: i64,
    pub category: Category,
    pub title: String,
    pub stage: Stage,
    pub start_date: String,
    pub stopped: bool,
    /// `None` when the lead is outside the reader's scope (an item shared with a
    /// cadre in scope): the reader sees the lead's name only.
    pub lead_cadre_id: Option<i64>,
    pub lead_name: String,
    /// The lead's unit; `None` when the lead is outside the reader's scope.
    pub unit_name: Option<String>,
}

/// Filter for the initiative list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeFilter {
    pub unit_id: Option<i64>,
    pub stage: Option<Stage>,
    pub category: Option<Category>,
    pub text: Option<String>,
}

pub fn list(conn: &Connection, f: &InitiativeFilter) -> Result<Vec<InitiativeRow>> {
    let mut stmt = conn.prepare_cached(
        &format!(
            "SELECT {ROW_COLUMNS}
         FROM initiative i
         JOIN participant p ON p.initiative_id = i.id AND p.role = '牵头'
         JOIN cadre c ON c.id = p.cadre_id
         JOIN unit u ON u.id = c.unit_id
         WHERE (?1 IS NULL OR c.unit_id IN (WITH RECURSIVE t(id) AS (SELECT ?1 UNION ALL SELECT x.id FROM unit x JOIN t ON x.parent_id = t.id) SELECT id FROM t))
           AND (?2 IS NULL OR i.stage = ?2)
           AND (?3 IS NULL OR i.category = ?3)
           AND (?4 IS NULL OR instr(i.title, ?4) > 0 OR instr(c.name, ?4) > 0)
         ORDER BY i.start_date DESC, i.id DESC"
        ),
    )?;
    let text = f.text.as_deref().filter(|t| !t.trim().is_empty());
    let rows = stmt.query_map(params![f.unit_id, f.stage, f.category, text], row_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An [`InitiativeRow`] from the columns of [`ROW_COLUMNS`].
pub(crate) fn row_from(r: &rusqlite::Row) -> rusqlite::Result<InitiativeRow> {
    Ok(InitiativeRow {
        id: r.get(0)?,
        category: r.get(1)?,
        title: r.get(2)?,
        stage: r.get(3)?,
        start_date: r.get(4)?,
        stopped: r.get(5)?,
        lead_cadre_id: r.get(6)?,
        lead_name: r.get(7)?,
        unit_name: r.get(8)?,
    })
}

/// The list columns of an initiative (`i`), its lead cadre (`c`) and the cadre's unit (`u`).
pub(crate) const ROW_COLUMNS: &str =
    "i.id, i.category, i.title, i.stage, i.start_date, i.stopped_on IS NOT NULL, c.id, c.name, u.name";

pub fn all(conn: &Connection) -> Result<Vec<Initiative>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM initiative ORDER BY id"))?;
    let rows: Vec<Initiative> = stmt.query_map([], base_from_row)?.collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|i| fill(conn, i)).collect()
}

/// Insert a full record (stage and stop state included) with an optional explicit id.
pub fn insert(
    conn: &Connection,
    id: Option<i64>,
    i: &InitiativeInput,
    stage: Stage,
    stopped: Option<(&str, &str)>,
) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "initiative", id)?;
    conn.execute(
        &format!("INSERT INTO initiative ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![id, i.category, i.title, i.summary, stage, i.start_date, stopped.map(|s| s.0), stopped.map(|s| s.1)],
    )?;
    let id = conn.last_insert_rowid();
    write_links(conn, id, i)?;
    Ok(id)
}

fn write_links(conn: &Connection, id: i64, i: &InitiativeInput) -> Result<()> {
    conn.execute("DELETE FROM participant WHERE initiative_id = ?1", [id])?;
    conn.execute("DELETE FROM initiative_tag WHERE initiative_id = ?1", [id])?;
    for p in &i.participants {
        conn.execute(
            "INSERT INTO participant (initiative_id, cadre_id, role) VALUES (?1, ?2, ?3)",
            params![id, p.cadre_id, p.role],
        )?;
    }
    for t in &i.tags {
        conn.execute("INSERT INTO initiative_tag (initiative_id, tag) VALUES (?1, ?2)", params![id, t])?;
    }
    Ok(())
}

/// The initiative, provided it may still be changed (not stopped).
pub(crate) fn open_for_change(tx: &Tx, id: i64) -> Result<Initiative> {
    let i = get(tx, id)?;
    if let Some(on) = &i.stopped_on {
        return Err(Error::State(format!("事项「{}」已于 {on} 中止，不能再修改", i.fields.title)));
    }
    Ok(i)
}

fn check_participants(tx: &Tx, input: &InitiativeInput) -> Result<()> {
    for (n, p) in input.participants.iter().enumerate() {
        cadres::require(tx, &format!("participants[{n}].cadreId"), p.cadre_id)?;
    }
    Ok(())
}

impl Archive {
    /// An initiative as the reader may see it: participants outside the reader's
    /// scope are left out of `participants` (the initiative view names them).
    pub fn initiative(&self, id: i64) -> Result<Initiative> {
        self.require_record("initiative", id)?;
        let mut initiative = get(self.conn(), id)?;
        self.hide_participants_outside_scope(&mut initiative.fields.participants)?;
        Ok(initiative)
    }

    /// Leave out of `participants` the cadres outside the reader's scope (docs/security.md,
    /// 「共同参与的事项」); returns their ids.
    pub(crate) fn hide_participants_outside_scope(&self, participants: &mut Vec<Participant>) -> Result<Vec<i64>> {
        let mut hidden = Vec::new();
        if self.session().all_units {
            return Ok(hidden);
        }
        for p in participants.iter() {
            if !self.cadre_visible(p.cadre_id)? {
                hidden.push(p.cadre_id);
            }
        }
        participants.retain(|p| !hidden.contains(&p.cadre_id));
        Ok(hidden)
    }

    pub fn initiatives(&self, filter: &InitiativeFilter) -> Result<Vec<InitiativeRow>> {
        self.require_role(crate::access::READERS, "查阅干事事项")?;
        if let Some(u) = filter.unit_id {
            self.require_unit(u)?;
        }
        let rows = list(self.conn(), filter)?;
        if self.session().all_units {
            return Ok(rows);
        }
        // An item is listed when any cadre taking part is in scope (docs/security.md,
        // 「共同参与的事项」); a lead outside the scope is shown by name only.
        let shared = crate::access::initiatives_in_scope(self.conn())?;
        let rows = rows.into_iter().filter(|r| shared.contains(&r.id)).collect();
        self.name_only_outside_scope(rows)
    }

    /// A lead outside the reader's scope is shown by name only: no id to
    /// follow, no unit.
    pub(crate) fn name_only_outside_scope(&self, mut rows: Vec<InitiativeRow>) -> Result<Vec<InitiativeRow>> {
        if self.session().all_units {
            return Ok(rows);
        }
        let mut visible = std::collections::HashMap::new();
        for r in &mut rows {
            let Some(lead) = r.lead_cadre_id else { continue };
            let ok = match visible.get(&lead) {
                Some(ok) => *ok,
                None => *visible.entry(lead).or_insert(self.cadre_visible(lead)?),
            };
            if !ok {
                r.lead_cadre_id = None;
                r.unit_name = None;
            }
        }
        Ok(rows)
    }

    /// Create an initiative in the 谋事 stage.
    pub fn create_initiative(&mut self, input: InitiativeInput) -> Result<Initiative> {
        input.validate()?;
        self.with_tx(|tx| {
            check_participants(tx, &input)?;
            let id = insert(tx, None, &input, Stage::Plan, None)?;
            crate::lifecycle::log_transition(tx, id, None, Stage::Plan, &input.start_date, "立项")?;
            let initiative = get(tx, id)?;
            revision::record(tx, "initiative", id, "创建", &initiative)?;
            Ok(initiative)
        })
    }

    /// Correct an initiative's description, people or tags (stage is changed only by the lifecycle).
    pub fn update_initiative(&mut self, id: i64, input: InitiativeInput, reason: &str) -> Result<Initiative> {
        self.require_write("initiative", id)?;
        input.validate()?;
        self.with_tx(|tx| {
            open_for_change(tx, id)?;
            check_participants(tx, &input)?;
            tx.execute(
                "UPDATE initiative SET category = ?2, title = ?3, summary = ?4, start_date = ?5 WHERE id = ?1",
                params![id, input.category, input.title, input.summary, input.start_date],
            )?;
            write_links(tx, id, &input)?;
            let initiative = get(tx, id)?;
            revision::record(tx, "initiative", id, reason_or_default(reason), &initiative)?;
            Ok(initiative)
        })
    }
}
