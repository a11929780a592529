//! The audit chain a package carries to the site above (docs/exchange.md,
//! "Audit chains"): the county's entries since its last package travel with
//! it, the head signed in the manifest; the city checks that they continue the
//! chain it keeps for the county and keeps them (`site_audit`), so that the
//! county's trail stays verifiable at the city after the merge.

use rusqlite::{Connection, params};

use super::package::AuditSpan;
use crate::archive::audit::{self, AuditEntry, Walk};
use crate::error::Result;

/// The entries a package carries: JSON bytes and their span (none: nothing new).
pub struct Outgoing {
    pub bytes: Vec<u8>,
    pub span: Option<AuditSpan>,
}

/// This archive's entries after `sent` (the last one an earlier package carried).
pub fn outgoing(conn: &Connection, sent: i64) -> Result<Outgoing> {
    let entries = audit::since(conn, sent)?;
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Ok(Outgoing { bytes: Vec::new(), span: None });
    };
    let (renumbered_through, _) = crate::archive::ids::legacy_mark(conn)?;
    let span = AuditSpan { first: first.id, last: last.id, head: last.hash.clone(), renumbered_through };
    Ok(Outgoing { bytes: serde_json::to_vec(&entries)?, span: Some(span) })
}

/// Check the entries a package from `sender` carries against the chain kept
/// for it here and keep them. Every refusal says why, in words; the caller's
/// transaction then writes nothing.
pub fn incoming(conn: &Connection, sender: &str, span: Option<&AuditSpan>, bytes: &[u8]) -> Result<(), String> {
    let Some(span) = span else {
        return if bytes.is_empty() {
            Ok(())
        } else {
            Err("交换包带有审计日志条目，清单却没有列出：拒收".into())
        };
    };
    let entries: Vec<AuditEntry> =
        serde_json::from_slice(bytes).map_err(|e| format!("交换包中的审计日志无法读取（{e}）"))?;
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Err("清单列出了审计日志条目，交换包里却没有".into());
    };
    if (first.id, last.id, last.hash.as_str()) != (span.first, span.last, span.head.as_str()) {
        return Err("交换包中的审计日志与清单签署的范围不符".into());
    }
    let (received, head): (i64, String) = conn
        .query_row("SELECT audit_received, audit_head FROM site_partner WHERE code = ?1", [sender], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| e.to_string())?;
    if first.id != received + 1 {
        return Err(format!(
            "发送方的审计日志应从第 {} 条接续，交换包却从第 {} 条开始：发送方的档案可能从备份恢复过，请与对方核实",
            received + 1,
            first.id
        ));
    }
    let mut walk = Walk::after(received, &head);
    for e in &entries {
        walk.step(e).map_err(|p| format!("发送方的审计日志不连续：{p}"))?;
    }
    audit::keep_site(conn, sender, &entries).map_err(|e| e.to_string())?;
    conn.execute(
        "UPDATE site_partner SET audit_received = ?2, audit_head = ?3, audit_renumbered = ?4 WHERE code = ?1",
        params![sender, span.last, span.head, span.renumbered_through],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}
