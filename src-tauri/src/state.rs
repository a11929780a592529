//! The app's state: the open archive (if any) and where settings live.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ganshi::Archive;
use ganshi::settings::{AppStatus, Settings, display};

use crate::error::{IpcError, IpcResult};

pub struct AppState {
    archive: Mutex<Option<Archive>>,
    /// Settings directory (remembers the last archive).
    pub config_dir: PathBuf,
    /// Where the demo archive is created.
    pub data_dir: PathBuf,
    pub default_dir: PathBuf,
}

impl AppState {
    /// `GANSHI_HOME` puts settings and the demo archive in one folder (tests, portable use).
    pub fn from_env() -> AppState {
        let home = std::env::var_os("GANSHI_HOME").map(PathBuf::from);
        let config_dir =
            home.clone().unwrap_or_else(|| dirs::config_dir().unwrap_or_else(std::env::temp_dir).join("ganshi"));
        let data_dir =
            home.clone().unwrap_or_else(|| dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("ganshi"));
        let default_dir =
            home.unwrap_or_else(|| dirs::document_dir().or_else(dirs::home_dir).unwrap_or_else(std::env::temp_dir));
        AppState { archive: Mutex::new(None), config_dir, data_dir, default_dir }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Archive>> {
        self.archive.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Run `f` on the open archive.
    pub fn with<T>(&self, f: impl FnOnce(&mut Archive) -> ganshi::Result<T>) -> IpcResult<T> {
        let mut guard = self.lock();
        let archive = guard.as_mut().ok_or_else(IpcError::no_archive)?;
        Ok(f(archive)?)
    }

    pub fn demo_path(&self) -> PathBuf {
        self.data_dir.join("演示档案.db")
    }

    /// Make `path` the open archive and remember it for the next launch.
    pub fn open(&self, path: &Path, create: bool) -> IpcResult<()> {
        let archive = if create {
            if path.exists() {
                return Err(IpcError::invalid(
                    "path",
                    format!("文件 {} 已存在，请换一个文件名或直接打开它", path.display()),
                ));
            }
            if let Some(parent) = path.parent().filter(|p| !p.is_dir()) {
                return Err(IpcError::invalid(
                    "path",
                    format!("目录 {} 不存在，请先选择已有的文件夹", parent.display()),
                ));
            }
            Archive::open(path)?
        } else {
            Archive::open_existing(path)?
        };
        *self.lock() = Some(archive);
        let mut settings = Settings::load(&self.config_dir);
        settings.last_archive = Some(display(path));
        settings.save(&self.config_dir)?;
        self.daily_backup();
        Ok(())
    }

    fn backup_settings(&self) -> (PathBuf, usize) {
        let s = Settings::load(&self.config_dir);
        (s.backup_dir.map_or_else(|| self.data_dir.join("backups"), PathBuf::from), s.backup_keep.unwrap_or(10))
    }

    /// A rotating backup of the open archive now.
    pub fn rotating_backup(&self) -> IpcResult<ganshi::archive::backup::BackupReport> {
        let (dir, keep) = self.backup_settings();
        self.with(|a| a.rotating_backup(&dir, keep))
    }

    /// Back up on open when the newest automatic backup is more than a day old.
    fn daily_backup(&self) {
        let (dir, _) = self.backup_settings();
        let newest = std::fs::read_dir(&dir)
            .ok()
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
            .max();
        let stale = newest.is_none_or(|t| t.elapsed().map_or(true, |age| age.as_secs() > 24 * 3600));
        if stale && let Err(e) = self.rotating_backup() {
            eprintln!("自动备份失败：{}", e.0.message);
        }
    }

    /// Open the demo archive, generating it first if it does not exist.
    pub fn open_demo(&self) -> IpcResult<()> {
        let path = self.demo_path();
        if !path.exists() {
            std::fs::create_dir_all(&self.data_dir).map_err(|e| ganshi::Error::io(&self.data_dir, e))?;
            let tmp = path.with_extension("tmp");
            let _ = std::fs::remove_file(&tmp);
            let mut archive = Archive::open(&tmp)?;
            ganshi::demo::generate(&mut archive, 200, 7)?;
            drop(archive);
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
            }
            std::fs::rename(&tmp, &path).map_err(|e| ganshi::Error::io(&path, e))?;
        }
        self.open(&path, false)
    }

    /// Close the archive, backing it up first (automatic backup on close).
    pub fn close(&self) {
        if self.lock().is_some()
            && let Err(e) = self.rotating_backup()
        {
            eprintln!("关闭时自动备份失败：{}", e.0.message);
        }
        *self.lock() = None;
    }

    pub fn status(&self) -> AppStatus {
        let guard = self.lock();
        AppStatus {
            archive_path: guard.as_ref().and_then(|a| a.path()).map(display),
            last_archive: Settings::load(&self.config_dir).last_archive,
            default_new_path: display(&self.default_dir.join("干事档案.db")),
            demo_path: display(&self.demo_path()),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            today: chrono_today(),
        }
    }
}

fn chrono_today() -> String {
    ganshi::Clock::System.today()
}
