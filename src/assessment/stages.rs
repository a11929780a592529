//! Stage assessments of one initiative: 谋事 (看担当), 干事 (看进展), 成事 (看成效).
//! A stage not reached by the as-of date is "not yet assessed" (no value), never zero.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::explain::{Explanation, src, weighted_mean};
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
    pub plan: Explanation,
    pub execution: Explanation,
    pub outcome: Explanation,
    /// The item score: the stages' weighted mean.
    pub score: Explanation,
}

/// A stored date. The rules read millions of them in a year-end run, so the
/// usual `YYYY-MM-DD` is read digit by digit (chrono re-parses its format string
/// on every call); anything else goes to chrono, which decides as before.
pub(crate) fn date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

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

/// The granted tolerance case that covers this initiative, if any. A decision
/// protects the records it covers whenever it was taken (a shortfall of 2025
/// tolerated in 2026 no longer counts when 2025 is assessed again).
pub fn tolerance_for(cases: &[ToleranceCase], initiative_id: i64) -> Option<&ToleranceCase> {
    cases.iter().find(|c| {
        c.fields.initiative_id == Some(initiative_id) && c.fields.decision == Some(ToleranceDecision::Tolerated)
    })
}

fn plan_stage(rec: &InitiativeRecord, s: &Scheme) -> Explanation {
    let p = &s.plan;
    let dims = p.innovation_weight + p.challenge_weight + p.difficulty_weight;
    let mut children = Vec::new();
    let mut parts = Vec::new();
    for r in &rec.ratings {
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
                    "创新性 {}×{} + 挑战性 {}×{} + 攻坚性 {}×{}，1–5 分按 (分−1)/4 折合百分制；权重 {weight}",
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
    as_of: NaiveDate,
    reached: bool,
    tolerated: Option<i64>,
) -> Explanation {
    if !reached {
        return Explanation::new("干事·看进展", None, "尚未进入干事阶段，未评");
    }
    let e = &s.execution;
    let mut children = Vec::new();
    // Milestone adherence and overdue days.
    let due: Vec<_> = rec.milestones.iter().filter(|m| on_or_before(&m.fields.due_date, as_of)).collect();
    let mut on_time = 0usize;
    let mut overdue_days = 0i64;
    let mut milestone_sources = Vec::new();
    for m in &due {
        milestone_sources.push(src("milestone", m.id));
        let due_date = date(&m.fields.due_date).unwrap_or(as_of);
        match m.fields.done_date.as_deref().and_then(date).filter(|d| *d <= as_of) {
            Some(done) if done <= due_date => on_time += 1,
            Some(done) => overdue_days += (done - due_date).num_days(),
            None => overdue_days += (as_of - due_date).num_days().max(0),
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

fn outcome_stage(rec: &InitiativeRecord, s: &Scheme, as_of: NaiveDate, tolerated: Option<i64>) -> Explanation {
    let Some(outcome) = rec.outcome.as_ref().filter(|o| on_or_before(&o.recorded_on, as_of)) else {
        return Explanation::new("成事·看成效", None, "尚未记录成效，未评");
    };
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
            format!("{}，经容错案例 #{case} 予以容错：不做负面评价，本阶段不计入", outcome.achievement),
        )
        .with_sources(vec![src("tolerance_case", case)])
        .with_children(vec![achievement_node, recognition_node]);
    }
    Explanation::new("成事·看成效", Some((base + bonus).min(100.0)), "实现程度基础分加认可加分，最高 100")
        .with_children(vec![achievement_node, recognition_node])
}

/// Assess one initiative as of `as_of`; `None` when it had not started by then.
pub fn assess(
    rec: &InitiativeRecord,
    role: ParticipantRole,
    cases: &[ToleranceCase],
    scheme: &Scheme,
    as_of: NaiveDate,
) -> Option<InitiativeAssessment> {
    let stage = stage_on(rec, as_of)?;
    let tolerated = tolerance_for(cases, rec.initiative.id).map(|c| c.id);
    let plan = plan_stage(rec, scheme);
    let execution = execution_stage(rec, scheme, as_of, stage >= Stage::Execution, tolerated);
    let outcome = outcome_stage(rec, scheme, as_of, tolerated);
    let w = &scheme.stage_weights;
    let value = weighted_mean(&[(w.plan, plan.value), (w.execution, execution.value), (w.outcome, outcome.value)]);
    let score = Explanation::new(
        "事项得分",
        value,
        format!("已评阶段按权重加权平均（谋事 {}、干事 {}、成事 {}），未评阶段不计入", w.plan, w.execution, w.outcome),
    )
    .with_sources(vec![src("initiative", rec.initiative.id)]);
    Some(InitiativeAssessment {
        initiative_id: rec.initiative.id,
        title: rec.initiative.fields.title.clone(),
        role,
        stage,
        tolerated_by: tolerated,
        plan,
        execution,
        outcome,
        score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for s in [
            "2024-02-29",
            "2023-02-29",
            "2024-12-31",
            "2024-13-01",
            "2024-00-10",
            "0999-01-01",
            "2024-1-05",
            "2024-01-5",
            " 2024-01-05",
            "2024/01/05",
            "2024-01-0a",
            "",
            "20240105",
            "2024-01-05x",
            "+2024-01-05",
        ] {
            assert_eq!(date(s), NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(), "{s:?}");
        }
    }
}
