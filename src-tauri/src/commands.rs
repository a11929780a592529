//! Tauri commands: take the DTO, call the core, map the error. No domain
//! logic and no SQL here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ganshi::archive::revision::Revision;
use ganshi::dossier::{Dossier, InitiativeView};
use ganshi::enums::OwnerKind;
use ganshi::lifecycle::Readiness;
use ganshi::records::cadres::{Cadre, CadreInput, Post, PostInput, Transfer};
use ganshi::records::evidence::EvidenceMeta;
use ganshi::records::initiatives::{Initiative, InitiativeFilter, InitiativeInput, InitiativeRow};
use ganshi::records::outcomes::{Outcome, OutcomeInput, Recognition, RecognitionInput};
use ganshi::records::plans::{Milestone, MilestoneInput, Plan, PlanInput, PlanRating, RatingInput};
use ganshi::records::tracking::{Tracking, TrackingInput};
use ganshi::records::units::{Unit, UnitInput};
use ganshi::settings::{AppStatus, path_from};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

type S<'a> = State<'a, AppState>;

#[tauri::command]
pub fn app_status(state: S) -> AppStatus {
    state.status()
}

#[tauri::command]
pub fn create_archive(state: S, path: String) -> IpcResult<AppStatus> {
    state.open(&path_from(&path)?, true)?;
    Ok(state.status())
}

#[tauri::command]
pub fn open_archive(state: S, path: String) -> IpcResult<AppStatus> {
    state.open(&path_from(&path)?, false)?;
    Ok(state.status())
}

#[tauri::command]
pub fn open_demo(state: S) -> IpcResult<AppStatus> {
    state.open_demo()?;
    Ok(state.status())
}

#[tauri::command]
pub fn close_archive(state: S) -> AppStatus {
    state.close();
    state.status()
}

#[tauri::command]
pub fn list_units(state: S) -> IpcResult<Vec<Unit>> {
    state.with(|a| a.units())
}

#[tauri::command]
pub fn create_unit(state: S, input: UnitInput) -> IpcResult<Unit> {
    state.with(|a| a.create_unit(input))
}

#[tauri::command]
pub fn update_unit(state: S, id: i64, input: UnitInput, reason: String) -> IpcResult<Unit> {
    state.with(|a| a.update_unit(id, input, &reason))
}

#[tauri::command]
pub fn list_cadres(state: S, unit_id: Option<i64>, name: Option<String>) -> IpcResult<Vec<Cadre>> {
    state.with(|a| a.cadres(unit_id, name.as_deref()))
}

#[tauri::command]
pub fn get_dossier(state: S, cadre_id: i64) -> IpcResult<Dossier> {
    state.with(|a| {
        let today = a.today();
        a.dossier(cadre_id, &today)
    })
}

#[tauri::command]
pub fn create_cadre(state: S, input: CadreInput, post_since: Option<String>) -> IpcResult<Cadre> {
    state.with(|a| a.create_cadre(input, post_since.as_deref()))
}

#[tauri::command]
pub fn update_cadre(state: S, id: i64, input: CadreInput, reason: String) -> IpcResult<Cadre> {
    state.with(|a| a.update_cadre(id, input, &reason))
}

#[tauri::command]
pub fn add_post(state: S, cadre_id: i64, input: PostInput) -> IpcResult<Post> {
    state.with(|a| a.add_post(cadre_id, input))
}

#[tauri::command]
pub fn transfer_cadre(state: S, cadre_id: i64, input: Transfer) -> IpcResult<Cadre> {
    state.with(|a| a.transfer_cadre(cadre_id, input))
}

#[tauri::command]
pub fn list_initiatives(state: S, filter: InitiativeFilter) -> IpcResult<Vec<InitiativeRow>> {
    state.with(|a| a.initiatives(&filter))
}

#[tauri::command]
pub fn get_initiative(state: S, id: i64) -> IpcResult<InitiativeView> {
    state.with(|a| {
        let today = a.today();
        a.initiative_view(id, &today)
    })
}

#[tauri::command]
pub fn create_initiative(state: S, input: InitiativeInput) -> IpcResult<Initiative> {
    state.with(|a| a.create_initiative(input))
}

#[tauri::command]
pub fn update_initiative(state: S, id: i64, input: InitiativeInput, reason: String) -> IpcResult<Initiative> {
    state.with(|a| a.update_initiative(id, input, &reason))
}

#[tauri::command]
pub fn save_plan(state: S, initiative_id: i64, input: PlanInput, reason: String) -> IpcResult<Plan> {
    state.with(|a| a.save_plan(initiative_id, input, &reason))
}

#[tauri::command]
pub fn add_milestone(state: S, initiative_id: i64, input: MilestoneInput) -> IpcResult<Milestone> {
    state.with(|a| a.add_milestone(initiative_id, input))
}

#[tauri::command]
pub fn update_milestone(state: S, id: i64, input: MilestoneInput, reason: String) -> IpcResult<Milestone> {
    state.with(|a| a.update_milestone(id, input, &reason))
}

#[tauri::command]
pub fn rate_plan(state: S, initiative_id: i64, input: RatingInput, reason: String) -> IpcResult<PlanRating> {
    state.with(|a| a.rate_plan(initiative_id, input, &reason))
}

#[tauri::command]
pub fn add_tracking(state: S, initiative_id: i64, input: TrackingInput) -> IpcResult<Tracking> {
    state.with(|a| a.add_tracking(initiative_id, input))
}

#[tauri::command]
pub fn record_outcome(state: S, initiative_id: i64, input: OutcomeInput, reason: String) -> IpcResult<Outcome> {
    state.with(|a| a.record_outcome(initiative_id, input, &reason))
}

#[tauri::command]
pub fn add_recognition(state: S, initiative_id: i64, input: RecognitionInput) -> IpcResult<Recognition> {
    state.with(|a| a.add_recognition(initiative_id, input))
}

#[tauri::command]
pub fn readiness(state: S, initiative_id: i64) -> IpcResult<Readiness> {
    state.with(|a| a.readiness(initiative_id))
}

#[tauri::command]
pub fn advance(state: S, initiative_id: i64, date: String, note: String) -> IpcResult<Initiative> {
    state.with(|a| a.advance(initiative_id, &date, &note))
}

#[tauri::command]
pub fn stop_initiative(state: S, initiative_id: i64, date: String, reason: String) -> IpcResult<Initiative> {
    state.with(|a| a.stop(initiative_id, &date, &reason))
}

#[tauri::command]
pub fn add_evidence(
    state: S,
    owner_kind: OwnerKind,
    owner_id: i64,
    name: String,
    content_base64: String,
) -> IpcResult<EvidenceMeta> {
    let bytes =
        BASE64.decode(content_base64).map_err(|e| IpcError::invalid("content", format!("文件内容编码错误：{e}")))?;
    state.with(|a| a.add_evidence(owner_kind, owner_id, &name, &bytes))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceContent {
    meta: EvidenceMeta,
    content_base64: String,
}

#[tauri::command]
pub fn get_evidence(state: S, id: i64) -> IpcResult<EvidenceContent> {
    state
        .with(|a| a.evidence_content(id))
        .map(|(meta, bytes)| EvidenceContent { meta, content_base64: BASE64.encode(bytes) })
}

#[tauri::command]
pub fn history(state: S, entity: String, id: i64) -> IpcResult<Vec<Revision>> {
    state.with(|a| a.history(&entity, id))
}
