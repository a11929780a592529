//! Encrypted archives: create one (with the administrator and the recovery
//! key), sign in to one (password or recovery key, with backoff and logging
//! of failures), and convert a plaintext archive in place, safely.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::keys::{self, DataKey, Failure, KeyFile, RecoveryKey};
use super::{Archive, Keyring, audit};
use crate::access::Session;
use crate::access::users::{self, ADMIN, UserInput};
use crate::enums::Role;
use crate::error::{Error, Result};

/// How someone signs in.
pub enum Credentials {
    Password { user: String, password: Zeroizing<String> },
    Recovery(Zeroizing<String>),
}

impl Credentials {
    pub fn password(user: &str, password: &str) -> Credentials {
        Credentials::Password { user: user.to_owned(), password: Zeroizing::new(password.to_owned()) }
    }

    fn user(&self) -> &str {
        match self {
            Credentials::Password { user, .. } => user,
            Credentials::Recovery(_) => keys::RECOVERY_SLOT,
        }
    }
}

const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// Whether a file starts with the plaintext SQLite header.
pub fn is_plaintext_sqlite(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == SQLITE_HEADER
}

pub(crate) fn connect(path: &Path, key: &DataKey, flags: OpenFlags) -> Result<Connection> {
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    super::apply_key(&conn, key)?;
    Ok(conn)
}

fn now() -> String {
    super::Clock::System.timestamp()
}

fn admin_input() -> UserInput {
    UserInput {
        name: ADMIN.to_owned(),
        display_name: "系统管理员".to_owned(),
        roles: Role::ALL.to_vec(),
        all_units: true,
        units: Vec::new(),
    }
}

/// Remember a failed sign-in in the key file (the caller holds its lock; read
/// again, so a change made since the sign-in began is kept).
fn record_failure(file: &Path, user: &str) -> Result<()> {
    eprintln!("登录失败：用户 {user}，{}", now());
    if let Some(mut keys) = KeyFile::load(file)? {
        keys.failures.push(Failure { user: user.to_owned(), at: now() });
        keys.save(file)?;
    }
    Ok(())
}

impl Archive {
    /// Create a new encrypted archive at `path` with the administrator `admin`.
    /// Returns the recovery key, which is shown once and stored nowhere.
    ///
    /// Built beside the target (`<path>.creating` and its key file), closed,
    /// then renamed into place — the database first, then the key file. A
    /// creation cut short before its key file was written leaves only staging
    /// files, removed by the next attempt; one cut short between the renames is
    /// completed by [`finish_interrupted`] on the next open.
    pub fn create_encrypted(path: &Path, admin_password: &str) -> Result<(Archive, RecoveryKey)> {
        crate::access::check_password_strength(admin_password)?;
        finish_interrupted(path)?;
        let sidecar = keys::sidecar(path);
        if path.exists() || sidecar.exists() {
            return Err(Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::AlreadyExists, "文件已存在，未做任何修改"),
            ));
        }
        let staging = sibling(path, ".creating");
        let staging_keys = keys::sidecar(&staging);
        let leftovers = [staging.clone(), staging_keys.clone(), sibling(&staging, "-wal"), sibling(&staging, "-shm")];
        for p in &leftovers {
            let _ = std::fs::remove_file(p);
        }
        let (keyfile, key, recovery) = KeyFile::create(ADMIN, admin_password, &now())?;
        let made = (|| {
            super::private_file(&staging)?;
            let conn = connect(
                &staging,
                &key,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            let mut archive = Archive::setup_with(
                conn,
                Some(staging.clone()),
                true,
                Some(Keyring { file: staging_keys.clone(), key: key.clone() }),
            )?;
            archive.with_tx(|tx| users::insert(tx, &admin_input()).map(|_| ()))?;
            let (entries, head) = super::audit::head(archive.conn())?;
            drop(archive); // closes the database and folds its WAL in
            let mut keyfile = keyfile.clone();
            keyfile.anchor = Some(super::anchor::Anchor::new(&key, entries, head));
            keyfile.save(&staging_keys)
        })();
        if let Err(e) = made {
            for p in &leftovers {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        std::fs::rename(&staging, path).map_err(|e| Error::io(path, e))?;
        std::fs::rename(&staging_keys, &sidecar).map_err(|e| Error::io(&sidecar, e))?;
        let conn = connect(path, &key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let mut archive =
            Archive::setup_with(conn, Some(path.to_path_buf()), true, Some(Keyring { file: sidecar, key }))?;
        archive.sign_in_as(ADMIN)?;
        Ok((archive, recovery))
    }

    /// Sign in to an encrypted archive.
    pub fn open_encrypted(path: &Path, credentials: &Credentials) -> Result<Archive> {
        finish_interrupted(path)?;
        if !path.is_file() {
            return Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "档案文件不存在")));
        }
        let sidecar = keys::sidecar(path);
        keys::remove_stale_temporaries(&sidecar);
        let Some(keyfile) = KeyFile::load(&sidecar)? else {
            if is_plaintext_sqlite(path) {
                return Err(Error::NotEncrypted { path: path.to_path_buf() });
            }
            return Err(Error::io(
                &sidecar,
                std::io::Error::new(std::io::ErrorKind::NotFound, "找不到档案的密钥文件（须与档案放在同一文件夹）"),
            ));
        };
        let who = credentials.user();
        // The back-off counts every failure recorded before this attempt, also those of
        // other processes; the wait itself holds no lock (a guesser blocks no one else).
        let wait = keys::backoff_seconds(keyfile.failures_of(who));
        if wait > 0 {
            std::thread::sleep(std::time::Duration::from_secs(wait));
        }
        // The password is checked against the key file as it is now, and a failure
        // recorded, in turn with every other process (the check takes a moment: Argon2id).
        let guard = keys::lock(&sidecar)?;
        let keyfile = KeyFile::load(&sidecar)?.unwrap_or(keyfile);
        let key = match credentials {
            Credentials::Password { user, password } => keyfile.unlock_password(user, password)?,
            Credentials::Recovery(k) => keyfile.unlock_recovery(k)?,
        };
        let Some(key) = key else {
            record_failure(&sidecar, who)?;
            return Err(Error::Auth(format!("用户 {who}")));
        };
        drop(guard);
        let conn = connect(path, &key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let mut archive =
            Archive::setup_with(conn, Some(path.to_path_buf()), true, Some(Keyring { file: sidecar.clone(), key }))?;
        match credentials {
            Credentials::Password { user, .. } => archive.sign_in_as(user)?,
            Credentials::Recovery(_) => {
                let session = Session {
                    user: ADMIN.to_owned(),
                    display_name: "恢复密钥".to_owned(),
                    roles: vec![Role::SysAdmin],
                    all_units: true,
                    units: Vec::new(),
                    recovery: true,
                };
                archive.set_session(session, None)?;
            }
        }
        archive.flush_failures()?;
        Ok(archive)
    }

    fn sign_in_as(&mut self, user: &str) -> Result<()> {
        let (session, id) = users::session_for(&self.conn, user)?;
        self.set_session(session, Some(id))
    }

    /// Move failed sign-ins remembered in the key file into the audit trail.
    fn flush_failures(&mut self) -> Result<()> {
        let Some(file) = self.keyring.as_ref().map(|k| k.file.clone()) else { return Ok(()) };
        let _guard = keys::lock(&file)?;
        let Some(mut keys) = KeyFile::load(&file)? else { return Ok(()) };
        if keys.failures.is_empty() {
            return Ok(());
        }
        let failures = std::mem::take(&mut keys.failures);
        self.with_tx(|tx| {
            for f in &failures {
                audit::append(
                    tx,
                    &audit::Event {
                        at: &f.at,
                        actor: &f.user,
                        action: "登录失败",
                        object: &format!("user#{}", f.user),
                        cadre_id: None,
                        concerns: &[],
                        before: "",
                        after: "",
                    },
                )?;
            }
            keys.save(&file)
        })
    }

    /// Record an interactive sign-in (the app) or sign-out/lock in the audit trail.
    pub fn record_session_event(&mut self, action: &str) -> Result<()> {
        let object = format!("user#{}", self.session.user);
        self.log_event(action, &object, "")?;
        Ok(())
    }
}

/// Where a new archive that takes a while to fill (a demo) is built before it
/// is put in place with [`put_in_place`]; a kill while filling leaves only this
/// (removed by the next attempt), never a half-filled archive at `path`.
pub fn filling(path: &Path) -> PathBuf {
    sibling(path, ".filling")
}

/// Move a closed, complete archive built at [`filling`] into place at `path`,
/// through the same two renames as a creation (`.creating`, database first, key
/// file last), so a kill in between is completed by [`finish_interrupted`].
pub fn put_in_place(path: &Path) -> Result<()> {
    let from = filling(path);
    let creating = sibling(path, ".creating");
    // The lock file of the staged key file has served its purpose.
    let _ = std::fs::remove_file(keys::lock_path(&keys::sidecar(&from)));
    std::fs::rename(&from, &creating).map_err(|e| Error::io(&creating, e))?;
    std::fs::rename(keys::sidecar(&from), keys::sidecar(&creating)).map_err(|e| Error::io(&creating, e))?;
    finish_interrupted(path)?;
    if path.is_file() && keys::sidecar(path).is_file() {
        Ok(())
    } else {
        Err(Error::io(path, std::io::Error::other("未能把生成的档案移到目标位置")))
    }
}

/// Complete a creation or an encryption that was cut short (power loss, kill)
/// after everything had been written and verified, only the renames missing.
/// Does nothing when no such step is pending.
pub fn finish_interrupted(path: &Path) -> Result<()> {
    let rename = |from: &Path, to: &Path| std::fs::rename(from, to).map_err(|e| Error::io(to, e));
    let sidecar = keys::sidecar(path);
    // Creation: the staged key file is written last, so its presence means the staged archive is complete.
    let creating = sibling(path, ".creating");
    let creating_keys = keys::sidecar(&creating);
    if creating_keys.is_file() && !sidecar.exists() {
        if !path.exists() && creating.is_file() {
            rename(&creating, path)?;
        }
        if path.is_file() && !creating.exists() {
            rename(&creating_keys, &sidecar)?;
        }
    }
    // Encryption: the key file is written only after the encrypted copy was verified.
    let staged = sibling(path, ".encrypting");
    let plain = sibling(path, ".plaintext");
    if sidecar.is_file() && staged.is_file() {
        if path.is_file() && is_plaintext_sqlite(path) {
            rename(path, &plain)?;
        }
        if !path.exists() {
            rename(&staged, path)?;
        }
    }
    if plain.is_file() && path.is_file() && sidecar.is_file() && !is_plaintext_sqlite(path) {
        shred(&plain);
    }
    Ok(())
}

pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Convert a plaintext archive into an encrypted one in place: export into a
/// new encrypted file, verify it (integrity, audit chain, every table's row
/// count), write the key file, then swap the files and overwrite the plaintext
/// before deleting it. Returns the recovery key.
pub fn encrypt_in_place(path: &Path, admin_password: &str) -> Result<RecoveryKey> {
    crate::access::check_password_strength(admin_password)?;
    finish_interrupted(path)?;
    if !is_plaintext_sqlite(path) {
        return Err(Error::invalid("path", format!("{} 不是未加密的档案", path.display())));
    }
    let sidecar = keys::sidecar(path);
    if sidecar.exists() {
        return Err(Error::io(&sidecar, std::io::Error::new(std::io::ErrorKind::AlreadyExists, "密钥文件已存在")));
    }
    // Bring the plaintext archive to the current schema and fold in its WAL first.
    let counts = {
        let archive = Archive::open_existing(path)?;
        archive.conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        table_counts(&archive.conn)?
    };
    let (keyfile, key, recovery) = KeyFile::create(ADMIN, admin_password, &now())?;
    let staged = sibling(path, ".encrypting");
    for p in [&staged, &sibling(&staged, "-wal"), &sibling(&staged, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
    super::private_file(&staged)?;
    {
        let conn = Connection::open(path).map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
        let target = zeroize::Zeroizing::new(format!(
            "ATTACH DATABASE '{}' AS encrypted KEY \"{}\";",
            staged.display().to_string().replace('\'', "''"),
            key.pragma().as_str()
        ));
        conn.execute_batch(&target)?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        conn.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
    }
    // Verify the new file with the key before anything is replaced.
    {
        let conn = connect(&staged, &key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let chain = audit::verify(&conn)?;
        if ok != "ok" || !chain.ok || table_counts(&conn)? != counts {
            let _ = std::fs::remove_file(&staged);
            return Err(Error::State(format!("{}：加密副本校验未通过，原文件未作改动", path.display())));
        }
    }
    // Add the administrator inside the encrypted copy.
    let (entries, head) = {
        let conn = connect(&staged, &key, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let mut archive = Archive::setup_with(
            conn,
            Some(staged.clone()),
            false,
            Some(Keyring { file: keys::sidecar(&staged), key: key.clone() }),
        )?;
        let exists = users::session_for(&archive.conn, ADMIN).is_ok();
        archive.with_tx(|tx| {
            if !exists {
                users::insert(tx, &admin_input())?;
            }
            tx.log_event("加密", "archive", &path.display().to_string()).map(|_| ())
        })?;
        audit::head(&archive.conn)?
    };
    let mut keyfile = keyfile;
    keyfile.anchor = Some(super::anchor::Anchor::new(&key, entries, head));
    keyfile.save(&sidecar)?;
    let plain = sibling(path, ".plaintext");
    std::fs::rename(path, &plain).map_err(|e| Error::io(path, e))?;
    std::fs::rename(&staged, path).map_err(|e| Error::io(path, e))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(path, suffix));
    }
    shred(&plain);
    Ok(recovery)
}

/// Overwrite a file with zeros, then delete it (best effort on journaling/SSD file systems; see docs/security.md).
fn shred(path: &Path) {
    if let Ok(meta) = std::fs::metadata(path) {
        let zeros = vec![0u8; 1 << 16];
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
            use std::io::Write as _;
            let mut left = meta.len();
            while left > 0 {
                let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
                if f.write_all(&zeros[..n]).is_err() {
                    break;
                }
                left -= n as u64;
            }
            let _ = f.sync_all();
        }
    }
    let _ = std::fs::remove_file(path);
}

fn table_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'app_user' \
         AND name <> 'app_user_unit' ORDER BY name",
    )?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    names
        .into_iter()
        .map(|n| {
            let c: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))?;
            Ok((n, c))
        })
        .collect()
}
