//! Keyslots (LUKS-style). The archive is encrypted by SQLCipher under one
//! random 256-bit *data key*. The data key is never stored in the clear: each
//! user has a slot holding it wrapped (XChaCha20-Poly1305) under a key derived
//! from that user's password with Argon2id; the administrator's recovery key
//! has a slot of its own. The slots live in a sidecar file `<archive>.keys`,
//! readable before the database is opened (format in docs/security.md).
//!
//! Wrong passwords are slowed down (a growing delay after three failures) and
//! remembered in the sidecar until the next successful sign-in moves them into
//! the audit trail.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub const FORMAT: &str = "ganshi-keyslots";
const MAX_KEY_FILE: usize = 4 << 20;
const MAX_MEMORY_KIB: u32 = 1 << 20;
const MAX_ITERATIONS: u32 = 20;
const MAX_PARALLELISM: u32 = 8;
pub const RECOVERY_SLOT: &str = "恢复密钥";

/// The SQLCipher data key. Zeroed when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn random() -> Result<DataKey> {
        let mut k = Zeroizing::new([0u8; 32]);
        fill(k.as_mut())?;
        Ok(DataKey(k))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The `PRAGMA key` value: a raw key, so SQLCipher skips its own PBKDF2.
    pub fn pragma(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push_str(&format!("{b:02X}"));
        }
        s.push('\'');
        s
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::State(format!("无法取得随机数：{e}")))
}

/// Argon2id cost, recorded in every slot so it can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kdf {
    pub algorithm: KdfAlgorithm,
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KdfAlgorithm {
    Argon2id,
}

impl Kdf {
    /// Passwords: 64 MiB, 3 passes (RFC 9106's second recommended setting, one lane).
    pub const PASSWORD: Kdf =
        Kdf { algorithm: KdfAlgorithm::Argon2id, memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };
    /// The recovery key already carries 160 random bits; a light setting suffices.
    pub const RECOVERY: Kdf =
        Kdf { algorithm: KdfAlgorithm::Argon2id, memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

    fn derive(&self, secret: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(|e| Error::State(format!("密钥槽参数无效：{e}")))?;
        let mut out = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret, salt, out.as_mut())
            .map_err(|e| Error::State(format!("密钥派生失败：{e}")))?;
        Ok(out)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// The user name, or 恢复密钥 for the recovery slot.
    pub name: String,
    pub kdf: Kdf,
    pub salt: String,
    pub nonce: String,
    /// The data key, wrapped; the slot name is bound in as associated data.
    pub wrapped: String,
    pub created_at: String,
}

impl Slot {
    fn new(name: &str, secret: &[u8], kdf: Kdf, key: &DataKey, now: &str) -> Result<Slot> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        fill(&mut salt)?;
        fill(&mut nonce)?;
        let kek = kdf.derive(secret, &salt)?;
        let wrapped = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: name.as_bytes() })
            .map_err(|_| Error::State("无法封装数据密钥".to_owned()))?;
        Ok(Slot {
            name: name.to_owned(),
            kdf,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            wrapped: B64.encode(wrapped),
            created_at: now.to_owned(),
        })
    }

    /// `None` when the secret is wrong (or the slot was tampered with).
    fn open(&self, secret: &[u8]) -> Result<Option<DataKey>> {
        let bad = |what: &str| Error::State(format!("密钥槽 {} 的 {what} 已损坏", self.name));
        let salt = B64.decode(&self.salt).map_err(|_| bad("salt"))?;
        let nonce = B64.decode(&self.nonce).map_err(|_| bad("nonce"))?;
        let wrapped = B64.decode(&self.wrapped).map_err(|_| bad("wrapped"))?;
        if nonce.len() != 24 {
            return Err(bad("nonce"));
        }
        let kek = self.kdf.derive(secret, &salt)?;
        let Ok(plain) = XChaCha20Poly1305::new(kek.as_ref().into())
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: self.name.as_bytes() })
        else {
            return Ok(None);
        };
        let plain = Zeroizing::new(plain);
        let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| bad("wrapped"))?;
        Ok(Some(DataKey(Zeroizing::new(bytes))))
    }
}

/// A failed sign-in, kept until the next successful one writes it to the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub user: String,
    pub at: String,
}

/// The sidecar file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    /// How the database uses the data key.
    pub cipher: String,
    pub slots: Vec<Slot>,
    #[serde(default)]
    pub failures: Vec<Failure>,
    /// The audit chain's head as of the last change (`archive::anchor`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::anchor::lenient")]
    pub anchor: Option<super::anchor::Anchor>,
}

/// The recovery key as shown to the administrator: 40 hex digits in groups of four.
pub struct RecoveryKey(pub Zeroizing<String>);

impl RecoveryKey {
    fn random() -> Result<RecoveryKey> {
        let mut b = Zeroizing::new([0u8; 20]);
        fill(b.as_mut())?;
        let hex: String = b.iter().map(|x| format!("{x:02X}")).collect();
        let groups: Vec<&str> = (0..10).filter_map(|i| hex.get(i * 4..i * 4 + 4)).collect();
        Ok(RecoveryKey(Zeroizing::new(groups.join("-"))))
    }

    /// What is fed to the KDF: the hex digits only, upper case (dashes, spaces and case do not matter).
    fn normalized(text: &str) -> Zeroizing<String> {
        Zeroizing::new(text.chars().filter(char::is_ascii_hexdigit).map(|c| c.to_ascii_uppercase()).collect())
    }
}

/// `<archive>.keys`
pub fn sidecar(archive: &Path) -> PathBuf {
    let mut name = archive.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".keys");
    archive.with_file_name(name)
}

/// An exclusive, cross-process lock on a key file, held for a whole
/// read-modify-write (sign-in failures, keyslot changes): without it two
/// processes read the same file, and the later save drops the other's change.
/// The lock is on a companion file `<key file>.lock` that is never renamed;
/// closing it (dropping the guard, or the process dying) releases it.
pub struct KeyLock {
    _file: std::fs::File,
}

/// The companion file a key file is locked through.
pub fn lock_path(key_file: &Path) -> PathBuf {
    let mut name = key_file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    key_file.with_file_name(name)
}

/// The temporary file process `pid` writes a new `key_file` to before renaming it.
fn temporary(key_file: &Path, pid: u32) -> PathBuf {
    let mut name = key_file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".tmp.{pid}"));
    key_file.with_file_name(name)
}

/// Temporary key files left beside `key_file` by a process killed while it
/// wrote one, with the id of that process.
pub fn temporaries(key_file: &Path) -> Vec<(PathBuf, u32)> {
    let (Some(dir), Some(name)) = (key_file.parent(), key_file.file_name()) else { return Vec::new() };
    let prefix = format!("{}.tmp.", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let pid = e.file_name().to_str()?.strip_prefix(&prefix)?.parse().ok()?;
            Some((key_file.with_file_name(e.file_name()), pid))
        })
        .collect()
}

/// Remove the temporary key files of processes that no longer run (a kill
/// while a key file was written). Where that cannot be told, none is removed.
pub fn remove_stale_temporaries(key_file: &Path) {
    for (tmp, pid) in temporaries(key_file) {
        if cfg!(target_os = "linux") && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn lock_file(key_file: &Path) -> Result<(PathBuf, std::fs::File)> {
    let path = lock_path(key_file);
    let file = super::owner_only()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    Ok((path, file))
}

pub fn lock(key_file: &Path) -> Result<KeyLock> {
    let (path, file) = lock_file(key_file)?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    Ok(KeyLock { _file: file })
}

/// The lock if it is free now, `None` if anyone holds it — this process too
/// (a key-file change holds it across its transaction, whose commit then
/// anchors the chain: waiting there would wait for ourselves).
pub fn try_lock(key_file: &Path) -> Result<Option<KeyLock>> {
    let (path, file) = lock_file(key_file)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(KeyLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Seconds to wait before checking a password after `failures` consecutive failures.
pub fn backoff_seconds(failures: usize) -> u64 {
    match failures {
        0..=2 => 0,
        n => 1u64 << (n - 3).min(5),
    }
}

impl KeyFile {
    /// A new key file: a fresh data key, the administrator's slot and the recovery slot.
    pub fn create(admin: &str, password: &str, now: &str) -> Result<(KeyFile, DataKey, RecoveryKey)> {
        let key = DataKey::random()?;
        let recovery = RecoveryKey::random()?;
        let mut file = KeyFile {
            format: FORMAT.to_owned(),
            version: 1,
            cipher: "sqlcipher4-raw-key".to_owned(),
            slots: Vec::new(),
            failures: Vec::new(),
            anchor: None,
        };
        file.set_password(admin, password, &key, now)?;
        let secret = RecoveryKey::normalized(&recovery.0);
        file.slots.push(Slot::new(RECOVERY_SLOT, secret.as_bytes(), Kdf::RECOVERY, &key, now)?);
        Ok((file, key, recovery))
    }

    pub fn load(path: &Path) -> Result<Option<KeyFile>> {
        let bytes = match std::fs::read(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        KeyFile::parse(&bytes)
            .map(Some)
            .map_err(|(field, message)| Error::Import { path: format!("{}: {field}", path.display()), message })
    }

    /// Parse and check a key file. It is outside input (anyone with the folder
    /// can edit it), so every slot's parameters are bounded: a hostile file
    /// must not make a sign-in take gigabytes or hours.
    pub fn parse(bytes: &[u8]) -> std::result::Result<KeyFile, (String, String)> {
        if bytes.len() > MAX_KEY_FILE {
            return Err(("$".into(), format!("密钥文件过大（{} 字节，上限 {MAX_KEY_FILE}）", bytes.len())));
        }
        let file: KeyFile =
            serde_json::from_slice(bytes).map_err(|e| ("$".into(), format!("密钥文件无法解析：{e}")))?;
        if file.format != FORMAT || file.version != 1 {
            return Err((
                "$.format".into(),
                format!("不是本程序的密钥文件（format {}，version {}）", file.format, file.version),
            ));
        }
        for (i, slot) in file.slots.iter().enumerate() {
            let k = slot.kdf;
            if !(8..=MAX_MEMORY_KIB).contains(&k.memory_kib)
                || !(1..=MAX_ITERATIONS).contains(&k.iterations)
                || !(1..=MAX_PARALLELISM).contains(&k.parallelism)
            {
                return Err((
                    format!("$.slots[{i}].kdf"),
                    format!(
                        "密钥槽 {} 的参数超出范围（内存 ≤ {MAX_MEMORY_KIB} KiB，轮数 ≤ {MAX_ITERATIONS}，并行度 ≤ {MAX_PARALLELISM}）",
                        slot.name
                    ),
                ));
            }
            for (field, text, len) in
                [("salt", &slot.salt, 16), ("nonce", &slot.nonce, 24), ("wrapped", &slot.wrapped, 48)]
            {
                if B64.decode(text).map(|b| b.len()) != Ok(len) {
                    return Err((
                        format!("$.slots[{i}].{field}"),
                        format!("密钥槽 {} 的 {field} 已损坏（应为 {len} 字节的 Base64）", slot.name),
                    ));
                }
            }
        }
        if file.failures.len() > 10_000 {
            return Err(("$.failures".into(), "登录失败记录过多".into()));
        }
        Ok(file)
    }

    /// Written to a temporary file, flushed and renamed: a crash leaves the old or the new file, never half.
    pub fn save(&self, path: &Path) -> Result<()> {
        // One temporary file per process: two writers never rename each other's.
        let tmp = temporary(path, std::process::id());
        super::write_private(path, &tmp, serde_json::to_string_pretty(self)?.as_bytes())
    }

    pub fn has_slot(&self, name: &str) -> bool {
        self.slots.iter().any(|s| s.name == name)
    }

    /// Add the user's slot, or rewrap it under a new password.
    pub fn set_password(&mut self, user: &str, password: &str, key: &DataKey, now: &str) -> Result<()> {
        crate::access::check_password_strength(password)?;
        let slot = Slot::new(user, password.as_bytes(), Kdf::PASSWORD, key, now)?;
        match self.slots.iter_mut().find(|s| s.name == user) {
            Some(existing) => *existing = slot,
            None => self.slots.push(slot),
        }
        Ok(())
    }

    pub fn remove_slot(&mut self, user: &str) {
        self.slots.retain(|s| s.name != user);
    }

    pub fn failures_of(&self, user: &str) -> usize {
        self.failures.iter().filter(|f| f.user == user).count()
    }

    /// The data key from the user's password, or `None` if the user or password is wrong.
    pub fn unlock_password(&self, user: &str, password: &str) -> Result<Option<DataKey>> {
        match self.slots.iter().find(|s| s.name == user && s.name != RECOVERY_SLOT) {
            Some(slot) => slot.open(password.as_bytes()),
            None => {
                // Spend the same time as a real slot, so timing does not tell which users exist.
                let _ = Kdf::PASSWORD.derive(password.as_bytes(), &[0u8; 16])?;
                Ok(None)
            }
        }
    }

    pub fn unlock_recovery(&self, recovery_key: &str) -> Result<Option<DataKey>> {
        let secret = RecoveryKey::normalized(recovery_key);
        match self.slots.iter().find(|s| s.name == RECOVERY_SLOT) {
            Some(slot) => slot.open(secret.as_bytes()),
            None => Ok(None),
        }
    }
}
