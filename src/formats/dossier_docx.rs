//! The 干事档案 of a cadre as a Word document, for a 任用 meeting: a first page a
//! leader reads in five minutes (three years of 年度考核, the four dimensions
//! with their level and one sentence each, eligibility with its reasons, 批示),
//! then the record behind it — basic information, posts, every initiative with
//! its stage scores and their reasons in words, the decisions, and the 任免审批表
//! information (简历, family). No record ids anywhere; the length follows the
//! content.

use super::docx::{self, Block};
use super::exports::{age_at, current_post_since, ym};
use crate::archive::Archive;
use crate::assessment::AssessRequest;
use crate::assessment::explain::{Explanation, Source};
use crate::assessment::promotion::Dimension;
use crate::dossier::{InitiativeView, MilestoneState};
use crate::error::Result;
use crate::records::profiles;

/// The records behind a figure, in words: 「谋事评价 2 条、跟踪记实 5 条」 — no record ids
/// (the archive's own screens lead to each record); reports and clearings as
/// 「有关反映」 (docs/formats.md, confidentiality).
pub(super) fn records_in_words(sources: &[Source]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for s in sources {
        let label = match s.kind.as_str() {
            "report" | "clearing" => "有关反映",
            kind => crate::archive::seal::label(kind).unwrap_or("记录"),
        };
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    if counts.is_empty() {
        return "—".to_owned();
    }
    counts.iter().map(|(l, n)| format!("{l} {n} 条")).collect::<Vec<_>>().join("、")
}

fn score(e: &Explanation) -> String {
    e.value.map_or_else(|| "未评".to_owned(), |v| format!("{v:.2} 分"))
}

/// One sentence for a dimension: its level and score, the rule behind it in
/// words, and the records it rests on (counted, never by id).
fn dimension_sentence(d: &Dimension) -> String {
    let rule = super::confidential::without_ids(d.score.rule.trim_end_matches('。'));
    match d.score.value {
        None => format!("{}：暂无依据（{rule}）。", d.name),
        Some(v) if d.records.is_empty() => format!("{}：{}（{v:.2} 分）。{rule}。", d.name, d.level),
        Some(v) => {
            format!("{}：{}（{v:.2} 分）。{rule}；依据{}。", d.name, d.level, records_in_words(&d.records))
        }
    }
}

/// A stage's score and its reasons in words: the rule, then each input with its
/// own value and rule (「时间节点按期率 50.00 分：到期节点 2 个，按期完成 1 个」).
fn stage_lines(e: &Explanation) -> Vec<String> {
    let clean = super::confidential::without_ids;
    let mut lines = vec![format!("{}：{}（{}）", e.label, score(e), clean(&e.rule))];
    for c in &e.children {
        lines.push(format!("  · {}：{}（{}）", c.label, score(c), clean(&c.rule)));
    }
    lines
}

/// Milestones in words: 「节点 3 个：按期完成 2 个、逾期完成 1 个」.
fn milestones_in_words(v: &InitiativeView) -> String {
    let count = |s: MilestoneState| v.milestone_status.iter().filter(|m| m.state == s).count();
    let parts: Vec<String> = [
        (MilestoneState::OnTime, "按期完成"),
        (MilestoneState::Late, "逾期完成"),
        (MilestoneState::Overdue, "已逾期未完成"),
        (MilestoneState::Pending, "未到期"),
    ]
    .into_iter()
    .filter_map(|(s, word)| Some(count(s)).filter(|n| *n > 0).map(|n| format!("{word} {n} 个")))
    .collect();
    if parts.is_empty() {
        "未设时间节点".to_owned()
    } else {
        format!("时间节点 {} 个：{}", v.milestone_status.len(), parts.join("、"))
    }
}

impl Archive {
    /// The 干事档案 of a cadre as a Word document, the promotion summary of `year`.
    pub fn dossier_docx(&mut self, cadre_id: i64, year: i32) -> Result<Vec<u8>> {
        let today = self.today();
        let d = self.dossier(cadre_id, &today)?;
        let records = self.cadre_records(cadre_id)?;
        let summary = self.promotion_evidence(cadre_id, year, None)?;
        // A cadre no longer serving (调出, 退休) has no year to assess: the record stands without it.
        let assessed = match self.assess(&AssessRequest { year, unit_id: None, cadre_id: Some(cadre_id), as_of: None })
        {
            Ok(report) => report.cadres.into_iter().next(),
            Err(crate::error::Error::State(_)) => None,
            Err(e) => return Err(e),
        };
        let conn = self.conn();
        let profile = profiles::get(conn, cadre_id)?.unwrap_or_default();
        let since = current_post_since(conn, cadre_id)?;
        let c = &d.cadre.fields;
        let mut blocks = vec![
            Block::Title(format!("干事档案：{}", c.name)),
            Block::Text(format!(
                "{}　{}{}　{}　任现职 {}　{}",
                d.unit_path.join(" / "),
                c.post,
                if c.rank.is_empty() { String::new() } else { format!("（{}）", c.rank) },
                age_at(&c.birth, &summary.as_of),
                ym(since.get(..7).unwrap_or(&since)),
                c.education
            )),
            Block::Heading(format!("任用摘要（{year} 年度，统计至 {}）", summary.as_of)),
        ];
        // The first page: what a 任用 meeting decides on.
        let grades: Vec<String> = summary
            .grades
            .iter()
            .map(|g| {
                format!(
                    "{} 年 {}",
                    g.year,
                    g.grade.map_or("未确定".to_owned(), |x| x.word(c.staff_category).to_owned())
                )
            })
            .collect();
        blocks.push(Block::Text(format!("年度考核：{}", grades.join("；"))));
        blocks.push(Block::Text(summary.dimensions.iter().map(dimension_sentence).collect::<Vec<_>>().join("\n")));
        let failed: Vec<String> = summary
            .eligibility
            .iter()
            .filter(|e| !e.passed)
            .map(|e| format!("{}（{}）", e.rule, super::confidential::detail(&e.detail)))
            .collect();
        blocks.push(Block::Text(if summary.eligible {
            format!(
                "任职资格：符合（{}）。",
                summary.eligibility.iter().map(|e| e.rule.as_str()).collect::<Vec<_>>().join("、")
            )
        } else {
            format!("任职资格：不符合——{}。", failed.join("；"))
        }));
        let reviews: Vec<String> = records
            .reviews
            .iter()
            .map(|r| format!("{} {}：{}", r.at.get(..10).unwrap_or(&r.at), r.author, r.fields.text))
            .collect();
        blocks.push(Block::Text(if reviews.is_empty() {
            "领导批示：无。".to_owned()
        } else {
            format!("领导批示：\n{}", reviews.join("\n"))
        }));
        blocks.push(Block::PageBreak);

        blocks.push(Block::Heading("一、基本情况".into()));
        let political = Some(profile.political.clone())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| if c.party_date.is_some() { "中共党员".into() } else { "群众".into() });
        blocks.push(Block::table(docx::facts(&[
            ("姓名", c.name.clone()),
            ("性别", c.gender.to_string()),
            ("出生年月", format!("{}（{}）", ym(&c.birth), age_at(&c.birth, &summary.as_of))),
            ("民族", c.ethnicity.clone()),
            ("籍贯", c.native_place.clone()),
            ("政治面貌", political),
            ("入党时间", c.party_date.as_deref().map(ym).unwrap_or_default()),
            ("参加工作时间", c.work_start.as_deref().map(ym).unwrap_or_default()),
            ("学历", c.education.clone()),
            ("单位", d.unit_path.join(" / ")),
            ("现任职务", c.post.clone()),
            ("职级", c.rank.clone()),
            ("任现职时间", ym(since.get(..7).unwrap_or(&since))),
            ("管理权限、人员类别", format!("{}、{}", c.management_level, c.staff_category)),
        ])));
        blocks.push(Block::Heading("二、任职经历".into()));
        blocks.push(Block::table(docx::grid(
            &["起止时间", "单位", "职务", "职级"],
            &[3, 4, 4, 2],
            &d.posts
                .iter()
                .map(|p| {
                    vec![
                        format!(
                            "{} — {}",
                            ym(p.post.fields.start_date.get(..7).unwrap_or(&p.post.fields.start_date)),
                            p.post
                                .fields
                                .end_date
                                .as_deref()
                                .map_or("至今".to_owned(), |e| ym(e.get(..7).unwrap_or(e)))
                        ),
                        p.unit_name.clone(),
                        p.post.fields.title.clone(),
                        p.post.fields.rank.clone(),
                    ]
                })
                .collect::<Vec<_>>(),
        )));

        blocks.push(Block::Heading("三、干事事项（谋事 → 干事 → 成事）".into()));
        for v in &d.initiatives {
            let r = &v.record;
            let i = &r.initiative;
            let role =
                v.participant_names.iter().find(|p| p.cadre_id == Some(cadre_id)).map_or("", |p| p.role.as_str());
            let mut lines = vec![format!(
                "{}，本人{}；开始于 {}，现处{}阶段",
                i.fields.category,
                role,
                ym(&i.fields.start_date),
                i.stage
            )];
            if let Some(p) = &r.plan {
                lines.push(format!("谋事：目标 {}；措施 {}", p.goal, p.measures));
            }
            lines.push(format!("{}；跟踪考评 {} 次", milestones_in_words(v), r.tracking.len()));
            if let Some(o) = &r.outcome {
                lines.push(format!("成事：{}。{}", o.achievement, o.narrative));
            }
            for rec in &r.recognitions {
                lines.push(format!(
                    "表彰肯定：{}（{}，{}，{}）",
                    rec.fields.title, rec.fields.level, rec.fields.body, rec.fields.date
                ));
            }
            if let Some(on) = &i.stopped_on {
                lines.push(format!("已于 {on} 中止：{}", i.stop_reason.as_deref().unwrap_or("未写明原因")));
            }
            // The year's stage scores with their reasons, where this item was assessed.
            if let Some(a) = assessed.as_ref().and_then(|a| a.initiatives.iter().find(|x| x.initiative_id == i.id)) {
                lines.push(format!("{year} 年度评价：事项得分 {}", score(&a.score)));
                for stage in [&a.plan, &a.execution, &a.outcome] {
                    lines.extend(stage_lines(stage));
                }
            }
            if !v.evidence.is_empty() {
                let names: Vec<&str> = v.evidence.iter().map(|e| e.name.as_str()).collect();
                lines.push(format!("佐证材料：{}", names.join("、")));
            }
            blocks.push(Block::Text(format!("【{}】\n{}", i.fields.title, lines.join("\n"))));
        }
        if d.initiatives.is_empty() {
            blocks.push(Block::Text("（暂无干事事项）".into()));
        }
        blocks.push(Block::Heading(format!("四、任用依据（{} 年）", summary.year)));
        blocks.push(Block::table(docx::grid(
            &["维度", "水平", "得分", "依据记录"],
            &[2, 2, 2, 6],
            &summary
                .dimensions
                .iter()
                .map(|dim| {
                    vec![
                        dim.name.clone(),
                        dim.level.clone(),
                        dim.score.value.map_or("—".into(), |v| format!("{v:.2}")),
                        records_in_words(&dim.records),
                    ]
                })
                .collect::<Vec<_>>(),
        )));
        blocks.push(Block::table(docx::grid(
            &["任职资格条件", "是否符合", "说明"],
            &[3, 2, 7],
            &summary
                .eligibility
                .iter()
                .map(|e| {
                    let passed = if e.passed { "符合" } else { "不符合" };
                    vec![e.rule.clone(), passed.to_owned(), super::confidential::detail(&e.detail)]
                })
                .collect::<Vec<_>>(),
        )));
        blocks.push(Block::Heading("五、组织决定（容错免责、保护条款、澄清正名）".into()));
        let decisions: Vec<String> =
            summary.decisions.iter().map(|n| format!("· {}：{}", n.kind, super::confidential::decision(n))).collect();
        blocks.push(Block::Text(if decisions.is_empty() { "（无）".into() } else { decisions.join("\n") }));
        let evaluations = records.evaluations.len();
        let negatives = records.negatives.len();
        blocks.push(Block::Text(format!("测评记录 {evaluations} 条；负面记录 {negatives} 条（含已销号）。")));

        blocks.push(Block::Heading("六、任免审批表信息".into()));
        let resume = if profile.resume.trim().is_empty() {
            "（未导入任免审批表）".to_owned()
        } else {
            profile.resume.clone()
        };
        blocks.push(Block::Text(format!("简历：\n{resume}")));
        if !profile.rewards.trim().is_empty() {
            blocks.push(Block::Text(format!("奖惩情况：{}", profile.rewards)));
        }
        if !profile.appraisal_results.trim().is_empty() {
            blocks.push(Block::Text(format!("年度考核结果（任免审批表）：{}", profile.appraisal_results)));
        }
        if !profile.family.is_empty() {
            blocks.push(Block::table(docx::grid(
                &["称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务"],
                &[2, 2, 2, 2, 6],
                &profile
                    .family
                    .iter()
                    .map(|m| {
                        vec![m.relation.clone(), m.name.clone(), ym(&m.birth), m.political.clone(), m.work.clone()]
                    })
                    .collect::<Vec<_>>(),
            )));
        }
        let bytes = docx::document(blocks)?;
        self.log_event("导出", &format!("cadre#{cadre_id}"), "干事档案 Word")?;
        Ok(bytes)
    }
}
