//! Demo records for the assessment: people's evaluations (some protected),
//! negative records, reports (some cleared), fault-tolerance cases (one a
//! benchmark, later cited) and the committee's final grades.

use super::Gen;
use crate::archive::Clock;
use crate::assessment::grades::FinalGradeInput;
use crate::enums::*;
use crate::error::Result;
use crate::records::evaluations::{EvaluationInput, ProtectionInput, Votes};
use crate::records::negatives::{NegativeDetail, NegativeInput};
use crate::records::reports::{FindingInput, ReportInput};
use crate::records::tolerance::ToleranceInput;

pub const YEARS: [i32; 3] = [2023, 2024, 2025];

impl Gen<'_> {
    fn at_text(&mut self, date: &str) {
        self.archive.set_clock(Clock::fixed(date));
    }

    pub(super) fn evaluations(&mut self, cadre: i64) -> Result<()> {
        for year in YEARS {
            let held = format!("{}-01-{:02}", year + 1, self.rng.range(8, 25));
            self.at_text(&held);
            let weak = self.rng.chance(8);
            let n = self.rng.range(20, 45);
            let excellent = if weak { self.rng.range(0, 5) } else { self.rng.range(n / 4, n * 3 / 4) };
            let basic = if weak { self.rng.range(5, 12) } else { self.rng.range(0, 2) };
            let incompetent = if weak { self.rng.range(1, 5) } else { 0 };
            let competent = (n - excellent - basic - incompetent).max(0);
            let e = self.archive.add_evaluation(EvaluationInput {
                cadre_id: cadre,
                year,
                kind: EvaluationKind::Democratic,
                rater_group: *self.rng.pick(&[RaterGroup::Peers, RaterGroup::Leaders, RaterGroup::Subordinates]),
                votes: Some(Votes { excellent, competent, basic, incompetent }),
                score: None,
                held_on: held.clone(),
                note: String::new(),
            })?;
            if weak && self.rng.chance(50) {
                self.archive.protect_evaluation(ProtectionInput {
                    evaluation_id: e.id,
                    reason:
                        "该同志牵头整治违建和“四风”问题，敢抓敢管、不怕得罪人，触犯部分人员利益，导致测评结果不理想。"
                            .to_owned(),
                    decided_by: "市委组织部部务会".to_owned(),
                    decided_on: format!("{}-02-10", year + 1),
                })?;
                self.summary.protected += 1;
            }
            if self.rng.chance(40) {
                let score = f64::from(u32::try_from(self.rng.range(820, 990)).unwrap_or(900)) / 10.0;
                self.archive.add_evaluation(EvaluationInput {
                    cadre_id: cadre,
                    year,
                    kind: EvaluationKind::Public,
                    rater_group: RaterGroup::Clients,
                    votes: None,
                    score: Some(score),
                    held_on: held,
                    note: "委托第三方开展的服务对象满意度调查".to_owned(),
                })?;
            }
        }
        Ok(())
    }

    pub(super) fn negatives(&mut self, cadre: i64) -> Result<()> {
        let roll = self.rng.range(0, 99);
        let year = *self.rng.pick(&YEARS);
        let date = format!("{year}-{:02}-{:02}", self.rng.range(2, 10), self.rng.range(1, 28));
        self.at_text(&date);
        let detail = match roll {
            0..=3 => NegativeDetail::Accountability {
                accountability: AccountabilityKind::Admonishment,
                subtype: "诫勉谈话".into(),
                effect_months: None,
                reason: "落实安全生产责任不到位".into(),
                issued_by: "市纪委监委".into(),
            },
            4..=5 => NegativeDetail::Accountability {
                accountability: AccountabilityKind::Party,
                subtype: "警告".into(),
                effect_months: None,
                reason: "违规发放津贴补贴".into(),
                issued_by: "市纪委监委".into(),
            },
            6..=8 => {
                let category = *self.rng.pick(InactionCategory::ALL);
                NegativeDetail::Inaction {
                    category,
                    situation: (*self.rng.pick(category.situations())).to_owned(),
                    description: "明察暗访发现，群众反映问题长期未予回应。".into(),
                    found_by: "市委督查室".into(),
                    effect_months: None,
                }
            }
            9..=13 => NegativeDetail::Interview {
                reason: "重点项目推进落实不力，主要经济指标持续负增长".into(),
                memo: "约谈指出项目推进中存在的问题，提出整改要求。".into(),
                rectification: "制定整改方案，倒排工期，每周报送进度。".into(),
                deadline: format!("{year}-12-20"),
                closed_on: None,
                closure_note: String::new(),
            },
            14..=19 => NegativeDetail::Problem {
                description: "审批事项超时限办理".into(),
                route: "梳理流程、压缩时限、建立超时预警".into(),
                responsible_person: "分管副职".into(),
                deadline: format!("{year}-11-30"),
                closed_on: None,
                closure_note: String::new(),
            },
            _ => return Ok(()),
        };
        let rectifiable = matches!(detail, NegativeDetail::Interview { .. } | NegativeDetail::Problem { .. });
        let n = self.archive.add_negative(NegativeInput { cadre_id: cadre, date, detail })?;
        if rectifiable && self.rng.chance(70) {
            let closed = format!("{year}-{}-15", if self.rng.chance(80) { "11" } else { "12" });
            let closed = if closed.ends_with("12-15") { format!("{year}-12-28") } else { closed };
            self.at_text(&closed);
            self.archive.close_negative(n.id, &closed, "整改到位，经督查组验收，同意销号。")?;
        }
        Ok(())
    }

    pub(super) fn reports(&mut self, cadre: i64) -> Result<()> {
        if !self.rng.chance(10) {
            return Ok(());
        }
        let year = *self.rng.pick(&YEARS);
        let received = format!("{year}-{:02}-{:02}", self.rng.range(1, 8), self.rng.range(1, 28));
        self.at_text(&received);
        let r = self.archive.add_report(ReportInput {
            cadre_id: cadre,
            received_on: received,
            source: (*self.rng.pick(&["12388 举报平台", "来信", "巡察移交"])).to_owned(),
            summary: (*self.rng.pick(&["在项目招标中为亲属谋利", "违规接受管理服务对象宴请", "工作作风粗暴"]))
                .to_owned(),
        })?;
        if year == 2025 && self.rng.chance(25) {
            return Ok(()); // still being looked into
        }
        let found_on = format!("{year}-{:02}-{:02}", self.rng.range(9, 11), self.rng.range(1, 28));
        self.at_text(&found_on);
        let finding = if self.rng.chance(75) { ReportFinding::Untrue } else { ReportFinding::PartlyTrue };
        self.archive.record_finding(
            r.id,
            FindingInput {
                finding,
                found_on,
                investigated_by: "市纪委监委第三审查调查室".to_owned(),
                note: "经调取资料、谈话核实。".to_owned(),
                clearing_scope: Some("干部所在单位干部大会".to_owned()),
                clearing_statement: None,
            },
        )?;
        if finding == ReportFinding::Untrue {
            self.summary.cleared += 1;
        }
        Ok(())
    }

    /// Tolerance cases for initiatives that fell short (部分实现/未实现).
    pub(super) fn tolerance(&mut self) -> Result<()> {
        let mut benchmark: Option<i64> = None;
        // Initiatives in id order with their lead and the date of the outcome.
        let short: Vec<(i64, i64, String)> = {
            let mut stmt = self.archive.conn().prepare(
                "SELECT i.id, p.cadre_id, o.recorded_on FROM initiative i
                 JOIN outcome o ON o.initiative_id = i.id
                 JOIN participant p ON p.initiative_id = i.id AND p.role = '牵头'
                 WHERE o.achievement IN ('未实现', '部分实现') ORDER BY i.id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (initiative, lead, decided_on) in short {
            if !self.rng.chance(60) {
                continue;
            }
            self.at_text(&decided_on);
            let tolerated = self.rng.chance(80);
            let case = self.archive.add_tolerance_case(ToleranceInput {
                cadre_id: lead,
                initiative_id: Some(initiative),
                negative_id: None,
                nature: "改革探索中的工作失误，不属于违纪违法".into(),
                basis: "依据市委改革实施方案先行先试".into(),
                motive: "出于推动发展的公心，未谋取私利".into(),
                process: "经班子集体研究决策，程序完备".into(),
                orientation: "勤勉尽责、担当作为".into(),
                correction: "主动查找原因，及时采取补救措施".into(),
                decision: Some(if tolerated { ToleranceDecision::Tolerated } else { ToleranceDecision::NotTolerated }),
                reason: if tolerated {
                    "受市场环境变化等外部因素影响未能完全实现预期目标，符合容错情形，不做负面评价。".into()
                } else {
                    "前期论证不充分，未按程序报批，不符合容错条件。".into()
                },
                decided_by: "市委容错纠错工作领导小组".into(),
                decided_on: Some(decided_on),
                benchmark: tolerated && benchmark.is_none(),
                cites: benchmark.filter(|_| tolerated).into_iter().collect(),
            })?;
            if tolerated {
                benchmark.get_or_insert(case.id);
                self.summary.tolerated += 1;
            }
        }
        Ok(())
    }

    /// Leader reviews (批示) of a few dossiers, a follow-up, and one comparison.
    pub(super) fn reviews(&mut self, cadres: &[i64]) -> Result<()> {
        use crate::records::reviews::{ReviewInput, ReviewTarget};
        self.at_text("2026-03-10");
        self.archive.set_actor("市委组织部部长");
        for (k, id) in cadres.iter().take(6).enumerate() {
            if !self.rng.chance(50) {
                continue;
            }
            let r = self.archive.add_review(ReviewInput {
                target_kind: ReviewTarget::Cadre,
                cadre_ids: vec![*id],
                parent_id: None,
                text: "该同志谋事有思路、干事有担当，请干部一科结合近三年考核情况提出使用建议。".into(),
                signed_off: k % 2 == 0,
            })?;
            if k % 2 == 1 {
                self.archive.add_review(ReviewInput {
                    target_kind: ReviewTarget::Cadre,
                    cadre_ids: vec![*id],
                    parent_id: Some(r.id),
                    text: "已阅干部一科意见，同意列入后备干部人选。".into(),
                    signed_off: true,
                })?;
            }
        }
        if let [a, b, c, ..] = cadres {
            self.archive.add_review(ReviewInput {
                target_kind: ReviewTarget::Comparison,
                cadre_ids: vec![*a, *b, *c],
                parent_id: None,
                text: "三人比较，请重点考察干成事维度，下次部务会研究。".into(),
                signed_off: false,
            })?;
        }
        self.archive.set_actor("演示数据");
        Ok(())
    }

    /// The committee's grades: the suggestion, with a recorded reason where it was changed.
    pub(super) fn final_grades(&mut self, cadres: &[i64]) -> Result<()> {
        for year in YEARS {
            self.final_grades_of(year, cadres)?;
        }
        Ok(())
    }

    pub(super) fn final_grades_of(&mut self, year: i32, cadres: &[i64]) -> Result<()> {
        let cadres: std::collections::HashSet<i64> = cadres.iter().copied().collect();
        let decided_on = format!("{}-02-28", year + 1);
        self.at_text(&decided_on);
        let report = self.archive.assess(&crate::assessment::AssessRequest {
            year,
            unit_id: None,
            cadre_id: None,
            as_of: None,
        })?;
        for a in report.cadres.iter().filter(|a| cadres.contains(&a.cadre_id)) {
            let (grade, reason) = match a.suggested.grade {
                Grade::Undetermined => continue,
                Grade::Competent if self.rng.chance(3) => {
                    (Grade::Excellent, "考核委员会综合平时考核和专项工作表现，确定为优秀（占用机动名额）。".to_owned())
                }
                g => (g, String::new()),
            };
            self.archive.record_final_grade_against(
                FinalGradeInput {
                    cadre_id: a.cadre_id,
                    year,
                    grade,
                    reason,
                    decided_by: "年度考核委员会".to_owned(),
                    decided_on: decided_on.clone(),
                },
                a.suggested.grade,
                report.scheme_version,
            )?;
        }
        Ok(())
    }
}
