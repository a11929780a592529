use ganshi::Error;
use ganshi::enums::*;
use ganshi::records::outcomes::OutcomeInput;
use ganshi::records::tracking::TrackingInput;

use crate::support::*;

fn tracking(date: &str) -> TrackingInput {
    TrackingInput {
        date: date.into(),
        progress: 40,
        narrative: "主体工程完成 40%".into(),
        milestone_id: None,
        conduct_tag: Some(ConductTag::Urgent),
        conduct: "汛期连续值守".into(),
        rating: 4,
        tracker: "市委督查室".into(),
    }
}

#[test]
fn advancing_from_plan_lists_every_missing_precondition() {
    let mut f = fixture();
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    let err = f.archive.advance(id, "2024-02-01", "").expect_err("an empty plan must not advance");
    let Error::Transition { missing, .. } = err else { panic!("expected a transition error, got {err:?}") };
    assert!(missing.iter().any(|m| m.contains("谋事计划")), "the absent plan is named: {missing:?}");
    assert!(missing.iter().any(|m| m.contains("时间节点")), "the absent milestone is named: {missing:?}");
    assert!(missing.iter().any(|m| m.contains("组织部门")), "the org-dept rating is named: {missing:?}");
    assert!(missing.iter().any(|m| m.contains("领导班子主要负责同志")), "the leader rating is named: {missing:?}");

    // A plan without a deadline and with one rating: exactly those two remain.
    let mut plan = complete_plan(f.unit);
    plan.deadline = None;
    f.archive.save_plan(id, plan, "").expect("draft plan");
    f.archive.add_milestone(id, milestone("2024-06-30")).expect("milestone");
    f.archive.rate_plan(id, rating(RaterRole::OrgDept), "").expect("rating");
    let Err(Error::Transition { missing, .. }) = f.archive.advance(id, "2024-02-01", "") else {
        panic!("must still be blocked")
    };
    assert_eq!(missing.len(), 2, "only the deadline and the second rating are missing: {missing:?}");
    assert_eq!(f.archive.initiative(id).expect("read").stage, Stage::Plan, "a refused transition changes nothing");
}

#[test]
fn full_path_through_three_stages_records_each_transition() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    f.archive.add_tracking(id, tracking("2024-05-01")).expect("tracking in 干事");
    let Err(Error::Transition { missing, .. }) = f.archive.advance(id, "2024-11-01", "") else {
        panic!("成事 needs an outcome")
    };
    assert!(missing[0].contains("成效"), "{missing:?}");
    f.archive
        .record_outcome(
            id,
            OutcomeInput {
                achievement: Achievement::Full,
                narrative: "按期建成".into(),
                recorded_on: "2024-11-01".into(),
                metrics: vec![],
            },
            "",
        )
        .expect("outcome");
    let done = f.archive.advance(id, "2024-11-02", "验收").expect("advance to 成事");
    assert_eq!(done.stage, Stage::Outcome);
    let view = f.archive.initiative_view(id, "2024-12-31").expect("view");
    let stages: Vec<_> = view.record.transitions.iter().map(|t| (t.from_stage, t.to_stage)).collect();
    assert_eq!(
        stages,
        vec![(None, Stage::Plan), (Some(Stage::Plan), Stage::Execution), (Some(Stage::Execution), Stage::Outcome)]
    );
    assert!(view.record.transitions.iter().all(|t| t.actor == "测试员"), "every transition records its actor");
}

#[test]
fn tracking_is_only_for_the_execution_stage_and_not_in_the_future() {
    let mut f = fixture();
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    assert!(
        matches!(f.archive.add_tracking(id, tracking("2024-05-01")), Err(Error::State(_))),
        "谋事 items are not tracked"
    );
    let id = executing_initiative(&mut f);
    let err = f.archive.add_tracking(id, tracking("2025-01-05")).expect_err("after the clock's today");
    assert_eq!(err.field(), Some("date"));
}

#[test]
fn a_stopped_item_keeps_its_stage_and_refuses_changes() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    assert!(f.archive.stop(id, "2024-03-01", "  ").is_err(), "a reason is required");
    let stopped = f.archive.stop(id, "2024-03-01", "投资方终止合作").expect("stop");
    assert_eq!(stopped.stage, Stage::Execution, "the stage reached is kept");
    assert_eq!(stopped.stop_reason.as_deref(), Some("投资方终止合作"));
    let err = f.archive.add_tracking(id, tracking("2024-05-01")).expect_err("stopped items are read-only");
    assert_eq!(err.code(), "invalid_state");
    assert!(f.archive.advance(id, "2024-05-01", "").is_err());
}

#[test]
fn transitions_cannot_go_back_in_time() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    let err = f.archive.stop(id, "2024-01-15", "原因").expect_err("before the last transition (2024-02-01)");
    assert_eq!(err.field(), Some("date"));
}

#[test]
fn overdue_milestones_are_flagged_as_of_the_given_date() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    let view = f.archive.initiative_view(id, "2024-07-10").expect("view");
    assert_eq!(view.milestone_status[0].overdue_days, 10, "due 2024-06-30, open on 2024-07-10");
    let view = f.archive.initiative_view(id, "2024-06-01").expect("view");
    assert_eq!(view.milestone_status[0].overdue_days, 0);
}
