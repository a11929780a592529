//! The program's log (issue 20): one file in the user's data directory that a
//! user can send to support — `logs/ganshi.log`, readable by its owner only,
//! kept under 1 MB (the one before as `ganshi.log.1`). It records starts, the
//! archive chosen and opened, sign-ins (the user name, never a password) and
//! every error shown to the user, with the time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

const LIMIT: u64 = 1 << 20;

static LOG: OnceLock<Mutex<PathBuf>> = OnceLock::new();

/// Start the log in `data_dir/logs`; a panic is logged before the usual report.
pub fn init(data_dir: &Path) {
    let path = data_dir.join("logs").join("ganshi.log");
    if let Some(dir) = path.parent() {
        let _ = ganshi::archive::private_dir(dir);
    }
    let _ = LOG.set(Mutex::new(path));
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        line(&format!("程序异常：{info}"));
        previous(info);
    }));
    line(&format!(
        "启动 干事档案 {}（档案格式第 {} 版）",
        env!("CARGO_PKG_VERSION"),
        ganshi::archive::schema::CURRENT_VERSION
    ));
}

/// Where the log is (none before `init`).
pub fn path() -> Option<PathBuf> {
    LOG.get().map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone())
}

/// Append one line with the time. Never fails the caller: a log that cannot be
/// written is not a reason to stop working.
pub fn line(text: &str) {
    let Some(lock) = LOG.get() else { return };
    let path = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if std::fs::metadata(&*path).is_ok_and(|m| m.len() > LIMIT) {
        let mut old = path.as_os_str().to_owned();
        old.push(".1");
        let _ = std::fs::rename(&*path, PathBuf::from(old));
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    if let Ok(mut file) = options.open(&*path) {
        let _ = writeln!(file, "{} {}", ganshi::Clock::System.timestamp(), text.replace('\n', " "));
    }
}
