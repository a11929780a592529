//! The 档案管理员's 工作台: what needs following up today. Milestones graded
//! 黄/橙/红 (the 为官不为 预警 applied to 时间节点, thresholds in the scheme),
//! items waiting for a 谋事 rating, items due a monthly tracking (月度调度),
//! 约谈 and 问题清单 past their deadline, reports under investigation and
//! undecided 容错 cases — each row leading to its record, counted per unit.
//! Only what the user's scope reaches (an item with a participant in scope).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::SHARED_IN_SCOPE;
use crate::archive::Archive;
use crate::assessment::scheme::WarningRules;
use crate::enums::{RaterRole, Role};
use crate::error::Result;
use crate::validate::stored_date;

/// 黄 / 橙 / 红, mildest first (the order of `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum WarningLevel {
    #[serde(rename = "黄")]
    Yellow,
    #[serde(rename = "橙")]
    Orange,
    #[serde(rename = "红")]
    Red,
}

/// One item that needs following up, at its worst level, with every reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemWarning {
    pub level: WarningLevel,
    pub initiative_id: i64,
    pub title: String,
    pub stage: String,
    pub lead_cadre_id: i64,
    pub lead_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// In words: 「节点「主体完工」已逾期 45 天」.
    pub reasons: Vec<String>,
}

/// An item in 谋事 still missing a rating, and whose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AwaitingRating {
    pub initiative_id: i64,
    pub title: String,
    pub lead_name: String,
    pub unit_name: String,
    pub missing: Vec<RaterRole>,
}

/// An item in 干事 not yet tracked this month (月度调度).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackingDue {
    pub initiative_id: i64,
    pub title: String,
    pub lead_name: String,
    pub unit_name: String,
    /// The last tracking's date, if any.
    pub last: Option<String>,
}

/// A 约谈 or 问题清单 still open past its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OverdueRectification {
    pub cadre_id: i64,
    pub cadre_name: String,
    pub unit_name: String,
    pub kind: String,
    pub deadline: String,
    pub overdue_days: i64,
}

/// A report under investigation, or an undecided 容错 case, about a cadre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingMatter {
    pub cadre_id: i64,
    pub cadre_name: String,
    pub unit_name: String,
    /// 举报核查 / 容错认定
    pub kind: String,
    pub since: String,
}

/// Counts per unit, for the unit column of the desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnitCounts {
    pub unit_id: i64,
    pub unit_name: String,
    pub red: usize,
    pub orange: usize,
    pub yellow: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClerkDesk {
    pub as_of: String,
    /// The thresholds applied, in words.
    pub rule: String,
    pub warnings: Vec<ItemWarning>,
    pub awaiting_rating: Vec<AwaitingRating>,
    pub tracking_due: Vec<TrackingDue>,
    pub overdue_rectifications: Vec<OverdueRectification>,
    pub pending: Vec<PendingMatter>,
    pub units: Vec<UnitCounts>,
}

/// What the milestones and the plan of one item say, as of `today`.
pub(crate) fn grade_item(
    rules: &WarningRules,
    today: NaiveDate,
    milestones: &[(String, NaiveDate, Option<NaiveDate>)],
    plan_deadline: Option<NaiveDate>,
    finished: bool,
) -> Option<(WarningLevel, Vec<String>)> {
    let mut level: Option<WarningLevel> = None;
    let mut reasons = Vec::new();
    let mut raise = |l: WarningLevel, why: String, level: &mut Option<WarningLevel>| {
        *level = Some(level.map_or(l, |x| x.max(l)));
        reasons.push(why);
    };
    let mut late = 0;
    for (name, due, done) in milestones {
        match done {
            Some(d) if d > due => late += 1,
            Some(_) => {}
            None => {
                let overdue = (today - *due).num_days();
                if overdue > 0 {
                    late += 1;
                    let l = if overdue > rules.orange_overdue_days {
                        WarningLevel::Red
                    } else if overdue > rules.yellow_overdue_days {
                        WarningLevel::Orange
                    } else {
                        WarningLevel::Yellow
                    };
                    raise(l, format!("节点「{name}」已逾期 {overdue} 天"), &mut level);
                } else if -overdue <= rules.due_soon_days {
                    raise(WarningLevel::Yellow, format!("节点「{name}」{} 天内到期（{due}）", -overdue), &mut level);
                }
            }
        }
    }
    if late >= rules.late_milestones_orange {
        raise(WarningLevel::Orange, format!("同一事项 {late} 个节点逾期"), &mut level);
    }
    if let Some(deadline) = plan_deadline
        && !finished
        && deadline < today
    {
        let days = (today - deadline).num_days();
        raise(WarningLevel::Red, format!("已过计划完成日期 {deadline} {days} 天，仍未成事"), &mut level);
    }
    level.map(|l| (l, reasons))
}

/// An open item in scope, with its lead and its plan's completion date.
struct OpenItem {
    title: String,
    stage: String,
    cadre_id: i64,
    lead: String,
    unit_id: i64,
    unit_name: String,
    deadline: Option<NaiveDate>,
}

fn date(text: &str) -> Option<NaiveDate> {
    stored_date(text)
}

impl Archive {
    /// The 档案管理员's 工作台 as of today, within the user's scope, optionally one unit (and below).
    pub fn clerk_desk(&self, unit: Option<i64>) -> Result<ClerkDesk> {
        self.require_role(&[Role::Clerk, Role::Appraisal, Role::SysAdmin], "查看工作台")?;
        if let Some(u) = unit {
            self.require_unit(u)?;
        }
        let today_text = self.today();
        let today = date(&today_text).unwrap_or_default();
        let year = today.year();
        let rules = self.scheme(year)?.scheme.warnings;
        let conn = self.conn();
        let below: Option<std::collections::HashSet<i64>> =
            unit.map(|u| crate::records::units::subtree(conn, u).map(|ids| ids.into_iter().collect())).transpose()?;
        let keep = |unit_id: i64| below.as_ref().is_none_or(|b| b.contains(&unit_id));
        // The open items with a participant in scope, with their lead and plan deadline.
        let mut items: BTreeMap<i64, OpenItem> = BTreeMap::new();
        {
            let mut stmt = conn.prepare(&format!(
                "SELECT i.id, i.title, i.stage, c.id, c.name, u.id, u.name, p.deadline
                 FROM initiative i
                 JOIN participant lp ON lp.initiative_id = i.id AND lp.role = '牵头'
                 JOIN cadre c ON c.id = lp.cadre_id
                 JOIN unit u ON u.id = c.unit_id
                 LEFT JOIN plan p ON p.initiative_id = i.id
                 WHERE i.stopped_on IS NULL AND i.id IN ({SHARED_IN_SCOPE})"
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    OpenItem {
                        title: r.get(1)?,
                        stage: r.get(2)?,
                        cadre_id: r.get(3)?,
                        lead: r.get(4)?,
                        unit_id: r.get(5)?,
                        unit_name: r.get(6)?,
                        deadline: r.get::<_, Option<String>>(7)?.as_deref().and_then(date),
                    },
                ))
            })?;
            for row in rows {
                let (id, item) = row?;
                if keep(item.unit_id) {
                    items.insert(id, item);
                }
            }
        }
        let mut milestones: BTreeMap<i64, Vec<(String, NaiveDate, Option<NaiveDate>)>> = BTreeMap::new();
        {
            let mut stmt =
                conn.prepare("SELECT initiative_id, name, due_date, done_date FROM milestone ORDER BY due_date, id")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            for row in rows {
                let (id, name, due, done) = row?;
                if let (true, Some(due)) = (items.contains_key(&id), date(&due)) {
                    milestones.entry(id).or_default().push((name, due, done.as_deref().and_then(date)));
                }
            }
        }
        let mut warnings = Vec::new();
        let mut awaiting_rating = Vec::new();
        let mut tracking_due = Vec::new();
        let month_start = NaiveDate::from_ymd_opt(year, today.month(), 1).unwrap_or(today);
        for (id, item) in &items {
            let OpenItem { title, stage, cadre_id, lead, unit_id, unit_name, deadline } = item;
            let finished = stage == "成事";
            let ms = milestones.get(id).map(Vec::as_slice).unwrap_or_default();
            if let Some((level, reasons)) = grade_item(&rules, today, ms, *deadline, finished) {
                warnings.push(ItemWarning {
                    level,
                    initiative_id: *id,
                    title: title.clone(),
                    stage: stage.clone(),
                    lead_cadre_id: *cadre_id,
                    lead_name: lead.clone(),
                    unit_id: *unit_id,
                    unit_name: unit_name.clone(),
                    reasons,
                });
            }
            if stage == "谋事" {
                let rated: Vec<RaterRole> =
                    crate::records::plans::ratings(conn, *id)?.into_iter().map(|r| r.fields.rater_role).collect();
                let missing: Vec<RaterRole> = RaterRole::ALL.iter().copied().filter(|r| !rated.contains(r)).collect();
                if !missing.is_empty() {
                    awaiting_rating.push(AwaitingRating {
                        initiative_id: *id,
                        title: title.clone(),
                        lead_name: lead.clone(),
                        unit_name: unit_name.clone(),
                        missing,
                    });
                }
            }
            if stage == "干事" {
                let last: Option<String> =
                    conn.query_row("SELECT max(date) FROM tracking WHERE initiative_id = ?1", [id], |r| r.get(0))?;
                if last.as_deref().and_then(date).is_none_or(|d| d < month_start) {
                    tracking_due.push(TrackingDue {
                        initiative_id: *id,
                        title: title.clone(),
                        lead_name: lead.clone(),
                        unit_name: unit_name.clone(),
                        last,
                    });
                }
            }
        }
        warnings.sort_by(|a, b| {
            b.level.cmp(&a.level).then(a.unit_name.cmp(&b.unit_name)).then(a.initiative_id.cmp(&b.initiative_id))
        });
        let mut units: BTreeMap<i64, UnitCounts> = BTreeMap::new();
        for w in &warnings {
            let c = units.entry(w.unit_id).or_insert_with(|| UnitCounts {
                unit_id: w.unit_id,
                unit_name: w.unit_name.clone(),
                red: 0,
                orange: 0,
                yellow: 0,
            });
            match w.level {
                WarningLevel::Red => c.red += 1,
                WarningLevel::Orange => c.orange += 1,
                WarningLevel::Yellow => c.yellow += 1,
            }
        }
        let mut units: Vec<UnitCounts> = units.into_values().collect();
        units.sort_by(|a, b| {
            (b.red, b.orange, b.yellow).cmp(&(a.red, a.orange, a.yellow)).then(a.unit_name.cmp(&b.unit_name))
        });
        // Cadres in scope (and below the chosen unit): their open rectifications and pending matters.
        let in_scope = "SELECT c.id, c.name, u.id, u.name FROM cadre c JOIN unit u ON u.id = c.unit_id
                        WHERE c.unit_id IN (SELECT id FROM temp.scope_unit)";
        let mut cadres: BTreeMap<i64, (String, String)> = BTreeMap::new();
        {
            let mut stmt = conn.prepare(in_scope)?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
            })?;
            for row in rows {
                let (id, name, unit_id, unit_name) = row?;
                if keep(unit_id) {
                    cadres.insert(id, (name, unit_name));
                }
            }
        }
        let mut overdue_rectifications = Vec::new();
        for n in crate::records::negatives::all(conn)? {
            let Some((name, unit_name)) = cadres.get(&n.fields.cadre_id) else { continue };
            if let Some((kind, deadline)) = n.fields.detail.open_deadline()
                && let Some(d) = date(&deadline)
                && d < today
            {
                overdue_rectifications.push(OverdueRectification {
                    cadre_id: n.fields.cadre_id,
                    cadre_name: name.clone(),
                    unit_name: unit_name.clone(),
                    kind: kind.to_owned(),
                    overdue_days: (today - d).num_days(),
                    deadline,
                });
            }
        }
        overdue_rectifications.sort_by_key(|r| std::cmp::Reverse(r.overdue_days));
        // Reports and 容错 cases are the discipline record: for the 档案管理员 who keeps it.
        let mut pending = Vec::new();
        if self.session().has(Role::Clerk) {
            for r in crate::records::reports::all(conn)? {
                if let Some((name, unit_name)) = cadres.get(&r.fields.cadre_id)
                    && r.finding.is_none()
                {
                    pending.push(PendingMatter {
                        cadre_id: r.fields.cadre_id,
                        cadre_name: name.clone(),
                        unit_name: unit_name.clone(),
                        kind: "举报核查".into(),
                        since: r.fields.received_on.clone(),
                    });
                }
            }
            for t in crate::records::tolerance::all(conn)? {
                if let Some((name, unit_name)) = cadres.get(&t.fields.cadre_id)
                    && t.fields.decision.is_none()
                {
                    pending.push(PendingMatter {
                        cadre_id: t.fields.cadre_id,
                        cadre_name: name.clone(),
                        unit_name: unit_name.clone(),
                        kind: "容错认定".into(),
                        since: String::new(),
                    });
                }
            }
        }
        Ok(ClerkDesk {
            as_of: today_text,
            rule: rules.describe(),
            warnings,
            awaiting_rating,
            tracking_due,
            overdue_rectifications,
            pending,
            units,
        })
    }
}
