//! The `ganshi` command line. Forms are stable: other tools script against them.
//! Errors go to stderr with a non-zero exit; `--json` output goes to stdout only.

mod assessment;
mod auth;
mod exchange;
mod formats;
pub mod progress;
mod records;
mod users;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::archive::Archive;
use crate::error::{Error, Result};

#[derive(Parser)]
#[command(name = "ganshi", version, about = "干事档案：干部干事档案的命令行工具")]
pub struct Cli {
    /// The archive file.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Sign in as this user; the password comes from GANSHI_PASSWORD or a prompt.
    #[arg(long, global = true, default_value = "admin")]
    user: String,
    /// Sign in with the recovery key (GANSHI_RECOVERY_KEY or a prompt) as the administrator.
    #[arg(long, global = true)]
    recovery_key: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty, encrypted archive with the administrator `admin`
    /// (password from GANSHI_PASSWORD or a prompt); prints the recovery key once.
    Init,
    /// Encrypt a plaintext archive in place (new file, verified, then swapped).
    Encrypt,
    /// Users, roles and management scope (系统管理员).
    #[command(subcommand)]
    User(users::UserCmd),
    /// Fill a new archive with deterministic demo data.
    Demo {
        #[arg(long, default_value_t = 200)]
        cadres: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A scale preset instead of --cadres: county (≈ 3,000 cadres), city (≈ 5,000) or province (≈ 50,000).
        #[arg(long, conflicts_with = "cadres")]
        preset: Option<String>,
    },
    /// Units (单位).
    #[command(subcommand)]
    Unit(records::UnitCmd),
    /// Cadres (干部) and dossiers.
    #[command(subcommand)]
    Cadre(records::CadreCmd),
    /// Initiatives (干事事项) through 谋事 → 干事 → 成事.
    #[command(subcommand)]
    Initiative(records::InitiativeCmd),
    /// Evidence files (佐证材料) attached to records.
    #[command(subcommand)]
    Attachment(records::EvidenceCmd),
    /// Records the assessment reads: evaluations, protections, negative records, reports, tolerance cases, grades.
    #[command(subcommand)]
    Record(assessment::RecordCmd),
    /// The year's assessment scheme (考核方案), versioned.
    #[command(subcommand)]
    Scheme(assessment::SchemeCmd),
    /// Yearly assessment: stage assessments, composite, suggested and final grade, explanations.
    Assess {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        unit: Option<i64>,
        #[arg(long)]
        cadre: Option<i64>,
        /// Judge as of this date (default: the year's end, or today if earlier).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The promotion-evidence summary (想干事、会干事、干成事、不出事).
    Evidence {
        #[arg(long)]
        cadre: i64,
        /// Default: the current year.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, conflicts_with = "md")]
        json: bool,
        #[arg(long)]
        md: bool,
    },
    /// Compare 2–6 candidates side by side.
    Compare {
        #[arg(required = true, num_args = 2..=6)]
        ids: Vec<i64>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// The audit trail: `audit verify` checks the hash chain; `audit list` shows entries.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Back up the archive with SQLite's online backup API (works while the app is open).
    Backup {
        /// Destination file (must not exist) …
        dest: Option<PathBuf>,
        /// … or a folder for a timestamped, rotating backup.
        #[arg(long, conflicts_with = "dest")]
        rotate: Option<PathBuf>,
        /// With --rotate: how many backups to keep.
        #[arg(long, default_value_t = 10)]
        keep: usize,
    },
    /// Verify a backup (integrity check, audit chain), then replace the archive
    /// at --db with it; the replaced file is kept beside it.
    Restore { source: PathBuf },
    /// Crash-test writer: commits transactions forever, printing each committed id.
    #[command(hide = true)]
    StressWrite {
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// 工作台: what needs doing, for each role (JSON).
    #[command(subcommand)]
    Desk(DeskCmd),
    /// 数据交换 between sites: this site's identity card, partner sites (docs/exchange.md).
    #[command(subcommand)]
    Exchange(exchange::ExchangeCmd),
    /// Search cadres (name, pinyin, initials, unit, post) and initiatives
    /// (title, summary, outcome), within the user's management scope.
    Search {
        /// Words to search for; all must match (e.g. `zs`, `张三`, `冷链 物流`).
        #[arg(required = true)]
        query: Vec<String>,
        /// At most this many cadres and this many initiatives.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// The revision history of a record (e.g. `history cadre 12`).
    History {
        entity: String,
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Import cadres from .lrmx files (任免审批表), Excel rosters (.xlsx/.xls/.et)
    /// or zips/folders of them — detected by content; previewed, then all or nothing.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The unit of new cadres whose file names none of the archive's units.
        #[arg(long)]
        unit: Option<i64>,
        /// The 管理权限 of new cadres whose file does not state it: 省管, 市管, 县管 or 其他.
        #[arg(long)]
        level: Option<String>,
        /// Print what would be created or changed; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Export appraisal sheets, a dossier, an LRMX file or a comparison.
    #[command(subcommand)]
    Export(formats::ExportCmd),
    /// Write the whole archive as an interchange JSON document.
    ExportJson { file: PathBuf },
    /// Read an interchange JSON document into an empty archive (all or nothing).
    ImportJson { file: PathBuf },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute the hash chain; report the first broken entry.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Entries, newest first.
    List {
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        cadre: Option<i64>,
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        limit: Option<i64>,
        /// A partner site's chain kept here (its 行政区划代码), not this archive's.
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 [{}]：{e}", e.code());
            ExitCode::FAILURE
        }
    }
}

fn db_path(db: Option<PathBuf>) -> Result<PathBuf> {
    db.ok_or_else(|| Error::invalid("--db", "须用 --db PATH 指定档案文件"))
}

/// Print a line to stdout; a closed pipe (`| head`) ends output quietly.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
pub(crate) use out;

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    out!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn current_year(archive: &Archive) -> Result<i32> {
    archive.today().get(..4).and_then(|y| y.parse().ok()).ok_or_else(|| Error::State("无法确定当前年度".to_owned()))
}

#[derive(Subcommand)]
pub enum DeskCmd {
    /// 档案管理员: 黄/橙/红 warnings, ratings awaited, tracking due, overdue rectifications, pending matters.
    Clerk {
        #[arg(long)]
        unit: Option<i64>,
    },
    /// 领导: 批示 awaiting 签阅, recent 批示, recent results with national/provincial recognition.
    Leader,
    /// 考核办: the year-end's progress per 考核单位 (default: the last completed year).
    Appraisal {
        #[arg(long)]
        year: Option<i32>,
    },
    /// The 谋事 raters' calibration per unit (default: this year).
    Calibration {
        #[arg(long)]
        year: Option<i32>,
    },
}

pub fn run(cli: Cli) -> Result<()> {
    let path_buf = db_path(cli.db)?;
    let path: &Path = &path_buf;
    let auth = auth::Auth { user: cli.user, recovery: cli.recovery_key };
    crate::archive::encrypted::finish_interrupted(path)?;
    match cli.command {
        Command::Init => {
            if path.exists() {
                return Err(Error::io(
                    path,
                    std::io::Error::new(std::io::ErrorKind::AlreadyExists, "文件已存在，未做任何修改"),
                ));
            }
            let (archive, recovery) = Archive::create_encrypted(path, &auth.admin_password()?)?;
            eprintln!("已创建加密档案 {}（格式版本 {}），管理员 admin", path.display(), archive.schema_version()?);
            auth::show_recovery_key(&recovery);
            Ok(())
        }
        Command::Demo { cadres, seed, preset } => {
            let preset = preset.as_deref().map(crate::demo::Preset::parse).transpose()?;
            if preset.is_some() && path.exists() {
                return Err(Error::invalid(
                    "preset",
                    format!("{} 已存在：规模预设只生成到新文件（中途取消时整个文件会被删除）", path.display()),
                ));
            }
            // A new demo archive is filled beside its place and moved there when complete:
            // a kill meanwhile leaves no half-filled archive (and no recovery key shown for one).
            let staging = crate::archive::encrypted::filling(path);
            let (mut archive, created) = if path.exists() {
                (auth.open(path)?, None)
            } else {
                let stray = crate::archive::keys::sidecar(path);
                if stray.exists() {
                    return Err(Error::io(
                        &stray,
                        std::io::Error::new(std::io::ErrorKind::AlreadyExists, "已有同名档案的密钥文件，未做任何修改"),
                    ));
                }
                crate::archive::remove_files(&staging);
                let password = auth.admin_password()?;
                let (archive, recovery) = Archive::create_encrypted(&staging, &password)?;
                (archive, Some((password, recovery)))
            };
            let filled = (|| {
                let summary = match preset {
                    None => crate::demo::generate(&mut archive, cadres, seed)?,
                    Some(preset) => {
                        let generated =
                            crate::demo::generate_preset(&mut archive, preset, seed, &progress::console_job());
                        eprintln!();
                        generated?
                    }
                };
                if let Some((password, _)) = &created {
                    let names = crate::demo::add_demo_users(&mut archive, password)?;
                    eprintln!("演示用户（密码与 admin 相同）：{}", names.join("、"));
                }
                Ok(summary)
            })();
            drop(archive);
            let summary = match (filled, &created) {
                (Ok(summary), Some((_, recovery))) => {
                    if let Err(e) = crate::archive::encrypted::put_in_place(path) {
                        crate::archive::remove_files(&staging);
                        return Err(e);
                    }
                    auth::show_recovery_key(recovery);
                    summary
                }
                (Ok(summary), None) => summary,
                (Err(e), Some(_)) => {
                    crate::archive::remove_files(&staging);
                    eprintln!("已删除未完成的档案 {}", path.display());
                    return Err(e);
                }
                (Err(e), None) => return Err(e),
            };
            eprintln!(
                "已生成演示档案：{} 个单位，{} 名干部，{} 个干事事项（其中中止 {} 个）；保护条款 {} 项，澄清正名 {} 项，予以容错 {} 项",
                summary.units,
                summary.cadres,
                summary.initiatives,
                summary.stopped,
                summary.protected,
                summary.cleared,
                summary.tolerated
            );
            Ok(())
        }
        Command::Unit(cmd) => records::unit(&mut auth.open(path)?, cmd),
        Command::Cadre(cmd) => records::cadre(&mut auth.open(path)?, cmd),
        Command::Initiative(cmd) => records::initiative(&mut auth.open(path)?, cmd),
        Command::Attachment(cmd) => records::evidence(&mut auth.open(path)?, cmd),
        Command::Record(cmd) => assessment::record(&mut auth.open(path)?, cmd),
        Command::Scheme(cmd) => assessment::scheme(&mut auth.open(path)?, cmd),
        Command::Assess { year, unit, cadre, as_of, json } => assessment::assess(
            &auth.open(path)?,
            crate::assessment::AssessRequest { year, unit_id: unit, cadre_id: cadre, as_of },
            json,
        ),
        Command::Evidence { cadre, year, json, md } => {
            let archive = auth.open(path)?;
            let year = year.map_or_else(|| current_year(&archive), Ok)?;
            let summary = archive.promotion_evidence(cadre, year, None)?;
            if json {
                return print_json(&summary);
            }
            let _ = md;
            out!("{}", assessment::markdown(&summary));
            Ok(())
        }
        Command::Compare { ids, year, json } => {
            let archive = auth.open(path)?;
            let year = year.map_or_else(|| current_year(&archive), Ok)?;
            let summaries = archive.compare(&ids, year)?;
            if json {
                return print_json(&summaries);
            }
            for s in &summaries {
                out!("{}", assessment::markdown(s));
            }
            Ok(())
        }
        Command::Desk(cmd) => {
            let archive = auth.open(path)?;
            let year = current_year(&archive)?;
            match cmd {
                DeskCmd::Clerk { unit } => print_json(&archive.clerk_desk(unit, None)?),
                DeskCmd::Leader => print_json(&archive.leader_desk()?),
                DeskCmd::Appraisal { year: y } => {
                    let desk = archive.appraisal_desk(y.unwrap_or(year - 1), &progress::console_job());
                    eprintln!();
                    print_json(&desk?)
                }
                DeskCmd::Calibration { year: y } => print_json(&archive.rater_calibration(y.unwrap_or(year))?),
            }
        }
        Command::Search { query, limit, json } => {
            let archive = auth.open(path)?;
            let results = archive.search(&query.join(" "), limit)?;
            if json {
                return print_json(&results);
            }
            for (label, hits, more) in [
                ("干部", &results.cadres, results.more_cadres),
                ("事项", &results.initiatives, results.more_initiatives),
            ] {
                out!("{label}（{} 条{}）", hits.len(), if more { "，另有更多" } else { "" });
                for h in hits {
                    out!("  {:>6}  {}  {}  [{}]", h.id, h.title, h.subtitle, h.matched);
                    if let Some(e) = &h.excerpt {
                        out!("          {e}");
                    }
                }
            }
            Ok(())
        }
        Command::History { entity, id, json } => {
            let archive = auth.open(path)?;
            let revisions = archive.history(&entity, id)?;
            if revisions.is_empty() {
                return Err(Error::NotFound { entity: "修订记录", id });
            }
            if json {
                return print_json(&revisions);
            }
            for r in revisions {
                out!("第 {} 版  {}  {}  {}", r.rev, r.at, r.actor, r.reason);
            }
            Ok(())
        }
        Command::Audit(AuditCmd::Verify { json }) => {
            let archive = auth.open(path)?;
            let report = archive.verify_audit()?;
            if json {
                print_json(&report)?;
            } else if report.ok {
                let anchor = if report.anchored { "，与密钥文件中的锚点一致" } else { "" };
                out!("审计日志完整：{} 条，哈希链校验通过；全部记录与留痕一致{anchor}", report.entries);
            }
            if !json {
                for s in &report.sites {
                    match &s.problem {
                        None => out!("「{}」（{}）的审计日志：{} 条，哈希链校验通过", s.name, s.code, s.entries),
                        Some(p) => out!("「{}」（{}）的审计日志校验失败：{p}", s.name, s.code),
                    }
                }
            }
            if !report.ok {
                let problem = report.problem.unwrap_or_default();
                return Err(Error::State(match report.first_broken {
                    Some(n) => format!("审计日志校验失败，第一个异常条目：{n}（{problem}）"),
                    None => format!("审计日志校验失败：{problem}"),
                }));
            }
            Ok(())
        }
        Command::Audit(AuditCmd::List { actor, cadre, action, from, to, limit, site, json }) => {
            let archive = auth.open(path)?;
            let filter = crate::archive::audit::AuditFilter { actor, cadre_id: cadre, action, from, to, limit, site };
            let entries = archive.audit_entries(&filter)?;
            if json {
                return print_json(&entries);
            }
            for e in entries {
                out!("{:>7}  {}  {:<8} {:<10} {}", e.id, e.at, e.actor, e.action, e.object);
            }
            Ok(())
        }
        Command::Backup { dest, rotate, keep } => {
            let mut archive = auth.open(path)?;
            let report = match (dest, rotate) {
                (Some(dest), None) => archive.backup_to(&dest)?,
                (None, Some(dir)) => archive.rotating_backup(&dir, keep)?,
                _ => return Err(Error::invalid("dest", "须指定备份文件 DEST 或 --rotate 目录")),
            };
            eprintln!("已备份到 {}（{} 字节，审计日志 {} 条）", report.path, report.bytes, report.audit_entries);
            Ok(())
        }
        Command::Restore { source } => {
            let kept = crate::archive::backup::restore(&source, path, &auth.credentials()?)?;
            match kept {
                Some(kept) => eprintln!("已从 {} 恢复；原档案保留为 {}", source.display(), kept.display()),
                None => eprintln!("已从 {} 恢复到 {}", source.display(), path.display()),
            }
            Ok(())
        }
        Command::StressWrite { seed } => {
            let mut archive = if path.exists() {
                auth.open(path)?
            } else {
                Archive::create_encrypted(path, &auth.admin_password()?)?.0
            };
            crate::demo::stress_write(&mut archive, seed)
        }
        Command::Encrypt => {
            let recovery = crate::archive::encrypted::encrypt_in_place(path, &auth.admin_password()?)?;
            eprintln!("已加密 {}：原文件校验通过后替换并抹除；管理员 admin", path.display());
            auth::show_recovery_key(&recovery);
            Ok(())
        }
        Command::Import { files, unit, level, dry_run, json } => {
            let level = level
                .map(|l| {
                    crate::enums::ManagementLevel::parse(&l)
                        .ok_or_else(|| Error::invalid("level", format!("管理权限「{l}」应为 省管、市管、县管 或 其他")))
                })
                .transpose()?;
            let options = crate::formats::import::ImportOptions { unit, level };
            formats::import(&mut auth.open(path)?, &files, options, dry_run, json)
        }
        Command::Export(cmd) => {
            let mut archive = auth.open(path)?;
            let year = current_year(&archive)?;
            formats::export(&mut archive, cmd, year)
        }
        Command::User(cmd) => users::run(&mut auth.open(path)?, &auth, cmd),
        Command::Exchange(cmd) => exchange::run(&mut auth.open(path)?, cmd),
        Command::ExportJson { file } => {
            let mut archive = auth.open(path)?;
            let text = archive.export_json()?;
            crate::formats::exports::write_new(&file, text.as_bytes())?;
            archive.log_event("导出", "archive", &file.display().to_string())?;
            eprintln!("已导出到 {}", file.display());
            Ok(())
        }
        Command::ImportJson { file } => {
            // A regular file (a FIFO would block forever), at most 4 GB (a province with its attachments).
            let text = crate::input::read_limited(&file, 4 << 30)?;
            let text = String::from_utf8(text).map_err(|e| Error::Import {
                path: file.display().to_string(),
                message: format!("不是 UTF-8 文本（第 {} 字节）", e.utf8_error().valid_up_to()),
            })?;
            let mut archive = if path.exists() {
                auth.open(path)?
            } else {
                let (archive, recovery) = Archive::create_encrypted(path, &auth.admin_password()?)?;
                auth::show_recovery_key(&recovery);
                archive
            };
            let summary = archive.import_json(&text).map_err(|e| match e {
                Error::Import { path: p, message } => {
                    Error::Import { path: format!("{}: {p}", file.display()), message }
                }
                other => other,
            })?;
            eprintln!(
                "已导入：{} 个单位，{} 名干部，{} 条任职经历，{} 个干事事项，{} 份佐证材料，{} 条修订记录",
                summary.units, summary.cadres, summary.posts, summary.initiatives, summary.evidence, summary.revisions
            );
            Ok(())
        }
    }
}
