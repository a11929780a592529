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

use crate::archive::Archive;
use crate::assessment::scheme::WarningRules;
use crate::enums::{RaterRole, Role, Stage};
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
    /// The longest a milestone or the plan's date is overdue (days; 0 when only due soon).
    pub overdue_days: i64,
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
    /// Items warned of, by level (all of them, whatever `warnings` shows).
    pub red: usize,
    pub orange: usize,
    pub yellow: usize,
    /// The worst first, at most [`SHOWN`] (of the level asked for, if any).
    pub warnings: Vec<ItemWarning>,
    pub awaiting_rating: Vec<AwaitingRating>,
    pub awaiting_rating_total: usize,
    pub tracking_due: Vec<TrackingDue>,
    pub tracking_due_total: usize,
    pub overdue_rectifications: Vec<OverdueRectification>,
    pub overdue_rectifications_total: usize,
    pub pending: Vec<PendingMatter>,
    pub pending_total: usize,
    /// Every unit with a warning, the most red first.
    pub units: Vec<UnitCounts>,
    /// How many rows each list shows at most (the totals say how many there are).
    pub shown: usize,
}

/// Rows a list of the desk shows at most: a province has hundreds of thousands
/// of open items; the counts cover all of them, the rows lead to the worst.
pub const SHOWN: usize = 200;

/// The level of an open milestone overdue by `days` (> 0).
fn overdue_level(rules: &WarningRules, days: i64) -> WarningLevel {
    if days > rules.orange_overdue_days {
        WarningLevel::Red
    } else if days > rules.yellow_overdue_days {
        WarningLevel::Orange
    } else {
        WarningLevel::Yellow
    }
}

/// What the milestones and the plan of one item say, as of `today`.
pub(crate) fn grade_item(
    rules: &WarningRules,
    today: NaiveDate,
    milestones: &[(String, NaiveDate, Option<NaiveDate>)],
    plan_deadline: Option<NaiveDate>,
    finished: bool,
) -> Option<(WarningLevel, Vec<String>, i64)> {
    let mut level: Option<WarningLevel> = None;
    let mut worst = 0;
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
                    worst = worst.max(overdue);
                    raise(overdue_level(rules, overdue), format!("节点「{name}」已逾期 {overdue} 天"), &mut level);
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
        worst = worst.max(days);
        raise(WarningLevel::Red, format!("已过计划完成日期 {deadline} {days} 天，仍未成事"), &mut level);
    }
    level.map(|l| (l, reasons, worst))
}

/// An open item in scope: its stage, lead, unit and plan's completion date
/// (names and titles are read only for the rows shown).
struct OpenItem {
    stage: Stage,
    cadre_id: i64,
    unit_id: i64,
    deadline: Option<NaiveDate>,
}

/// The level of an item from its milestones' aggregates: the most overdue open
/// milestone (negative: days until the nearest is due), the late ones, and the
/// plan's date — what [`grade_item`] says of the same item, without reading
/// every milestone.
fn grade_aggregate(
    rules: &WarningRules,
    today: NaiveDate,
    worst_open: Option<i64>,
    late: usize,
    deadline: Option<NaiveDate>,
    finished: bool,
) -> Option<(WarningLevel, i64)> {
    let mut level = None;
    let mut worst = 0;
    if let Some(w) = worst_open {
        if w > 0 {
            worst = w;
            level = Some(overdue_level(rules, w));
        } else if -w <= rules.due_soon_days {
            level = Some(WarningLevel::Yellow);
        }
    }
    if late >= rules.late_milestones_orange {
        level = Some(level.map_or(WarningLevel::Orange, |l: WarningLevel| l.max(WarningLevel::Orange)));
    }
    if let Some(d) = deadline
        && !finished
        && d < today
    {
        worst = worst.max((today - d).num_days());
        level = Some(WarningLevel::Red);
    }
    level.map(|l| (l, worst))
}

impl Archive {
    /// The 档案管理员's 工作台 as of today, within the user's scope, optionally one unit (and below).
    pub fn clerk_desk(&self, unit: Option<i64>, level: Option<WarningLevel>) -> Result<ClerkDesk> {
        self.require_role(&[Role::Clerk, Role::Appraisal, Role::SysAdmin], "查看工作台")?;
        if let Some(u) = unit {
            self.require_unit(u)?;
        }
        let today_text = self.today();
        let today = stored_date(&today_text).unwrap_or_default();
        let year = today.year();
        let rules = self.scheme(year)?.scheme.warnings;
        let conn = self.conn();
        let below: Option<std::collections::HashSet<i64>> =
            unit.map(|u| crate::records::units::subtree(conn, u).map(|ids| ids.into_iter().collect())).transpose()?;
        let keep = |unit_id: i64| below.as_ref().is_none_or(|b| b.contains(&unit_id));
        // The open items with a participant in scope, with their lead and plan deadline.
        // Items whose lead is in scope: what the user can act on (a shared item led
        // elsewhere is followed up by its lead's department).
        let scope = if self.session().all_units { "" } else { "AND c.unit_id IN (SELECT id FROM temp.scope_unit)" };
        let mut items: BTreeMap<i64, OpenItem> = BTreeMap::new();
        {
            let mut stmt = conn.prepare(&format!(
                "SELECT i.id, i.stage, lp.cadre_id, c.unit_id, p.deadline
                 FROM initiative i
                 JOIN participant lp ON lp.initiative_id = i.id AND lp.role = '牵头'
                 JOIN cadre c ON c.id = lp.cadre_id
                 LEFT JOIN plan p ON p.initiative_id = i.id
                 WHERE i.stopped_on IS NULL {scope}"
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    OpenItem {
                        stage: r.get(1)?,
                        cadre_id: r.get(2)?,
                        unit_id: r.get(3)?,
                        deadline: r.get::<_, Option<String>>(4)?.as_deref().and_then(stored_date),
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
        // The milestones that can warn (open, or done late), summed up per item in SQL.
        let mut marks: BTreeMap<i64, (Option<i64>, usize)> = BTreeMap::new();
        {
            let mut stmt = conn.prepare(
                "SELECT initiative_id,
                        max(CASE WHEN done_date IS NULL THEN CAST(julianday(?1) - julianday(due_date) AS INTEGER) END),
                        sum(CASE WHEN done_date IS NOT NULL OR due_date < ?1 THEN 1 ELSE 0 END)
                 FROM milestone WHERE done_date IS NULL OR done_date > due_date GROUP BY initiative_id",
            )?;
            let rows = stmt.query_map([&today_text], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, i64>(2)?))
            })?;
            for row in rows {
                let (id, worst, late) = row?;
                if items.contains_key(&id) {
                    marks.insert(id, (worst, usize::try_from(late).unwrap_or(0)));
                }
            }
        }
        // Who rated each item in 谋事, and when each in 干事 was last tracked (index seeks).
        let mut rated: BTreeMap<i64, Vec<RaterRole>> = BTreeMap::new();
        {
            let mut stmt = conn.prepare("SELECT initiative_id, rater_role FROM plan_rating")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, RaterRole>(1)?)))? {
                let (id, role) = row?;
                if items.get(&id).is_some_and(|i| i.stage == Stage::Plan) {
                    rated.entry(id).or_default().push(role);
                }
            }
        }
        let mut last_tracking = conn.prepare_cached("SELECT max(date) FROM tracking WHERE initiative_id = ?1")?;
        let month_start = NaiveDate::from_ymd_opt(year, today.month(), 1).unwrap_or(today);
        let mut graded: Vec<(WarningLevel, i64, i64)> = Vec::new();
        let mut awaiting: Vec<(i64, Vec<RaterRole>)> = Vec::new();
        let mut untracked: Vec<(i64, Option<String>)> = Vec::new();
        let mut units: BTreeMap<i64, UnitCounts> = BTreeMap::new();
        for (id, item) in &items {
            let (worst, late) = marks.get(id).copied().unwrap_or((None, 0));
            if let Some((l, days)) =
                grade_aggregate(&rules, today, worst, late, item.deadline, item.stage == Stage::Outcome)
            {
                graded.push((l, days, *id));
                let c = units.entry(item.unit_id).or_insert_with(|| UnitCounts {
                    unit_id: item.unit_id,
                    unit_name: String::new(),
                    red: 0,
                    orange: 0,
                    yellow: 0,
                });
                match l {
                    WarningLevel::Red => c.red += 1,
                    WarningLevel::Orange => c.orange += 1,
                    WarningLevel::Yellow => c.yellow += 1,
                }
            }
            if item.stage == Stage::Plan {
                let done = rated.get(id).map(Vec::as_slice).unwrap_or_default();
                let missing: Vec<RaterRole> = RaterRole::ALL.iter().copied().filter(|r| !done.contains(r)).collect();
                if !missing.is_empty() {
                    awaiting.push((*id, missing));
                }
            }
            if item.stage == Stage::Execution {
                let last: Option<String> = last_tracking.query_row([id], |r| r.get(0))?;
                if last.as_deref().and_then(stored_date).is_none_or(|d| d < month_start) {
                    untracked.push((*id, last));
                }
            }
        }
        let count = |l: WarningLevel| graded.iter().filter(|g| g.0 == l).count();
        let (red, orange, yellow) =
            (count(WarningLevel::Red), count(WarningLevel::Orange), count(WarningLevel::Yellow));
        // The worst first: level, then the longest overdue.
        graded.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        // The rows shown: names, titles and reasons read for them only.
        let mut about = conn.prepare_cached(
            "SELECT i.title, i.stage, c.name, u.name FROM initiative i
             JOIN participant lp ON lp.initiative_id = i.id AND lp.role = '牵头'
             JOIN cadre c ON c.id = lp.cadre_id JOIN unit u ON u.id = c.unit_id WHERE i.id = ?1",
        )?;
        let mut describe = |id: i64| -> Result<(String, String, String, String)> {
            Ok(about.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?)
        };
        let mut warnings = Vec::new();
        for (l, days, id) in graded.iter().filter(|g| level.is_none_or(|x| g.0 == x)).take(SHOWN) {
            let item = &items[id];
            let ms: Vec<(String, NaiveDate, Option<NaiveDate>)> = crate::records::plans::milestones(conn, *id)?
                .into_iter()
                .filter_map(|m| {
                    Some((
                        m.fields.name,
                        stored_date(&m.fields.due_date)?,
                        m.fields.done_date.as_deref().and_then(stored_date),
                    ))
                })
                .collect();
            let reasons = grade_item(&rules, today, &ms, item.deadline, item.stage == Stage::Outcome)
                .map(|(_, reasons, _)| reasons)
                .unwrap_or_default();
            let (title, stage, lead, unit_name) = describe(*id)?;
            warnings.push(ItemWarning {
                level: *l,
                initiative_id: *id,
                title,
                stage,
                lead_cadre_id: item.cadre_id,
                lead_name: lead,
                unit_id: item.unit_id,
                unit_name,
                reasons,
                overdue_days: *days,
            });
        }
        let mut awaiting_rating = Vec::new();
        for (id, missing) in awaiting.iter().take(SHOWN) {
            let (title, _, lead_name, unit_name) = describe(*id)?;
            awaiting_rating.push(AwaitingRating {
                initiative_id: *id,
                title,
                lead_name,
                unit_name,
                missing: missing.clone(),
            });
        }
        let mut tracking_due = Vec::new();
        for (id, last) in untracked.iter().take(SHOWN) {
            let (title, _, lead_name, unit_name) = describe(*id)?;
            tracking_due.push(TrackingDue { initiative_id: *id, title, lead_name, unit_name, last: last.clone() });
        }
        let (awaiting_total, untracked_total) = (awaiting.len(), untracked.len());
        let mut unit_name = conn.prepare_cached("SELECT name FROM unit WHERE id = ?1")?;
        for c in units.values_mut() {
            c.unit_name = unit_name.query_row([c.unit_id], |r| r.get(0))?;
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
                && let Some(d) = stored_date(&deadline)
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
        let (o, p) = (overdue_rectifications.len(), pending.len());
        overdue_rectifications.truncate(SHOWN);
        pending.truncate(SHOWN);
        Ok(ClerkDesk {
            as_of: today_text,
            rule: rules.describe(),
            red,
            orange,
            yellow,
            warnings,
            awaiting_rating,
            awaiting_rating_total: awaiting_total,
            tracking_due,
            tracking_due_total: untracked_total,
            overdue_rectifications,
            overdue_rectifications_total: o,
            pending,
            pending_total: p,
            units,
            shown: SHOWN,
        })
    }
}
