//! `ganshi exchange …`: this site's identity card and the partner sites
//! (docs/exchange.md).

use std::path::PathBuf;

use clap::Subcommand;

use super::{out, print_json};
use crate::archive::Archive;
use crate::error::{Error, Result};
use crate::exchange::{Partner, SiteCard};

#[derive(Subcommand)]
pub enum ExchangeCmd {
    /// This site's public identity card (created with its keys the first time,
    /// from --code and --name); printed, or written to --out.
    Identity {
        /// 行政区划代码 (the first time), e.g. 130102.
        #[arg(long)]
        code: Option<String>,
        /// The site's name (the first time), e.g. 丰河县委组织部.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Register a partner site from its identity card; --unit is the unit whose
    /// subtree it owns here (a county at the city).
    Trust {
        card: PathBuf,
        #[arg(long)]
        unit: Option<i64>,
    },
    /// The partner sites: fingerprint, owned unit, last package each way.
    Partners {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a partner (its packages are refused from now on).
    Revoke {
        code: String,
        #[arg(long)]
        reason: String,
    },
}

fn show(p: &Partner) {
    out!(
        "{}  {}  指纹 {}  所辖单位 {}  已发 {} 号  已收 {} 号{}",
        p.code,
        p.name,
        p.fingerprint,
        p.unit_id.map_or("—".to_owned(), |u| u.to_string()),
        p.sent_seq,
        p.received_seq,
        p.revoked_at.as_ref().map_or(String::new(), |at| format!("  已于 {at} 撤销（{}）", p.revoked_reason))
    );
}

pub fn run(archive: &mut Archive, cmd: ExchangeCmd) -> Result<()> {
    match cmd {
        ExchangeCmd::Identity { code, name, out } => {
            let card = archive.site_identity(code.as_deref(), name.as_deref())?;
            let text = serde_json::to_string_pretty(&card)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, text + "\n").map_err(|source| Error::Io { path: path.clone(), source })?;
                    out!("本站「{}」（{}）的身份卡已写到 {}", card.name, card.code, path.display());
                    out!("指纹 {}：对方登记前，请通过电话或公函与其核对", card.fingerprint);
                }
                None => out!("{text}"),
            }
            Ok(())
        }
        ExchangeCmd::Trust { card, unit } => {
            let text = std::fs::read_to_string(&card).map_err(|source| Error::Io { path: card.clone(), source })?;
            let parsed = SiteCard::parse(&text, &card.display().to_string())?;
            let p = archive.trust_partner(&parsed, unit)?;
            out!("已登记交换伙伴：");
            show(&p);
            Ok(())
        }
        ExchangeCmd::Partners { json } => {
            let partners = archive.partners()?;
            if json {
                return print_json(&partners);
            }
            if partners.is_empty() {
                out!("尚未登记交换伙伴");
            }
            partners.iter().for_each(show);
            Ok(())
        }
        ExchangeCmd::Revoke { code, reason } => {
            let p = archive.revoke_partner(&code, &reason)?;
            out!("已撤销：");
            show(&p);
            Ok(())
        }
    }
}
