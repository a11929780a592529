//! Long operations (year-end assessment, import, batch export) run off the main
//! thread as jobs: the window names each with an id, hears `job-progress`
//! events `{id, status}` and may call `cancel_job(id)`; the core then stops at
//! its next step and undoes what it began.

use ganshi::assessment::{AssessRequest, AssessmentReport};
use ganshi::formats::exports::ExportReport;
use ganshi::formats::import::{ImportOptions, ImportPreview, collect};
use ganshi::job::JobStatus;
use ganshi::settings::path_from;
use ganshi::{Archive, Job};
use tauri::{AppHandle, Emitter as _, Manager as _, State};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Clone, serde::Serialize)]
struct JobEvent {
    id: u64,
    status: JobStatus,
}

async fn run<T: Send + 'static>(
    app: AppHandle,
    id: u64,
    f: impl FnOnce(&mut Archive, &Job) -> ganshi::Result<T> + Send + 'static,
) -> IpcResult<T> {
    let emitter = app.clone();
    let job = Job::with_listener(move |status| {
        let _ = emitter.emit("job-progress", JobEvent { id, status: status.clone() });
    });
    tauri::async_runtime::spawn_blocking(move || app.state::<AppState>().with_job(id, &job, f))
        .await
        .map_err(|e| IpcError::invalid("job", e.to_string()))?
}

#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job: u64) -> bool {
    state.cancel_job(job)
}

/// The year-end list of a unit (or everyone), as a job; explanations cut to their
/// top line (the window asks `assess` for one cadre's whole tree).
/// The 考核办's 工作台 (a year-end run).
#[tauri::command]
pub async fn appraisal_desk(app: AppHandle, year: i32, job: u64) -> IpcResult<ganshi::desk::appraisal::AppraisalDesk> {
    run(app, job, move |a, j| a.appraisal_desk(year, j)).await
}

#[tauri::command]
pub async fn appraisal_list(app: AppHandle, request: AssessRequest, job: u64) -> IpcResult<AssessmentReport> {
    run(app, job, move |a, j| a.appraisal_list(&request, j)).await
}

#[tauri::command]
pub async fn import_files(
    app: AppHandle,
    paths: Vec<String>,
    options: ImportOptions,
    dry_run: bool,
    job: u64,
) -> IpcResult<ImportPreview> {
    let paths = paths.iter().map(|p| path_from(p)).collect::<ganshi::Result<Vec<_>>>()?;
    let files = collect(&paths)?;
    run(app, job, move |a, j| a.import_files_with(&files, options, dry_run, j)).await
}

#[tauri::command]
pub async fn export_appraisal(
    app: AppHandle,
    year: i32,
    unit_id: i64,
    dir: String,
    job: u64,
) -> IpcResult<ExportReport> {
    let dir = path_from(&dir)?;
    run(app, job, move |a, j| a.export_appraisal(year, unit_id, &dir, j)).await
}
