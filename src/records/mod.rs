//! One module per table (or tightly bound group of tables): the record types,
//! their validation, their SQL, and the archive operations on them.

pub mod appraisal_texts;
pub mod cadres;
pub mod evaluations;
pub mod evidence;
pub mod final_grades;
pub mod initiatives;
pub mod negatives;
pub mod outcomes;
pub mod pages;
pub mod plans;
pub mod profiles;
pub mod reports;
pub mod reviews;
pub mod tolerance;
pub mod tracking;
pub mod units;

use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::error::Result;

/// A set of ids bound to one parameter (`… IN rarray(?1)`), so a batch reads a
/// table with one statement instead of one lookup per id.
pub(crate) type IdSet = Rc<Vec<Value>>;

pub(crate) fn id_set(ids: impl IntoIterator<Item = i64>) -> IdSet {
    Rc::new(ids.into_iter().map(Value::Integer).collect())
}

/// The rows of `sql` (bound to `ids`), grouped by their last column, each group
/// in the statement's order. `map` reads the leading columns.
pub(crate) fn grouped<T>(
    conn: &Connection,
    sql: &str,
    ids: &IdSet,
    map: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<HashMap<i64, Vec<T>>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let key = stmt.column_count() - 1;
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    let mut rows = stmt.query([ids])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(key)?).or_default().push(map(r)?);
    }
    Ok(out)
}
