//! Row ids (issue 19). Once an archive has a site identity (`exchange`), its
//! new rows take ids in its own range — the 行政区划代码 × 2³² upwards — so that
//! rows from every site of a city can sit in one archive under the ids they
//! were created with, and a row's id says which site owns it. Before that the
//! range is the first one (1 … 2³²−1), where every existing archive's ids are.
//!
//! The largest id is 999999 × 2³² + 2³² − 1 ≈ 4.3 × 10¹⁵, below 2⁵³: exact as a
//! JavaScript number in the window.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// The ids of one site: `[base, base + SITE_SPAN)`.
pub const SITE_SPAN: i64 = 1 << 32;

/// The first id of a site's range.
pub fn base_of(code: i64) -> i64 {
    code * SITE_SPAN
}

/// The site code a row id belongs to (0: an archive without a site identity).
pub fn site_of(id: i64) -> i64 {
    id.div_euclid(SITE_SPAN)
}

/// This archive's range base (0 without a site identity).
pub fn own_base(conn: &Connection) -> Result<i64> {
    let code: Option<String> =
        conn.prepare_cached("SELECT code FROM site_identity WHERE id = 1")?.query_row([], |r| r.get(0)).optional()?;
    Ok(code.and_then(|c| c.parse::<i64>().ok()).map_or(0, base_of))
}

/// The renumbering mark and range base: entries up to the mark name records by
/// their ids before the renumbering (`legacy`). `(0, 0)` without a site identity.
pub fn legacy_mark(conn: &Connection) -> Result<(i64, i64)> {
    if own_base(conn)? == 0 {
        return Ok((0, 0));
    }
    let mark: i64 = conn.query_row("SELECT renumbered_through FROM site_identity WHERE id = 1", [], |r| r.get(0))?;
    Ok((mark, own_base(conn)?))
}

/// The id a new row of `table` gets: `given` when it has one (an import keeping
/// its ids), else the next in this archive's own range.
pub fn assign(conn: &Connection, table: &str, given: Option<i64>) -> Result<i64> {
    if let Some(id) = given.filter(|id| *id > 0) {
        return Ok(id);
    }
    let base = own_base(conn)?;
    let max: Option<i64> = conn
        .prepare_cached(&format!("SELECT max(id) FROM {table} WHERE id > ?1 AND id < ?2"))?
        .query_row([base, base + SITE_SPAN], |r| r.get(0))?;
    Ok(max.unwrap_or(base) + 1)
}

/// Row-id columns of each record table, renumbered with the table's own ids.
/// `(table, id columns)`: the first is the table's key where it has one.
pub const ID_COLUMNS: &[(&str, &[&str])] = &[
    ("unit", &["id", "parent_id"]),
    ("cadre", &["id", "unit_id"]),
    ("post", &["id", "cadre_id", "unit_id"]),
    ("cadre_profile", &["cadre_id"]),
    ("initiative", &["id"]),
    ("participant", &["initiative_id", "cadre_id"]),
    ("initiative_tag", &["initiative_id"]),
    ("plan", &["initiative_id", "responsible_unit_id"]),
    ("milestone", &["id", "initiative_id"]),
    ("plan_rating", &["id", "initiative_id"]),
    ("tracking", &["id", "initiative_id", "milestone_id"]),
    ("outcome", &["initiative_id"]),
    ("outcome_metric", &["id", "initiative_id"]),
    ("recognition", &["id", "initiative_id"]),
    ("stage_transition", &["id", "initiative_id"]),
    ("evidence", &["id", "owner_id"]),
    ("evaluation", &["id", "cadre_id"]),
    ("protection", &["id", "evaluation_id"]),
    ("negative", &["id", "cadre_id"]),
    ("report", &["id", "cadre_id"]),
    ("clearing", &["id", "report_id"]),
    ("tolerance_case", &["id", "cadre_id", "initiative_id", "negative_id"]),
    ("tolerance_citation", &["case_id", "cited_id"]),
    ("final_grade", &["id", "cadre_id"]),
    ("appraisal_text", &["id", "cadre_id"]),
    ("review", &["id", "parent_id"]),
    ("review_cadre", &["review_id", "cadre_id"]),
    ("app_user_unit", &["unit_id"]),
    ("audit_concerns", &["cadre_id"]),
];

/// JSON keys of a revision's record that hold row ids.
const JSON_ID_KEYS: &[&str] = &[
    "id",
    "parentId",
    "unitId",
    "cadreId",
    "initiativeId",
    "milestoneId",
    "ownerId",
    "evaluationId",
    "reportId",
    "negativeId",
    "responsibleUnitId",
    "cites",
    "cadreIds",
];

fn shift_json(v: &mut serde_json::Value, by: i64) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if JSON_ID_KEYS.contains(&k.as_str()) {
                    match x {
                        Value::Number(n) => {
                            if let Some(i) = n.as_i64() {
                                *x = Value::from(i + by);
                            }
                        }
                        Value::Array(items) => {
                            for item in items.iter_mut() {
                                if let Some(i) = item.as_i64() {
                                    *item = Value::from(i + by);
                                }
                            }
                        }
                        _ => shift_json(x, by),
                    }
                } else {
                    shift_json(x, by);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| shift_json(x, by)),
        _ => {}
    }
}

/// Move every record of an archive into the site range starting at `base`
/// (issue 19: when the archive gets its site identity): ids and the columns
/// that point at them, evidence owners, 批示 targets, the revisions (their
/// record and JSON), the audit index of concerned cadres, and the search
/// indexes. The audit entries themselves are hash-chained and stay as they
/// were: an entry up to `mark` names records by their earlier ids (`legacy`).
/// Runs in the caller's transaction.
pub fn renumber(conn: &Connection, base: i64) -> Result<()> {
    if base == 0 {
        return Ok(());
    }
    applying(conn, true)?;
    conn.execute_batch(
        "PRAGMA defer_foreign_keys = ON;
         DROP TRIGGER revision_no_update; DROP TRIGGER review_no_update; DROP TRIGGER audit_concerns_no_update;",
    )?;
    for (table, cols) in ID_COLUMNS {
        let set: Vec<String> = cols.iter().map(|c| format!("{c} = {c} + {base}")).collect();
        conn.execute(&format!("UPDATE {table} SET {}", set.join(", ")), [])?;
    }
    let targets: Vec<(i64, String)> = conn
        .prepare("SELECT id, target FROM review")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, target) in targets {
        let shifted: Vec<String> = target
            .split(',')
            .filter(|t| !t.is_empty())
            .map(|t| t.trim().parse::<i64>().map_or_else(|_| t.to_owned(), |n| (n + base).to_string()))
            .collect();
        conn.execute("UPDATE review SET target = ?2 WHERE id = ?1", rusqlite::params![id, shifted.join(",")])?;
    }
    let revisions: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, entity, data FROM revision")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        conn.prepare("UPDATE revision SET id = ?2, entity_id = entity_id + ?3, data = ?4 WHERE id = ?1")?;
    for (id, entity, data) in revisions {
        // A scheme's revisions are keyed by year and version, not by a row id.
        let by = if entity == "scheme" { 0 } else { base };
        let mut value: serde_json::Value = serde_json::from_str(&data)?;
        if by != 0 {
            shift_json(&mut value, by);
        }
        update.execute(rusqlite::params![id, id + base, by, serde_json::to_string(&value)?])?;
    }
    conn.execute_batch(
        "CREATE TRIGGER revision_no_update BEFORE UPDATE ON revision BEGIN SELECT RAISE(ABORT, '修订记录只能追加，不能修改'); END;
         CREATE TRIGGER review_no_update BEFORE UPDATE ON review BEGIN SELECT RAISE(ABORT, '批示一经提交不能修改，可另行跟进'); END;
         CREATE TRIGGER audit_concerns_no_update BEFORE UPDATE ON audit_concerns BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
         DELETE FROM cadre_fts; DELETE FROM initiative_fts;
         INSERT INTO cadre_fts(rowid, title, body, pinyin)
             SELECT c.id, gs_terms(c.name), gs_terms(c.post || ' ' || u.name), gs_pinyin(c.name) FROM cadre c JOIN unit u ON u.id = c.unit_id;
         INSERT INTO initiative_fts(rowid, title, body)
             SELECT i.id, gs_terms(i.title), gs_terms(i.summary || ' ' || coalesce(o.narrative, ''))
               FROM initiative i LEFT JOIN outcome o ON o.initiative_id = i.id;
         PRAGMA defer_foreign_keys = OFF;"
    )?;
    applying(conn, false)?;
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if broken > 0 {
        return Err(crate::error::Error::State(format!("编号迁移后有 {broken} 处引用不一致，已撤销")));
    }
    Ok(())
}

/// An audit entry's object and cadre as the records are numbered now: entries
/// up to `mark` were written before the renumbering into the range at `base`.
pub fn legacy(entry_id: i64, mark: i64, base: i64, object: &mut String, cadre_id: &mut Option<i64>) {
    if entry_id > mark || base == 0 {
        return;
    }
    if let Some(c) = cadre_id.as_mut() {
        *c += base;
    }
    if let Some((kind, n)) = object.split_once('#')
        && !matches!(kind, "user" | "scheme" | "site")
        && let Ok(n) = n.parse::<i64>()
    {
        *object = format!("{kind}#{}", n + base);
    }
}

/// The tables packages carry, parents first, with the column whose id says
/// which site owns the row (a link row belongs to its parent's owner).
pub const EXCHANGED: &[(&str, &str)] = &[
    ("unit", "id"),
    ("cadre", "id"),
    ("post", "id"),
    ("cadre_profile", "cadre_id"),
    ("initiative", "id"),
    ("participant", "initiative_id"),
    ("initiative_tag", "initiative_id"),
    ("plan", "initiative_id"),
    ("milestone", "id"),
    ("plan_rating", "id"),
    ("tracking", "id"),
    ("outcome", "initiative_id"),
    ("outcome_metric", "id"),
    ("recognition", "id"),
    ("stage_transition", "id"),
    ("evidence", "id"),
    ("evaluation", "id"),
    ("protection", "id"),
    ("negative", "id"),
    ("report", "id"),
    ("clearing", "id"),
    ("tolerance_case", "id"),
    ("tolerance_citation", "case_id"),
    ("final_grade", "id"),
    ("appraisal_text", "id"),
    ("review", "id"),
    ("review_cadre", "review_id"),
    ("revision", "id"),
];

/// The message of a refused change to a row another site owns.
pub const OWNED_ELSEWHERE: &str = "该记录由其他站点维护（数据交换），本站只能查阅，不能修改或删除";

/// Let (or stop letting) this connection change rows other sites own: while a
/// package from their owner is applied, and while the site identity renumbers.
/// Inside a transaction, so a failure rolls the permission back with the rest.
pub fn applying(conn: &Connection, on: bool) -> Result<()> {
    conn.execute_batch(if on {
        "DELETE FROM temp.exchange_applying; INSERT INTO temp.exchange_applying VALUES (1);"
    } else {
        "DELETE FROM temp.exchange_applying;"
    })?;
    Ok(())
}

/// This connection's ownership triggers (issue 19): a row whose owner column
/// names another site's range cannot be changed or deleted here, nor a link
/// row added to another site's record — except while a package from its owner
/// is being applied (`temp.exchange_applying`). Without a site identity every
/// row is this archive's and nothing is refused.
pub fn install_ownership(conn: &Connection) -> Result<()> {
    let mut sql = String::from("CREATE TEMP TABLE IF NOT EXISTS exchange_applying (x INTEGER);\n");
    for (t, owner) in EXCHANGED {
        // Without a site identity nothing is refused (an archive read from an
        // interchange document keeps the ids it was written with).
        let foreign = |row: &str| {
            format!(
                "EXISTS (SELECT 1 FROM main.site_identity WHERE id = 1 AND CAST(code AS INTEGER) <> {row}.{owner} / {SITE_SPAN}) \
                 AND NOT EXISTS (SELECT 1 FROM temp.exchange_applying)"
            )
        };
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.own_{t}_u; DROP TRIGGER IF EXISTS temp.own_{t}_d; DROP TRIGGER IF EXISTS temp.own_{t}_i;
             CREATE TEMP TRIGGER own_{t}_u BEFORE UPDATE ON main.{t} WHEN {} BEGIN SELECT RAISE(ABORT, '{OWNED_ELSEWHERE}'); END;
             CREATE TEMP TRIGGER own_{t}_d BEFORE DELETE ON main.{t} WHEN {} BEGIN SELECT RAISE(ABORT, '{OWNED_ELSEWHERE}'); END;\n",
            foreign("OLD"),
            foreign("OLD"),
        ));
        if *owner != "id" {
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER own_{t}_i BEFORE INSERT ON main.{t} WHEN {} BEGIN SELECT RAISE(ABORT, '{OWNED_ELSEWHERE}'); END;\n",
                foreign("NEW")
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}
