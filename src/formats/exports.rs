//! What the archive hands over: a unit's appraisal sheets (one 年度考核登记表
//! per cadre and the roster), a cadre's dossier in Word, a cadre's LRMX file,
//! the promotion comparison in Excel. Every export checks role and scope and
//! is recorded in the audit trail.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::docx::{self, AppraisalForm};
use super::{lrmx, xlsx};
use crate::archive::Archive;
use crate::assessment::AssessRequest;
use crate::assessment::yearly::CadreAssessment;
use crate::enums::{Grade, Role};
use crate::error::{Error, Result};
use crate::job::Job;
use crate::records::{cadres, profiles, units};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub dir: String,
    /// File names written, the roster last.
    pub files: Vec<String>,
}

/// When the cadre's current post began (`YYYY-MM-DD`; empty when none is open).
pub(super) fn current_post_since(conn: &rusqlite::Connection, cadre_id: i64) -> Result<String> {
    Ok(cadres::posts(conn, cadre_id)?
        .into_iter()
        .filter(|p| p.fields.end_date.is_none())
        .map(|p| p.fields.start_date)
        .min()
        .unwrap_or_default())
}

/// A file name from a person's or unit's name: no separators or reserved characters.
fn safe(name: &str) -> String {
    name.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect()
}

/// Write through a `.partial` beside the target, readable by its owner only
/// (personnel data), then rename; a failed write leaves nothing behind.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::archive::write_private(path, &path.with_extension("partial"), bytes)
}

/// Full years at `as_of` of someone born in `birth` (`YYYY-MM`): 「47 岁」.
pub(super) fn age_at(birth: &str, as_of: &str) -> String {
    let n = |t: &str, r: std::ops::Range<usize>| t.get(r).and_then(|x| x.parse::<i32>().ok());
    match (n(birth, 0..4), n(birth, 5..7), n(as_of, 0..4), n(as_of, 5..7)) {
        (Some(by), Some(bm), Some(ay), Some(am)) => format!("{} 岁", ay - by - i32::from(am < bm)),
        _ => String::new(),
    }
}

pub(super) fn ym(text: &str) -> String {
    text.replace('-', ".")
}

impl Archive {
    fn require_export(&self, what: &str) -> Result<()> {
        self.require_role(&[Role::Appraisal, Role::Clerk], what)
    }

    /// The 年度考核登记表 of one assessed cadre.
    fn appraisal_form(&self, a: &CadreAssessment, year: i32, unit: &str) -> Result<Vec<u8>> {
        let conn = self.conn();
        let c = cadres::get(conn, a.cadre_id)?;
        let since = current_post_since(conn, a.cadre_id)?;
        // The cadre's 个人总结 and the 主管领导评语 as kept (drafted from the year's work
        // while nothing is kept; `appraisal_texts`): words, never scores or rules.
        let (summary, comment) = super::appraisal_texts::for_form(conn, a, year)?;
        // Once the committee has decided, the suggestion it decided against is the one printed
        // (stored with its decision), not one recomputed on the day of the export.
        let suggested = a.final_grade.as_ref().map_or(a.suggested.grade, |g| g.suggested);
        let mut leader = format!("{}\n\n建议等次：{}。", comment.trim_end(), suggested.word(c.fields.staff_category));
        // An allegation is said in neutral words on a form the cadre signs (docs/formats.md);
        // the scheme's thresholds (「优秀 ≥ 85…」) are the rule, not a comment: left out here.
        let reasons = super::confidential::reasons(&a.suggested.reasons);
        let said: Vec<&String> = reasons.iter().filter(|r| !r.contains('≥')).collect();
        if !said.is_empty() {
            leader.push_str(&format!("\n{}", said.iter().map(|r| r.as_str()).collect::<Vec<_>>().join("；")));
        }
        let committee = match &a.final_grade {
            Some(g) => format!(
                "确定为「{}」。{}（{}，{}）",
                g.fields.grade.word(c.fields.staff_category),
                if g.fields.reason.is_empty() { String::new() } else { format!("理由：{}。", g.fields.reason) },
                g.fields.decided_by,
                g.fields.decided_on
            ),
            None => "尚未确定等次。".to_owned(),
        };
        let undetermined = if a.suggested.grade == Grade::Undetermined
            || a.final_grade.as_ref().is_some_and(|g| g.fields.grade == Grade::Undetermined)
        {
            reasons.join("；")
        } else {
            String::new()
        };
        docx::appraisal_form(&AppraisalForm {
            year,
            unit: unit.to_owned(),
            name: c.fields.name.clone(),
            gender: c.fields.gender.to_string(),
            birth: ym(&c.fields.birth),
            political: match profiles::get(conn, c.id)?.map(|p| p.political).filter(|p| !p.is_empty()) {
                Some(stated) => stated,
                None if c.fields.party_date.is_some() => "中共党员".into(),
                None => "群众".into(),
            },
            staff: c.fields.staff_category,
            // 单位及职务职级: the unit's full name, the post and the rank (「丰河县发改局局长，正科级」).
            unit_and_post: {
                let post = super::post_words::full_post(&units::path_names(conn, c.fields.unit_id)?, &a.post);
                if c.fields.rank.is_empty() { post } else { format!("{post}，{}", c.fields.rank) }
            },
            post_since: ym(since.get(..7).unwrap_or(&since)),
            duties: a.post.clone(),
            summary,
            leader_comment: leader,
            committee,
            undetermined,
        })
    }

    /// One 年度考核登记表 (.docx) per cadre of `unit` and the roster (.xlsx), into `dir`,
    /// reporting to `job`. Cancelled or failed part-way, the files it wrote are removed.
    pub fn export_appraisal(&mut self, year: i32, unit: i64, dir: &Path, job: &Job) -> Result<ExportReport> {
        self.require_export("导出考核登记表")?;
        let report = self.assess_job(&AssessRequest { year, unit_id: Some(unit), cadre_id: None, as_of: None }, job)?;
        let unit_name = units::get(self.conn(), unit)?.fields.name;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut files = Vec::with_capacity(report.cadres.len() + 1);
        let written = self.write_appraisal(year, &unit_name, &report, dir, job, &mut files);
        if let Err(e) = written {
            for f in &files {
                let _ = std::fs::remove_file(dir.join(f));
            }
            return Err(e);
        }
        self.log_event(
            "导出",
            &format!("unit#{unit}"),
            &format!("{year} 年度考核登记表 {} 份 → {}", files.len() - 1, dir.display()),
        )?;
        Ok(ExportReport { dir: dir.display().to_string(), files })
    }

    fn write_appraisal(
        &self,
        year: i32,
        unit_name: &str,
        report: &crate::assessment::AssessmentReport,
        dir: &Path,
        job: &Job,
        files: &mut Vec<String>,
    ) -> Result<()> {
        job.phase_counting("导出登记表", report.cadres.len() as u64 + 1, "个文件")?;
        // File names in the user's words: the name, and where two share it, the birth
        // month too (then a number) — never the archive's ids.
        let all: Vec<cadres::Cadre> =
            report.cadres.iter().map(|a| cadres::get(self.conn(), a.cadre_id)).collect::<Result<_>>()?;
        let mut taken = std::collections::HashSet::new();
        for (a, c) in report.cadres.iter().zip(&all) {
            let birth = &c.fields.birth;
            let mut stem = format!("{year}年度考核登记表-{}", safe(&a.name));
            if report.cadres.iter().filter(|b| b.name == a.name).count() > 1 {
                stem.push_str(&format!("（{}）", ym(birth)));
            }
            let mut name = format!("{stem}.docx");
            let mut n = 2;
            // Never over another cadre's form already in the folder (another unit's export).
            while !taken.insert(name.clone()) || dir.join(&name).exists() {
                name = format!("{stem}-{n}.docx");
                n += 1;
            }
            write_file(&dir.join(&name), &self.appraisal_form(a, year, unit_name)?)?;
            files.push(name);
            job.advance(1)?;
        }
        let roster = format!("{year}年度考核结果汇总表-{}.xlsx", safe(unit_name));
        write_file(&dir.join(&roster), &xlsx::appraisal_roster(report, unit_name, &all)?)?;
        files.push(roster);
        job.advance(1)
    }

    /// The roster alone (for the window's download).
    pub fn appraisal_roster_xlsx(&mut self, year: i32, unit: i64) -> Result<Vec<u8>> {
        self.require_export("导出考核结果汇总表")?;
        let report = self.assess(&AssessRequest { year, unit_id: Some(unit), cadre_id: None, as_of: None })?;
        let unit_name = units::get(self.conn(), unit)?.fields.name;
        let all: Vec<cadres::Cadre> =
            report.cadres.iter().map(|a| cadres::get(self.conn(), a.cadre_id)).collect::<Result<_>>()?;
        let bytes = xlsx::appraisal_roster(&report, &unit_name, &all)?;
        self.log_event("导出", &format!("unit#{unit}"), &format!("{year} 年度考核结果汇总表"))?;
        Ok(bytes)
    }

    /// The promotion comparison as a workbook.
    pub fn comparison_xlsx(&mut self, ids: &[i64], year: i32) -> Result<Vec<u8>> {
        let summaries = self.compare(ids, year)?;
        let mut candidates = Vec::with_capacity(summaries.len());
        for s in &summaries {
            candidates.push(self.candidate(s)?);
        }
        let bytes = xlsx::comparison(&summaries, &candidates)?;
        let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
        self.log_event("导出", "comparison", &format!("{year} 任用比较：{}", list.join(",")))?;
        Ok(bytes)
    }

    /// What the comparison shows of a candidate besides the promotion summary.
    fn candidate(&self, s: &crate::assessment::promotion::PromotionSummary) -> Result<xlsx::Candidate> {
        let conn = self.conn();
        let c = cadres::get(conn, s.cadre_id)?;
        let since = current_post_since(conn, s.cadre_id)?;
        let age = age_at(&c.fields.birth, &s.as_of);
        let report =
            self.assess(&AssessRequest { year: s.year, unit_id: None, cadre_id: Some(s.cadre_id), as_of: None })?;
        let (composite, suggested) = report.cadres.first().map_or_else(
            || ("—".to_owned(), "—".to_owned()),
            |a| (a.composite.value.map_or("—".into(), |v| format!("{v:.2}")), a.suggested.grade.to_string()),
        );
        Ok(xlsx::Candidate {
            age,
            post_since: ym(since.get(..7).unwrap_or(&since)),
            rank: c.fields.rank.clone(),
            education: c.fields.education.clone(),
            unit_path: units::path_names(conn, c.fields.unit_id)?.join(" / "),
            composite,
            suggested,
        })
    }

    /// A cadre's LRMX file: the stored 任免审批表 details with the archive's
    /// yearly appraisal results and rewards/punishments filled in.
    pub fn export_lrmx(&mut self, cadre_id: i64) -> Result<String> {
        self.require_cadre(cadre_id)?;
        let text = self.lrmx_text(cadre_id)?;
        self.log_event("导出", &format!("cadre#{cadre_id}"), "任免审批表 LRMX")?;
        Ok(text)
    }

    fn lrmx_text(&self, cadre_id: i64) -> Result<String> {
        let conn = self.conn();
        let c = cadres::get(conn, cadre_id)?;
        let stored = profiles::get(conn, cadre_id)?;
        let imported = stored.is_some();
        let mut profile = stored.unwrap_or_default();
        let photo = profiles::photo(conn, cadre_id)?;
        let decided: Vec<(i32, Grade)> = crate::records::final_grades::of_cadre(conn, cadre_id)?
            .into_iter()
            .map(|g| (g.fields.year, g.fields.grade))
            .collect();
        // The text as imported while it states exactly the archive's grades (its own
        // wording kept: 「2021年年度考核合格」); otherwise the archive's grades.
        let mut stated = super::normalize::yearly_grades(&profile.appraisal_results);
        stated.sort_unstable_by_key(|(year, _)| *year);
        if !decided.is_empty() && stated != decided {
            profile.appraisal_results = decided
                .iter()
                .map(|(year, grade)| format!("{year}年度考核{}", grade.word(c.fields.staff_category)))
                .collect::<Vec<_>>()
                .join("；");
        }
        // 奖惩情况 is the person's own rewards and sanctions (the 任免审批表's convention):
        // a recognition of a work item is the item's, shown in the 干事档案, not here.
        let mut rewards: Vec<String> = Vec::new();
        for n in crate::records::negatives::of_cadre(conn, cadre_id)? {
            // 「2024年10月受到市纪委监委诫勉谈话」: when, who decided, what.
            if let crate::records::negatives::NegativeDetail::Accountability { subtype, issued_by, .. } =
                &n.fields.detail
            {
                let date = &n.fields.date;
                let month =
                    date.get(5..7).and_then(|m| m.parse::<u32>().ok()).map(|m| format!("{m}月")).unwrap_or_default();
                rewards.push(format!("{}年{month}受到{issued_by}{subtype}", date.get(..4).unwrap_or(date)));
            }
        }
        let missing: Vec<String> = rewards.into_iter().filter(|r| !profile.rewards.contains(r.as_str())).collect();
        if !missing.is_empty() {
            let mut all: Vec<String> = Some(profile.rewards.clone()).filter(|s| !s.is_empty()).into_iter().collect();
            all.extend(missing);
            profile.rewards = all.join("；");
        }
        // The archive's own post, 职级, unit and post history, in the form's words
        // (docs/formats.md): an export imported into another archive with the same
        // units gives the same person.
        let paths = super::post_words::UnitPaths::new(&units::list(conn)?);
        let posts: Vec<cadres::PostInput> = cadres::posts(conn, cadre_id)?.into_iter().map(|p| p.fields).collect();
        // A 简历 as imported gets the posts that began after it; with no 任免审批表
        // imported, the 简历 is the archive's post history. (An imported form
        // without a 简历 stays without: its first post began on the import day.)
        if !imported || !profile.resume.trim().is_empty() {
            profile.resume = super::post_words::resume_text(&profile.resume, &posts, &paths);
        }
        if profile.full_time.level.is_empty() && profile.in_service.level.is_empty() {
            // The archive keeps one 学历 and not whether it was full-time.
            profile.full_time.level.clone_from(&c.fields.education);
        }
        let post = super::post_words::form_post_as_stored(&profile.current_post, &c.fields, &paths);
        Ok(lrmx::write(&lrmx::LrmxPerson {
            name: c.fields.name,
            gender: c.fields.gender,
            birth: c.fields.birth,
            ethnicity: c.fields.ethnicity,
            native_place: c.fields.native_place,
            party_date: c.fields.party_date,
            work_start: c.fields.work_start,
            post,
            id_number: c.fields.id_number,
            profile,
            photo,
            unmapped: Vec::new(),
        }))
    }
}

/// Write an exported file to a path that must not exist yet (nothing is
/// overwritten): the one rule of every export, the interchange document and an
/// attachment written out included.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    if path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "文件已存在，未做任何修改"),
        ));
    }
    write_file(path, bytes)?;
    Ok(path.to_path_buf())
}
