//! The assessment engine: stage assessments per initiative, the yearly
//! composite and suggested grade (with protections and the 优秀 quota), the
//! promotion-evidence summary and candidate comparison. Every number carries
//! an explanation tree; the same archive, scheme version and as-of date always
//! give byte-identical results. Rules are documented in `docs/assessment.md`.

pub mod asof;
pub mod explain;
pub mod facts;
pub mod grades;
mod parts;
pub mod promotion;
pub mod quota;
pub mod scheme;
mod scheme_check;
pub mod stages;
mod yearend;
pub mod yearly;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::Archive;
use crate::enums::CadreStatus;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::records::{cadres, units};
use asof::AsOf;
use promotion::PromotionSummary;
use quota::QuotaLine;
use yearly::CadreAssessment;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssessRequest {
    pub year: i32,
    /// Only cadres in this unit's subtree.
    pub unit_id: Option<i64>,
    /// Only this cadre.
    pub cadre_id: Option<i64>,
    /// Judge as of this date: nothing dated after it counts. Default: the year's
    /// last day (or today if earlier) for work records, every decision whenever
    /// taken (see [`asof::AsOf`] and docs/assessment.md, 日期规则).
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssessmentReport {
    pub year: i32,
    pub as_of: String,
    /// What the as-of date lets count, in words (explicit date or the default).
    pub date_rule: String,
    pub scheme_version: i64,
    pub cadres: Vec<CadreAssessment>,
    /// The quota of every 考核单位 the listed cadres belong to.
    pub quotas: Vec<QuotaLine>,
    /// False for a year-end list ([`Archive::appraisal_list`]): each number's
    /// explanation holds only its top line and the per-initiative assessments are
    /// left out; assessing one cadre gives the whole tree.
    pub explained: bool,
}

fn as_of_for(archive: &Archive, year: i32, as_of: Option<&str>) -> Result<AsOf> {
    let end =
        NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| Error::invalid("year", format!("年度 {year} 无效")))?;
    let as_of = match as_of {
        Some(text) => AsOf::strict(crate::validate::date("asOf", "统计日期", text)?),
        None => {
            let today = crate::validate::date("today", "今天", &archive.today())?;
            AsOf::default_at(end.min(today))
        }
    };
    if as_of.date < NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of.date) || as_of.date > end {
        return Err(Error::invalid("asOf", format!("统计日期 {} 不在 {year} 年度内", as_of.date)));
    }
    Ok(as_of)
}

impl Archive {
    /// The yearly assessment of the requested cadres, with the quota applied over
    /// every 考核单位 they belong to.
    pub fn assess(&self, req: &AssessRequest) -> Result<AssessmentReport> {
        self.assess_job(req, &Job::new())
    }

    /// [`Archive::assess`] reporting progress to `job`, which can stop it.
    pub fn assess_job(&self, req: &AssessRequest, job: &Job) -> Result<AssessmentReport> {
        self.read_snapshot(|| self.assess_in_snapshot(req, job, true))
    }

    /// The year-end list: every number and grade of [`Archive::assess_job`], with
    /// explanations cut to their top line (a province holds 50,000 cadres; their
    /// full trees are gigabytes). See `AssessmentReport::explained`.
    pub fn appraisal_list(&self, req: &AssessRequest, job: &Job) -> Result<AssessmentReport> {
        self.read_snapshot(|| self.assess_in_snapshot(req, job, false))
    }

    fn assess_in_snapshot(&self, req: &AssessRequest, job: &Job, explained: bool) -> Result<AssessmentReport> {
        self.require_role(crate::access::READERS, "查阅年度考核")?;
        match (req.cadre_id, req.unit_id) {
            (Some(c), _) => self.require_cadre_scope(c)?,
            (None, Some(u)) => self.require_unit(u)?,
            (None, None) => {}
        }
        let scope = self.scope_units()?;
        let conn = self.conn();
        let as_of = as_of_for(self, req.year, req.as_of.as_deref())?;
        let scheme = scheme::in_force(conn, req.year, as_of)?;
        let all_units = units::list(conn)?;
        let appraisal = quota::appraisal_units(&all_units);
        let names: BTreeMap<i64, String> = all_units.iter().map(|u| (u.id, u.fields.name.clone())).collect();
        let active: Vec<cadres::Cadre> =
            cadres::list(conn, None, None)?.into_iter().filter(|c| c.fields.status == CadreStatus::Active).collect();
        // Quotas are computed over everyone (the same archive gives the same
        // result whoever asks); only the listed cadres are limited to the scope.
        let wanted: BTreeSet<i64> = match (req.cadre_id, req.unit_id) {
            (Some(id), _) => {
                let c = cadres::get(conn, id)?;
                if c.fields.status != CadreStatus::Active {
                    return Err(Error::State(format!(
                        "{}（{}）不在职，不参加年度考核",
                        c.fields.name, c.fields.status
                    )));
                }
                BTreeSet::from([id])
            }
            (None, Some(unit)) => {
                units::get(conn, unit)?;
                let subtree: BTreeSet<i64> = units::subtree(conn, unit)?.into_iter().collect();
                active.iter().filter(|c| subtree.contains(&c.fields.unit_id)).map(|c| c.id).collect()
            }
            (None, None) => active.iter().map(|c| c.id).collect(),
        };
        let wanted: BTreeSet<i64> = active
            .iter()
            .filter(|c| wanted.contains(&c.id) && scope.contains(&c.fields.unit_id))
            .map(|c| c.id)
            .collect();
        let member_units: Vec<i64> = active.iter().map(|c| c.fields.unit_id).collect();
        let (scopes, pooled) =
            quota::quota_scopes(&all_units, &appraisal, &member_units, scheme.scheme.composite.quota_min_unit_size);
        let unit_of = |c: &cadres::Cadre| {
            let own = appraisal.get(&c.fields.unit_id).copied().unwrap_or(c.fields.unit_id);
            scopes.get(&own).copied().unwrap_or(own)
        };
        let touched: BTreeSet<i64> = active.iter().filter(|c| wanted.contains(&c.id)).map(unit_of).collect();
        let members: Vec<(cadres::Cadre, i64)> = active
            .into_iter()
            .filter_map(|c| {
                let unit = unit_of(&c);
                touched.contains(&unit).then_some((c, unit))
            })
            .collect();
        let mut assessed = yearend::assess_all(conn, members, &scheme.scheme, req.year, as_of, job, explained)?;
        let quotas = quota::apply_quota(&mut assessed, &scheme.scheme, &names, &pooled);
        assessed.retain(|a| wanted.contains(&a.cadre_id));
        Ok(AssessmentReport {
            year: req.year,
            as_of: as_of.date.format("%Y-%m-%d").to_string(),
            date_rule: as_of.describe(),
            scheme_version: scheme.version,
            cadres: assessed,
            quotas,
            explained,
        })
    }

    /// The promotion-evidence summary of one cadre for `year`.
    pub fn promotion_evidence(&self, cadre_id: i64, year: i32, as_of: Option<&str>) -> Result<PromotionSummary> {
        self.require_cadre(cadre_id)?;
        let conn = self.conn();
        let as_of = as_of_for(self, year, as_of)?;
        let scheme = scheme::in_force(conn, year, as_of)?;
        let f = facts::load(conn, cadre_id)?;
        let unit = f.cadre.fields.unit_id;
        let window = (year - scheme.scheme.promotion.years + 1)..=year;
        let yearly: Vec<CadreAssessment> = window
            .map(|y| {
                let end = NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(as_of.date);
                yearly::assess_cadre(&f, &scheme.scheme, y, as_of.until(end), unit)
            })
            .collect();
        Ok(promotion::summarize(&f, &scheme.scheme, scheme.version, year, as_of, &yearly))
    }

    /// Side-by-side summaries of 2–6 candidates.
    pub fn compare(&self, ids: &[i64], year: i32) -> Result<Vec<PromotionSummary>> {
        if !(2..=6).contains(&ids.len()) {
            return Err(Error::invalid("ids", format!("比较须选择 2 到 6 名干部，实际为 {} 名", ids.len())));
        }
        let distinct: BTreeSet<&i64> = ids.iter().collect();
        if distinct.len() != ids.len() {
            return Err(Error::invalid("ids", "比较的干部不能重复"));
        }
        ids.iter().map(|id| self.promotion_evidence(*id, year, None)).collect()
    }
}
