//! Demo users, one per role, so the roles and scopes can be tried out.

use crate::access::users::UserInput;
use crate::archive::Archive;
use crate::enums::{Role, UnitKind};
use crate::error::{Error, Result};

/// Add `clerk` (档案管理员 of the first county's subtree), `leader` (领导) and
/// `hr` (考核办), all with `password`. Returns their names with scope.
pub fn add_demo_users(archive: &mut Archive, password: &str) -> Result<Vec<String>> {
    let county = archive
        .units()?
        .into_iter()
        .find(|u| u.fields.kind == UnitKind::County)
        .ok_or_else(|| Error::State("演示档案中没有县(市、区)单位".to_owned()))?;
    let users = [
        ("clerk", format!("{}档案管理员", county.fields.name), Role::Clerk, Some(county.id)),
        ("leader", "市委领导".to_owned(), Role::Leader, None),
        ("hr", "考核办".to_owned(), Role::Appraisal, None),
    ];
    let mut names = Vec::new();
    for (name, display_name, role, unit) in users {
        let input = UserInput {
            name: name.to_owned(),
            display_name: display_name.clone(),
            roles: vec![role],
            all_units: unit.is_none(),
            units: unit.into_iter().collect(),
        };
        archive.add_user(input, password)?;
        names.push(format!("{name}（{display_name}，{role}）"));
    }
    Ok(names)
}
