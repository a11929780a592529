//! The appraisal committee's final grades (考核委员会确定的等次) as stored: one
//! per cadre and year, beside the suggestion it was decided against. Recording
//! one against a fresh suggestion is `assessment::grades`.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::enums::Grade;
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FinalGradeInput {
    pub cadre_id: i64,
    pub year: i32,
    pub grade: Grade,
    /// Required when the grade differs from the suggestion.
    #[serde(default)]
    pub reason: String,
    pub decided_by: String,
    pub decided_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FinalGrade {
    pub id: i64,
    #[serde(flatten)]
    pub fields: FinalGradeInput,
    /// The suggestion at the time of the decision, and the scheme version behind it.
    pub suggested: Grade,
    pub scheme_version: i64,
}

pub(crate) const COLUMNS: &str = "id, cadre_id, year, grade, reason, decided_by, decided_on, suggested, scheme_version";

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<FinalGrade> {
    Ok(FinalGrade {
        id: r.get(0)?,
        fields: FinalGradeInput {
            cadre_id: r.get(1)?,
            year: r.get(2)?,
            grade: r.get(3)?,
            reason: r.get(4)?,
            decided_by: r.get(5)?,
            decided_on: r.get(6)?,
        },
        suggested: r.get(7)?,
        scheme_version: r.get(8)?,
    })
}

pub fn of_cadre(conn: &Connection, cadre_id: i64) -> Result<Vec<FinalGrade>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM final_grade WHERE cadre_id = ?1 ORDER BY year"))?;
    let rows = stmt.query_map([cadre_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<FinalGrade>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM final_grade ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Insert or replace the year's grade (history stays in the revision log).
pub fn upsert(conn: &Connection, g: &FinalGrade) -> Result<i64> {
    let f = &g.fields;
    conn.execute(
        &format!(
            "INSERT INTO final_grade ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (cadre_id, year) DO UPDATE SET grade = excluded.grade, reason = excluded.reason,
               decided_by = excluded.decided_by, decided_on = excluded.decided_on, suggested = excluded.suggested,
               scheme_version = excluded.scheme_version"
        ),
        params![
            crate::archive::ids::assign(conn, "final_grade", Some(g.id))?,
            f.cadre_id,
            f.year,
            f.grade,
            f.reason,
            f.decided_by,
            f.decided_on,
            g.suggested,
            g.scheme_version
        ],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM final_grade WHERE cadre_id = ?1 AND year = ?2",
        params![f.cadre_id, f.year],
        |r| r.get(0),
    )?)
}

impl FinalGradeInput {
    pub fn validate(&self, suggested: Grade) -> Result<()> {
        validate::date("decidedOn", "决定日期", &self.decided_on)?;
        validate::required("decidedBy", "决定机关", &self.decided_by, validate::MAX_NAME)?;
        validate::bounded("reason", "理由", &self.reason, validate::MAX_TEXT)?;
        if self.grade != suggested && self.reason.trim().is_empty() {
            return Err(Error::invalid(
                "reason",
                format!("确定的等次「{}」与建议等次「{suggested}」不同，须填写理由", self.grade),
            ));
        }
        Ok(())
    }
}
