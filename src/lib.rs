//! 干事档案 core: the cadre work-achievement archive.
//!
//! Everything domain-related lives here — the schema and its migrations, the
//! records of the three stages 谋事 → 干事 → 成事, the lifecycle rules, the
//! dossier, the interchange format and the demo generator. The desktop shell
//! (`src-tauri`) and the CLI are thin adapters over this crate, which never
//! depends on Tauri.

pub mod access;
pub mod archive;
pub mod assessment;
pub mod cli;
pub mod demo;
pub mod desk;
pub mod dossier;
pub mod enums;
pub mod error;
pub mod exchange;
pub mod formats;
pub mod input;
pub mod interchange;
pub mod job;
pub mod lifecycle;
pub mod records;
pub mod search;
pub mod settings;
pub mod ts;
pub mod validate;

pub use archive::{Archive, Clock};
pub use error::{Error, Result};
pub use job::Job;

/// The allocator every binary of ours declares (`#[global_allocator] static A:
/// ganshi::Allocator = ganshi::Allocator;`): mimalloc. With glibc's malloc the
/// year-end run spent ~20 % of its time in malloc/free bookkeeping
/// (`_int_malloc`, `unlink_chunk`, `malloc_consolidate`) building and dropping
/// millions of small records on two threads (docs/performance.md).
pub use mimalloc::MiMalloc as Allocator;
