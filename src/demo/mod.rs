//! A deterministic, realistic demo archive: a fictional prefecture-level city
//! (燕州市) with its counties, municipal departments, enterprises and
//! townships; cadres with post histories; initiatives at every stage with
//! plans, ratings, tracking, outcomes, recognitions and some stopped items.
//! The same `seed` and `cadres` always produce the same archive (a fixed clock
//! stamps every record), so the same export.

mod assessment;
mod preset;
mod rng;
mod users;
mod vocab;

pub use preset::{Preset, generate_preset};
pub use users::add_demo_users;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use crate::archive::{Archive, Clock};
use crate::enums::*;
use crate::error::{Error, Result};
use crate::records::cadres::{CadreInput, PostInput};
use crate::records::initiatives::{InitiativeInput, Participant};
use crate::records::outcomes::{Metric, OutcomeInput, RecognitionInput};
use crate::records::plans::{MilestoneInput, PlanInput, RatingInput};
use crate::records::tracking::TrackingInput;
use crate::records::units::UnitInput;
use rng::Rng;
use vocab::*;

/// The date the demo archive is "as of": nothing in it happens later.
pub const DEMO_TODAY: &str = "2026-10-31";

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    pub units: usize,
    pub cadres: usize,
    pub initiatives: usize,
    pub stopped: usize,
    pub protected: usize,
    pub cleared: usize,
    pub tolerated: usize,
}

type PostChoice = (&'static str, &'static str, &'static str);

struct Gen<'a> {
    archive: &'a mut Archive,
    rng: Rng,
    today: NaiveDate,
    summary: DemoSummary,
    /// Monthly progress reports between milestones (the presets); the classic
    /// demo has only the milestone reports.
    progress_reports: bool,
    /// The one-per-unit posts (县委书记, 局长 …) already given, by unit.
    heads: std::collections::HashSet<(i64, &'static str)>,
}

/// Posts a unit has one of: a second draw of one becomes the list's last (a deputy or a 调研员).
const ONE_PER_UNIT: &[&str] =
    &["县委书记", "县长", "常务副县长", "局长", "党委书记、董事长", "总经理", "党委书记", "镇长", "科长"];

/// A county-level post in a district's words: 区委书记, 区长, 副区长.
fn in_district(post: &str) -> String {
    post.replace("县委", "区委").replace("县长", "区长")
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn ym(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

const OFFICE_POSTS: &[PostChoice] = &[("科长", "正科级", "县管"), ("副科长", "副科级", "县管")];

/// The crash-test writer: realistic transactions (a cadre, an initiative with
/// its plan) forever, printing each committed cadre id on its own line after
/// the commit returns. The crash test kills it with SIGKILL at random moments
/// and then checks that every printed id is in the archive.
pub fn stress_write(archive: &mut Archive, seed: u64) -> Result<()> {
    use std::io::Write as _;
    let mut rng = Rng::new(seed);
    let today = NaiveDate::parse_from_str(DEMO_TODAY, "%Y-%m-%d").map_err(|e| Error::State(e.to_string()))?;
    archive.set_clock(Clock::fixed(DEMO_TODAY));
    let unit = match archive.units()?.first() {
        Some(u) => u.id,
        None => {
            archive
                .create_unit(UnitInput {
                    parent_id: None,
                    code: "stress".into(),
                    name: CITY.into(),
                    kind: UnitKind::City,
                    sort_order: 0,
                })?
                .id
        }
    };
    let mut stdout = std::io::stdout().lock();
    loop {
        let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_MALE));
        let cadre = archive.create_cadre(
            CadreInput {
                name: name.clone(),
                gender: Gender::Male,
                birth: "1980-01".into(),
                ethnicity: "汉族".into(),
                native_place: "河北".into(),
                party_date: None,
                work_start: None,
                education: "大学".into(),
                post: "科长".into(),
                rank: "正科级".into(),
                unit_id: unit,
                management_level: ManagementLevel::County,
                status: CadreStatus::Active,
                id_number: None,
                staff_category: StaffCategory::CivilServant,
            },
            Some("2020-01-01"),
        )?;
        let start = today - Days::new(u64::try_from(rng.range(30, 300)).unwrap_or(60));
        let i = archive.create_initiative(InitiativeInput {
            category: Category::Innovation,
            title: format!("{name}牵头的改革事项"),
            summary: "压力测试".into(),
            start_date: ymd(start),
            participants: vec![Participant { cadre_id: cadre.id, role: ParticipantRole::Lead }],
            tags: vec![],
        })?;
        archive.save_plan(
            i.id,
            PlanInput {
                goal: "目标".into(),
                measures: "措施".into(),
                responsible_unit_id: Some(unit),
                responsible_person: name,
                deadline: Some(ymd(today)),
            },
            "",
        )?;
        if writeln!(stdout, "{}", cadre.id).and_then(|()| stdout.flush()).is_err() {
            return Ok(());
        }
    }
}

/// Fill an empty archive with `cadres` demo cadres from `seed`.
pub fn generate(archive: &mut Archive, cadres: usize, seed: u64) -> Result<DemoSummary> {
    archive.require_role(&[crate::enums::Role::SysAdmin], "生成演示数据")?;
    archive.require_all_units("生成演示数据")?;
    if !archive.cadres(None, None)?.is_empty() || !archive.units()?.is_empty() {
        return Err(Error::State("演示数据只能生成到空档案中".to_owned()));
    }
    if cadres == 0 || cadres > 100_000 {
        return Err(Error::invalid("cadres", format!("干部人数应在 1 到 100000 之间，实际为 {cadres}")));
    }
    let today = NaiveDate::parse_from_str(DEMO_TODAY, "%Y-%m-%d").map_err(|e| Error::State(e.to_string()))?;
    archive.set_actor("演示数据");
    let mut g = Gen {
        archive,
        rng: Rng::new(seed),
        today,
        summary: DemoSummary::default(),
        progress_reports: false,
        heads: Default::default(),
    };
    g.at(NaiveDate::from_ymd_opt(2020, 1, 2).unwrap_or(today));
    let placements = g.units(None)?;
    let mut ids = Vec::with_capacity(cadres);
    for n in 0..cadres {
        let (unit_id, posts) = *g.rng.pick(&placements);
        let id = g.cadre(n, unit_id, posts, &placements)?;
        let count = g.rng.pick(&[0, 1, 1, 2, 2, 3]).to_owned();
        let mut used = Vec::new();
        for _ in 0..count {
            g.initiative(id, &ids, &mut used)?;
        }
        ids.push(id);
    }
    for id in &ids {
        g.people(*id)?;
    }
    g.tolerance()?;
    g.final_grades(&ids)?;
    g.reviews(&ids)?;
    g.archive.set_clock(Clock::System);
    g.summary.cadres = ids.len();
    Ok(g.summary)
}

impl Gen<'_> {
    fn at(&mut self, date: NaiveDate) {
        self.archive.set_clock(Clock::fixed(&ymd(date.min(self.today))));
    }

    fn unit(&mut self, parent: Option<i64>, code: String, name: &str, kind: UnitKind) -> Result<i64> {
        self.summary.units += 1;
        let sort_order = i64::try_from(self.summary.units).unwrap_or(0);
        Ok(self.archive.create_unit(UnitInput { parent_id: parent, code, name: name.to_owned(), kind, sort_order })?.id)
    }

    /// A city's unit tree; returns where cadres can be placed and with which
    /// posts. `within`: the province and the city's place in it (the presets);
    /// `None` is the classic demo's single city 燕州市.
    fn units(&mut self, within: Option<(i64, usize)>) -> Result<Vec<(i64, &'static [PostChoice])>> {
        let mut out: Vec<(i64, &'static [PostChoice])> = Vec::new();
        let (parent, city_name, code) = match within {
            None => (None, CITY, "1399".to_owned()),
            Some((province, k)) => (Some(province), vocab::CITIES[k % vocab::CITIES.len()], format!("13{:02}", 99 - k)),
        };
        // Departments and enterprises are named 市… in the classic demo; in a
        // province each city's own name tells them apart.
        let local = |name: &str| match within {
            None => name.to_owned(),
            Some(_) => format!("{city_name}{}", name.trim_start_matches('市')),
        };
        let city = self.unit(parent, format!("{code}00"), city_name, UnitKind::City)?;
        for (i, (name, kind, towns)) in COUNTIES.iter().enumerate() {
            let kind = UnitKind::parse(kind).unwrap_or(UnitKind::County);
            let name = match within {
                None => (*name).to_owned(),
                Some(_) => format!("{}{name}", city_name.trim_end_matches('市')),
            };
            let county = self.unit(Some(city), format!("{code}{:02}", i + 1), &name, kind)?;
            out.push((county, vocab::COUNTY_POSTS));
            for (j, town) in towns.iter().enumerate() {
                let t =
                    self.unit(Some(county), format!("{code}{:02}-{:02}", i + 1, j + 1), town, UnitKind::Township)?;
                out.push((t, vocab::TOWNSHIP_POSTS));
            }
        }
        for (i, name) in DEPARTMENTS.iter().enumerate() {
            let dept = self.unit(Some(city), format!("{code}D{:02}", i + 1), &local(name), UnitKind::Department)?;
            out.push((dept, vocab::DEPARTMENT_POSTS));
            for (j, office) in OFFICES.iter().take(2).enumerate() {
                let o = self.unit(Some(dept), format!("{code}D{:02}-{:02}", i + 1, j + 1), office, UnitKind::Office)?;
                out.push((o, OFFICE_POSTS));
            }
        }
        for (i, name) in ENTERPRISES.iter().enumerate() {
            let e = self.unit(Some(city), format!("{code}E{:02}", i + 1), &local(name), UnitKind::Enterprise)?;
            out.push((e, vocab::ENTERPRISE_POSTS));
        }
        Ok(out)
    }

    /// The people's side of one cadre: evaluations, negative records, reports.
    fn people(&mut self, id: i64) -> Result<()> {
        self.evaluations(id)?;
        self.negatives(id)?;
        self.reports(id)
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        from + Days::new(u64::try_from(self.rng.range(0, span)).unwrap_or(0))
    }

    fn id_number(&mut self, n: usize, birth: NaiveDate, gender: Gender) -> String {
        let seq = (n % 500) * 2 + usize::from(gender == Gender::Male);
        let body = format!("1399{:02}{}{:03}", n / 500 % 100, birth.format("%Y%m%d"), seq);
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
        let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
        format!("{body}{}", CHECK[(sum % 11) as usize])
    }

    fn cadre(
        &mut self,
        n: usize,
        unit_id: i64,
        posts: &'static [PostChoice],
        placements: &[(i64, &'static [PostChoice])],
    ) -> Result<i64> {
        let gender = if self.rng.chance(78) { Gender::Male } else { Gender::Female };
        let given = if gender == Gender::Male { GIVEN_MALE } else { GIVEN_FEMALE };
        let name = format!("{}{}", self.rng.pick(SURNAMES), self.rng.pick(given));
        let birth = NaiveDate::from_ymd_opt(
            i32::try_from(self.rng.range(1966, 1990)).unwrap_or(1975),
            u32::try_from(self.rng.range(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.range(1, 28)).unwrap_or(1),
        )
        .unwrap_or(self.today);
        let work = birth
            .checked_add_months(Months::new(12 * 21 + u32::try_from(self.rng.range(0, 36)).unwrap_or(0)))
            .unwrap_or(birth);
        let party = self.rng.chance(85).then(|| {
            work.checked_add_months(Months::new(u32::try_from(self.rng.range(6, 96)).unwrap_or(12))).unwrap_or(work)
        });
        let (mut post, mut rank, mut level) = *self.rng.pick(posts);
        // One 县委书记 per county, one 局长 per bureau … (the draw itself is kept, so
        // the rest of the demo is the same as before).
        if ONE_PER_UNIT.contains(&post) && !self.heads.insert((unit_id, post)) {
            (post, rank, level) = posts[posts.len() - 1];
        }
        let unit_name = crate::records::units::get(self.archive.conn(), unit_id)?.fields.name;
        let post = if unit_name.ends_with('区') { in_district(post) } else { post.to_owned() };
        let since_from = work.checked_add_months(Months::new(120)).unwrap_or(work);
        let since = self.date_between(
            since_from.max(NaiveDate::from_ymd_opt(2012, 1, 1).unwrap_or(work)),
            NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or(self.today),
        );
        let input = CadreInput {
            name,
            gender,
            birth: ym(birth),
            ethnicity: (*self.rng.pick(ETHNICITIES)).to_owned(),
            native_place: (*self.rng.pick(NATIVE_PLACES)).to_owned(),
            party_date: party.map(ym),
            work_start: Some(ym(work)),
            education: (*self.rng.pick(EDUCATIONS)).to_owned(),
            post: post.to_owned(),
            rank: rank.to_owned(),
            unit_id,
            management_level: ManagementLevel::parse(level).unwrap_or(ManagementLevel::Other),
            status: if self.rng.chance(95) { CadreStatus::Active } else { CadreStatus::TransferredOut },
            id_number: self.rng.chance(90).then(|| self.id_number(n, birth, gender)),
            staff_category: StaffCategory::CivilServant,
        };
        self.at(since);
        let id = self.archive.create_cadre(input, Some(&ymd(since)))?.id;
        // Earlier posts for the résumé.
        let mut end = since;
        for _ in 0..self.rng.range(1, 2) {
            let start =
                end.checked_sub_months(Months::new(u32::try_from(self.rng.range(24, 72)).unwrap_or(36))).unwrap_or(end);
            if start <= work {
                break;
            }
            let junior: Vec<_> =
                placements.iter().filter(|(_, p)| p.iter().all(|(_, rank, _)| rank.contains('科'))).collect();
            let (earlier_unit, earlier_posts) = **self.rng.pick(&junior);
            let (title, rank, _) = *self.rng.pick(&earlier_posts[earlier_posts.len() / 2..]);
            self.archive.add_post(
                id,
                PostInput {
                    unit_id: earlier_unit,
                    title: title.to_owned(),
                    rank: rank.to_owned(),
                    start_date: ymd(start),
                    end_date: Some(ymd(end)),
                    note: String::new(),
                },
            )?;
            end = start;
        }
        Ok(id)
    }

    fn initiative(&mut self, lead: i64, others: &[i64], used: &mut Vec<&'static str>) -> Result<()> {
        let mut pick = || {
            let category = *self.rng.pick(Category::ALL);
            let templates = match category {
                Category::Innovation => INNOVATIONS,
                Category::Project => PROJECTS,
                Category::Highlight => HIGHLIGHTS,
            };
            (category, *self.rng.pick(templates))
        };
        let mut choice = pick();
        for _ in 0..4 {
            if !used.contains(&choice.1.0) {
                break;
            }
            choice = pick();
        }
        let (category, (title, summary, goal, measures)) = choice;
        used.push(title);
        // What becomes of the item decides when it began, as in a real year:
        // most older items are done, the ones still in 干事 began in the last
        // year and a half, and a few plans wait (some of those long overdue:
        // the desk's warnings). 0–4 stays in 谋事, 5–11 is stopped, 12–29 is
        // under way, the rest is done.
        let target = self.rng.range(0, 99);
        let (from, to) = match target {
            0..=4 if self.rng.chance(60) => ((2026, 3, 1), (2026, 8, 31)),
            12..=29 if self.rng.chance(85) => ((2025, 6, 1), (2026, 8, 31)),
            _ => ((2021, 1, 1), (2026, 8, 31)),
        };
        let date = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(self.today);
        let start = self.date_between(date(from), date(to));
        let mut participants = vec![Participant { cadre_id: lead, role: ParticipantRole::Lead }];
        if !others.is_empty() && self.rng.chance(40) {
            let member = *self.rng.pick(others);
            participants.push(Participant { cadre_id: member, role: ParticipantRole::Member });
        }
        let tags = ConductTag::ALL.iter().copied().filter(|_| self.rng.chance(30)).collect();
        self.at(start);
        let i = self.archive.create_initiative(InitiativeInput {
            category,
            title: title.to_owned(),
            summary: summary.to_owned(),
            start_date: ymd(start),
            participants,
            tags,
        })?;
        self.summary.initiatives += 1;
        let complete = target >= 5 || self.rng.chance(50);

        // 谋事: the four questions, milestones, ratings.
        let months = u32::try_from(self.rng.range(6, 24)).unwrap_or(12);
        let deadline = start.checked_add_months(Months::new(months)).unwrap_or(start);
        let lead_unit = self.archive.cadre(lead)?.fields.unit_id;
        let person = self.archive.cadre(lead)?.fields.name;
        self.archive.save_plan(
            i.id,
            PlanInput {
                goal: goal.to_owned(),
                measures: measures.to_owned(),
                responsible_unit_id: Some(lead_unit),
                responsible_person: person,
                deadline: complete.then(|| ymd(deadline)),
            },
            "",
        )?;
        let count = self.rng.range(3, 4);
        let step = (deadline - start).num_days() / count;
        let mut milestones = Vec::new();
        for k in 0..count {
            let due = start + Days::new(u64::try_from(step * (k + 1)).unwrap_or(0));
            let name = MILESTONE_NAMES[usize::try_from(k).unwrap_or(0).min(MILESTONE_NAMES.len() - 1)];
            let name = if k == count - 1 { MILESTONE_NAMES[MILESTONE_NAMES.len() - 1] } else { name };
            let m = self
                .archive
                .add_milestone(i.id, MilestoneInput { name: name.to_owned(), due_date: ymd(due), done_date: None })?;
            milestones.push((m.id, due));
        }
        let rated_on = (start + Days::new(u64::try_from(self.rng.range(5, 20)).unwrap_or(7))).min(self.today);
        let raters = if complete { RaterRole::ALL.len() } else { usize::from(self.rng.chance(50)) };
        for role in RaterRole::ALL.iter().take(raters) {
            self.at(rated_on);
            let rater = match role {
                RaterRole::OrgDept => "市委组织部干部考核科",
                RaterRole::UnitLeader => "单位主要负责同志",
            };
            let base = self.rng.range(3, 5);
            self.archive.rate_plan(
                i.id,
                RatingInput {
                    rater_role: *role,
                    rater_name: rater.to_owned(),
                    innovation: (base + self.rng.range(-1, 1)).clamp(1, 5),
                    challenge: (base + self.rng.range(-1, 1)).clamp(1, 5),
                    difficulty: (base + self.rng.range(-1, 1)).clamp(1, 5),
                    comment: "谋划思路清晰，目标具有挑战性，体现了担当精神。".to_owned(),
                    rated_on: ymd(rated_on),
                },
                "",
            )?;
        }
        let begin = rated_on + Days::new(u64::try_from(self.rng.range(3, 20)).unwrap_or(5));
        if target < 5 || begin > self.today {
            return Ok(());
        }
        self.at(begin);
        self.archive.advance(i.id, &ymd(begin), "计划完备，双方评价完成，转入干事阶段")?;

        // 干事: milestones met (some late, some overdue) and tracking records.
        let mut last = begin;
        let stopping = (5..12).contains(&target);
        let mut underway = (12..30).contains(&target);
        for (k, (mid, due)) in milestones.iter().enumerate() {
            // Most milestones are met on time; one in six is late.
            let delay = if self.rng.chance(16) { self.rng.range(3, 45) } else { self.rng.range(-20, 0) };
            let done = if delay >= 0 {
                *due + Days::new(u64::try_from(delay).unwrap_or(0))
            } else {
                *due - Days::new(u64::try_from(-delay).unwrap_or(0))
            };
            let done = done.max(begin);
            if self.progress_reports {
                let count = i64::try_from(milestones.len()).unwrap_or(1);
                let before = i64::try_from(k).unwrap_or(0) * 100 / count;
                self.progress_reports(i.id, last, done.min(self.today), before)?;
            }
            if done > self.today || (underway && k + 1 == milestones.len()) {
                underway = true;
                break;
            }
            self.at(done);
            let name = MILESTONE_NAMES[k.min(MILESTONE_NAMES.len() - 1)];
            let name = if k + 1 == milestones.len() { MILESTONE_NAMES[MILESTONE_NAMES.len() - 1] } else { name };
            self.archive.update_milestone(
                *mid,
                MilestoneInput { name: name.to_owned(), due_date: ymd(*due), done_date: Some(ymd(done)) },
                "节点完成",
            )?;
            let tagged = self.rng.chance(25);
            let count = i64::try_from(milestones.len()).unwrap_or(1);
            self.archive.add_tracking(
                i.id,
                TrackingInput {
                    date: ymd(done),
                    progress: ((i64::try_from(k).unwrap_or(0) + 1) * 100 / count).min(100),
                    narrative: (*self.rng.pick(TRACK_NARRATIVES)).to_owned(),
                    milestone_id: Some(*mid),
                    conduct_tag: tagged.then(|| *self.rng.pick(ConductTag::ALL)),
                    conduct: if tagged { (*self.rng.pick(CONDUCTS)).to_owned() } else { String::new() },
                    rating: self.rng.range(3, 5),
                    tracker: "市委督查室".to_owned(),
                },
            )?;
            last = done;
            if stopping && k == 0 {
                break;
            }
        }
        if stopping {
            let on = (last + Days::new(u64::try_from(self.rng.range(10, 60)).unwrap_or(30))).min(self.today);
            self.at(on);
            let reason = *self.rng.pick(STOP_REASONS);
            self.archive.stop(i.id, &ymd(on), reason)?;
            self.summary.stopped += 1;
            return Ok(());
        }
        if underway {
            return Ok(());
        }

        // 成事: outcome, quantified results, recognitions.
        let finished = (last + Days::new(u64::try_from(self.rng.range(5, 30)).unwrap_or(10))).min(self.today);
        self.at(finished);
        let achievement = match self.rng.range(0, 19) {
            0..=9 => Achievement::Full,
            10..=16 => Achievement::Basic,
            17..=18 => Achievement::Partial,
            _ => Achievement::NotAchieved,
        };
        let metrics = match category {
            Category::Project => vec![
                Metric {
                    name: "投资额".into(),
                    value: f64::from(u32::try_from(self.rng.range(5, 80)).unwrap_or(10)) * 100.0,
                    unit: "万元".into(),
                },
                Metric {
                    name: "新增就业岗位".into(),
                    value: f64::from(u32::try_from(self.rng.range(50, 900)).unwrap_or(100)),
                    unit: "个".into(),
                },
            ],
            Category::Innovation => vec![Metric {
                name: "办理时限压缩".into(),
                value: f64::from(u32::try_from(self.rng.range(20, 80)).unwrap_or(50)),
                unit: "%".into(),
            }],
            Category::Highlight => vec![Metric {
                name: "群众满意度".into(),
                value: f64::from(u32::try_from(self.rng.range(880, 990)).unwrap_or(900)) / 10.0,
                unit: "%".into(),
            }],
        };
        let narrative = match achievement {
            Achievement::NotAchieved => "受外部市场环境变化影响，未能实现预期目标，已总结经验教训。",
            Achievement::Partial => "完成主要任务，部分指标未达预期。",
            _ => "按期完成既定目标，形成了可复制推广的经验。",
        };
        self.archive.record_outcome(
            i.id,
            OutcomeInput { achievement, narrative: narrative.to_owned(), recorded_on: ymd(finished), metrics },
            "",
        )?;
        if matches!(achievement, Achievement::Full | Achievement::Basic) && self.rng.chance(55) {
            let level = *self.rng.pick(&[
                RecognitionLevel::National,
                RecognitionLevel::Provincial,
                RecognitionLevel::Provincial,
                RecognitionLevel::Municipal,
                RecognitionLevel::Municipal,
                RecognitionLevel::County,
            ]);
            let body = match level {
                RecognitionLevel::National => "国务院办公厅",
                RecognitionLevel::Provincial => "省委、省政府",
                RecognitionLevel::Municipal => "燕州市委、市政府",
                RecognitionLevel::County => "县委、县政府",
            };
            self.archive.add_recognition(
                i.id,
                RecognitionInput {
                    level,
                    title: format!("{title}经验做法获{level}通报表扬"),
                    body: body.to_owned(),
                    date: ymd(finished),
                },
            )?;
        }
        self.archive.advance(i.id, &ymd(finished), "成效已记录")?;
        let _ = finished.year();
        Ok(())
    }

    /// Two or three monthly progress reports (督查室跟踪) between `from` and `to`.
    fn progress_reports(&mut self, initiative: i64, from: NaiveDate, to: NaiveDate, progress: i64) -> Result<()> {
        let count = self.rng.range(2, 3);
        let span = (to - from).num_days();
        if span < count + 1 {
            return Ok(());
        }
        for k in 1..=count {
            let date = from + Days::new(u64::try_from(span * k / (count + 1)).unwrap_or(0));
            self.at(date);
            self.archive.add_tracking(
                initiative,
                TrackingInput {
                    date: ymd(date),
                    progress: (progress + k * 5).min(99),
                    narrative: (*self.rng.pick(TRACK_NARRATIVES)).to_owned(),
                    milestone_id: None,
                    conduct_tag: None,
                    conduct: String::new(),
                    rating: self.rng.range(3, 5),
                    tracker: "督查室月度调度".to_owned(),
                },
            )?;
        }
        Ok(())
    }
}
