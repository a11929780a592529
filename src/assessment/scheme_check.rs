//! Validation of an assessment scheme: every field within its bounds, at least
//! one positive weight in each group that is averaged, thresholds strictly
//! ordered. Errors name the field twice: its Chinese label in the message (what
//! the window shows) and its path in `Error::field` (what a caller branches on).
//! docs/assessment.md (考核方案的校验) lists the same rules.

use std::collections::BTreeSet;

use super::scheme::Scheme;
use crate::enums::Grade;
use crate::error::{Error, Result};

fn number(field: &str, label: &str, v: f64, min: f64, max: f64) -> Result<()> {
    if !v.is_finite() || v < min || v > max {
        return Err(Error::invalid(field, format!("{label}应在 {min} 到 {max} 之间，实际为 {v}")));
    }
    Ok(())
}

/// Weights of one averaged group: each 0–100, at least one positive.
fn weights(group: &str, what: &str, parts: &[(&str, &str, f64)]) -> Result<()> {
    for (field, label, v) in parts {
        number(field, label, *v, 0.0, 100.0)?;
    }
    if parts.iter().all(|(_, _, v)| *v <= 0.0) {
        let labels: Vec<&str> = parts.iter().map(|(_, l, _)| *l).collect();
        return Err(Error::invalid(
            group,
            format!("{what}的权重（{}）至少要有一项大于 0，否则无法计算", labels.join("、")),
        ));
    }
    Ok(())
}

/// Values that must not increase along the list (e.g. 完全实现 ≥ 基本实现 ≥ …).
fn descending(parts: &[(&str, &str, f64)], strict: bool) -> Result<()> {
    for pair in parts.windows(2) {
        let [(_, high_label, high), (field, low_label, low)] = pair else { continue };
        let bad = if strict { low >= high } else { low > high };
        if bad {
            let relation = if strict { "低于" } else { "不高于" };
            return Err(Error::invalid(*field, format!("{low_label}（{low}）应{relation}{high_label}（{high}）")));
        }
    }
    Ok(())
}

pub(super) fn validate(s: &Scheme) -> Result<()> {
    let w = &s.stage_weights;
    weights(
        "stageWeights",
        "谋事、干事、成事三个阶段",
        &[
            ("stageWeights.plan", "谋事阶段权重", w.plan),
            ("stageWeights.execution", "干事阶段权重", w.execution),
            ("stageWeights.outcome", "成事阶段权重", w.outcome),
        ],
    )?;
    let p = &s.plan;
    weights(
        "plan.orgDeptWeight",
        "谋事两方评价",
        &[
            ("plan.orgDeptWeight", "组织部门评价权重", p.org_dept_weight),
            ("plan.unitLeaderWeight", "主要负责同志评价权重", p.unit_leader_weight),
        ],
    )?;
    weights(
        "plan.innovationWeight",
        "创新性、挑战性、攻坚性",
        &[
            ("plan.innovationWeight", "创新性权重", p.innovation_weight),
            ("plan.challengeWeight", "挑战性权重", p.challenge_weight),
            ("plan.difficultyWeight", "攻坚性权重", p.difficulty_weight),
        ],
    )?;
    let e = &s.execution;
    weights(
        "execution.adherenceWeight",
        "干事阶段按期率与跟踪考评",
        &[
            ("execution.adherenceWeight", "按期率权重", e.adherence_weight),
            ("execution.trackingWeight", "跟踪考评权重", e.tracking_weight),
        ],
    )?;
    for (field, label, v) in [
        ("execution.overduePenaltyPerDay", "逾期每天扣分", e.overdue_penalty_per_day),
        ("execution.overduePenaltyCap", "逾期扣分上限", e.overdue_penalty_cap),
        ("execution.conductBonus", "表现加分", e.conduct_bonus),
        ("execution.conductBonusCap", "表现加分上限", e.conduct_bonus_cap),
    ] {
        number(field, label, v, 0.0, 100.0)?;
    }
    let o = &s.outcome;
    let bases = [
        ("outcome.full", "完全实现基础分", o.full),
        ("outcome.basic", "基本实现基础分", o.basic),
        ("outcome.partial", "部分实现基础分", o.partial),
        ("outcome.notAchieved", "未实现基础分", o.not_achieved),
    ];
    for (field, label, v) in bases {
        number(field, label, v, 0.0, 100.0)?;
    }
    descending(&bases, false)?;
    for (field, label, v) in [
        ("outcome.nationalBonus", "国家级认可加分", o.national_bonus),
        ("outcome.provincialBonus", "省级认可加分", o.provincial_bonus),
        ("outcome.municipalBonus", "市级认可加分", o.municipal_bonus),
        ("outcome.countyBonus", "县级认可加分", o.county_bonus),
        ("outcome.recognitionCap", "认可加分上限", o.recognition_cap),
    ] {
        number(field, label, v, 0.0, 100.0)?;
    }
    let ev = &s.evaluation;
    let votes = [
        ("evaluation.excellentVote", "优秀票分值", ev.excellent_vote),
        ("evaluation.competentVote", "称职票分值", ev.competent_vote),
        ("evaluation.basicVote", "基本称职票分值", ev.basic_vote),
        ("evaluation.incompetentVote", "不称职票分值", ev.incompetent_vote),
    ];
    for (field, label, v) in votes {
        number(field, label, v, 0.0, 100.0)?;
    }
    descending(&votes, false)?;
    let mut groups = BTreeSet::new();
    for (i, g) in ev.group_weights.iter().enumerate() {
        let field = format!("evaluation.groupWeights[{i}].weight");
        number(&field, &format!("「{}」测评群体权重", g.group), g.weight, 0.0, 100.0)?;
        if !groups.insert(g.group) {
            return Err(Error::invalid(
                format!("evaluation.groupWeights[{i}].group"),
                format!("测评群体「{}」重复设置了权重", g.group),
            ));
        }
    }
    if let Some(missing) = crate::enums::RaterGroup::ALL.iter().find(|g| !groups.contains(*g)) {
        return Err(Error::invalid(
            "evaluation.groupWeights",
            format!("测评群体「{missing}」没有设置权重（不参与计分的群体请设为 0）"),
        ));
    }
    if !ev.group_weights.iter().any(|g| g.weight > 0.0) {
        return Err(Error::invalid("evaluation.groupWeights", "测评群体权重至少要有一项大于 0，否则测评无法计分"));
    }
    let n = &s.negative;
    let mut rules = BTreeSet::new();
    for (i, d) in n.accountability.iter().enumerate() {
        let name = d.subtype.as_deref().unwrap_or(d.kind.as_str());
        number(
            &format!("negative.accountability[{i}].points"),
            &format!("「{}·{name}」扣分", d.kind),
            d.points,
            0.0,
            100.0,
        )?;
        if let Some(sub) = &d.subtype
            && !d.kind.subtypes().iter().any(|(s, _)| s == sub)
        {
            return Err(Error::invalid(
                format!("negative.accountability[{i}].subtype"),
                format!("「{sub}」不是「{}」的种类", d.kind),
            ));
        }
        if d.max_grade == Grade::Undetermined {
            return Err(Error::invalid(
                format!("negative.accountability[{i}].maxGrade"),
                format!("「{}·{name}」的等次上限应为四个等次之一", d.kind),
            ));
        }
        if !rules.insert((d.kind, d.subtype.clone())) {
            return Err(Error::invalid(
                format!("negative.accountability[{i}]"),
                format!("「{}·{name}」重复设置了扣分规则", d.kind),
            ));
        }
    }
    for (field, label, v) in [
        ("negative.inaction", "为官不为扣分", n.inaction),
        ("negative.overdueRectification", "约谈、问题清单逾期未销号扣分", n.overdue_rectification),
        ("negative.cap", "负面扣减上限", n.cap),
    ] {
        number(field, label, v, 0.0, 100.0)?;
    }
    let c = &s.composite;
    weights(
        "composite.achievementWeight",
        "实绩、官评、民评",
        &[
            ("composite.achievementWeight", "实绩权重", c.achievement_weight),
            ("composite.officialWeight", "官评权重", c.official_weight),
            ("composite.publicWeight", "民评权重", c.public_weight),
        ],
    )?;
    weights(
        "composite.leadWeight",
        "牵头、参与事项",
        &[("composite.leadWeight", "牵头权重", c.lead_weight), ("composite.memberWeight", "参与权重", c.member_weight)],
    )?;
    let lines = [
        ("composite.excellentFrom", "优秀分数线", c.excellent_from),
        ("composite.competentFrom", "称职分数线", c.competent_from),
        ("composite.basicFrom", "基本称职分数线", c.basic_from),
    ];
    for (field, label, v) in lines {
        number(field, label, v, 0.0, 100.0)?;
    }
    descending(&lines, true)?;
    number("composite.excellentQuota", "优秀比例", c.excellent_quota, 0.0, 1.0)?;
    if !(1..=1000).contains(&c.quota_min_unit_size) {
        return Err(Error::invalid(
            "composite.quotaMinUnitSize",
            format!("合并计算名额的最少人数应在 1 到 1000 之间，实际为 {}", c.quota_min_unit_size),
        ));
    }
    let p = &s.promotion;
    if !(1..=10).contains(&p.years) {
        return Err(Error::invalid("promotion.years", format!("回看年数应在 1 到 10 之间，实际为 {}", p.years)));
    }
    number("promotion.leadBonus", "牵头事项加分", p.lead_bonus, 0.0, 100.0)?;
    number("promotion.leadBonusCap", "牵头事项加分上限", p.lead_bonus_cap, 0.0, 100.0)?;
    let levels = [
        ("promotion.excellentFrom", "「优」档分数线", p.excellent_from),
        ("promotion.goodFrom", "「良」档分数线", p.good_from),
        ("promotion.fairFrom", "「中」档分数线", p.fair_from),
    ];
    for (field, label, v) in levels {
        number(field, label, v, 0.0, 100.0)?;
    }
    descending(&levels, true)?;
    if p.min_grade == Grade::Undetermined {
        return Err(Error::invalid("promotion.minGrade", "任用资格要求的最低等次应为四个等次之一"));
    }
    if !(0..=240).contains(&p.min_months_in_post) {
        return Err(Error::invalid(
            "promotion.minMonthsInPost",
            format!("任现职最少月数应在 0 到 240 之间，实际为 {}", p.min_months_in_post),
        ));
    }
    let w = &s.warnings;
    if !(0..=90).contains(&w.due_soon_days) {
        return Err(Error::invalid(
            "warnings.dueSoonDays",
            format!("临近到期提醒天数应在 0 到 90 之间，实际为 {}", w.due_soon_days),
        ));
    }
    if !(1..w.orange_overdue_days).contains(&w.yellow_overdue_days) || w.orange_overdue_days > 3650 {
        return Err(Error::invalid(
            "warnings.orangeOverdueDays",
            format!(
                "黄色预警的逾期天数（{}）应小于橙色（{}），且都在 1 到 3650 天之间",
                w.yellow_overdue_days, w.orange_overdue_days
            ),
        ));
    }
    if !(2..=20).contains(&w.late_milestones_orange) {
        return Err(Error::invalid(
            "warnings.lateMilestonesOrange",
            format!("橙色预警的逾期节点个数应在 2 到 20 之间，实际为 {}", w.late_milestones_orange),
        ));
    }
    Ok(())
}
