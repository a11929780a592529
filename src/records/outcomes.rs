//! The 成事 stage: the outcome (achievement, results, quantified results) and
//! recognitions (国家级/省级/市级/县级).

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::initiatives::open_for_change;
use super::units::reason_or_default;
use crate::archive::{Archive, found, revision};
use crate::enums::{Achievement, RecognitionLevel, Stage};
use crate::error::{Error, Result};
use crate::validate;

/// A quantified result, e.g. 投资额 5000 万元.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeInput {
    pub achievement: Achievement,
    pub narrative: String,
    pub recorded_on: String,
    #[serde(default)]
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub initiative_id: i64,
    #[serde(flatten)]
    pub fields: OutcomeInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecognitionInput {
    pub level: RecognitionLevel,
    /// What was recognised (e.g. 全国农村改革试验区典型经验).
    pub title: String,
    /// Issuing body (发文/授予机关).
    pub body: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recognition {
    pub id: i64,
    pub initiative_id: i64,
    #[serde(flatten)]
    pub fields: RecognitionInput,
}

impl OutcomeInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("narrative", "成效情况", &self.narrative, validate::MAX_TEXT)?;
        validate::date("recordedOn", "记录日期", &self.recorded_on)?;
        for (i, m) in self.metrics.iter().enumerate() {
            validate::required(&format!("metrics[{i}].name"), "指标名称", &m.name, 100)?;
            validate::bounded(&format!("metrics[{i}].unit"), "计量单位", &m.unit, 20)?;
            if !m.value.is_finite() {
                return Err(Error::invalid(format!("metrics[{i}].value"), "指标数值必须是有限数字"));
            }
        }
        Ok(())
    }
}

impl RecognitionInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("title", "表彰/认可事项", &self.title, validate::MAX_NAME)?;
        validate::required("body", "授予机关", &self.body, validate::MAX_NAME)?;
        validate::date("date", "认可日期", &self.date)?;
        Ok(())
    }
}

pub(crate) const OUTCOME_COLUMNS: &str = "achievement, narrative, recorded_on";
pub(crate) const METRIC_COLUMNS: &str = "name, value, unit";

/// An outcome row; its metrics are read separately.
pub(crate) fn outcome_from_row(r: &rusqlite::Row) -> rusqlite::Result<OutcomeInput> {
    Ok(OutcomeInput { achievement: r.get(0)?, narrative: r.get(1)?, recorded_on: r.get(2)?, metrics: Vec::new() })
}

pub(crate) fn metric_from_row(r: &rusqlite::Row) -> rusqlite::Result<Metric> {
    Ok(Metric { name: r.get(0)?, value: r.get(1)?, unit: r.get(2)? })
}

pub fn outcome(conn: &Connection, initiative_id: i64) -> Result<Option<Outcome>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {OUTCOME_COLUMNS} FROM outcome WHERE initiative_id = ?1"))?;
    let Some(mut fields) = stmt.query_row([initiative_id], outcome_from_row).optional()? else {
        return Ok(None);
    };
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {METRIC_COLUMNS} FROM outcome_metric WHERE initiative_id = ?1 ORDER BY id"))?;
    fields.metrics = stmt.query_map([initiative_id], metric_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(Some(Outcome { initiative_id, fields }))
}

pub fn upsert(conn: &Connection, initiative_id: i64, o: &OutcomeInput) -> Result<()> {
    conn.execute(
        "INSERT INTO outcome (initiative_id, achievement, narrative, recorded_on) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (initiative_id) DO UPDATE SET achievement = excluded.achievement,
           narrative = excluded.narrative, recorded_on = excluded.recorded_on",
        params![initiative_id, o.achievement, o.narrative, o.recorded_on],
    )?;
    conn.execute("DELETE FROM outcome_metric WHERE initiative_id = ?1", [initiative_id])?;
    for m in &o.metrics {
        conn.execute(
            "INSERT INTO outcome_metric (id, initiative_id, name, value, unit) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![crate::archive::ids::assign(conn, "outcome_metric", None)?, initiative_id, m.name, m.value, m.unit],
        )?;
    }
    Ok(())
}

pub(crate) const RECOGNITION_COLUMNS: &str = "id, initiative_id, level, title, body, date";

pub(crate) fn recognition_from_row(r: &rusqlite::Row) -> rusqlite::Result<Recognition> {
    Ok(Recognition {
        id: r.get(0)?,
        initiative_id: r.get(1)?,
        fields: RecognitionInput { level: r.get(2)?, title: r.get(3)?, body: r.get(4)?, date: r.get(5)? },
    })
}

pub fn recognitions(conn: &Connection, initiative_id: i64) -> Result<Vec<Recognition>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RECOGNITION_COLUMNS} FROM recognition WHERE initiative_id = ?1 ORDER BY date, id"
    ))?;
    let rows = stmt.query_map([initiative_id], recognition_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn recognition(conn: &Connection, id: i64) -> Result<Recognition> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {RECOGNITION_COLUMNS} FROM recognition WHERE id = ?1"))?;
    found("认可记录", id, stmt.query_row([id], recognition_from_row))
}

pub fn insert_recognition(conn: &Connection, id: Option<i64>, initiative_id: i64, r: &RecognitionInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "recognition", id)?;
    conn.execute(
        &format!("INSERT INTO recognition ({RECOGNITION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        params![id, initiative_id, r.level, r.title, r.body, r.date],
    )?;
    Ok(conn.last_insert_rowid())
}

fn require_executing(stage: Stage, what: &str) -> Result<()> {
    if stage == Stage::Plan {
        return Err(Error::State(format!("事项尚在「谋事」阶段，须推进到「干事」阶段后才能{what}")));
    }
    Ok(())
}

impl Archive {
    /// Record (or correct) the outcome. Needed before an item can advance to 成事.
    pub fn record_outcome(&mut self, initiative_id: i64, input: OutcomeInput, reason: &str) -> Result<Outcome> {
        self.require_write("initiative", initiative_id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let initiative = open_for_change(tx, initiative_id)?;
            require_executing(initiative.stage, "记录成效")?;
            if input.recorded_on < initiative.fields.start_date {
                return Err(Error::invalid("recordedOn", "记录日期不能早于事项开始日期"));
            }
            let existed = outcome(tx, initiative_id)?.is_some();
            upsert(tx, initiative_id, &input)?;
            let saved = Outcome { initiative_id, fields: input };
            revision::record(
                tx,
                "outcome",
                initiative_id,
                if existed { reason_or_default(reason) } else { "创建" },
                &saved,
            )?;
            Ok(saved)
        })
    }

    pub fn add_recognition(&mut self, initiative_id: i64, input: RecognitionInput) -> Result<Recognition> {
        self.require_write("initiative", initiative_id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let initiative = open_for_change(tx, initiative_id)?;
            require_executing(initiative.stage, "记录认可")?;
            let id = insert_recognition(tx, None, initiative_id, &input)?;
            let saved = recognition(tx, id)?;
            revision::record(tx, "recognition", id, "创建", &saved)?;
            Ok(saved)
        })
    }
}
