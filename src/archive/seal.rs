//! Record seals: what the audit chain says the records are.
//!
//! Every row of every record table (`SEALED`) has a digest (SHA-256 over its
//! table name and its column values, `gs_row`). Each table's digests are summed
//! (modulo 2²⁵⁶) into the table's *seal*, kept in `seal_state`, and every audit
//! entry carries the digest of all seals as they stand after its change. The
//! sums are kept current without reading the tables: temporary triggers, which
//! exist only on this program's connections, note the digest of every row
//! written, added and removed (`temp.seal_delta`), and the next audit entry
//! adds them in. An edit made with another tool (a SQLCipher shell holding the
//! key) changes a row without changing its table's seal: `verify` recomputes
//! every seal from the rows and names the table that no longer matches, and the
//! last entry's state digest covers `seal_state` itself.

use std::collections::BTreeMap;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// The record tables and what a user calls them.
pub const SEALED: &[(&str, &str)] = &[
    ("unit", "单位"),
    ("cadre", "干部"),
    ("post", "任职经历"),
    ("cadre_profile", "干部任免信息"),
    ("initiative", "干事事项"),
    ("participant", "事项参与干部"),
    ("initiative_tag", "事项标签"),
    ("plan", "谋事方案"),
    ("milestone", "节点"),
    ("plan_rating", "谋事评价"),
    ("tracking", "跟踪记实"),
    ("outcome", "成效"),
    ("outcome_metric", "成效指标"),
    ("recognition", "表彰肯定"),
    ("stage_transition", "阶段推进"),
    ("evidence", "佐证材料"),
    ("evaluation", "民主测评"),
    ("protection", "保护决定"),
    ("negative", "负面记录"),
    ("report", "举报"),
    ("clearing", "澄清正名"),
    ("tolerance_case", "容错案例"),
    ("tolerance_citation", "容错援引"),
    ("scheme", "考核方案"),
    ("final_grade", "确定等次"),
    ("appraisal_text", "考核登记表文字"),
    ("review", "领导批示"),
    ("review_cadre", "批示所涉干部"),
    ("app_user", "用户"),
    ("app_user_unit", "用户管理范围"),
    ("revision", "修订记录"),
    ("site_identity", "本站标识"),
    ("site_partner", "交换伙伴"),
    ("exchange_conflict", "交换冲突记录"),
    ("exchange_outbox", "待交换的改动"),
    ("site_audit", "交换伙伴的审计日志"),
    ("exchange_sent", "待对方确认的交换包"),
];

/// What a user calls a kind of record (its table), if it is one.
pub fn label(table: &str) -> Option<&'static str> {
    SEALED.iter().find(|(t, _)| *t == table).map(|(_, l)| *l)
}

/// A 256-bit sum, little-endian limbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sum([u64; 4]);

impl Sum {
    fn from_digest(d: &[u8]) -> Sum {
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            if let Some(chunk) = d.get(i * 8..i * 8 + 8) {
                b.copy_from_slice(chunk);
            }
            *limb = u64::from_le_bytes(b);
        }
        Sum(limbs)
    }

    fn bytes(self) -> Vec<u8> {
        self.0.iter().flat_map(|l| l.to_le_bytes()).collect()
    }

    fn add(&mut self, other: Sum) {
        let mut carry = 0u128;
        for (a, b) in self.0.iter_mut().zip(other.0) {
            let s = u128::from(*a) + u128::from(b) + carry;
            *a = s as u64;
            carry = s >> 64;
        }
    }

    fn sub(&mut self, other: Sum) {
        // a − b = a + (¬b + 1) modulo 2²⁵⁶.
        let mut neg = Sum(other.0.map(|l| !l));
        neg.add(Sum([1, 0, 0, 0]));
        self.add(neg);
    }

    fn is_zero(self) -> bool {
        self.0 == [0; 4]
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of one row: its table's name and each value with its type.
fn row_digest(values: &[ValueRef]) -> Vec<u8> {
    let mut h = Sha256::new();
    for v in values {
        let (tag, bytes): (u8, std::borrow::Cow<[u8]>) = match v {
            ValueRef::Null => (0, (&[][..]).into()),
            ValueRef::Integer(i) => (1, i.to_le_bytes().to_vec().into()),
            ValueRef::Real(f) => (2, f.to_bits().to_le_bytes().to_vec().into()),
            ValueRef::Text(t) => (3, (*t).into()),
            ValueRef::Blob(b) => (4, (*b).into()),
        };
        h.update([tag]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    h.finalize().to_vec()
}

/// Register `gs_row(table, value, …)` on a connection.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("gs_row", -1, flags, |ctx| {
        let values = (0..ctx.len()).map(|i| ctx.get_raw(i)).collect::<Vec<_>>();
        Ok(row_digest(&values))
    })
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}', 'main') ORDER BY cid"))?;
    let names = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

fn row_expr(table: &str, prefix: &str, cols: &[String]) -> String {
    let values: Vec<String> = cols.iter().map(|c| format!("{prefix}\"{c}\"")).collect();
    format!("gs_row('{table}', {})", values.join(", "))
}

/// Create this connection's temporary triggers (after the schema is current).
pub fn install(conn: &Connection) -> Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS seal_delta (tbl TEXT NOT NULL, sign INTEGER NOT NULL, d BLOB NOT NULL);\n",
    );
    for (t, _) in SEALED {
        let cols = columns(conn, t)?;
        let (new, old) = (row_expr(t, "NEW.", &cols), row_expr(t, "OLD.", &cols));
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.seal_{t}_i; DROP TRIGGER IF EXISTS temp.seal_{t}_u; DROP TRIGGER IF EXISTS temp.seal_{t}_d;
             CREATE TEMP TRIGGER seal_{t}_i AFTER INSERT ON main.{t} BEGIN
                 INSERT INTO temp.seal_delta VALUES ('{t}', 1, {new}); END;
             CREATE TEMP TRIGGER seal_{t}_u AFTER UPDATE ON main.{t} BEGIN
                 INSERT INTO temp.seal_delta VALUES ('{t}', -1, {old}), ('{t}', 1, {new}); END;
             CREATE TEMP TRIGGER seal_{t}_d AFTER DELETE ON main.{t} BEGIN
                 INSERT INTO temp.seal_delta VALUES ('{t}', -1, {old}); END;\n"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

fn stored(conn: &Connection) -> Result<BTreeMap<String, Sum>> {
    let mut stmt = conn.prepare_cached("SELECT tbl, sum FROM main.seal_state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (t, s) = row?;
        out.insert(t, Sum::from_digest(&s));
    }
    Ok(out)
}

/// The digest an audit entry carries: of every table's seal (empty tables
/// count as absent).
fn state_digest(seals: &BTreeMap<String, Sum>) -> String {
    let mut h = Sha256::new();
    for (t, s) in seals.iter().filter(|(_, s)| !s.is_zero()) {
        h.update(t.as_bytes());
        h.update([0x1f]);
        h.update(s.bytes());
    }
    hex(&h.finalize())
}

/// The state digest of an archive with no records.
pub const EMPTY_STATE: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Whether this connection noted writes that no entry has sealed yet.
pub fn pending(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM temp.seal_delta)", [], |r| r.get(0))?)
}

/// Add the writes noted since the last entry into the seals (inside the
/// caller's transaction) and return the state digest for the next entry.
pub fn flush(conn: &Connection) -> Result<String> {
    let mut seals = stored(conn)?;
    let mut changed = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached("SELECT tbl, sign, d FROM temp.seal_delta")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (t, sign): (String, i64) = (r.get(0)?, r.get(1)?);
            let d = Sum::from_digest(r.get_ref(2)?.as_blob().unwrap_or_default());
            let sum = seals.entry(t.clone()).or_default();
            if sign > 0 {
                sum.add(d)
            } else {
                sum.sub(d)
            }
            changed.insert(t, *sum);
        }
    }
    if !changed.is_empty() {
        let mut put = conn.prepare_cached("INSERT OR REPLACE INTO main.seal_state (tbl, sum) VALUES (?1, ?2)")?;
        for (t, s) in &changed {
            put.execute(params![t, s.bytes()])?;
        }
        conn.execute("DELETE FROM temp.seal_delta", [])?;
    }
    Ok(state_digest(&seals))
}

/// Every table's seal computed from its rows.
fn recompute(conn: &Connection) -> Result<BTreeMap<String, Sum>> {
    let mut out = BTreeMap::new();
    for (t, _) in SEALED {
        let cols = columns(conn, t)?;
        if cols.is_empty() {
            // A table a later schema version adds: no rows yet.
            continue;
        }
        let mut stmt = conn.prepare(&format!("SELECT {} FROM main.{t}", row_expr(t, "", &cols)))?;
        let mut rows = stmt.query([])?;
        let mut sum = Sum::default();
        while let Some(r) = rows.next()? {
            sum.add(Sum::from_digest(r.get_ref(0)?.as_blob().unwrap_or_default()));
        }
        out.insert((*t).to_owned(), sum);
    }
    Ok(out)
}

/// Set every seal from the rows as they are (an archive sealed for the first
/// time, or after a schema upgrade changed its rows' shape); returns the state
/// digest for the entry that records it.
pub fn reseal(conn: &Connection) -> Result<String> {
    put_seals(conn, &recompute(conn)?)
}

/// Store `seals` as the archive's seals (the writes noted so far are in them);
/// returns their state digest.
fn put_seals(conn: &Connection, seals: &BTreeMap<String, Sum>) -> Result<String> {
    conn.execute("DELETE FROM main.seal_state", [])?;
    let mut put = conn.prepare_cached("INSERT INTO main.seal_state (tbl, sum) VALUES (?1, ?2)")?;
    for (t, s) in seals.iter().filter(|(_, s)| !s.is_zero()) {
        put.execute(params![t, s.bytes()])?;
    }
    conn.execute("DELETE FROM temp.seal_delta", [])?;
    Ok(state_digest(seals))
}

/// Per table, the stored seal minus the sum of the rows as they are, where
/// they differ: the records changed outside the program since they were sealed.
pub(crate) fn drift(conn: &Connection) -> Result<BTreeMap<String, Sum>> {
    let actual = recompute(conn)?;
    let stored = stored(conn)?;
    let mut out = BTreeMap::new();
    for (t, _) in SEALED {
        let mut d = stored.get(*t).copied().unwrap_or_default();
        d.sub(actual.get(*t).copied().unwrap_or_default());
        if !d.is_zero() {
            out.insert((*t).to_owned(), d);
        }
    }
    Ok(out)
}

/// [`reseal`] after an upgrade, keeping the difference [`drift`] found before it:
/// a record changed outside the program is still reported after the upgrade
/// (which must not bless it by sealing it afresh).
pub(crate) fn reseal_keeping(conn: &Connection, drift: &BTreeMap<String, Sum>) -> Result<String> {
    let mut seals = recompute(conn)?;
    for (t, d) in drift {
        seals.entry(t.clone()).or_default().add(*d);
    }
    put_seals(conn, &seals)
}

/// What `verify` finds when the records are compared with their seals.
pub struct Check {
    /// The record tables whose rows no longer match their seal (user's names).
    pub changed: Vec<&'static str>,
    /// The digest of the stored seals, to compare with the last entry's.
    pub state: String,
}

/// Recompute every seal from the rows and compare it with the stored one.
pub fn check(conn: &Connection) -> Result<Check> {
    let actual = recompute(conn)?;
    let stored = stored(conn)?;
    let changed = SEALED
        .iter()
        .filter(|(t, _)| {
            let a = actual.get(*t).copied().unwrap_or_default();
            let s = stored.get(*t).copied().unwrap_or_default();
            a != s
        })
        .map(|(_, label)| *label)
        .collect();
    Ok(Check { changed, state: state_digest(&stored) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_add_and_subtract_back_to_where_they_were() {
        let a = Sum::from_digest(&row_digest(&[ValueRef::Text(b"unit"), ValueRef::Integer(1)]));
        let b = Sum::from_digest(&[0xff; 32]);
        let mut s = a;
        s.add(b);
        s.add(b);
        s.sub(b);
        s.sub(b);
        assert_eq!(s, a);
        let mut z = Sum::default();
        z.sub(a);
        z.add(a);
        assert!(z.is_zero());
    }

    #[test]
    fn no_records_have_the_empty_state() {
        assert_eq!(state_digest(&BTreeMap::new()), EMPTY_STATE);
    }

    #[test]
    fn a_row_digest_tells_types_and_boundaries_apart() {
        let d = |v: &[ValueRef]| row_digest(v);
        assert_ne!(d(&[ValueRef::Integer(1)]), d(&[ValueRef::Text(b"1")]));
        assert_ne!(
            d(&[ValueRef::Text(b"ab"), ValueRef::Text(b"c")]),
            d(&[ValueRef::Text(b"a"), ValueRef::Text(b"bc")])
        );
        assert_ne!(d(&[ValueRef::Null]), d(&[ValueRef::Text(b"")]));
    }
}
