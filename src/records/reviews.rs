//! Leader reviews (领导批示): comments on a cadre's dossier or on a promotion
//! comparison, optionally signing the review off. A review is a record of its
//! own with author and time and is never edited afterwards (append-only); a
//! later comment follows an earlier one up.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadres;
use crate::archive::{Archive, found, revision};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReviewTarget {
    /// One cadre's dossier.
    Cadre,
    /// A comparison of 2–6 candidates.
    Comparison,
}

impl ReviewTarget {
    fn as_str(self) -> &'static str {
        match self {
            ReviewTarget::Cadre => "cadre",
            ReviewTarget::Comparison => "comparison",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewInput {
    pub target_kind: ReviewTarget,
    /// The cadre, or the compared cadres.
    pub cadre_ids: Vec<i64>,
    /// The review this one follows up.
    pub parent_id: Option<i64>,
    pub text: String,
    /// 签阅: the leader signs the review off.
    #[serde(default)]
    pub signed_off: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ReviewInput,
    pub author: String,
    pub at: String,
}

/// The stored form of a target: the sorted, distinct cadre ids.
fn target_key(ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl ReviewInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("text", "批示内容", &self.text, validate::MAX_TEXT)?;
        let mut ids = self.cadre_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.cadre_ids.len() {
            return Err(Error::invalid("cadreIds", "干部不能重复"));
        }
        match self.target_kind {
            ReviewTarget::Cadre if ids.len() != 1 => Err(Error::invalid("cadreIds", "对干事档案的批示须对应一名干部")),
            ReviewTarget::Comparison if !(2..=6).contains(&ids.len()) => {
                Err(Error::invalid("cadreIds", format!("对比较的批示须对应 2 到 6 名干部，实际为 {} 名", ids.len())))
            }
            _ => Ok(()),
        }
    }
}

const COLUMNS: &str = "id, target_kind, target, parent_id, author, at, text, signed_off";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Review> {
    let kind: String = r.get(1)?;
    let target: String = r.get(2)?;
    Ok(Review {
        id: r.get(0)?,
        fields: ReviewInput {
            target_kind: if kind == "cadre" { ReviewTarget::Cadre } else { ReviewTarget::Comparison },
            cadre_ids: target.split(',').filter_map(|t| t.parse().ok()).collect(),
            parent_id: r.get(3)?,
            text: r.get(6)?,
            signed_off: r.get(7)?,
        },
        author: r.get(4)?,
        at: r.get(5)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Review> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM review WHERE id = ?1"))?;
    found("批示", id, stmt.query_row([id], from_row))
}

/// Reviews of a cadre's dossier and of every comparison the cadre was in, oldest first.
pub fn of_cadre(conn: &Connection, cadre_id: i64) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM review WHERE id IN (SELECT review_id FROM review_cadre WHERE cadre_id = ?1) ORDER BY id"
    ))?;
    let rows = stmt.query_map([cadre_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM review ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(conn: &Connection, r: &Review) -> Result<i64> {
    let f = &r.fields;
    conn.execute(
        &format!("INSERT INTO review ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            crate::archive::ids::assign(conn, "review", Some(r.id))?,
            f.target_kind.as_str(),
            target_key(&f.cadre_ids),
            f.parent_id,
            r.author,
            r.at,
            f.text,
            f.signed_off
        ],
    )?;
    let id = conn.last_insert_rowid();
    for cadre in &f.cadre_ids {
        conn.execute("INSERT INTO review_cadre (review_id, cadre_id) VALUES (?1, ?2)", params![id, cadre])?;
    }
    Ok(id)
}

impl Archive {
    /// Add a review (or a follow-up to one); stamped with the current user and time.
    pub fn add_review(&mut self, input: ReviewInput) -> Result<Review> {
        input.validate()?;
        self.with_tx(|tx| {
            for (i, id) in input.cadre_ids.iter().enumerate() {
                cadres::require(tx, &format!("cadreIds[{i}]"), *id)?;
            }
            if let Some(parent) = input.parent_id {
                let p = get(tx, parent).map_err(|_| Error::invalid("parentId", format!("批示 {parent} 不存在")))?;
                if p.fields.target_kind != input.target_kind
                    || target_key(&p.fields.cadre_ids) != target_key(&input.cadre_ids)
                {
                    return Err(Error::invalid("parentId", "跟进的批示须针对同一档案或同一组比较"));
                }
            }
            let review = Review { id: 0, fields: input, author: tx.actor.to_owned(), at: tx.now.clone() };
            let id = insert(tx, &review)?;
            let saved = get(tx, id)?;
            let action = if saved.fields.signed_off { "批示并签阅" } else { "批示" };
            revision::record(tx, "review", id, action, &saved)?;
            Ok(saved)
        })
    }

    pub fn reviews(&self, cadre_id: i64) -> Result<Vec<Review>> {
        self.require_cadre(cadre_id)?;
        of_cadre(self.conn(), cadre_id)
    }
}
