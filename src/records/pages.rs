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
        // Pinyin or its initials (「zhangsan」「zs」, as Ctrl+K takes them) through the name
        // index; characters as a part of the name.
        let pinyin = name.filter(|n| n.chars().any(|c| c.is_ascii_alphabetic())).and_then(|n| {
            let words: Vec<String> = n
                .split_whitespace()
                .filter_map(|w| crate::search::terms::query_expr(w, "{title}", Some("pinyin")))
                .collect();
            (!words.is_empty()).then(|| words.join(" AND "))
        });
        let by_name = if pinyin.is_some() {
            "id IN (SELECT rowid FROM cadre_fts WHERE cadre_fts MATCH ?2)"
        } else {
            "instr(name, ?2) > 0"
        };
        let filter = format!(
            "FROM cadre WHERE unit_id IN (SELECT id FROM temp.scope_unit)
               AND (?1 IS NULL OR unit_id IN {SUBTREE}) AND (?2 IS NULL OR {by_name})"
        );
        let name = pinyin.as_deref().or(name);
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
    ///
    /// A province holds ~600,000 initiatives; how the rows are found depends on how
    /// much of the archive the filter keeps (see [`Reach`]). Joining every
    /// initiative to its lead cadre and sorting them all took 6–7 s for the page
    /// and as long again for its count.
    pub fn initiatives_page(&self, f: &InitiativeFilter, page: PageRequest) -> Result<InitiativePage> {
        self.require_role(READERS, "查阅干事事项")?;
        if let Some(u) = f.unit_id {
            self.require_unit(u)?;
        }
        let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let reach = self.reach(f.unit_id)?;
        let conn = self.conn();
        // Without a unit, a scoped reader's list holds every item with any
        // participant in scope, led there or not (docs/security.md, 「共同参与的
        // 事项」); with a unit, the items led from it.
        let shared = f.unit_id.is_none() && reach != Reach::All;
        let cadres = match reach {
            // Every cadre passes (no unit chosen, or one holding every cadre): no
            // condition to check per row.
            Reach::All => "1".to_owned(),
            Reach::Narrow if shared => "?1 IS NULL".to_owned(),
            Reach::Broad if shared => format!("?1 IS NULL AND i.id IN ({})", crate::access::SHARED_IN_SCOPE),
            _ => format!("c.unit_id IN (SELECT id FROM temp.scope_unit) AND (?1 IS NULL OR c.unit_id IN {SUBTREE})"),
        };
        // Chinese text is first looked up in the search indexes (`?5`: an
        // initiative whose title, or whose lead cadre's name, holds every bigram of
        // it), then checked exactly; other text (Latin, digits, spaces) is checked
        // on every row.
        let han = text.filter(|t| t.chars().all(crate::search::terms::is_han));
        let fts = han.and_then(|t| crate::search::terms::query_expr(t, "{title}", None));
        let own = "(?2 IS NULL OR i.stage = ?2) AND (?3 IS NULL OR i.category = ?3)
                   AND (?5 IS NULL OR i.id IN (
                          SELECT rowid FROM initiative_fts WHERE initiative_fts MATCH ?5
                          UNION SELECT l.initiative_id FROM cadre_fts n
                                  JOIN participant l ON l.cadre_id = n.rowid AND l.role = '牵头'
                                 WHERE cadre_fts MATCH ?5))
                   AND (?4 IS NULL OR instr(i.title, ?4) > 0 OR instr(c.name, ?4) > 0)";
        // Lead cadre first (through the `participant_lead` index) when the filter
        // keeps a small part of the archive; newest initiative first (through
        // `initiative_start`, stopping at the page) when it keeps much of it.
        // CROSS JOIN fixes that order for SQLite's planner.
        let narrow_shared = format!(
            "FROM ({}) s
               CROSS JOIN initiative i ON i.id = s.initiative_id
               CROSS JOIN participant p ON p.initiative_id = i.id AND p.role = '牵头'
               CROSS JOIN cadre c ON c.id = p.cadre_id
               JOIN unit u ON u.id = c.unit_id",
            crate::access::SHARED_IN_SCOPE
        );
        let from = match reach {
            Reach::Narrow if shared => narrow_shared.as_str(),
            Reach::Narrow => {
                "FROM cadre c
               CROSS JOIN participant p ON p.cadre_id = c.id AND p.role = '牵头'
               CROSS JOIN initiative i ON i.id = p.initiative_id
               JOIN unit u ON u.id = c.unit_id"
            }
            Reach::Broad | Reach::All => {
                "FROM initiative i
               CROSS JOIN participant p ON p.initiative_id = i.id AND p.role = '牵头'
               CROSS JOIN cadre c ON c.id = p.cadre_id
               JOIN unit u ON u.id = c.unit_id"
            }
        };
        // ?1 unit, ?2 stage, ?3 category, ?4 text, ?5 its search-index query, ?6
        // limit, ?7 offset; the counts bind only the first one or five.
        let unfiltered = f.stage.is_none() && f.category.is_none() && text.is_none();
        let total: i64 = if unfiltered && reach == Reach::All {
            // One entry per initiative in the `participant_one_lead` index.
            conn.prepare_cached("SELECT count(*) FROM participant WHERE role = '牵头'")?.query_row([], |r| r.get(0))?
        } else if unfiltered && !shared {
            // The lead cadres' entries in the `participant_lead` index.
            conn.prepare_cached(&format!(
                "SELECT count(*) FROM cadre c CROSS JOIN participant p ON p.cadre_id = c.id AND p.role = '牵头'
                  WHERE {cadres}"
            ))?
            .query_row([f.unit_id], |r| r.get(0))?
        } else {
            conn.prepare_cached(&format!("SELECT count(*) {from} WHERE {cadres} AND {own}"))?
                .query_row(params![f.unit_id, f.stage, f.category, text, fts], |r| r.get(0))?
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} {from} WHERE {cadres} AND {own} ORDER BY i.start_date DESC, i.id DESC LIMIT ?6 OFFSET ?7",
            initiatives::ROW_COLUMNS
        ))?;
        let rows = stmt
            .query_map(
                params![f.unit_id, f.stage, f.category, text, fts, page.limit.min(MAX_PAGE), page.offset],
                initiatives::row_from,
            )?
            .collect::<rusqlite::Result<Vec<initiatives::InitiativeRow>>>()?;
        let rows = self.name_only_outside_scope(rows)?;
        Ok(InitiativePage { rows, total })
    }

    /// How much of the archive a list filtered to `unit` (and the user's scope) keeps.
    fn reach(&self, unit: Option<i64>) -> Result<Reach> {
        let (kept, all): (i64, i64) = self
            .conn()
            .prepare_cached(&format!(
                "SELECT count(*) FILTER (WHERE unit_id IN (SELECT id FROM temp.scope_unit)
                                       AND (?1 IS NULL OR unit_id IN {SUBTREE})),
                    count(*)
               FROM cadre"
            ))?
            .query_row([unit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(if kept == all {
            Reach::All
        } else if kept * Reach::BROAD_SHARE >= all {
            Reach::Broad
        } else {
            Reach::Narrow
        })
    }
}

/// How much of the archive a list's filter keeps, which decides how its rows are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Under 1/[`Reach::BROAD_SHARE`] of the cadres: read their initiatives and sort them.
    Narrow,
    /// The rest: walk the initiatives newest first and keep those that pass, until the page is full.
    Broad,
    /// Every cadre: as `Broad`, with no per-row check of the cadre.
    All,
}

impl Reach {
    const BROAD_SHARE: i64 = 8;
}
