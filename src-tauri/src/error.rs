//! The one error type crossing the IPC boundary: `{code, message, field, missing}`.

use ganshi::error::ErrorDto;

#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct IpcError(pub ErrorDto);

impl From<ganshi::Error> for IpcError {
    fn from(e: ganshi::Error) -> Self {
        IpcError::logged(ErrorDto::from(&e))
    }
}

impl IpcError {
    /// Every error shown to the user is written to the log too (`log`).
    fn logged(dto: ErrorDto) -> Self {
        crate::log::line(&format!("错误 [{}] {}", dto.code, dto.message));
        IpcError(dto)
    }

    pub fn no_archive() -> Self {
        IpcError::logged(ErrorDto {
            code: "no_archive".into(),
            message: "尚未打开档案，请先新建或打开一个档案".into(),
            field: None,
            missing: Vec::new(),
        })
    }

    /// Another operation holds the archive (a long job): try again when it ends.
    pub fn busy(running: &str) -> Self {
        IpcError::logged(ErrorDto {
            code: "busy".into(),
            message: format!("正在进行「{running}」，请等它完成或取消后再试"),
            field: None,
            missing: Vec::new(),
        })
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        IpcError::logged(ErrorDto {
            code: "invalid".into(),
            message: message.into(),
            field: Some(field.into()),
            missing: Vec::new(),
        })
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
