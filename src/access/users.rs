//! Users: name, roles and management scope in the archive; the password only
//! as the user's keyslot in the sidecar key file. Every change is audited.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Session;
use crate::archive::keys::KeyFile;
use crate::archive::{Archive, Tx, audit};
use crate::enums::Role;
use crate::error::{Error, Result};
use crate::validate;

pub const ADMIN: &str = "admin";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    /// Sign-in name (letters, digits, `_ - .`, or Chinese).
    pub name: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Scope: every unit …
    pub all_units: bool,
    /// … or the subtrees of these units.
    #[serde(default)]
    pub units: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: i64,
    #[serde(flatten)]
    pub fields: UserInput,
    pub active: bool,
    pub created_at: String,
    pub created_by: String,
    /// The user has a keyslot (can sign in).
    pub can_sign_in: bool,
}

impl UserInput {
    pub fn validate(&self) -> Result<()> {
        validate::required("name", "用户名", &self.name, 32)?;
        if !self.name.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c)) {
            return Err(Error::invalid("name", "用户名只能包含字母、数字、汉字和 _ - ."));
        }
        validate::required("displayName", "姓名", &self.display_name, validate::MAX_NAME)?;
        if self.roles.is_empty() {
            return Err(Error::invalid("roles", "至少选择一个角色"));
        }
        if !self.all_units && self.units.is_empty() {
            return Err(Error::invalid("units", "须指定管理范围：全部单位，或至少一个单位"));
        }
        Ok(())
    }
}

fn roles_text(roles: &[Role]) -> String {
    let mut r = roles.to_vec();
    r.sort();
    r.dedup();
    r.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",")
}

fn parse_roles(text: &str) -> Vec<Role> {
    text.split(',').filter_map(Role::parse).collect()
}

fn unit_ids(conn: &Connection, user_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT unit_id FROM app_user_unit WHERE user_id = ?1 ORDER BY unit_id")?;
    let rows = stmt.query_map([user_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn get(conn: &Connection, name: &str, keys: Option<&KeyFile>) -> Result<Option<User>> {
    let row = conn
        .query_row(
            "SELECT id, name, display_name, roles, all_units, active, created_at, created_by FROM app_user WHERE name = ?1",
            [name],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((id, name, display_name, roles, all_units, active, created_at, created_by)) = row else {
        return Ok(None);
    };
    let can_sign_in = active && keys.is_some_and(|k| k.has_slot(&name));
    Ok(Some(User {
        id,
        fields: UserInput { units: unit_ids(conn, id)?, name, display_name, roles: parse_roles(&roles), all_units },
        active,
        created_at,
        created_by,
        can_sign_in,
    }))
}

/// The session of a user signing in; refuses unknown and deactivated users.
pub(crate) fn session_for(conn: &Connection, name: &str) -> Result<(Session, i64)> {
    let user = get(conn, name, None)?.filter(|u| u.active).ok_or_else(|| Error::Auth(format!("用户 {name}")))?;
    let f = user.fields;
    Ok((
        Session {
            user: f.name,
            display_name: f.display_name,
            roles: f.roles,
            all_units: f.all_units,
            units: f.units,
            recovery: false,
        },
        user.id,
    ))
}

/// Insert a user row (and scope rows), audited. No role checks: callers check.
pub(crate) fn insert(tx: &Tx, input: &UserInput) -> Result<i64> {
    input.validate()?;
    if get(tx, &input.name, None)?.is_some() {
        return Err(Error::invalid("name", format!("用户名 {} 已存在", input.name)));
    }
    tx.execute(
        "INSERT INTO app_user (name, display_name, roles, all_units, active, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
        params![input.name, input.display_name, roles_text(&input.roles), input.all_units, tx.now, tx.actor],
    )?;
    let id = tx.last_insert_rowid();
    write_units(tx, id, input)?;
    audit_user(tx, "新增用户", &input.name, "", input)?;
    Ok(id)
}

fn write_units(tx: &Tx, id: i64, input: &UserInput) -> Result<()> {
    tx.execute("DELETE FROM app_user_unit WHERE user_id = ?1", [id])?;
    if input.all_units {
        return Ok(());
    }
    for u in &input.units {
        crate::records::units::get(tx, *u).map_err(|_| Error::invalid("units", format!("单位 {u} 不存在")))?;
        tx.execute("INSERT OR IGNORE INTO app_user_unit (user_id, unit_id) VALUES (?1, ?2)", [id, *u])?;
    }
    Ok(())
}

fn audit_user(tx: &Tx, action: &str, name: &str, before: &str, after: &impl Serialize) -> Result<()> {
    let after = serde_json::to_string(after)?;
    audit::append(
        tx,
        &audit::Event {
            at: &tx.now,
            actor: tx.actor,
            action,
            object: &format!("user#{name}"),
            cadre_id: None,
            concerns: &[],
            before,
            after: &after,
        },
    )?;
    Ok(())
}

impl Archive {
    fn require_user_admin(&self) -> Result<()> {
        self.require_role(&[Role::SysAdmin], "用户管理")?;
        self.require_all_units("用户管理")
    }

    /// The key file locked for a change: the guard is held until the slot change
    /// and its audit entry are one outcome (saved inside the same transaction).
    fn key_file_for_change(&self) -> Result<(std::path::PathBuf, KeyFile, crate::archive::keys::KeyLock)> {
        let ring = self.keyring().ok_or_else(|| Error::State("未加密的档案没有用户密码".to_owned()))?;
        let guard = crate::archive::keys::lock(&ring.file)?;
        let (path, keys) = self.key_file()?;
        Ok((path, keys, guard))
    }

    /// Sidecar key file of this (encrypted) archive.
    fn key_file(&self) -> Result<(std::path::PathBuf, KeyFile)> {
        let ring = self.keyring().ok_or_else(|| Error::State("未加密的档案没有用户密码".to_owned()))?;
        let file = KeyFile::load(&ring.file)?
            .ok_or_else(|| Error::State(format!("找不到密钥文件 {}", ring.file.display())))?;
        Ok((ring.file.clone(), file))
    }

    pub fn users(&self) -> Result<Vec<User>> {
        self.require_user_admin()?;
        let keys = self.key_file().ok().map(|(_, k)| k);
        let mut stmt = self.conn().prepare("SELECT name FROM app_user ORDER BY id")?;
        let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        names.iter().filter_map(|n| get(self.conn(), n, keys.as_ref()).transpose()).collect()
    }

    /// Add a user with a password (a new keyslot).
    pub fn add_user(&mut self, input: UserInput, password: &str) -> Result<User> {
        self.require_user_admin()?;
        crate::access::check_password_strength(password)?;
        let (path, mut keys, _guard) = self.key_file_for_change()?;
        let key = self.keyring().map(|k| k.key.clone()).ok_or_else(|| Error::State("档案未加密".to_owned()))?;
        let name = input.name.clone();
        self.with_tx(|tx| {
            insert(tx, &input)?;
            keys.set_password(&name, password, &key, &tx.now)?;
            keys.save(&path)
        })?;
        self.user(&name)
    }

    pub fn user(&self, name: &str) -> Result<User> {
        let keys = self.key_file().ok().map(|(_, k)| k);
        get(self.conn(), name, keys.as_ref())?.ok_or_else(|| Error::invalid("name", format!("用户 {name} 不存在")))
    }

    /// Change a user's roles, name shown or scope.
    pub fn update_user(&mut self, name: &str, input: UserInput) -> Result<User> {
        self.require_user_admin()?;
        input.validate()?;
        let old = self.user(name)?;
        if input.name != name {
            return Err(Error::invalid("name", "用户名不能修改；可新增用户并停用旧用户"));
        }
        if name == self.session().user && !input.roles.contains(&Role::SysAdmin) {
            return Err(Error::invalid("roles", "不能取消自己的系统管理员角色"));
        }
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE app_user SET display_name = ?2, roles = ?3, all_units = ?4 WHERE id = ?1",
                params![old.id, input.display_name, roles_text(&input.roles), input.all_units],
            )?;
            write_units(tx, old.id, &input)?;
            audit_user(tx, "修改用户", name, &serde_json::to_string(&old.fields)?, &input)
        })?;
        self.user(name)
    }

    /// Set another user's password (administrator), or reset one's own with the recovery key.
    pub fn set_user_password(&mut self, name: &str, password: &str) -> Result<()> {
        self.require_user_admin()?;
        let user = self.user(name)?;
        if !user.active {
            return Err(Error::invalid("name", format!("用户 {name} 已停用")));
        }
        self.rewrap(name, password, "重置密码")
    }

    /// Change one's own password; the current one must be given again.
    pub fn change_own_password(&mut self, current: &str, new: &str) -> Result<()> {
        let name = self.session().user.clone();
        let (_, keys) = self.key_file()?;
        if keys.unlock_password(&name, current)?.is_none() {
            return Err(Error::invalid("currentPassword", "当前密码不正确"));
        }
        self.rewrap(&name, new, "修改密码")
    }

    fn rewrap(&mut self, name: &str, password: &str, action: &str) -> Result<()> {
        let (path, mut keys, _guard) = self.key_file_for_change()?;
        let key = self.keyring().map(|k| k.key.clone()).ok_or_else(|| Error::State("档案未加密".to_owned()))?;
        self.with_tx(|tx| {
            keys.set_password(name, password, &key, &tx.now)?;
            audit_user(tx, action, name, "", &serde_json::json!({ "user": name }))?;
            keys.save(&path)
        })
    }

    /// Deactivate a user and remove their keyslot. The row stays for the audit trail.
    pub fn deactivate_user(&mut self, name: &str) -> Result<()> {
        self.require_user_admin()?;
        let user = self.user(name)?;
        if name == self.session().user {
            return Err(Error::invalid("name", "不能停用当前登录的用户"));
        }
        let admins: i64 = self.conn().query_row(
            "SELECT count(*) FROM app_user WHERE active = 1 AND name <> ?1 AND instr(roles, '系统管理员') > 0",
            [name],
            |r| r.get(0),
        )?;
        if admins == 0 {
            return Err(Error::invalid("name", "至少保留一名在用的系统管理员"));
        }
        let (path, mut keys, _guard) = self.key_file_for_change()?;
        self.with_tx(|tx| {
            tx.execute("UPDATE app_user SET active = 0 WHERE id = ?1", [user.id])?;
            audit_user(
                tx,
                "停用用户",
                name,
                &serde_json::to_string(&user.fields)?,
                &serde_json::json!({"active": false}),
            )?;
            keys.remove_slot(name);
            keys.save(&path)
        })
    }
}
