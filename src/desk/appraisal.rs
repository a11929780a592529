//! The 考核办's 工作台: the year-end's progress per 考核单位 — cadres assessed,
//! grades decided, 优秀 against the quota, decisions that differ from the
//! suggestion — and the distribution of grades per unit for the chart.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::Archive;
use crate::assessment::AssessRequest;
use crate::enums::{Grade, Role};
use crate::error::Result;
use crate::job::Job;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnitProgress {
    pub unit_id: i64,
    pub unit_name: String,
    /// Cadres the 考核单位 assesses (its quota is reckoned on all of them).
    pub assessed: usize,
    /// Of those, the cadres in the reader's scope: the counts below are of these.
    /// Less than `assessed` where the 考核单位 is only partly in the scope.
    pub visible: usize,
    /// Cadres whose grade the committee has decided.
    pub decided: usize,
    /// 优秀 places (floor of assessed × quota).
    pub allowed: usize,
    /// 优秀 decided, or suggested where not yet decided.
    pub excellent: usize,
    /// Decided grades that differ from the suggestion they were decided against.
    pub differing: usize,
    /// How many of each grade (decided, else suggested), in the order of `Grade::ALL`.
    pub distribution: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppraisalDesk {
    pub year: i32,
    pub as_of: String,
    pub units: Vec<UnitProgress>,
    /// Units with every grade decided (a unit only partly in the scope is never
    /// counted finished: its other cadres cannot be seen).
    pub finished_units: usize,
    /// The grade names in the order of `distribution`.
    pub grades: Vec<Grade>,
}

impl Archive {
    /// The 考核办's 工作台 for `year`: a year-end run (a job: a province takes a while).
    pub fn appraisal_desk(&self, year: i32, job: &Job) -> Result<AppraisalDesk> {
        self.require_role(&[Role::Appraisal, Role::Clerk, Role::SysAdmin], "查看考核进度")?;
        let report = self.appraisal_list(&AssessRequest { year, unit_id: None, cadre_id: None, as_of: None }, job)?;
        let mut units = Vec::new();
        for q in &report.quotas {
            let members: Vec<_> = report.cadres.iter().filter(|c| c.appraisal_unit_id == q.appraisal_unit_id).collect();
            if members.is_empty() {
                continue; // wholly outside the scope
            }
            let grade_of = |c: &&crate::assessment::yearly::CadreAssessment| {
                c.final_grade.as_ref().map_or(c.suggested.grade, |g| g.fields.grade)
            };
            units.push(UnitProgress {
                unit_id: q.appraisal_unit_id,
                unit_name: q.unit_name.clone(),
                assessed: q.assessed,
                visible: members.len(),
                decided: members.iter().filter(|c| c.final_grade.is_some()).count(),
                allowed: q.allowed,
                excellent: members.iter().filter(|c| grade_of(c) == Grade::Excellent).count(),
                differing: members
                    .iter()
                    .filter(|c| c.final_grade.as_ref().is_some_and(|g| g.fields.grade != g.suggested))
                    .count(),
                distribution: Grade::ALL.iter().map(|g| members.iter().filter(|c| grade_of(c) == *g).count()).collect(),
            });
        }
        let finished_units = units.iter().filter(|u| u.visible == u.assessed && u.decided == u.assessed).count();
        Ok(AppraisalDesk { year, as_of: report.as_of, units, finished_units, grades: Grade::ALL.to_vec() })
    }
}
