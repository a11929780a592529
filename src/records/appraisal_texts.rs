//! The texts of a cadre's 年度考核登记表 as kept: the 个人总结 in the cadre's own
//! words and the 主管领导评语, one pair per cadre and year. Drafting them from
//! the year's work and printing them is `formats::appraisal_texts`.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{Tx, revision};
use crate::error::{Error, Result};
use crate::validate;

/// Longest text kept in one box of the form (about four printed pages).
pub const MAX_APPRAISAL_TEXT: usize = 6_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppraisalTextInput {
    pub cadre_id: i64,
    pub year: i32,
    /// 个人总结, first person.
    pub summary: String,
    /// 主管领导评语 (the 建议等次 is printed beside it from the assessment).
    pub leader_comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppraisalText {
    pub id: i64,
    #[serde(flatten)]
    pub fields: AppraisalTextInput,
}

impl AppraisalTextInput {
    pub fn validate(&self) -> Result<()> {
        if !(1990..=2200).contains(&self.year) {
            return Err(Error::invalid("year", format!("年度 {} 不在 1990–2200 之间", self.year)));
        }
        validate::bounded("summary", "个人总结", &self.summary, MAX_APPRAISAL_TEXT)?;
        validate::bounded("leaderComment", "主管领导评语", &self.leader_comment, MAX_APPRAISAL_TEXT)
    }
}

const COLUMNS: &str = "id, cadre_id, year, summary, leader_comment";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<AppraisalText> {
    Ok(AppraisalText {
        id: r.get(0)?,
        fields: AppraisalTextInput {
            cadre_id: r.get(1)?,
            year: r.get(2)?,
            summary: r.get(3)?,
            leader_comment: r.get(4)?,
        },
    })
}

pub fn get(conn: &Connection, cadre_id: i64, year: i32) -> Result<Option<AppraisalText>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM appraisal_text WHERE cadre_id = ?1 AND year = ?2"))?;
    Ok(stmt.query_row(params![cadre_id, year], from_row).optional()?)
}

pub fn all(conn: &Connection) -> Result<Vec<AppraisalText>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM appraisal_text ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Insert or replace the year's texts (the earlier wording stays in the revision log).
pub fn upsert(conn: &Connection, id: Option<i64>, t: &AppraisalTextInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "appraisal_text", id)?;
    conn.execute(
        &format!(
            "INSERT INTO appraisal_text ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (cadre_id, year) DO UPDATE SET summary = excluded.summary,
               leader_comment = excluded.leader_comment"
        ),
        params![id, t.cadre_id, t.year, t.summary, t.leader_comment],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM appraisal_text WHERE cadre_id = ?1 AND year = ?2",
        params![t.cadre_id, t.year],
        |r| r.get(0),
    )?)
}

/// Keep the texts inside the caller's transaction: role and scope are checked by
/// the revision it records (as for every write).
pub(crate) fn save_in(tx: &Tx, t: &AppraisalTextInput) -> Result<AppraisalText> {
    t.validate()?;
    super::cadres::require(tx, "cadreId", t.cadre_id)?;
    let id = upsert(tx, None, t)?;
    let kept = AppraisalText { id, fields: t.clone() };
    revision::record(tx, "appraisal_text", id, "填写考核登记表", &kept)?;
    Ok(kept)
}
