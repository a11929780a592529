//! The 谋事 stage: the "four questions" plan (干什么、怎么干、谁来干、什么时间干成),
//! its milestones (时间节点) and the two plan ratings (创新性、挑战性、攻坚性).

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::initiatives::{Initiative, open_for_change};
use super::units::{self, reason_or_default};
use crate::archive::{Archive, Tx, found, revision};
use crate::enums::RaterRole;
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanInput {
    /// 干什么: the goal.
    pub goal: String,
    /// 怎么干: the measures.
    pub measures: String,
    /// 谁来干: responsible unit …
    pub responsible_unit_id: Option<i64>,
    /// … and responsible person.
    pub responsible_person: String,
    /// 什么时间干成: the deadline.
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub initiative_id: i64,
    #[serde(flatten)]
    pub fields: PlanInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MilestoneInput {
    pub name: String,
    pub due_date: String,
    pub done_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Milestone {
    pub id: i64,
    pub initiative_id: i64,
    #[serde(flatten)]
    pub fields: MilestoneInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RatingInput {
    pub rater_role: RaterRole,
    pub rater_name: String,
    /// 创新性 1–5.
    pub innovation: i64,
    /// 挑战性 1–5.
    pub challenge: i64,
    /// 攻坚性 1–5.
    pub difficulty: i64,
    pub comment: String,
    pub rated_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanRating {
    pub id: i64,
    pub initiative_id: i64,
    #[serde(flatten)]
    pub fields: RatingInput,
}

impl PlanInput {
    pub fn validate(&self, start_date: &str) -> Result<()> {
        validate::bounded("goal", "干什么（目标）", &self.goal, validate::MAX_TEXT)?;
        validate::bounded("measures", "怎么干（措施）", &self.measures, validate::MAX_TEXT)?;
        validate::bounded("responsiblePerson", "责任人", &self.responsible_person, 100)?;
        if let Some(deadline) = validate::optional_date("deadline", "完成时限", self.deadline.as_deref())? {
            let start = validate::date("startDate", "开始日期", start_date)?;
            validate::ordered("deadline", "完成时限不能早于事项开始日期", start, deadline)?;
        }
        Ok(())
    }
}

impl MilestoneInput {
    pub fn validate(&self, start_date: &str, deadline: Option<&str>) -> Result<()> {
        validate::required("name", "节点名称", &self.name, validate::MAX_NAME)?;
        let due = validate::date("dueDate", "计划完成日期", &self.due_date)?;
        let start = validate::date("startDate", "开始日期", start_date)?;
        validate::ordered("dueDate", "节点计划日期不能早于事项开始日期", start, due)?;
        if let Some(deadline) = validate::optional_date("deadline", "完成时限", deadline)? {
            validate::ordered("dueDate", "节点计划日期不能晚于计划的完成时限", due, deadline)?;
        }
        if let Some(done) = validate::optional_date("doneDate", "实际完成日期", self.done_date.as_deref())? {
            validate::ordered("doneDate", "实际完成日期不能早于事项开始日期", start, done)?;
        }
        Ok(())
    }
}

impl RatingInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("raterName", "评价人", &self.rater_name, 100)?;
        validate::score("innovation", "创新性评分", self.innovation, 1, 5)?;
        validate::score("challenge", "挑战性评分", self.challenge, 1, 5)?;
        validate::score("difficulty", "攻坚性评分", self.difficulty, 1, 5)?;
        validate::bounded("comment", "评价意见", &self.comment, validate::MAX_TEXT)?;
        validate::date("ratedOn", "评价日期", &self.rated_on)?;
        Ok(())
    }
}

pub(crate) const PLAN_COLUMNS: &str = "goal, measures, responsible_unit_id, responsible_person, deadline";

pub(crate) fn plan_from_row(r: &rusqlite::Row) -> rusqlite::Result<PlanInput> {
    Ok(PlanInput {
        goal: r.get(0)?,
        measures: r.get(1)?,
        responsible_unit_id: r.get(2)?,
        responsible_person: r.get(3)?,
        deadline: r.get(4)?,
    })
}

pub fn plan(conn: &Connection, initiative_id: i64) -> Result<Option<Plan>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {PLAN_COLUMNS} FROM plan WHERE initiative_id = ?1"))?;
    let fields = stmt.query_row([initiative_id], plan_from_row).optional()?;
    Ok(fields.map(|fields| Plan { initiative_id, fields }))
}

pub fn upsert_plan(conn: &Connection, initiative_id: i64, p: &PlanInput) -> Result<()> {
    conn.execute(
        "INSERT INTO plan (initiative_id, goal, measures, responsible_unit_id, responsible_person, deadline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (initiative_id) DO UPDATE SET goal = excluded.goal, measures = excluded.measures,
           responsible_unit_id = excluded.responsible_unit_id, responsible_person = excluded.responsible_person,
           deadline = excluded.deadline",
        params![initiative_id, p.goal, p.measures, p.responsible_unit_id, p.responsible_person, p.deadline],
    )?;
    Ok(())
}

pub(crate) const MILESTONE_COLUMNS: &str = "id, initiative_id, name, due_date, done_date";

pub(crate) fn milestone_from_row(r: &rusqlite::Row) -> rusqlite::Result<Milestone> {
    Ok(Milestone {
        id: r.get(0)?,
        initiative_id: r.get(1)?,
        fields: MilestoneInput { name: r.get(2)?, due_date: r.get(3)?, done_date: r.get(4)? },
    })
}

pub fn milestones(conn: &Connection, initiative_id: i64) -> Result<Vec<Milestone>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MILESTONE_COLUMNS} FROM milestone WHERE initiative_id = ?1 ORDER BY due_date, id"
    ))?;
    let rows = stmt.query_map([initiative_id], milestone_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn milestone(conn: &Connection, id: i64) -> Result<Milestone> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {MILESTONE_COLUMNS} FROM milestone WHERE id = ?1"))?;
    found("时间节点", id, stmt.query_row([id], milestone_from_row))
}

pub fn insert_milestone(conn: &Connection, id: Option<i64>, initiative_id: i64, m: &MilestoneInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "milestone", id)?;
    conn.execute(
        &format!("INSERT INTO milestone ({MILESTONE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"),
        params![id, initiative_id, m.name, m.due_date, m.done_date],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) const RATING_COLUMNS: &str =
    "id, initiative_id, rater_role, rater_name, innovation, challenge, difficulty, comment, rated_on";

pub(crate) fn rating_from_row(r: &rusqlite::Row) -> rusqlite::Result<PlanRating> {
    Ok(PlanRating {
        id: r.get(0)?,
        initiative_id: r.get(1)?,
        fields: RatingInput {
            rater_role: r.get(2)?,
            rater_name: r.get(3)?,
            innovation: r.get(4)?,
            challenge: r.get(5)?,
            difficulty: r.get(6)?,
            comment: r.get(7)?,
            rated_on: r.get(8)?,
        },
    })
}

pub fn ratings(conn: &Connection, initiative_id: i64) -> Result<Vec<PlanRating>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RATING_COLUMNS} FROM plan_rating WHERE initiative_id = ?1 ORDER BY rater_role = '领导班子主要负责同志', id"
    ))?;
    let rows = stmt.query_map([initiative_id], rating_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_rating(conn: &Connection, id: Option<i64>, initiative_id: i64, r: &RatingInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "plan_rating", id)?;
    conn.execute(
        &format!("INSERT INTO plan_rating ({RATING_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            id,
            initiative_id,
            r.rater_role,
            r.rater_name,
            r.innovation,
            r.challenge,
            r.difficulty,
            r.comment,
            r.rated_on
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn deadline_of(tx: &Tx, initiative_id: i64) -> Result<Option<String>> {
    Ok(plan(tx, initiative_id)?.and_then(|p| p.fields.deadline))
}

fn check_unit(tx: &Tx, unit: Option<i64>) -> Result<()> {
    if let Some(u) = unit {
        units::get(tx, u).map_err(|_| Error::invalid("responsibleUnitId", format!("责任单位 {u} 不存在")))?;
    }
    Ok(())
}

impl Archive {
    /// Write (or correct) the four-question plan. Incomplete drafts may be
    /// saved; completeness is checked when the item advances to 干事.
    pub fn save_plan(&mut self, initiative_id: i64, input: PlanInput, reason: &str) -> Result<Plan> {
        self.require_write("initiative", initiative_id)?;
        self.with_tx(|tx| {
            let initiative: Initiative = open_for_change(tx, initiative_id)?;
            input.validate(&initiative.fields.start_date)?;
            check_unit(tx, input.responsible_unit_id)?;
            for m in milestones(tx, initiative_id)? {
                if let Some(deadline) = &input.deadline
                    && &m.fields.due_date > deadline
                {
                    return Err(Error::invalid(
                        "deadline",
                        format!(
                            "完成时限 {deadline} 早于时间节点「{}」的计划日期 {}",
                            m.fields.name, m.fields.due_date
                        ),
                    ));
                }
            }
            let existed = plan(tx, initiative_id)?.is_some();
            upsert_plan(tx, initiative_id, &input)?;
            let saved = Plan { initiative_id, fields: input };
            let why = if existed { reason_or_default(reason) } else { "创建" };
            revision::record(tx, "plan", initiative_id, why, &saved)?;
            Ok(saved)
        })
    }

    pub fn add_milestone(&mut self, initiative_id: i64, input: MilestoneInput) -> Result<Milestone> {
        self.require_write("initiative", initiative_id)?;
        self.with_tx(|tx| {
            let initiative = open_for_change(tx, initiative_id)?;
            input.validate(&initiative.fields.start_date, deadline_of(tx, initiative_id)?.as_deref())?;
            let id = insert_milestone(tx, None, initiative_id, &input)?;
            let saved = milestone(tx, id)?;
            revision::record(tx, "milestone", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    /// Correct a milestone or record that it was done.
    pub fn update_milestone(&mut self, id: i64, input: MilestoneInput, reason: &str) -> Result<Milestone> {
        self.require_write("milestone", id)?;
        self.with_tx(|tx| {
            let current = milestone(tx, id)?;
            let initiative = open_for_change(tx, current.initiative_id)?;
            input.validate(&initiative.fields.start_date, deadline_of(tx, current.initiative_id)?.as_deref())?;
            tx.execute(
                "UPDATE milestone SET name = ?2, due_date = ?3, done_date = ?4 WHERE id = ?1",
                params![id, input.name, input.due_date, input.done_date],
            )?;
            let saved = milestone(tx, id)?;
            revision::record(tx, "milestone", id, reason_or_default(reason), &saved)?;
            Ok(saved)
        })
    }

    /// Record a rater's plan rating; a second rating by the same role is a
    /// correction (the earlier one stays in the revision log).
    pub fn rate_plan(&mut self, initiative_id: i64, input: RatingInput, reason: &str) -> Result<PlanRating> {
        self.require_write("initiative", initiative_id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let initiative = open_for_change(tx, initiative_id)?;
            let start = validate::date("startDate", "开始日期", &initiative.fields.start_date)?;
            let rated = validate::date("ratedOn", "评价日期", &input.rated_on)?;
            validate::ordered("ratedOn", "评价日期不能早于事项开始日期", start, rated)?;
            let existing = ratings(tx, initiative_id)?.into_iter().find(|r| r.fields.rater_role == input.rater_role);
            let (id, why) = match existing {
                Some(r) => {
                    tx.execute(
                        "UPDATE plan_rating SET rater_name = ?2, innovation = ?3, challenge = ?4, difficulty = ?5,
                         comment = ?6, rated_on = ?7 WHERE id = ?1",
                        params![
                            r.id,
                            input.rater_name,
                            input.innovation,
                            input.challenge,
                            input.difficulty,
                            input.comment,
                            input.rated_on
                        ],
                    )?;
                    (r.id, reason_or_default(reason))
                }
                None => (insert_rating(tx, None, initiative_id, &input)?, "创建"),
            };
            let saved = PlanRating { id, initiative_id, fields: input };
            revision::record(tx, "plan_rating", id, why, &saved)?;
            Ok(saved)
        })
    }
}
