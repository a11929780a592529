//! The cadre dossier (干事档案): basic info, post history and every initiative
//! the cadre leads or joins, with all stage records, as of a given date.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::Archive;
use crate::enums::{OwnerKind, ParticipantRole};
use crate::error::Result;
use crate::lifecycle::{self, Transition};
use crate::records::cadres::{self, Cadre, Post};
use crate::records::evidence::{self, EvidenceMeta};
use crate::records::initiatives::{self, Initiative};
use crate::records::outcomes::{self, OutcomeInput, Recognition};
use crate::records::plans::{self, Milestone, PlanInput, PlanRating};
use crate::records::tracking::{self, Tracking};
use crate::records::units;

/// Everything recorded about one initiative, as stored (the interchange unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeRecord {
    #[serde(flatten)]
    pub initiative: Initiative,
    pub plan: Option<PlanInput>,
    pub milestones: Vec<Milestone>,
    pub ratings: Vec<PlanRating>,
    pub tracking: Vec<Tracking>,
    pub outcome: Option<OutcomeInput>,
    pub recognitions: Vec<Recognition>,
    pub transitions: Vec<Transition>,
}

pub fn initiative_record(conn: &Connection, id: i64) -> Result<InitiativeRecord> {
    Ok(InitiativeRecord {
        initiative: initiatives::get(conn, id)?,
        plan: plans::plan(conn, id)?.map(|p| p.fields),
        milestones: plans::milestones(conn, id)?,
        ratings: plans::ratings(conn, id)?,
        tracking: tracking::of_initiative(conn, id)?,
        outcome: outcomes::outcome(conn, id)?.map(|o| o.fields),
        recognitions: outcomes::recognitions(conn, id)?,
        transitions: lifecycle::transitions(conn, id)?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum MilestoneState {
    #[serde(rename = "按期完成")]
    OnTime,
    #[serde(rename = "逾期完成")]
    Late,
    #[serde(rename = "已逾期")]
    Overdue,
    #[serde(rename = "未到期")]
    Pending,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MilestoneStatus {
    pub milestone_id: i64,
    pub state: MilestoneState,
    /// Days past the due date (done late, or still open and overdue); 0 otherwise.
    pub overdue_days: i64,
}

/// Whether a milestone was met on time, as of `as_of`.
pub fn milestone_status(m: &Milestone, as_of: NaiveDate) -> MilestoneStatus {
    let parse = crate::validate::stored_date;
    let due = parse(&m.fields.due_date).unwrap_or(as_of);
    let (state, days) = match m.fields.done_date.as_deref().and_then(parse) {
        Some(done) if done <= due => (MilestoneState::OnTime, 0),
        Some(done) => (MilestoneState::Late, (done - due).num_days()),
        None if as_of > due => (MilestoneState::Overdue, (as_of - due).num_days()),
        None => (MilestoneState::Pending, 0),
    };
    MilestoneStatus { milestone_id: m.id, state, overdue_days: days }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantView {
    /// `None` for a cadre outside the reader's scope: of them the reader sees
    /// the name and the role only (docs/security.md, 「共同参与的事项」).
    pub cadre_id: Option<i64>,
    pub name: String,
    pub role: ParticipantRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeView {
    #[serde(flatten)]
    pub record: InitiativeRecord,
    pub participant_names: Vec<ParticipantView>,
    pub milestone_status: Vec<MilestoneStatus>,
    pub responsible_unit_name: Option<String>,
    /// Evidence attached to the initiative or any of its records.
    pub evidence: Vec<EvidenceMeta>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    #[serde(flatten)]
    pub post: Post,
    pub unit_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dossier {
    pub cadre: Cadre,
    /// Unit names from the root down to the cadre's unit.
    pub unit_path: Vec<String>,
    pub posts: Vec<PostView>,
    pub initiatives: Vec<InitiativeView>,
    /// Evidence attached to the cadre itself.
    pub evidence: Vec<EvidenceMeta>,
    /// The date overdue milestones are judged against.
    pub as_of: String,
}

fn unit_name(conn: &Connection, id: i64) -> Result<String> {
    Ok(units::get(conn, id)?.fields.name)
}

pub fn initiative_view(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<InitiativeView> {
    let record = initiative_record(conn, id)?;
    let participant_names = record
        .initiative
        .fields
        .participants
        .iter()
        .map(|p| {
            Ok(ParticipantView {
                cadre_id: Some(p.cadre_id),
                name: cadres::get(conn, p.cadre_id)?.fields.name,
                role: p.role,
            })
        })
        .collect::<Result<_>>()?;
    let milestone_status = record.milestones.iter().map(|m| milestone_status(m, as_of)).collect();
    let responsible_unit_name =
        record.plan.as_ref().and_then(|p| p.responsible_unit_id).map(|u| unit_name(conn, u)).transpose()?;
    let mut owners = vec![(OwnerKind::Initiative, id)];
    owners.extend(record.milestones.iter().map(|m| (OwnerKind::Milestone, m.id)));
    owners.extend(record.ratings.iter().map(|r| (OwnerKind::Rating, r.id)));
    owners.extend(record.tracking.iter().map(|t| (OwnerKind::Tracking, t.id)));
    if record.outcome.is_some() {
        owners.push((OwnerKind::Outcome, id));
    }
    owners.extend(record.recognitions.iter().map(|r| (OwnerKind::Recognition, r.id)));
    let mut evidence = Vec::new();
    for (kind, owner) in owners {
        evidence.extend(evidence::of_owner(conn, kind, owner)?);
    }
    evidence.sort_by_key(|e| e.id);
    Ok(InitiativeView { record, participant_names, milestone_status, responsible_unit_name, evidence })
}

pub fn parse_as_of(as_of: &str) -> Result<NaiveDate> {
    crate::validate::date("asOf", "统计日期", as_of)
}

impl Archive {
    /// The whole dossier of a cadre; milestones are judged as of `as_of` (`YYYY-MM-DD`).
    pub fn dossier(&self, cadre_id: i64, as_of: &str) -> Result<Dossier> {
        self.read_snapshot(|| self.dossier_in_snapshot(cadre_id, as_of))
    }

    fn dossier_in_snapshot(&self, cadre_id: i64, as_of: &str) -> Result<Dossier> {
        self.require_cadre(cadre_id)?;
        let conn = self.conn();
        let date = parse_as_of(as_of)?;
        let cadre = cadres::get(conn, cadre_id)?;
        let posts = cadres::posts(conn, cadre_id)?
            .into_iter()
            .map(|p| Ok(PostView { unit_name: unit_name(conn, p.fields.unit_id)?, post: p }))
            .collect::<Result<_>>()?;
        let initiatives = initiatives::of_cadre(conn, cadre_id)?
            .iter()
            .map(|i| self.in_scope_view(initiative_view(conn, i.id, date)?))
            .collect::<Result<_>>()?;
        Ok(Dossier {
            unit_path: units::path_names(conn, cadre.fields.unit_id)?,
            evidence: evidence::of_owner(conn, OwnerKind::Cadre, cadre_id)?,
            cadre,
            posts,
            initiatives,
            as_of: as_of.to_owned(),
        })
    }

    pub fn initiative_view(&self, id: i64, as_of: &str) -> Result<InitiativeView> {
        self.require_record("initiative", id)?;
        let view = initiative_view(self.conn(), id, parse_as_of(as_of)?)?;
        self.in_scope_view(view)
    }

    /// What a reader sees of an initiative: of a participant outside the
    /// reader's scope, the name and the role only (no id to follow to a
    /// dossier the reader may not open).
    fn in_scope_view(&self, mut view: InitiativeView) -> Result<InitiativeView> {
        let hidden = self.hide_participants_outside_scope(&mut view.record.initiative.fields.participants)?;
        for p in &mut view.participant_names {
            p.cadre_id = p.cadre_id.filter(|id| !hidden.contains(id));
        }
        Ok(view)
    }

    pub fn history(&self, entity: &str, id: i64) -> Result<Vec<crate::archive::revision::Revision>> {
        self.require_record(entity, id)?;
        let mut revisions = crate::archive::revision::history(self.conn(), entity, id)?;
        for r in &mut revisions {
            self.redact_record(&mut r.data)?;
        }
        Ok(revisions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::plans::MilestoneInput;

    fn m(due: &str, done: Option<&str>) -> Milestone {
        Milestone {
            id: 1,
            initiative_id: 1,
            fields: MilestoneInput { name: "节点".into(), due_date: due.into(), done_date: done.map(Into::into) },
        }
    }

    #[test]
    fn milestone_states_follow_due_and_done_dates() {
        let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap_or_default();
        assert_eq!(milestone_status(&m("2024-06-01", Some("2024-05-30")), as_of).state, MilestoneState::OnTime);
        let late = milestone_status(&m("2024-06-01", Some("2024-06-11")), as_of);
        assert_eq!((late.state, late.overdue_days), (MilestoneState::Late, 10));
        let overdue = milestone_status(&m("2024-06-20", None), as_of);
        assert_eq!((overdue.state, overdue.overdue_days), (MilestoneState::Overdue, 10));
        assert_eq!(milestone_status(&m("2024-07-01", None), as_of).state, MilestoneState::Pending);
    }
}

/// A people's evaluation with the protection decision that excludes it, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationView {
    pub evaluation: crate::records::evaluations::Evaluation,
    pub protection: Option<crate::records::evaluations::Protection>,
}

/// A report with its clearing record when found 不实.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    pub report: crate::records::reports::Report,
    pub clearing: Option<crate::records::reports::Clearing>,
}

/// Everything the assessment reads about a cadre besides the initiatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CadreRecords {
    pub evaluations: Vec<EvaluationView>,
    pub negatives: Vec<crate::records::negatives::Negative>,
    pub reports: Vec<ReportView>,
    pub tolerance_cases: Vec<crate::records::tolerance::ToleranceCase>,
    pub final_grades: Vec<crate::records::final_grades::FinalGrade>,
    /// Leader reviews (批示) of the dossier and of comparisons the cadre was in.
    pub reviews: Vec<crate::records::reviews::Review>,
}

impl Archive {
    pub fn cadre_records(&self, cadre_id: i64) -> Result<CadreRecords> {
        use crate::records::{evaluations, negatives, reports, tolerance};
        self.require_cadre(cadre_id)?;
        let conn = self.conn();
        cadres::get(conn, cadre_id)?;
        Ok(CadreRecords {
            evaluations: evaluations::of_cadre(conn, cadre_id, None)?
                .into_iter()
                .map(|e| Ok(EvaluationView { protection: evaluations::protection_of(conn, e.id)?, evaluation: e }))
                .collect::<Result<_>>()?,
            negatives: negatives::of_cadre(conn, cadre_id)?,
            reports: reports::of_cadre(conn, cadre_id)?
                .into_iter()
                .map(|r| Ok(ReportView { clearing: reports::clearing_of(conn, r.id)?, report: r }))
                .collect::<Result<_>>()?,
            tolerance_cases: tolerance::of_cadre(conn, cadre_id)?,
            final_grades: crate::records::final_grades::of_cadre(conn, cadre_id)?,
            reviews: crate::records::reviews::of_cadre(conn, cadre_id)?,
        })
    }
}
