//! Generated archives for the property tests of the assessment rules: random
//! unit trees (units without cadres of their own, offices, several levels),
//! cadres anywhere in them, initiatives in every state (not begun, planned and
//! overdue, executing, finished, stopped, shared by several cadres), and every
//! record kind the engine reads, dated over 2024–2026. Built through the public
//! API on a real archive file, so every record passed the same checks a clerk's
//! does. The clock stands at 2026-03-01: every date is on or before it.

use chrono::{Duration, NaiveDate};
use ganshi::archive::Archive;
use ganshi::assessment::grades::FinalGradeInput;
use ganshi::enums::*;
use ganshi::records::evaluations::{EvaluationInput, ProtectionInput, Votes};
use ganshi::records::initiatives::{InitiativeInput, Participant};
use ganshi::records::negatives::{NegativeDetail, NegativeInput};
use ganshi::records::outcomes::{OutcomeInput, RecognitionInput};
use ganshi::records::plans::{MilestoneInput, PlanInput, RatingInput};
use ganshi::records::reports::{FindingInput, ReportInput};
use ganshi::records::tracking::TrackingInput;
use ganshi::records::units::UnitInput;

use crate::support::cadre_input;

pub const TODAY: &str = "2026-03-01";

/// A small deterministic generator (xorshift), so a failing seed can be replayed.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    pub fn chance(&mut self, percent: i64) -> bool {
        self.range(0, 99) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as i64 - 1) as usize]
    }
}

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")
}

/// `2024-01-01` plus `days`, never after [`TODAY`] less a day.
pub fn day(days: i64) -> String {
    let last = NaiveDate::from_ymd_opt(2026, 2, 28).expect("date");
    (base() + Duration::days(days)).min(last).format("%Y-%m-%d").to_string()
}

fn days_of(s: &str) -> i64 {
    (NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date") - base()).num_days()
}

pub struct World {
    pub _dir: tempfile::TempDir,
    pub archive: Archive,
    pub root: i64,
    /// Every unit with its parent.
    pub units: Vec<(i64, Option<i64>)>,
    pub cadres: Vec<i64>,
    pub initiatives: Vec<i64>,
}

fn unit(a: &mut Archive, parent: Option<i64>, name: String, kind: UnitKind) -> i64 {
    let code = format!("u{}", a.units().map(|u| u.len()).unwrap_or(0));
    a.create_unit(UnitInput { parent_id: parent, code, name, kind, sort_order: 0 }).expect("unit").id
}

/// Build the archive of `seed`.
pub fn world(seed: u64) -> World {
    let mut dice = Dice::new(seed);
    let dir = tempfile::tempdir().expect("dir");
    let mut a = Archive::open(&dir.path().join("generated.db")).expect("open");
    a.set_clock(ganshi::Clock::fixed(TODAY));
    a.set_actor("生成器");
    let root = unit(&mut a, None, "燕州市".into(), UnitKind::City);
    let mut units = vec![(root, None)];
    for c in 0..dice.range(1, 3) {
        let county = unit(&mut a, Some(root), format!("第{c}县"), UnitKind::County);
        units.push((county, Some(root)));
        for t in 0..dice.range(0, 2) {
            let town = unit(&mut a, Some(county), format!("第{c}县{t}镇"), UnitKind::Township);
            units.push((town, Some(county)));
        }
        if dice.chance(40) {
            let office = unit(&mut a, Some(county), format!("第{c}县办公室"), UnitKind::Office);
            units.push((office, Some(county)));
        }
    }
    // Cadres in some units only: others stay empty (an empty county between a town and the city).
    let homes: Vec<i64> = units.iter().map(|(u, _)| *u).filter(|_| dice.chance(70)).collect();
    let homes = if homes.is_empty() { vec![root] } else { homes };
    let mut cadres = Vec::new();
    for n in 0..dice.range(5, 13) {
        let mut c = cadre_input(dice.pick(&homes));
        c.name = format!("干部{n}");
        let since = day(dice.range(-1500, 600));
        cadres.push(a.create_cadre(c, Some(&since)).expect("cadre").id);
    }
    let mut initiatives = Vec::new();
    for n in 0..dice.range(6, 16) {
        initiatives.push(initiative(&mut a, &mut dice, root, &cadres, n));
    }
    for &c in &cadres {
        cadre_records(&mut a, &mut dice, c);
    }
    for &i in &initiatives {
        if dice.chance(15) {
            tolerance(&mut a, &mut dice, i);
        }
    }
    // Every kind of write above keeps the records sealed as the trail says (issue 16, medium 3).
    let chain = a.verify_audit().expect("verify");
    assert!(chain.ok, "seed {seed}: {chain:?}");
    World { _dir: dir, archive: a, root, units, cadres, initiatives }
}

fn initiative(a: &mut Archive, dice: &mut Dice, root: i64, cadres: &[i64], n: i64) -> i64 {
    let lead = dice.pick(cadres);
    let mut participants = vec![Participant { cadre_id: lead, role: ParticipantRole::Lead }];
    for _ in 0..dice.range(0, 2) {
        let m = dice.pick(cadres);
        if participants.iter().all(|p| p.cadre_id != m) {
            participants.push(Participant { cadre_id: m, role: ParticipantRole::Member });
        }
    }
    let start = dice.range(0, 640);
    let input = InitiativeInput {
        category: dice.pick(Category::ALL),
        title: format!("事项{n}"),
        summary: "生成的事项".into(),
        start_date: day(start),
        participants,
        tags: vec![],
    };
    let id = a.create_initiative(input).expect("initiative").id;
    let deadline = start + dice.range(60, 600);
    if dice.chance(92) {
        let plan = PlanInput {
            goal: "目标".into(),
            measures: "措施".into(),
            responsible_unit_id: Some(root),
            responsible_person: "责任人".into(),
            deadline: Some(day(deadline)),
        };
        a.save_plan(id, plan, "").expect("plan");
        for k in 0..dice.range(0, 3) {
            let due = dice.range(start, deadline.min(days_of(&day(deadline))));
            let done = dice.chance(55).then(|| day(dice.range(start, due + 90)));
            let m = MilestoneInput { name: format!("节点{k}"), due_date: day(due), done_date: done };
            a.add_milestone(id, m).expect("milestone");
        }
    }
    for role in RaterRole::ALL {
        if dice.chance(75) {
            let r = RatingInput {
                rater_role: *role,
                rater_name: "评价人".into(),
                innovation: dice.range(1, 5),
                challenge: dice.range(1, 5),
                difficulty: dice.range(1, 5),
                comment: String::new(),
                rated_on: day(start + dice.range(0, 200)),
            };
            a.rate_plan(id, r, "").expect("rating");
        }
    }
    let advanced = start + dice.range(20, 320);
    if dice.chance(75) && a.advance(id, &day(advanced), "").is_ok() {
        for _ in 0..dice.range(0, 3) {
            let t = TrackingInput {
                date: day(advanced + dice.range(0, 300)),
                progress: dice.range(0, 100),
                narrative: "进展".into(),
                milestone_id: None,
                conduct_tag: dice.chance(30).then(|| dice.pick(ConductTag::ALL)),
                conduct: "急难险重任务中的表现".into(),
                rating: dice.range(1, 5),
                tracker: "督查室".into(),
            };
            a.add_tracking(id, t).expect("tracking");
        }
        if dice.chance(55) {
            let recorded = advanced + dice.range(30, 400);
            let o = OutcomeInput {
                achievement: dice.pick(Achievement::ALL),
                narrative: "成效".into(),
                recorded_on: day(recorded),
                metrics: vec![],
            };
            a.record_outcome(id, o, "").expect("outcome");
            for _ in 0..dice.range(0, 2) {
                let r = RecognitionInput {
                    level: dice.pick(RecognitionLevel::ALL),
                    title: "推广".into(),
                    body: "省政府".into(),
                    date: day(recorded + dice.range(0, 90)),
                };
                a.add_recognition(id, r).expect("recognition");
            }
            if dice.chance(70) {
                a.advance(id, &day(recorded + dice.range(0, 60)), "").expect("advance to 成事");
            }
        }
    }
    if dice.chance(6) {
        let on = day(advanced + dice.range(0, 200));
        let _ = a.stop(id, &on, "客观条件变化");
    }
    id
}

fn cadre_records(a: &mut Archive, dice: &mut Dice, cadre: i64) {
    for year in [2024, 2025] {
        for kind in EvaluationKind::ALL {
            if !dice.chance(55) {
                continue;
            }
            let held = if dice.chance(50) {
                format!("{year}-12-{:02}", dice.range(1, 28))
            } else {
                format!("{}-01-{:02}", year + 1, dice.range(2, 28))
            };
            let votes = (dice.range(0, 20), dice.range(0, 20), dice.range(0, 5), dice.range(0, 3));
            let e = EvaluationInput {
                cadre_id: cadre,
                year,
                kind: *kind,
                rater_group: dice.pick(RaterGroup::ALL),
                votes: Some(Votes { excellent: votes.0 + 1, competent: votes.1, basic: votes.2, incompetent: votes.3 }),
                score: None,
                held_on: held.clone(),
                note: String::new(),
            };
            let e = a.add_evaluation(e).expect("evaluation");
            if dice.chance(15) {
                let p = ProtectionInput {
                    evaluation_id: e.id,
                    reason: "敢抓敢管".into(),
                    decided_by: "组织部".into(),
                    decided_on: day(days_of(&held) + dice.range(0, 40)),
                };
                a.protect_evaluation(p).expect("protection");
            }
        }
    }
    if dice.chance(30) {
        let date = day(dice.range(0, 780));
        let detail = match dice.range(0, 3) {
            0 => {
                let kind = dice.pick(AccountabilityKind::ALL);
                let subtype = dice.pick(kind.subtypes()).0.to_owned();
                NegativeDetail::Accountability {
                    accountability: kind,
                    subtype,
                    effect_months: None,
                    reason: "事由".into(),
                    issued_by: "纪委".into(),
                }
            }
            1 => {
                let category = dice.pick(InactionCategory::ALL);
                NegativeDetail::Inaction {
                    category,
                    situation: dice.pick(category.situations()).to_owned(),
                    description: "表现".into(),
                    found_by: "督查室".into(),
                    effect_months: None,
                }
            }
            2 => NegativeDetail::Interview {
                reason: "推进不力".into(),
                memo: "备忘录".into(),
                rectification: "整改".into(),
                deadline: day(days_of(&date) + dice.range(10, 120)),
                closed_on: None,
                closure_note: String::new(),
            },
            _ => NegativeDetail::Problem {
                description: "问题".into(),
                route: "路线图".into(),
                responsible_person: "责任人".into(),
                deadline: day(days_of(&date) + dice.range(10, 120)),
                closed_on: None,
                closure_note: String::new(),
            },
        };
        let closable = matches!(detail, NegativeDetail::Interview { .. } | NegativeDetail::Problem { .. });
        let n = a.add_negative(NegativeInput { cadre_id: cadre, date: date.clone(), detail }).expect("negative");
        if closable && dice.chance(50) {
            a.close_negative(n.id, &day(days_of(&date) + dice.range(5, 200)), "已整改").expect("close");
        }
    }
    if dice.chance(15) {
        let received = day(dice.range(300, 780));
        let r = ReportInput {
            cadre_id: cadre,
            received_on: received.clone(),
            source: "来信".into(),
            summary: "反映问题".into(),
        };
        let r = a.add_report(r).expect("report");
        if dice.chance(50) {
            let f = FindingInput {
                finding: dice.pick(ReportFinding::ALL),
                found_on: day(days_of(&received) + dice.range(10, 90)),
                investigated_by: "纪委".into(),
                note: String::new(),
                clearing_scope: None,
                clearing_statement: None,
            };
            a.record_finding(r.id, f).expect("finding");
        }
    }
    if dice.chance(30) {
        let g = FinalGradeInput {
            cadre_id: cadre,
            year: 2024,
            grade: dice.pick(&[Grade::Excellent, Grade::Competent, Grade::Basic]),
            reason: "考核委员会研究确定".into(),
            decided_by: "考核委员会".into(),
            decided_on: day(dice.range(370, 420)),
        };
        a.record_final_grade(g).expect("final grade");
    }
}

fn tolerance(a: &mut Archive, dice: &mut Dice, initiative: i64) {
    let i = a.initiative(initiative).expect("initiative");
    let ids: Vec<i64> = i.fields.participants.iter().map(|p| p.cadre_id).collect();
    let who = dice.pick(&ids);
    let mut case = crate::assessment::tolerance(who, initiative);
    match dice.range(0, 2) {
        0 => {
            case.decision = None;
            case.reason = String::new();
            case.decided_on = None;
        }
        1 => case.decision = Some(ToleranceDecision::NotTolerated),
        _ => {}
    }
    if case.decided_on.is_some() {
        case.decided_on = Some(day(dice.range(300, 780)));
    }
    a.add_tolerance_case(case).expect("tolerance case");
}
