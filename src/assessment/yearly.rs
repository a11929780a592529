//! The yearly composite and suggested grade of each cadre, with the 优秀 quota
//! applied per 考核单位 (the cadre's unit, offices counted with their department).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::explain::{Explanation, round2, src, weighted_mean};
use super::facts::Facts;
use super::grades::FinalGrade;
use super::scheme::Scheme;
use super::stages::{self, InitiativeAssessment, date};
use crate::dossier::InitiativeRecord;
use crate::enums::{EvaluationKind, Grade, ParticipantRole, RaterGroup, ToleranceDecision};
use crate::records::negatives::{Negative, NegativeDetail};

/// A decision that changed what counts (shown with its reason).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DecisionNote {
    /// 澄清正名 / 保护条款 / 容错免责.
    pub kind: String,
    pub source: super::explain::Source,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GradeSuggestion {
    pub grade: Grade,
    /// Why: thresholds, caps, quota, or what makes a grade premature.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CadreAssessment {
    pub cadre_id: i64,
    pub name: String,
    pub post: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// The unit whose 优秀 quota applies.
    pub appraisal_unit_id: i64,
    pub initiatives: Vec<InitiativeAssessment>,
    pub achievement: Explanation,
    pub official: Explanation,
    pub public: Explanation,
    pub deductions: Explanation,
    pub composite: Explanation,
    pub suggested: GradeSuggestion,
    pub final_grade: Option<FinalGrade>,
    pub decisions: Vec<DecisionNote>,
}

impl CadreAssessment {
    /// Keep each number with its rule but drop the trees below it and the
    /// per-initiative assessments (a year-end list; see `AssessmentReport::explained`).
    pub fn cut_explanations(&mut self) {
        self.initiatives = Vec::new();
        for e in
            [&mut self.achievement, &mut self.official, &mut self.public, &mut self.deductions, &mut self.composite]
        {
            e.children = Vec::new();
            e.sources = Vec::new();
        }
    }
}

fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default()
}

/// Finished or stopped before `year` began: the item belongs to earlier years.
pub fn ended_before_year(rec: &InitiativeRecord, year: i32) -> bool {
    stages::ended_before(rec, year_start(year))
}

/// One initiative a cadre took part in, as the yearly composite reads it. A
/// year-end run assesses each initiative once and hands every cadre taking part
/// an `Item`; `detail` is kept only when the run keeps explanations.
#[derive(Debug, Clone)]
pub struct Item {
    pub role: ParticipantRole,
    /// The item score (the assessment's `score.value`).
    pub score: Option<f64>,
    /// Finished or stopped before the year began: it belongs to earlier years.
    pub ended_before_year: bool,
    /// The granted tolerance case covering it, and the initiative's title (for the decision note).
    pub tolerated: Option<Box<(i64, String)>>,
    /// The whole assessment, with its stages' explanations.
    pub detail: Option<Box<InitiativeAssessment>>,
}

impl Item {
    /// `a` as taken part in with `role` (`a` may have been assessed for another taker).
    pub fn of(a: &InitiativeAssessment, role: ParticipantRole, ended_before_year: bool, explained: bool) -> Item {
        Item {
            role,
            score: a.score.value,
            ended_before_year,
            tolerated: a.tolerated_by.map(|c| Box::new((c, a.title.clone()))),
            detail: explained.then(|| Box::new(InitiativeAssessment { role, ..a.clone() })),
        }
    }
}

/// The items of a cadre's initiatives (each with its stage assessments and explanations).
pub fn items(facts: &Facts, scheme: &Scheme, year: i32, as_of: NaiveDate) -> Vec<Item> {
    facts
        .initiatives
        .iter()
        .filter_map(|(role, rec)| {
            let a = stages::assess(rec, *role, &facts.tolerance, scheme, as_of)?;
            Some(Item::of(&a, *role, ended_before_year(rec, year), true))
        })
        .collect()
}

fn achievement_part(items: Vec<Item>, scheme: &Scheme) -> (Vec<InitiativeAssessment>, Explanation) {
    let c = &scheme.composite;
    let mut kept = Vec::new();
    let mut parts = Vec::new();
    let mut children = Vec::new();
    // Items finished or stopped before the year began belong to earlier years.
    for item in items.into_iter().filter(|i| !i.ended_before_year) {
        let weight = match item.role {
            ParticipantRole::Lead => c.lead_weight,
            ParticipantRole::Member => c.member_weight,
        };
        parts.push((weight, item.score));
        if let Some(a) = item.detail {
            children.push(
                Explanation::new(
                    format!("{}（{}）", a.title, a.role),
                    a.score.value,
                    format!("{}；{}权重 {weight}", a.score.rule, a.role),
                )
                .with_sources(vec![src("initiative", a.initiative_id)])
                .with_children(vec![a.plan.clone(), a.execution.clone(), a.outcome.clone()]),
            );
            kept.push(*a);
        }
    }
    let value = weighted_mean(&parts);
    let rule = if value.is_some() {
        format!("本年度在办或办结事项得分按角色加权平均（牵头 {}、参与 {}）", c.lead_weight, c.member_weight)
    } else {
        "本年度无已评干事事项，不计".to_owned()
    };
    (kept, Explanation::new("实绩（干事事项）", value, rule).with_children(children))
}

fn group_weight(scheme: &Scheme, group: RaterGroup) -> f64 {
    scheme.evaluation.group_weights.iter().find(|g| g.group == group).map_or(0.0, |g| g.weight)
}

fn evaluation_part(
    facts: &Facts,
    scheme: &Scheme,
    year: i32,
    kind: EvaluationKind,
    notes: &mut Vec<DecisionNote>,
) -> Explanation {
    let ev = &scheme.evaluation;
    let mut parts = Vec::new();
    let mut children = Vec::new();
    for (e, protection) in facts.evaluations.iter().filter(|(e, _)| e.fields.year == year && e.fields.kind == kind) {
        let f = &e.fields;
        let (value, rule) = match (&f.votes, f.score) {
            (Some(v), _) => {
                let total = v.total() as f64;
                let value = (v.excellent as f64 * ev.excellent_vote
                    + v.competent as f64 * ev.competent_vote
                    + v.basic as f64 * ev.basic_vote
                    + v.incompetent as f64 * ev.incompetent_vote)
                    / total;
                (
                    value,
                    format!(
                        "优秀 {}×{} + 称职 {}×{} + 基本称职 {}×{} + 不称职 {}×{}，除以 {} 票",
                        v.excellent,
                        ev.excellent_vote,
                        v.competent,
                        ev.competent_vote,
                        v.basic,
                        ev.basic_vote,
                        v.incompetent,
                        ev.incompetent_vote,
                        v.total()
                    ),
                )
            }
            (None, Some(s)) => (s, "得分".to_owned()),
            (None, None) => continue,
        };
        let label = format!("{}（{}，{}）", f.kind, f.rater_group, f.held_on);
        if let Some(p) = protection {
            notes.push(DecisionNote {
                kind: "保护条款".to_owned(),
                source: src("evaluation", e.id),
                text: format!("{label}：{}（{}，{}）", p.fields.reason, p.fields.decided_by, p.fields.decided_on),
            });
            children.push(
                Explanation::new(label, None, format!("适用保护条款，测评结果不作为考核评价依据：{}", p.fields.reason))
                    .with_sources(vec![src("evaluation", e.id), src("protection", p.id)]),
            );
            continue;
        }
        let weight = group_weight(scheme, f.rater_group);
        parts.push((weight, Some(value)));
        children.push(
            Explanation::new(label, Some(value), format!("{rule}；{}权重 {weight}", f.rater_group))
                .with_sources(vec![src("evaluation", e.id)]),
        );
    }
    let value = weighted_mean(&parts);
    let (label, empty) = match kind {
        EvaluationKind::Democratic => ("官评（民主测评）", "本年度无可用的民主测评，不计"),
        EvaluationKind::Public => ("民评（群众评议）", "本年度无可用的群众评议，不计"),
    };
    let rule = if value.is_some() { "各测评群体按权重加权平均" } else { empty };
    Explanation::new(label, value, rule).with_children(children)
}

/// The granted tolerance case covering a negative record (whenever it was decided).
fn negative_tolerated(facts: &Facts, n: &Negative) -> Option<i64> {
    facts
        .tolerance
        .iter()
        .find(|c| c.fields.negative_id == Some(n.id) && c.fields.decision == Some(ToleranceDecision::Tolerated))
        .map(|c| c.id)
}

/// Whether a negative record weighs on `year` (as of `as_of`), and why.
fn negative_in_year(n: &Negative, year: i32, as_of: NaiveDate) -> Option<String> {
    let d = date(&n.fields.date)?;
    if d > as_of {
        return None;
    }
    let start = year_start(year);
    match &n.fields.detail {
        NegativeDetail::Accountability { .. } | NegativeDetail::Inaction { .. } => {
            let end = n.fields.detail.effect_end(d)?;
            (chrono::Datelike::year(&d) == year || end > start).then(|| format!("{}，影响期至 {end}", n.fields.date))
        }
        NegativeDetail::Interview { deadline, closed_on, .. } | NegativeDetail::Problem { deadline, closed_on, .. } => {
            let due = date(deadline)?;
            let closed = closed_on.as_deref().and_then(date).filter(|c| *c <= as_of);
            let overdue_until = match closed {
                Some(c) if c <= due => return None,
                Some(c) => c,
                None if due < as_of => as_of,
                None => return None,
            };
            (overdue_until >= start).then(|| match closed {
                Some(c) => format!("整改时限 {deadline}，{c} 才销号，逾期"),
                None => format!("整改时限 {deadline}，逾期未销号"),
            })
        }
    }
}

fn deductions_part(
    facts: &Facts,
    scheme: &Scheme,
    year: i32,
    as_of: NaiveDate,
    notes: &mut Vec<DecisionNote>,
) -> (Explanation, Option<(Grade, String)>) {
    let r = &scheme.negative;
    let mut total = 0.0;
    let mut cap: Option<(Grade, String)> = None;
    let mut children = Vec::new();
    for n in &facts.negatives {
        let Some(why) = negative_in_year(n, year, as_of) else { continue };
        let label = n.fields.detail.label();
        if let Some(case) = negative_tolerated(facts, n) {
            notes.push(DecisionNote {
                kind: "容错免责".to_owned(),
                source: src("tolerance_case", case),
                text: format!("{label}：经容错案例 #{case} 予以容错，不扣分、不影响等次"),
            });
            children.push(
                Explanation::new(label, Some(0.0), format!("{why}；予以容错，不做负面评价"))
                    .with_sources(vec![src("negative", n.id), src("tolerance_case", case)]),
            );
            continue;
        }
        let (points, rule) = match &n.fields.detail {
            NegativeDetail::Accountability { accountability, subtype, .. } => {
                match scheme.deduction(*accountability, subtype) {
                    Some(d) => {
                        if cap.as_ref().is_none_or(|(g, _)| d.max_grade.rank() < g.rank()) {
                            cap = Some((d.max_grade, format!("{label}（{why}）")));
                        }
                        (d.points, format!("{why}；扣 {} 分，影响期内等次最高为{}", d.points, d.max_grade))
                    }
                    None => (0.0, format!("{why}；方案未规定扣分")),
                }
            }
            NegativeDetail::Inaction { .. } => (r.inaction, format!("{why}；扣 {} 分", r.inaction)),
            _ => (r.overdue_rectification, format!("{why}；扣 {} 分", r.overdue_rectification)),
        };
        total += points;
        children.push(Explanation::new(label, Some(-points), rule).with_sources(vec![src("negative", n.id)]));
    }
    for (report, clearing) in &facts.reports {
        if let Some(c) = clearing {
            notes.push(DecisionNote {
                kind: "澄清正名".to_owned(),
                source: src("report", report.id),
                text: format!("{}：{}（{}）", report.fields.summary, c.statement, c.cleared_on),
            });
            children.push(
                Explanation::new(
                    format!("举报：{}", report.fields.summary),
                    Some(0.0),
                    "经查不实，已澄清正名，不作任何扣减",
                )
                .with_sources(vec![src("report", report.id), src("clearing", c.id)]),
            );
        }
    }
    let applied = total.min(r.cap);
    let value = Explanation::new(
        "负面扣减",
        Some(-applied),
        format!("影响期内负面记录扣分之和，最多扣 {} 分；已澄清、已容错的不扣", r.cap),
    )
    .with_children(children);
    (value, cap)
}

fn threshold_grade(score: f64, s: &Scheme) -> Grade {
    let c = &s.composite;
    if score >= c.excellent_from {
        Grade::Excellent
    } else if score >= c.competent_from {
        Grade::Competent
    } else if score >= c.basic_from {
        Grade::Basic
    } else {
        Grade::Incompetent
    }
}

/// Assess one cadre for `year` (before the quota, which needs the whole unit).
pub fn assess_cadre(
    facts: &Facts,
    scheme: &Scheme,
    year: i32,
    as_of: NaiveDate,
    appraisal_unit_id: i64,
) -> CadreAssessment {
    assess_items(facts, items(facts, scheme, year, as_of), scheme, year, as_of, appraisal_unit_id)
}

/// [`assess_cadre`] with the cadre's initiatives already assessed (`items`, newest
/// first); `facts.initiatives` is not read.
pub fn assess_items(
    facts: &Facts,
    items: Vec<Item>,
    scheme: &Scheme,
    year: i32,
    as_of: NaiveDate,
    appraisal_unit_id: i64,
) -> CadreAssessment {
    let mut notes = Vec::new();
    let tolerated: Vec<(i64, String)> =
        items.iter().filter(|i| !i.ended_before_year).filter_map(|i| i.tolerated.as_deref().cloned()).collect();
    let (initiatives, achievement) = achievement_part(items, scheme);
    for (case, title) in tolerated {
        let reason = facts.tolerance.iter().find(|t| t.id == case).map(|t| t.fields.reason.clone()).unwrap_or_default();
        notes.push(DecisionNote {
            kind: "容错免责".to_owned(),
            source: src("tolerance_case", case),
            text: format!("{title}：予以容错，不做负面评价（{reason}）"),
        });
    }
    let official = evaluation_part(facts, scheme, year, EvaluationKind::Democratic, &mut notes);
    let public = evaluation_part(facts, scheme, year, EvaluationKind::Public, &mut notes);
    let (deductions, cap) = deductions_part(facts, scheme, year, as_of, &mut notes);
    let c = &scheme.composite;
    let mean = weighted_mean(&[
        (c.achievement_weight, achievement.value),
        (c.official_weight, official.value),
        (c.public_weight, public.value),
    ]);
    let value = mean.map(|m| (m + deductions.value.unwrap_or(0.0)).clamp(0.0, 100.0));
    let composite = Explanation::new(
        "综合得分",
        value,
        format!(
            "实绩 {}、官评 {}、民评 {} 加权平均（缺项不计、权重重新归一），减负面扣减，限 0–100",
            c.achievement_weight, c.official_weight, c.public_weight
        ),
    )
    .with_children(vec![achievement.clone(), official.clone(), public.clone(), deductions.clone()]);

    let mut reasons = Vec::new();
    // An open report holds up the year's grade if it arrived by the as-of date, or while the
    // year's grade is still to be decided (a report of January holds up last year's appraisal).
    let decided = facts.grades.iter().any(|g| g.fields.year == year);
    for (r, _) in facts
        .reports
        .iter()
        .filter(|(r, _)| r.finding.is_none() && (!decided || date(&r.fields.received_on).is_some_and(|d| d <= as_of)))
    {
        reasons.push(format!("举报「{}」（{} 收件）尚在核查，暂不确定等次", r.fields.summary, r.fields.received_on));
    }
    for t in facts.tolerance.iter().filter(|t| t.fields.decision.is_none()) {
        reasons.push(format!("容错案例 #{} 尚未作出决定，暂不确定等次", t.id));
    }
    let grade = match value {
        _ if !reasons.is_empty() => Grade::Undetermined,
        None => {
            reasons.push("本年度没有可用的考核依据（无已评事项和测评），暂不确定等次".to_owned());
            Grade::Undetermined
        }
        Some(score) => {
            let by_score = threshold_grade(score, scheme);
            reasons.push(format!(
                "综合得分 {:.2}：优秀 ≥ {}、称职 ≥ {}、基本称职 ≥ {}，按分数为「{by_score}」",
                round2(score),
                c.excellent_from,
                c.competent_from,
                c.basic_from
            ));
            match cap {
                Some((max, why)) if max.rank() < by_score.rank() => {
                    reasons.push(format!("{why}，影响期内等次最高为「{max}」"));
                    max
                }
                _ => by_score,
            }
        }
    };
    CadreAssessment {
        cadre_id: facts.cadre.id,
        name: facts.cadre.fields.name.clone(),
        post: facts.cadre.fields.post.clone(),
        unit_id: facts.cadre.fields.unit_id,
        unit_name: facts.unit_name.clone(),
        appraisal_unit_id,
        initiatives,
        achievement,
        official,
        public,
        deductions,
        composite,
        suggested: GradeSuggestion { grade, reasons },
        final_grade: facts.grades.iter().find(|g| g.fields.year == year).cloned(),
        decisions: notes,
    }
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
                a.suggested.reasons.push(format!(
                    "{name}参加考核 {assessed} 人，优秀比例 {:.0}%，名额 {allowed} 名；本人按综合得分排第 {}，超出名额，建议为「称职」",
                    quota * 100.0,
                    rank + 1
                ));
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
