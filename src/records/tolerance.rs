//! Fault-tolerance cases (容错免责), examined by the six aspects (六看, seed 001)
//! and decided 予以容错 / 不予容错 with reasons. A decided case may be marked a
//! benchmark case (标杆案例, seed 000) and cited by later cases.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{cadres, initiatives, negatives};
use crate::archive::{Archive, found, revision};
use crate::enums::ToleranceDecision;
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ToleranceInput {
    pub cadre_id: i64,
    /// The shortfall is in this initiative …
    pub initiative_id: Option<i64>,
    /// … or it is this negative record. Exactly one of the two.
    pub negative_id: Option<i64>,
    /// 看问题性质.
    pub nature: String,
    /// 看工作依据.
    pub basis: String,
    /// 看主观动机.
    pub motive: String,
    /// 看决策过程.
    pub process: String,
    /// 看履职取向.
    pub orientation: String,
    /// 看纠错态度.
    pub correction: String,
    /// `None` while the case is open.
    pub decision: Option<ToleranceDecision>,
    pub reason: String,
    pub decided_by: String,
    pub decided_on: Option<String>,
    #[serde(default)]
    pub benchmark: bool,
    /// Earlier benchmark cases this decision follows.
    #[serde(default)]
    pub cites: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ToleranceCase {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ToleranceInput,
}

impl ToleranceInput {
    pub fn validate(&self) -> Result<()> {
        if self.initiative_id.is_some() == self.negative_id.is_some() {
            return Err(Error::invalid("initiativeId", "容错案例须关联一个干事事项或一条负面记录（二者之一）"));
        }
        for (field, label, value) in [
            ("nature", "问题性质", &self.nature),
            ("basis", "工作依据", &self.basis),
            ("motive", "主观动机", &self.motive),
            ("process", "决策过程", &self.process),
            ("orientation", "履职取向", &self.orientation),
            ("correction", "纠错态度", &self.correction),
        ] {
            validate::required(field, &format!("“六看”之{label}"), value, validate::MAX_TEXT)?;
        }
        match (&self.decision, &self.decided_on) {
            (Some(_), Some(on)) => {
                validate::date("decidedOn", "决定日期", on)?;
                validate::required("reason", "决定理由", &self.reason, validate::MAX_TEXT)?;
                validate::required("decidedBy", "决定机关", &self.decided_by, validate::MAX_NAME)?;
            }
            (None, None) => {
                if self.benchmark {
                    return Err(Error::invalid("benchmark", "尚未作出决定的案例不能作为标杆案例"));
                }
            }
            (Some(_), None) => return Err(Error::invalid("decidedOn", "已作出决定的须填写决定日期")),
            (None, Some(_)) => return Err(Error::invalid("decision", "填写了决定日期但没有决定")),
        }
        Ok(())
    }
}

pub(crate) const COLUMNS: &str = "id, cadre_id, initiative_id, negative_id, nature, basis, motive, process, orientation, correction, \
                       decision, reason, decided_by, decided_on, benchmark";

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<ToleranceCase> {
    Ok(ToleranceCase {
        id: r.get(0)?,
        fields: ToleranceInput {
            cadre_id: r.get(1)?,
            initiative_id: r.get(2)?,
            negative_id: r.get(3)?,
            nature: r.get(4)?,
            basis: r.get(5)?,
            motive: r.get(6)?,
            process: r.get(7)?,
            orientation: r.get(8)?,
            correction: r.get(9)?,
            decision: r.get(10)?,
            reason: r.get(11)?,
            decided_by: r.get(12)?,
            decided_on: r.get(13)?,
            benchmark: r.get(14)?,
            cites: Vec::new(),
        },
    })
}

fn with_cites(conn: &Connection, mut c: ToleranceCase) -> Result<ToleranceCase> {
    let mut stmt =
        conn.prepare_cached("SELECT cited_id FROM tolerance_citation WHERE case_id = ?1 ORDER BY cited_id")?;
    c.fields.cites = stmt.query_map([c.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(c)
}

pub fn get(conn: &Connection, id: i64) -> Result<ToleranceCase> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tolerance_case WHERE id = ?1"))?;
    with_cites(conn, found("容错案例", id, stmt.query_row([id], from_row))?)
}

fn query(conn: &Connection, filter: &str, arg: Option<i64>) -> Result<Vec<ToleranceCase>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tolerance_case {filter} ORDER BY id"))?;
    let rows: Vec<ToleranceCase> = match arg {
        Some(a) => stmt.query_map([a], from_row)?.collect::<rusqlite::Result<_>>()?,
        None => stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?,
    };
    rows.into_iter().map(|c| with_cites(conn, c)).collect()
}

pub fn of_cadre(conn: &Connection, cadre_id: i64) -> Result<Vec<ToleranceCase>> {
    query(conn, "WHERE cadre_id = ?1", Some(cadre_id))
}

pub fn all(conn: &Connection) -> Result<Vec<ToleranceCase>> {
    query(conn, "", None)
}

pub fn benchmarks(conn: &Connection) -> Result<Vec<ToleranceCase>> {
    query(conn, "WHERE benchmark = 1", None)
}

pub fn insert(conn: &Connection, id: Option<i64>, t: &ToleranceInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "tolerance_case", id)?;
    conn.execute(
        &format!(
            "INSERT INTO tolerance_case ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ),
        params![
            id,
            t.cadre_id,
            t.initiative_id,
            t.negative_id,
            t.nature,
            t.basis,
            t.motive,
            t.process,
            t.orientation,
            t.correction,
            t.decision,
            t.reason,
            t.decided_by,
            t.decided_on,
            t.benchmark
        ],
    )?;
    let id = conn.last_insert_rowid();
    for cited in &t.cites {
        conn.execute("INSERT INTO tolerance_citation (case_id, cited_id) VALUES (?1, ?2)", params![id, cited])?;
    }
    Ok(id)
}

/// The linked record must belong to the cadre; cited cases must be earlier benchmark cases.
fn check_links(conn: &Connection, t: &ToleranceInput, own_id: Option<i64>) -> Result<()> {
    cadres::require(conn, "cadreId", t.cadre_id)?;
    if let Some(i) = t.initiative_id {
        let initiative =
            initiatives::get(conn, i).map_err(|_| Error::invalid("initiativeId", format!("干事事项 {i} 不存在")))?;
        if !initiative.fields.participants.iter().any(|p| p.cadre_id == t.cadre_id) {
            return Err(Error::invalid("initiativeId", "该干部不是所关联干事事项的牵头或参与干部"));
        }
    }
    if let Some(n) = t.negative_id {
        let negative =
            negatives::get(conn, n).map_err(|_| Error::invalid("negativeId", format!("负面记录 {n} 不存在")))?;
        if negative.fields.cadre_id != t.cadre_id {
            return Err(Error::invalid("negativeId", "所关联的负面记录不属于该干部"));
        }
    }
    for (k, cited) in t.cites.iter().enumerate() {
        let field = format!("cites[{k}]");
        if Some(*cited) == own_id {
            return Err(Error::invalid(field, "案例不能引用自身"));
        }
        let case = get(conn, *cited).map_err(|_| Error::invalid(&field, format!("容错案例 {cited} 不存在")))?;
        if !case.fields.benchmark {
            return Err(Error::invalid(field, format!("案例 {cited} 不是标杆案例，不能作为依据引用")));
        }
    }
    Ok(())
}

impl Archive {
    pub fn add_tolerance_case(&mut self, input: ToleranceInput) -> Result<ToleranceCase> {
        input.validate()?;
        self.with_tx(|tx| {
            check_links(tx, &input, None)?;
            let id = insert(tx, None, &input)?;
            let saved = get(tx, id)?;
            revision::record(tx, "tolerance_case", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    /// Decide an open case (or correct a decision; the earlier one stays in the revision log).
    pub fn decide_tolerance_case(&mut self, id: i64, input: ToleranceInput, reason: &str) -> Result<ToleranceCase> {
        self.require_write("tolerance_case", id)?;
        input.validate()?;
        self.with_tx(|tx| {
            let current = get(tx, id)?;
            if current.fields.cadre_id != input.cadre_id {
                return Err(Error::invalid("cadreId", "不能更换案例所属干部"));
            }
            check_links(tx, &input, Some(id))?;
            tx.execute(
                "UPDATE tolerance_case SET initiative_id = ?2, negative_id = ?3, nature = ?4, basis = ?5, motive = ?6,
                 process = ?7, orientation = ?8, correction = ?9, decision = ?10, reason = ?11, decided_by = ?12,
                 decided_on = ?13, benchmark = ?14 WHERE id = ?1",
                params![
                    id,
                    input.initiative_id,
                    input.negative_id,
                    input.nature,
                    input.basis,
                    input.motive,
                    input.process,
                    input.orientation,
                    input.correction,
                    input.decision,
                    input.reason,
                    input.decided_by,
                    input.decided_on,
                    input.benchmark
                ],
            )?;
            tx.execute("DELETE FROM tolerance_citation WHERE case_id = ?1", [id])?;
            for cited in &input.cites {
                tx.execute("INSERT INTO tolerance_citation (case_id, cited_id) VALUES (?1, ?2)", params![id, cited])?;
            }
            let saved = get(tx, id)?;
            revision::record(
                tx,
                "tolerance_case",
                id,
                if reason.trim().is_empty() { "作出决定" } else { reason },
                &saved,
            )?;
            Ok(saved)
        })
    }

    pub fn tolerance_cases(&self, cadre_id: i64) -> Result<Vec<ToleranceCase>> {
        self.require_cadre(cadre_id)?;
        of_cadre(self.conn(), cadre_id)
    }

    pub fn benchmark_cases(&self) -> Result<Vec<ToleranceCase>> {
        self.require_role(crate::access::READERS, "查阅容错案例")?;
        let mut cases = benchmarks(self.conn())?;
        let mut kept = Vec::with_capacity(cases.len());
        for c in cases.drain(..) {
            if self.cadre_visible(c.fields.cadre_id)? {
                kept.push(c);
            }
        }
        Ok(kept)
    }
}
