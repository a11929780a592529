//! Calibration of the 谋事 raters: for each rater group (组织部门 / 主要负责同志)
//! and each unit, how its 创新性 / 挑战性 / 攻坚性 ratings compare with the same
//! group's ratings of the same kinds of item in the other units — mean, spread,
//! share of 5s — flagged 偏松 or 偏严 beyond a threshold. A flag is shown to the
//! 考核办; it is never applied to a score.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::Archive;
use crate::enums::{Category, RaterRole, Role};
use crate::error::Result;

/// A group's mean differs from the others' on the same kinds of item by at least this (1–5 scale) …
pub const FLAG_DELTA: f64 = 0.5;
/// … over at least this many ratings.
pub const FLAG_MIN_RATINGS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RaterCalibration {
    pub rater_role: RaterRole,
    /// The unit of the items' leads.
    pub unit_id: i64,
    pub unit_name: String,
    pub ratings: usize,
    /// Mean of the three scores, 1–5.
    pub mean: f64,
    /// Standard deviation of the three-score means.
    pub spread: f64,
    /// Share of single scores that are 5.
    pub share_of_fives: f64,
    /// The other units' mean for the same group on the same categories (weighted like this unit's).
    pub others_mean: Option<f64>,
    /// 偏松 / 偏严 / empty.
    pub flag: String,
    /// The flag's reason in words.
    pub reason: String,
    /// The rated items, to click through.
    pub initiative_ids: Vec<i64>,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

impl Archive {
    /// Every rater group's calibration per unit, for the ratings of `year` (by rating date).
    pub fn rater_calibration(&self, year: i32) -> Result<Vec<RaterCalibration>> {
        self.require_role(&[Role::Appraisal, Role::Clerk, Role::SysAdmin], "查看评价尺度")?;
        let conn = self.conn();
        // (role, unit) → ratings as (category, mean of the three, the three, initiative)
        type Row = (Category, f64, [i64; 3], i64);
        let mut by: BTreeMap<(RaterRole, i64), (String, Vec<Row>)> = BTreeMap::new();
        // Every unit's ratings make the others' baseline, so a unit's flag is the
        // same whoever asks (the same archive gives the same result); only the
        // rows of units in the reader's scope are listed.
        let mut in_scope = std::collections::BTreeSet::new();
        let mut stmt = conn.prepare(
            "SELECT r.rater_role, u.id, u.name, i.category, r.innovation, r.challenge, r.difficulty, i.id,
                    c.unit_id IN (SELECT id FROM temp.scope_unit)
             FROM plan_rating r
             JOIN initiative i ON i.id = r.initiative_id
             JOIN participant lp ON lp.initiative_id = i.id AND lp.role = '牵头'
             JOIN cadre c ON c.id = lp.cadre_id
             JOIN unit u ON u.id = c.unit_id
             WHERE substr(r.rated_on, 1, 4) = ?1
             ORDER BY r.id",
        )?;
        let rows = stmt.query_map([year.to_string()], |r| {
            let scores = [r.get::<_, i64>(4)?, r.get::<_, i64>(5)?, r.get::<_, i64>(6)?];
            Ok((
                r.get::<_, RaterRole>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Category>(3)?,
                scores,
                r.get::<_, i64>(7)?,
                r.get::<_, bool>(8)?,
            ))
        })?;
        for row in rows {
            let (role, unit, name, category, scores, item, visible) = row?;
            if visible {
                in_scope.insert(unit);
            }
            let mean = scores.iter().sum::<i64>() as f64 / 3.0;
            by.entry((role, unit)).or_insert_with(|| (name, Vec::new())).1.push((category, mean, scores, item));
        }
        let mut out = Vec::new();
        for ((role, unit), (unit_name, rows)) in by.iter().filter(|((_, u), _)| in_scope.contains(u)) {
            let n = rows.len();
            let mean = rows.iter().map(|r| r.1).sum::<f64>() / n as f64;
            let spread = (rows.iter().map(|r| (r.1 - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
            let fives = rows.iter().flat_map(|r| r.2).filter(|s| *s == 5).count() as f64 / (3 * n) as f64;
            // The others: the same group in every other unit, per category, weighted by this unit's mix.
            let mut weighted = 0.0;
            let mut weight = 0.0;
            for category in Category::ALL {
                let here = rows.iter().filter(|r| r.0 == *category).count();
                if here == 0 {
                    continue;
                }
                let others: Vec<f64> = by
                    .iter()
                    .filter(|((r, u), _)| r == role && u != unit)
                    .flat_map(|(_, (_, rs))| rs.iter().filter(|r| r.0 == *category).map(|r| r.1))
                    .collect();
                if !others.is_empty() {
                    weighted += here as f64 * others.iter().sum::<f64>() / others.len() as f64;
                    weight += here as f64;
                }
            }
            let others_mean = (weight > 0.0).then(|| weighted / weight);
            let (flag, reason) = match others_mean {
                Some(o) if n >= FLAG_MIN_RATINGS && mean - o >= FLAG_DELTA => (
                    "偏松",
                    format!("{n} 次评价平均 {mean:.2} 分，高于其他单位同类事项的 {o:.2} 分（差 ≥ {FLAG_DELTA}）"),
                ),
                Some(o) if n >= FLAG_MIN_RATINGS && o - mean >= FLAG_DELTA => (
                    "偏严",
                    format!("{n} 次评价平均 {mean:.2} 分，低于其他单位同类事项的 {o:.2} 分（差 ≥ {FLAG_DELTA}）"),
                ),
                Some(o) => ("", format!("{n} 次评价平均 {mean:.2} 分，其他单位同类事项 {o:.2} 分")),
                None => ("", format!("{n} 次评价平均 {mean:.2} 分，其他单位没有同类事项可比")),
            };
            let mut items: Vec<i64> = rows.iter().map(|r| r.3).collect();
            items.sort_unstable();
            items.dedup();
            out.push(RaterCalibration {
                rater_role: *role,
                unit_id: *unit,
                unit_name: unit_name.clone(),
                ratings: n,
                mean: round2(mean),
                spread: round2(spread),
                share_of_fives: round2(fives),
                others_mean: others_mean.map(round2),
                flag: flag.to_owned(),
                reason,
                initiative_ids: items,
            });
        }
        // Flagged first, then by group and unit.
        out.sort_by(|a, b| {
            a.flag
                .is_empty()
                .cmp(&b.flag.is_empty())
                .then(a.rater_role.cmp(&b.rater_role))
                .then(a.unit_name.cmp(&b.unit_name))
        });
        Ok(out)
    }
}
