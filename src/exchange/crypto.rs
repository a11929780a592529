//! The cryptography of exchange packages (issue 19), kept to well-reviewed
//! crates: Ed25519 signatures (`ed25519-dalek`) and a sealed box to the
//! recipient — an ephemeral X25519 key agreement (`x25519-dalek`), HKDF-SHA256
//! (`hkdf`), ChaCha20-Poly1305 (`chacha20poly1305`, already used for the key
//! slots). docs/design.md argues the choice and what a 国密 variant takes.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Domain separation of the package key derivation.
const KDF_INFO: &[u8] = b"ganshi-exchange-package-v1";

/// 32 random bytes from the operating system.
pub fn random32() -> Result<Zeroizing<[u8; 32]>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut()).map_err(|e| Error::State(format!("无法取得随机数：{e}")))?;
    Ok(bytes)
}

/// A site's two secrets: one signs what it sends, one opens what it receives.
pub struct SiteSecrets {
    pub sign: SigningKey,
    pub open: StaticSecret,
}

impl SiteSecrets {
    pub fn generate() -> Result<SiteSecrets> {
        Ok(SiteSecrets { sign: SigningKey::from_bytes(&*random32()?), open: StaticSecret::from(*random32()?) })
    }

    pub fn from_bytes(sign: &[u8], open: &[u8]) -> Result<SiteSecrets> {
        let sign: [u8; 32] = sign.try_into().map_err(|_| Error::State("本站签名密钥已损坏".into()))?;
        let open: [u8; 32] = open.try_into().map_err(|_| Error::State("本站解密密钥已损坏".into()))?;
        Ok(SiteSecrets { sign: SigningKey::from_bytes(&sign), open: StaticSecret::from(open) })
    }

    pub fn sign_public(&self) -> [u8; 32] {
        self.sign.verifying_key().to_bytes()
    }

    pub fn box_public(&self) -> [u8; 32] {
        PublicKey::from(&self.open).to_bytes()
    }

    pub fn signature(&self, message: &[u8]) -> [u8; 64] {
        self.sign.sign(message).to_bytes()
    }

    /// Open what `seal` sealed to this site; `None` when it was not sealed to
    /// this key or was changed.
    pub fn open(&self, ephemeral: &[u8; 32], ciphertext: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        let shared = self.open.diffie_hellman(&PublicKey::from(*ephemeral));
        if !shared.was_contributory() {
            return None;
        }
        let key = derive(shared.as_bytes(), ephemeral, &self.box_public());
        ChaCha20Poly1305::new(Key::from_slice(key.as_ref()))
            .decrypt(Nonce::from_slice(&[0; 12]), Payload { msg: ciphertext, aad })
            .ok()
    }
}

/// Whether `signature` is the Ed25519 signature of `message` by `public`.
pub fn verify(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    VerifyingKey::from_bytes(public).is_ok_and(|k| k.verify_strict(message, &Signature::from_bytes(signature)).is_ok())
}

fn derive(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let mut key = Zeroizing::new([0u8; 32]);
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = Hkdf::<Sha256>::new(Some(&salt), shared).expand(KDF_INFO, key.as_mut());
    key
}

/// A sealed box to one recipient: a fresh ephemeral key (so each package has its
/// own key, and a fixed nonce is safe), known before the contents are encrypted
/// so that it can be part of the associated data.
pub struct Sealer {
    pub ephemeral: [u8; 32],
    key: Zeroizing<[u8; 32]>,
}

impl Sealer {
    pub fn to(recipient: &[u8; 32]) -> Result<Sealer> {
        let secret = StaticSecret::from(*random32()?);
        let ephemeral = PublicKey::from(&secret).to_bytes();
        let shared = secret.diffie_hellman(&PublicKey::from(*recipient));
        if !shared.was_contributory() {
            return Err(Error::State("交换伙伴的公钥无效，无法加密".into()));
        }
        Ok(Sealer { ephemeral, key: derive(shared.as_bytes(), &ephemeral, recipient) })
    }

    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        ChaCha20Poly1305::new(Key::from_slice(self.key.as_ref()))
            .encrypt(Nonce::from_slice(&[0; 12]), Payload { msg: plaintext, aad })
            .map_err(|_| Error::State("加密失败".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_to_one_site_opens_there_only_and_not_when_changed() {
        let (a, b) = (SiteSecrets::generate().expect("a"), SiteSecrets::generate().expect("b"));
        let sealer = Sealer::to(&a.box_public()).expect("sealer");
        let (eph, mut ct) = (sealer.ephemeral, sealer.seal(b"rows", b"header").expect("seal"));
        assert_eq!(a.open(&eph, &ct, b"header").as_deref(), Some(&b"rows"[..]));
        assert!(b.open(&eph, &ct, b"header").is_none(), "another site cannot open it");
        assert!(a.open(&eph, &ct, b"other header").is_none(), "the header is bound");
        ct[0] ^= 1;
        assert!(a.open(&eph, &ct, b"header").is_none(), "a changed byte is refused");
        let sig = a.signature(b"m");
        assert!(verify(&a.sign_public(), b"m", &sig));
        assert!(!verify(&b.sign_public(), b"m", &sig));
        assert!(!verify(&a.sign_public(), b"n", &sig));
    }
}
