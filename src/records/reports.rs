//! Reports against a cadre (信访举报) and their findings. A 不实 finding creates
//! a clearing record (澄清正名): the dossier shows the report as cleared and it
//! never counts against the cadre.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadres;
use crate::archive::{Archive, found, revision};
use crate::enums::ReportFinding;
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportInput {
    pub cadre_id: i64,
    pub received_on: String,
    /// 来源: 信访、12388 举报、巡察移交…
    pub source: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ReportInput,
    /// `None` while the report is still being looked into.
    pub finding: Option<ReportFinding>,
    pub found_on: Option<String>,
    pub investigated_by: String,
    pub finding_note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingInput {
    pub finding: ReportFinding,
    pub found_on: String,
    pub investigated_by: String,
    #[serde(default)]
    pub note: String,
    /// For 不实: where the clearing is announced (default 本单位) and its wording.
    pub clearing_scope: Option<String>,
    pub clearing_statement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Clearing {
    pub id: i64,
    pub report_id: i64,
    pub cleared_on: String,
    pub scope: String,
    pub statement: String,
}

impl ReportInput {
    pub fn validate(&self) -> Result<()> {
        validate::date("receivedOn", "收件日期", &self.received_on)?;
        validate::required("source", "来源", &self.source, validate::MAX_NAME)?;
        validate::required("summary", "反映问题", &self.summary, validate::MAX_TEXT)
    }
}

pub(crate) const COLUMNS: &str =
    "id, cadre_id, received_on, source, summary, finding, found_on, investigated_by, finding_note";

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Report> {
    Ok(Report {
        id: r.get(0)?,
        fields: ReportInput { cadre_id: r.get(1)?, received_on: r.get(2)?, source: r.get(3)?, summary: r.get(4)? },
        finding: r.get(5)?,
        found_on: r.get(6)?,
        investigated_by: r.get(7)?,
        finding_note: r.get(8)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Report> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM report WHERE id = ?1"))?;
    found("举报记录", id, stmt.query_row([id], from_row))
}

pub fn of_cadre(conn: &Connection, cadre_id: i64) -> Result<Vec<Report>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM report WHERE cadre_id = ?1 ORDER BY received_on, id"))?;
    let rows = stmt.query_map([cadre_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Report>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM report ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(conn: &Connection, r: &Report) -> Result<i64> {
    conn.execute(
        &format!("INSERT INTO report ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            crate::archive::ids::assign(conn, "report", Some(r.id))?,
            r.fields.cadre_id,
            r.fields.received_on,
            r.fields.source,
            r.fields.summary,
            r.finding,
            r.found_on,
            r.investigated_by,
            r.finding_note
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn clearing_from_row(r: &rusqlite::Row) -> rusqlite::Result<Clearing> {
    Ok(Clearing { id: r.get(0)?, report_id: r.get(1)?, cleared_on: r.get(2)?, scope: r.get(3)?, statement: r.get(4)? })
}

pub fn clearing_of(conn: &Connection, report_id: i64) -> Result<Option<Clearing>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, report_id, cleared_on, scope, statement FROM clearing WHERE report_id = ?1")?;
    Ok(stmt.query_row([report_id], clearing_from_row).optional()?)
}

pub fn all_clearings(conn: &Connection) -> Result<Vec<Clearing>> {
    let mut stmt = conn.prepare("SELECT id, report_id, cleared_on, scope, statement FROM clearing ORDER BY id")?;
    let rows = stmt.query_map([], clearing_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_clearing(conn: &Connection, c: &Clearing) -> Result<i64> {
    conn.execute(
        "INSERT INTO clearing (id, report_id, cleared_on, scope, statement) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            crate::archive::ids::assign(conn, "clearing", Some(c.id))?,
            c.report_id,
            c.cleared_on,
            c.scope,
            c.statement
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Archive {
    pub fn add_report(&mut self, input: ReportInput) -> Result<Report> {
        input.validate()?;
        self.with_tx(|tx| {
            cadres::require(tx, "cadreId", input.cadre_id)?;
            let report = Report {
                id: 0,
                fields: input,
                finding: None,
                found_on: None,
                investigated_by: String::new(),
                finding_note: String::new(),
            };
            let id = insert(tx, &report)?;
            let saved = get(tx, id)?;
            revision::record(tx, "report", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    pub fn reports(&self, cadre_id: i64) -> Result<Vec<Report>> {
        self.require_cadre(cadre_id)?;
        of_cadre(self.conn(), cadre_id)
    }

    pub fn clearing(&self, report_id: i64) -> Result<Option<Clearing>> {
        self.require_record("report", report_id)?;
        clearing_of(self.conn(), report_id)
    }

    /// Record the finding of an investigation; 不实 also records the clearing (澄清正名).
    pub fn record_finding(&mut self, report_id: i64, input: FindingInput) -> Result<Report> {
        self.require_write("report", report_id)?;
        let found = validate::date("foundOn", "查核日期", &input.found_on)?;
        validate::required("investigatedBy", "查核机关", &input.investigated_by, validate::MAX_NAME)?;
        validate::bounded("note", "查核情况", &input.note, validate::MAX_TEXT)?;
        self.with_tx(|tx| {
            let report = get(tx, report_id)?;
            if report.finding.is_some() {
                return Err(Error::State("该举报已有查核结论；如需更正请另行记录".to_owned()));
            }
            let received = validate::date("receivedOn", "收件日期", &report.fields.received_on)?;
            validate::ordered("foundOn", "查核日期不能早于收件日期", received, found)?;
            tx.execute(
                "UPDATE report SET finding = ?2, found_on = ?3, investigated_by = ?4, finding_note = ?5 WHERE id = ?1",
                params![report_id, input.finding, input.found_on, input.investigated_by, input.note],
            )?;
            if input.finding == ReportFinding::Untrue {
                let clearing = Clearing {
                    id: 0,
                    report_id,
                    cleared_on: input.found_on.clone(),
                    scope: input
                        .clearing_scope
                        .clone()
                        .filter(|s| !s.trim().is_empty())
                        .unwrap_or_else(|| "本单位".to_owned()),
                    statement: input.clearing_statement.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| {
                        format!(
                            "经{}查核，反映的「{}」问题不实，予以澄清正名。",
                            input.investigated_by, report.fields.summary
                        )
                    }),
                };
                let id = insert_clearing(tx, &clearing)?;
                revision::record(tx, "clearing", id, "澄清正名", &Clearing { id, ..clearing })?;
            }
            let saved = get(tx, report_id)?;
            revision::record(tx, "report", report_id, "查核结论", &saved)?;
            Ok(saved)
        })
    }
}
