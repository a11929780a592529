//! Who may do what: the signed-in user's roles and management scope
//! (干部管理权限), enforced here in the core on every query and command.
//!
//! - Roles decide the kind of action: 档案管理员 edits records, 领导 reads and
//!   writes 批示, 考核办 reads and records final grades / exports appraisal
//!   sheets, 系统管理员 manages users, schemes, backups and whole-archive
//!   interchange.
//! - Scope decides which cadres: the subtrees of the units a user is bound to
//!   (or all units). The connection carries a temporary view `scope_unit`
//!   listing the units in scope, which list queries join against.
//! - Every write goes through `revision::record`, which calls [`guard_write`]:
//!   a write by the wrong role or about a cadre outside the scope rolls the
//!   whole transaction back.

pub mod users;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{Archive, Tx};
use crate::enums::Role;
use crate::error::{Error, Result};

/// The signed-in user as the core sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Scope: every unit …
    pub all_units: bool,
    /// … or the subtrees of these units.
    pub units: Vec<i64>,
    /// Signed in with the recovery key (administrator rights, recorded as such).
    pub recovery: bool,
}

impl Session {
    /// Unencrypted or in-memory archives (tests, the demo generator, migrations):
    /// no sign-in, every right, the OS user as actor.
    pub fn local(actor: String) -> Session {
        Session {
            display_name: actor.clone(),
            user: actor,
            roles: Role::ALL.to_vec(),
            all_units: true,
            units: Vec::new(),
            recovery: false,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The actor written into revisions and the audit trail.
    pub fn actor(&self) -> String {
        if self.recovery { format!("{}（恢复密钥）", self.user) } else { self.user.clone() }
    }
}

/// The roles that may read dossiers and assessments.
pub const READERS: &[Role] = &[Role::Clerk, Role::Leader, Role::Appraisal];

fn role_names(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join("或")
}

/// (Re)create the connection's `temp.scope_unit` view for `session`.
pub(crate) fn install_scope(conn: &Connection, session: &Session, user_id: Option<i64>) -> Result<()> {
    conn.execute_batch("DROP VIEW IF EXISTS temp.scope_unit")?;
    let body = match (session.all_units, user_id) {
        (true, _) | (_, None) => "SELECT id FROM main.unit".to_owned(),
        (false, Some(uid)) => format!(
            "WITH RECURSIVE s(id) AS (SELECT unit_id FROM main.app_user_unit WHERE user_id = {uid} \
             UNION SELECT u.id FROM main.unit u JOIN s ON u.parent_id = s.id) SELECT id FROM s"
        ),
    };
    conn.execute_batch(&format!("CREATE TEMP VIEW scope_unit(id) AS {body}"))?;
    Ok(())
}

fn unit_in_scope(conn: &Connection, unit_id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM temp.scope_unit WHERE id = ?1)", [unit_id], |r| r.get(0))?)
}

fn cadre_in_scope(conn: &Connection, cadre_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cadre WHERE id = ?1 AND unit_id IN (SELECT id FROM temp.scope_unit))",
        [cadre_id],
        |r| r.get(0),
    )?)
}

/// Every cadre taking part in an initiative: a change to it or any of its records
/// changes each of their assessments, so a write needs all of them in scope.
fn initiative_cadres(conn: &Connection, initiative_id: i64) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT cadre_id FROM participant WHERE initiative_id = ?1 ORDER BY cadre_id")?;
    let ids = stmt.query_map([initiative_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// The initiatives with at least one participant in the connection's scope:
/// the ones a scoped reader sees (docs/security.md, 「共同参与的事项」).
pub(crate) fn initiatives_in_scope(conn: &Connection) -> Result<std::collections::HashSet<i64>> {
    let mut stmt = conn.prepare_cached(SHARED_IN_SCOPE)?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// SQL for the ids of the initiatives with a participant in scope, driven by the
/// cadres in scope (`participant_cadre` index).
pub(crate) const SHARED_IN_SCOPE: &str = "SELECT DISTINCT q.initiative_id FROM cadre qc \
     CROSS JOIN participant q ON q.cadre_id = qc.id WHERE qc.unit_id IN (SELECT id FROM temp.scope_unit)";

/// 「name」 of a cadre (what a reader outside the cadre's scope may see of them).
fn cadre_label(conn: &Connection, id: i64) -> Result<String> {
    let name: Option<String> = conn.query_row("SELECT name FROM cadre WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(name.map_or_else(|| format!("干部 {id} "), |n| format!("干部「{n}」")))
}

fn one(conn: &Connection, sql: &str, id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(sql, [id], |r| r.get(0)).optional()?)
}

/// For a record that belongs to an initiative (the initiative itself, its plan,
/// outcome, milestones, ratings, tracking, recognitions): `Some` with that
/// initiative (`None` inside when the record is gone). `None` for other kinds.
fn initiative_of(conn: &Connection, entity: &str, id: i64) -> Result<Option<Option<i64>>> {
    let sql = match entity {
        "initiative" | "plan" | "outcome" => return Ok(Some(Some(id))),
        "milestone" => "SELECT initiative_id FROM milestone WHERE id = ?1",
        "plan_rating" | "rating" => "SELECT initiative_id FROM plan_rating WHERE id = ?1",
        "tracking" => "SELECT initiative_id FROM tracking WHERE id = ?1",
        "recognition" => "SELECT initiative_id FROM recognition WHERE id = ?1",
        _ => return Ok(None),
    };
    Ok(Some(one(conn, sql, id)?))
}

/// The record an attachment belongs to.
fn evidence_owner(conn: &Connection, id: i64) -> Result<Option<(String, i64)>> {
    Ok(conn
        .query_row("SELECT owner_kind, owner_id FROM evidence WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Who must be in scope for a user to *read* a record.
enum Reading {
    /// Every one of these cadres.
    All(Vec<i64>),
    /// At least one of these cadres: a shared initiative and its records are
    /// part of the dossier of every cadre taking part (docs/security.md,
    /// 「共同参与的事项」).
    Any(Vec<i64>),
}

/// The reading rule for a record: `None` for archive-level records (units,
/// schemes) and unknown kinds. An initiative and its records are read through
/// any participant; a 容错 case through the cadre it was filed for or, when it
/// is about an initiative (it decides the item for everyone taking part), any
/// participant of that item.
fn reading_cadres(conn: &Connection, entity: &str, id: i64) -> Result<Option<Reading>> {
    if let Some(initiative) = initiative_of(conn, entity, id)? {
        return Ok(Some(Reading::Any(match initiative {
            Some(i) => initiative_cadres(conn, i)?,
            None => Vec::new(),
        })));
    }
    match entity {
        "evidence" => match evidence_owner(conn, id)? {
            Some((kind, owner_id)) => reading_cadres(conn, &kind, owner_id),
            None => Ok(Some(Reading::All(Vec::new()))),
        },
        "tolerance_case" => Ok(Some(Reading::Any(cadres_of(conn, entity, id)?.unwrap_or_default()))),
        _ => Ok(cadres_of(conn, entity, id)?.map(Reading::All)),
    }
}

/// The cadres a record is about, from the database. `None` for archive-level
/// records (units, schemes) and for unknown kinds.
pub fn cadres_of(conn: &Connection, entity: &str, id: i64) -> Result<Option<Vec<i64>>> {
    if let Some(initiative) = initiative_of(conn, entity, id)? {
        return Ok(Some(match initiative {
            Some(i) => initiative_cadres(conn, i)?,
            None => Vec::new(),
        }));
    }
    let direct = |sql: &str| -> Result<Option<Vec<i64>>> { Ok(Some(one(conn, sql, id)?.into_iter().collect())) };
    match entity {
        "cadre" | "profile" => Ok(Some(vec![id])),
        "post" => direct("SELECT cadre_id FROM post WHERE id = ?1"),
        "evaluation" => direct("SELECT cadre_id FROM evaluation WHERE id = ?1"),
        "protection" => {
            direct("SELECT e.cadre_id FROM protection p JOIN evaluation e ON e.id = p.evaluation_id WHERE p.id = ?1")
        }
        "negative" => direct("SELECT cadre_id FROM negative WHERE id = ?1"),
        "report" => direct("SELECT cadre_id FROM report WHERE id = ?1"),
        "clearing" => direct("SELECT r.cadre_id FROM clearing c JOIN report r ON r.id = c.report_id WHERE c.id = ?1"),
        // A case about an initiative is decided for the item, for every cadre taking part
        // (`assessment::stages::tolerance_for`): it concerns them all.
        "tolerance_case" => {
            let row: Option<(i64, Option<i64>)> = conn
                .query_row("SELECT cadre_id, initiative_id FROM tolerance_case WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let Some((cadre, initiative)) = row else { return Ok(Some(Vec::new())) };
            let mut ids = match initiative {
                Some(i) => initiative_cadres(conn, i)?,
                None => Vec::new(),
            };
            ids.push(cadre);
            ids.sort_unstable();
            ids.dedup();
            Ok(Some(ids))
        }
        "final_grade" => direct("SELECT cadre_id FROM final_grade WHERE id = ?1"),
        "appraisal_text" => direct("SELECT cadre_id FROM appraisal_text WHERE id = ?1"),
        "review" => {
            let mut stmt = conn.prepare_cached("SELECT cadre_id FROM review_cadre WHERE review_id = ?1")?;
            let ids = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(Some(ids))
        }
        "evidence" => match evidence_owner(conn, id)? {
            Some((kind, owner_id)) => cadres_of(conn, &kind, owner_id),
            None => Ok(Some(Vec::new())),
        },
        _ => Ok(None),
    }
}

impl Archive {
    /// Refuse unless the user holds one of `roles`.
    pub fn require_role(&self, roles: &[Role], what: &str) -> Result<()> {
        check_role(self.session(), (roles, what))
    }

    /// Refuse unless the user's scope is the whole archive.
    pub fn require_all_units(&self, what: &str) -> Result<()> {
        if self.session().all_units {
            return Ok(());
        }
        Err(Error::forbidden(format!("{what}涉及全部单位，超出用户 {} 的管理权限", self.session().user)))
    }

    /// Refuse unless the user may read this cadre.
    pub fn require_cadre(&self, cadre_id: i64) -> Result<()> {
        self.require_role(READERS, "查阅干部档案")?;
        self.require_cadre_scope(cadre_id)
    }

    pub(crate) fn require_cadre_scope(&self, cadre_id: i64) -> Result<()> {
        if cadre_in_scope(self.conn(), cadre_id)? {
            return Ok(());
        }
        let exists: bool =
            self.conn().query_row("SELECT EXISTS (SELECT 1 FROM cadre WHERE id = ?1)", [cadre_id], |r| r.get(0))?;
        if !exists {
            return Err(Error::NotFound { entity: "干部", id: cadre_id });
        }
        Err(Error::forbidden(format!("干部 {cadre_id} 不在用户 {} 的管理权限范围内", self.session().user)))
    }

    /// Refuse unless the user may read the record (resolved to its cadres).
    pub fn require_record(&self, entity: &str, id: i64) -> Result<()> {
        self.require_role(READERS, "查阅档案")?;
        match reading_cadres(self.conn(), entity, id)? {
            Some(Reading::All(cadres)) => cadres.iter().try_for_each(|c| self.require_cadre_scope(*c)),
            Some(Reading::Any(cadres)) => {
                for c in &cadres {
                    if cadre_in_scope(self.conn(), *c)? {
                        return Ok(());
                    }
                }
                // None in scope: refused without naming any of them. A record that
                // is gone has no cadres and is reported missing by its own lookup.
                if cadres.is_empty() {
                    return Ok(());
                }
                Err(Error::forbidden(format!("该记录不在用户 {} 的管理权限范围内", self.session().user)))
            }
            None if entity == "unit" => self.require_unit(id),
            None if entity == "scheme" => Ok(()),
            None => self.require_all_units("查阅该记录"),
        }
    }

    pub fn require_unit(&self, unit_id: i64) -> Result<()> {
        if unit_in_scope(self.conn(), unit_id)? {
            return Ok(());
        }
        crate::records::units::get(self.conn(), unit_id)?;
        Err(Error::forbidden(format!("单位 {unit_id} 不在用户 {} 的管理权限范围内", self.session().user)))
    }

    /// The units in the user's scope.
    pub fn scope_units(&self) -> Result<std::collections::HashSet<i64>> {
        let mut stmt = self.conn().prepare_cached("SELECT id FROM temp.scope_unit")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Whether a cadre is in scope (for filtering lists computed outside SQL).
    pub fn cadre_visible(&self, cadre_id: i64) -> Result<bool> {
        cadre_in_scope(self.conn(), cadre_id)
    }
}

impl Archive {
    /// Refuse a change to an existing record before anything about it is read
    /// (the same rules `guard_write` applies at commit).
    pub(crate) fn require_write(&self, entity: &str, id: i64) -> Result<()> {
        let session = self.session();
        check_role(session, write_roles(entity))?;
        if session.all_units {
            return Ok(());
        }
        match cadres_of(self.conn(), entity, id)? {
            // A shared item the user may read: the cadre outside is named by name only.
            Some(cadres) if initiative_of(self.conn(), entity, id)?.is_some() || entity == "tolerance_case" => {
                for &c in &cadres {
                    if !cadre_in_scope(self.conn(), c)? {
                        return Err(Error::forbidden(format!(
                            "{}不在用户 {} 的管理权限范围内：该事项须由管理范围包括全部参与干部的用户修改",
                            cadre_label(self.conn(), c)?,
                            self.session().user
                        )));
                    }
                }
                Ok(())
            }
            Some(cadres) => cadres.iter().try_for_each(|c| self.require_cadre_scope(*c)),
            None if entity == "unit" => self.require_unit(id),
            None => self.require_all_units("修改该记录"),
        }
    }

    /// A revision's record as a scoped reader may see it: no id of a cadre outside
    /// the scope (participants outside it left out, other references emptied).
    pub(crate) fn redact_record(&self, data: &mut serde_json::Value) -> Result<()> {
        if self.session().all_units {
            return Ok(());
        }
        let Some(fields) = data.as_object_mut() else { return Ok(()) };
        let conn = self.conn();
        let visible = |v: &serde_json::Value| -> Result<bool> {
            Ok(match v.as_i64() {
                Some(c) => cadre_in_scope(conn, c)?,
                None => true,
            })
        };
        if let Some(c) = fields.get_mut("cadreId")
            && !visible(c)?
        {
            *c = serde_json::Value::Null;
        }
        for key in ["participants", "cadreIds"] {
            if let Some(list) = fields.get_mut(key).and_then(serde_json::Value::as_array_mut) {
                let mut kept = Vec::with_capacity(list.len());
                for item in list.drain(..) {
                    let id = item.get("cadreId").unwrap_or(&item);
                    if visible(id)? {
                        kept.push(item);
                    }
                }
                *list = kept;
            }
        }
        Ok(())
    }
}

fn check_role(session: &Session, (roles, what): (&[Role], &str)) -> Result<()> {
    if roles.iter().any(|r| session.has(*r)) {
        return Ok(());
    }
    Err(Error::forbidden(format!("{what}须由{}办理，当前用户 {} 无此角色", role_names(roles), session.user)))
}

/// The role a write needs, by record kind.
fn write_roles(entity: &str) -> (&'static [Role], &'static str) {
    match entity {
        "review" => (&[Role::Leader], "批示"),
        "scheme" => (&[Role::SysAdmin], "修改考核方案"),
        "final_grade" => (&[Role::Clerk, Role::Appraisal], "确定考核等次"),
        "appraisal_text" => (&[Role::Clerk, Role::Appraisal], "填写考核登记表"),
        _ => (&[Role::Clerk], "修改档案记录"),
    }
}

/// Called for every write (from `revision::record`), after the change and
/// before the commit: an error rolls the whole transaction back.
/// `cadres` are the record's cadres as [`cadres_of`] gives them (computed once by the caller).
pub(crate) fn guard_write(
    tx: &Tx,
    entity: &str,
    entity_id: i64,
    created: bool,
    before: Option<&serde_json::Value>,
    cadres: Option<&[i64]>,
) -> Result<()> {
    let session = tx.session;
    check_role(session, write_roles(entity))?;
    if session.all_units {
        return Ok(());
    }
    let outside = |what: String| Error::forbidden(format!("{what}不在用户 {} 的管理权限范围内", session.user));
    // A record refused at its creation is rolled back: its id, never used, is not
    // named (it would tell the user how many records the archive holds).
    let own = |kind: &str| if created { format!("新建的{kind}") } else { format!("{kind} {entity_id} ") };
    let prior_unit = |key: &str| before.and_then(|b| b.get(key)).and_then(serde_json::Value::as_i64);
    match entity {
        "unit" => {
            if !unit_in_scope(tx, entity_id)? {
                return Err(outside(own("单位")));
            }
            if let Some(parent) = prior_unit("parentId")
                && !unit_in_scope(tx, parent)?
                && !session.units.contains(&entity_id)
            {
                return Err(outside(format!("单位 {entity_id} 原所在位置")));
            }
            Ok(())
        }
        "scheme" => Err(outside("考核方案涉及全部单位，".to_owned())),
        _ => {
            if entity == "cadre"
                && let Some(unit) = prior_unit("unitId")
                && !unit_in_scope(tx, unit)?
            {
                return Err(outside(format!("干部 {entity_id} 原所在单位 ")));
            }
            // An initiative's participants before the change (one removed from it is touched too).
            let prior_participants = before
                .and_then(|b| b.get("participants"))
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("cadreId").and_then(serde_json::Value::as_i64));
            for c in prior_participants {
                if !cadre_in_scope(tx, c)? {
                    return Err(outside(cadre_label(tx, c)?));
                }
            }
            match cadres {
                Some(cadres) => {
                    for &c in cadres {
                        if !cadre_in_scope(tx, c)? {
                            let who =
                                if entity == "cadre" && c == entity_id { own("干部") } else { cadre_label(tx, c)? };
                            return Err(outside(who));
                        }
                    }
                    Ok(())
                }
                None => Err(outside(format!("记录 {entity}#{entity_id} "))),
            }
        }
    }
}

/// Passwords protect the data key of personnel files: at least 8 characters
/// and at least two kinds (letters, digits, others).
pub fn check_password_strength(password: &str) -> Result<()> {
    let kinds = [
        password.chars().any(|c| c.is_alphabetic()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if password.chars().count() < 8 || kinds < 2 {
        return Err(Error::invalid("password", "密码至少 8 位，且须包含字母、数字、符号中的至少两类"));
    }
    Ok(())
}
