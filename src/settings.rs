//! What the desktop app remembers between launches (the last archive), kept
//! as a small JSON file in the user's configuration directory.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub last_archive: Option<String>,
    /// Where automatic backups go (default: the app's data folder / backups).
    #[serde(default)]
    pub backup_dir: Option<String>,
    /// How many automatic backups to keep per archive (default 10).
    #[serde(default)]
    pub backup_keep: Option<usize>,
    /// Lock the app after this many idle minutes (default 10; 0 never).
    #[serde(default)]
    pub idle_minutes: Option<u32>,
}

pub const DEFAULT_IDLE_MINUTES: u32 = 10;

impl Settings {
    pub fn idle_minutes(&self) -> u32 {
        self.idle_minutes.unwrap_or(DEFAULT_IDLE_MINUTES)
    }
}

/// What a chosen archive file is, before anyone signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ArchiveFileState {
    Missing,
    /// A plaintext archive from an earlier version: it must be encrypted first.
    Plain,
    Encrypted,
}

pub fn archive_file_state(path: &Path) -> ArchiveFileState {
    if !path.is_file() {
        ArchiveFileState::Missing
    } else if crate::archive::keys::sidecar(path).is_file() {
        ArchiveFileState::Encrypted
    } else if crate::archive::encrypted::is_plaintext_sqlite(path) {
        ArchiveFileState::Plain
    } else {
        ArchiveFileState::Encrypted
    }
}

const FILE: &str = "settings.json";

impl Settings {
    /// Missing or unreadable settings are the defaults: they only remember convenience state.
    pub fn load(dir: &Path) -> Settings {
        std::fs::read_to_string(dir.join(FILE)).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
    }

    /// Written to a temporary file and renamed, so a crash never leaves half a file.
    pub fn save(&self, dir: &Path) -> Result<()> {
        crate::archive::private_dir(dir)?;
        // It names the archives used: its owner's only, like them.
        let tmp = dir.join(format!("{FILE}.tmp"));
        crate::archive::write_private(&dir.join(FILE), &tmp, serde_json::to_string_pretty(self)?.as_bytes())
    }
}

/// What the window shows before and after an archive is open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// The open archive (signed in), if any.
    pub archive_path: Option<String>,
    /// The archive chosen on the sign-in screen (open or not).
    pub selected_archive: Option<String>,
    pub selected_state: Option<ArchiveFileState>,
    /// The signed-in user.
    pub session: Option<crate::access::Session>,
    pub idle_minutes: u32,
    pub last_archive: Option<String>,
    /// Suggested path for a new archive.
    pub default_new_path: String,
    /// Where the demo archive lives.
    pub demo_path: String,
    pub version: String,
    pub today: String,
    /// The open archive was upgraded from an older schema version when opened,
    /// after a verified copy of it was kept (the window says so once).
    pub upgraded: Option<crate::archive::backup::Upgraded>,
}

/// What the 关于 dialog shows (issue 20): the program's version, the archive
/// format it writes and the open archive's, and where its files are — the log
/// above all, to send to support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AboutInfo {
    pub version: String,
    /// The archive format (schema version) this program writes.
    pub schema_version: i64,
    /// The open archive's format, if one is open.
    pub archive_schema_version: Option<i64>,
    pub archive_path: Option<String>,
    pub log_path: String,
    pub data_dir: String,
    pub config_dir: String,
}

pub fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

pub fn path_from(text: &str) -> Result<PathBuf> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid("path", "请填写档案文件路径"));
    }
    let path = PathBuf::from(trimmed);
    if !path.is_absolute() {
        return Err(Error::invalid("path", format!("「{trimmed}」不是绝对路径")));
    }
    Ok(path)
}
