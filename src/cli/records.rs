//! Record subcommands. Inputs are JSON (`--data '{…}'` or `--data @file.json`)
//! in the same shape as the interchange format, so errors name the field.

use std::path::PathBuf;

use clap::Subcommand;
use serde::de::DeserializeOwned;

use super::{out, print_json};
use crate::archive::Archive;
use crate::enums::OwnerKind;
use crate::error::{Error, Result};
use crate::records::initiatives::InitiativeFilter;

#[derive(Subcommand)]
pub enum UnitCmd {
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a unit: `--data '{"parentId":1,"code":"…","name":"…","kind":"市直部门"}'`.
    Add {
        #[arg(long)]
        data: String,
    },
}

#[derive(Subcommand)]
pub enum CadreCmd {
    List {
        /// Only cadres in this unit's subtree.
        #[arg(long)]
        unit: Option<i64>,
        /// Only names containing this text.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The whole dossier: cadre, posts, initiatives with all stage records.
    Show {
        id: i64,
        /// Judge overdue milestones as of this date (default today).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long)]
        data: String,
        /// 任现职时间 (YYYY-MM-DD); default today.
        #[arg(long)]
        since: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum InitiativeCmd {
    List {
        #[arg(long)]
        unit: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    Show {
        id: i64,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long)]
        data: String,
    },
    /// Save the four-question plan.
    Plan {
        id: i64,
        #[arg(long)]
        data: String,
    },
    Milestone {
        id: i64,
        #[arg(long)]
        data: String,
    },
    /// Record a plan rating (创新性/挑战性/攻坚性).
    Rate {
        id: i64,
        #[arg(long)]
        data: String,
    },
    /// Add a tracking record (干事 stage).
    Track {
        id: i64,
        #[arg(long)]
        data: String,
    },
    /// Record the outcome (needed for 成事).
    Outcome {
        id: i64,
        #[arg(long)]
        data: String,
    },
    Recognize {
        id: i64,
        #[arg(long)]
        data: String,
    },
    /// Advance to the next stage; refused with the list of what is missing.
    Advance {
        id: i64,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Stop (中止) with a reason.
    Stop {
        id: i64,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum EvidenceCmd {
    /// Attach a file: `--owner initiative:12 FILE`.
    Add {
        #[arg(long)]
        owner: String,
        file: PathBuf,
    },
    /// Write a stored file out.
    Get {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

pub(super) fn parse<T: DeserializeOwned>(data: &str) -> Result<T> {
    let text = match data.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?,
        None => data.to_owned(),
    };
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de)
        .map_err(|e| Error::Import { path: format!("--data $.{}", e.path()), message: e.inner().to_string() })
}

fn or_today(archive: &Archive, date: Option<String>) -> String {
    date.unwrap_or_else(|| archive.today())
}

pub fn unit(archive: &mut Archive, cmd: UnitCmd) -> Result<()> {
    match cmd {
        UnitCmd::List { json } => {
            let units = archive.units()?;
            if json {
                return print_json(&units);
            }
            for u in units {
                out!("{:>5}  {:<12} {:<10} {}", u.id, u.fields.code, u.fields.kind, u.fields.name);
            }
            Ok(())
        }
        UnitCmd::Add { data } => print_json(&archive.create_unit(parse(&data)?)?),
    }
}

pub fn cadre(archive: &mut Archive, cmd: CadreCmd) -> Result<()> {
    match cmd {
        CadreCmd::List { unit, name, json } => {
            let cadres = archive.cadres(unit, name.as_deref())?;
            if json {
                return print_json(&cadres);
            }
            for c in cadres {
                let f = &c.fields;
                out!("{:>6}  {:<6} {}  {}  {}", c.id, f.name, f.gender, f.birth, f.post);
            }
            Ok(())
        }
        CadreCmd::Show { id, as_of, json } => {
            let as_of = or_today(archive, as_of);
            let dossier = archive.dossier(id, &as_of)?;
            if json {
                return print_json(&dossier);
            }
            let c = &dossier.cadre.fields;
            out!("{}（{}，{} 出生，{}）", c.name, c.gender, c.birth, c.ethnicity);
            out!("单位：{}", dossier.unit_path.join(" / "));
            out!("现任职务：{}（{}）", c.post, c.rank);
            out!("任职经历：");
            for p in &dossier.posts {
                let end = p.post.fields.end_date.as_deref().unwrap_or("至今");
                out!("  {} — {}  {} {}", p.post.fields.start_date, end, p.unit_name, p.post.fields.title);
            }
            out!("干事事项：");
            for i in &dossier.initiatives {
                let f = &i.record.initiative;
                let stopped = if f.stopped_on.is_some() { "（已中止）" } else { "" };
                out!("  [{}] {} — {}{}  {}", f.id, f.fields.category, f.stage, stopped, f.fields.title);
            }
            Ok(())
        }
        CadreCmd::Add { data, since } => print_json(&archive.create_cadre(parse(&data)?, since.as_deref())?),
    }
}

pub fn initiative(archive: &mut Archive, cmd: InitiativeCmd) -> Result<()> {
    use InitiativeCmd as C;
    match cmd {
        C::List { unit, json } => {
            let rows = archive.initiatives(&InitiativeFilter { unit_id: unit, ..Default::default() })?;
            if json {
                return print_json(&rows);
            }
            for r in rows {
                out!("{:>6}  {}  {}  {}  {}", r.id, r.stage, r.category, r.lead_name, r.title);
            }
            Ok(())
        }
        C::Show { id, as_of, json: _ } => {
            let as_of = or_today(archive, as_of);
            print_json(&archive.initiative_view(id, &as_of)?)
        }
        C::Add { data } => print_json(&archive.create_initiative(parse(&data)?)?),
        C::Plan { id, data } => print_json(&archive.save_plan(id, parse(&data)?, "")?),
        C::Milestone { id, data } => print_json(&archive.add_milestone(id, parse(&data)?)?),
        C::Rate { id, data } => print_json(&archive.rate_plan(id, parse(&data)?, "")?),
        C::Track { id, data } => print_json(&archive.add_tracking(id, parse(&data)?)?),
        C::Outcome { id, data } => print_json(&archive.record_outcome(id, parse(&data)?, "")?),
        C::Recognize { id, data } => print_json(&archive.add_recognition(id, parse(&data)?)?),
        C::Advance { id, date, note } => {
            let date = or_today(archive, date);
            print_json(&archive.advance(id, &date, &note)?)
        }
        C::Stop { id, date, reason } => {
            let date = or_today(archive, date);
            print_json(&archive.stop(id, &date, &reason)?)
        }
    }
}

pub fn evidence(archive: &mut Archive, cmd: EvidenceCmd) -> Result<()> {
    match cmd {
        EvidenceCmd::Add { owner, file } => {
            let (kind, id) = owner
                .split_once(':')
                .and_then(|(k, i)| Some((OwnerKind::parse(k)?, i.parse::<i64>().ok()?)))
                .ok_or_else(|| Error::invalid("--owner", format!("「{owner}」应写作 类型:编号，如 initiative:12")))?;
            let limit = crate::records::evidence::MAX_EVIDENCE_BYTES as u64;
            let bytes = crate::input::read_limited(&file, limit)?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            print_json(&archive.add_evidence(kind, id, &name, &bytes)?)
        }
        EvidenceCmd::Get { id, out } => {
            let (meta, bytes) = archive.evidence_content(id)?;
            crate::formats::exports::write_new(&out, &bytes)?;
            eprintln!("已写出「{}」到 {}", meta.name, out.display());
            Ok(())
        }
    }
}
