//! `ganshi user …`: users, roles, management scope and passwords (系统管理员).

use clap::Subcommand;

use super::{auth, out, print_json};
use crate::access::users::UserInput;
use crate::archive::Archive;
use crate::enums::Role;
use crate::error::{Error, Result};

#[derive(Subcommand)]
pub enum UserCmd {
    /// All users with roles and scope.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a user; the password comes from GANSHI_NEW_PASSWORD or a prompt.
    Add {
        name: String,
        #[command(flatten)]
        access: AccessArgs,
    },
    /// Replace a user's roles and scope.
    Update {
        name: String,
        #[command(flatten)]
        access: AccessArgs,
    },
    /// Set a user's password (GANSHI_NEW_PASSWORD or a prompt). Without NAME: one's own,
    /// which needs the current one too (GANSHI_PASSWORD).
    Passwd { name: Option<String> },
    /// Deactivate a user and remove their keyslot (the name stays in the audit trail).
    Remove { name: String },
}

/// Roles and scope of a user.
#[derive(clap::Args)]
pub struct AccessArgs {
    /// Name shown in the app (default: the user name, or unchanged).
    #[arg(long)]
    display: Option<String>,
    /// 系统管理员|档案管理员|领导|考核办 (or admin|clerk|leader|hr); repeat for several.
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// A unit whose subtree the user manages; repeat for several.
    #[arg(long = "unit")]
    units: Vec<i64>,
    /// Scope: every unit.
    #[arg(long, conflicts_with = "units")]
    all_units: bool,
}

impl AccessArgs {
    fn input(self, name: String, display_default: String) -> Result<UserInput> {
        Ok(UserInput {
            display_name: self.display.unwrap_or(display_default),
            name,
            roles: roles(&self.roles)?,
            all_units: self.all_units,
            units: self.units,
        })
    }
}

fn roles(texts: &[String]) -> Result<Vec<Role>> {
    texts
        .iter()
        .map(|t| {
            Role::from_cli(t).ok_or_else(|| {
                Error::invalid("--role", format!("未知角色「{t}」，可选：系统管理员、档案管理员、领导、考核办"))
            })
        })
        .collect()
}

fn print_user(u: &crate::access::users::User) {
    let roles: Vec<&str> = u.fields.roles.iter().map(|r| r.as_str()).collect();
    let scope = if u.fields.all_units {
        "全部单位".to_owned()
    } else {
        u.fields.units.iter().map(|x| format!("单位{x}")).collect::<Vec<_>>().join("、")
    };
    let state = if !u.active {
        "已停用"
    } else if u.can_sign_in {
        "在用"
    } else {
        "无密码"
    };
    out!("{:<12} {:<10} {:<24} {:<20} {}", u.fields.name, u.fields.display_name, roles.join("、"), scope, state);
}

pub fn run(archive: &mut Archive, auth: &auth::Auth, cmd: UserCmd) -> Result<()> {
    match cmd {
        UserCmd::List { json } => {
            let users = archive.users()?;
            if json {
                return print_json(&users);
            }
            users.iter().for_each(print_user);
            Ok(())
        }
        UserCmd::Add { name, access } => {
            let input = access.input(name.clone(), name)?;
            input.validate()?;
            archive.require_role(&[Role::SysAdmin], "用户管理")?;
            let password = auth::new_password(&input.name)?;
            let user = archive.add_user(input, &password)?;
            eprintln!("已新增用户 {}", user.fields.name);
            print_user(&user);
            Ok(())
        }
        UserCmd::Update { name, access } => {
            let current = archive.user(&name)?;
            let input = access.input(name.clone(), current.fields.display_name)?;
            let user = archive.update_user(&name, input)?;
            print_user(&user);
            Ok(())
        }
        UserCmd::Passwd { name: Some(name) } => {
            archive.require_role(&[Role::SysAdmin], "重置他人密码")?;
            let password = auth::new_password(&name)?;
            archive.set_user_password(&name, &password)?;
            eprintln!("已设置用户 {name} 的新密码");
            Ok(())
        }
        UserCmd::Passwd { name: None } => {
            let user = archive.session().user.clone();
            let current = std::env::var(auth::PASSWORD_ENV)
                .map_err(|_| Error::invalid(auth::PASSWORD_ENV, "修改自己的密码须提供当前密码"))?;
            let _ = &auth.user;
            let password = auth::new_password(&user)?;
            archive.change_own_password(&current, &password)?;
            eprintln!("已修改用户 {user} 的密码");
            Ok(())
        }
        UserCmd::Remove { name } => {
            archive.deactivate_user(&name)?;
            eprintln!("已停用用户 {name}，其密钥槽已删除");
            Ok(())
        }
    }
}
