//! Paged lists for the window: tens of thousands of cadres and hundreds of
//! thousands of initiatives are never sent to the webview at once. The scope
//! filter is part of the SQL, so `total` counts only what the user may see.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadres::{self, Cadre};
use super::initiatives::{self, InitiativeFilter, InitiativeRow};
use crate::access::READERS;
use crate::archive::Archive;
use crate::error::Result;

/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageRequest {
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CadrePage {
    pub rows: Vec<Cadre>,
    /// How many cadres match in all (within the user's scope).
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativePage {
    pub rows: Vec<InitiativeRow>,
    pub total: i64,
}

const SUBTREE: &str = "(WITH RECURSIVE t(id) AS (SELECT ?1 UNION ALL SELECT x.id FROM unit x JOIN t ON x.parent_id = t.id) SELECT id FROM t)";

impl Archive {
    /// One page of the cadre list (by id), optionally within a unit's subtree and by name.
    pub fn cadres_page(&self, unit: Option<i64>, name: Option<&str>, page: PageRequest) -> Result<CadrePage> {
        self.require_role(READERS, "查阅干部名单")?;
        if let Some(u) = unit {
            self.require_unit(u)?;
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        let filter = format!(
            "FROM cadre WHERE unit_id IN (SELECT id FROM temp.scope_unit)
               AND (?1 IS NULL OR unit_id IN {SUBTREE}) AND (?2 IS NULL OR instr(name, ?2) > 0)"
        );
        let conn = self.conn();
        let total: i64 =
            conn.prepare_cached(&format!("SELECT count(*) {filter}"))?.query_row(params![unit, name], |r| r.get(0))?;
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {} {filter} ORDER BY id LIMIT ?3 OFFSET ?4", cadres::COLUMNS))?;
        let rows = stmt
            .query_map(params![unit, name, page.limit.min(MAX_PAGE), page.offset], cadres::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(CadrePage { rows, total })
    }

    /// The given cadres that are in the user's scope, by id (to name the cadres a
    /// picker holds without loading the whole list).
    pub fn cadres_by_id(&self, ids: &[i64]) -> Result<Vec<Cadre>> {
        self.require_role(READERS, "查阅干部名单")?;
        let ids = crate::records::id_set(ids.iter().copied());
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {} FROM cadre WHERE id IN rarray(?1) AND unit_id IN (SELECT id FROM temp.scope_unit) ORDER BY id",
            cadres::COLUMNS
        ))?;
        Ok(stmt.query_map([ids], cadres::from_row)?.collect::<rusqlite::Result<_>>()?)
    }

    /// One page of the initiative list, newest first.
    pub fn initiatives_page(&self, f: &InitiativeFilter, page: PageRequest) -> Result<InitiativePage> {
        self.require_role(READERS, "查阅干事事项")?;
        if let Some(u) = f.unit_id {
            self.require_unit(u)?;
        }
        let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let from = format!(
            "FROM initiative i
               JOIN participant p ON p.initiative_id = i.id AND p.role = '牵头'
               JOIN cadre c ON c.id = p.cadre_id
               JOIN unit u ON u.id = c.unit_id
              WHERE c.unit_id IN (SELECT id FROM temp.scope_unit)
                AND (?1 IS NULL OR c.unit_id IN {SUBTREE})
                AND (?2 IS NULL OR i.stage = ?2)
                AND (?3 IS NULL OR i.category = ?3)
                AND (?4 IS NULL OR instr(i.title, ?4) > 0 OR instr(c.name, ?4) > 0)"
        );
        let conn = self.conn();
        let args = params![f.unit_id, f.stage, f.category, text];
        let total: i64 = conn.prepare_cached(&format!("SELECT count(*) {from}"))?.query_row(args, |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} {from} ORDER BY i.start_date DESC, i.id DESC LIMIT ?5 OFFSET ?6",
            initiatives::ROW_COLUMNS
        ))?;
        let rows = stmt
            .query_map(
                params![f.unit_id, f.stage, f.category, text, page.limit.min(MAX_PAGE), page.offset],
                initiatives::row_from,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(InitiativePage { rows, total })
    }
}
