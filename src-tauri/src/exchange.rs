//! 数据交换 commands (issue 19): this site's card, partners, packages. Each
//! takes the DTO, calls the core, maps the error.

use ganshi::exchange::{ImportReport, Partner, SiteCard, SiteStatus};
use ganshi::settings::path_from;
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

type S<'a> = State<'a, AppState>;

#[tauri::command(async)]
pub fn site_status(state: S) -> IpcResult<SiteStatus> {
    state.with(|a| a.site_status())
}

#[tauri::command(async)]
pub fn site_identity(state: S, code: String, name: String) -> IpcResult<SiteCard> {
    state.with(|a| a.site_identity(Some(&code), Some(&name)))
}

/// Write this site's card into `dir`; returns the file's path.
#[tauri::command(async)]
pub fn export_site_card(state: S, dir: String) -> IpcResult<String> {
    let dir = path_from(&dir)?;
    let card = state.with(|a| a.site_identity(None, None))?;
    std::fs::create_dir_all(&dir).map_err(|e| IpcError::from(ganshi::Error::io(&dir, e)))?;
    let path = dir.join(format!("{}-身份卡.json", card.name));
    let text = serde_json::to_string_pretty(&card).map_err(|e| IpcError::from(ganshi::Error::from(e)))?;
    Ok(ganshi::settings::display(&ganshi::formats::exports::write_new(&path, text.as_bytes())?))
}

#[tauri::command(async)]
pub fn trust_partner(state: S, path: String, unit_id: Option<i64>) -> IpcResult<Partner> {
    let path = path_from(&path)?;
    let text = ganshi::input::read_limited(&path, 64 * 1024)?;
    let text = String::from_utf8_lossy(&text);
    let card = SiteCard::parse(&text, &ganshi::settings::display(&path))?;
    state.with(|a| a.trust_partner(&card, unit_id))
}

#[tauri::command(async)]
pub fn revoke_partner(state: S, code: String, reason: String) -> IpcResult<Partner> {
    state.with(|a| a.revoke_partner(&code, &reason))
}

#[tauri::command(async)]
pub fn export_package(state: S, to: String, dir: String) -> IpcResult<ganshi::exchange::Exported> {
    let dir = path_from(&dir)?;
    state.with(|a| a.export_package_to(&to, &dir))
}

/// Write package `seq` for partner `to` again, as it was, into `dir` (one lost on the way).
#[tauri::command(async)]
pub fn resend_package(state: S, to: String, seq: u64, dir: String) -> IpcResult<ganshi::exchange::Exported> {
    let dir = path_from(&dir)?;
    state.with(|a| a.resend_package_to(&to, seq, &dir))
}

#[tauri::command(async)]
pub fn import_package(state: S, path: String, dry_run: bool) -> IpcResult<ImportReport> {
    let path = path_from(&path)?;
    let bytes = ganshi::input::read_limited(&path, ganshi::exchange::PACKAGE_LIMIT)?;
    state.with(|a| a.import_package(&bytes, &ganshi::settings::display(&path), dry_run))
}
