//! The promotion-evidence summary: 想干事 / 会干事 / 干成事 / 不出事, each with a
//! score, a level and the records behind it, plus eligibility screening.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

fn stage_mean(
    label: &str,
    items: &[InitiativeAssessment],
    pick: fn(&InitiativeAssessment) -> &Explanation,
    rule: &str,
) -> Explanation {
    let children: Vec<Explanation> = items
        .iter()
        .map(|i| {
            let stage = pick(i);
            Explanation::new(format!("{}：{}", i.title, stage.label), stage.value, stage.rule.clone())
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
    as_of: NaiveDate,
    yearly: &[super::yearly::CadreAssessment],
) -> PromotionSummary {
    let p = &scheme.promotion;
    let window: Vec<i32> = ((year - p.years + 1)..=year).collect();
    let window_start = NaiveDate::from_ymd_opt(window[0], 1, 1).unwrap_or(as_of);
    let items: Vec<InitiativeAssessment> = facts
        .initiatives
        .iter()
        .filter(|(_, rec)| !stages::ended_before(rec, window_start))
        .filter_map(|(role, rec)| stages::assess(rec, *role, &facts.tolerance, scheme, as_of))
        .collect();

    // 想干事: the 谋事 assessments (担当) plus initiatives led.
    let plan = stage_mean("谋事评价平均", &items, |i| &i.plan, "期内事项谋事阶段得分的平均");
    let led: Vec<&InitiativeAssessment> = items.iter().filter(|i| i.role == ParticipantRole::Lead).collect();
    let bonus = (led.len() as f64 * p.lead_bonus).min(p.lead_bonus_cap);
    let want_value = plan.value.map(|v| (v + bonus).min(100.0));
    let want = Explanation::new(
        "想干事",
        want_value,
        format!(
            "谋事评价平均，加牵头事项 {} 项 × {} 分（最多 {} 分），最高 100",
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
        "期内事项干事阶段得分的平均（按期率、跟踪考评、逾期扣分、表现加分）",
    );
    let done = stage_mean(
        "干成事",
        &items,
        |i| &i.outcome,
        "期内事项成事阶段得分的平均（实现程度、认可加分；已容错的不计入）",
    );
    // 不出事: 100 minus the deductions of the window's years (cleared reports and tolerated records never count).
    let window_yearly: Vec<&super::yearly::CadreAssessment> = yearly.iter().collect();
    let worst = window_yearly.iter().map(|a| a.deductions.value.unwrap_or(0.0)).fold(0.0_f64, f64::min);
    let clean = Explanation::new(
        "不出事",
        Some((100.0 + worst).max(0.0)),
        "100 减去期内各年度负面扣减中最重的一年；已澄清的举报、已容错的记录不扣",
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
            grade: facts.grades.iter().find(|g| g.fields.year == *y).map(|g| g.fields.grade),
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
            let tolerated = facts
                .tolerance
                .iter()
                .any(|c| c.fields.negative_id == Some(n.id) && c.fields.decision == Some(ToleranceDecision::Tolerated));
            let in_effect = date(&n.fields.date)
                .and_then(|d| n.fields.detail.effect_end(d).map(|end| d <= as_of && end > as_of))
                .unwrap_or(false);
            !tolerated
                && in_effect
                && matches!(n.fields.detail, crate::records::negatives::NegativeDetail::Accountability { .. })
        })
        .map(|n| format!("{}（{}）影响期未满", n.fields.detail.label(), n.fields.date))
        .collect();
    eligibility.push(EligibilityCheck {
        rule: "不在问责影响期内".to_owned(),
        passed: active.is_empty(),
        detail: if active.is_empty() { "符合".to_owned() } else { active.join("；") },
    });
    let current_post =
        facts.posts.iter().filter(|p| p.fields.end_date.is_none()).filter_map(|p| date(&p.fields.start_date)).max();
    let months = current_post.map(|start| {
        let (y0, m0) = (chrono::Datelike::year(&start), chrono::Datelike::month(&start));
        let (y1, m1) = (chrono::Datelike::year(&as_of), chrono::Datelike::month(&as_of));
        i64::from((y1 - y0) * 12) + i64::from(m1) - i64::from(m0)
    });
    eligibility.push(EligibilityCheck {
        rule: format!("任现职满 {} 个月", p.min_months_in_post),
        passed: months.is_some_and(|m| m >= p.min_months_in_post),
        detail: match (current_post, months) {
            (Some(start), Some(m)) => format!("自 {start} 任现职，已 {m} 个月"),
            _ => "无现任职务记录".to_owned(),
        },
    });
    let open: Vec<String> = facts
        .reports
        .iter()
        .filter(|(r, _)| r.finding.is_none())
        .map(|(r, _)| format!("举报「{}」尚在核查", r.fields.summary))
        .chain(
            facts
                .tolerance
                .iter()
                .filter(|t| t.fields.decision.is_none())
                .map(|t| format!("容错案例 #{} 尚未决定", t.id)),
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
        as_of: as_of.format("%Y-%m-%d").to_string(),
        scheme_version,
        window,
        dimensions,
        eligible: eligibility.iter().all(|c| c.passed),
        eligibility,
        grades,
        decisions,
    }
}
