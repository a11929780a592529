//! The yearly composite and suggested grade of each cadre, with the 优秀 quota
//! applied per 考核单位 (the cadre's unit, offices counted with their department).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::asof::AsOf;
use super::explain::{Explanation, round2, src, weighted_mean};
use super::facts::Facts;
use super::grades::FinalGrade;
use super::parts::{deductions_part, evaluation_part, negative_in_year};
use super::scheme::Scheme;
use super::stages::{self, InitiativeAssessment};
use crate::dossier::InitiativeRecord;
use crate::enums::{EvaluationKind, Grade, ParticipantRole};

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
    /// The grade the composite alone reaches by the thresholds (`None` when there is
    /// no composite or the grade is held up).
    pub by_score: Option<Grade>,
    /// Why: thresholds, caps, quota, or what makes a grade premature.
    pub reasons: Vec<String>,
    /// The reasons that moved the grade away from `by_score` (a grade cap, the
    /// 优秀 evidence rule, the quota), each also in `reasons`; empty when it was not moved.
    pub adjustments: Vec<String>,
    /// Set when the 优秀 quota moved the grade to 称职: the cadre's rank among
    /// the unit's 优秀 candidates by composite (1-based) and the unit's quota.
    #[serde(default)]
    pub over_quota: Option<QuotaPlace>,
}

/// Where a cadre moved by the quota stood: 第 `rank` 名, with `allowed` places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuotaPlace {
    pub rank: u32,
    pub allowed: u32,
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

pub(super) fn year_start(year: i32) -> NaiveDate {
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
    pub initiative_id: i64,
    pub role: ParticipantRole,
    /// Reached 干事 and assessed there or in 成事 (see `InitiativeAssessment::delivered`).
    pub delivered: bool,
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
            initiative_id: a.initiative_id,
            role,
            delivered: a.delivered,
            score: a.score.value,
            ended_before_year,
            tolerated: a.tolerated_by.map(|c| Box::new((c, a.title.clone()))),
            detail: explained.then(|| Box::new(InitiativeAssessment { role, ..a.clone() })),
        }
    }
}

/// The items of a cadre's initiatives (each with its stage assessments and explanations).
pub fn items(facts: &Facts, scheme: &Scheme, year: i32, as_of: AsOf) -> Vec<Item> {
    facts
        .initiatives
        .iter()
        .filter_map(|(role, rec)| {
            let a = stages::assess(rec, *role, facts.cadre.id, &facts.tolerance, scheme, as_of)?;
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
pub fn assess_cadre(facts: &Facts, scheme: &Scheme, year: i32, as_of: AsOf, appraisal_unit_id: i64) -> CadreAssessment {
    assess_items(facts, items(facts, scheme, year, as_of), scheme, year, as_of, appraisal_unit_id)
}

/// What holds up the year's grade (不确定等次): an open report, an undecided 容错 case
/// about something that counts in the year.
fn held_up(facts: &Facts, items: &[Item], year: i32, as_of: AsOf) -> Vec<String> {
    let mut reasons = Vec::new();
    // An open report holds up the year's grade if it arrived by the as-of date, or while the
    // year's grade is still to be decided (a report of January holds up last year's appraisal).
    // A finding made after what the as-of date lets count leaves the report open.
    let decided = facts.grades.iter().any(|g| g.fields.year == year && as_of.decision(&g.fields.decided_on));
    for (r, _) in facts.reports.iter().filter(|(r, _)| {
        let open = !r.found_on.as_deref().is_some_and(|f| r.finding.is_some() && as_of.decision(f));
        let received = &r.fields.received_on;
        open && as_of.decision(received) && (as_of.record(received) || !decided)
    }) {
        reasons.push(format!("举报「{}」（{} 收件）尚在核查，暂不确定等次", r.fields.summary, r.fields.received_on));
    }
    // An undecided case holds up the years its subject counts in: an item under way in the year
    // (for every cadre taking part: 容错 is decided about the item), a negative record in effect.
    let counted = |initiative: i64| items.iter().any(|i| i.initiative_id == initiative && !i.ended_before_year);
    for t in facts.tolerance.iter().filter(|t| t.fields.decision.is_none()) {
        let concerns = match (t.fields.initiative_id, t.fields.negative_id) {
            (Some(i), _) => counted(i),
            (None, Some(n)) => {
                facts.negatives.iter().any(|x| x.id == n && negative_in_year(x, year, as_of.date).is_some())
            }
            (None, None) => false,
        };
        if concerns {
            reasons.push(format!("容错案例 #{} 尚未作出决定，暂不确定等次", t.id));
        }
    }
    reasons
}

/// The suggested grade before the quota: thresholds, the strictest cap in effect, the 优秀 evidence rule.
fn suggest(
    value: Option<f64>,
    mut reasons: Vec<String>,
    cap: Option<(Grade, String)>,
    delivered: bool,
    scheme: &Scheme,
) -> GradeSuggestion {
    let c = &scheme.composite;
    let held_up = |reasons| GradeSuggestion {
        grade: Grade::Undetermined,
        by_score: None,
        reasons,
        adjustments: Vec::new(),
        over_quota: None,
    };
    let score = match value {
        _ if !reasons.is_empty() => return held_up(reasons),
        Some(score) if score.is_finite() => score,
        _ => {
            reasons.push("本年度没有可计算的综合得分（无已评事项和测评），不凭空评定，暂不确定等次".to_owned());
            return held_up(reasons);
        }
    };
    let by_score = threshold_grade(score, scheme);
    reasons.push(format!(
        "综合得分 {:.2}：优秀 ≥ {}、称职 ≥ {}、基本称职 ≥ {}，按分数为「{by_score}」",
        round2(score),
        c.excellent_from,
        c.competent_from,
        c.basic_from
    ));
    let mut grade = by_score;
    let mut adjustments = Vec::new();
    if let Some((max, why)) = cap.filter(|(max, _)| max.rank() < grade.rank()) {
        adjustments.push(format!("{why}，影响期内等次最高为「{max}」"));
        grade = max;
    }
    if grade == Grade::Excellent && c.excellent_needs_delivery && !delivered {
        adjustments.push(
            "本年度没有进入干事或成事阶段并已评的事项，仅有谋划尚不是实绩（从实干看优劣、凭实绩选干部），不评为「优秀」，建议为「称职」"
                .to_owned(),
        );
        grade = Grade::Competent;
    }
    reasons.extend(adjustments.iter().cloned());
    GradeSuggestion { grade, by_score: Some(by_score), reasons, adjustments, over_quota: None }
}

/// [`assess_cadre`] with the cadre's initiatives already assessed (`items`, newest
/// first); `facts.initiatives` is not read.
pub fn assess_items(
    facts: &Facts,
    items: Vec<Item>,
    scheme: &Scheme,
    year: i32,
    as_of: AsOf,
    appraisal_unit_id: i64,
) -> CadreAssessment {
    let mut notes = Vec::new();
    let current = || items.iter().filter(|i| !i.ended_before_year);
    let tolerated: Vec<(i64, String)> = current().filter_map(|i| i.tolerated.as_deref().cloned()).collect();
    let delivered = current().any(|i| i.delivered);
    let held = held_up(facts, &items, year, as_of);
    let (initiatives, achievement) = achievement_part(items, scheme);
    for (case, title) in tolerated {
        let reason = facts.tolerance.iter().find(|t| t.id == case).map(|t| t.fields.reason.clone()).unwrap_or_default();
        notes.push(DecisionNote {
            kind: "容错免责".to_owned(),
            source: src("tolerance_case", case),
            text: format!("{title}：予以容错，不做负面评价（{reason}）"),
        });
    }
    let official = evaluation_part(facts, scheme, year, EvaluationKind::Democratic, as_of, &mut notes);
    let public = evaluation_part(facts, scheme, year, EvaluationKind::Public, as_of, &mut notes);
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
            "{year} 年度：实绩 {}、官评 {}、民评 {} 加权平均（缺项不计、权重重新归一），减负面扣减，限 0–100；{}",
            c.achievement_weight,
            c.official_weight,
            c.public_weight,
            as_of.describe()
        ),
    )
    .with_children(vec![achievement.clone(), official.clone(), public.clone(), deductions.clone()]);
    let suggested = suggest(value, held, cap, delivered, scheme);
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
        suggested,
        final_grade: facts
            .grades
            .iter()
            .find(|g| g.fields.year == year && as_of.decision(&g.fields.decided_on))
            .cloned(),
        decisions: notes,
    }
}
