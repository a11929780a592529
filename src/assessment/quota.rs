//! The 优秀 quota: per 考核单位 (the cadre's unit; an office counts with the unit
//! above it), small units pooled upwards, the best composites keep 优秀.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::scheme::Scheme;
use super::yearly::{CadreAssessment, QuotaPlace};
use crate::enums::{Grade, UnitKind};
use crate::records::units;

/// The quota scopes: every 考核单位 with fewer than `min` assessed cadres is pooled into the
/// 考核单位 above it (deepest first, repeatedly), as small units share their superior's quota.
/// Returns each unit's scope and, per scope, the smaller units pooled into it.
pub(super) fn quota_scopes(
    all: &[units::Unit],
    appraisal: &BTreeMap<i64, i64>,
    members: &[i64],
    min: usize,
) -> (BTreeMap<i64, i64>, BTreeMap<i64, Vec<i64>>) {
    let by_id: BTreeMap<i64, &units::Unit> = all.iter().map(|u| (u.id, u)).collect();
    let depth = |mut id: i64| {
        let mut d = 0;
        while let Some(p) = by_id.get(&id).and_then(|u| u.fields.parent_id) {
            id = p;
            d += 1;
            if d > 64 {
                break;
            }
        }
        d
    };
    let mut scope: BTreeMap<i64, i64> = appraisal.clone();
    let mut size: BTreeMap<i64, usize> = BTreeMap::new();
    for unit in members {
        *size.entry(appraisal.get(unit).copied().unwrap_or(*unit)).or_default() += 1;
    }
    let mut pooled: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    // Every 考核单位, also those without cadres of their own: a small unit pooled into
    // one (a township into an empty county) makes it a unit with cadres, which is
    // itself pooled further up if still small. Deepest first, so each unit is
    // looked at after everything below it has been pooled into it.
    let mut order: Vec<i64> =
        appraisal.values().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    order.sort_by_key(|u| (std::cmp::Reverse(depth(*u)), *u));
    for unit in order {
        let n = size.get(&unit).copied().unwrap_or(0);
        if n == 0 || n >= min {
            continue;
        }
        let Some(parent) = by_id.get(&unit).and_then(|u| u.fields.parent_id) else { continue };
        let target = appraisal.get(&parent).copied().unwrap_or(parent);
        let target = scope.get(&target).copied().unwrap_or(target);
        for s in scope.values_mut() {
            if *s == unit {
                *s = target;
            }
        }
        *size.entry(target).or_default() += n;
        size.insert(unit, 0);
        let moved = pooled.remove(&unit).unwrap_or_default();
        let entry = pooled.entry(target).or_default();
        entry.push(unit);
        entry.extend(moved);
        entry.sort_unstable();
    }
    (scope, pooled)
}

/// The 考核单位 of a unit: itself, or for an office (科室) the nearest unit above that is not one.
pub(super) fn appraisal_units(all: &[units::Unit]) -> BTreeMap<i64, i64> {
    let by_id: BTreeMap<i64, &units::Unit> = all.iter().map(|u| (u.id, u)).collect();
    all.iter()
        .map(|u| {
            let mut current = u;
            let mut hops = 0;
            while current.fields.kind == UnitKind::Office && hops < 64 {
                match current.fields.parent_id.and_then(|p| by_id.get(&p)) {
                    Some(parent) => current = parent,
                    None => break,
                }
                hops += 1;
            }
            (u.id, current.id)
        })
        .collect()
}

/// The quota line of one 考核单位.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuotaLine {
    pub appraisal_unit_id: i64,
    pub unit_name: String,
    /// Cadres assessed in the unit.
    pub assessed: usize,
    /// floor(assessed × quota).
    pub allowed: usize,
    /// Smaller units whose cadres are counted here (they share this quota).
    pub pooled: Vec<String>,
    /// Suggested 优秀 after the quota.
    pub excellent: usize,
    /// Would have been 优秀 by score, moved to 称职 by the quota.
    pub over_quota: usize,
}

/// Apply the 优秀 quota per 考核单位: the best composites keep 优秀 (ties by id).
pub fn apply_quota(
    all: &mut [CadreAssessment],
    scheme: &Scheme,
    unit_names: &BTreeMap<i64, String>,
    pooled: &BTreeMap<i64, Vec<i64>>,
) -> Vec<QuotaLine> {
    let quota = scheme.composite.excellent_quota;
    let mut by_unit: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, a) in all.iter().enumerate() {
        by_unit.entry(a.appraisal_unit_id).or_default().push(i);
    }
    let mut lines = Vec::new();
    for (unit, members) in by_unit {
        let assessed = members.len();
        let allowed = (assessed as f64 * quota + 1e-9).floor() as usize;
        let mut candidates: Vec<usize> =
            members.into_iter().filter(|&i| all[i].suggested.grade == Grade::Excellent).collect();
        candidates.sort_by(|&a, &b| {
            let (sa, sb) = (all[a].composite.value.unwrap_or(0.0), all[b].composite.value.unwrap_or(0.0));
            sb.total_cmp(&sa).then(all[a].cadre_id.cmp(&all[b].cadre_id))
        });
        let name = unit_names.get(&unit).cloned().unwrap_or_default();
        for (rank, &i) in candidates.iter().enumerate() {
            let a = &mut all[i];
            if rank < allowed {
                a.suggested.reasons.push(format!(
                    "{name}参加考核 {assessed} 人，优秀比例 {:.0}%，名额 {allowed} 名；本人按综合得分排第 {}，在名额内",
                    quota * 100.0,
                    rank + 1
                ));
            } else {
                a.suggested.grade = Grade::Competent;
                let why = format!(
                    "{name}参加考核 {assessed} 人，优秀比例 {:.0}%，名额 {allowed} 名；本人按综合得分排第 {}，超出名额，建议为「称职」",
                    quota * 100.0,
                    rank + 1
                );
                a.suggested.reasons.push(why.clone());
                a.suggested.adjustments.push(why);
                a.suggested.over_quota = Some(QuotaPlace {
                    rank: u32::try_from(rank + 1).unwrap_or(u32::MAX),
                    allowed: u32::try_from(allowed).unwrap_or(u32::MAX),
                });
            }
        }
        let over = candidates.len().saturating_sub(allowed);
        lines.push(QuotaLine {
            appraisal_unit_id: unit,
            unit_name: name,
            pooled: pooled
                .get(&unit)
                .map(|ids| ids.iter().filter_map(|i| unit_names.get(i).cloned()).collect())
                .unwrap_or_default(),
            assessed,
            allowed,
            excellent: candidates.len() - over,
            over_quota: over,
        });
    }
    lines
}
