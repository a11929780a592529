//! The rules of docs/assessment.md that decide a grade, each checked where the
//! issue found it broken (a hand-built archive with hand-computed numbers) and
//! as a property over generated archives (`generated.rs`): the as-of date for
//! every record kind, quota pooling through units without cadres, scheme
//! validation, the 优秀 evidence rule, 容错 for every participant, 影响期 per
//! subtype, the reason of every moved grade, the windows of the dossier, and the
//! documented JSON shape of `assess --json`.

use ganshi::assessment::AssessRequest;
use ganshi::assessment::grades::FinalGradeInput;
use ganshi::assessment::scheme::Scheme;
use ganshi::assessment::yearly::CadreAssessment;
use ganshi::enums::*;
use ganshi::records::cadres::PostInput;
use ganshi::records::evaluations::{EvaluationInput, ProtectionInput, Votes};
use ganshi::records::negatives::{NegativeDetail, NegativeInput};
use ganshi::records::outcomes::RecognitionInput;
use ganshi::records::plans::MilestoneInput;
use ganshi::records::reports::{FindingInput, ReportInput};
use ganshi::records::tracking::TrackingInput;
use ganshi::records::units::UnitInput;
use ganshi::{Archive, Clock};
use proptest::prelude::*;

use crate::assessment::{assess, outcome, tolerance};
use crate::generated::{self, World};
use crate::support::*;

fn report(a: &Archive, year: i32, as_of: Option<&str>) -> ganshi::assessment::AssessmentReport {
    a.assess(&AssessRequest { year, unit_id: None, cadre_id: None, as_of: as_of.map(str::to_owned) }).expect("assess")
}

fn evaluation(cadre: i64, year: i32, held: &str, excellent: i64) -> EvaluationInput {
    EvaluationInput {
        cadre_id: cadre,
        year,
        kind: EvaluationKind::Democratic,
        rater_group: RaterGroup::Peers,
        votes: Some(Votes { excellent, competent: 20 - excellent, basic: 0, incompetent: 0 }),
        score: None,
        held_on: held.into(),
        note: String::new(),
    }
}

fn unit(a: &mut Archive, parent: i64, code: &str, name: &str, kind: UnitKind) -> i64 {
    let input = UnitInput { parent_id: Some(parent), code: code.into(), name: name.into(), kind, sort_order: 0 };
    a.create_unit(input).expect("unit").id
}

fn cadre_in(a: &mut Archive, unit: i64, name: &str) -> i64 {
    let mut c = cadre_input(unit);
    c.name = name.into();
    a.create_cadre(c, Some("2020-03-01")).expect("cadre").id
}

// ---------------------------------------------------------------- 1. as-of date

/// Issue 15.1: a plan rating dated in January changed the year before.
#[test]
fn a_plan_rating_given_after_the_year_does_not_change_it() {
    let mut f = fixture();
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    f.archive.rate_plan(id, rating(RaterRole::OrgDept), "").expect("rating");
    let before = assess(&f.archive, f.cadre, 2024);
    f.archive.set_clock(Clock::fixed("2025-03-01"));
    let mut late = rating(RaterRole::UnitLeader);
    (late.innovation, late.challenge, late.difficulty, late.rated_on) = (1, 1, 1, "2025-01-10".into());
    f.archive.rate_plan(id, late, "").expect("late rating");
    let after = assess(&f.archive, f.cadre, 2024);
    assert_eq!(after, before, "a rating of 2025-01-10 is not a record of 2024");
    assert_eq!(after.initiatives[0].plan.children.len(), 1, "only the rating given in 2024 is read");
    let y2025 = report(&f.archive, 2025, None);
    assert_eq!(y2025.cadres[0].initiatives[0].plan.children.len(), 2, "it counts from its own date on");
}

/// The year-end 民主测评 is held after the year: it counts by default, and not
/// with an explicit as-of date before it was held.
#[test]
fn evaluations_count_for_their_year_but_never_after_an_explicit_as_of_date() {
    let mut f = fixture();
    executing_initiative(&mut f);
    f.archive.set_clock(Clock::fixed("2025-03-01"));
    f.archive.add_evaluation(evaluation(f.cadre, 2024, "2025-01-15", 20)).expect("evaluation");
    let default = report(&f.archive, 2024, None);
    assert_eq!(default.cadres[0].official.value, Some(100.0), "held in January for 2024: counts for 2024");
    assert!(default.date_rule.contains("一并计入"), "{}", default.date_rule);
    let strict = report(&f.archive, 2024, Some("2024-12-31"));
    assert_eq!(strict.cadres[0].official.value, None, "held after the explicit as-of date: does not count");
    assert!(strict.date_rule.contains("之后的任何记录和决定均不计入"), "{}", strict.date_rule);
    f.archive.add_evaluation(evaluation(f.cadre, 2024, "2024-12-20", 10)).expect("evaluation");
    let strict = report(&f.archive, 2024, Some("2024-12-31"));
    assert_eq!(strict.cadres[0].official.value, Some(90.0), "held by the as-of date: counts");
}

/// Adding one record of each kind, dated after an explicit as-of date, one after
/// another, never changes the assessment or the promotion evidence as of that date.
fn add_everything_after(w: &mut World, as_of: &str, after: &str) -> Vec<&'static str> {
    let a = &mut w.archive;
    let mut added = Vec::new();
    let views: Vec<_> = w.initiatives.iter().map(|i| a.initiative_view(*i, after).expect("view")).collect();
    // Items still open that a record dated `after` fits: begun, and no stage change later.
    let open = |v: &&ganshi::dossier::InitiativeView| {
        let r = &v.record;
        r.initiative.stopped_on.is_none()
            && r.initiative.fields.start_date.as_str() <= after
            && r.transitions.iter().all(|t| t.date.as_str() <= after)
    };
    if let Some(v) =
        views.iter().filter(open).find(|v| v.record.ratings.len() < 2 && v.record.initiative.stage == Stage::Plan)
    {
        let role = if v.record.ratings.iter().any(|r| r.fields.rater_role == RaterRole::OrgDept) {
            RaterRole::UnitLeader
        } else {
            RaterRole::OrgDept
        };
        let mut r = rating(role);
        r.rated_on = after.into();
        a.rate_plan(v.record.initiative.id, r, "").expect("rating");
        added.push("谋事评价");
    }
    if let Some((v, m)) = views
        .iter()
        .filter(open)
        .flat_map(|v| v.record.milestones.iter().map(move |m| (v, m)))
        .find(|(_, m)| m.fields.done_date.is_none() && m.fields.due_date.as_str() <= as_of)
    {
        let _ = v;
        let done = MilestoneInput { done_date: Some(after.into()), ..m.fields.clone() };
        a.update_milestone(m.id, done, "补记完成").expect("milestone done");
        added.push("节点完成");
    }
    if let Some(v) = views.iter().filter(open).find(|v| v.record.initiative.stage == Stage::Execution) {
        let t = TrackingInput {
            date: after.into(),
            progress: 90,
            narrative: "后来的跟踪".into(),
            milestone_id: None,
            conduct_tag: Some(ConductTag::Critical),
            conduct: "关键时刻".into(),
            rating: 5,
            tracker: "督查室".into(),
        };
        a.add_tracking(v.record.initiative.id, t).expect("tracking");
        added.push("跟踪考评");
    }
    if let Some(v) =
        views.iter().filter(open).find(|v| v.record.outcome.is_none() && v.record.initiative.stage == Stage::Execution)
    {
        let o = ganshi::records::outcomes::OutcomeInput { recorded_on: after.into(), ..outcome(Achievement::Full) };
        a.record_outcome(v.record.initiative.id, o, "").expect("outcome");
        a.advance(v.record.initiative.id, after, "").expect("to 成事");
        added.push("成效与进入成事");
    }
    if let Some(v) =
        views.iter().filter(open).find(|v| v.record.outcome.as_ref().is_some_and(|o| o.recorded_on.as_str() <= after))
    {
        let r = RecognitionInput {
            level: RecognitionLevel::National,
            title: "全国推广".into(),
            body: "国务院".into(),
            date: after.into(),
        };
        a.add_recognition(v.record.initiative.id, r).expect("recognition");
        added.push("认可");
    }
    let ready = views.iter().filter(open).find(|v| {
        v.record.initiative.stage == Stage::Plan
            && a.readiness(v.record.initiative.id).is_ok_and(|r| r.missing.is_empty())
    });
    if let Some(v) = ready {
        a.advance(v.record.initiative.id, after, "").expect("to 干事");
        added.push("进入干事");
    }
    let cadre = w.cadres[0];
    a.add_evaluation(evaluation(cadre, 2025, after, 20)).expect("evaluation");
    added.push("测评");
    if let Some(e) = w
        .cadres
        .iter()
        .flat_map(|c| a.cadre_records(*c).expect("records").evaluations)
        .find(|e| e.protection.is_none() && e.evaluation.fields.held_on.as_str() <= as_of)
    {
        let p = ProtectionInput {
            evaluation_id: e.evaluation.id,
            reason: "敢抓敢管".into(),
            decided_by: "组织部".into(),
            decided_on: after.into(),
        };
        a.protect_evaluation(p).expect("protection");
        added.push("保护条款");
    }
    let detail = NegativeDetail::Accountability {
        accountability: AccountabilityKind::Party,
        subtype: "撤销党内职务".into(),
        effect_months: None,
        reason: "事由".into(),
        issued_by: "纪委".into(),
    };
    let n = a.add_negative(NegativeInput { cadre_id: cadre, date: after.into(), detail }).expect("negative");
    added.push("问责");
    let t = ganshi::records::tolerance::ToleranceInput {
        negative_id: Some(n.id),
        initiative_id: None,
        decided_on: Some(after.into()),
        ..tolerance(cadre, 0)
    };
    a.add_tolerance_case(t).expect("tolerance of a negative");
    added.push("负面记录容错");
    let open_negatives: Vec<_> = w
        .cadres
        .iter()
        .flat_map(|c| a.negatives(*c).expect("negatives"))
        .filter(|n| {
            matches!(
                &n.fields.detail,
                NegativeDetail::Interview { closed_on: None, .. } | NegativeDetail::Problem { closed_on: None, .. }
            )
        })
        .filter(|n| n.fields.date.as_str() <= as_of)
        .collect();
    if let Some(n) = open_negatives.first() {
        a.close_negative(n.id, after, "已整改").expect("close");
        added.push("销号");
    }
    let r = a
        .add_report(ReportInput {
            cadre_id: cadre,
            received_on: after.into(),
            source: "来信".into(),
            summary: "后来的举报".into(),
        })
        .expect("report");
    added.push("举报");
    let finding = |f| FindingInput {
        finding: f,
        found_on: after.into(),
        investigated_by: "纪委".into(),
        note: String::new(),
        clearing_scope: None,
        clearing_statement: None,
    };
    a.record_finding(r.id, finding(ReportFinding::Untrue)).expect("finding");
    let open_reports: Vec<_> = w
        .cadres
        .iter()
        .flat_map(|c| a.reports(*c).expect("reports"))
        .filter(|r| r.finding.is_none() && r.fields.received_on.as_str() <= as_of)
        .collect();
    if let Some(r) = open_reports.first() {
        a.record_finding(r.id, finding(ReportFinding::Untrue)).expect("finding");
        added.push("查核结论（澄清正名）");
    }
    if let Some(v) = views.iter().filter(open).find(|v| v.record.initiative.stage >= Stage::Execution) {
        let lead = v.record.initiative.fields.participants[0].cadre_id;
        let t = ganshi::records::tolerance::ToleranceInput {
            decided_on: Some(after.into()),
            ..tolerance(lead, v.record.initiative.id)
        };
        a.add_tolerance_case(t).expect("tolerance");
        added.push("容错决定");
    }
    let grade = FinalGradeInput {
        cadre_id: cadre,
        year: 2025,
        grade: Grade::Basic,
        reason: "研究确定".into(),
        decided_by: "考核委员会".into(),
        decided_on: after.into(),
    };
    a.record_final_grade(grade).expect("grade");
    added.push("确定等次");
    let mut scheme = a.scheme(2025).expect("scheme").scheme;
    scheme.composite.excellent_from = 70.0;
    scheme.stage_weights.plan = 0.9;
    a.save_scheme(2025, scheme, "后来的方案").expect("scheme");
    added.push("考核方案新版本");
    let post = PostInput {
        unit_id: w.root,
        title: "新职务".into(),
        rank: "正处级".into(),
        start_date: after.into(),
        end_date: None,
        note: String::new(),
    };
    a.add_post(cadre, post).expect("post");
    added.push("任职");
    if let Some(v) = views.iter().filter(open).find(|v| v.record.initiative.stage == Stage::Execution) {
        a.stop(v.record.initiative.id, after, "后来中止").expect("stop");
        added.push("中止");
    }
    added
}

fn as_of_view(a: &Archive, cadres: &[i64], as_of: &str) -> (String, Vec<String>) {
    let r = serde_json::to_string(&report(a, 2025, Some(as_of))).expect("json");
    let p = cadres
        .iter()
        .map(|c| serde_json::to_string(&a.promotion_evidence(*c, 2025, Some(as_of)).expect("evidence")).expect("json"))
        .collect();
    (r, p)
}

/// Every record kind the engine reads, added after the as-of date in at least one world.
const KINDS: &[&str] = &[
    "谋事评价",
    "节点完成",
    "跟踪考评",
    "成效与进入成事",
    "认可",
    "进入干事",
    "测评",
    "保护条款",
    "问责",
    "负面记录容错",
    "销号",
    "举报",
    "查核结论（澄清正名）",
    "容错决定",
    "确定等次",
    "考核方案新版本",
    "任职",
    "中止",
];

/// On ten generated archives, each with its own explicit as-of date in 2025: a
/// record of every kind dated the day after changes neither the report nor any
/// cadre's promotion evidence; every kind is tried in some archive.
#[test]
fn nothing_dated_after_an_explicit_as_of_date_changes_anything() {
    let mut tried = std::collections::BTreeSet::new();
    for seed in 0..10u64 {
        let mut w = generated::world(1000 + seed);
        let month = 4 + seed % 7;
        let as_of = format!("2025-{month:02}-15");
        let after = format!("2025-{month:02}-16");
        let before = as_of_view(&w.archive, &w.cadres, &as_of);
        let added = add_everything_after(&mut w, &as_of, &after);
        let now = as_of_view(&w.archive, &w.cadres, &as_of);
        assert!(now.0 == before.0, "seed {seed}: the report as of {as_of} changed after adding {added:?}");
        for (c, (b, n)) in w.cadres.iter().zip(before.1.iter().zip(&now.1)) {
            assert!(b == n, "seed {seed}: the promotion evidence of cadre {c} changed after adding {added:?}");
        }
        // The same additions do count where the date lets them: the default as-of date of 2025 sees them.
        let default = serde_json::to_string(&report(&w.archive, 2025, None)).expect("json");
        assert_ne!(default, now.0, "seed {seed}: the records added count at a later date");
        tried.extend(added);
    }
    let missing: Vec<&&str> = KINDS.iter().filter(|k| !tried.contains(**k)).collect();
    assert!(missing.is_empty(), "record kinds never tried: {missing:?}");
}

// ---------------------------------------------------------------- 2. quota pooling

/// Issue 15.2: 市 (2) → 县 (0) → 镇 (3): the township pools on into the city.
#[test]
fn quota_pooling_goes_on_through_a_unit_without_cadres() {
    let mut f = fixture(); // the city holds one cadre
    cadre_in(&mut f.archive, f.unit, "市干部二");
    let county = unit(&mut f.archive, f.unit, "c1", "丰河县", UnitKind::County);
    let town = unit(&mut f.archive, county, "t1", "城关镇", UnitKind::Township);
    for n in 0..3 {
        cadre_in(&mut f.archive, town, &format!("镇干部{n}"));
    }
    let r = report(&f.archive, 2024, None);
    assert_eq!(r.quotas.len(), 1, "{:#?}", r.quotas);
    let q = &r.quotas[0];
    assert_eq!((q.appraisal_unit_id, q.assessed, q.allowed), (f.unit, 5, 1), "{q:?}");
    assert_eq!(q.pooled, vec!["丰河县".to_owned(), "城关镇".to_owned()]);
    assert!(r.cadres.iter().all(|c| c.appraisal_unit_id == f.unit));
}

// ---------------------------------------------------------------- 3. scheme validation

#[test]
fn a_scheme_that_could_make_scores_vanish_is_refused_naming_the_field() {
    let mut f = fixture();
    let default = Scheme::default();
    type Change = Box<dyn Fn(&mut Scheme)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "plan.innovationWeight",
            Box::new(|s| {
                (s.plan.innovation_weight, s.plan.challenge_weight, s.plan.difficulty_weight) = (0.0, 0.0, 0.0)
            }),
        ),
        ("plan.orgDeptWeight", Box::new(|s| (s.plan.org_dept_weight, s.plan.unit_leader_weight) = (0.0, 0.0))),
        ("execution.adherenceWeight", Box::new(|s| s.execution.adherence_weight = -0.6)),
        ("outcome.nationalBonus", Box::new(|s| s.outcome.national_bonus = -15.0)),
        ("composite.competentFrom", Box::new(|s| s.composite.competent_from = 85.0)),
        ("composite.basicFrom", Box::new(|s| s.composite.basic_from = 70.0)),
        (
            "stageWeights",
            Box::new(|s| (s.stage_weights.plan, s.stage_weights.execution, s.stage_weights.outcome) = (0.0, 0.0, 0.0)),
        ),
        ("evaluation.groupWeights", Box::new(|s| s.evaluation.group_weights.iter_mut().for_each(|g| g.weight = 0.0))),
        ("outcome.partial", Box::new(|s| s.outcome.partial = 95.0)),
        ("negative.cap", Box::new(|s| s.negative.cap = f64::NAN)),
        ("composite.quotaMinUnitSize", Box::new(|s| s.composite.quota_min_unit_size = 0)),
        (
            "negative.accountability[1].subtype",
            Box::new(|s| s.negative.accountability[1].subtype = Some("不存在".into())),
        ),
    ];
    for (field, change) in cases {
        let mut s = default.clone();
        change(&mut s);
        let err = f.archive.save_scheme(2024, s, "").expect_err(field);
        assert_eq!(err.field(), Some(field), "{err}");
        let ganshi::error::Error::Invalid { message, .. } = &err else { panic!("{err:?}") };
        assert!(message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "a Chinese message: {err}");
        assert!(!message.contains(field), "the message names the field in the user's words, not its path: {err}");
    }
    assert_eq!(f.archive.scheme(2024).expect("scheme").version, 0, "nothing refused was saved");
}

/// A version stored by an earlier release that fails today's check is refused by
/// name, never used to grade.
#[test]
fn a_stored_scheme_that_fails_the_check_is_not_used_to_grade() {
    let mut f = fixture();
    executing_initiative(&mut f);
    let mut s = Scheme::default();
    (s.plan.innovation_weight, s.plan.challenge_weight, s.plan.difficulty_weight) = (0.0, 0.0, 0.0);
    f.archive
        .conn()
        .execute(
            "INSERT INTO scheme (year, version, content, saved_at, saved_by, note) VALUES (2024, 1, ?1, '2024-06-01 09:00:00', '旧版本', '')",
            [serde_json::to_string(&s).expect("json")],
        )
        .expect("old version");
    let err = f.archive.assess(&AssessRequest { year: 2024, ..Default::default() }).expect_err("refused");
    assert!(err.to_string().contains("第 1 版") && err.to_string().contains("创新性"), "{err}");
}

#[test]
fn a_cadre_with_nothing_assessable_is_never_graded() {
    let f = fixture();
    let a = assess(&f.archive, f.cadre, 2024);
    assert_eq!(a.composite.value, None);
    assert_eq!(a.suggested.grade, Grade::Undetermined);
    assert_eq!(a.suggested.by_score, None);
    assert!(a.suggested.reasons[0].contains("不凭空评定"), "{:?}", a.suggested.reasons);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Any scheme either is refused or assesses every cadre to a finite composite
    /// within 0–100; an item has no score only where every assessed stage weighs 0
    /// (a zero weight takes its part out), and a cadre without a composite is never graded.
    #[test]
    fn an_accepted_scheme_never_makes_a_score_vanish(
        weights in proptest::collection::vec(prop_oneof![Just(0.0), 0.0f64..3.0], 13),
    ) {
        let mut w = generated::world(7);
        let mut s = Scheme::default();
        let [a, b, c, d, e, g, h, i, j, k, l, m, n] = weights[..] else { unreachable!() };
        (s.stage_weights.plan, s.stage_weights.execution, s.stage_weights.outcome) = (a, b, c);
        (s.plan.innovation_weight, s.plan.challenge_weight, s.plan.difficulty_weight) = (d, e, g);
        (s.plan.org_dept_weight, s.plan.unit_leader_weight) = (h, i);
        (s.execution.adherence_weight, s.execution.tracking_weight) = (j, k);
        (s.composite.achievement_weight, s.composite.official_weight) = (l, m);
        s.composite.public_weight = n;
        let sw = (s.stage_weights.plan, s.stage_weights.execution, s.stage_weights.outcome);
        if w.archive.save_scheme(2025, s, "").is_err() {
            return Ok(());
        }
        for c in report(&w.archive, 2025, None).cadres {
            for i in &c.initiatives {
                let weighted = [(sw.0, &i.plan), (sw.1, &i.execution), (sw.2, &i.outcome)].iter().any(|(w, e)| *w > 0.0 && e.value.is_some());
                prop_assert_eq!(i.score.value.is_some(), weighted, "{:?}", i.score);
                prop_assert!(i.score.value.is_none_or(|v| v.is_finite() && (0.0..=100.0).contains(&v)));
            }
            if let Some(v) = c.composite.value {
                prop_assert!((0.0..=100.0).contains(&v), "{}", v);
            } else {
                prop_assert_eq!(c.suggested.grade, Grade::Undetermined);
            }
        }
    }
}

// ---------------------------------------------------------------- 4. intentions are not achievements

/// An item still in 谋事 with its plan not yet due: 干事 and 成事 not assessed.
fn planned_item(f: &mut Fixture, deadline: &str, due: &str) -> i64 {
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    let mut plan = complete_plan(f.unit);
    plan.deadline = Some(deadline.into());
    f.archive.save_plan(id, plan, "").expect("plan");
    f.archive.add_milestone(id, milestone(due)).expect("milestone");
    for role in RaterRole::ALL {
        let mut r = rating(*role);
        (r.innovation, r.challenge, r.difficulty) = (5, 5, 5);
        f.archive.rate_plan(id, r, "").expect("rating");
    }
    id
}

/// Issue 15.4: one well-rated plan and a good 测评 made a cadre 优秀.
#[test]
fn a_plan_alone_never_makes_a_cadre_excellent() {
    let mut f = fixture();
    planned_item(&mut f, "2025-06-30", "2025-03-01");
    f.archive.add_evaluation(evaluation(f.cadre, 2024, "2024-12-20", 20)).expect("evaluation");
    let a = assess(&f.archive, f.cadre, 2024);
    let item = &a.initiatives[0];
    assert_eq!(
        (item.plan.value, item.execution.value, item.outcome.value),
        (Some(100.0), None, None),
        "not yet due: left out"
    );
    assert!(!item.delivered);
    assert_eq!(a.composite.value, Some(100.0));
    assert_eq!(a.suggested.by_score, Some(Grade::Excellent));
    assert_eq!(a.suggested.grade, Grade::Competent, "{:?}", a.suggested);
    assert!(a.suggested.adjustments[0].contains("凭实绩"), "{:?}", a.suggested.adjustments);
    let mut s = Scheme::default();
    s.composite.excellent_needs_delivery = false;
    s.composite.excellent_quota = 1.0; // one cadre alone: the quota would move it too
    f.archive.save_scheme(2024, s, "关闭实绩要求").expect("scheme");
    assert_eq!(assess(&f.archive, f.cadre, 2024).suggested.grade, Grade::Excellent, "the rule is the scheme's");
}

/// Issue 15.4: a stage due by the plan's own schedule and not reached counts as not achieved.
#[test]
fn a_stage_due_by_the_plan_but_not_reached_counts_as_not_achieved() {
    let mut f = fixture(); // as of 2024-12-31
    let id = planned_item(&mut f, "2024-11-30", "2024-06-30");
    let item = assess(&f.archive, f.cadre, 2024).initiatives.remove(0);
    assert_eq!(item.execution.value, Some(0.0), "{:?}", item.execution);
    assert!(
        item.execution.rule.contains("2024-06-30") && item.execution.rule.contains("应干未干"),
        "{}",
        item.execution.rule
    );
    assert_eq!(item.outcome.value, Some(30.0), "未实现's base: {:?}", item.outcome);
    assert!(item.outcome.rule.contains("2024-11-30"), "{}", item.outcome.rule);
    // 100 × 0.3 + 0 × 0.35 + 30 × 0.35 = 40.5
    assert_eq!(item.score.value, Some(40.5));
    // 容错 takes both out, as it does a shortfall.
    let case = f.archive.add_tolerance_case(tolerance(f.cadre, id)).expect("case");
    let item = assess(&f.archive, f.cadre, 2024).initiatives.remove(0);
    assert_eq!((item.execution.value, item.outcome.value, item.tolerated_by), (None, None, Some(case.id)));
    assert_eq!(item.score.value, Some(100.0));
}

/// "Has passed" is before the as-of date; a stopped item keeps what fell due before it stopped.
#[test]
fn a_deadline_on_the_as_of_date_is_not_overdue_and_stopping_keeps_what_fell_due() {
    let mut f = fixture(); // as of 2024-12-31
    planned_item(&mut f, "2024-12-31", "2024-12-31");
    let item = assess(&f.archive, f.cadre, 2024).initiatives.remove(0);
    assert_eq!((item.execution.value, item.outcome.value), (None, None), "due today is not yet overdue");

    let mut f = fixture();
    let id = planned_item(&mut f, "2024-11-30", "2024-06-30");
    f.archive.stop(id, "2024-09-01", "政策调整，项目暂缓").expect("stop");
    let item = assess(&f.archive, f.cadre, 2024).initiatives.remove(0);
    assert_eq!(item.execution.value, Some(0.0), "干事 fell due in June, before the stop: {:?}", item.execution);
    assert_eq!(item.outcome.value, None, "成事 would fall due after the stop: {:?}", item.outcome);

    // In 干事: an open milestone runs overdue only until the item stopped.
    let mut f = fixture();
    let id = executing_initiative(&mut f); // milestone due 2024-06-30, open
    f.archive.stop(id, "2024-07-10", "政策调整").expect("stop");
    let item = assess(&f.archive, f.cadre, 2024).initiatives.remove(0);
    let penalty = item.execution.children.iter().find(|c| c.label == "逾期扣分").expect("penalty");
    assert_eq!(penalty.value, Some(-2.0), "10 days × 0.2 until the stop, not 184 days: {:?}", penalty);
}

// ---------------------------------------------------------------- 5. 容错 and co-participants

#[test]
fn a_tolerance_decision_covers_every_participant_unless_refused_to_one_of_them() {
    let mut f = fixture();
    let other = cadre_in(&mut f.archive, f.unit, "李四");
    let mut input = initiative_input(f.cadre);
    input
        .participants
        .push(ganshi::records::initiatives::Participant { cadre_id: other, role: ParticipantRole::Member });
    let id = f.archive.create_initiative(input).expect("initiative").id;
    f.archive.save_plan(id, complete_plan(f.unit), "").expect("plan");
    f.archive.add_milestone(id, milestone("2024-06-30")).expect("milestone");
    for role in RaterRole::ALL {
        f.archive.rate_plan(id, rating(*role), "").expect("rating");
    }
    f.archive.advance(id, "2024-02-01", "").expect("advance");
    f.archive.record_outcome(id, outcome(Achievement::NotAchieved), "").expect("outcome");
    let case = f.archive.add_tolerance_case(tolerance(f.cadre, id)).expect("case").id;
    let items = |a: &Archive| {
        [f.cadre, other].map(|c| {
            report(a, 2024, None).cadres.into_iter().find(|x| x.cadre_id == c).expect("cadre").initiatives.remove(0)
        })
    };
    let [lead, member] = items(&f.archive);
    assert_eq!((lead.tolerated_by, member.tolerated_by), (Some(case), Some(case)));
    assert_eq!(lead.score, member.score, "the same failed item scores the same for both");
    let member_report =
        report(&f.archive, 2024, None).cadres.into_iter().find(|x| x.cadre_id == other).expect("member");
    assert!(member_report.decisions.iter().any(|d| d.kind == "容错免责"), "the member's dossier shows the decision");
    let mut refused = tolerance(other, id);
    refused.decision = Some(ToleranceDecision::NotTolerated);
    refused.reason = "明知故犯".into();
    f.archive.add_tolerance_case(refused).expect("refusal");
    let [lead, member] = items(&f.archive);
    assert_eq!(
        (lead.tolerated_by, member.tolerated_by),
        (Some(case), None),
        "a refusal of one's own keeps the shortfall"
    );
    assert_eq!(member.outcome.value, Some(30.0));
}

fn by_cadre(r: &ganshi::assessment::AssessmentReport) -> std::collections::BTreeMap<i64, &CadreAssessment> {
    r.cadres.iter().map(|c| (c.cadre_id, c)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// On generated archives: an item scores the same for everyone taking part,
    /// except a participant refused 容错 in a case of their own; every grade that
    /// differs from its score's says why; 优秀 only with delivered work; small
    /// units pool up to a root.
    #[test]
    fn generated_archives_keep_every_grade_rule(seed in 0u64..10_000) {
        let w = generated::world(seed);
        let r = report(&w.archive, 2025, None);
        let cases = ganshi::records::tolerance::all(w.archive.conn()).expect("cases");
        let refused = |cadre: i64, item: i64| cases.iter().any(|c| c.fields.cadre_id == cadre && c.fields.initiative_id == Some(item) && c.fields.decision == Some(ToleranceDecision::NotTolerated));
        let mut seen: std::collections::BTreeMap<i64, (Option<f64>, Option<i64>)> = Default::default();
        for c in &r.cadres {
            for i in c.initiatives.iter().filter(|i| !refused(c.cadre_id, i.initiative_id)) {
                let mine = (i.score.value, i.tolerated_by);
                let first = *seen.entry(i.initiative_id).or_insert(mine);
                prop_assert_eq!(first, mine, "item {} differs between its participants", i.initiative_id);
            }
            let s = &c.suggested;
            if s.by_score.is_some_and(|g| g != s.grade) {
                prop_assert!(!s.adjustments.is_empty(), "cadre {} moved without a reason: {:?}", c.cadre_id, s);
            }
            if s.grade == Grade::Undetermined {
                prop_assert!(!s.reasons.is_empty());
            }
            if c.composite.value.is_none() {
                prop_assert_eq!(s.grade, Grade::Undetermined);
            }
            if s.grade == Grade::Excellent {
                prop_assert!(c.initiatives.iter().any(|i| i.delivered), "cadre {} is 优秀 on intentions", c.cadre_id);
            }
        }
        let quota = w.archive.scheme(2025).expect("scheme").scheme.composite;
        let parent: std::collections::BTreeMap<i64, Option<i64>> = w.units.iter().copied().collect();
        let cadres = by_cadre(&r);
        for q in &r.quotas {
            if q.assessed < quota.quota_min_unit_size {
                prop_assert_eq!(parent.get(&q.appraisal_unit_id).copied().flatten(), None, "{:?} is small and not a root", q);
            }
            let excellent = cadres.values().filter(|c| c.appraisal_unit_id == q.appraisal_unit_id && c.suggested.grade == Grade::Excellent).count();
            prop_assert!(excellent <= q.allowed);
            // Issue 18: each row the quota moved says so, with its place beyond the quota.
            let mut ranks: Vec<u32> = cadres
                .values()
                .filter(|c| c.appraisal_unit_id == q.appraisal_unit_id)
                .filter_map(|c| c.suggested.over_quota)
                .inspect(|p| assert_eq!(p.allowed as usize, q.allowed))
                .map(|p| p.rank)
                .collect();
            ranks.sort_unstable();
            let expected: Vec<u32> = (0..q.over_quota).map(|k| (q.allowed + k + 1) as u32).collect();
            prop_assert_eq!(ranks, expected, "{:?}", q);
        }
    }
}

// ---------------------------------------------------------------- 6. 影响期 per subtype

#[test]
fn the_effect_period_follows_the_subtype() {
    let mut f = fixture();
    let add = |a: &mut Archive, kind: AccountabilityKind, subtype: &str, months: Option<u32>| {
        let detail = NegativeDetail::Accountability {
            accountability: kind,
            subtype: subtype.into(),
            effect_months: months,
            reason: "事由".into(),
            issued_by: "纪委".into(),
        };
        a.add_negative(NegativeInput { cadre_id: f.cadre, date: "2024-03-01".into(), detail })
    };
    let months = |n: ganshi::records::negatives::Negative| n.fields.detail.effect_months();
    assert_eq!(months(add(&mut f.archive, AccountabilityKind::Admonishment, "诫勉谈话", None).expect("诫勉")), Some(6));
    assert_eq!(months(add(&mut f.archive, AccountabilityKind::Party, "警告", None).expect("警告")), Some(12));
    assert_eq!(months(add(&mut f.archive, AccountabilityKind::Government, "记大过", None).expect("记大过")), Some(18));
    assert_eq!(
        months(add(&mut f.archive, AccountabilityKind::Circulated, "通报批评", Some(3)).expect("通报")),
        Some(3)
    );
    let err =
        add(&mut f.archive, AccountabilityKind::Admonishment, "诫勉谈话", Some(12)).expect_err("诫勉 is six months");
    assert_eq!(err.field(), Some("detail.effectMonths"));
    assert!(err.to_string().contains("6 个月") && err.to_string().contains("诫勉"), "{err}");
    let err = add(&mut f.archive, AccountabilityKind::Party, "留党察看", Some(6)).expect_err("below the bounds");
    assert!(err.to_string().contains("12 到 48"), "{err}");
    let detail = NegativeDetail::Inaction {
        category: InactionCategory::Lazy,
        situation: InactionCategory::Lazy.situations()[0].into(),
        description: "表现".into(),
        found_by: "督查室".into(),
        effect_months: None,
    };
    let n = f
        .archive
        .add_negative(NegativeInput { cadre_id: f.cadre, date: "2024-03-01".into(), detail })
        .expect("为官不为");
    assert_eq!(months(n), Some(12));
    let periods = ganshi::records::negatives::effect_periods();
    assert!(
        periods.iter().all(|p| p.period.min <= p.period.default
            && p.period.default <= p.period.max
            && !p.period.source.is_empty())
    );
}

// ---------------------------------------------------------------- 7. the dossier's windows

#[test]
fn the_dossier_says_each_window_and_tenure_counts_to_the_as_of_date() {
    let mut f = fixture();
    f.archive.set_clock(Clock::fixed("2025-12-31"));
    let id = executing_initiative(&mut f); // started 2024-01-10
    f.archive.record_outcome(id, outcome(Achievement::Full), "").expect("outcome");
    f.archive.advance(id, "2024-11-15", "").expect("成事 in 2024");
    let s = f.archive.promotion_evidence(f.cadre, 2025, None).expect("evidence");
    let done = s.dimensions.iter().find(|d| d.name == "干成事").expect("干成事");
    assert_eq!(done.score.value, Some(100.0));
    assert!(done.score.rule.contains("2023–2025 年"), "{}", done.score.rule);
    assert!(done.score.children[0].label.contains("2024 年已办结"), "{}", done.score.children[0].label);
    let year = assess(&f.archive, f.cadre, 2025);
    assert!(year.initiatives.is_empty(), "the year's table holds the items under way in 2025 only");
    let tenure = s.eligibility.iter().find(|c| c.rule.contains("任现职")).expect("tenure");
    assert!(tenure.detail.contains("截至 2025-12-31"), "{}", tenure.detail);
    // A post that begins after the as-of date is not the current post on it.
    f.archive
        .add_post(
            f.cadre,
            PostInput {
                unit_id: f.unit,
                title: "新职务".into(),
                rank: "正处级".into(),
                start_date: "2025-12-01".into(),
                end_date: None,
                note: String::new(),
            },
        )
        .expect("post");
    let earlier = f.archive.promotion_evidence(f.cadre, 2025, Some("2025-06-30")).expect("evidence");
    let tenure = earlier.eligibility.iter().find(|c| c.rule.contains("任现职")).expect("tenure");
    assert!(tenure.detail.contains("自 2020-03-01") && tenure.detail.contains("截至 2025-06-30"), "{}", tenure.detail);
    // Whole months: from 2024-09-30, 2026-09-29 is 23 months and 2026-09-30 is 24.
    let mut f = fixture();
    f.archive.set_clock(Clock::fixed("2026-12-31"));
    f.archive
        .add_post(
            f.cadre,
            PostInput {
                unit_id: f.unit,
                title: "再任".into(),
                rank: "正处级".into(),
                start_date: "2024-09-30".into(),
                end_date: None,
                note: String::new(),
            },
        )
        .expect("post");
    for (day, months) in [("2026-09-29", "已 23 个月"), ("2026-09-30", "已 24 个月")] {
        let s = f.archive.promotion_evidence(f.cadre, 2026, Some(day)).expect("evidence");
        let tenure = s.eligibility.iter().find(|c| c.rule.contains("任现职")).expect("tenure");
        assert!(tenure.detail.contains(months), "{day}: {}", tenure.detail);
    }
}

// ---------------------------------------------------------------- 8. moved grades say why

#[test]
fn a_grade_moved_by_the_quota_or_a_cap_says_why_in_its_row() {
    let mut f = fixture();
    let mut cadres = vec![f.cadre];
    for n in 0..4 {
        cadres.push(cadre_in(&mut f.archive, f.unit, &format!("干部{n}")));
    }
    for (n, &c) in cadres.iter().enumerate() {
        let mut input = initiative_input(c);
        input.title = format!("事项{n}");
        let id = f.archive.create_initiative(input).expect("initiative").id;
        f.archive.save_plan(id, complete_plan(f.unit), "").expect("plan");
        f.archive
            .add_milestone(id, MilestoneInput { done_date: Some("2024-06-01".into()), ..milestone("2024-06-30") })
            .expect("milestone");
        for role in RaterRole::ALL {
            f.archive.rate_plan(id, rating(*role), "").expect("rating");
        }
        f.archive.advance(id, "2024-02-01", "").expect("advance");
        f.archive.record_outcome(id, outcome(Achievement::Full), "").expect("outcome");
        f.archive.add_evaluation(evaluation(c, 2024, "2024-12-20", 20 - n as i64)).expect("evaluation");
    }
    let detail = NegativeDetail::Accountability {
        accountability: AccountabilityKind::Admonishment,
        subtype: "诫勉谈话".into(),
        effect_months: None,
        reason: "事由".into(),
        issued_by: "纪委".into(),
    };
    f.archive.add_negative(NegativeInput { cadre_id: cadres[1], date: "2024-10-01".into(), detail }).expect("诫勉");
    let r = report(&f.archive, 2024, None);
    let by = by_cadre(&r);
    assert_eq!(by[&cadres[0]].suggested.grade, Grade::Excellent);
    let capped = &by[&cadres[1]].suggested;
    assert_eq!((capped.by_score, capped.grade), (Some(Grade::Excellent), Grade::Competent), "{capped:?}");
    assert!(capped.adjustments[0].contains("诫勉"), "{capped:?}");
    for c in &cadres[2..] {
        let s = &by[c].suggested;
        assert_eq!((s.by_score, s.grade), (Some(Grade::Excellent), Grade::Competent), "{s:?}");
        assert!(s.adjustments.iter().any(|a| a.contains("超出名额")), "{s:?}");
    }
}

// ---------------------------------------------------------------- 9. the documented JSON shape

fn schema() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/assessment-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::validator_for(&schema).expect("a valid schema")
}

fn check(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).take(5).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not match docs/assessment-report.schema.json: {errors:#?}");
}

/// `ganshi assess --json` (the real binary) and the core's report on a generated
/// archive with decisions, pooled units and year-end lists match the schema.
#[test]
fn assess_json_matches_its_documented_schema() {
    let v = schema();
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .env("GANSHI_PASSWORD", PASSWORD)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run ganshi");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    };
    run(&["demo", "--cadres", "40", "--seed", "5"]);
    let doc: serde_json::Value = serde_json::from_str(&run(&["assess", "--year", "2025", "--json"])).expect("json");
    check(&v, &doc, "ganshi assess --json");
    assert!(doc["cadres"].as_array().is_some_and(|c| c.len() > 20), "the demo's serving cadres are assessed");
    assert!(doc["quotas"].as_array().is_some_and(|q| !q.is_empty()));
    let w = generated::world(3);
    for explained in [true, false] {
        let req = AssessRequest { year: 2025, ..Default::default() };
        let r = if explained { w.archive.assess(&req) } else { w.archive.appraisal_list(&req, &ganshi::Job::new()) };
        check(&v, &serde_json::to_value(r.expect("report")).expect("json"), "a generated archive's report");
    }
    let mut broken = doc.clone();
    broken["cadres"][0]["suggested"]["grade"] = "很好".into();
    assert!(!v.is_valid(&broken), "the schema names the grades");
    broken = doc;
    broken["cadres"][0]["unknown"] = 1.into();
    assert!(!v.is_valid(&broken), "the schema lists every field");
}
