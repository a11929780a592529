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
    /// Write the next package for a partner: every change since the last one
    /// (all records the first time), sealed to it and signed.
    Export {
        /// The partner's 行政区划代码.
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a package (sender, recipient, signature, sequence) and apply it, all
    /// or nothing; --dry-run only checks it and says what it carries.
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a package sent earlier again, exactly as it was (one lost on the
    /// way): only one the partner has not acknowledged is kept.
    Resend {
        /// The partner's 行政区划代码.
        #[arg(long)]
        to: String,
        /// The package's number.
        #[arg(long)]
        seq: u64,
        #[arg(long)]
        out: PathBuf,
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
        "{}  {}  指纹 {}  所辖单位 {}  已发 {} 号（对方已确认 {} 号{}）  已收 {} 号{}",
        p.code,
        p.name,
        p.fingerprint,
        p.unit_id.map_or("—".to_owned(), |u| u.to_string()),
        p.sent_seq,
        p.acked_seq,
        if p.unacknowledged.is_empty() {
            String::new()
        } else {
            let seqs: Vec<String> = p.unacknowledged.iter().map(u64::to_string).collect();
            format!("；留存待确认：第 {} 号", seqs.join("、"))
        },
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
        ExchangeCmd::Export { to, out } => {
            let mut size = 0;
            let manifest = archive.export_package_with(&to, |bytes| {
                size = bytes.len();
                // Never over an existing file: a package not yet carried over would be lost.
                crate::formats::exports::write_new(&out, bytes).map(|_| ())
            })?;
            out!(
                "已写出给「{}」的第 {} 号交换包{}：{}（{} 字节）",
                manifest.recipient,
                manifest.seq,
                if manifest.complete { "（完整）" } else { "" },
                out.display(),
                size
            );
            for k in &manifest.counts {
                out!("  {}：新增 {}，修改 {}，删除 {}", k.label, k.inserted, k.updated, k.deleted);
            }
            Ok(())
        }
        ExchangeCmd::Import { file, dry_run, json } => {
            let bytes = crate::input::read_limited(&file, crate::exchange::PACKAGE_LIMIT)?;
            let report = archive.import_package(&bytes, &file.display().to_string(), dry_run)?;
            if json {
                return print_json(&report);
            }
            let what = if report.replay {
                "已导入过，本次未做任何改动"
            } else if report.applied {
                "已导入"
            } else {
                "核对无误（试导入，未写入）"
            };
            out!("「{}」（{}）的第 {} 号交换包：{what}", report.sender_name, report.sender, report.seq);
            for k in &report.counts {
                out!("  {}：新增 {}，修改 {}，删除 {}", k.label, k.inserted, k.updated, k.deleted);
            }
            for c in &report.conflicts {
                out!("  冲突：{}（{}）{}，{}", c.label, c.key, c.kind, c.resolution);
            }
            if let Some(a) = &report.audit {
                out!("  对方审计日志：第 {}–{} 条，与已保存的接续无误", a.first, a.last);
            }
            Ok(())
        }
        ExchangeCmd::Resend { to, seq, out } => {
            let manifest = archive.resend_package_with(&to, seq, |_, _, bytes| {
                crate::formats::exports::write_new(&out, bytes).map(|_| ())
            })?;
            out!(
                "已重新写出给「{}」的第 {} 号交换包（与原包相同）：{}",
                manifest.recipient,
                manifest.seq,
                out.display()
            );
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
