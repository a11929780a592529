//! Packages kept until the partner acknowledges them (docs/exchange.md, "When
//! a stick is lost"). Every package carries the last package its sender has
//! applied from the recipient; the recipient then drops its copies up to it.
//! Until then a package lost on the way can be written again exactly as it
//! was — same number, same contents, same signature.

use rusqlite::{OptionalExtension, params};

use super::Exported;
use super::package::Manifest;
use crate::archive::{Archive, Tx};
use crate::enums::Role;
use crate::error::{Error, Result};

/// Keep the package just written for `manifest.recipient` (in the transaction that records it as sent).
pub fn keep(tx: &Tx, manifest: &Manifest, bytes: &[u8]) -> Result<()> {
    tx.execute(
        "INSERT INTO exchange_sent (partner, seq, created_at, manifest, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![manifest.recipient, manifest.seq as i64, manifest.created_at, serde_json::to_string(manifest)?, bytes],
    )?;
    Ok(())
}

/// `partner` says it has applied our packages up to `seq`: the copies kept of
/// them are dropped. An acknowledgement never goes back, nor past what was sent.
pub fn acknowledged(tx: &Tx, partner: &str, seq: u64) -> Result<()> {
    let seq = seq as i64;
    tx.execute(
        "UPDATE site_partner SET acked_seq = min(max(acked_seq, ?2), sent_seq) WHERE code = ?1",
        params![partner, seq],
    )?;
    tx.execute(
        "DELETE FROM exchange_sent WHERE partner = ?1
            AND seq <= (SELECT acked_seq FROM site_partner WHERE code = ?1)",
        [partner],
    )?;
    Ok(())
}

/// A kept package: the partner's name, its manifest and its bytes.
struct Kept {
    name: String,
    manifest: Manifest,
    bytes: Vec<u8>,
}

impl Archive {
    fn kept_package(&self, to: &str, seq: u64) -> Result<Kept> {
        self.require_role(&[Role::SysAdmin, Role::Clerk], "重新导出交换包")?;
        self.require_all_units("重新导出交换包")?;
        let Some((partner, _, _)) = super::partner_keys(self.conn(), to)? else {
            return Err(Error::invalid("to", format!("没有登记代码为 {to} 的交换伙伴")));
        };
        let (name, sent, acked) = (partner.name, partner.sent_seq, partner.acked_seq);
        if let Some(at) = partner.revoked_at {
            return Err(Error::State(format!("交换伙伴「{name}」已于 {at} 撤销，不再向其发送")));
        }
        if seq < 1 || seq > sent {
            return Err(Error::invalid(
                "seq",
                format!("尚未向「{name}」导出过第 {seq} 号交换包（已导出到第 {sent} 号）"),
            ));
        }
        if seq <= acked {
            return Err(Error::State(format!(
                "「{name}」已确认导入第 {seq} 号交换包（确认到第 {acked} 号），无需重新导出"
            )));
        }
        let kept: Option<(String, Vec<u8>)> = self
            .conn()
            .query_row(
                "SELECT manifest, bytes FROM exchange_sent WHERE partner = ?1 AND seq = ?2",
                params![to, seq as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((manifest, bytes)) = kept else {
            return Err(Error::State(format!(
                "第 {seq} 号交换包没有留存（由较早的程序版本导出）：请从该包导出前的备份恢复后再导出"
            )));
        };
        Ok(Kept { name, manifest: serde_json::from_str(&manifest)?, bytes })
    }

    /// Package `seq` for partner `to` again, exactly as it was first written
    /// (same number, contents and signature), handed to `deliver`: for a package
    /// lost on the way. Only a package the partner has not acknowledged is kept.
    pub fn resend_package_with(
        &mut self,
        to: &str,
        seq: u64,
        deliver: impl FnOnce(&str, &Manifest, &[u8]) -> Result<()>,
    ) -> Result<Manifest> {
        let kept = self.kept_package(to, seq)?;
        deliver(&kept.name, &kept.manifest, &kept.bytes)?;
        self.log_event("重新导出交换包", &format!("site#{to}"), &serde_json::to_string(&kept.manifest)?)?;
        Ok(kept.manifest)
    }

    /// As `resend_package_with`, into folder `dir` under the package's own name
    /// (never over an existing file): for a package lost on the way.
    pub fn resend_package_to(&mut self, to: &str, seq: u64, dir: &std::path::Path) -> Result<Exported> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut written = (String::new(), 0);
        let manifest = self.resend_package_with(to, seq, |name, m, bytes| {
            let path = dir.join(format!("{}至{name}-第{seq}号.gsx", m.sender_name));
            crate::formats::exports::write_new(&path, bytes)?;
            written = (crate::settings::display(&path), bytes.len() as u64);
            Ok(())
        })?;
        Ok(Exported { path: written.0, bytes: written.1, manifest })
    }
}
