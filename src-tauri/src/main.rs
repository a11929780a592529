//! 干事档案 desktop shell. Thin by design: state, commands and window setup;
//! everything else is the `ganshi` core.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod exchange;
mod jobs;
mod log;
mod rendering;
mod state;

use std::path::PathBuf;

use state::AppState;

/// mimalloc, as in every binary of ours (see `ganshi::Allocator`).
#[global_allocator]
static ALLOCATOR: ganshi::Allocator = ganshi::Allocator;

/// Command-line options of the app: `--archive PATH` chooses that archive for
/// sign-in; `--demo-if-none` chooses the demo archive when no archive was used
/// before. Nothing opens without a password.
struct Args {
    archive: Option<PathBuf>,
    demo_if_none: bool,
}

fn args() -> Args {
    let mut out = Args { archive: None, demo_if_none: false };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--archive" => out.archive = it.next().map(PathBuf::from),
            "--demo-if-none" => out.demo_if_none = true,
            _ => {}
        }
    }
    out
}

fn startup(state: &AppState, args: &Args) {
    let last = ganshi::settings::Settings::load(&state.config_dir).last_archive.map(PathBuf::from);
    let choice = match (&args.archive, last.filter(|p| p.is_file())) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(last)) => Some(last),
        (None, None) if args.demo_if_none && state.demo_path().is_file() => Some(state.demo_path()),
        _ => None,
    };
    if let Some(path) = choice
        && let Err(e) = state.select(&path)
    {
        eprintln!("启动时未能选择档案：{}", e.0.message);
    }
}

fn main() {
    let state = AppState::from_env();
    log::init(&state.data_dir);
    startup(&state, &args());
    tauri::Builder::default()
        .manage(state)
        .setup(|app| {
            rendering::configure(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::about,
            commands::create_archive,
            commands::select_archive,
            commands::encrypt_archive,
            commands::create_demo,
            commands::select_demo,
            commands::login,
            commands::login_recovery,
            commands::lock_archive,
            commands::close_archive,
            commands::set_idle_minutes,
            commands::list_users,
            commands::add_user,
            commands::update_user,
            commands::set_user_password,
            commands::change_own_password,
            commands::deactivate_user,
            commands::list_units,
            commands::create_unit,
            commands::update_unit,
            commands::list_cadres,
            commands::search,
            commands::cadres_page,
            commands::cadres_by_id,
            commands::initiatives_page,
            commands::get_dossier,
            commands::create_cadre,
            commands::update_cadre,
            commands::add_post,
            commands::transfer_cadre,
            commands::list_initiatives,
            commands::get_initiative,
            commands::create_initiative,
            commands::update_initiative,
            commands::save_plan,
            commands::add_milestone,
            commands::update_milestone,
            commands::rate_plan,
            commands::add_tracking,
            commands::record_outcome,
            commands::add_recognition,
            commands::readiness,
            commands::advance,
            commands::stop_initiative,
            commands::add_evidence,
            commands::get_evidence,
            commands::history,
            commands::assess,
            commands::promotion_evidence,
            commands::compare,
            commands::cadre_records,
            commands::add_evaluation,
            commands::protect_evaluation,
            commands::add_negative,
            commands::effect_periods,
            commands::close_negative,
            commands::add_report,
            commands::record_finding,
            commands::add_tolerance_case,
            commands::decide_tolerance_case,
            commands::benchmark_cases,
            commands::record_final_grade,
            commands::appraisal_texts,
            commands::clerk_desk,
            commands::open_folder,
            commands::leader_desk,
            commands::rater_calibration,
            exchange::site_status,
            exchange::site_identity,
            exchange::export_site_card,
            exchange::trust_partner,
            exchange::revoke_partner,
            exchange::export_package,
            exchange::resend_package,
            exchange::import_package,
            jobs::appraisal_desk,
            commands::save_appraisal_texts,
            commands::get_scheme,
            commands::save_scheme,
            commands::audit_entries,
            commands::verify_audit,
            commands::backup_now,
            commands::add_review,
            jobs::import_files,
            jobs::export_appraisal,
            jobs::appraisal_list,
            jobs::cancel_job,
            commands::export_dossier,
            commands::export_lrmx,
            commands::export_comparison,
            commands::default_export_dir,
            commands::get_profile,
        ])
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("无法启动干事档案窗口：{e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // Automatic backup when the app exits with an archive open.
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager as _;
                app.state::<AppState>().close();
            }
        });
}
