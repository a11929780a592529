//! Typed errors of the core. Every variant has a stable machine `code()` and a
//! Chinese `Display` message meant for the user; the Tauri shell maps both to
//! its one IPC error type.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field failed validation. `field` is the machine path of the field
    /// (e.g. `plan.deadline`, or a JSON path on import); `message` is Chinese.
    #[error("{message}（字段 {field}）")]
    Invalid { field: String, message: String },

    #[error("{entity} {id} 不存在")]
    NotFound { entity: &'static str, id: i64 },

    /// A stage transition whose preconditions are not met; `missing` says which.
    #[error("不能从「{from}」推进到「{to}」：{}", missing.join("；"))]
    Transition { from: String, to: String, missing: Vec<String> },

    /// The operation is not allowed in the record's current state.
    #[error("{0}")]
    State(String),

    #[error("档案格式版本为 {found}，高于本程序支持的 {supported}，请升级程序后再打开")]
    NewerArchive { found: i64, supported: i64 },

    #[error("{path}：{message}")]
    Import { path: String, message: String },

    #[error("{}：{source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),

    #[error("JSON 错误：{0}")]
    Json(#[from] serde_json::Error),

    /// Wrong user name, password or recovery key. Deliberately does not say which.
    #[error("用户名或密码不正确（{0}）")]
    Auth(String),

    /// The signed-in user's role or management scope does not allow this.
    #[error("无权操作：{0}")]
    Forbidden(String),

    /// A plaintext archive: it must be encrypted before users can sign in.
    #[error("{}：档案尚未加密。请先加密（ganshi --db PATH encrypt，或在程序中设置管理员密码），原文件校验后才会被替换", path.display())]
    NotEncrypted { path: PathBuf },

    /// The app locked itself (idle time or on demand); sign in again.
    #[error("已锁定，请重新登录")]
    Locked,

    /// A long operation was cancelled; whatever it had begun was undone.
    #[error("已取消：{0}")]
    Cancelled(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden(message.into())
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// Stable code for programs (the UI branches on it, never on the message).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Transition { .. } => "transition_blocked",
            Error::State(_) => "invalid_state",
            Error::NewerArchive { .. } => "archive_too_new",
            Error::Import { .. } => "import_failed",
            Error::Io { .. } => "io",
            Error::Sqlite(_) => "database",
            Error::Json(_) => "json",
            Error::Auth(_) => "auth_failed",
            Error::Forbidden(_) => "forbidden",
            Error::NotEncrypted { .. } => "not_encrypted",
            Error::Locked => "locked",
            Error::Cancelled(_) => "cancelled",
        }
    }

    /// The message alone, without the internal field name (for a message that
    /// already says where, in the user's terms).
    pub fn message(&self) -> String {
        match self {
            Error::Invalid { message, .. } | Error::Import { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// The field a validation error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Import { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Prefix the field path (used when validating nested records on import).
    pub fn at(self, prefix: &str) -> Self {
        match self {
            Error::Invalid { field, message } => Error::Import { path: format!("{prefix}.{field}"), message },
            Error::Import { path, message } => Error::Import { path: format!("{prefix}.{path}"), message },
            other => Error::Import { path: prefix.to_owned(), message: other.to_string() },
        }
    }
}

/// The serializable form of an error, as the UI receives it: branch on
/// `code`, show `message`, highlight `field` when present.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDto {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// For `transition_blocked`: each unmet precondition.
    pub missing: Vec<String>,
}

impl From<&Error> for ErrorDto {
    fn from(e: &Error) -> Self {
        ErrorDto {
            code: e.code().to_owned(),
            // The window shows the message; the field (a machine path) only marks the input.
            message: match e {
                Error::Invalid { message, .. } => message.clone(),
                other => other.to_string(),
            },
            field: e.field().map(str::to_owned),
            missing: match e {
                Error::Transition { missing, .. } => missing.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// Whether SQLite found the file damaged (a page that fails its check, or not a database).
pub fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

/// What to do about a damaged archive, said once, in the user's words.
pub const RESTORE_HINT: &str = "档案文件已损坏（有数据页校验失败），当前内容不能再信任。请用备份恢复：ganshi restore 备份文件 --db 档案文件（由系统管理员操作）";

fn sqlite_message(e: &rusqlite::Error) -> String {
    if is_corruption(e) { format!("{RESTORE_HINT}（{e}）") } else { format!("数据库错误：{e}") }
}
