//! The two texts of a 年度考核登记表 that people write: the 个人总结 (the cadre's
//! own first-person account) and the 主管领导评语. The clerk drafts them from
//! the year's work in the archive — what was planned, done and achieved, in
//! words, no scores or rules — edits them and keeps them per cadre and year;
//! the form prints what is kept (the draft while nothing is).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::Archive;
use crate::assessment::AssessRequest;
use crate::assessment::yearly::CadreAssessment;
use crate::enums::{Grade, ParticipantRole, Stage};
use crate::error::{Error, Result};
use crate::records::appraisal_texts::{self, AppraisalText, AppraisalTextInput};
use crate::records::{outcomes, plans};

/// What the window shows to edit a cadre's texts for a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppraisalTexts {
    pub cadre_id: i64,
    pub year: i32,
    pub name: String,
    /// The texts kept, or the drafts while none are.
    pub summary: String,
    pub leader_comment: String,
    /// Whether the texts above are kept (false: they are the drafts).
    pub saved: bool,
    /// Drafts from the year's work, to start again from.
    pub draft_summary: String,
    pub draft_comment: String,
    /// The grade printed beside the comment: the one the committee decided
    /// against once it has decided, the current suggestion before.
    pub suggested: Grade,
}

/// The year's texts for the form: kept, or drafted.
pub(crate) fn for_form(conn: &rusqlite::Connection, a: &CadreAssessment, year: i32) -> Result<(String, String)> {
    Ok(match appraisal_texts::get(conn, a.cadre_id, year)? {
        Some(t) => (t.fields.summary, t.fields.leader_comment),
        None => (draft_summary(conn, a, year)?, draft_comment(a, year)),
    })
}

fn sentence(text: &str) -> String {
    let t = text.trim().trim_end_matches(['。', '；', ';', '.', '，', ',']);
    if t.is_empty() { String::new() } else { format!("{t}。") }
}

/// 「一、」「二、」 … for the items of the draft.
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The 个人总结 a cadre might write from the archive: each item of the year in
/// the first person — the role, the goal and measures, the milestones kept, the
/// outcome and any recognition — and nothing the cadre would not say (no scores).
fn draft_summary(conn: &rusqlite::Connection, a: &CadreAssessment, year: i32) -> Result<String> {
    let year_end = format!("{year}-12-31");
    let mut out = vec![format!("{year}年，本人任{}。一年来主要做了以下工作：", a.post)];
    if a.initiatives.is_empty() {
        out[0] = format!("{year}年，本人任{}，按照岗位职责完成各项工作。", a.post);
    }
    for (n, i) in a.initiatives.iter().enumerate() {
        let mut text = format!("{}、{}。", ordinal(n + 1), sentence(&i.title).trim_end_matches('。'));
        let role = match i.role {
            ParticipantRole::Lead => "本人牵头此项工作",
            ParticipantRole::Member => "本人参与此项工作",
        };
        let plan = plans::plan(conn, i.initiative_id)?;
        match plan.as_ref().map(|p| p.fields.goal.trim()).filter(|g| !g.is_empty()) {
            Some(goal) => text.push_str(&format!("{role}，目标是{}", sentence(goal))),
            None => text.push_str(&format!("{role}。")),
        }
        if let Some(measures) = plan.as_ref().map(|p| p.fields.measures.trim()).filter(|m| !m.is_empty()) {
            text.push_str(&format!("主要措施：{}", sentence(measures)));
        }
        let due: Vec<_> = plans::milestones(conn, i.initiative_id)?
            .into_iter()
            .filter(|m| m.fields.due_date.as_str() <= year_end.as_str())
            .collect();
        if !due.is_empty() {
            let on_time =
                due.iter().filter(|m| m.fields.done_date.as_ref().is_some_and(|d| *d <= m.fields.due_date)).count();
            let late =
                due.iter().filter(|m| m.fields.done_date.as_ref().is_some_and(|d| *d > m.fields.due_date)).count();
            let open = due.len() - on_time - late;
            let mut kept = format!("计划节点 {} 个，按期完成 {on_time} 个", due.len());
            if late > 0 {
                kept.push_str(&format!("，延期完成 {late} 个"));
            }
            if open > 0 {
                kept.push_str(&format!("，尚未完成 {open} 个"));
            }
            text.push_str(&format!("{kept}。"));
        }
        match outcomes::outcome(conn, i.initiative_id)?.filter(|o| o.fields.recorded_on.as_str() <= year_end.as_str()) {
            Some(o) if !o.fields.narrative.trim().is_empty() => text.push_str(&sentence(&o.fields.narrative)),
            _ => text.push_str(match i.stage {
                Stage::Plan => "目前正在谋划推进。",
                Stage::Execution | Stage::Outcome => "目前正在推进落实。",
            }),
        }
        for r in outcomes::recognitions(conn, i.initiative_id)?
            .into_iter()
            .filter(|r| r.fields.date.starts_with(&year.to_string()))
        {
            text.push_str(&format!("此项工作获{}肯定（{}：{}）。", r.fields.body, r.fields.level, r.fields.title));
        }
        out.push(text);
    }
    Ok(out.join("\n"))
}

/// The 主管领导评语 drafted from the same record, in the third person and in
/// words: how many items the cadre led or took part in, how many show results,
/// recognitions. The grade is printed beside it, not written into it.
fn draft_comment(a: &CadreAssessment, year: i32) -> String {
    let led = a.initiatives.iter().filter(|i| i.role == ParticipantRole::Lead).count();
    let joined = a.initiatives.len() - led;
    let delivered = a.initiatives.iter().filter(|i| i.stage == Stage::Outcome).count();
    if a.initiatives.is_empty() {
        return format!("{}同志{year}年度能够履行岗位职责。", a.name);
    }
    let mut parts = Vec::new();
    if led > 0 {
        parts.push(format!("牵头{led}项工作"));
    }
    if joined > 0 {
        parts.push(format!("参与{joined}项工作"));
    }
    let mut text = format!("{}同志{year}年度{}", a.name, parts.join("、"));
    if delivered > 0 {
        text.push_str(&format!("，其中{delivered}项已取得成效"));
    }
    text.push('。');
    text
}

impl Archive {
    fn assessed(&self, cadre_id: i64, year: i32) -> Result<CadreAssessment> {
        let report = self.assess(&AssessRequest { year, unit_id: None, cadre_id: Some(cadre_id), as_of: None })?;
        report.cadres.into_iter().next().ok_or_else(|| Error::State("该干部不在本年度考核范围内（非在职）".to_owned()))
    }

    /// A cadre's 个人总结 and 主管领导评语 for a year: kept, or drafted from the year's work.
    pub fn appraisal_texts(&self, cadre_id: i64, year: i32) -> Result<AppraisalTexts> {
        self.require_cadre(cadre_id)?;
        let a = self.assessed(cadre_id, year)?;
        let conn = self.conn();
        let (draft_summary, draft_comment) = (draft_summary(conn, &a, year)?, draft_comment(&a, year));
        let stored = appraisal_texts::get(conn, cadre_id, year)?;
        let suggested = a.final_grade.as_ref().map_or(a.suggested.grade, |g| g.suggested);
        Ok(AppraisalTexts {
            cadre_id,
            year,
            name: a.name.clone(),
            summary: stored.as_ref().map_or_else(|| draft_summary.clone(), |t| t.fields.summary.clone()),
            leader_comment: stored.as_ref().map_or_else(|| draft_comment.clone(), |t| t.fields.leader_comment.clone()),
            saved: stored.is_some(),
            draft_summary,
            draft_comment,
            suggested,
        })
    }

    /// Keep a cadre's texts for a year (the earlier wording stays in the history).
    pub fn save_appraisal_texts(&mut self, input: AppraisalTextInput) -> Result<AppraisalText> {
        self.require_role(&[crate::enums::Role::Clerk, crate::enums::Role::Appraisal], "填写考核登记表")?;
        self.require_cadre(input.cadre_id)?;
        self.with_tx(|tx| appraisal_texts::save_in(tx, &input))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn items_are_numbered_in_chinese() {
        let n: Vec<String> = [1, 9, 10, 11, 20, 23].into_iter().map(super::ordinal).collect();
        assert_eq!(n, ["一", "九", "十", "十一", "二十", "二十三"]);
    }
}
