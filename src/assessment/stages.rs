//! Stage assessments of one initiative: 谋事 (看担当), 干事 (看进展), 成事 (看成效).
//! A stage not reached by the as-of date is "not yet assessed" (no value), never zero.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::asof::AsOf;
use super::explain::{Explanation, Source, src, weighted_mean};
use super::scheme::Scheme;
use crate::dossier::InitiativeRecord;
use crate::enums::{Achievement, ParticipantRole, RaterRole, RecognitionLevel, Stage, ToleranceDecision};
use crate::records::tolerance::ToleranceCase;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeAssessment {
    pub initiative_id: i64,
    pub title: String,
    pub role: ParticipantRole,
    /// The stage reached by the as-of date.
    pub stage: Stage,
    /// A granted fault-tolerance case (予以容错) covers this item.
    pub tolerated_by: Option<i64>,
    /// Reached 干事 by the as-of date and assessed in 干事 or 成事: the item shows
    /// work done, not only intentions (what 优秀 requires, `composite.excellentNeedsDelivery`).
    pub delivered: bool,
    pub plan: Explanation,
    pub execution: Explanation,
    pub outcome: Explanation,
    /// The item score: the stages' weighted mean.
    pub score: Explanation,
}

pub(crate) use crate::validate::stored_date as date;

fn on_or_before(s: &str, as_of: NaiveDate) -> bool {
    date(s).is_some_and(|d| d <= as_of)
}

/// Whether an item was finished (成事) or stopped before `day`: it then no longer
/// counts for a period starting on `day`.
pub fn ended_before(rec: &InitiativeRecord, day: NaiveDate) -> bool {
    let before = |s: &str| date(s).is_some_and(|d| d < day);
    rec.initiative.stopped_on.as_deref().is_some_and(before)
        || rec.transitions.iter().any(|t| t.to_stage == Stage::Outcome && before(&t.date))
}

/// The stage an item had reached on `as_of`, from its transitions.
pub fn stage_on(rec: &InitiativeRecord, as_of: NaiveDate) -> Option<Stage> {
    rec.transitions.iter().filter(|t| on_or_before(&t.date, as_of)).map(|t| t.to_stage).max()
}

/// The granted tolerance case that covers this initiative for `cadre_id`, if any.
///
/// 容错 is a decision about the item (the seeds: 不做负面评价 of a reform that fell
/// short), so a case granted for any cadre taking part covers every participant,
/// unless a case of that participant's own about the item was decided 不予容错.
/// A decision counts by the as-of date's rule for decisions ([`AsOf::decision`]):
/// by default whenever it was taken (a shortfall of 2025 tolerated in 2026 no
/// longer counts when 2025 is assessed again); with an explicit as-of date, only
/// if taken by then. `cases` are ordered by id; the first granted one is named.
pub fn tolerance_for(
    cases: &[ToleranceCase],
    initiative_id: i64,
    cadre_id: i64,
    as_of: AsOf,
) -> Option<&ToleranceCase> {
    let on_item = |c: &&ToleranceCase| {
        c.fields.initiative_id == Some(initiative_id) && as_of.decided(c.fields.decided_on.as_deref())
    };
    let refused = cases
        .iter()
        .filter(on_item)
        .any(|c| c.fields.cadre_id == cadre_id && c.fields.decision == Some(ToleranceDecision::NotTolerated));
    if refused {
        return None;
    }
    cases.iter().filter(on_item).find(|c| c.fields.decision == Some(ToleranceDecision::Tolerated))
}

/// The last day the item's schedule runs: the as-of date, or the day it was
/// stopped (中止) if that was earlier — nothing falls due after an item stopped.
fn schedule_end(rec: &InitiativeRecord, as_of: AsOf) -> NaiveDate {
    rec.initiative.stopped_on.as_deref().and_then(date).map_or(as_of.date, |d| d.min(as_of.date))
}

/// A stage due on `day` has fallen due: the day has passed (is before the as-of
/// date) while the item was still running (before it was stopped).
fn fell_due(rec: &InitiativeRecord, as_of: AsOf, day: NaiveDate) -> bool {
    day < as_of.date && rec.initiative.stopped_on.as_deref().and_then(date).is_none_or(|stop| day < stop)
}

/// When the plan says 干事 should have begun: the first milestone's due date, or
/// the plan's 什么时间干成 if earlier (or if there are no milestones).
fn execution_due(rec: &InitiativeRecord) -> Option<(NaiveDate, String)> {
    let first = rec
        .milestones
        .iter()
        .filter_map(|m| date(&m.fields.due_date).map(|d| (d, format!("首个时间节点「{}」{d} 到期", m.fields.name))))
        .min_by_key(|(d, _)| *d);
    let deadline = outcome_due(rec).map(|d| (d, format!("计划 {d} 干成")));
    match (first, deadline) {
        (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The plan's 什么时间干成: by then the item should show its outcome.
fn outcome_due(rec: &InitiativeRecord) -> Option<NaiveDate> {
    rec.plan.as_ref().and_then(|p| p.deadline.as_deref()).and_then(date)
}

fn plan_stage(rec: &InitiativeRecord, s: &Scheme, as_of: AsOf) -> Explanation {
    let p = &s.plan;
    let dims = p.innovation_weight + p.challenge_weight + p.difficulty_weight;
    if dims <= 0.0 || !dims.is_finite() {
        return Explanation::new("谋事·看担当", None, "考核方案中创新性、挑战性、攻坚性权重均为 0，无法计算，未评");
    }
    let mut children = Vec::new();
    let mut parts = Vec::new();
    // A rating given after the as-of date was not there yet.
    for r in rec.ratings.iter().filter(|r| as_of.record(&r.fields.rated_on)) {
        let f = &r.fields;
        let raw = (p.innovation_weight * (f.innovation - 1) as f64
            + p.challenge_weight * (f.challenge - 1) as f64
            + p.difficulty_weight * (f.difficulty - 1) as f64)
            / (dims * 4.0)
            * 100.0;
        let weight = match f.rater_role {
            RaterRole::OrgDept => p.org_dept_weight,
            RaterRole::UnitLeader => p.unit_leader_weight,
        };
        parts.push((weight, Some(raw)));
        children.push(
            Explanation::new(
                format!("{}评价（{}）", f.rater_role, f.rater_name),
                Some(raw),
                format!(
                    "{} 评价：创新性 {}×{} + 挑战性 {}×{} + 攻坚性 {}×{}，1–5 分按 (分−1)/4 折合百分制；权重 {weight}",
                    f.rated_on,
                    f.innovation,
                    p.innovation_weight,
                    f.challenge,
                    p.challenge_weight,
                    f.difficulty,
                    p.difficulty_weight
                ),
            )
            .with_sources(vec![src("plan_rating", r.id)]),
        );
    }
    let value = weighted_mean(&parts);
    let rule = if value.is_some() { "两方评价按权重加权平均" } else { "尚无谋事评价，未评" };
    Explanation::new("谋事·看担当", value, rule).with_children(children)
}

fn execution_stage(
    rec: &InitiativeRecord,
    s: &Scheme,
    as_of: AsOf,
    reached: bool,
    tolerated: Option<i64>,
) -> Explanation {
    if !reached {
        return execution_not_reached(rec, as_of, tolerated);
    }
    // Milestones fall due, and open ones run overdue, until the as-of date or until the item was stopped.
    let until = schedule_end(rec, as_of);
    let as_of = as_of.date;
    let e = &s.execution;
    let mut children = Vec::new();
    // Milestone adherence and overdue days.
    let due: Vec<_> = rec.milestones.iter().filter(|m| on_or_before(&m.fields.due_date, until)).collect();
    let mut on_time = 0usize;
    let mut overdue_days = 0i64;
    let mut milestone_sources = Vec::new();
    for m in &due {
        milestone_sources.push(src("milestone", m.id));
        let due_date = date(&m.fields.due_date).unwrap_or(as_of);
        match m.fields.done_date.as_deref().and_then(date).filter(|d| *d <= as_of) {
            Some(done) if done <= due_date => on_time += 1,
            Some(done) => overdue_days += (done - due_date).num_days(),
            None => overdue_days += (until - due_date).num_days().max(0),
        }
    }
    let adherence = (!due.is_empty()).then(|| on_time as f64 / due.len() as f64 * 100.0);
    children.push(
        Explanation::new(
            "时间节点按期率",
            adherence,
            if due.is_empty() {
                "截至统计日尚无到期节点，不计".to_owned()
            } else {
                format!("到期节点 {} 个，按期完成 {on_time} 个；权重 {}", due.len(), e.adherence_weight)
            },
        )
        .with_sources(milestone_sources.clone()),
    );
    let tracks: Vec<_> = rec.tracking.iter().filter(|t| on_or_before(&t.fields.date, as_of)).collect();
    let tracking = (!tracks.is_empty())
        .then(|| tracks.iter().map(|t| (t.fields.rating - 1) as f64 / 4.0 * 100.0).sum::<f64>() / tracks.len() as f64);
    children.push(
        Explanation::new(
            "跟踪考评",
            tracking,
            if tracks.is_empty() {
                "尚无跟踪考评记录，不计".to_owned()
            } else {
                format!("{} 次跟踪评价的平均分，1–5 分按 (分−1)/4 折合百分制；权重 {}", tracks.len(), e.tracking_weight)
            },
        )
        .with_sources(tracks.iter().map(|t| src("tracking", t.id)).collect()),
    );
    let base = weighted_mean(&[(e.adherence_weight, adherence), (e.tracking_weight, tracking)]);
    let raw_penalty = (overdue_days as f64 * e.overdue_penalty_per_day).min(e.overdue_penalty_cap);
    let penalty = if tolerated.is_some() { 0.0 } else { raw_penalty };
    let penalty_rule = match tolerated {
        Some(case) if raw_penalty > 0.0 => {
            format!("逾期共 {overdue_days} 天；经容错案例 #{case} 予以容错，不做负面评价，不扣分")
        }
        _ => format!(
            "逾期共 {overdue_days} 天 × {} 分/天，最多扣 {} 分",
            e.overdue_penalty_per_day, e.overdue_penalty_cap
        ),
    };
    let mut penalty_node = Explanation::new("逾期扣分", Some(-penalty), penalty_rule).with_sources(milestone_sources);
    if let Some(case) = tolerated {
        penalty_node.sources.push(src("tolerance_case", case));
    }
    children.push(penalty_node);
    let conduct: Vec<_> = tracks.iter().filter(|t| t.fields.conduct_tag.is_some()).collect();
    let bonus = (conduct.len() as f64 * e.conduct_bonus).min(e.conduct_bonus_cap);
    children.push(
        Explanation::new(
            "重点工作、急难险重任务、关键时刻表现",
            Some(bonus),
            format!("{} 条表现记录 × {} 分，最多加 {} 分", conduct.len(), e.conduct_bonus, e.conduct_bonus_cap),
        )
        .with_sources(conduct.iter().map(|t| src("tracking", t.id)).collect()),
    );
    let value = base.map(|b| (b - penalty + bonus).clamp(0.0, 100.0));
    let rule = if value.is_some() {
        "按期率与跟踪考评加权平均，减逾期扣分，加表现加分，限 0–100"
    } else {
        "尚无到期节点和跟踪考评，未评"
    };
    Explanation::new("干事·看进展", value, rule).with_children(children)
}

/// A stage due by the plan and not reached: `value` (counted as not achieved), or
/// set aside when a 容错 decision covers the item. `what` says what fell due.
fn due_not_reached(
    label: &str,
    what: String,
    value: f64,
    counted: &str,
    mut sources: Vec<Source>,
    tolerated: Option<i64>,
) -> Explanation {
    match tolerated {
        Some(case) => {
            sources.push(src("tolerance_case", case));
            Explanation::new(
                label,
                None,
                format!("{what}；经容错案例 #{case} 予以容错，不做负面评价：本阶段不单独计分（事项得分见其说明）"),
            )
            .with_sources(sources)
        }
        None => Explanation::new(label, Some(value), format!("{what}：{counted}")).with_sources(sources),
    }
}

/// 干事 not reached by the as-of date: not yet due by the plan (not assessed), or
/// due and not begun — it then counts as not achieved (0), unless tolerated.
fn execution_not_reached(rec: &InitiativeRecord, as_of: AsOf, tolerated: Option<i64>) -> Explanation {
    let label = "干事·看进展";
    let due = execution_due(rec).filter(|(d, _)| fell_due(rec, as_of, *d));
    let Some((day, why)) = due else {
        return Explanation::new(label, None, "尚未进入干事阶段，按计划尚未到期，未评");
    };
    let mut sources = vec![src("plan", rec.initiative.id)];
    sources.extend(rec.milestones.iter().map(|m| src("milestone", m.id)));
    let what = format!("按计划应于 {day} 前开始实施（{why}），截至统计日仍未进入干事阶段");
    due_not_reached(label, what, 0.0, "应干未干，按未实现计 0 分", sources, tolerated)
}

/// 成事 without an outcome by the as-of date: not yet due (not assessed), or due
/// by the plan's 什么时间干成 — it then counts as 未实现, unless tolerated.
fn outcome_not_recorded(rec: &InitiativeRecord, s: &Scheme, as_of: AsOf, tolerated: Option<i64>) -> Explanation {
    let label = "成事·看成效";
    let Some(day) = outcome_due(rec).filter(|d| fell_due(rec, as_of, *d)) else {
        return Explanation::new(label, None, "尚未记录成效，按计划尚未到期，未评");
    };
    let what = format!("计划 {day} 干成（什么时间干成），截至统计日未记录成效");
    let counted = format!("到期未成，按「未实现」计 {} 分", s.outcome.not_achieved);
    due_not_reached(label, what, s.outcome.not_achieved, &counted, vec![src("plan", rec.initiative.id)], tolerated)
}

fn outcome_stage(rec: &InitiativeRecord, s: &Scheme, as_of: AsOf, tolerated: Option<i64>) -> Explanation {
    let Some(outcome) = rec.outcome.as_ref().filter(|o| as_of.record(&o.recorded_on)) else {
        return outcome_not_recorded(rec, s, as_of, tolerated);
    };
    let as_of = as_of.date;
    let o = &s.outcome;
    let id = rec.initiative.id;
    let base = match outcome.achievement {
        Achievement::Full => o.full,
        Achievement::Basic => o.basic,
        Achievement::Partial => o.partial,
        Achievement::NotAchieved => o.not_achieved,
    };
    let recognitions: Vec<_> = rec.recognitions.iter().filter(|r| on_or_before(&r.fields.date, as_of)).collect();
    let bonus: f64 = recognitions
        .iter()
        .map(|r| match r.fields.level {
            RecognitionLevel::National => o.national_bonus,
            RecognitionLevel::Provincial => o.provincial_bonus,
            RecognitionLevel::Municipal => o.municipal_bonus,
            RecognitionLevel::County => o.county_bonus,
        })
        .sum::<f64>()
        .min(o.recognition_cap);
    let metrics: Vec<String> = outcome.metrics.iter().map(|m| format!("{} {} {}", m.name, m.value, m.unit)).collect();
    let achievement_node = Explanation::new(
        format!("实现程度：{}", outcome.achievement),
        Some(base),
        format!(
            "完全实现 {}、基本实现 {}、部分实现 {}、未实现 {}{}",
            o.full,
            o.basic,
            o.partial,
            o.not_achieved,
            if metrics.is_empty() { String::new() } else { format!("；量化成果：{}", metrics.join("，")) }
        ),
    )
    .with_sources(vec![src("outcome", id)]);
    let recognition_node = Explanation::new(
        "认可加分",
        Some(bonus),
        format!(
            "国家级 {}、省级 {}、市级 {}、县级 {} 分/项，最多 {} 分",
            o.national_bonus, o.provincial_bonus, o.municipal_bonus, o.county_bonus, o.recognition_cap
        ),
    )
    .with_sources(recognitions.iter().map(|r| src("recognition", r.id)).collect());
    let shortfall = matches!(outcome.achievement, Achievement::Partial | Achievement::NotAchieved);
    if let (Some(case), true) = (tolerated, shortfall) {
        return Explanation::new(
            "成事·看成效",
            None,
            format!(
                "{}，经容错案例 #{case} 予以容错：不做负面评价，本阶段不单独计分（事项得分见其说明）",
                outcome.achievement
            ),
        )
        .with_sources(vec![src("tolerance_case", case)])
        .with_children(vec![achievement_node, recognition_node]);
    }
    Explanation::new("成事·看成效", Some((base + bonus).min(100.0)), "实现程度基础分加认可加分，最高 100")
        .with_children(vec![achievement_node, recognition_node])
}

/// Assess one initiative as of `as_of` for the cadre `cadre_id` taking part with
/// `role`; `None` when it had not started by then. `cases` are the 容错 cases that
/// may cover it (see [`tolerance_for`]).
pub fn assess(
    rec: &InitiativeRecord,
    role: ParticipantRole,
    cadre_id: i64,
    cases: &[ToleranceCase],
    scheme: &Scheme,
    as_of: AsOf,
) -> Option<InitiativeAssessment> {
    let stage = stage_on(rec, as_of.date)?;
    let tolerated = tolerance_for(cases, rec.initiative.id, cadre_id, as_of).map(|c| c.id);
    let plan = plan_stage(rec, scheme, as_of);
    let reached = stage >= Stage::Execution;
    let execution = execution_stage(rec, scheme, as_of, reached, tolerated);
    let outcome = outcome_stage(rec, scheme, as_of, tolerated);
    let w = &scheme.stage_weights;
    let mean = |e: &Explanation, o: &Explanation| {
        weighted_mean(&[(w.plan, plan.value), (w.execution, e.value), (w.outcome, o.value)])
    };
    let mut value = mean(&execution, &outcome);
    let mut rule = format!(
        "已评阶段按权重加权平均（谋事 {}、干事 {}、成事 {}）；按计划尚未到期的阶段不计入，到期未达到的按未实现计",
        w.plan, w.execution, w.outcome
    );
    // 不做负面评价: setting the shortfall aside must never lower the item (when the
    // other stages score below the shortfall, counting it is no negative evaluation).
    if let Some(case) = tolerated {
        let counted =
            mean(&execution_stage(rec, scheme, as_of, reached, None), &outcome_stage(rec, scheme, as_of, None));
        if counted.unwrap_or(f64::MIN) > value.unwrap_or(f64::MIN) {
            rule = format!(
                "{rule}；经容错案例 #{case} 予以容错：取计入与不计入短板两种算法中较高者，计入时更高（{:.2}），不构成负面评价",
                counted.unwrap_or_default()
            );
            value = counted;
        } else {
            rule =
                format!("{rule}；经容错案例 #{case} 予以容错：取计入与不计入短板两种算法中较高者，不计入时更高或相同");
        }
    }
    let score = Explanation::new("事项得分", value, rule).with_sources(vec![src("initiative", rec.initiative.id)]);
    Some(InitiativeAssessment {
        initiative_id: rec.initiative.id,
        title: rec.initiative.fields.title.clone(),
        role,
        stage,
        tolerated_by: tolerated,
        // Work shown, not a shortfall counted: 干事 assessed from its records, or an outcome recorded.
        delivered: reached
            && (execution.value.is_some() || rec.outcome.as_ref().is_some_and(|o| as_of.record(&o.recorded_on))),
        plan,
        execution,
        outcome,
        score,
    })
}
