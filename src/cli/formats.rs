//! `ganshi import …` and `ganshi export …`: LRMX, Excel and Word.

use std::path::PathBuf;

use clap::Subcommand;

use super::{out, print_json};
use crate::archive::Archive;
use crate::error::{Error, Result};
use crate::formats::exports::write_new;
use crate::formats::import::{Action, ImportPreview, InputFile, errors_as_error};

#[derive(Subcommand)]
pub enum ExportCmd {
    /// One 年度考核登记表 (.docx) per cadre of the unit and the roster (.xlsx).
    Appraisal {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        unit: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// A cadre's 干事档案 as .docx.
    Dossier {
        #[arg(long)]
        cadre: i64,
        /// Year of the promotion-evidence summary (default: the last completed year).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        out: PathBuf,
    },
    /// A cadre's 干部任免审批表 as .lrmx.
    Lrmx {
        #[arg(long)]
        cadre: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// The promotion comparison of 2–6 cadres as .xlsx.
    Comparison {
        #[arg(required = true, num_args = 2..=6)]
        ids: Vec<i64>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn print_preview(p: &ImportPreview) {
    for item in &p.items {
        let action = match item.action {
            Action::Create => "新增",
            Action::Update => "更新",
            Action::Unchanged => "无变化",
        };
        out!("{action}  {}  ← {}", item.name, item.source);
        for c in &item.changes {
            out!("        {}：{} → {}", c.field, c.before, c.after);
        }
    }
    for e in &p.errors {
        out!("错误  {e}");
    }
    for w in &p.warnings {
        out!("未导入  {w}");
    }
}

pub fn import(
    archive: &mut Archive,
    paths: &[PathBuf],
    options: crate::formats::import::ImportOptions,
    dry_run: bool,
    json: bool,
) -> Result<()> {
    let files = crate::formats::import::collect(paths)?;
    if files.is_empty() {
        return Err(Error::invalid("FILE", "没有可导入的文件（.lrmx、.xlsx、.xls、.et、.zip）"));
    }
    if let [one] = files.as_slice()
        && crate::formats::detect(&one.bytes) == crate::formats::Kind::Json
    {
        return import_archive_document(archive, one, dry_run);
    }
    let preview = archive.import_files_with(&files, options, dry_run, &super::progress::console_job());
    eprintln!();
    let preview = preview?;
    if json || dry_run {
        print_json(&preview)?;
    } else {
        print_preview(&preview);
    }
    if let Some(e) = errors_as_error(&preview) {
        return Err(e);
    }
    let verb = if preview.committed { "已导入" } else { "预览（未写入）" };
    eprintln!(
        "{verb}：{} 个文件，新增 {}，更新 {}，无变化 {}",
        preview.files, preview.created, preview.updated, preview.unchanged
    );
    Ok(())
}

/// An interchange document (detected by content): into an empty archive, or
/// with `--dry-run` checked against an empty in-memory archive.
fn import_archive_document(archive: &mut Archive, file: &InputFile, dry_run: bool) -> Result<()> {
    let text = std::str::from_utf8(&file.bytes).map_err(|e| Error::Import {
        path: file.name.clone(),
        message: format!("不是 UTF-8 文本（第 {} 字节）", e.valid_up_to()),
    })?;
    let named = |e: Error| match e {
        Error::Import { path, message } => Error::Import { path: format!("{}: {path}", file.name), message },
        other => other,
    };
    let summary = if dry_run {
        archive.require_role(&[crate::enums::Role::SysAdmin], "导入整个档案")?;
        Archive::open_in_memory()?.import_json(text).map_err(named)?
    } else {
        archive.import_json(text).map_err(named)?
    };
    print_json(&summary)?;
    eprintln!("{}档案交换文件 {}", if dry_run { "已校验（未写入）" } else { "已导入" }, file.name);
    Ok(())
}

fn done(written: Result<std::path::PathBuf>) -> Result<()> {
    eprintln!("已导出到 {}", written?.display());
    Ok(())
}

pub fn export(archive: &mut Archive, cmd: ExportCmd, this_year: i32) -> Result<()> {
    match cmd {
        ExportCmd::Appraisal { year, unit, out } => {
            let report = archive.export_appraisal(year, unit, &out, &super::progress::console_job());
            eprintln!();
            let report = report?;
            for f in &report.files {
                out!("{}", out.join(f).display());
            }
            Ok(())
        }
        ExportCmd::Dossier { cadre, year, out } => {
            // A 任用 meeting reads the last completed year; the current one is still open.
            let bytes = archive.dossier_docx(cadre, year.unwrap_or(this_year - 1))?;
            done(write_new(&out, &bytes))
        }
        ExportCmd::Lrmx { cadre, out } => {
            let text = archive.export_lrmx(cadre)?;
            done(write_new(&out, text.as_bytes()))
        }
        ExportCmd::Comparison { ids, year, out } => {
            let bytes = archive.comparison_xlsx(&ids, year.unwrap_or(this_year))?;
            done(write_new(&out, &bytes))
        }
    }
}
