//! The stage lifecycle 谋事 → 干事 → 成事, and stopping (中止).
//!
//! - 谋事 → 干事 needs a complete four-question plan (goal, measures,
//!   responsible unit and person, deadline), at least one milestone, and
//!   ratings from both rater roles (组织部门 and 领导班子主要负责同志).
//! - 干事 → 成事 needs an outcome record.
//! - An item may be stopped at any stage with a reason; a stopped item is
//!   read-only.
//!
//! Every transition records its date, actor and note.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{Archive, Tx, revision};
use crate::enums::{RaterRole, Stage};
use crate::error::{Error, Result};
use crate::records::initiatives::{self, Initiative, open_for_change};
use crate::records::{outcomes, plans};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub id: i64,
    pub initiative_id: i64,
    /// `None` for the creating entry (立项).
    pub from_stage: Option<Stage>,
    pub to_stage: Stage,
    pub date: String,
    pub actor: String,
    pub note: String,
}

/// What still blocks the next stage (empty when the item may advance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub stage: Stage,
    pub next: Option<Stage>,
    pub missing: Vec<String>,
}

pub(crate) fn log_transition(
    tx: &Tx,
    initiative_id: i64,
    from: Option<Stage>,
    to: Stage,
    date: &str,
    note: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO stage_transition (id, initiative_id, from_stage, to_stage, date, actor, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![crate::archive::ids::assign(tx, "stage_transition", None)?, initiative_id, from, to, date, tx.actor, note],
    )?;
    Ok(())
}

pub fn insert_transition(conn: &Connection, t: &Transition) -> Result<()> {
    conn.execute(
        "INSERT INTO stage_transition (id, initiative_id, from_stage, to_stage, date, actor, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![t.id, t.initiative_id, t.from_stage, t.to_stage, t.date, t.actor, t.note],
    )?;
    Ok(())
}

pub(crate) const COLUMNS: &str = "id, initiative_id, from_stage, to_stage, date, actor, note";

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Transition> {
    Ok(Transition {
        id: r.get(0)?,
        initiative_id: r.get(1)?,
        from_stage: r.get(2)?,
        to_stage: r.get(3)?,
        date: r.get(4)?,
        actor: r.get(5)?,
        note: r.get(6)?,
    })
}

pub fn transitions(conn: &Connection, initiative_id: i64) -> Result<Vec<Transition>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM stage_transition WHERE initiative_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([initiative_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all_transitions(conn: &Connection) -> Result<Vec<Transition>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM stage_transition ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The unmet preconditions for moving `initiative` to its next stage.
pub fn missing_for_next(conn: &Connection, initiative: &Initiative) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    match initiative.stage {
        Stage::Plan => {
            match plans::plan(conn, initiative.id)? {
                None => missing.push("尚未填写谋事计划（干什么、怎么干、谁来干、什么时间干成）".to_owned()),
                Some(p) => {
                    let p = p.fields;
                    if p.goal.trim().is_empty() {
                        missing.push("计划缺少「干什么」（目标）".to_owned());
                    }
                    if p.measures.trim().is_empty() {
                        missing.push("计划缺少「怎么干」（措施）".to_owned());
                    }
                    if p.responsible_unit_id.is_none() {
                        missing.push("计划缺少「谁来干」的责任单位".to_owned());
                    }
                    if p.responsible_person.trim().is_empty() {
                        missing.push("计划缺少「谁来干」的责任人".to_owned());
                    }
                    if p.deadline.is_none() {
                        missing.push("计划缺少「什么时间干成」（完成时限）".to_owned());
                    }
                }
            }
            if plans::milestones(conn, initiative.id)?.is_empty() {
                missing.push("至少需要一个时间节点".to_owned());
            }
            let rated: Vec<RaterRole> =
                plans::ratings(conn, initiative.id)?.iter().map(|r| r.fields.rater_role).collect();
            for role in RaterRole::ALL {
                if !rated.contains(role) {
                    missing.push(format!("缺少{role}对谋事的评价"));
                }
            }
        }
        Stage::Execution => {
            if outcomes::outcome(conn, initiative.id)?.is_none() {
                missing.push("尚未记录成效（实现程度与成效情况）".to_owned());
            }
        }
        Stage::Outcome => missing.push("事项已处于最后的「成事」阶段".to_owned()),
    }
    Ok(missing)
}

impl Archive {
    pub fn readiness(&self, initiative_id: i64) -> Result<Readiness> {
        self.require_record("initiative", initiative_id)?;
        let i = initiatives::get(self.conn(), initiative_id)?;
        let mut missing = missing_for_next(self.conn(), &i)?;
        if let Some(on) = &i.stopped_on {
            missing.insert(0, format!("事项已于 {on} 中止"));
        }
        Ok(Readiness { stage: i.stage, next: i.stage.next(), missing })
    }

    /// Move an item to its next stage on `date`; refused with the list of unmet preconditions.
    pub fn advance(&mut self, initiative_id: i64, date: &str, note: &str) -> Result<Initiative> {
        self.require_write("initiative", initiative_id)?;
        validate::date("date", "推进日期", date)?;
        validate::bounded("note", "说明", note, validate::MAX_TEXT)?;
        self.with_tx(|tx| {
            let i = open_for_change(tx, initiative_id)?;
            let Some(next) = i.stage.next() else {
                return Err(Error::State("事项已处于最后的「成事」阶段".to_owned()));
            };
            let missing = missing_for_next(tx, &i)?;
            if !missing.is_empty() {
                return Err(Error::Transition { from: i.stage.to_string(), to: next.to_string(), missing });
            }
            check_date_order(tx, &i, date)?;
            tx.execute("UPDATE initiative SET stage = ?2 WHERE id = ?1", params![initiative_id, next])?;
            log_transition(tx, initiative_id, Some(i.stage), next, date, note)?;
            let saved = initiatives::get(tx, initiative_id)?;
            revision::record(tx, "initiative", initiative_id, &format!("推进到{next}"), &saved)?;
            Ok(saved)
        })
    }

    /// Stop (中止) an item with a reason. It keeps the stage it reached.
    pub fn stop(&mut self, initiative_id: i64, date: &str, reason: &str) -> Result<Initiative> {
        self.require_write("initiative", initiative_id)?;
        validate::date("date", "中止日期", date)?;
        validate::required("reason", "中止原因", reason, validate::MAX_TEXT)?;
        self.with_tx(|tx| {
            let i = open_for_change(tx, initiative_id)?;
            check_date_order(tx, &i, date)?;
            tx.execute(
                "UPDATE initiative SET stopped_on = ?2, stop_reason = ?3 WHERE id = ?1",
                params![initiative_id, date, reason],
            )?;
            log_transition(tx, initiative_id, Some(i.stage), i.stage, date, &format!("中止：{reason}"))?;
            let saved = initiatives::get(tx, initiative_id)?;
            revision::record(tx, "initiative", initiative_id, "中止", &saved)?;
            Ok(saved)
        })
    }
}

fn check_date_order(tx: &Tx, i: &Initiative, date: &str) -> Result<()> {
    if let Some(last) = transitions(tx, i.id)?.last()
        && date < last.date.as_str()
    {
        return Err(Error::invalid("date", format!("日期 {date} 早于上一次阶段变更日期 {}", last.date)));
    }
    if date > tx.today.as_str() {
        return Err(Error::invalid("date", format!("日期 {date} 不能晚于今天 {}", tx.today)));
    }
    Ok(())
}
