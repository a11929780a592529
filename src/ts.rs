//! TypeScript declarations of the IPC DTOs, generated from the Rust types
//! (ts-rs) into `ui/src/api/types.ts`. A test fails when the committed file
//! drifts; `make types` regenerates it.

use ts_rs::{Config, TS};

macro_rules! decls {
    ($cfg:expr; $($t:ty),+ $(,)?) => {{
        let mut out = String::new();
        $( out.push_str("export "); out.push_str(&<$t as TS>::decl($cfg)); out.push_str("\n\n"); )+
        out
    }};
}

/// The whole generated file.
pub fn bindings() -> String {
    use crate::archive::revision::Revision;
    use crate::dossier::*;
    use crate::enums::*;
    use crate::interchange::ImportSummary;
    use crate::lifecycle::{Readiness, Transition};
    use crate::records::cadres::*;
    use crate::records::evidence::EvidenceMeta;
    use crate::records::initiatives::*;
    use crate::records::outcomes::*;
    use crate::records::plans::*;
    use crate::records::tracking::*;
    use crate::records::units::*;
    let cfg = &Config::new().with_large_int("number");
    let body = decls!(cfg;
        UnitKind, Gender, ManagementLevel, CadreStatus, Category, ConductTag, Stage, ParticipantRole, RaterRole,
        Achievement, RecognitionLevel, OwnerKind,
        UnitInput, Unit, CadreInput, Cadre, PostInput, Post, Transfer,
        Participant, InitiativeInput, Initiative, InitiativeRow, InitiativeFilter,
        PlanInput, Plan, MilestoneInput, Milestone, RatingInput, PlanRating,
        TrackingInput, Tracking, Metric, OutcomeInput, Outcome, RecognitionInput, Recognition,
        EvidenceMeta, Transition, Readiness, Revision,
        InitiativeRecord, MilestoneState, MilestoneStatus, ParticipantView, InitiativeView, PostView, Dossier,
        ImportSummary, crate::error::ErrorDto, crate::settings::AppStatus, crate::archive::backup::Upgraded, crate::settings::AboutInfo,
        EvaluationKind, EvaluationSide, RaterGroup, Grade, AccountabilityKind, InactionCategory, ReportFinding,
        ToleranceDecision,
        crate::records::evaluations::Votes, crate::records::evaluations::EvaluationInput,
        crate::records::evaluations::Evaluation, crate::records::evaluations::ProtectionInput,
        crate::records::evaluations::Protection, crate::records::negatives::NegativeDetail,
        crate::records::negatives::NegativeInput, crate::records::negatives::Negative,
        crate::enums::EffectPeriod, crate::records::negatives::EffectPeriodRow,
        crate::records::reports::ReportInput, crate::records::reports::Report, crate::records::reports::FindingInput,
        crate::records::reports::Clearing, crate::records::tolerance::ToleranceInput,
        crate::records::tolerance::ToleranceCase,
        crate::assessment::explain::Source, crate::assessment::explain::Explanation,
        crate::assessment::stages::InitiativeAssessment, crate::assessment::yearly::DecisionNote,
        crate::assessment::yearly::GradeSuggestion, crate::assessment::yearly::CadreAssessment,
        crate::assessment::quota::QuotaLine, crate::assessment::yearly::QuotaPlace,
        crate::exchange::SiteCard, crate::exchange::Partner, crate::exchange::SiteStatus, crate::exchange::Exported,
        crate::exchange::ImportReport, crate::exchange::package::Manifest, crate::exchange::package::KindCount, crate::exchange::package::AuditSpan,
        crate::exchange::changes::Conflict, crate::assessment::AssessRequest, crate::assessment::AssessmentReport,
        crate::assessment::grades::FinalGradeInput, crate::assessment::grades::FinalGrade,
        crate::assessment::promotion::Dimension, crate::assessment::promotion::EligibilityCheck,
        crate::assessment::promotion::YearGrade, crate::assessment::promotion::PromotionSummary,
        crate::assessment::scheme::StageWeights, crate::assessment::scheme::PlanRules,
        crate::assessment::scheme::ExecutionRules, crate::assessment::scheme::OutcomeRules,
        crate::assessment::scheme::GroupWeight, crate::assessment::scheme::EvaluationRules,
        crate::assessment::scheme::Deduction, crate::assessment::scheme::NegativeRules,
        crate::assessment::scheme::CompositeRules, crate::assessment::scheme::PromotionRules,
        crate::assessment::scheme::Scheme, crate::assessment::scheme::SchemeVersion,
        EvaluationView, ReportView, CadreRecords,
        crate::archive::audit::AuditEntry, crate::archive::audit::ChainReport, crate::archive::audit::SiteChain, crate::archive::audit::AuditFilter,
        crate::archive::backup::BackupReport, crate::settings::Settings,
        crate::records::reviews::ReviewTarget, crate::records::reviews::ReviewInput, crate::records::reviews::Review,
        crate::enums::Role, crate::access::Session, crate::access::users::UserInput, crate::access::users::User,
        crate::settings::ArchiveFileState,
        crate::formats::FormatError, crate::formats::import::Action, crate::formats::import::FieldChange,
        crate::formats::import::PlannedCadre, crate::formats::import::ImportPreview,
        crate::formats::import::ImportOptions,
        crate::desk::clerk::ClerkDesk, crate::desk::clerk::ItemWarning, crate::desk::clerk::WarningLevel,
        crate::desk::clerk::AwaitingRating, crate::desk::clerk::TrackingDue, crate::desk::clerk::OverdueRectification,
        crate::desk::clerk::PendingMatter, crate::desk::clerk::UnitCounts, crate::desk::leader::LeaderDesk,
        crate::desk::leader::ReviewThread, crate::desk::leader::RecentResult, crate::desk::appraisal::AppraisalDesk,
        crate::desk::appraisal::UnitProgress, crate::desk::calibration::RaterCalibration,
        crate::assessment::scheme::WarningRules,
        crate::formats::appraisal_texts::AppraisalTexts, crate::records::appraisal_texts::AppraisalTextInput,
        crate::records::appraisal_texts::AppraisalText, crate::enums::StaffCategory,
        crate::formats::exports::ExportReport,
        crate::records::profiles::Education, crate::records::profiles::FamilyMember, crate::records::profiles::Profile,
        crate::job::JobStatus, crate::search::HitKind, crate::search::SearchHit, crate::search::SearchResults,
        crate::records::pages::PageRequest, crate::records::pages::CadrePage, crate::records::pages::InitiativePage,
    );
    format!(
        "// Generated from the Rust core by `make types` (ganshi::ts::bindings). Do not edit.\n\n{}",
        body.trim_end().to_owned() + "\n"
    )
}
