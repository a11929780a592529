//! 数据交换 between sites (issue 19): a county's organization department and
//! the city's keep their own archives and exchange signed, encrypted packages
//! on a USB stick (docs/exchange.md).
//!
//! Each archive's site identity and key pairs, the public identity cards
//! partners trust (with the unit subtree a partner owns) or revoke, and the
//! packages — sealed to the recipient, signed by the sender, checked for
//! sender, recipient, signature and sequence before anything in it is used —
//! carrying the changes captured with SQLite's session extension
//! (`changes`), the sender's audit entries (`trail`) and an acknowledgement of
//! the packages received, so that a lost one can be written again (`resend`).

pub mod card;
pub mod changes;
pub mod crypto;
pub mod package;
mod resend;
mod trail;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{Archive, Tx, audit, ids};
use crate::enums::Role;
use crate::error::{Error, Result};
pub use card::SiteCard;
use package::{Header, Manifest};

/// The largest package file read: a county's whole archive with its evidence files.
pub const PACKAGE_LIMIT: u64 = 4 << 30;

/// A partner site as this archive knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Partner {
    pub code: String,
    pub name: String,
    pub fingerprint: String,
    /// The unit subtree the partner owns here (a county at the city), if any.
    pub unit_id: Option<i64>,
    pub trusted_at: String,
    pub trusted_by: String,
    pub revoked_at: Option<String>,
    pub revoked_reason: String,
    /// The last package sent to it (0: none yet; the next one is complete).
    pub sent_seq: u64,
    /// The last package received from it and applied.
    pub received_seq: u64,
    /// The last package of ours it says it has applied.
    pub acked_seq: u64,
    /// Packages sent to it and not yet acknowledged: kept, to be written
    /// again if one is lost on the way (`exchange resend`).
    pub unacknowledged: Vec<u64>,
}

/// What importing a package did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub sender: String,
    pub sender_name: String,
    pub seq: u64,
    pub complete: bool,
    /// Already applied: nothing was changed.
    pub replay: bool,
    pub applied: bool,
    pub counts: Vec<package::KindCount>,
    /// Every conflict met and how it was resolved; the losing version is kept.
    pub conflicts: Vec<changes::Conflict>,
    /// The sender's audit entries the package carries (kept here, continuing its chain).
    pub audit: Option<package::AuditSpan>,
}

/// This site and its partners, for the 数据交换 page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SiteStatus {
    /// This site's card; none before the identity is set.
    pub card: Option<SiteCard>,
    pub partners: Vec<Partner>,
}

/// A package written to a folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: String,
    pub bytes: u64,
    pub manifest: Manifest,
}

/// A package checked and opened: who sent it, and what it says it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub manifest: Manifest,
    /// The changeset parts, applied in order.
    pub parts: Vec<Vec<u8>>,
    /// The sender's audit entries (JSON), empty when it carries none.
    pub audit: Vec<u8>,
    /// Already applied (the same package again): importing it changes nothing.
    pub replay: bool,
}

fn identity_secrets(conn: &rusqlite::Connection) -> Result<Option<(String, String, crypto::SiteSecrets)>> {
    let row = conn
        .query_row("SELECT code, name, sign_secret, box_secret FROM site_identity WHERE id = 1", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?, r.get::<_, Vec<u8>>(3)?))
        })
        .optional()?;
    row.map(|(code, name, sign, open)| Ok((code, name, crypto::SiteSecrets::from_bytes(&sign, &open)?))).transpose()
}

/// A partner with its signing and sealing public keys.
type Keyed = (Partner, [u8; 32], [u8; 32]);

fn partner_row(r: &rusqlite::Row) -> rusqlite::Result<Keyed> {
    let key = |i| -> rusqlite::Result<[u8; 32]> {
        let b: Vec<u8> = r.get(i)?;
        b.try_into().map_err(|_| rusqlite::Error::IntegralValueOutOfRange(i, 32))
    };
    let (sign, open) = (key(2)?, key(3)?);
    let (code, name): (String, String) = (r.get(0)?, r.get(1)?);
    Ok((
        Partner {
            fingerprint: card::fingerprint(&code, &name, &sign, &open),
            code,
            name,
            unit_id: r.get(4)?,
            trusted_at: r.get(5)?,
            trusted_by: r.get(6)?,
            revoked_at: r.get(7)?,
            revoked_reason: r.get(8)?,
            sent_seq: r.get::<_, i64>(9)?.try_into().unwrap_or(0),
            received_seq: r.get::<_, i64>(10)?.try_into().unwrap_or(0),
            acked_seq: r.get::<_, i64>(11)?.try_into().unwrap_or(0),
            unacknowledged: r
                .get::<_, Option<String>>(12)?
                .unwrap_or_default()
                .split(',')
                .filter_map(|n| n.parse().ok())
                .collect(),
        },
        sign,
        open,
    ))
}

fn partner_list(conn: &rusqlite::Connection) -> Result<Vec<Partner>> {
    let mut stmt = conn.prepare(&format!("SELECT {PARTNER_COLUMNS} FROM site_partner ORDER BY code"))?;
    let rows = stmt.query_map([], partner_row)?;
    Ok(rows.map(|r| r.map(|(p, _, _)| p)).collect::<rusqlite::Result<_>>()?)
}

const PARTNER_COLUMNS: &str = "code, name, sign_public, box_public, unit_id, trusted_at, trusted_by, revoked_at, \
                               revoked_reason, sent_seq, received_seq, acked_seq, \
                               (SELECT group_concat(seq) FROM (SELECT seq FROM exchange_sent \
                                 WHERE partner = site_partner.code ORDER BY seq))";

fn partner_keys(conn: &rusqlite::Connection, code: &str) -> Result<Option<Keyed>> {
    Ok(conn
        .query_row(&format!("SELECT {PARTNER_COLUMNS} FROM site_partner WHERE code = ?1"), [code], partner_row)
        .optional()?)
}

fn log(tx: &Tx, action: &str, object: &str, after: &impl Serialize) -> Result<()> {
    tx.log_event(action, object, &serde_json::to_string(after)?)?;
    Ok(())
}

impl Archive {
    /// This archive's identity card; created (with new key pairs) the first
    /// time, from `code` and `name`. Once created, the code and name stay: a
    /// different code is refused (partners know the site by it).
    pub fn site_identity(&mut self, code: Option<&str>, name: Option<&str>) -> Result<SiteCard> {
        self.require_role(&[Role::SysAdmin], "设置本站标识")?;
        if let Some((have, have_name, secrets)) = identity_secrets(self.conn())? {
            if code.is_some_and(|c| c != have) || name.is_some_and(|n| n.trim() != have_name) {
                return Err(Error::State(format!(
                    "本档案已是「{have_name}」（{have}）的站点，行政区划代码和名称不能再改：交换伙伴凭它们认出本站"
                )));
            }
            return Ok(SiteCard::issue(&have, &have_name, &secrets));
        }
        let (Some(code), Some(name)) = (code, name) else {
            return Err(Error::invalid(
                "code",
                "本档案还没有站点标识：第一次请给出 --code（行政区划代码）和 --name（站点名称）",
            ));
        };
        card::check_code(code)?;
        card::check_name(name)?;
        let name = name.trim();
        // Records already numbered by a site (an archive read from another site's
        // interchange document) cannot be moved into this one's range.
        let numbered: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM cadre WHERE id >= ?1) OR EXISTS (SELECT 1 FROM unit WHERE id >= ?1)
                 OR EXISTS (SELECT 1 FROM initiative WHERE id >= ?1)",
            [ids::SITE_SPAN],
            |r| r.get(0),
        )?;
        if numbered {
            return Err(Error::State(
                "本档案的记录已按另一站点编号（由其交换文档导入），不能再设置站点标识：请在原站点的档案上交换".into(),
            ));
        }
        let secrets = crypto::SiteSecrets::generate()?;
        let card = SiteCard::issue(code, name, &secrets);
        let base = ids::base_of(code.parse().map_err(|_| Error::invalid("code", "行政区划代码应为数字"))?);
        self.with_tx(|tx| {
            // Every record moves into the site's id range: ids then stay unique
            // when the sites' records meet in one archive (archive::ids).
            let (mark, _) = audit::head(tx)?;
            ids::renumber(tx, base)?;
            tx.execute(
                "INSERT INTO site_identity (id, code, name, sign_secret, box_secret, created_at, renumbered_through)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                params![code, name, secrets.sign.to_bytes().to_vec(), secrets.open.to_bytes().to_vec(), tx.now, mark],
            )?;
            log(tx, "设置本站标识", &format!("site#{code}"), &card)
        })?;
        Ok(card)
    }

    /// This site's card (if set) and its partners.
    pub fn site_status(&self) -> Result<SiteStatus> {
        let card = identity_secrets(self.conn())?.map(|(code, name, secrets)| SiteCard::issue(&code, &name, &secrets));
        // Every reader sees which site keeps a record, so the partners' names are public here.
        Ok(SiteStatus { card, partners: partner_list(self.conn())? })
    }

    /// Write the next package for partner `to` into folder `dir`, named by the
    /// two sites and the sequence number (never over an existing file).
    pub fn export_package_to(&mut self, to: &str, dir: &std::path::Path) -> Result<Exported> {
        let own = identity_secrets(self.conn())?.map(|(_, name, _)| name).unwrap_or_default();
        let partner = partner_keys(self.conn(), to)?.map(|(p, _, _)| p);
        let (name, seq) = partner.map_or((to.to_owned(), 1), |p| (p.name, p.sent_seq + 1));
        let path = dir.join(format!("{own}至{name}-第{seq}号.gsx"));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut size = 0;
        let manifest = self.export_package_with(to, |bytes| {
            size = bytes.len() as u64;
            crate::formats::exports::write_new(&path, bytes).map(|_| ())
        })?;
        Ok(Exported { path: crate::settings::display(&path), bytes: size, manifest })
    }

    /// The partner sites, by code.
    pub fn partners(&self) -> Result<Vec<Partner>> {
        self.require_role(&[Role::SysAdmin, Role::Clerk], "查看交换伙伴")?;
        partner_list(self.conn())
    }

    /// Trust a partner's card; `unit` is the subtree it owns here (a county at the
    /// city). Trusting the same card again changes only the unit; a different
    /// card for a known code is refused until the old one is revoked.
    pub fn trust_partner(&mut self, card: &SiteCard, unit: Option<i64>) -> Result<Partner> {
        self.require_role(&[Role::SysAdmin], "登记交换伙伴")?;
        let keys = card.keys()?;
        let own = identity_secrets(self.conn())?;
        let Some((own_code, _, _)) = own else {
            return Err(Error::State("请先设置本站标识（行政区划代码和名称），再登记交换伙伴".into()));
        };
        if card.code == own_code {
            return Err(Error::invalid("code", format!("身份卡是本站自己的（{own_code}），不能登记为交换伙伴")));
        }
        if let Some(u) = unit {
            crate::records::units::get(self.conn(), u)
                .map_err(|_| Error::invalid("unit", format!("单位 {u} 不存在：交换伙伴所辖单位须是本档案中的单位")))?;
        }
        let existing = partner_keys(self.conn(), &card.code)?;
        if let Some((p, sign, open)) = &existing
            && (sign != &keys.sign || open != &keys.open)
            && p.revoked_at.is_none()
        {
            return Err(Error::State(format!(
                "已登记「{}」（{}）的另一张身份卡（指纹 {}）。如对方确已更换密钥，请先撤销原登记，再登记新卡",
                p.name, p.code, p.fingerprint
            )));
        }
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO site_partner (code, name, sign_public, box_public, unit_id, trusted_at, trusted_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit_id = excluded.unit_id,
                     sign_public = excluded.sign_public, box_public = excluded.box_public,
                     trusted_at = CASE WHEN site_partner.sign_public = excluded.sign_public
                                       THEN site_partner.trusted_at ELSE excluded.trusted_at END,
                     revoked_at = NULL, revoked_reason = ''",
                params![card.code, card.name, keys.sign.to_vec(), keys.open.to_vec(), unit, tx.now, tx.actor],
            )?;
            log(tx, "登记交换伙伴", &format!("site#{}", card.code), &(card, unit))
        })?;
        partner_keys(self.conn(), &card.code)?.map(|(p, _, _)| p).ok_or_else(|| Error::State("登记未保存".into()))
    }

    /// Revoke a partner (a lost stick with its keys, a site closed): its packages
    /// are refused from now on, and nothing more is sent to it.
    pub fn revoke_partner(&mut self, code: &str, reason: &str) -> Result<Partner> {
        self.require_role(&[Role::SysAdmin], "撤销交换伙伴")?;
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", "请写明撤销理由（如「存储介质遗失」）"));
        }
        let Some((p, _, _)) = partner_keys(self.conn(), code)? else {
            return Err(Error::invalid("code", format!("没有登记代码为 {code} 的交换伙伴")));
        };
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE site_partner SET revoked_at = ?2, revoked_reason = ?3 WHERE code = ?1",
                params![code, tx.now, reason.trim()],
            )?;
            // Nothing more goes to it: the copies kept for it are not needed.
            tx.execute("DELETE FROM exchange_sent WHERE partner = ?1", [code])?;
            log(tx, "撤销交换伙伴", &format!("site#{code}"), &(&p.name, reason.trim()))
        })?;
        partner_keys(self.conn(), code)?.map(|(p, _, _)| p).ok_or_else(|| Error::State("撤销未保存".into()))
    }

    /// The next package for partner `to`: every change to the rows it gets from
    /// this site since the last package (all of them the first time), sealed to
    /// it and signed; recorded as sent. Returns the file's bytes and its manifest.
    pub fn export_package(&mut self, to: &str) -> Result<(Vec<u8>, Manifest)> {
        let mut kept = Vec::new();
        let manifest = self.export_package_with(to, |bytes| {
            kept = bytes.to_vec();
            Ok(())
        })?;
        Ok((kept, manifest))
    }

    /// As `export_package`, handing the bytes to `deliver` (write the file)
    /// before the package is recorded as sent: if delivering fails, nothing is
    /// recorded and the same package is made again next time.
    pub fn export_package_with(&mut self, to: &str, deliver: impl FnOnce(&[u8]) -> Result<()>) -> Result<Manifest> {
        self.require_role(&[Role::SysAdmin, Role::Clerk], "导出交换包")?;
        self.require_all_units("导出交换包")?;
        let Some((own_code, own_name, secrets)) = identity_secrets(self.conn())? else {
            return Err(Error::State("本档案还没有站点标识，不能导出交换包".into()));
        };
        let Some((partner, _, open)) = partner_keys(self.conn(), to)? else {
            return Err(Error::invalid("to", format!("没有登记代码为 {to} 的交换伙伴")));
        };
        if let Some(at) = &partner.revoked_at {
            return Err(Error::State(format!("交换伙伴「{}」已于 {at} 撤销，不再向其发送", partner.name)));
        }
        let own_base = ids::own_base(self.conn())?;
        let audience = match partner.unit_id {
            Some(_) => changes::Audience::Concerning { base: ids::base_of(partner.code.parse().unwrap_or(0)) },
            None => changes::Audience::Everything,
        };
        let (state, outbox_sent, audit_sent): (Vec<u8>, i64, i64) = self.conn().query_row(
            "SELECT sent_state, outbox_sent, audit_sent FROM site_partner WHERE code = ?1",
            [to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        // To the site above after the first package: the outbox's entries since the
        // last package (the cost follows what changed); else the rows compared.
        let above = matches!(audience, changes::Audience::Everything);
        let from_outbox = above && partner.sent_seq > 0;
        let (diff, trail) = self.read_snapshot(|| {
            let diff = if from_outbox {
                changes::from_outbox(self.conn(), outbox_sent)?
            } else {
                let mut d = if state.is_empty() {
                    changes::complete(self.conn(), own_base, audience)?
                } else {
                    changes::diff(self.conn(), &state, own_base, audience)?
                };
                d.outbox_through =
                    self.conn().query_row("SELECT coalesce(max(id), 0) FROM exchange_outbox", [], |r| r.get(0))?;
                d
            };
            // The site above keeps this site's audit chain; a site below does not get it.
            let trail = if above {
                trail::outgoing(self.conn(), audit_sent)?
            } else {
                trail::Outgoing { bytes: Vec::new(), span: None }
            };
            Ok((diff, trail))
        })?;
        let seq = partner.sent_seq + 1;
        let manifest = Manifest {
            sender: own_code.clone(),
            sender_name: own_name,
            recipient: partner.code.clone(),
            seq,
            schema_version: crate::archive::schema::CURRENT_VERSION,
            created_at: self.now_text(),
            complete: seq == 1,
            counts: diff.counts,
            acknowledged: partner.received_seq,
            audit: trail.span.clone(),
        };
        let header = Header { sender: own_code, recipient: partner.code.clone(), seq };
        let contents = package::contents(&manifest, &diff.parts, &trail.bytes)?;
        let bytes = package::write(&header, &contents, &open, &secrets)?;
        drop(contents);
        self.with_tx(|tx| {
            deliver(&bytes)?;
            resend::keep(tx, &manifest, &bytes)?;
            if let Some(span) = &trail.span {
                tx.execute(
                    "UPDATE site_partner SET audit_sent = ?2 WHERE code = ?1",
                    params![partner.code, span.last],
                )?;
            }
            if from_outbox {
                tx.execute(
                    "UPDATE site_partner SET sent_seq = ?2, outbox_sent = ?3 WHERE code = ?1",
                    params![partner.code, seq as i64, diff.outbox_through],
                )?;
                // What every site above has been sent is not needed again.
                tx.execute(
                    "DELETE FROM exchange_outbox WHERE id <= (SELECT min(outbox_sent) FROM site_partner
                       WHERE unit_id IS NULL AND revoked_at IS NULL AND sent_seq > 0)",
                    [],
                )?;
            } else {
                // `diff.state` is empty for the site above: it gets the outbox from now on.
                tx.execute(
                    "UPDATE site_partner SET sent_seq = ?2, sent_state = ?3, outbox_sent = ?4 WHERE code = ?1",
                    params![partner.code, seq as i64, diff.state, diff.outbox_through],
                )?;
            }
            log(tx, "导出交换包", &format!("site#{}", partner.code), &manifest)
        })?;
        Ok(manifest)
    }

    /// Import a package read from `file`: checked (`open_package`), then applied
    /// all or nothing; a package already applied changes nothing. `dry_run`
    /// applies it and rolls it back: the report shows what it carries and the
    /// conflicts it would meet, and nothing is written.
    pub fn import_package(&mut self, bytes: &[u8], file: &str, dry_run: bool) -> Result<ImportReport> {
        self.require_all_units("导入交换包")?;
        let opened = self.open_package(bytes, file)?;
        let m = &opened.manifest;
        let mut report = ImportReport {
            sender: m.sender.clone(),
            sender_name: m.sender_name.clone(),
            seq: m.seq,
            complete: m.complete,
            replay: opened.replay,
            applied: false,
            counts: m.counts.clone(),
            conflicts: Vec::new(),
            audit: m.audit.clone(),
        };
        if opened.replay {
            return Ok(report);
        }
        if m.schema_version != crate::archive::schema::CURRENT_VERSION {
            return Err(Error::Import {
                path: file.to_owned(),
                message: format!(
                    "发送方档案格式为第 {} 版，本档案为第 {} 版：请两边使用同一版本的程序",
                    m.schema_version,
                    crate::archive::schema::CURRENT_VERSION
                ),
            });
        }
        let sender_base = ids::base_of(m.sender.parse().unwrap_or(0));
        let (hi, parent) =
            (sender_base + ids::SITE_SPAN, partner_keys(self.conn(), &m.sender)?.and_then(|(p, _, _)| p.unit_id));
        // A dry run applies the package too, and rolls it back: the report then
        // shows the conflicts the import would meet.
        let mut foreseen = None;
        self.applying_package = true;
        let applied = self.with_tx(|tx| {
            ids::applying(tx, true)?;
            // The sender's top units hang under the unit it was registered with here.
            if let Some(u) = parent {
                tx.execute(
                    "UPDATE unit SET parent_id = NULL WHERE id >= ?1 AND id < ?2 AND parent_id = ?3",
                    params![sender_base, hi, u],
                )?;
            }
            let parts: Vec<&[u8]> = opened.parts.iter().map(Vec::as_slice).collect();
            let conflicts = changes::apply(tx, &parts, sender_base, &m.sender)
                .map_err(|e| Error::Import { path: file.to_owned(), message: e.to_string() })?;
            if let Some(u) = parent {
                tx.execute(
                    "UPDATE unit SET parent_id = ?3 WHERE id >= ?1 AND id < ?2 AND parent_id IS NULL",
                    params![sender_base, hi, u],
                )?;
            }
            trail::incoming(tx, &m.sender, m.audit.as_ref(), &opened.audit)
                .map_err(|message| Error::Import { path: file.to_owned(), message })?;
            if dry_run {
                foreseen = Some(conflicts);
                return Err(Error::Cancelled("试导入，未写入".into()));
            }
            for c in &conflicts {
                tx.execute(
                    "INSERT INTO exchange_conflict (id, partner, seq, applied_at, tbl, row_key, kind, resolution, kept)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        ids::assign(tx, "exchange_conflict", None)?,
                        m.sender,
                        m.seq as i64,
                        tx.now,
                        c.table,
                        c.key,
                        c.kind,
                        c.resolution,
                        c.kept.to_string()
                    ],
                )?;
            }
            ids::applying(tx, false)?;
            Archive::mark_received(tx, &m.sender, m.seq)?;
            resend::acknowledged(tx, &m.sender, m.acknowledged)?;
            log(tx, "导入交换包", &format!("site#{}", m.sender), &(m, &conflicts))?;
            Ok(conflicts)
        });
        self.applying_package = false;
        // The counts are the manifest's: what the sender signed the package carries.
        report.conflicts = match (applied, foreseen) {
            (_, Some(f)) => return Ok(ImportReport { conflicts: f, ..report }),
            (result, None) => result?,
        };
        report.applied = true;
        Ok(report)
    }

    /// Check a package read from `file` and open it: from a trusted partner not
    /// revoked, for this site, signed by the sender, unchanged, and next in
    /// sequence (or already applied: `replay`). Each refusal names the file and why.
    pub fn open_package(&self, bytes: &[u8], file: &str) -> Result<Opened> {
        self.require_role(&[Role::SysAdmin, Role::Clerk], "导入交换包")?;
        let refuse = |message: String| Error::Import { path: file.to_owned(), message };
        let laid = package::parse(bytes).map_err(&refuse)?;
        let Some((own_code, own_name, secrets)) = identity_secrets(self.conn())? else {
            return Err(refuse("本档案还没有站点标识，不能导入交换包".into()));
        };
        let h = &laid.header;
        if h.recipient != own_code {
            return Err(refuse(format!("这个交换包是发给 {} 的，不是本站「{own_name}」（{own_code}）", h.recipient)));
        }
        let Some((partner, sign, _)) = partner_keys(self.conn(), &h.sender)? else {
            return Err(refuse(format!("发送方 {} 不是已登记的交换伙伴：请先核对并登记其身份卡", h.sender)));
        };
        if let Some(at) = &partner.revoked_at {
            return Err(refuse(format!(
                "发送方「{}」已于 {at} 撤销（{}），其交换包一律拒收",
                partner.name, partner.revoked_reason
            )));
        }
        if !crypto::verify(&sign, laid.signed, &laid.signature) {
            return Err(refuse(format!("签名无效：交换包在「{}」签发后被改动，或并非其签发", partner.name)));
        }
        let contents = secrets
            .open(&laid.ephemeral, laid.ciphertext, laid.aad)
            .ok_or_else(|| refuse("无法解密：交换包已被改动，或不是用本站公钥加密的".into()))?;
        let package::Contents { manifest, parts, audit } = package::split(&contents).map_err(&refuse)?;
        if (manifest.sender.as_str(), manifest.recipient.as_str(), manifest.seq)
            != (h.sender.as_str(), h.recipient.as_str(), h.seq)
        {
            return Err(refuse("清单与包头不一致".into()));
        }
        let expected = partner.received_seq + 1;
        if h.seq > expected {
            let missing = if h.seq == expected + 1 {
                format!("第 {expected} 号")
            } else {
                format!("第 {expected}–{} 号", h.seq - 1)
            };
            return Err(refuse(format!(
                "这是「{}」的第 {} 号交换包，缺少{missing}：请按顺序导入，先导入缺少的交换包\
                 （如已遗失，请「{}」在数据交换页重新导出{missing}）",
                partner.name, h.seq, partner.name
            )));
        }
        let parts = parts.into_iter().map(<[u8]>::to_vec).collect();
        Ok(Opened { manifest, parts, audit: audit.to_vec(), replay: h.seq < expected })
    }

    /// Note a package from `sender` as applied (in the transaction that applied it).
    pub fn mark_received(tx: &Tx, sender: &str, seq: u64) -> Result<()> {
        tx.execute("UPDATE site_partner SET received_seq = ?2 WHERE code = ?1", params![sender, seq as i64])?;
        Ok(())
    }
}
