//! Cadres (干部) and their post history (任职经历).

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::units::{self, reason_or_default};
use crate::archive::{Archive, Tx, found, revision};
use crate::enums::{CadreStatus, Gender, ManagementLevel, StaffCategory};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CadreInput {
    pub name: String,
    pub gender: Gender,
    /// 出生年月, `YYYY-MM`.
    pub birth: String,
    pub ethnicity: String,
    pub native_place: String,
    /// 入党时间, `YYYY-MM`; absent for non-members.
    pub party_date: Option<String>,
    /// 参加工作时间, `YYYY-MM`.
    pub work_start: Option<String>,
    pub education: String,
    /// 现任职务.
    pub post: String,
    /// 职级.
    pub rank: String,
    pub unit_id: i64,
    pub management_level: ManagementLevel,
    pub status: CadreStatus,
    pub id_number: Option<String>,
    /// 人员类别 (公务员 when not given).
    #[serde(default)]
    pub staff_category: StaffCategory,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Cadre {
    pub id: i64,
    #[serde(flatten)]
    pub fields: CadreInput,
}

/// One entry of the post history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PostInput {
    pub unit_id: i64,
    pub title: String,
    pub rank: String,
    pub start_date: String,
    pub end_date: Option<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    pub id: i64,
    pub cadre_id: i64,
    #[serde(flatten)]
    pub fields: PostInput,
}

/// A move to a new post: closes the open post(s) and opens the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub unit_id: i64,
    pub title: String,
    pub rank: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
}

impl CadreInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("name", "姓名", &self.name, 50)?;
        let birth = validate::year_month("birth", "出生年月", &self.birth)?;
        validate::required("ethnicity", "民族", &self.ethnicity, 20)?;
        validate::bounded("nativePlace", "籍贯", &self.native_place, 100)?;
        let party = validate::optional_year_month("partyDate", "入党时间", self.party_date.as_deref())?;
        let work = validate::optional_year_month("workStart", "参加工作时间", self.work_start.as_deref())?;
        if let Some(party) = party {
            validate::ordered("partyDate", "入党时间不能早于出生年月", birth, party)?;
        }
        if let Some(work) = work {
            validate::ordered("workStart", "参加工作时间不能早于出生年月", birth, work)?;
        }
        validate::bounded("education", "学历", &self.education, 50)?;
        validate::required("post", "现任职务", &self.post, validate::MAX_NAME)?;
        validate::bounded("rank", "职级", &self.rank, 50)?;
        if let Some(id) = &self.id_number {
            validate::id_number("idNumber", id)?;
        }
        Ok(())
    }
}

impl PostInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("title", "职务", &self.title, validate::MAX_NAME)?;
        validate::bounded("rank", "职级", &self.rank, 50)?;
        let start = validate::date("startDate", "任职时间", &self.start_date)?;
        if let Some(end) = validate::optional_date("endDate", "免职时间", self.end_date.as_deref())? {
            validate::ordered("endDate", "免职时间不能早于任职时间", start, end)?;
        }
        validate::bounded("note", "备注", &self.note, validate::MAX_TEXT)
    }
}

pub(crate) const COLUMNS: &str = "id, name, gender, birth, ethnicity, native_place, party_date, work_start, education, post, rank, \
                       unit_id, management_level, status, id_number, staff_category";

pub(crate) fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Cadre> {
    Ok(Cadre {
        id: row.get(0)?,
        fields: CadreInput {
            name: row.get(1)?,
            gender: row.get(2)?,
            birth: row.get(3)?,
            ethnicity: row.get(4)?,
            native_place: row.get(5)?,
            party_date: row.get(6)?,
            work_start: row.get(7)?,
            education: row.get(8)?,
            post: row.get(9)?,
            rank: row.get(10)?,
            unit_id: row.get(11)?,
            management_level: row.get(12)?,
            status: row.get(13)?,
            id_number: row.get(14)?,
            staff_category: row.get(15)?,
        },
    })
}

/// The cadre a record refers to through `field` must exist.
pub fn require(conn: &Connection, field: &str, id: i64) -> Result<Cadre> {
    get(conn, id).map_err(|_| Error::invalid(field, format!("干部 {id} 不存在")))
}

pub fn get(conn: &Connection, id: i64) -> Result<Cadre> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM cadre WHERE id = ?1"))?;
    found("干部", id, stmt.query_row([id], from_row))
}

/// All cadres, optionally only those in a unit's subtree and/or whose name contains `name`.
pub fn list(conn: &Connection, unit: Option<i64>, name: Option<&str>) -> Result<Vec<Cadre>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM cadre
         WHERE (?1 IS NULL OR unit_id IN (WITH RECURSIVE t(id) AS (SELECT ?1 UNION ALL SELECT u.id FROM unit u JOIN t ON u.parent_id = t.id) SELECT id FROM t))
           AND (?2 IS NULL OR instr(name, ?2) > 0)
         ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![unit, name], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(conn: &Connection, id: Option<i64>, c: &CadreInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "cadre", id)?;
    conn.prepare_cached(&format!(
        "INSERT INTO cadre ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?
    .execute(params![
        id,
        c.name,
        c.gender,
        c.birth,
        c.ethnicity,
        c.native_place,
        c.party_date,
        c.work_start,
        c.education,
        c.post,
        c.rank,
        c.unit_id,
        c.management_level,
        c.status,
        c.id_number,
        c.staff_category
    ])
    .map_err(|e| unique_id_number(e, c))?;
    Ok(conn.last_insert_rowid())
}

/// Create a cadre inside the caller's transaction (validated input).
pub(crate) fn create_in(tx: &Tx, input: &CadreInput, post_since: Option<&str>) -> Result<Cadre> {
    check_unit(tx, "unitId", input.unit_id)?;
    let start = post_since.map_or_else(|| tx.today.clone(), str::to_owned);
    let first_post = PostInput {
        unit_id: input.unit_id,
        title: input.post.clone(),
        rank: input.rank.clone(),
        start_date: start,
        end_date: None,
        note: String::new(),
    };
    first_post.validate().map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid("postSince", message),
        other => other,
    })?;
    let id = insert(tx, None, input)?;
    let cadre = get(tx, id)?;
    revision::record(tx, "cadre", id, "创建", &cadre)?;
    let post_id = insert_post(tx, None, id, &first_post)?;
    revision::record(tx, "post", post_id, "创建", &get_post(tx, post_id)?)?;
    Ok(cadre)
}

/// Correct a cadre inside the caller's transaction (validated input).
pub(crate) fn update_in(tx: &Tx, id: i64, input: &CadreInput, reason: &str) -> Result<Cadre> {
    get(tx, id)?;
    check_unit(tx, "unitId", input.unit_id)?;
    tx.execute(
        "UPDATE cadre SET name = ?2, gender = ?3, birth = ?4, ethnicity = ?5, native_place = ?6, party_date = ?7,
         work_start = ?8, education = ?9, post = ?10, rank = ?11, unit_id = ?12, management_level = ?13,
         status = ?14, id_number = ?15, staff_category = ?16 WHERE id = ?1",
        params![
            id,
            input.name,
            input.gender,
            input.birth,
            input.ethnicity,
            input.native_place,
            input.party_date,
            input.work_start,
            input.education,
            input.post,
            input.rank,
            input.unit_id,
            input.management_level,
            input.status,
            input.id_number,
            input.staff_category
        ],
    )
    .map_err(|e| unique_id_number(e, input))?;
    let cadre = get(tx, id)?;
    revision::record(tx, "cadre", id, reason_or_default(reason), &cadre)?;
    Ok(cadre)
}

fn unique_id_number(e: rusqlite::Error, c: &CadreInput) -> Error {
    if e.to_string().contains("cadre.id_number") {
        Error::invalid("idNumber", format!("身份证号「{}」已属于另一名干部", c.id_number.as_deref().unwrap_or("")))
    } else {
        e.into()
    }
}

pub(crate) const POST_COLUMNS: &str = "id, cadre_id, unit_id, title, rank, start_date, end_date, note";

pub(crate) fn post_from_row(row: &rusqlite::Row) -> rusqlite::Result<Post> {
    Ok(Post {
        id: row.get(0)?,
        cadre_id: row.get(1)?,
        fields: PostInput {
            unit_id: row.get(2)?,
            title: row.get(3)?,
            rank: row.get(4)?,
            start_date: row.get(5)?,
            end_date: row.get(6)?,
            note: row.get(7)?,
        },
    })
}

/// Post history of a cadre, earliest first.
pub fn posts(conn: &Connection, cadre_id: i64) -> Result<Vec<Post>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {POST_COLUMNS} FROM post WHERE cadre_id = ?1 ORDER BY start_date, id"))?;
    let rows = stmt.query_map([cadre_id], post_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all_posts(conn: &Connection) -> Result<Vec<Post>> {
    let mut stmt = conn.prepare(&format!("SELECT {POST_COLUMNS} FROM post ORDER BY id"))?;
    let rows = stmt.query_map([], post_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_post(conn: &Connection, id: Option<i64>, cadre_id: i64, p: &PostInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "post", id)?;
    conn.prepare_cached(&format!("INSERT INTO post ({POST_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"))?
        .execute(params![id, cadre_id, p.unit_id, p.title, p.rank, p.start_date, p.end_date, p.note])?;
    Ok(conn.last_insert_rowid())
}

fn get_post(conn: &Connection, id: i64) -> Result<Post> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {POST_COLUMNS} FROM post WHERE id = ?1"))?;
    found("任职经历", id, stmt.query_row([id], post_from_row))
}

/// Add a post to a cadre's history inside the caller's transaction.
pub(crate) fn add_post_in(tx: &Tx, cadre_id: i64, input: &PostInput) -> Result<Post> {
    input.validate()?;
    get(tx, cadre_id)?;
    check_unit(tx, "unitId", input.unit_id)?;
    let id = insert_post(tx, None, cadre_id, input)?;
    let post = get_post(tx, id)?;
    revision::record(tx, "post", id, "创建", &post)?;
    Ok(post)
}

fn check_unit(tx: &Tx, field: &str, unit_id: i64) -> Result<()> {
    units::get(tx, unit_id).map(|_| ()).map_err(|_| Error::invalid(field, format!("单位 {unit_id} 不存在")))
}

impl Archive {
    pub fn cadre(&self, id: i64) -> Result<Cadre> {
        self.require_cadre(id)?;
        get(self.conn(), id)
    }

    pub fn cadres(&self, unit: Option<i64>, name: Option<&str>) -> Result<Vec<Cadre>> {
        self.require_role(crate::access::READERS, "查阅干部名单")?;
        if let Some(u) = unit {
            self.require_unit(u)?;
        }
        let scope = self.scope_units()?;
        let mut all = list(self.conn(), unit, name.filter(|n| !n.trim().is_empty()))?;
        all.retain(|c| scope.contains(&c.fields.unit_id));
        Ok(all)
    }

    /// Create a cadre. The current post opens the post history, starting on
    /// `post_since` (任现职时间) or today.
    pub fn create_cadre(&mut self, input: CadreInput, post_since: Option<&str>) -> Result<Cadre> {
        input.validate()?;
        self.with_tx(|tx| create_in(tx, &input, post_since))
    }

    /// Correct a cadre's data; the previous version stays in the revision log.
    pub fn update_cadre(&mut self, id: i64, input: CadreInput, reason: &str) -> Result<Cadre> {
        self.require_write("cadre", id)?;
        input.validate()?;
        self.with_tx(|tx| update_in(tx, id, &input, reason))
    }

    /// Add a past post to the history (résumé entries).
    pub fn add_post(&mut self, cadre_id: i64, input: PostInput) -> Result<Post> {
        self.require_write("cadre", cadre_id)?;
        self.with_tx(|tx| add_post_in(tx, cadre_id, &input))
    }

    /// Move a cadre to a new post: open posts end on `date`, the new one starts.
    pub fn transfer_cadre(&mut self, cadre_id: i64, t: Transfer) -> Result<Cadre> {
        self.require_write("cadre", cadre_id)?;
        let new_post = PostInput {
            unit_id: t.unit_id,
            title: t.title.clone(),
            rank: t.rank.clone(),
            start_date: t.date.clone(),
            end_date: None,
            note: t.note.clone(),
        };
        new_post.validate()?;
        self.with_tx(|tx| {
            let mut cadre = get(tx, cadre_id)?;
            check_unit(tx, "unitId", t.unit_id)?;
            for open in posts(tx, cadre_id)?.into_iter().filter(|p| p.fields.end_date.is_none()) {
                if open.fields.start_date > t.date {
                    return Err(Error::invalid(
                        "date",
                        format!("调任时间不能早于现任职务的任职时间 {}", open.fields.start_date),
                    ));
                }
                tx.execute("UPDATE post SET end_date = ?2 WHERE id = ?1", params![open.id, t.date])?;
                revision::record(tx, "post", open.id, "调任", &get_post(tx, open.id)?)?;
            }
            let id = insert_post(tx, None, cadre_id, &new_post)?;
            revision::record(tx, "post", id, "调任", &get_post(tx, id)?)?;
            cadre.fields.unit_id = t.unit_id;
            cadre.fields.post = t.title;
            cadre.fields.rank = t.rank;
            tx.execute(
                "UPDATE cadre SET unit_id = ?2, post = ?3, rank = ?4 WHERE id = ?1",
                params![cadre_id, cadre.fields.unit_id, cadre.fields.post, cadre.fields.rank],
            )?;
            revision::record(tx, "cadre", cadre_id, "调任", &cadre)?;
            Ok(cadre)
        })
    }
}
