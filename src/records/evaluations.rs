//! People's evaluations (民主测评, 群众评议) and the protection clause (保护条款):
//! an evaluation that came out poorly because the cadre dared to act and
//! offended interests is excluded from the assessment by a recorded decision.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadres;
use crate::archive::{Archive, found, revision};
use crate::enums::{EvaluationKind, RaterGroup};
use crate::error::{Error, Result};
use crate::validate;

/// Vote counts per grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Votes {
    pub excellent: i64,
    pub competent: i64,
    pub basic: i64,
    pub incompetent: i64,
}

impl Votes {
    pub fn total(&self) -> i64 {
        self.excellent + self.competent + self.basic + self.incompetent
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationInput {
    pub cadre_id: i64,
    pub year: i32,
    pub kind: EvaluationKind,
    pub rater_group: RaterGroup,
    /// Vote counts (民主测评 by grade) …
    pub votes: Option<Votes>,
    /// … or a score 0–100 (满意度, 评议得分). Exactly one of the two.
    pub score: Option<f64>,
    pub held_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub id: i64,
    #[serde(flatten)]
    pub fields: EvaluationInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProtectionInput {
    pub evaluation_id: i64,
    /// Why: the cadre offended interests by daring to act (勇于担当、敢抓敢管).
    pub reason: String,
    pub decided_by: String,
    pub decided_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Protection {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ProtectionInput,
}

impl EvaluationInput {
    pub fn validate(&self) -> Result<()> {
        validate::score("year", "年度", i64::from(self.year), 1990, 2200)?;
        match (&self.votes, self.score) {
            (Some(v), None) => {
                if [v.excellent, v.competent, v.basic, v.incompetent].iter().any(|n| *n < 0) {
                    return Err(Error::invalid("votes", "票数不能为负"));
                }
                if v.total() == 0 {
                    return Err(Error::invalid("votes", "有效票数为 0"));
                }
            }
            (None, Some(s)) => {
                if !(0.0..=100.0).contains(&s) {
                    return Err(Error::invalid("score", format!("得分应在 0 到 100 之间，实际为 {s}")));
                }
            }
            _ => return Err(Error::invalid("votes", "须填写各等次票数或得分（二者之一）")),
        }
        let held = validate::date("heldOn", "测评日期", &self.held_on)?;
        if chrono::Datelike::year(&held) < self.year {
            return Err(Error::invalid("heldOn", "测评日期不能早于所评年度"));
        }
        validate::bounded("note", "备注", &self.note, validate::MAX_TEXT)
    }
}

impl ProtectionInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("reason", "适用保护条款的理由", &self.reason, validate::MAX_TEXT)?;
        validate::required("decidedBy", "决定机关", &self.decided_by, validate::MAX_NAME)?;
        validate::date("decidedOn", "决定日期", &self.decided_on)?;
        Ok(())
    }
}

pub(crate) const COLUMNS: &str =
    "id, cadre_id, year, kind, rater_group, excellent, competent, basic, incompetent, score, held_on, note";

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Evaluation> {
    let votes = match (r.get::<_, Option<i64>>(5)?, r.get(6)?, r.get(7)?, r.get(8)?) {
        (Some(excellent), Some(competent), Some(basic), Some(incompetent)) => {
            Some(Votes { excellent, competent, basic, incompetent })
        }
        _ => None,
    };
    Ok(Evaluation {
        id: r.get(0)?,
        fields: EvaluationInput {
            cadre_id: r.get(1)?,
            year: r.get(2)?,
            kind: r.get(3)?,
            rater_group: r.get(4)?,
            votes,
            score: r.get(9)?,
            held_on: r.get(10)?,
            note: r.get(11)?,
        },
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Evaluation> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM evaluation WHERE id = ?1"))?;
    found("测评记录", id, stmt.query_row([id], from_row))
}

/// A cadre's evaluations (all years when `year` is None), by year then id.
pub fn of_cadre(conn: &Connection, cadre_id: i64, year: Option<i32>) -> Result<Vec<Evaluation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM evaluation WHERE cadre_id = ?1 AND (?2 IS NULL OR year = ?2) ORDER BY year, id"
    ))?;
    let rows = stmt.query_map(params![cadre_id, year], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Evaluation>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM evaluation ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(conn: &Connection, id: Option<i64>, e: &EvaluationInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "evaluation", id)?;
    let v = e.votes;
    conn.execute(
        &format!("INSERT INTO evaluation ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        params![
            id,
            e.cadre_id,
            e.year,
            e.kind,
            e.rater_group,
            v.map(|v| v.excellent),
            v.map(|v| v.competent),
            v.map(|v| v.basic),
            v.map(|v| v.incompetent),
            e.score,
            e.held_on,
            e.note
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn protection_from_row(r: &rusqlite::Row) -> rusqlite::Result<Protection> {
    Ok(Protection {
        id: r.get(0)?,
        fields: ProtectionInput {
            evaluation_id: r.get(1)?,
            reason: r.get(2)?,
            decided_by: r.get(3)?,
            decided_on: r.get(4)?,
        },
    })
}

pub fn protection_of(conn: &Connection, evaluation_id: i64) -> Result<Option<Protection>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, evaluation_id, reason, decided_by, decided_on FROM protection WHERE evaluation_id = ?1",
    )?;
    Ok(stmt.query_row([evaluation_id], protection_from_row).optional()?)
}

pub fn all_protections(conn: &Connection) -> Result<Vec<Protection>> {
    let mut stmt =
        conn.prepare("SELECT id, evaluation_id, reason, decided_by, decided_on FROM protection ORDER BY id")?;
    let rows = stmt.query_map([], protection_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_protection(conn: &Connection, id: Option<i64>, p: &ProtectionInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "protection", id)?;
    conn.execute(
        "INSERT INTO protection (id, evaluation_id, reason, decided_by, decided_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, p.evaluation_id, p.reason, p.decided_by, p.decided_on],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Archive {
    pub fn add_evaluation(&mut self, input: EvaluationInput) -> Result<Evaluation> {
        input.validate()?;
        self.with_tx(|tx| {
            cadres::require(tx, "cadreId", input.cadre_id)?;
            let id = insert(tx, None, &input)?;
            let saved = get(tx, id)?;
            revision::record(tx, "evaluation", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    pub fn evaluations(&self, cadre_id: i64, year: Option<i32>) -> Result<Vec<Evaluation>> {
        self.require_cadre(cadre_id)?;
        of_cadre(self.conn(), cadre_id, year)
    }

    /// Apply the protection clause to one evaluation (a recorded decision, never a deletion).
    pub fn protect_evaluation(&mut self, input: ProtectionInput) -> Result<Protection> {
        self.require_write("evaluation", input.evaluation_id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let evaluation = get(tx, input.evaluation_id)
                .map_err(|_| Error::invalid("evaluationId", format!("测评记录 {} 不存在", input.evaluation_id)))?;
            if input.decided_on < evaluation.fields.held_on {
                return Err(Error::invalid("decidedOn", "保护决定不能早于测评日期"));
            }
            if protection_of(tx, input.evaluation_id)?.is_some() {
                return Err(Error::State("该测评已适用保护条款".to_owned()));
            }
            let id = insert_protection(tx, None, &input)?;
            let saved = Protection { id, fields: input };
            revision::record(tx, "protection", id, "创建", &saved)?;
            Ok(saved)
        })
    }
}
