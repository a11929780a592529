//! Signing in from the command line: the user from `--user` (default `admin`),
//! the password from `GANSHI_PASSWORD` or a prompt — never from an argument.

use std::io::IsTerminal as _;
use std::path::Path;

use zeroize::Zeroizing;

use crate::archive::Archive;
use crate::archive::encrypted::Credentials;
use crate::archive::keys::RecoveryKey;
use crate::error::{Error, Result};

pub const PASSWORD_ENV: &str = "GANSHI_PASSWORD";
pub const NEW_PASSWORD_ENV: &str = "GANSHI_NEW_PASSWORD";
pub const RECOVERY_ENV: &str = "GANSHI_RECOVERY_KEY";

/// Who the command runs as.
pub struct Auth {
    pub user: String,
    pub recovery: bool,
}

/// A secret from an environment variable, else typed at the terminal.
fn secret(env: &str, prompt: &str) -> Result<Zeroizing<String>> {
    if let Ok(v) = std::env::var(env) {
        return Ok(Zeroizing::new(v));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(env, format!("须设置环境变量 {env}，或在终端中运行以输入")));
    }
    rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|e| Error::io("<终端>", e))
}

impl Auth {
    pub fn credentials(&self) -> Result<Credentials> {
        if self.recovery {
            return Ok(Credentials::Recovery(secret(RECOVERY_ENV, "恢复密钥：")?));
        }
        let password = secret(PASSWORD_ENV, &format!("用户 {} 的密码：", self.user))?;
        Ok(Credentials::Password { user: self.user.clone(), password })
    }

    /// Sign in to an existing archive.
    pub fn open(&self, path: &Path) -> Result<Archive> {
        let archive = Archive::open_encrypted(path, &self.credentials()?)?;
        if let Some(u) = archive.upgraded() {
            let copy = u.backup.as_deref().map_or(String::new(), |b| format!("；升级前的档案已备份并核验：{b}"));
            eprintln!("档案已从第 {} 版升级到第 {} 版{copy}", u.from_version, u.to_version);
        }
        Ok(archive)
    }

    /// The administrator password for a new archive (`init`, `demo`, `encrypt`).
    pub fn admin_password(&self) -> Result<Zeroizing<String>> {
        if self.user != crate::access::users::ADMIN || self.recovery {
            return Err(Error::invalid("--user", "新档案的管理员用户名固定为 admin"));
        }
        secret(PASSWORD_ENV, "为管理员 admin 设置密码：")
    }
}

/// A new password for a user: `GANSHI_NEW_PASSWORD`, else typed twice.
pub fn new_password(user: &str) -> Result<Zeroizing<String>> {
    if let Ok(v) = std::env::var(NEW_PASSWORD_ENV) {
        return Ok(Zeroizing::new(v));
    }
    let first = secret(NEW_PASSWORD_ENV, &format!("用户 {user} 的新密码："))?;
    let again = secret(NEW_PASSWORD_ENV, "再输入一次：")?;
    if *first != *again {
        return Err(Error::invalid("password", "两次输入的密码不一致"));
    }
    Ok(first)
}

/// Print the recovery key once, on stdout (so it can be redirected to a file or printer).
pub fn show_recovery_key(key: &RecoveryKey) {
    super::out!("恢复密钥（只显示这一次，请打印或抄写后妥善保管；忘记管理员密码时凭它重置）：");
    super::out!("{}", key.0.as_str());
}
