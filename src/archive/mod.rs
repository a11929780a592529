//! The archive: one SQLite (SQLCipher-capable) file on disk. This module owns
//! connection setup, migrations, transactions and the clock; the record
//! modules own their tables' SQL.

pub mod anchor;
pub mod audit;
pub mod backup;
pub mod encrypted;
pub mod ids;
pub mod keys;
pub mod revision;
pub mod schema;
pub mod seal;

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::access::Session;
use crate::error::{Error, Result};

/// Where "now" comes from. Fixed clocks make generated archives reproducible.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed { date: String, time: String },
}

impl Clock {
    pub fn fixed(date: &str) -> Clock {
        Clock::Fixed { date: date.to_owned(), time: format!("{date} 09:00:00") }
    }
    /// The time now, as every record and audit entry writes it.
    pub fn timestamp(&self) -> String {
        match self {
            Clock::System => chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            Clock::Fixed { time, .. } => time.clone(),
        }
    }
    pub fn today(&self) -> String {
        match self {
            Clock::System => chrono::Local::now().format("%Y-%m-%d").to_string(),
            Clock::Fixed { date, .. } => date.clone(),
        }
    }
}

pub struct Archive {
    conn: Connection,
    path: Option<PathBuf>,
    actor: String,
    clock: Clock,
    session: Session,
    /// Encrypted archives: the sidecar key file and the data key (zeroed on drop).
    keyring: Option<Keyring>,
    /// Inside [`Archive::bulk`]: writes share one outer transaction and skip the
    /// per-record revision and audit entry (one entry covers the whole load).
    bulk: Option<u64>,
    /// Applying another site's package: its changes are not this site's to send on.
    pub(crate) applying_package: bool,
    /// Opened from an older schema version and upgraded, after a copy was kept.
    upgraded: Option<backup::Upgraded>,
}

pub(crate) struct Keyring {
    pub file: PathBuf,
    pub key: keys::DataKey,
}

/// A write transaction with the actor and time every change is stamped with.
pub struct Tx<'a> {
    tx: Inner<'a>,
    pub actor: &'a str,
    pub session: &'a Session,
    pub now: String,
    pub today: String,
    /// Part of a bulk load: no revision or audit entry per record.
    pub bulk: bool,
}

/// A transaction of its own, or a savepoint inside a bulk load's transaction.
enum Inner<'a> {
    Own(rusqlite::Transaction<'a>),
    Nested(rusqlite::Savepoint<'a>),
}

impl Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match &self.tx {
            Inner::Own(t) => t,
            Inner::Nested(s) => s,
        }
    }
}

impl Tx<'_> {
    /// An archive-level event (import, export, backup, encryption) in the audit
    /// trail, by this transaction's actor at its time: nothing before, `detail` after.
    pub(crate) fn log_event(&self, action: &str, object: &str, detail: &str) -> Result<audit::AuditEntry> {
        audit::append(
            self,
            &audit::Event {
                at: &self.now,
                actor: self.actor,
                action,
                object,
                cadre_id: None,
                concerns: &[],
                before: "",
                after: detail,
            },
        )
    }
}

/// Run `f` in `inner` (a transaction of its own, or a bulk load's savepoint),
/// keep the captured changes, seal what is pending, commit.
fn run_tx<T>(
    inner: Inner,
    actor: &str,
    session: &Session,
    clock: &Clock,
    capture: Option<&mut rusqlite::session::Session>,
    f: impl FnOnce(&Tx) -> Result<T>,
) -> Result<T> {
    let bulk = matches!(inner, Inner::Nested(_));
    let tx = Tx { tx: inner, actor, session, now: clock.timestamp(), today: clock.today(), bulk };
    let out = f(&tx)?;
    if let Some(session) = capture {
        let mut changes = Vec::new();
        session.changeset_strm(&mut changes)?;
        if !changes.is_empty() {
            // AUTOINCREMENT: an entry never takes the number of one already sent and deleted.
            tx.execute(
                "INSERT INTO exchange_outbox (at, changeset) VALUES (?1, ?2)",
                rusqlite::params![tx.now, changes],
            )?;
        }
    }
    // Records written after the transaction's last audit entry (or by a change
    // that writes none) are sealed by one more entry: the trail covers every row.
    if !bulk && seal::pending(&tx)? {
        tx.log_event("封存记录", "archive", "")?;
    }
    match tx.tx {
        Inner::Own(t) => t.commit()?,
        Inner::Nested(s) => s.commit()?,
    }
    Ok(out)
}

fn default_actor() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "本机用户".to_owned())
}

impl Archive {
    /// Open (creating if absent) an archive file and bring it to the current schema.
    pub fn open(path: &Path) -> Result<Archive> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
        Self::setup(conn, Some(path.to_path_buf()), true)
    }

    /// Open an existing archive; refuses to create a new file.
    pub fn open_existing(path: &Path) -> Result<Archive> {
        if !path.is_file() {
            return Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "档案文件不存在")));
        }
        Self::open(path)
    }

    pub fn open_in_memory() -> Result<Archive> {
        Self::setup(Connection::open_in_memory()?, None, false)
    }

    fn setup(conn: Connection, path: Option<PathBuf>, wal: bool) -> Result<Archive> {
        if let Some(p) = &path
            && keys::sidecar(p).is_file()
        {
            return Err(Error::Auth(format!("{} 是加密档案，须用用户名和密码打开", p.display())));
        }
        Self::setup_with(conn, path, wal, None)
    }

    pub(crate) fn setup_with(
        mut conn: Connection,
        path: Option<PathBuf>,
        wal: bool,
        keyring: Option<Keyring>,
    ) -> Result<Archive> {
        if let Some(k) = &keyring {
            apply_key(&conn, &k.key)?;
        }
        conn.busy_timeout(Duration::from_secs(5))?;
        // A file that is not SQLite fails here with a clear "not a database".
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| match &path {
            Some(p) if crate::error::is_corruption(&e) && keyring.is_some() => {
                Error::io(p, std::io::Error::other(format!("{}（{e}）", crate::error::RESTORE_HINT)))
            }
            Some(p) => Error::io(p, std::io::Error::other(format!("不是有效的档案文件（{e}）"))),
            None => Error::Sqlite(e),
        })?;
        if wal {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // An encrypted archive's commits reach the disk before the key file's anchor
        // names them (`anchor`): after a power cut the anchor never runs ahead.
        conn.pragma_update(None, "synchronous", if keyring.is_some() { "FULL" } else { "NORMAL" })?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The core prepares a few hundred distinct statements; rusqlite's default
        // cache of 16 made bulk work re-parse SQL for most rows.
        conn.set_prepared_statement_cache_capacity(256);
        crate::search::terms::register(&conn)?;
        seal::register(&conn)?;
        // `IN rarray(?1)`: batch reads bind a set of ids to one parameter.
        rusqlite::vtab::array::load_module(&conn)?;
        // An older archive is copied, as it is, before the upgrade changes it (issue 20).
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let upgraded = match &path {
            Some(p) if (1..schema::CURRENT_VERSION).contains(&found) => {
                let copy = match &keyring {
                    Some(k) => Some(backup::before_upgrade(&conn, p, found, &k.key, &k.file)?),
                    None => None,
                };
                Some(backup::Upgraded {
                    from_version: found,
                    to_version: schema::CURRENT_VERSION,
                    backup: copy.as_deref().map(crate::settings::display),
                })
            }
            _ => None,
        };
        let before = migrate(&mut conn, &Clock::System.timestamp())?;
        // An archive from before the anchor gets its first one now (with the upgrade's
        // sealing entry). Later, a key file without an anchor had it removed: left so.
        if before < 13
            && let Some(k) = &keyring
            && let Err(e) = anchor::write(&k.file, &k.key, &conn, true)
        {
            eprintln!("警告：审计锚点未能写入密钥文件（{e}）");
        }
        let actor = default_actor();
        let session = Session::local(actor.clone());
        crate::access::install_scope(&conn, &session, None)?;
        Ok(Archive {
            conn,
            path,
            actor,
            clock: Clock::System,
            session,
            keyring,
            bulk: None,
            applying_package: false,
            upgraded,
        })
    }

    /// Run `f` inside one read transaction: one consistent snapshot for all its
    /// statements, and one shared lock instead of a lock and unlock (two
    /// system calls and a WAL-index check) per statement — most of the cost of
    /// reading thousands of small records. Inside a write transaction it just runs.
    pub fn read_snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let out = f();
        // Nothing was written: COMMIT only releases the snapshot.
        let end = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let value = out?;
        end?;
        Ok(value)
    }

    /// The signed-in user (or the local session of an unencrypted archive).
    pub fn session(&self) -> &Session {
        &self.session
    }

    pub(crate) fn set_session(&mut self, session: Session, user_id: Option<i64>) -> Result<()> {
        crate::access::install_scope(&self.conn, &session, user_id)?;
        self.actor = session.actor();
        self.session = session;
        Ok(())
    }

    pub fn is_encrypted(&self) -> bool {
        self.keyring.is_some()
    }

    pub(crate) fn keyring(&self) -> Option<&Keyring> {
        self.keyring.as_ref()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The name changes are stamped with (generated data, tests). Rights are unchanged.
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        self.actor = actor.into();
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn today(&self) -> String {
        self.clock.today()
    }

    /// The clock's time now, `YYYY-MM-DD HH:MM:SS`.
    pub fn now_text(&self) -> String {
        self.clock.timestamp()
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run `f` in one IMMEDIATE transaction: committed if it returns `Ok`,
    /// rolled back (nothing written) if it returns `Err`.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let out = self.commit_tx(f)?;
        if self.bulk.is_none() {
            anchor_head(self.keyring.as_ref(), &self.conn);
        }
        Ok(out)
    }

    fn commit_tx<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        if self.bulk.is_some() {
            let inner = Inner::Nested(self.conn.savepoint()?);
            let out = run_tx(inner, &self.actor, &self.session, &self.clock, None, f)?;
            if let Some(n) = &mut self.bulk {
                *n += 1;
            }
            return Ok(out);
        }
        // An archive with a site identity keeps each transaction's changes to its
        // records for the packages to the site above (`exchange`); a package being
        // applied is another site's work and is not kept.
        let mut capture = if !self.applying_package && ids::own_base(&self.conn)? != 0 {
            let mut session = rusqlite::session::Session::new(&self.conn)?;
            for (table, _) in ids::EXCHANGED {
                session.attach(Some(*table))?;
            }
            Some(session)
        } else {
            None
        };
        let inner = Inner::Own(rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?);
        run_tx(inner, &self.actor, &self.session, &self.clock, capture.as_mut(), f)
    }

    /// Start a large generated load (the demo presets) as one transaction:
    /// every write until [`Archive::bulk_commit`] becomes a savepoint of it,
    /// without a revision or audit entry of its own; one audit entry records
    /// the load with its count of writes. Only for a 系统管理员 over the whole
    /// archive. [`Archive::bulk_rollback`] keeps nothing of it.
    pub(crate) fn bulk_begin(&mut self, action: &str) -> Result<()> {
        self.require_role(&[crate::enums::Role::SysAdmin], action)?;
        self.require_all_units(action)?;
        if self.bulk.is_some() {
            return Err(Error::State("批量写入不能嵌套".to_owned()));
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.bulk = Some(0);
        Ok(())
    }

    /// Commit the load started by [`Archive::bulk_begin`] with one audit entry; returns the count of writes.
    pub(crate) fn bulk_commit(&mut self, action: &str, object: &str) -> Result<u64> {
        let Some(writes) = self.bulk else {
            return Err(Error::State("没有进行中的批量写入".to_owned()));
        };
        // The entry is a savepoint of the load's transaction, so it commits with it.
        let logged = self.log_event(action, object, &format!("{{\"writes\":{writes}}}"));
        self.bulk = None;
        if let Err(e) = logged.and_then(|_| Ok(self.conn.execute_batch("COMMIT")?)) {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e);
        }
        anchor_head(self.keyring.as_ref(), &self.conn);
        Ok(writes)
    }

    /// Abandon the load started by [`Archive::bulk_begin`]: nothing of it is kept.
    pub(crate) fn bulk_rollback(&mut self) {
        if self.bulk.take().is_some() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Record an archive-level event (import, export, backup, restore) in the audit trail.
    pub fn log_event(&mut self, action: &str, object: &str, detail: &str) -> Result<audit::AuditEntry> {
        self.with_tx(|tx| tx.log_event(action, object, detail))
    }

    /// Verify the audit chain, every record against its seal, and the chain's
    /// head against the anchor in the key file (encrypted archives).
    pub fn verify_audit(&self) -> Result<audit::ChainReport> {
        use crate::enums::Role;
        self.require_role(&[Role::SysAdmin, Role::Clerk], "校验审计日志")?;
        let (report, sites) =
            self.read_snapshot(|| Ok((audit::verify(&self.conn)?, audit::verify_sites(&self.conn)?)))?;
        let mut report = match &self.keyring {
            Some(k) if report.ok => {
                let file = keys::KeyFile::load(&k.file)?;
                report.with_anchor(anchor::check(&self.conn, file.as_ref(), &k.key)?)
            }
            _ => report,
        };
        // A partner's chain kept here that no longer verifies fails the check too.
        if let Some(broken) = sites.iter().find(|s| !s.ok)
            && report.ok
        {
            report.ok = false;
            report.problem =
                Some(format!("「{}」的审计日志：{}", broken.name, broken.problem.clone().unwrap_or_default()));
        }
        report.sites = sites;
        Ok(report)
    }

    /// Entries, newest first. 系统管理员 with the whole archive in scope sees
    /// all; a scoped user sees entries about cadres in scope and their own.
    pub fn audit_entries(&self, filter: &audit::AuditFilter) -> Result<Vec<audit::AuditEntry>> {
        use crate::enums::Role;
        self.require_role(&[Role::SysAdmin, Role::Clerk], "查阅审计日志")?;
        let mut entries = audit::list(&self.conn, filter)?;
        let (mark, base) = match &filter.site {
            None => ids::legacy_mark(&self.conn)?,
            // A partner's chain: its own renumbering mark, its own range.
            Some(site) => {
                let mark: i64 = self
                    .conn
                    .query_row("SELECT audit_renumbered FROM site_partner WHERE code = ?1", [site], |r| r.get(0))
                    .optional()?
                    .unwrap_or(0);
                (mark, ids::base_of(site.parse().unwrap_or(0)))
            }
        };
        for e in &mut entries {
            ids::legacy(e.id, mark, base, &mut e.object, &mut e.cadre_id);
        }
        let everything = self.session.all_units && self.session.has(Role::SysAdmin);
        if filter.site.is_some() && !everything {
            // A partner's entries name no user of this archive: those about a cadre in scope are shown.
            let mut kept = Vec::with_capacity(entries.len());
            for e in entries {
                if let Some(c) = e.cadre_id
                    && self.cadre_visible(c)?
                {
                    kept.push(e);
                }
            }
            return Ok(kept);
        }
        if !everything {
            // An entry is shown when it concerns a cadre in scope (any participant of a
            // shared item) or is the user's own; a cadre outside the scope is not named.
            let mut concerns = self.conn.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM audit_concerns a JOIN cadre c ON c.id = a.cadre_id
                                 WHERE a.audit_id = ?1 AND c.unit_id IN (SELECT id FROM temp.scope_unit))",
            )?;
            let mut kept = Vec::with_capacity(entries.len());
            for mut e in entries.drain(..) {
                let in_scope: bool = concerns.query_row([e.id], |r| r.get(0))?;
                if !(in_scope || e.actor == self.actor) {
                    continue;
                }
                if let Some(c) = e.cadre_id
                    && !self.cadre_visible(c)?
                {
                    e.cadre_id = None;
                }
                kept.push(e);
            }
            entries = kept;
        }
        Ok(entries)
    }

    /// Set when this open upgraded an older archive: from which version, and the
    /// copy kept of it before (the window and the CLI say so).
    pub fn upgraded(&self) -> Option<&backup::Upgraded> {
        self.upgraded.as_ref()
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// Key a SQLCipher connection with the raw data key (before its first statement).
pub(crate) fn apply_key(conn: &Connection, key: &keys::DataKey) -> Result<()> {
    // SQLCipher writes a line to stderr for every page that fails its check (hundreds on a
    // damaged file); the user is told once, in Chinese, by the error (`error::RESTORE_HINT`).
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let stmt = zeroize::Zeroizing::new(format!("PRAGMA key = \"{}\";", key.pragma().as_str()));
    conn.execute_batch(&stmt)?;
    Ok(())
}

/// Run `f` with a page cache of `mib` MiB (bulk reads and writes touch far more
/// pages than the default 2,000; an encrypted page that falls out of the cache
/// is decrypted again, or encrypted and spilled mid-transaction), then give the
/// memory back.
pub(crate) fn with_page_cache<T>(conn: &Connection, mib: i64, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let before = enlarge_cache(conn, mib)?;
    let out = f();
    restore_cache(conn, before)?;
    out
}

fn enlarge_cache(conn: &Connection, mib: i64) -> Result<i64> {
    let before: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -mib * 1024)?;
    Ok(before)
}

fn restore_cache(conn: &Connection, before: i64) -> Result<()> {
    conn.pragma_update(None, "cache_size", before)?;
    conn.execute_batch("PRAGMA shrink_memory")?;
    Ok(())
}

impl Archive {
    /// [`with_page_cache`] for work that needs the archive itself.
    pub(crate) fn with_large_cache<T>(&mut self, mib: i64, f: impl FnOnce(&mut Archive) -> Result<T>) -> Result<T> {
        let before = enlarge_cache(&self.conn, mib)?;
        let out = f(self);
        restore_cache(&self.conn, before)?;
        out
    }
}

/// Delete an archive file with its key file and SQLite's side files, where present
/// (an unfinished archive a cancelled generation leaves behind).
pub fn remove_files(path: &Path) {
    let mut names = vec![path.to_path_buf(), keys::sidecar(path), keys::lock_path(&keys::sidecar(path))];
    names.extend(keys::temporaries(&keys::sidecar(path)).into_iter().map(|(tmp, _)| tmp));
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        names.push(PathBuf::from(name));
    }
    for p in names {
        let _ = std::fs::remove_file(p);
    }
}

/// Bring the schema to `CURRENT_VERSION` in one transaction; refuse newer archives.
/// After a commit: write the chain's head into the key file (`anchor`). The
/// change is committed whatever happens here; a key file that cannot be
/// written keeps an older anchor, which `audit verify` accepts.
fn anchor_head(keyring: Option<&Keyring>, conn: &Connection) {
    if let Some(k) = keyring
        && let Err(e) = anchor::write(&k.file, &k.key, conn, false)
    {
        eprintln!("警告：审计锚点未能写入密钥文件（{e}）");
    }
}

/// The schema version that introduced the record seals.
const SEALED_SINCE: i64 = 13;

/// Bring the archive to the current schema, and install the connection's
/// record-seal triggers (`seal`). An archive that held records before an upgrade
/// has its seals computed afresh from its rows (an upgrade may change the rows'
/// shape), recorded by an audit entry of its own, in the upgrade's transaction.
/// Returns the version the archive had.
fn migrate(conn: &mut Connection, now: &str) -> Result<i64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > schema::CURRENT_VERSION {
        return Err(Error::NewerArchive { found: version, supported: schema::CURRENT_VERSION });
    }
    // Records changed outside the program since they were sealed (version 13 on)
    // stay reported after the upgrade reseals the rows in their new shape.
    let drift =
        if (SEALED_SINCE..schema::CURRENT_VERSION).contains(&version) { seal::drift(&tx)? } else { Default::default() };
    for step in &schema::MIGRATIONS[usize::try_from(version).unwrap_or(0)..] {
        tx.execute_batch(step)?;
    }
    seal::install(&tx)?;
    ids::install_ownership(&tx)?;
    if version != schema::CURRENT_VERSION {
        tx.pragma_update(None, "user_version", schema::CURRENT_VERSION)?;
        if version > 0 {
            seal::reseal_keeping(&tx, &drift)?;
            audit::append(
                &tx,
                &audit::Event {
                    at: now,
                    actor: "本程序",
                    action: &format!(
                        "升级档案格式（第 {version} 版到第 {} 版），封存现有记录",
                        schema::CURRENT_VERSION
                    ),
                    object: "archive",
                    cadre_id: None,
                    concerns: &[],
                    before: "",
                    after: "",
                },
            )?;
        }
    }
    tx.commit()?;
    Ok(version)
}

/// Map "no row" to a typed not-found error.
pub(crate) fn found<T>(entity: &'static str, id: i64, row: rusqlite::Result<T>) -> Result<T> {
    match row {
        Ok(v) => Ok(v),
        Err(rusqlite::Error::QueryReturnedNoRows) => Err(Error::NotFound { entity, id }),
        Err(e) => Err(e.into()),
    }
}

/// Options that create a file readable by its owner only (0600 where the file
/// system keeps modes): personnel data, key files, and what names them.
pub(crate) fn owner_only() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Create `path` empty and readable by its owner only (0600) unless it exists:
/// SQLite keeps the mode of a file it opens (and gives its -wal and -shm files the
/// same), so an archive or backup created through this is never world-readable.
pub(crate) fn private_file(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    owner_only().write(true).create_new(true).open(path).map(drop).map_err(|e| Error::io(path, e))
}

/// Write `bytes` to `path` through `tmp` (owner only, flushed, then renamed): a
/// crash leaves the old file or the new one, and a failure leaves no `tmp` behind.
pub(crate) fn write_private(path: &Path, tmp: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let written = owner_only().write(true).create(true).truncate(true).open(tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(tmp, path)) {
        let _ = std::fs::remove_file(tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Create a folder (and its parents) for archives or backups, 0700 where the file system keeps modes.
pub fn private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io(dir, e))
}
