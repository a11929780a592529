//! The promotion-evidence summary: 想干事 / 会干事 / 干成事 / 不出事, each with a
//! score, a level and the records behind it, plus eligibility screening.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::asof::AsOf;
use super::explain::{Explanation, Source, src, weighted_mean};
use super::facts::Facts;
use super::scheme::Scheme;
use super::stages::{self, InitiativeAssessment, date};
use super::yearly::DecisionNote;
use crate::enums::{Grade, ParticipantRole, ToleranceDecision};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dimension {
    /// 想干事 / 会干事 / 干成事 / 不出事.
    pub name: String,
    /// 优 / 良 / 中 / 差, or 暂无依据.
    pub level: String,
    pub score: Explanation,
    /// Every record behind the score.
    pub records: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EligibilityCheck {
    pub rule: String,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct YearGrade {
    pub year: i32,
    pub grade: Option<Grade>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PromotionSummary {
    pub cadre_id: i64,
    pub name: String,
    pub post: String,
    pub unit_name: String,
    pub year: i32,
    pub as_of: String,
    pub scheme_version: i64,
    pub window: Vec<i32>,
    pub dimensions: Vec<Dimension>,
    pub grades: Vec<YearGrade>,
    pub eligibility: Vec<EligibilityCheck>,
    pub eligible: bool,
    pub decisions: Vec<DecisionNote>,
}

fn level(value: Option<f64>, s: &Scheme) -> String {
    let p = &s.promotion;
    match value {
        None => "暂无依据",
        Some(v) if v >= p.excellent_from => "优",
        Some(v) if v >= p.good_from => "良",
        Some(v) if v >= p.fair_from => "中",
        Some(_) => "差",
    }
    .to_owned()
}

fn collect_sources(e: &Explanation, out: &mut Vec<Source>) {
    out.extend(e.sources.iter().cloned());
    for c in &e.children {
        collect_sources(c, out);
    }
}

fn dimension(name: &str, score: Explanation, s: &Scheme) -> Dimension {
    let mut records = Vec::new();
    collect_sources(&score, &mut records);
    records.sort();
    records.dedup();
    Dimension { name: name.to_owned(), level: level(score.value, s), score, records }
}

/// One item of the window with the year it ended in, when that was before the
/// summary's year (so a reader can reconcile the window with the year's table).
struct WindowItem {
    assessment: InitiativeAssessment,
    ended: Option<i32>,
}

fn stage_mean(
    label: &str,
    items: &[WindowItem],
    pick: fn(&InitiativeAssessment) -> &Explanation,
    rule: &str,
) -> Explanation {
    let children: Vec<Explanation> = items
        .iter()
        .map(|w| {
            let i = &w.assessment;
            let stage = pick(i);
            let when = w.ended.map_or_else(String::new, |y| format!("（{y} 年已办结）"));
            Explanation::new(format!("{}{when}：{}", i.title, stage.label), stage.value, stage.rule.clone())
                .with_sources(vec![src("initiative", i.initiative_id)])
                .with_children(stage.children.clone())
        })
        .collect();
    let value = weighted_mean(&children.iter().map(|c| (1.0, c.value)).collect::<Vec<_>>());
    Explanation::new(
        label,
        value,
        if value.is_some() { rule.to_owned() } else { "期内无已评事项，暂无依据".to_owned() },
    )
    .with_children(children)
}

/// Build the summary for `year`, looking back `scheme.promotion.years` years.
pub fn summarize(
    facts: &Facts,
    scheme: &Scheme,
    scheme_version: i64,
    year: i32,
    as_of: AsOf,
    yearly: &[super::yearly::CadreAssessment],
) -> PromotionSummary {
    let p = &scheme.promotion;
    let window: Vec<i32> = ((year - p.years + 1)..=year).collect();
    let span = format!("{}–{year} 年", window[0]);
    let window_start = NaiveDate::from_ymd_opt(window[0], 1, 1).unwrap_or(as_of.date);
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of.date);
    let items: Vec<WindowItem> = facts
        .initiatives
        .iter()
        .filter(|(_, rec)| !stages::ended_before(rec, window_start))
        .filter_map(|(role, rec)| {
            let assessment = stages::assess(rec, *role, facts.cadre.id, &facts.tolerance, scheme, as_of)?;
            let ended = stages::ended_before(rec, year_start).then(|| ended_year(rec)).flatten();
            Some(WindowItem { assessment, ended })
        })
        .collect();

    // 想干事: the 谋事 assessments (担当) plus initiatives led.
    let plan = stage_mean("谋事评价平均", &items, |i| &i.plan, &format!("{span}期内事项谋事阶段得分的平均"));
    let led: Vec<&InitiativeAssessment> =
        items.iter().map(|w| &w.assessment).filter(|i| i.role == ParticipantRole::Lead).collect();
    let bonus = (led.len() as f64 * p.lead_bonus).min(p.lead_bonus_cap);
    let want_value = plan.value.map(|v| (v + bonus).min(100.0));
    let want = Explanation::new(
        "想干事",
        want_value,
        format!(
            "{span}：谋事评价平均，加牵头事项 {} 项 × {} 分（最多 {} 分），最高 100",
            led.len(),
            p.lead_bonus,
            p.lead_bonus_cap
        ),
    )
    .with_children(vec![
        plan,
        Explanation::new("牵头事项加分", Some(bonus), format!("牵头 {} 项", led.len()))
            .with_sources(led.iter().map(|i| src("initiative", i.initiative_id)).collect()),
    ]);
    // 会干事 / 干成事: the 干事 and 成事 assessments.
    let can = stage_mean(
        "会干事",
        &items,
        |i| &i.execution,
        &format!("{span}期内事项干事阶段得分的平均（按期率、跟踪考评、逾期扣分、表现加分），含往年已办结的事项"),
    );
    let done = stage_mean(
        "干成事",
        &items,
        |i| &i.outcome,
        &format!("{span}期内事项成事阶段得分的平均（实现程度、认可加分；已容错的不计入），含往年已办结的事项"),
    );
    // 不出事: 100 minus the deductions of the window's years (cleared reports and tolerated records never count).
    let window_yearly: Vec<&super::yearly::CadreAssessment> = yearly.iter().collect();
    let worst = window_yearly.iter().map(|a| a.deductions.value.unwrap_or(0.0)).fold(0.0_f64, f64::min);
    let clean = Explanation::new(
        "不出事",
        Some((100.0 + worst).max(0.0)),
        format!("100 减去 {span}各年度负面扣减中最重的一年；已澄清的举报、已容错的记录不扣"),
    )
    .with_children(window_yearly.iter().map(|a| a.deductions.clone()).collect());

    let dimensions = vec![
        dimension("想干事", want, scheme),
        dimension("会干事", can, scheme),
        dimension("干成事", done, scheme),
        dimension("不出事", clean, scheme),
    ];

    // Eligibility screening.
    let grades: Vec<YearGrade> = window
        .iter()
        .map(|y| YearGrade {
            year: *y,
            grade: facts
                .grades
                .iter()
                .find(|g| g.fields.year == *y && as_of.decision(&g.fields.decided_on))
                .map(|g| g.fields.grade),
        })
        .collect();
    let mut eligibility = Vec::new();
    let bad: Vec<String> = grades
        .iter()
        .filter_map(|g| match g.grade {
            None => Some(format!("{} 年度无考核结果", g.year)),
            Some(grade) if grade.rank() < p.min_grade.rank() => Some(format!("{} 年度为「{grade}」", g.year)),
            Some(_) => None,
        })
        .collect();
    eligibility.push(EligibilityCheck {
        rule: format!("近 {} 年年度考核均为「{}」及以上", p.years, p.min_grade),
        passed: bad.is_empty(),
        detail: if bad.is_empty() { "符合".to_owned() } else { bad.join("；") },
    });
    let active: Vec<String> = facts
        .negatives
        .iter()
        .filter(|n| {
            let tolerated = facts.tolerance.iter().any(|c| {
                c.fields.negative_id == Some(n.id)
                    && c.fields.decision == Some(ToleranceDecision::Tolerated)
                    && as_of.decided(c.fields.decided_on.as_deref())
            });
            let in_effect = date(&n.fields.date)
                .and_then(|d| n.fields.detail.effect_end(d).map(|end| d <= as_of.date && end > as_of.date))
                .unwrap_or(false);
            !tolerated
                && in_effect
                && matches!(n.fields.detail, crate::records::negatives::NegativeDetail::Accountability { .. })
        })
        .map(|n| {
            let end = date(&n.fields.date).and_then(|d| n.fields.detail.effect_end(d));
            let end = end.map_or_else(String::new, |e| format!("，至 {e}"));
            format!("{}（{}{end}）影响期未满", n.fields.detail.label(), n.fields.date)
        })
        .collect();
    eligibility.push(EligibilityCheck {
        rule: "不在问责影响期内".to_owned(),
        passed: active.is_empty(),
        detail: if active.is_empty() { "符合".to_owned() } else { active.join("；") },
    });
    // The post held on the as-of date: begun by then, not ended by then.
    let current_post = facts
        .posts
        .iter()
        .filter(|p| p.fields.end_date.as_deref().is_none_or(|e| !as_of.record(e)))
        .filter_map(|p| date(&p.fields.start_date))
        .filter(|d| *d <= as_of.date)
        .max();
    // Whole months: 2024-09-30 → 2026-09-29 is 23 months, → 2026-09-30 is 24.
    let months = current_post.map(|start| {
        use chrono::Datelike;
        let (y0, m0, d0) = (start.year(), start.month(), start.day());
        let (y1, m1, d1) = (as_of.date.year(), as_of.date.month(), as_of.date.day());
        i64::from((y1 - y0) * 12) + i64::from(m1) - i64::from(m0) - i64::from(d1 < d0)
    });
    eligibility.push(EligibilityCheck {
        rule: format!("任现职满 {} 个月", p.min_months_in_post),
        passed: months.is_some_and(|m| m >= p.min_months_in_post),
        detail: match (current_post, months) {
            (Some(start), Some(m)) => format!("自 {start} 任现职，截至 {} 已 {m} 个月", as_of.date),
            _ => format!("截至 {} 无现任职务记录", as_of.date),
        },
    });
    let open: Vec<String> = facts
        .reports
        .iter()
        .filter(|(r, _)| {
            let found = r.finding.is_some() && r.found_on.as_deref().is_some_and(|f| as_of.decision(f));
            as_of.decision(&r.fields.received_on) && !found
        })
        .map(|(r, _)| format!("举报「{}」尚在核查", r.fields.summary))
        .chain(
            facts
                .tolerance
                .iter()
                // The cadre's own cases, and cases about the window's items filed for others taking part.
                .filter(|t| t.fields.decision.is_none())
                .filter(|t| {
                    t.fields.cadre_id == facts.cadre.id
                        || t.fields.initiative_id.is_some_and(|i| items.iter().any(|w| w.assessment.initiative_id == i))
                })
                .map(|t| {
                    let nature: String = t.fields.nature.chars().take(20).collect();
                    format!("一项容错认定（{nature}）尚未决定")
                }),
        )
        .collect();
    eligibility.push(EligibilityCheck {
        rule: "无未查结的举报和未决的容错认定".to_owned(),
        passed: open.is_empty(),
        detail: if open.is_empty() { "符合".to_owned() } else { open.join("；") },
    });
    let mut decisions: Vec<DecisionNote> = yearly.iter().flat_map(|a| a.decisions.iter().cloned()).collect();
    decisions.sort_by(|a, b| a.source.cmp(&b.source).then(a.text.cmp(&b.text)));
    decisions.dedup();
    PromotionSummary {
        cadre_id: facts.cadre.id,
        name: facts.cadre.fields.name.clone(),
        post: facts.cadre.fields.post.clone(),
        unit_name: facts.unit_name.clone(),
        year,
        as_of: as_of.date.format("%Y-%m-%d").to_string(),
        scheme_version,
        window,
        dimensions,
        eligible: eligibility.iter().all(|c| c.passed),
        eligibility,
        grades,
        decisions,
    }
}

/// The year an item ended (成事 reached or stopped), if it did.
fn ended_year(rec: &crate::dossier::InitiativeRecord) -> Option<i32> {
    let outcome =
        rec.transitions.iter().filter(|t| t.to_stage == crate::enums::Stage::Outcome).map(|t| t.date.as_str());
    outcome.chain(rec.initiative.stopped_on.as_deref()).filter_map(date).min().map(|d| chrono::Datelike::year(&d))
}
