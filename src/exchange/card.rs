//! A site's public identity card (站点身份卡): its 行政区划代码, name and public
//! keys, signed with its own signing key, with a short fingerprint the two
//! organization departments read to each other (by phone, or on the covering
//! letter) before trusting the card. Cards carry nothing secret.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::crypto;
use crate::error::{Error, Result};

pub const CARD_FORMAT: &str = "ganshi-site-card/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SiteCard {
    pub format: String,
    /// 行政区划代码 of a county or above (6 digits).
    pub code: String,
    pub name: String,
    /// Ed25519 public key (base64): checks the site's packages.
    pub signing_key: String,
    /// X25519 public key (base64): packages for the site are sealed to it.
    pub box_key: String,
    /// The first 80 bits of the card's digest, in groups: read aloud to compare.
    pub fingerprint: String,
    /// The site's signature of the card (base64).
    pub signature: String,
}

/// A checked card's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardKeys {
    pub sign: [u8; 32],
    pub open: [u8; 32],
}

/// A 行政区划代码 of a county or above: 6 digits, not starting with 0 (sites
/// exchange at county level and above; the code also numbers the site's
/// records, `archive::ids`).
pub fn check_code(code: &str) -> Result<()> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0') {
        Ok(())
    } else {
        Err(Error::invalid("code", format!("行政区划代码应为 6 位数字（县级及以上，如 130102），实际为「{code}」")))
    }
}

pub fn check_name(name: &str) -> Result<()> {
    let n = name.trim().chars().count();
    if n == 0 || n > 40 {
        return Err(Error::invalid("name", "站点名称应为 1 到 40 个字，如「丰河县委组织部」"));
    }
    Ok(())
}

fn body(code: &str, name: &str, sign: &[u8; 32], open: &[u8; 32]) -> Vec<u8> {
    let mut b = Vec::new();
    for part in [CARD_FORMAT.as_bytes(), code.as_bytes(), name.as_bytes(), sign, open] {
        b.extend_from_slice(&(part.len() as u32).to_le_bytes());
        b.extend_from_slice(part);
    }
    b
}

/// `3FA2-91C0-77D1-0B5E-A4C2`: the first 10 bytes of SHA-256 of the card's body.
pub fn fingerprint(code: &str, name: &str, sign: &[u8; 32], open: &[u8; 32]) -> String {
    let digest = Sha256::digest(body(code, name, sign, open));
    digest[..10].chunks(2).map(|c| format!("{:02X}{:02X}", c[0], c[1])).collect::<Vec<_>>().join("-")
}

impl SiteCard {
    pub fn issue(code: &str, name: &str, secrets: &crypto::SiteSecrets) -> SiteCard {
        let (sign, open) = (secrets.sign_public(), secrets.box_public());
        SiteCard {
            format: CARD_FORMAT.to_owned(),
            code: code.to_owned(),
            name: name.to_owned(),
            signing_key: B64.encode(sign),
            box_key: B64.encode(open),
            fingerprint: fingerprint(code, name, &sign, &open),
            signature: B64.encode(secrets.signature(&body(code, name, &sign, &open))),
        }
    }

    /// Read a card from a file's text; every problem names the file and the field.
    pub fn parse(text: &str, file: &str) -> Result<SiteCard> {
        let bad = |message: String| Error::Import { path: file.to_owned(), message };
        let card: SiteCard = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| bad(format!("不是站点身份卡（{e}）")))?;
        card.keys().map_err(|e| bad(e.to_string()))?;
        Ok(card)
    }

    /// Check the card through: format, code, name, keys, fingerprint and signature.
    pub fn keys(&self) -> Result<CardKeys> {
        if self.format != CARD_FORMAT {
            return Err(Error::invalid(
                "format",
                format!("身份卡格式「{}」不是本程序的「{CARD_FORMAT}」", self.format),
            ));
        }
        check_code(&self.code)?;
        check_name(&self.name)?;
        let key = |field: &str, text: &str| -> Result<[u8; 32]> {
            B64.decode(text)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .ok_or_else(|| Error::invalid(field, "公钥应为 32 字节的 base64 文本"))
        };
        let (sign, open) = (key("signingKey", &self.signing_key)?, key("boxKey", &self.box_key)?);
        if fingerprint(&self.code, &self.name, &sign, &open) != self.fingerprint {
            return Err(Error::invalid("fingerprint", "指纹与身份卡内容不符：身份卡已被改动"));
        }
        let signature: [u8; 64] = B64
            .decode(&self.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| Error::invalid("signature", "签名应为 64 字节的 base64 文本"))?;
        if !crypto::verify(&sign, &body(&self.code, &self.name, &sign, &open), &signature) {
            return Err(Error::invalid("signature", "身份卡签名无效：身份卡已被改动"));
        }
        Ok(CardKeys { sign, open })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_checks_out_and_any_change_is_refused() {
        let s = crypto::SiteSecrets::generate().expect("keys");
        let card = SiteCard::issue("130102", "丰河县委组织部", &s);
        let text = serde_json::to_string(&card).expect("json");
        assert_eq!(SiteCard::parse(&text, "card.json").expect("parse"), card);
        let mut renamed = card.clone();
        renamed.name = "西城区委组织部".into();
        let e = SiteCard::parse(&serde_json::to_string(&renamed).expect("json"), "card.json").expect_err("renamed");
        assert!(e.to_string().starts_with("card.json："), "{e}");
        assert!(e.to_string().contains("指纹"), "{e}");
        let mut code = card.clone();
        code.code = "13010".into();
        assert!(code.keys().is_err());
        assert!(SiteCard::parse("{}", "x.json").is_err());
        assert_eq!(card.fingerprint.len(), 24);
    }
}
