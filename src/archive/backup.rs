//! Backups with SQLite's online backup API (safe while the app has the
//! archive open), rotating automatic backups, and a restore that verifies the
//! backup before it replaces anything and keeps the replaced file.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, MAIN_DB, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Archive, audit};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    pub audit_entries: i64,
}

/// Check a file is a sound archive: `PRAGMA integrity_check` is ok and the audit chain verifies.
pub fn check_file(path: &Path) -> Result<audit::ChainReport> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| Error::io(path, std::io::Error::other(format!("不是有效的档案文件（{e}）"))))?;
    if integrity != "ok" {
        return Err(Error::State(format!("{}：完整性检查未通过（{integrity}）", path.display())));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > super::schema::CURRENT_VERSION {
        return Err(Error::NewerArchive { found: version, supported: super::schema::CURRENT_VERSION });
    }
    let has_audit: bool =
        conn.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'audit'", [], |r| r.get(0))?;
    let report = if has_audit {
        audit::verify(&conn)?
    } else {
        audit::ChainReport { entries: 0, ok: true, first_broken: None, problem: None }
    };
    if !report.ok {
        return Err(Error::State(format!(
            "{}：审计日志校验失败：{}",
            path.display(),
            report.problem.clone().unwrap_or_default()
        )));
    }
    Ok(report)
}

/// Make a copied archive one self-contained file (no -wal/-shm beside it).
fn self_contained(path: &Path) -> Result<()> {
    let conn = Connection::open(path).map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

impl Archive {
    /// Copy the archive to `dest` with the online backup API; `dest` must not exist.
    pub fn backup_to(&mut self, dest: &Path) -> Result<BackupReport> {
        if dest.exists() {
            return Err(Error::io(
                dest,
                std::io::Error::new(std::io::ErrorKind::AlreadyExists, "目标文件已存在，未做任何修改"),
            ));
        }
        let partial = sibling(dest, ".partial");
        let _ = std::fs::remove_file(&partial);
        self.conn
            .backup(MAIN_DB, &partial, None::<fn(rusqlite::backup::Progress)>)
            .map_err(|e| Error::io(&partial, std::io::Error::other(e.to_string())))?;
        self_contained(&partial)?;
        let report = check_file(&partial)?;
        std::fs::rename(&partial, dest).map_err(|e| Error::io(dest, e))?;
        let bytes = std::fs::metadata(dest).map_err(|e| Error::io(dest, e))?.len();
        self.log_event("备份", "archive", &dest.display().to_string())?;
        Ok(BackupReport { path: dest.display().to_string(), bytes, audit_entries: report.entries })
    }

    /// A timestamped backup in `dir`, keeping only the newest `keep` of them.
    pub fn rotating_backup(&mut self, dir: &Path, keep: usize) -> Result<BackupReport> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let stem = self
            .path()
            .and_then(Path::file_stem)
            .map_or_else(|| "archive".into(), |s| s.to_string_lossy().into_owned());
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let dest = dir.join(format!("{stem}.{stamp}.bak.db"));
        let report = self.backup_to(&dest)?;
        let mut existing: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{stem}.")) && n.ends_with(".bak.db"))
            })
            .collect();
        existing.sort();
        let excess = existing.len().saturating_sub(keep.max(1));
        for old in &existing[..excess] {
            std::fs::remove_file(old).map_err(|e| Error::io(old, e))?;
        }
        Ok(report)
    }
}

/// Replace the archive at `target` with the backup at `source`, after checking
/// the backup. The replaced file is kept beside it as `<name>.replaced-<time>`.
/// Returns where the replaced file went (if there was one).
pub fn restore(source: &Path, target: &Path) -> Result<Option<PathBuf>> {
    check_file(source)?;
    let staged = sibling(target, ".restoring");
    let _ = std::fs::remove_file(&staged);
    {
        let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        src.backup(MAIN_DB, &staged, None::<fn(rusqlite::backup::Progress)>)
            .map_err(|e| Error::io(&staged, std::io::Error::other(e.to_string())))?;
    }
    self_contained(&staged)?;
    check_file(&staged)?;
    let kept = if target.exists() {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let kept = sibling(target, &format!(".replaced-{stamp}"));
        // Fold any WAL content into the file being kept, so it is complete on its own.
        if let Ok(conn) = Connection::open(target) {
            let _ = conn.pragma_update(None, "wal_checkpoint", "TRUNCATE");
        }
        std::fs::rename(target, &kept).map_err(|e| Error::io(target, e))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sibling(target, suffix));
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&staged, target).map_err(|e| Error::io(target, e))?;
    let mut archive = Archive::open_existing(target)?;
    archive.log_event("恢复", "archive", &source.display().to_string())?;
    Ok(kept)
}
