//! Tauri commands: take the DTO, call the core, map the error. No domain
//! logic and no SQL here.
//!
//! Every command is `async` in Tauri's sense: it runs on the runtime's thread
//! pool, not on the main thread. A synchronous Tauri command runs on the main
//! thread, and WebKit cannot show a frame while that thread is busy, so any slow
//! call (a sign-in's key derivation, a province-wide list) froze the window.
//! Calls that arrive together take turns on the archive ([`AppState::with`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ganshi::access::users::{User, UserInput};
use ganshi::archive::encrypted::Credentials;
use ganshi::archive::revision::Revision;
use ganshi::dossier::{Dossier, InitiativeView};
use ganshi::enums::OwnerKind;
use ganshi::formats::appraisal_texts::AppraisalTexts;
use ganshi::lifecycle::Readiness;
use ganshi::records::appraisal_texts::{AppraisalText, AppraisalTextInput};
use ganshi::records::cadres::{Cadre, CadreInput, Post, PostInput, Transfer};
use ganshi::records::evidence::EvidenceMeta;
use ganshi::records::initiatives::{Initiative, InitiativeFilter, InitiativeInput, InitiativeRow};
use ganshi::records::outcomes::{Outcome, OutcomeInput, Recognition, RecognitionInput};
use ganshi::records::pages::{CadrePage, InitiativePage, PageRequest};
use ganshi::records::plans::{Milestone, MilestoneInput, Plan, PlanInput, PlanRating, RatingInput};
use ganshi::records::tracking::{Tracking, TrackingInput};
use ganshi::records::units::{Unit, UnitInput};
use ganshi::search::SearchResults;
use ganshi::settings::{AppStatus, path_from};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

type S<'a> = State<'a, AppState>;

#[tauri::command(async)]
pub fn app_status(state: S) -> AppStatus {
    state.status()
}

/// The recovery key of a new archive, shown once.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    status: AppStatus,
    recovery_key: String,
}

fn created(state: &AppState, key: &ganshi::archive::keys::RecoveryKey) -> Created {
    Created { status: state.status(), recovery_key: key.0.as_str().to_owned() }
}

#[tauri::command(async)]
pub fn create_archive(state: S, path: String, password: String) -> IpcResult<Created> {
    let key = state.create(&path_from(&path)?, &password)?;
    Ok(created(&state, &key))
}

#[tauri::command(async)]
pub fn select_archive(state: S, path: String) -> IpcResult<AppStatus> {
    state.select(&path_from(&path)?)?;
    Ok(state.status())
}

#[tauri::command(async)]
pub fn encrypt_archive(state: S, path: String, password: String) -> IpcResult<Created> {
    let key = state.encrypt(&path_from(&path)?, &password)?;
    Ok(created(&state, &key))
}

#[tauri::command(async)]
pub fn create_demo(state: S, password: String) -> IpcResult<Created> {
    let key = state.create_demo(&password)?;
    Ok(created(&state, &key))
}

#[tauri::command(async)]
pub fn select_demo(state: S) -> IpcResult<AppStatus> {
    state.select(&state.demo_path())?;
    Ok(state.status())
}

/// The 关于 dialog: version, archive formats, where the log and the data are.
#[tauri::command(async)]
pub fn about(state: S) -> ganshi::settings::AboutInfo {
    state.about()
}

#[tauri::command(async)]
pub fn login(state: S, user: String, password: String) -> IpcResult<AppStatus> {
    state.login(&Credentials::password(&user, &password))?;
    Ok(state.status())
}

#[tauri::command(async)]
pub fn login_recovery(state: S, recovery_key: String) -> IpcResult<AppStatus> {
    state.login(&Credentials::Recovery(recovery_key.into()))?;
    Ok(state.status())
}

#[tauri::command(async)]
pub fn lock_archive(state: S, logout: bool) -> AppStatus {
    state.lock(if logout { "退出登录" } else { "锁定" });
    state.status()
}

#[tauri::command(async)]
pub fn close_archive(state: S) -> AppStatus {
    state.close();
    state.forget_selection();
    state.status()
}

#[tauri::command(async)]
pub fn set_idle_minutes(state: S, minutes: u32) -> IpcResult<AppStatus> {
    state.set_idle_minutes(minutes)?;
    Ok(state.status())
}

#[tauri::command(async)]
pub fn list_users(state: S) -> IpcResult<Vec<User>> {
    state.with(|a| a.users())
}

#[tauri::command(async)]
pub fn add_user(state: S, input: UserInput, password: String) -> IpcResult<User> {
    state.with(|a| a.add_user(input, &password))
}

#[tauri::command(async)]
pub fn update_user(state: S, name: String, input: UserInput) -> IpcResult<User> {
    state.with(|a| a.update_user(&name, input))
}

#[tauri::command(async)]
pub fn set_user_password(state: S, name: String, password: String) -> IpcResult<()> {
    state.with(|a| a.set_user_password(&name, &password))
}

#[tauri::command(async)]
pub fn change_own_password(state: S, current: String, password: String) -> IpcResult<()> {
    state.with(|a| a.change_own_password(&current, &password))
}

#[tauri::command(async)]
pub fn deactivate_user(state: S, name: String) -> IpcResult<()> {
    state.with(|a| a.deactivate_user(&name))
}

#[tauri::command(async)]
pub fn list_units(state: S) -> IpcResult<Vec<Unit>> {
    state.with(|a| a.units())
}

#[tauri::command(async)]
pub fn create_unit(state: S, input: UnitInput) -> IpcResult<Unit> {
    state.with(|a| a.create_unit(input))
}

#[tauri::command(async)]
pub fn update_unit(state: S, id: i64, input: UnitInput, reason: String) -> IpcResult<Unit> {
    state.with(|a| a.update_unit(id, input, &reason))
}

#[tauri::command(async)]
pub fn list_cadres(state: S, unit_id: Option<i64>, name: Option<String>) -> IpcResult<Vec<Cadre>> {
    state.with(|a| a.cadres(unit_id, name.as_deref()))
}

#[tauri::command(async)]
pub fn cadres_page(state: S, unit_id: Option<i64>, name: Option<String>, page: PageRequest) -> IpcResult<CadrePage> {
    state.with(|a| a.cadres_page(unit_id, name.as_deref(), page))
}

#[tauri::command(async)]
pub fn cadres_by_id(state: S, ids: Vec<i64>) -> IpcResult<Vec<Cadre>> {
    state.with(|a| a.cadres_by_id(&ids))
}

#[tauri::command(async)]
pub fn initiatives_page(state: S, filter: InitiativeFilter, page: PageRequest) -> IpcResult<InitiativePage> {
    state.with(|a| a.initiatives_page(&filter, page))
}

#[tauri::command(async)]
pub fn search(state: S, query: String, limit: usize) -> IpcResult<SearchResults> {
    state.with(|a| a.search(&query, limit))
}

#[tauri::command(async)]
pub fn get_dossier(state: S, cadre_id: i64) -> IpcResult<Dossier> {
    state.with(|a| {
        let today = a.today();
        a.dossier(cadre_id, &today)
    })
}

#[tauri::command(async)]
pub fn create_cadre(state: S, input: CadreInput, post_since: Option<String>) -> IpcResult<Cadre> {
    state.with(|a| a.create_cadre(input, post_since.as_deref()))
}

#[tauri::command(async)]
pub fn update_cadre(state: S, id: i64, input: CadreInput, reason: String) -> IpcResult<Cadre> {
    state.with(|a| a.update_cadre(id, input, &reason))
}

#[tauri::command(async)]
pub fn add_post(state: S, cadre_id: i64, input: PostInput) -> IpcResult<Post> {
    state.with(|a| a.add_post(cadre_id, input))
}

#[tauri::command(async)]
pub fn transfer_cadre(state: S, cadre_id: i64, input: Transfer) -> IpcResult<Cadre> {
    state.with(|a| a.transfer_cadre(cadre_id, input))
}

#[tauri::command(async)]
pub fn list_initiatives(state: S, filter: InitiativeFilter) -> IpcResult<Vec<InitiativeRow>> {
    state.with(|a| a.initiatives(&filter))
}

#[tauri::command(async)]
pub fn get_initiative(state: S, id: i64) -> IpcResult<InitiativeView> {
    state.with(|a| {
        let today = a.today();
        a.initiative_view(id, &today)
    })
}

#[tauri::command(async)]
pub fn create_initiative(state: S, input: InitiativeInput) -> IpcResult<Initiative> {
    state.with(|a| a.create_initiative(input))
}

#[tauri::command(async)]
pub fn update_initiative(state: S, id: i64, input: InitiativeInput, reason: String) -> IpcResult<Initiative> {
    state.with(|a| a.update_initiative(id, input, &reason))
}

#[tauri::command(async)]
pub fn save_plan(state: S, initiative_id: i64, input: PlanInput, reason: String) -> IpcResult<Plan> {
    state.with(|a| a.save_plan(initiative_id, input, &reason))
}

#[tauri::command(async)]
pub fn add_milestone(state: S, initiative_id: i64, input: MilestoneInput) -> IpcResult<Milestone> {
    state.with(|a| a.add_milestone(initiative_id, input))
}

#[tauri::command(async)]
pub fn update_milestone(state: S, id: i64, input: MilestoneInput, reason: String) -> IpcResult<Milestone> {
    state.with(|a| a.update_milestone(id, input, &reason))
}

#[tauri::command(async)]
pub fn rate_plan(state: S, initiative_id: i64, input: RatingInput, reason: String) -> IpcResult<PlanRating> {
    state.with(|a| a.rate_plan(initiative_id, input, &reason))
}

#[tauri::command(async)]
pub fn add_tracking(state: S, initiative_id: i64, input: TrackingInput) -> IpcResult<Tracking> {
    state.with(|a| a.add_tracking(initiative_id, input))
}

#[tauri::command(async)]
pub fn record_outcome(state: S, initiative_id: i64, input: OutcomeInput, reason: String) -> IpcResult<Outcome> {
    state.with(|a| a.record_outcome(initiative_id, input, &reason))
}

#[tauri::command(async)]
pub fn add_recognition(state: S, initiative_id: i64, input: RecognitionInput) -> IpcResult<Recognition> {
    state.with(|a| a.add_recognition(initiative_id, input))
}

#[tauri::command(async)]
pub fn readiness(state: S, initiative_id: i64) -> IpcResult<Readiness> {
    state.with(|a| a.readiness(initiative_id))
}

#[tauri::command(async)]
pub fn advance(state: S, initiative_id: i64, date: String, note: String) -> IpcResult<Initiative> {
    state.with(|a| a.advance(initiative_id, &date, &note))
}

#[tauri::command(async)]
pub fn stop_initiative(state: S, initiative_id: i64, date: String, reason: String) -> IpcResult<Initiative> {
    state.with(|a| a.stop(initiative_id, &date, &reason))
}

#[tauri::command(async)]
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

#[tauri::command(async)]
pub fn get_evidence(state: S, id: i64) -> IpcResult<EvidenceContent> {
    state
        .with(|a| a.evidence_content(id))
        .map(|(meta, bytes)| EvidenceContent { meta, content_base64: BASE64.encode(bytes) })
}

#[tauri::command(async)]
pub fn history(state: S, entity: String, id: i64) -> IpcResult<Vec<Revision>> {
    state.with(|a| a.history(&entity, id))
}

// --- assessment (issue 3) ---------------------------------------------------

use ganshi::assessment::grades::{FinalGrade, FinalGradeInput};
use ganshi::assessment::promotion::PromotionSummary;
use ganshi::assessment::scheme::{Scheme, SchemeVersion};
use ganshi::assessment::{AssessRequest, AssessmentReport};
use ganshi::dossier::CadreRecords;
use ganshi::records::evaluations::{Evaluation, EvaluationInput, Protection, ProtectionInput};
use ganshi::records::negatives::{Negative, NegativeInput};
use ganshi::records::reports::{FindingInput, Report, ReportInput};
use ganshi::records::tolerance::{ToleranceCase, ToleranceInput};

#[tauri::command(async)]
pub fn assess(state: S, request: AssessRequest) -> IpcResult<AssessmentReport> {
    state.with(|a| a.assess(&request))
}

#[tauri::command(async)]
pub fn promotion_evidence(state: S, cadre_id: i64, year: i32) -> IpcResult<PromotionSummary> {
    state.with(|a| a.promotion_evidence(cadre_id, year, None))
}

#[tauri::command(async)]
pub fn compare(state: S, ids: Vec<i64>, year: i32) -> IpcResult<Vec<PromotionSummary>> {
    state.with(|a| a.compare(&ids, year))
}

#[tauri::command(async)]
pub fn cadre_records(state: S, cadre_id: i64) -> IpcResult<CadreRecords> {
    state.with(|a| a.cadre_records(cadre_id))
}

#[tauri::command(async)]
pub fn add_evaluation(state: S, input: EvaluationInput) -> IpcResult<Evaluation> {
    state.with(|a| a.add_evaluation(input))
}

#[tauri::command(async)]
pub fn protect_evaluation(state: S, input: ProtectionInput) -> IpcResult<Protection> {
    state.with(|a| a.protect_evaluation(input))
}

#[tauri::command(async)]
pub fn add_negative(state: S, input: NegativeInput) -> IpcResult<Negative> {
    state.with(|a| a.add_negative(input))
}

/// The effect period (影响期) of every negative-record subtype: default and bounds.
#[tauri::command]
pub fn effect_periods() -> Vec<ganshi::records::negatives::EffectPeriodRow> {
    ganshi::records::negatives::effect_periods()
}

#[tauri::command(async)]
pub fn close_negative(state: S, id: i64, date: String, note: String) -> IpcResult<Negative> {
    state.with(|a| a.close_negative(id, &date, &note))
}

#[tauri::command(async)]
pub fn add_report(state: S, input: ReportInput) -> IpcResult<Report> {
    state.with(|a| a.add_report(input))
}

#[tauri::command(async)]
pub fn record_finding(state: S, report_id: i64, input: FindingInput) -> IpcResult<Report> {
    state.with(|a| a.record_finding(report_id, input))
}

#[tauri::command(async)]
pub fn add_tolerance_case(state: S, input: ToleranceInput) -> IpcResult<ToleranceCase> {
    state.with(|a| a.add_tolerance_case(input))
}

#[tauri::command(async)]
pub fn decide_tolerance_case(state: S, id: i64, input: ToleranceInput, reason: String) -> IpcResult<ToleranceCase> {
    state.with(|a| a.decide_tolerance_case(id, input, &reason))
}

#[tauri::command(async)]
pub fn benchmark_cases(state: S) -> IpcResult<Vec<ToleranceCase>> {
    state.with(|a| a.benchmark_cases())
}

#[tauri::command(async)]
pub fn record_final_grade(state: S, input: FinalGradeInput) -> IpcResult<FinalGrade> {
    state.with(|a| a.record_final_grade(input))
}

/// Show a folder the program wrote to in the system's file manager.
#[tauri::command(async)]
pub fn open_folder(path: String) -> IpcResult<()> {
    let dir = path_from(&path)?;
    if !dir.is_dir() {
        return Err(IpcError::invalid("path", format!("文件夹 {} 不存在", dir.display())));
    }
    let opener = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener).arg(&dir).spawn().map(|_| ()).map_err(|e| {
        IpcError::invalid("path", format!("无法打开文件夹（{e}），请在文件管理器中打开 {}", dir.display()))
    })
}

#[tauri::command(async)]
pub fn clerk_desk(
    state: S,
    unit_id: Option<i64>,
    level: Option<ganshi::desk::clerk::WarningLevel>,
) -> IpcResult<ganshi::desk::clerk::ClerkDesk> {
    state.with(|a| a.clerk_desk(unit_id, level))
}

#[tauri::command(async)]
pub fn leader_desk(state: S) -> IpcResult<ganshi::desk::leader::LeaderDesk> {
    state.with(|a| a.leader_desk())
}

#[tauri::command(async)]
pub fn rater_calibration(state: S, year: i32) -> IpcResult<Vec<ganshi::desk::calibration::RaterCalibration>> {
    state.with(|a| a.rater_calibration(year))
}

#[tauri::command(async)]
pub fn appraisal_texts(state: S, cadre_id: i64, year: i32) -> IpcResult<AppraisalTexts> {
    state.with(|a| a.appraisal_texts(cadre_id, year))
}

#[tauri::command(async)]
pub fn save_appraisal_texts(state: S, input: AppraisalTextInput) -> IpcResult<AppraisalText> {
    state.with(|a| a.save_appraisal_texts(input))
}

#[tauri::command(async)]
pub fn get_scheme(state: S, year: i32) -> IpcResult<SchemeVersion> {
    state.with(|a| a.scheme(year))
}

#[tauri::command(async)]
pub fn save_scheme(state: S, year: i32, scheme: Scheme, note: String) -> IpcResult<SchemeVersion> {
    state.with(|a| a.save_scheme(year, scheme, &note))
}

// --- audit and backups (issue 4) ----------------------------------------------

use ganshi::archive::audit::{AuditEntry, AuditFilter, ChainReport};
use ganshi::archive::backup::BackupReport;

#[tauri::command(async)]
pub fn audit_entries(state: S, filter: AuditFilter) -> IpcResult<Vec<AuditEntry>> {
    state.with(|a| a.audit_entries(&filter))
}

#[tauri::command(async)]
pub fn verify_audit(state: S) -> IpcResult<ChainReport> {
    state.with(|a| a.verify_audit())
}

#[tauri::command(async)]
pub fn backup_now(state: S) -> IpcResult<BackupReport> {
    state.backup_now()
}

#[tauri::command(async)]
pub fn add_review(
    state: S,
    input: ganshi::records::reviews::ReviewInput,
) -> IpcResult<ganshi::records::reviews::Review> {
    state.with(|a| a.add_review(input))
}

// --- formats (issue 5) -------------------------------------------------------

use ganshi::formats::exports::write_new;

#[tauri::command(async)]
pub fn export_dossier(state: S, cadre_id: i64, year: i32, path: String) -> IpcResult<String> {
    let path = path_from(&path)?;
    let bytes = state.with(|a| a.dossier_docx(cadre_id, year))?;
    Ok(write_new(&path, &bytes)?.display().to_string())
}

#[tauri::command(async)]
pub fn export_lrmx(state: S, cadre_id: i64, path: String) -> IpcResult<String> {
    let path = path_from(&path)?;
    let text = state.with(|a| a.export_lrmx(cadre_id))?;
    Ok(write_new(&path, text.as_bytes())?.display().to_string())
}

#[tauri::command(async)]
pub fn export_comparison(state: S, ids: Vec<i64>, year: i32, path: String) -> IpcResult<String> {
    let path = path_from(&path)?;
    let bytes = state.with(|a| a.comparison_xlsx(&ids, year))?;
    Ok(write_new(&path, &bytes)?.display().to_string())
}

#[tauri::command(async)]
pub fn default_export_dir(state: S) -> String {
    ganshi::settings::display(&state.default_dir.join("干事档案导出"))
}

/// The 任免审批表 details of a cadre, with the photo as a data URL.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    profile: Option<ganshi::records::profiles::Profile>,
    photo: Option<String>,
}

#[tauri::command(async)]
pub fn get_profile(state: S, cadre_id: i64) -> IpcResult<ProfileView> {
    state.with(|a| {
        let photo = a.photo(cadre_id)?.map(|p| format!("data:{};base64,{}", p.mime, BASE64.encode(p.bytes)));
        Ok(ProfileView { profile: a.profile(cadre_id)?, photo })
    })
}
