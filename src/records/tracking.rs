//! The 干事 stage: tracking records (跟踪考评) against the plan's milestones.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::initiatives::open_for_change;
use super::plans;
use super::units::reason_or_default;
use crate::archive::{Archive, found, revision};
use crate::enums::{ConductTag, Stage};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackingInput {
    pub date: String,
    /// Overall progress, 0–100 %.
    pub progress: i64,
    pub narrative: String,
    /// The milestone this record reports on, if any.
    pub milestone_id: Option<i64>,
    /// Conduct in overall key work / urgent, difficult, dangerous tasks / critical moments.
    pub conduct_tag: Option<ConductTag>,
    pub conduct: String,
    /// The tracker's rating, 1–5.
    pub rating: i64,
    pub tracker: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Tracking {
    pub id: i64,
    pub initiative_id: i64,
    #[serde(flatten)]
    pub fields: TrackingInput,
}

impl TrackingInput {
    pub fn validate(&self) -> Result<()> {
        validate::date("date", "跟踪日期", &self.date)?;
        validate::score("progress", "进度", self.progress, 0, 100)?;
        validate::required("narrative", "进展情况", &self.narrative, validate::MAX_TEXT)?;
        validate::bounded("conduct", "表现情况", &self.conduct, validate::MAX_TEXT)?;
        if self.conduct_tag.is_some() && self.conduct.trim().is_empty() {
            return Err(Error::invalid("conduct", "选择了表现类别时须填写具体表现"));
        }
        validate::score("rating", "跟踪评价", self.rating, 1, 5)?;
        validate::required("tracker", "考评人", &self.tracker, 100)
    }
}

pub(crate) const COLUMNS: &str =
    "id, initiative_id, date, progress, narrative, milestone_id, conduct_tag, conduct, rating, tracker";

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Tracking> {
    Ok(Tracking {
        id: r.get(0)?,
        initiative_id: r.get(1)?,
        fields: TrackingInput {
            date: r.get(2)?,
            progress: r.get(3)?,
            narrative: r.get(4)?,
            milestone_id: r.get(5)?,
            conduct_tag: r.get(6)?,
            conduct: r.get(7)?,
            rating: r.get(8)?,
            tracker: r.get(9)?,
        },
    })
}

pub fn of_initiative(conn: &Connection, initiative_id: i64) -> Result<Vec<Tracking>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tracking WHERE initiative_id = ?1 ORDER BY date, id"))?;
    let rows = stmt.query_map([initiative_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Tracking> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tracking WHERE id = ?1"))?;
    found("跟踪记录", id, stmt.query_row([id], from_row))
}

pub fn insert(conn: &Connection, id: Option<i64>, initiative_id: i64, t: &TrackingInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "tracking", id)?;
    conn.execute(
        &format!("INSERT INTO tracking ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        params![
            id,
            initiative_id,
            t.date,
            t.progress,
            t.narrative,
            t.milestone_id,
            t.conduct_tag,
            t.conduct,
            t.rating,
            t.tracker
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Archive {
    /// Add a tracking record. Only items in the 干事 stage are tracked.
    pub fn add_tracking(&mut self, initiative_id: i64, input: TrackingInput) -> Result<Tracking> {
        self.require_write("initiative", initiative_id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let initiative = open_for_change(tx, initiative_id)?;
            if initiative.stage != Stage::Execution {
                return Err(Error::State(format!(
                    "跟踪考评只能在「干事」阶段记录，事项当前处于「{}」阶段",
                    initiative.stage
                )));
            }
            if input.date < initiative.fields.start_date {
                return Err(Error::invalid("date", "跟踪日期不能早于事项开始日期"));
            }
            if input.date > tx.today {
                return Err(Error::invalid("date", format!("跟踪日期 {} 不能晚于今天 {}", input.date, tx.today)));
            }
            if let Some(m) = input.milestone_id {
                let milestone = plans::milestone(tx, m)
                    .map_err(|_| Error::invalid("milestoneId", format!("时间节点 {m} 不存在")))?;
                if milestone.initiative_id != initiative_id {
                    return Err(Error::invalid("milestoneId", "所选时间节点不属于本事项"));
                }
            }
            let id = insert(tx, None, initiative_id, &input)?;
            let saved = get(tx, id)?;
            revision::record(tx, "tracking", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    /// Correct a tracking record (the earlier version stays in the revision log).
    pub fn update_tracking(&mut self, id: i64, input: TrackingInput, reason: &str) -> Result<Tracking> {
        self.require_write("tracking", id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let current = get(tx, id)?;
            open_for_change(tx, current.initiative_id)?;
            tx.execute(
                "UPDATE tracking SET date = ?2, progress = ?3, narrative = ?4, milestone_id = ?5, conduct_tag = ?6,
                 conduct = ?7, rating = ?8, tracker = ?9 WHERE id = ?1",
                params![
                    id,
                    input.date,
                    input.progress,
                    input.narrative,
                    input.milestone_id,
                    input.conduct_tag,
                    input.conduct,
                    input.rating,
                    input.tracker
                ],
            )?;
            let saved = get(tx, id)?;
            revision::record(tx, "tracking", id, reason_or_default(reason), &saved)?;
            Ok(saved)
        })
    }
}
