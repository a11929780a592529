//! Backups with SQLite's online backup API (safe while the app has the
//! archive open), rotating automatic backups, and a restore that verifies the
//! backup before it replaces anything and keeps the replaced file.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::encrypted::{Credentials, connect};
use super::keys::{self, DataKey, KeyFile};
use super::{Archive, audit};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    pub audit_entries: i64,
}

fn open_conn(path: &Path, key: Option<&DataKey>, flags: OpenFlags) -> Result<Connection> {
    match key {
        Some(k) => connect(path, k, flags),
        None => {
            Connection::open_with_flags(path, flags).map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))
        }
    }
}

/// Copy `src` into a new file `dest` page by page (the online backup API), keyed like the source.
/// All pages in one step: one read snapshot, so writes from other connections
/// meanwhile neither restart nor tear the copy.
fn copy_to(src: &Connection, dest: &Path, key: Option<&DataKey>) -> Result<()> {
    let mut dst = open_conn(dest, key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
    let backup = rusqlite::backup::Backup::new(src, &mut dst)?;
    loop {
        use rusqlite::backup::StepResult;
        match backup.step(-1).map_err(|e| Error::io(dest, std::io::Error::other(e.to_string())))? {
            StepResult::Done => break,
            StepResult::More => {}
            // A writer holds a lock for a moment: try again shortly.
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    drop(backup);
    let _mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    Ok(())
}

/// Check a file is a sound archive: `PRAGMA integrity_check` is ok and the audit chain verifies.
pub fn check_file(path: &Path, key: Option<&DataKey>) -> Result<audit::ChainReport> {
    let conn = open_conn(path, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| Error::io(path, std::io::Error::other(format!("不是有效的档案文件（{e}）"))))?;
    if integrity != "ok" {
        // The first finding is enough to name; the rest go to no one's screen.
        let first = integrity.lines().find(|l| !l.starts_with("***")).unwrap_or(&integrity);
        return Err(Error::State(format!("{}：完整性检查未通过（{first}）", path.display())));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > super::schema::CURRENT_VERSION {
        return Err(Error::NewerArchive { found: version, supported: super::schema::CURRENT_VERSION });
    }
    let has_audit: bool =
        conn.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'audit'", [], |r| r.get(0))?;
    let report = if has_audit {
        let report = audit::verify(&conn)?;
        // A backup's own key file carries the anchor as it stood when the backup was made.
        let sidecar = keys::sidecar(path);
        match key {
            Some(key) if report.ok && sidecar.is_file() => {
                report.with_anchor(super::anchor::check(&conn, KeyFile::load(&sidecar)?.as_ref(), key)?)
            }
            _ => report,
        }
    } else {
        audit::ChainReport::empty()
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

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

impl Archive {
    /// Copy the archive to `dest` with the online backup API; `dest` must not exist.
    pub fn backup_to(&mut self, dest: &Path) -> Result<BackupReport> {
        self.require_role(&[crate::enums::Role::SysAdmin], "备份")?;
        self.backup_unchecked(dest)
    }

    /// The automatic backup (on open, daily, on close) is the system's, whoever is signed in.
    pub fn automatic_backup(&mut self, dir: &Path, keep: usize) -> Result<BackupReport> {
        self.rotate(dir, keep)
    }

    fn backup_unchecked(&mut self, dest: &Path) -> Result<BackupReport> {
        let key = self.keyring.as_ref().map(|k| k.key.clone());
        let key_file = self.keyring.as_ref().map(|k| k.file.clone());
        let report = write_backup(&self.conn, dest, key.as_ref(), key_file.as_deref())?;
        self.record_backup(&report)?;
        Ok(report)
    }

    /// The 备份 audit entry of a finished backup (a detached one reports back here).
    pub fn record_backup(&mut self, report: &BackupReport) -> Result<()> {
        self.log_event("备份", "archive", &report.path).map(|_| ())
    }

    /// A timestamped backup in `dir`, keeping only the newest `keep` of them.
    pub fn rotating_backup(&mut self, dir: &Path, keep: usize) -> Result<BackupReport> {
        self.require_role(&[crate::enums::Role::SysAdmin], "备份")?;
        self.rotate(dir, keep)
    }

    fn stem(&self) -> String {
        self.path().and_then(Path::file_stem).map_or_else(|| "archive".into(), |s| s.to_string_lossy().into_owned())
    }

    fn rotate(&mut self, dir: &Path, keep: usize) -> Result<BackupReport> {
        let stem = self.stem();
        let dest = stamped(dir, &stem)?;
        let report = self.backup_unchecked(&dest)?;
        prune(dir, &stem, keep)?;
        Ok(report)
    }

    /// The automatic rotating backup, to run on another thread with its own
    /// connection (copying and verifying a large archive takes a while; the
    /// app stays usable meanwhile). Pass its report to [`Archive::record_backup`].
    pub fn detached_backup(&self, dir: &Path, keep: usize) -> Result<DetachedBackup> {
        let source = self.path().ok_or_else(|| Error::State("内存中的档案不能备份".into()))?.to_path_buf();
        Ok(DetachedBackup {
            stem: self.stem(),
            source,
            key: self.keyring.as_ref().map(|k| k.key.clone()),
            key_file: self.keyring.as_ref().map(|k| k.file.clone()),
            dir: dir.to_path_buf(),
            keep,
        })
    }
}

/// A rotating backup detached from the archive's connection (see [`Archive::detached_backup`]).
pub struct DetachedBackup {
    source: PathBuf,
    stem: String,
    key: Option<DataKey>,
    key_file: Option<PathBuf>,
    dir: PathBuf,
    keep: usize,
}

impl DetachedBackup {
    /// Which archive it copies.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Copy in one read snapshot (other connections may write meanwhile; WAL
    /// keeps the snapshot consistent), verify, keep the newest `keep`.
    pub fn run(self) -> Result<BackupReport> {
        let dest = stamped(&self.dir, &self.stem)?;
        let src = open_conn(&self.source, self.key.as_ref(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let report = write_backup(&src, &dest, self.key.as_ref(), self.key_file.as_deref())?;
        prune(&self.dir, &self.stem, self.keep)?;
        Ok(report)
    }
}

/// Copy `src` to the new file `dest` via `dest.partial`, verify it, give it a copy
/// of the key file (the backup opens with the same passwords), then rename.
fn write_backup(src: &Connection, dest: &Path, key: Option<&DataKey>, key_file: Option<&Path>) -> Result<BackupReport> {
    if dest.exists() {
        return Err(Error::io(
            dest,
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "目标文件已存在，未做任何修改"),
        ));
    }
    let partial = sibling(dest, ".partial");
    let _ = std::fs::remove_file(&partial);
    let written = (|| {
        super::private_file(&partial)?;
        copy_to(src, &partial, key)?;
        // The copy is page for page: a copy that fails its check means the archive itself is damaged.
        let report = check_file(&partial, key).map_err(|e| match e {
            Error::State(m) if m.contains("完整性检查未通过") => {
                Error::State(format!("{}（备份时发现：{m}）", crate::error::RESTORE_HINT))
            }
            other => other,
        })?;
        if let Some(file) = key_file {
            let mut slots =
                KeyFile::load(file)?.ok_or_else(|| Error::State(format!("找不到密钥文件 {}", file.display())))?;
            slots.failures.clear();
            // The backup's anchor is its own chain's head (the archive's may have moved
            // on meanwhile) — given only when the copy agrees with the archive's anchor,
            // so that a backup never vouches for a cut or rewritten chain.
            if let Some(key) = key {
                let conn = open_conn(&partial, Some(key), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                if let Some(problem) = super::anchor::agrees(&conn, slots.anchor.as_ref(), key)? {
                    return Err(Error::State(format!("未备份：{problem}")));
                }
                let (entries, head) = audit::head(&conn)?;
                slots.anchor = Some(super::anchor::Anchor::new(key, entries, head));
            }
            slots.save(&keys::sidecar(dest))?;
        }
        std::fs::rename(&partial, dest).map_err(|e| Error::io(dest, e))?;
        Ok(report)
    })();
    // A failed backup leaves nothing behind: no partial file, no key file beside a missing backup.
    let report = match written {
        Ok(report) => report,
        Err(e) => {
            super::remove_files(&partial);
            if !dest.exists() {
                let _ = std::fs::remove_file(keys::sidecar(dest));
            }
            return Err(e);
        }
    };
    let bytes = std::fs::metadata(dest).map_err(|e| Error::io(dest, e))?.len();
    Ok(BackupReport { path: dest.display().to_string(), bytes, audit_entries: report.entries })
}

fn stamped(dir: &Path, stem: &str) -> Result<PathBuf> {
    super::private_dir(dir)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    Ok(dir.join(format!("{stem}.{stamp}.bak.db")))
}

/// Keep the newest `keep` backups of `stem` in `dir`.
fn prune(dir: &Path, stem: &str, keep: usize) -> Result<()> {
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
        let _ = std::fs::remove_file(keys::sidecar(old));
    }
    Ok(())
}

/// Replace the archive at `target` with the backup at `source`, after checking
/// the backup. The replaced file (and its key file) is kept beside it as
/// `<name>.replaced-<time>`. Encrypted backups are opened with `credentials`
/// against the backup's own key file. Returns where the replaced file went.
pub fn restore(source: &Path, target: &Path, credentials: &Credentials) -> Result<Option<PathBuf>> {
    let source_keys = KeyFile::load(&keys::sidecar(source))?;
    let key = match &source_keys {
        Some(k) => Some(
            match credentials {
                Credentials::Password { user, password } => k.unlock_password(user, password)?,
                Credentials::Recovery(r) => k.unlock_recovery(r)?,
            }
            .ok_or_else(|| Error::Auth(format!("备份 {} 的密钥文件", source.display())))?,
        ),
        None => None,
    };
    check_file(source, key.as_ref())?;
    let staged = sibling(target, ".restoring");
    let _ = std::fs::remove_file(&staged);
    super::private_file(&staged)?;
    {
        let src = open_conn(source, key.as_ref(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        copy_to(&src, &staged, key.as_ref())?;
    }
    check_file(&staged, key.as_ref())?;
    let kept = if target.exists() {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let kept = sibling(target, &format!(".replaced-{stamp}"));
        // Fold any WAL content into the file being kept, so it is complete on its own.
        if let Ok(conn) = open_conn(target, key.as_ref(), OpenFlags::SQLITE_OPEN_READ_WRITE) {
            let _ = conn.pragma_update(None, "wal_checkpoint", "TRUNCATE");
        }
        std::fs::rename(target, &kept).map_err(|e| Error::io(target, e))?;
        if keys::sidecar(target).exists() {
            std::fs::rename(keys::sidecar(target), keys::sidecar(&kept)).map_err(|e| Error::io(target, e))?;
        }
        // A WAL that could not be folded in travels with the kept file.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::rename(sibling(target, suffix), sibling(&kept, suffix));
        }
        Some(kept)
    } else {
        None
    };
    if let Some(k) = &source_keys {
        k.save(&keys::sidecar(target))?;
    }
    std::fs::rename(&staged, target).map_err(|e| Error::io(target, e))?;
    let mut archive = if source_keys.is_some() {
        Archive::open_encrypted(target, credentials)?
    } else {
        Archive::open_existing(target)?
    };
    archive.log_event("恢复", "archive", &source.display().to_string())?;
    Ok(kept)
}

/// An archive opened by a newer program and upgraded: the schema version it had
/// and the copy kept of it, as it was, before the upgrade (issue 20).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Upgraded {
    pub from_version: i64,
    pub to_version: i64,
    /// The copy made before the upgrade (with its key file beside it). None for
    /// an unencrypted archive: no plaintext copy of personnel data is left on disk
    /// (such an archive is encrypted next, into a verified new file).
    pub backup: Option<String>,
}

/// Before an older encrypted archive at `path` is upgraded: copy it as it is (page
/// by page, keyed like it), check the copy's integrity, give it a copy of the key file,
/// and name it `<archive>.升级前-第N版.db` beside the archive (a number added if
/// that exists). Nothing is upgraded unless this succeeds.
pub(crate) fn before_upgrade(
    conn: &Connection,
    path: &Path,
    version: i64,
    key: &DataKey,
    key_file: &Path,
) -> Result<PathBuf> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dest = (1..)
        .map(|n| {
            let more = if n == 1 { String::new() } else { format!("-{n}") };
            path.with_file_name(format!("{stem}.升级前-第{version}版{more}.db"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{stem}.升级前.db")));
    let partial = sibling(&dest, ".partial");
    let _ = std::fs::remove_file(&partial);
    let written = (|| {
        super::private_file(&partial)?;
        copy_to(conn, &partial, Some(key))?;
        let check = open_conn(&partial, Some(key), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let integrity: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let copied: i64 = check.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        drop(check);
        if integrity != "ok" || copied != version {
            return Err(Error::State(format!(
                "升级前的备份未通过检查（{}），档案未升级：{}",
                integrity.lines().next().unwrap_or_default(),
                crate::error::RESTORE_HINT
            )));
        }
        std::fs::copy(key_file, keys::sidecar(&dest)).map_err(|e| Error::io(key_file, e))?;
        std::fs::rename(&partial, &dest).map_err(|e| Error::io(&dest, e))
    })();
    if let Err(e) = written {
        super::remove_files(&partial);
        return Err(e);
    }
    Ok(dest)
}
