//! Global search (Ctrl+K in the window, `ganshi search` in the CLI): cadres by
//! name, pinyin, pinyin initials, post and unit; initiatives by title,
//! summary and outcome narrative. Two FTS5 indexes (`cadre_fts`,
//! `initiative_fts`, schema version 7) are kept current by triggers; see
//! [`terms`] for how Chinese text is indexed. Results are confined to the
//! user's management scope in the same SQL statement that searches, so a
//! scoped user never learns that a hit outside the scope exists.

pub mod terms;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::READERS;
use crate::archive::Archive;
use crate::error::{Error, Result};

/// At most this many words of a query are used; the rest are ignored.
const MAX_TERMS: usize = 8;
/// A query longer than this (in characters) is refused.
const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum HitKind {
    Cadre,
    Initiative,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: i64,
    /// The cadre's name or the initiative's title.
    pub title: String,
    /// Unit and post of a cadre; lead cadre and stage of an initiative.
    pub subtitle: String,
    /// Where the query matched: 姓名, 拼音, 职务, 单位, 标题, 概要, 成效.
    pub matched: String,
    /// A short excerpt around the match, when it is in a longer text.
    pub excerpt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub query: String,
    pub cadres: Vec<SearchHit>,
    pub initiatives: Vec<SearchHit>,
    /// More cadres matched than were returned.
    pub more_cadres: bool,
    pub more_initiatives: bool,
}

/// The FTS5 expressions of a query: for cadres by name (characters and
/// pinyin) only, for cadres in any column, and for initiatives; `None` for a
/// query with nothing searchable in it.
struct Expressions {
    cadre_name: String,
    cadre_any: String,
    initiative_title: String,
    initiative_any: String,
}

fn expressions(query: &str) -> Option<Expressions> {
    let words: Vec<&str> = query.split_whitespace().take(MAX_TERMS).collect();
    let join = |columns: &str, pinyin: Option<&str>| -> String {
        words.iter().filter_map(|w| terms::query_expr(w, columns, pinyin)).collect::<Vec<_>>().join(" AND ")
    };
    let cadre_any = join("{title body}", Some("pinyin"));
    if cadre_any.is_empty() {
        return None;
    }
    Some(Expressions {
        cadre_name: join("{title}", Some("pinyin")),
        cadre_any,
        initiative_title: join("{title}", None),
        initiative_any: join("{title body}", None),
    })
}

impl Archive {
    /// Search cadres and initiatives; up to `limit` of each, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResults> {
        self.require_role(READERS, "检索档案")?;
        let query = query.trim();
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid("query", format!("检索词过长（最多 {MAX_QUERY_CHARS} 字）")));
        }
        let mut out = SearchResults {
            query: query.to_owned(),
            cadres: Vec::new(),
            initiatives: Vec::new(),
            more_cadres: false,
            more_initiatives: false,
        };
        let Some(exprs) = expressions(query) else {
            return Ok(out);
        };
        let limit = limit.clamp(1, 200);
        let words: Vec<String> = query.split_whitespace().take(MAX_TERMS).map(str::to_lowercase).collect();
        // Best first without ranking every match (a word common to 100,000
        // initiatives would make that slow): exact names, then name matches,
        // then matches anywhere; each pass stops at the limit.
        let mut cadre_ids: Vec<i64> = Vec::new();
        if words.len() == 1 {
            cadre_ids.extend(self.ids(
                "SELECT id FROM cadre WHERE name = ?1 AND unit_id IN (SELECT id FROM temp.scope_unit) ORDER BY id LIMIT ?2",
                query,
                limit + 1,
                &[],
            )?);
        }
        for expr in [&exprs.cadre_name, &exprs.cadre_any] {
            if cadre_ids.len() > limit {
                break;
            }
            let more = self.ids(
                "SELECT c.id FROM cadre_fts f JOIN cadre c ON c.id = f.rowid
                  WHERE cadre_fts MATCH ?1 AND c.unit_id IN (SELECT id FROM temp.scope_unit)
                  ORDER BY f.rowid LIMIT ?2",
                expr,
                limit + 1,
                &cadre_ids,
            )?;
            cadre_ids.extend(more);
        }
        out.more_cadres = cadre_ids.len() > limit;
        cadre_ids.truncate(limit);
        out.cadres = self.cadre_hits(&cadre_ids, &words)?;
        let mut initiative_ids: Vec<i64> = Vec::new();
        for expr in [&exprs.initiative_title, &exprs.initiative_any] {
            if initiative_ids.len() > limit {
                break;
            }
            let more = self.ids(
                // Any participant in scope (docs/security.md, 「共同参与的事项」).
                "SELECT f.rowid FROM initiative_fts f
                  WHERE initiative_fts MATCH ?1
                    AND EXISTS (SELECT 1 FROM participant q JOIN cadre qc ON qc.id = q.cadre_id
                                 WHERE q.initiative_id = f.rowid AND qc.unit_id IN (SELECT id FROM temp.scope_unit))
                  ORDER BY f.rowid DESC LIMIT ?2",
                expr,
                limit + 1,
                &initiative_ids,
            )?;
            initiative_ids.extend(more);
        }
        out.more_initiatives = initiative_ids.len() > limit;
        initiative_ids.truncate(limit);
        out.initiatives = self.initiative_hits(&initiative_ids, &words)?;
        Ok(out)
    }

    /// Ids from `sql` (parameters: the match expression and a limit), leaving
    /// out those already found; asks for enough to fill `want` after that.
    fn ids(&self, sql: &str, expr: &str, want: usize, found: &[i64]) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let limit = i64::try_from(want + found.len()).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![expr, limit], |r| r.get::<_, i64>(0))?;
        let mut out = Vec::new();
        for id in rows {
            let id = id?;
            if !found.contains(&id) && !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    fn cadre_hits(&self, ids: &[i64], words: &[String]) -> Result<Vec<SearchHit>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, c.name, c.post, u.name FROM cadre c JOIN unit u ON u.id = c.unit_id WHERE c.id = ?1",
        )?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.push(stmt.query_row([id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            }));
        }
        let mut hits = Vec::new();
        for row in rows {
            let (id, name, post, unit) = row?;
            let matched = if contains_any(&name, words) {
                "姓名"
            } else if contains_any(&unit, words) {
                "单位"
            } else if contains_any(&post, words) {
                "职务"
            } else {
                "拼音"
            };
            hits.push(SearchHit {
                kind: HitKind::Cadre,
                id,
                title: name,
                subtitle: format!("{unit} · {post}"),
                matched: matched.to_owned(),
                excerpt: None,
            });
        }
        Ok(hits)
    }

    fn initiative_hits(&self, ids: &[i64], words: &[String]) -> Result<Vec<SearchHit>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, i.title, i.stage, i.summary, coalesce(o.narrative, ''), coalesce(c.name, '')
               FROM initiative i
               LEFT JOIN participant p ON p.initiative_id = i.id AND p.role = '牵头'
               LEFT JOIN cadre c ON c.id = p.cadre_id
               LEFT JOIN outcome o ON o.initiative_id = i.id
              WHERE i.id = ?1",
        )?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.push(stmt.query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            }));
        }
        let mut hits = Vec::new();
        for row in rows {
            let (id, title, stage, summary, narrative, lead) = row?;
            let (matched, excerpt) = if contains_any(&title, words) {
                ("标题", None)
            } else if let Some(e) = excerpt(&summary, words) {
                ("概要", Some(e))
            } else if let Some(e) = excerpt(&narrative, words) {
                ("成效", Some(e))
            } else {
                ("概要", Some(summary.chars().take(EXCERPT_CHARS * 2).collect()))
            };
            let subtitle = if lead.is_empty() { stage } else { format!("{lead}牵头 · {stage}") };
            hits.push(SearchHit {
                kind: HitKind::Initiative,
                id,
                title,
                subtitle,
                matched: matched.to_owned(),
                excerpt,
            });
        }
        Ok(hits)
    }
}

/// Characters kept on each side of a match in an excerpt.
const EXCERPT_CHARS: usize = 24;

fn contains_any(text: &str, words: &[String]) -> bool {
    let lower = text.to_lowercase();
    words.iter().any(|w| lower.contains(w.as_str()))
}

/// `…context 关键词 context…` around the first word found in `text`.
fn excerpt(text: &str, words: &[String]) -> Option<String> {
    let lower = text.to_lowercase();
    let byte = words.iter().filter_map(|w| lower.find(w.as_str())).min()?;
    // Lower-casing can change byte lengths outside ASCII; count characters instead.
    let at = lower[..byte].chars().count();
    let chars: Vec<char> = text.chars().collect();
    let start = at.saturating_sub(EXCERPT_CHARS);
    let end = (at + EXCERPT_CHARS * 2).min(chars.len());
    let mut s: String = chars[start.min(chars.len())..end].iter().collect();
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_centre_on_the_match() {
        let text = "为解决老旧小区加装电梯难的问题，街道牵头成立协调专班，逐户上门做工作，形成了可复制的加装流程。";
        let e = excerpt(text, &["协调专班".to_owned()]).unwrap_or_default();
        assert!(e.contains("协调专班") && e.starts_with('…') || e.starts_with("为解决"), "{e}");
        assert_eq!(excerpt(text, &["不存在".to_owned()]), None);
    }

    #[test]
    fn empty_and_punctuation_queries_search_nothing() {
        assert!(expressions("").is_none());
        assert!(expressions("，。 ！").is_none());
        let e = expressions("张三 扶贫").expect("searchable");
        assert!(e.cadre_name.starts_with("{title}") && e.initiative_any.contains(" AND "));
    }
}
