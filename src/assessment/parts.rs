//! The cadre-level parts of the yearly composite: 官评 / 民评 (民主测评, 群众评议,
//! with the 保护条款) and 负面扣减 (accountability, inaction, overdue
//! rectification, with 容错 and 澄清正名). Dates are judged by [`AsOf`].

use chrono::NaiveDate;

use super::asof::AsOf;
use super::explain::{Explanation, src, weighted_mean};
use super::facts::Facts;
use super::scheme::Scheme;
use super::stages::date;
use super::yearly::{DecisionNote, year_start};
use crate::enums::{EvaluationKind, Grade, RaterGroup, ToleranceDecision};
use crate::records::negatives::{Negative, NegativeDetail};

fn group_weight(scheme: &Scheme, group: RaterGroup) -> f64 {
    scheme.evaluation.group_weights.iter().find(|g| g.group == group).map_or(0.0, |g| g.weight)
}

/// 官评 or 民评 of `year`: the year's evaluations of that kind, held by the time
/// [`AsOf::decision`] allows (the year-end 测评 is usually held after the year).
pub(super) fn evaluation_part(
    facts: &Facts,
    scheme: &Scheme,
    year: i32,
    kind: EvaluationKind,
    as_of: AsOf,
    notes: &mut Vec<DecisionNote>,
) -> Explanation {
    let ev = &scheme.evaluation;
    let mut parts = Vec::new();
    let mut children = Vec::new();
    let counted = |e: &crate::records::evaluations::Evaluation| {
        e.fields.year == year && e.fields.kind == kind && as_of.decision(&e.fields.held_on)
    };
    for (e, protection) in facts.evaluations.iter().filter(|(e, _)| counted(e)) {
        let protection = protection.as_ref().filter(|p| as_of.decision(&p.fields.decided_on));
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

/// The granted tolerance case covering a negative record (decided by the time [`AsOf::decision`] allows).
pub(super) fn negative_tolerated(facts: &Facts, n: &Negative, as_of: AsOf) -> Option<i64> {
    facts
        .tolerance
        .iter()
        .find(|c| {
            c.fields.negative_id == Some(n.id)
                && c.fields.decision == Some(ToleranceDecision::Tolerated)
                && as_of.decided(c.fields.decided_on.as_deref())
        })
        .map(|c| c.id)
}

/// Whether a negative record weighs on `year` (as of `as_of`), and why.
pub(super) fn negative_in_year(n: &Negative, year: i32, as_of: NaiveDate) -> Option<String> {
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

pub(super) fn deductions_part(
    facts: &Facts,
    scheme: &Scheme,
    year: i32,
    as_of: AsOf,
    notes: &mut Vec<DecisionNote>,
) -> (Explanation, Option<(Grade, String)>) {
    let r = &scheme.negative;
    let mut total = 0.0;
    let mut cap: Option<(Grade, String)> = None;
    let mut children = Vec::new();
    for n in &facts.negatives {
        let Some(why) = negative_in_year(n, year, as_of.date) else { continue };
        let label = n.fields.detail.label();
        if let Some(case) = negative_tolerated(facts, n, as_of) {
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
    // As for an open report (which holds the grade up), a cleared one is shown for the year
    // when it was received by what the as-of date lets count: by default, also afterwards.
    for (report, clearing) in facts.reports.iter().filter(|(r, _)| as_of.decision(&r.fields.received_on)) {
        if let Some(c) = clearing.as_ref().filter(|c| as_of.decision(&c.cleared_on)) {
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
