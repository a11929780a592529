//! One module per table (or tightly bound group of tables): the record types,
//! their validation, their SQL, and the archive operations on them.

pub mod cadres;
pub mod evaluations;
pub mod evidence;
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
