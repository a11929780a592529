//! The audit chain's anchor outside the database: the number of entries and
//! the newest entry's hash, written into the key file after every change and
//! authenticated (HMAC-SHA-256) under a key derived from the data key. Every
//! backup carries the key file, and so the anchor as it stood then.
//!
//! Cutting the newest entries off the chain, or rewriting it whole, leaves the
//! database consistent in itself; the anchor no longer matches. A key file
//! whose anchor lags behind the chain (the program stopped between the
//! database's commit and the key file's write) is fine: the anchored entry must
//! still be in the chain, with the anchored hash.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::keys::{self, DataKey, KeyFile};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Anchor {
    /// Entries in the chain when it was written.
    pub entries: i64,
    /// The hash of entry `entries`.
    pub head: String,
    /// HMAC-SHA-256 of the two, hex.
    pub mac: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA-256 (RFC 2104) under a key derived from the data key for this use only.
fn mac(key: &DataKey, entries: i64, head: &str) -> String {
    let derived: [u8; 32] =
        Sha256::new().chain_update(b"ganshi-audit-anchor\x1f").chain_update(key.bytes()).finalize().into();
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(&derived);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let message = format!("{entries}\u{1f}{head}");
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message.as_bytes()).finalize();
    hex(&Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize())
}

impl Anchor {
    pub fn new(key: &DataKey, entries: i64, head: String) -> Anchor {
        Anchor { mac: mac(key, entries, &head), entries, head }
    }

    /// What a key file holds when its anchor cannot be read (edited into another
    /// shape): it never authenticates, and sign-in is not blocked by it.
    fn damaged() -> Anchor {
        Anchor { entries: -1, head: String::new(), mac: String::new() }
    }

    fn authentic(&self, key: &DataKey) -> bool {
        // Not secret-dependent timing that matters here: the reader holds the key.
        self.mac == mac(key, self.entries, &self.head)
    }
}

/// Write the chain's head into the key file (under its lock). Called after a
/// commit; a failure here is returned for the caller to report, the change
/// itself stands. `first`: the archive has no anchor yet (it was just upgraded
/// from before anchors). When the key file is locked (by a sign-in or a keyslot change,
/// maybe of this very process) the anchor is left for the next commit.
pub fn write(file: &std::path::Path, key: &DataKey, conn: &Connection, first: bool) -> Result<()> {
    // A key file still being staged (creation) gets its anchor when it is written.
    if !file.is_file() {
        return Ok(());
    }
    // The first anchor waits its turn (nothing of ours holds the lock while an
    // archive is opened); later ones give way.
    let guard = if first { Some(keys::lock(file)?) } else { keys::try_lock(file)? };
    let Some(_guard) = guard else { return Ok(()) };
    let (entries, head) = super::audit::head(conn)?;
    let Some(mut keyfile) = KeyFile::load(file)? else { return Ok(()) };
    // A key file that lost its anchor is not given a new one (verify reports it),
    // except the first time, for an archive from before anchors.
    if keyfile.anchor.is_none() && !first {
        return Ok(());
    }
    if let Some(old) = &keyfile.anchor {
        // Another process may have anchored a longer chain meanwhile: never go back.
        if old.entries > entries {
            return Ok(());
        }
        // Never move an anchor the chain no longer matches (a cut or rewritten
        // chain): it is the evidence `verify` reports.
        if let Some(problem) = agrees(conn, Some(old), key)? {
            return Err(crate::error::Error::State(format!("{problem}：锚点保持不变，请运行审计校验")));
        }
    }
    keyfile.anchor = Some(Anchor::new(key, entries, head));
    keyfile.save(file)
}

/// Check the chain in `conn` against the anchor in its key file: `Ok(None)`
/// when it holds, else what is wrong. Since schema version 13 every encrypted
/// archive's key file carries an anchor (written at creation, encryption, the
/// upgrade's first opening and after every change): one without it was edited.
pub fn check(conn: &Connection, keyfile: Option<&KeyFile>, key: &DataKey) -> Result<Option<String>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let Some(anchor) = keyfile.and_then(|k| k.anchor.as_ref()) else {
        return Ok((version >= 13).then(|| "密钥文件中没有审计锚点（锚点被删除，或密钥文件被换成了旧的）".to_owned()));
    };
    let (entries, _) = super::audit::head(conn)?;
    if anchor.authentic(key) && entries < anchor.entries {
        return Ok(Some(format!(
            "审计日志被截断：密钥文件记录的链长为 {} 条，档案中只有 {entries} 条",
            anchor.entries
        )));
    }
    agrees(conn, Some(anchor), key)
}

/// Whether the chain in `conn` agrees with `anchor` as far as both go: the
/// anchor authentic, and the chain's entry at the anchored position carrying the
/// anchored hash. A chain shorter than the anchor is not judged here (a backup's
/// snapshot may predate the archive's latest anchor).
pub fn agrees(conn: &Connection, anchor: Option<&Anchor>, key: &DataKey) -> Result<Option<String>> {
    let Some(anchor) = anchor else { return Ok(None) };
    if !anchor.authentic(key) {
        return Ok(Some("密钥文件中的审计锚点校验失败（锚点被改动，或密钥文件不属于该档案）".to_owned()));
    }
    let (entries, _) = super::audit::head(conn)?;
    if anchor.entries > 0
        && anchor.entries <= entries
        && super::audit::hash_of(conn, anchor.entries)?.as_deref() != Some(anchor.head.as_str())
    {
        return Ok(Some(format!("审计日志被改写：第 {} 条与密钥文件记录的哈希不符", anchor.entries)));
    }
    Ok(None)
}

/// Read a key file's anchor leniently: an anchor of the wrong shape becomes
/// [`Anchor::damaged`] (reported by `verify`) instead of refusing the key file.
pub fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Anchor>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value.map(|v| serde_json::from_value(v).unwrap_or_else(|_| Anchor::damaged())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_binds_count_head_and_key() {
        let key = DataKey::random().expect("key");
        let a = Anchor::new(&key, 7, "ab".into());
        assert!(a.authentic(&key));
        assert!(!Anchor { entries: 6, ..a.clone() }.authentic(&key));
        assert!(!Anchor { head: "ac".into(), ..a.clone() }.authentic(&key));
        assert!(!a.authentic(&DataKey::random().expect("other key")));
    }
}
