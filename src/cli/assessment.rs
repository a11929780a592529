//! Assessment subcommands: `assess`, `evidence`, `compare`, and the records
//! the assessment reads (evaluations, protections, negative records, reports,
//! tolerance cases, final grades, schemes).

use clap::Subcommand;

use super::records::parse;
use super::{out, print_json};
use crate::archive::Archive;
use crate::assessment::AssessRequest;
use crate::assessment::explain::Explanation;
use crate::assessment::promotion::PromotionSummary;
use crate::error::Result;

#[derive(Subcommand)]
pub enum RecordCmd {
    /// 民主测评 / 群众评议: `--data '{"cadreId":1,"year":2025,"kind":"民主测评",…}'`.
    Evaluation {
        #[arg(long)]
        data: String,
    },
    /// Apply the protection clause (保护条款) to an evaluation.
    Protect {
        #[arg(long)]
        data: String,
    },
    /// 问责 / 为官不为 / 约谈 / 问题清单.
    Negative {
        #[arg(long)]
        data: String,
    },
    /// Close (销号) an interview or problem-list item.
    Close {
        id: i64,
        #[arg(long)]
        date: String,
        #[arg(long)]
        note: String,
    },
    /// A report (信访举报) against a cadre.
    Report {
        #[arg(long)]
        data: String,
    },
    /// The finding of a report; 不实 clears the cadre's name (澄清正名).
    Finding {
        report: i64,
        #[arg(long)]
        data: String,
    },
    /// A fault-tolerance case (容错免责) with the six aspects.
    Tolerance {
        #[arg(long)]
        data: String,
    },
    /// Decide (or correct) a tolerance case.
    Decide {
        id: i64,
        #[arg(long)]
        data: String,
    },
    /// A leader review (批示) of a dossier or a comparison, optionally signed off.
    Review {
        #[arg(long)]
        data: String,
    },
    /// The committee's final grade for a year.
    Grade {
        #[arg(long)]
        data: String,
    },
    /// The 个人总结 and 主管领导评语 of a cadre's 年度考核登记表, kept:
    /// `--data '{"cadreId":1,"year":2025,"summary":"…","leaderComment":"…"}'`.
    AppraisalText {
        #[arg(long)]
        data: String,
    },
    /// Print a cadre's 个人总结 and 主管领导评语 for a year: kept, or drafted from the
    /// year's work (`saved: false`), with the drafts.
    AppraisalTextShow {
        #[arg(long)]
        cadre: i64,
        #[arg(long)]
        year: i32,
    },
}

#[derive(Subcommand)]
pub enum SchemeCmd {
    /// Print the year's current scheme (JSON).
    Show {
        #[arg(long)]
        year: i32,
    },
    /// Save a new version of the year's scheme from a JSON file.
    Save {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        data: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

pub fn record(archive: &mut Archive, cmd: RecordCmd) -> Result<()> {
    use RecordCmd as C;
    match cmd {
        C::Evaluation { data } => print_json(&archive.add_evaluation(parse(&data)?)?),
        C::Protect { data } => print_json(&archive.protect_evaluation(parse(&data)?)?),
        C::Negative { data } => print_json(&archive.add_negative(parse(&data)?)?),
        C::Close { id, date, note } => print_json(&archive.close_negative(id, &date, &note)?),
        C::Report { data } => print_json(&archive.add_report(parse(&data)?)?),
        C::Finding { report, data } => print_json(&archive.record_finding(report, parse(&data)?)?),
        C::Tolerance { data } => print_json(&archive.add_tolerance_case(parse(&data)?)?),
        C::Decide { id, data } => print_json(&archive.decide_tolerance_case(id, parse(&data)?, "")?),
        C::Grade { data } => print_json(&archive.record_final_grade(parse(&data)?)?),
        C::Review { data } => print_json(&archive.add_review(parse(&data)?)?),
        C::AppraisalText { data } => print_json(&archive.save_appraisal_texts(parse(&data)?)?),
        C::AppraisalTextShow { cadre, year } => print_json(&archive.appraisal_texts(cadre, year)?),
    }
}

pub fn scheme(archive: &mut Archive, cmd: SchemeCmd) -> Result<()> {
    match cmd {
        SchemeCmd::Show { year } => print_json(&archive.scheme(year)?),
        SchemeCmd::Save { year, data, note } => print_json(&archive.save_scheme(year, parse(&data)?, &note)?),
    }
}

fn tree(e: &Explanation) -> String {
    let mut s = String::new();
    e.render(2, &mut s);
    s
}

pub fn assess(archive: &Archive, req: AssessRequest, json: bool) -> Result<()> {
    let report = archive.assess(&req)?;
    if json {
        return print_json(&report);
    }
    out!("{} 年度考核（统计至 {}，考核方案第 {} 版）", report.year, report.as_of, report.scheme_version);
    out!("{}", report.date_rule);
    for c in &report.cadres {
        let score = c.composite.value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"));
        let final_grade =
            c.final_grade.as_ref().map_or_else(String::new, |g| format!("，确定等次：{}", g.fields.grade));
        out!(
            "\n[{}] {}  {}  {}  综合 {score}  建议：{}{final_grade}",
            c.cadre_id,
            c.name,
            c.unit_name,
            c.post,
            c.suggested.grade
        );
        if let Some(by_score) = c.suggested.by_score.filter(|g| *g != c.suggested.grade) {
            out!("    按分数为「{by_score}」，调整为「{}」：{}", c.suggested.grade, c.suggested.adjustments.join("；"));
        }
        for r in &c.suggested.reasons {
            out!("    · {r}");
        }
        for d in &c.decisions {
            out!("    【{}】{}", d.kind, d.text);
        }
        out!("{}", tree(&c.composite).trim_end());
    }
    for q in &report.quotas {
        out!(
            "\n{}：参加考核 {} 人，优秀名额 {}，建议优秀 {}，超额 {}",
            q.unit_name,
            q.assessed,
            q.allowed,
            q.excellent,
            q.over_quota
        );
    }
    Ok(())
}

pub fn markdown(s: &PromotionSummary) -> String {
    let mut md = format!(
        "# {} 干事实绩与任用依据（{} 年度，统计至 {}）\n\n{}，{}。考核方案第 {} 版；回看 {}–{} 年。\n\n## 四个维度\n\n| 维度 | 得分 | 档次 | 依据记录 |\n|---|---|---|---|\n",
        s.name,
        s.year,
        s.as_of,
        s.unit_name,
        s.post,
        s.scheme_version,
        s.window.first().copied().unwrap_or(s.year),
        s.year
    );
    for d in &s.dimensions {
        let score = d.score.value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"));
        let records: Vec<String> = d.records.iter().map(|r| format!("{}#{}", r.kind, r.id)).collect();
        md.push_str(&format!("| {} | {score} | {} | {} |\n", d.name, d.level, records.join(" ")));
    }
    md.push_str("\n## 资格审查\n\n");
    for c in &s.eligibility {
        md.push_str(&format!("- {} {}：{}\n", if c.passed { "✔" } else { "✘" }, c.rule, c.detail));
    }
    md.push_str(&format!("\n结论：{}\n", if s.eligible { "符合资格条件" } else { "不符合资格条件（见上）" }));
    if !s.decisions.is_empty() {
        md.push_str("\n## 组织决定\n\n");
        for d in &s.decisions {
            md.push_str(&format!("- 【{}】{}\n", d.kind, d.text));
        }
    }
    md.push_str("\n## 计算说明\n\n```\n");
    for d in &s.dimensions {
        md.push_str(&tree(&d.score));
    }
    md.push_str("```\n");
    md
}
