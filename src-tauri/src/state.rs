//! The app's state: the chosen archive, the signed-in archive (if any), the
//! idle clock, and where settings live. A locked app holds no archive and no
//! key: signing in again opens the file anew.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ganshi::archive::encrypted::Credentials;
use ganshi::archive::keys::RecoveryKey;
use ganshi::settings::{AppStatus, Settings, archive_file_state, display};
use ganshi::{Archive, Job};

use crate::error::{IpcError, IpcResult};

pub struct AppState {
    archive: Mutex<Option<Archive>>,
    /// The archive chosen on the sign-in screen.
    selected: Mutex<Option<PathBuf>>,
    last_activity: Mutex<Instant>,
    /// Long operations running now, by the id the window gave them.
    jobs: Mutex<HashMap<u64, Job>>,
    /// The daily backup, copying on its own thread and connection.
    backup: Mutex<Option<RunningBackup>>,
    /// Settings directory (remembers the last archive).
    pub config_dir: PathBuf,
    /// Where the demo archive, new archives (proposed) and the log go.
    pub data_dir: PathBuf,
    /// The user's documents folder: where exports are proposed.
    pub default_dir: PathBuf,
}

struct RunningBackup {
    source: PathBuf,
    thread: std::thread::JoinHandle<ganshi::Result<ganshi::archive::backup::BackupReport>>,
}

fn guard<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// `GANSHI_HOME` puts settings and the demo archive in one folder (tests, portable use).
    pub fn from_env() -> AppState {
        let home = std::env::var_os("GANSHI_HOME").map(PathBuf::from);
        let config_dir =
            home.clone().unwrap_or_else(|| dirs::config_dir().unwrap_or_else(std::env::temp_dir).join("ganshi"));
        let data_dir =
            home.clone().unwrap_or_else(|| dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("ganshi"));
        // Exports go where the user finds them; archives stay in the data directory.
        let default_dir =
            home.unwrap_or_else(|| dirs::document_dir().or_else(dirs::home_dir).unwrap_or_else(std::env::temp_dir));
        AppState {
            archive: Mutex::new(None),
            selected: Mutex::new(None),
            last_activity: Mutex::new(Instant::now()),
            jobs: Mutex::new(HashMap::new()),
            backup: Mutex::new(None),
            config_dir,
            data_dir,
            default_dir,
        }
    }

    fn idle_limit(&self) -> Option<Duration> {
        match Settings::load(&self.config_dir).idle_minutes() {
            0 => None,
            m => Some(Duration::from_secs(u64::from(m) * 60)),
        }
    }

    /// Run `f` on the signed-in archive. Past the idle limit the app locks
    /// first (whatever the window did), and the call is refused.
    /// Calls run on the command thread pool: one that finds another call on the
    /// archive waits its turn (calls take milliseconds), but while a job holds
    /// the archive (minutes, maybe) it is refused at once with `busy`.
    pub fn with<T>(&self, f: impl FnOnce(&mut Archive) -> ganshi::Result<T>) -> IpcResult<T> {
        let mut archive = self.turn()?;
        let idle = guard(&self.last_activity).elapsed();
        if self.idle_limit().is_some_and(|limit| idle > limit) && archive.is_some() {
            drop(archive);
            self.lock("空闲锁定");
            return Err(ganshi::Error::Locked.into());
        }
        *guard(&self.last_activity) = Instant::now();
        let archive = archive.as_mut().ok_or_else(IpcError::no_archive)?;
        self.finish_backup(archive, false);
        Ok(f(archive)?)
    }

    /// The archive, once no other call holds it; `busy` if a job does.
    fn turn(&self) -> IpcResult<std::sync::MutexGuard<'_, Option<Archive>>> {
        loop {
            match self.archive.try_lock() {
                Ok(g) => return Ok(g),
                Err(std::sync::TryLockError::Poisoned(p)) => return Ok(p.into_inner()),
                // A job registers itself once it holds the archive.
                Err(std::sync::TryLockError::WouldBlock) if !guard(&self.jobs).is_empty() => {
                    return Err(IpcError::busy(&self.running()));
                }
                Err(std::sync::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }

    /// What the running job is doing (for the busy message).
    fn running(&self) -> String {
        guard(&self.jobs).values().next().map(|j| j.status().phase).unwrap_or_else(|| "另一项操作".into())
    }

    /// Run `f` on the archive as job `id`, which `cancel_job(id)` can stop meanwhile.
    pub fn with_job<T>(
        &self,
        id: u64,
        job: &Job,
        f: impl FnOnce(&mut Archive, &Job) -> ganshi::Result<T>,
    ) -> IpcResult<T> {
        self.with(|a| {
            guard(&self.jobs).insert(id, job.clone());
            let out = f(a, job);
            guard(&self.jobs).remove(&id);
            out
        })
    }

    /// Ask job `id` to stop; false if no such job is running.
    pub fn cancel_job(&self, id: u64) -> bool {
        guard(&self.jobs).get(&id).map(Job::cancel).is_some()
    }

    pub fn demo_path(&self) -> PathBuf {
        self.data_dir.join("演示档案.db")
    }

    /// Choose the archive the sign-in screen is for (nothing is opened).
    pub fn select(&self, path: &Path) -> IpcResult<()> {
        if !path.is_file() {
            return Err(IpcError::invalid("path", format!("文件 {} 不存在", path.display())));
        }
        *guard(&self.selected) = Some(path.to_path_buf());
        crate::log::line(&format!("选择档案 {}", path.display()));
        Ok(())
    }

    fn selected(&self) -> IpcResult<PathBuf> {
        guard(&self.selected).clone().ok_or_else(|| IpcError::invalid("path", "请先选择档案文件"))
    }

    /// Sign in to the chosen archive.
    pub fn login(&self, credentials: &Credentials) -> IpcResult<()> {
        let path = self.selected()?;
        let archive = Archive::open_encrypted(&path, credentials)?;
        crate::log::line(&format!("{} 登录，打开档案 {}", archive.session().user, path.display()));
        if let Some(u) = archive.upgraded() {
            crate::log::line(&format!(
                "档案从第 {} 版升级到第 {} 版；升级前的副本：{}",
                u.from_version,
                u.to_version,
                u.backup.as_deref().unwrap_or("（未加密的档案不另存副本）")
            ));
        }
        self.install(archive, &path)
    }

    fn install(&self, mut archive: Archive, path: &Path) -> IpcResult<()> {
        archive.record_session_event("登录")?;
        *guard(&self.archive) = Some(archive);
        *guard(&self.selected) = Some(path.to_path_buf());
        *guard(&self.last_activity) = Instant::now();
        let mut settings = Settings::load(&self.config_dir);
        settings.last_archive = Some(display(path));
        settings.save(&self.config_dir)?;
        self.daily_backup();
        Ok(())
    }

    /// Create a new encrypted archive; the administrator is signed in. Returns the recovery key.
    pub fn create(&self, path: &Path, password: &str) -> IpcResult<RecoveryKey> {
        // The program's own data directory is made on first use (a fresh installation has none).
        if path.parent() == Some(self.data_dir.as_path()) && !self.data_dir.is_dir() {
            ganshi::archive::private_dir(&self.data_dir)?;
        }
        if let Some(parent) = path.parent().filter(|p| !p.is_dir()) {
            return Err(IpcError::invalid("path", format!("目录 {} 不存在，请先选择已有的文件夹", parent.display())));
        }
        if path.exists() {
            return Err(IpcError::invalid(
                "path",
                format!("文件 {} 已存在，请换一个文件名或直接打开它", path.display()),
            ));
        }
        let (archive, recovery) = Archive::create_encrypted(path, password)?;
        crate::log::line(&format!("新建档案 {}", path.display()));
        self.install(archive, path)?;
        Ok(recovery)
    }

    /// Encrypt a plaintext archive in place; then it waits for sign-in.
    pub fn encrypt(&self, path: &Path, password: &str) -> IpcResult<RecoveryKey> {
        let recovery = ganshi::archive::encrypted::encrypt_in_place(path, password)?;
        *guard(&self.selected) = Some(path.to_path_buf());
        Ok(recovery)
    }

    /// Generate the demo archive (administrator password chosen by the user,
    /// demo users share it) and sign in as the administrator.
    pub fn create_demo(&self, password: &str) -> IpcResult<RecoveryKey> {
        let path = self.demo_path();
        if path.exists() {
            return Err(IpcError::invalid("path", format!("演示档案 {} 已存在，请直接登录", path.display())));
        }
        ganshi::archive::private_dir(&self.data_dir)?;
        // Filled beside its place and moved there when complete, as `ganshi demo` does:
        // closing the app midway leaves no half-filled demo archive.
        let staging = ganshi::archive::encrypted::filling(&path);
        ganshi::archive::remove_files(&staging);
        let (mut archive, recovery) = Archive::create_encrypted(&staging, password)?;
        let made = ganshi::demo::generate(&mut archive, 200, 7)
            .and_then(|_| ganshi::demo::add_demo_users(&mut archive, password));
        drop(archive);
        if let Err(e) = made.and_then(|_| ganshi::archive::encrypted::put_in_place(&path)) {
            ganshi::archive::remove_files(&staging);
            return Err(e.into());
        }
        let archive = Archive::open_encrypted(&path, &Credentials::password("admin", password))?;
        self.install(archive, &path)?;
        Ok(recovery)
    }

    fn backup_settings(&self) -> (PathBuf, usize) {
        let s = Settings::load(&self.config_dir);
        (s.backup_dir.map_or_else(|| self.data_dir.join("backups"), PathBuf::from), s.backup_keep.unwrap_or(10))
    }

    /// A rotating backup now, by a user who may back up (系统管理员).
    pub fn backup_now(&self) -> IpcResult<ganshi::archive::backup::BackupReport> {
        let (dir, keep) = self.backup_settings();
        self.with(|a| a.rotating_backup(&dir, keep))
    }

    fn automatic_backup(&self) -> IpcResult<ganshi::archive::backup::BackupReport> {
        let (dir, keep) = self.backup_settings();
        let mut archive = guard(&self.archive);
        let archive = archive.as_mut().ok_or_else(IpcError::no_archive)?;
        Ok(archive.automatic_backup(&dir, keep)?)
    }

    /// Back up on sign-in when the newest automatic backup is more than a day old.
    /// The copy and its verification run on their own thread (a province archive
    /// takes about a minute); the 备份 audit entry is written when it is done.
    fn daily_backup(&self) {
        let (dir, keep) = self.backup_settings();
        let newest = std::fs::read_dir(&dir)
            .ok()
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
            .max();
        let stale = newest.is_none_or(|t| t.elapsed().map_or(true, |age| age.as_secs() > 24 * 3600));
        if !stale {
            return;
        }
        // The archive lock is released before the backup lock is taken: `with` takes
        // them in the other order (archive, then `finish_backup`).
        let plan = guard(&self.archive).as_ref().map(|a| a.detached_backup(&dir, keep));
        let plan = match plan {
            Some(Ok(plan)) => plan,
            Some(Err(e)) => return eprintln!("自动备份失败：{e}"),
            None => return,
        };
        let mut running = guard(&self.backup);
        if running.is_some() {
            return;
        }
        let source = plan.source().to_path_buf();
        *running = Some(RunningBackup { source, thread: std::thread::spawn(move || plan.run()) });
    }

    /// Record a finished background backup in `archive`'s audit trail (waiting for it if `wait`).
    fn finish_backup(&self, archive: &mut Archive, wait: bool) {
        let mut running = guard(&self.backup);
        if !running.as_ref().is_some_and(|r| wait || r.thread.is_finished()) {
            return;
        }
        let Some(done) = running.take() else { return };
        match done.thread.join() {
            Ok(Ok(report)) if archive.path() == Some(done.source.as_path()) => {
                if let Err(e) = archive.record_backup(&report) {
                    eprintln!("记录自动备份失败：{e}");
                }
            }
            Ok(Ok(report)) => eprintln!("自动备份完成：{}", report.path),
            Ok(Err(e)) => eprintln!("自动备份失败：{e}"),
            Err(_) => eprintln!("自动备份线程异常退出"),
        }
    }

    /// Lock: record it, then drop the archive and its key. The chosen file stays.
    pub fn lock(&self, why: &str) {
        if let Some(mut archive) = guard(&self.archive).take()
            && let Err(e) = archive.record_session_event(why)
        {
            eprintln!("记录{why}失败：{e}");
        }
    }

    /// Close the archive, backing it up first (automatic backup on close).
    pub fn close(&self) {
        crate::log::line("关闭档案");
        if let Some(archive) = guard(&self.archive).as_mut() {
            self.finish_backup(archive, true);
        }
        if guard(&self.archive).is_some()
            && let Err(e) = self.automatic_backup()
        {
            eprintln!("关闭时自动备份失败：{}", e.0.message);
        }
        self.lock("退出登录");
    }

    pub fn forget_selection(&self) {
        *guard(&self.selected) = None;
    }

    pub fn set_idle_minutes(&self, minutes: u32) -> IpcResult<()> {
        let mut settings = Settings::load(&self.config_dir);
        settings.idle_minutes = Some(minutes);
        settings.save(&self.config_dir)?;
        Ok(())
    }

    /// What the 关于 dialog shows.
    pub fn about(&self) -> ganshi::settings::AboutInfo {
        let archive = guard(&self.archive);
        ganshi::settings::AboutInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: ganshi::archive::schema::CURRENT_VERSION,
            archive_schema_version: archive.as_ref().and_then(|a| a.schema_version().ok()),
            archive_path: archive.as_ref().and_then(|a| a.path()).map(display),
            log_path: crate::log::path().map(|p| display(&p)).unwrap_or_default(),
            data_dir: display(&self.data_dir),
            config_dir: display(&self.config_dir),
        }
    }

    pub fn status(&self) -> AppStatus {
        let archive = guard(&self.archive);
        let selected = guard(&self.selected).clone();
        let settings = Settings::load(&self.config_dir);
        AppStatus {
            archive_path: archive.as_ref().and_then(|a| a.path()).map(display),
            selected_state: selected.as_deref().map(archive_file_state),
            selected_archive: selected.as_deref().map(display),
            session: archive.as_ref().map(|a| a.session().clone()),
            idle_minutes: settings.idle_minutes(),
            last_archive: settings.last_archive,
            // New archives are proposed in the user's data directory (issue 20).
            default_new_path: display(&self.data_dir.join("干事档案.db")),
            demo_path: display(&self.demo_path()),
            upgraded: archive.as_ref().and_then(|a| a.upgraded().cloned()),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            today: ganshi::Clock::System.today(),
        }
    }
}
