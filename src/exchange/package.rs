//! The exchange package file (docs/exchange.md): what travels on the USB stick.
//!
//! ```text
//! "GANSHI-EXCHANGE\0"        16 bytes, the magic
//! version                    u16 LE (1)
//! header length, header      u32 LE, JSON {sender, recipient, seq}: enough to
//!                            find the sender's key and to refuse a package for
//!                            another site before opening anything
//! ephemeral key              32 bytes (X25519)
//! ciphertext length, bytes   u64 LE, ChaCha20-Poly1305 of the contents, with
//!                            everything before it as associated data
//! signature                  64 bytes, Ed25519 by the sender over everything before it
//! ```
//!
//! The contents: a u32 LE length and the manifest JSON (sender, recipient,
//! sequence, schema version, counts per record kind, the acknowledgement, the
//! audit span), a u32 LE count of changeset parts and each part as a u64 LE
//! length and its bytes (applied in order), then the sender's audit entries the
//! package carries (a JSON array; empty when it carries none).
//! [`parse`] checks only the layout; the archive checks sender, recipient,
//! signature and sequence (`exchange::open_package`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const MAGIC: &[u8; 16] = b"GANSHI-EXCHANGE\0";
pub const VERSION: u16 = 1;
/// A header is a few dozen bytes; anything larger is not a package.
const MAX_HEADER: usize = 4096;

/// The part anyone can read: who sent it, to whom, which one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Header {
    pub sender: String,
    pub recipient: String,
    pub seq: u64,
}

/// The manifest inside the encryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub sender: String,
    pub sender_name: String,
    pub recipient: String,
    pub seq: u64,
    /// The sender's archive schema version.
    pub schema_version: i64,
    pub created_at: String,
    /// The first package to this partner carries everything.
    pub complete: bool,
    /// Rows per record kind (table label → inserted, updated, deleted).
    pub counts: Vec<KindCount>,
    /// The last package from the recipient the sender has applied: the
    /// recipient drops its kept copies up to it (they cannot be lost any more).
    #[serde(default)]
    pub acknowledged: u64,
    /// The sender's audit entries the package carries (to the site above).
    #[serde(default)]
    pub audit: Option<AuditSpan>,
}

/// Which of the sender's audit entries a package carries: `first` to `last`,
/// the last with hash `head` (signed with the package).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditSpan {
    pub first: i64,
    pub last: i64,
    pub head: String,
    /// The sender's entries up to this one name records by their ids before the
    /// sender's renumbering (`site_identity.renumbered_through`).
    pub renumbered_through: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KindCount {
    /// The table.
    pub kind: String,
    /// What a user calls it (干部, 谋事评价 …).
    #[serde(default)]
    pub label: String,
    pub inserted: u64,
    pub updated: u64,
    pub deleted: u64,
}

/// A package laid out (not yet verified or opened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Laid<'a> {
    pub header: Header,
    pub ephemeral: [u8; 32],
    /// The bytes before the ciphertext: its associated data.
    pub aad: &'a [u8],
    pub ciphertext: &'a [u8],
    /// The bytes the signature covers.
    pub signed: &'a [u8],
    pub signature: [u8; 64],
}

fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize, what: &str) -> Result<&'a [u8], String> {
    let end = at.checked_add(n).filter(|e| *e <= bytes.len()).ok_or_else(|| format!("文件在{what}处不完整"))?;
    let out = &bytes[*at..end];
    *at = end;
    Ok(out)
}

/// Lay a package out, checking its structure only. Errors say what is wrong in words.
pub fn parse(bytes: &[u8]) -> Result<Laid<'_>, String> {
    let mut at = 0;
    if take(bytes, &mut at, 16, "文件头").ok() != Some(&MAGIC[..]) {
        return Err("不是干事档案数据交换包".into());
    }
    let version = u16::from_le_bytes(take(bytes, &mut at, 2, "版本号")?.try_into().map_err(|_| "版本号")?);
    if version != VERSION {
        return Err(format!("交换包格式第 {version} 版，本程序只认第 {VERSION} 版"));
    }
    let n = u32::from_le_bytes(take(bytes, &mut at, 4, "包头长度")?.try_into().map_err(|_| "包头长度")?) as usize;
    if n > MAX_HEADER {
        return Err("包头过长，不是交换包".into());
    }
    let header: Header =
        serde_json::from_slice(take(bytes, &mut at, n, "包头")?).map_err(|e| format!("包头无法读取（{e}）"))?;
    let ephemeral: [u8; 32] = take(bytes, &mut at, 32, "密钥")?.try_into().map_err(|_| "密钥")?;
    let aad_end = at;
    let len = u64::from_le_bytes(take(bytes, &mut at, 8, "内容长度")?.try_into().map_err(|_| "内容长度")?);
    let len = usize::try_from(len).map_err(|_| "内容长度超出范围".to_owned())?;
    let ciphertext = take(bytes, &mut at, len, "内容")?;
    let signed_end = at;
    let signature: [u8; 64] = take(bytes, &mut at, 64, "签名")?.try_into().map_err(|_| "签名")?;
    if at != bytes.len() {
        return Err(format!("签名之后还有 {} 字节：文件被改动或拼接", bytes.len() - at));
    }
    Ok(Laid { header, ephemeral, aad: &bytes[..aad_end], ciphertext, signed: &bytes[..signed_end], signature })
}

/// The bytes of a package from `sender` to the holder of `recipient_box`.
pub fn write(
    header: &Header,
    contents: &[u8],
    recipient_box: &[u8; 32],
    sender: &super::crypto::SiteSecrets,
) -> crate::Result<Vec<u8>> {
    let sealer = super::crypto::Sealer::to(recipient_box)?;
    let head = serde_json::to_vec(header)?;
    let mut out = Vec::with_capacity(contents.len() + head.len() + 256);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&sealer.ephemeral);
    let ciphertext = sealer.seal(contents, &out)?;
    out.extend_from_slice(&(ciphertext.len() as u64).to_le_bytes());
    out.extend_from_slice(&ciphertext);
    let signature = sender.signature(&out);
    out.extend_from_slice(&signature);
    Ok(out)
}

/// The contents: the manifest, the changeset parts, the audit entries.
pub fn contents(manifest: &Manifest, parts: &[Vec<u8>], audit: &[u8]) -> crate::Result<Vec<u8>> {
    let m = serde_json::to_vec(manifest)?;
    let size: usize = parts.iter().map(|p| p.len() + 8).sum();
    let mut out = Vec::with_capacity(8 + m.len() + size + audit.len());
    out.extend_from_slice(&(m.len() as u32).to_le_bytes());
    out.extend_from_slice(&m);
    out.extend_from_slice(&(parts.len() as u32).to_le_bytes());
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part);
    }
    out.extend_from_slice(audit);
    Ok(out)
}

/// Opened contents, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents<'a> {
    pub manifest: Manifest,
    /// The changesets, applied in order.
    pub parts: Vec<&'a [u8]>,
    /// The audit entries (a JSON array), empty when the package carries none.
    pub audit: &'a [u8],
}

/// Split opened contents into the manifest, the changeset parts and the audit entries.
pub fn split(contents: &[u8]) -> Result<Contents<'_>, String> {
    let mut at = 0;
    let n = u32::from_le_bytes(take(contents, &mut at, 4, "清单长度")?.try_into().map_err(|_| "清单长度")?) as usize;
    let manifest =
        serde_json::from_slice(take(contents, &mut at, n, "清单")?).map_err(|e| format!("清单无法读取（{e}）"))?;
    let count = u32::from_le_bytes(take(contents, &mut at, 4, "改动段数")?.try_into().map_err(|_| "改动段数")?);
    // Each part takes at least its 8-byte length: a count beyond that is not believed.
    if count as usize > (contents.len() - at) / 8 {
        return Err(format!("改动段数 {count} 超出内容长度"));
    }
    let mut parts = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = u64::from_le_bytes(take(contents, &mut at, 8, "改动长度")?.try_into().map_err(|_| "改动长度")?);
        let len = usize::try_from(len).map_err(|_| "改动长度超出范围".to_owned())?;
        parts.push(take(contents, &mut at, len, "改动")?);
    }
    Ok(Contents { manifest, parts, audit: &contents[at..] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::crypto::SiteSecrets;

    #[test]
    fn a_package_lays_out_and_every_cut_or_addition_is_refused() {
        let (county, city) = (SiteSecrets::generate().expect("county"), SiteSecrets::generate().expect("city"));
        let header = Header { sender: "130102".into(), recipient: "130100".into(), seq: 1 };
        let bytes = write(&header, b"contents", &city.box_public(), &county).expect("write");
        let laid = parse(&bytes).expect("parse");
        assert_eq!(laid.header, header);
        assert!(crate::exchange::crypto::verify(&county.sign_public(), laid.signed, &laid.signature));
        assert_eq!(city.open(&laid.ephemeral, laid.ciphertext, laid.aad).as_deref(), Some(&b"contents"[..]));
        for cut in 0..bytes.len() {
            assert!(parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(parse(&longer).expect_err("longer").contains("签名之后"));
        assert_eq!(parse(b"PK\x03\x04").expect_err("zip"), "不是干事档案数据交换包");
    }
}
