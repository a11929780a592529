//! Everything the engine reads about one cadre, loaded once. The engine's
//! rules are pure functions of these facts, the scheme and the as-of date.
//!
//! Facts are read in batches: one statement per table for a whole set of
//! cadres (`IN rarray(?1)`), grouped in memory, in the same order the
//! per-record readers use. A year-end run over 50,000 cadres thus issues a few
//! thousand statements instead of five million single-row lookups.

use std::collections::{BTreeSet, HashMap};

use rusqlite::Connection;

use crate::dossier::InitiativeRecord;
use crate::enums::{ParticipantRole, RaterRole};
use crate::error::Result;
use crate::lifecycle::{self, Transition};
use crate::records::cadres::{self, Cadre, Post};
use crate::records::evaluations::{self, Evaluation, Protection};
use crate::records::initiatives::{self, Participant};
use crate::records::negatives::{self, Negative};
use crate::records::outcomes::{self, Metric, OutcomeInput, Recognition};
use crate::records::plans::{self, Milestone, PlanInput, PlanRating};
use crate::records::reports::{self, Clearing, Report};
use crate::records::tolerance::{self, ToleranceCase};
use crate::records::tracking::{self, Tracking};
use crate::records::{grouped, id_set};

use super::grades::{self, FinalGrade};

pub struct Facts {
    pub cadre: Cadre,
    pub unit_name: String,
    pub posts: Vec<Post>,
    pub initiatives: Vec<(ParticipantRole, InitiativeRecord)>,
    pub evaluations: Vec<(Evaluation, Option<Protection>)>,
    pub negatives: Vec<Negative>,
    pub reports: Vec<(Report, Option<Clearing>)>,
    pub tolerance: Vec<ToleranceCase>,
    pub grades: Vec<FinalGrade>,
}

/// How much of each record a batch reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every field: dossiers, promotion evidence, anything shown to a reader.
    Full,
    /// What the yearly rules read: tracking records, plan ratings and stage
    /// transitions come without their free text (progress narrative, conduct
    /// text, tracker name; the raters' comments; who moved a stage and why),
    /// which no rule reads, so they are read from covering indexes (schema v9,
    /// v11); of the plan only its 什么时间干成 (deadline); an initiative's
    /// participants and tags are not read at all.
    /// A test checks a year-end run read this way equals each cadre assessed
    /// from full facts.
    Rules,
}

impl Detail {
    fn tracking_columns(self) -> &'static str {
        match self {
            Detail::Full => tracking::COLUMNS,
            Detail::Rules => "id, initiative_id, date, progress, '', milestone_id, conduct_tag, '', rating, ''",
        }
    }

    fn rating_columns(self) -> &'static str {
        match self {
            Detail::Full => plans::RATING_COLUMNS,
            Detail::Rules => {
                "id, initiative_id, rater_role, rater_name, innovation, challenge, difficulty, '', rated_on"
            }
        }
    }

    fn plan_columns(self) -> &'static str {
        match self {
            Detail::Full => plans::PLAN_COLUMNS,
            Detail::Rules => "'', '', NULL, '', deadline",
        }
    }

    fn transition_columns(self) -> &'static str {
        match self {
            Detail::Full => lifecycle::COLUMNS,
            Detail::Rules => "id, initiative_id, from_stage, to_stage, date, '', ''",
        }
    }
}

/// The full facts of one cadre.
pub fn load(conn: &Connection, cadre_id: i64) -> Result<Facts> {
    let cadre = cadres::get(conn, cadre_id)?;
    let mut all = load_many(conn, vec![cadre], Detail::Full)?;
    Ok(all.remove(0))
}

/// The facts of every given cadre, in the given order, read with one statement per table.
pub fn load_many(conn: &Connection, cadres: Vec<Cadre>, detail: Detail) -> Result<Vec<Facts>> {
    let ids: Vec<i64> = cadres.iter().map(|c| c.id).collect();
    // The cadres' initiatives with the cadre's role in each; put newest first
    // below, once the initiatives are read (joining them here to sort in SQL made
    // this the slowest statement of the run).
    let takers = takers(conn, &ids)?;
    let mut roles: HashMap<i64, Vec<(i64, ParticipantRole)>> = HashMap::new();
    for (initiative, list) in &takers {
        for (cadre, role) in list {
            roles.entry(*cadre).or_default().push((*initiative, *role));
        }
    }
    let mut wanted: Vec<i64> = takers.keys().copied().collect();
    wanted.sort_unstable();
    let mut records: HashMap<i64, Shared> = initiative_records(conn, &wanted, detail, &|_| true)?
        .into_iter()
        .map(|(id, record)| (id, Shared { record: Some(record), takers: takers.get(&id).map_or(1, Vec::len) }))
        .collect();
    for list in roles.values_mut() {
        list.sort_by(|(a, _), (b, _)| newest_first(&records, *a, *b));
    }
    let mut tolerance = tolerance_of(conn, &ids, &takers)?;
    let mut all = cadre_facts(conn, cadres, &mut tolerance)?;
    for f in &mut all {
        f.initiatives = take(&mut roles, f.cadre.id)
            .into_iter()
            .filter_map(|(initiative, role)| records.get_mut(&initiative).map(|r| (role, r.take())))
            .collect();
    }
    Ok(all)
}

/// Who takes part in what: for the given cadres, each initiative they take part
/// in with its (cadre, role) pairs.
pub(super) fn takers(conn: &Connection, cadre_ids: &[i64]) -> Result<HashMap<i64, Vec<(i64, ParticipantRole)>>> {
    grouped(
        conn,
        "SELECT cadre_id, role, initiative_id FROM participant WHERE cadre_id IN rarray(?1)",
        &id_set(cadre_ids.iter().copied()),
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, ParticipantRole>(1)?)),
    )
}

/// Everything but the initiatives (`initiatives` is left empty) of every given
/// cadre, in the given order; each cadre's 容错 cases are taken from `tolerance`
/// (see [`tolerance_of`]).
pub(super) fn cadre_facts(
    conn: &Connection,
    cadres: Vec<Cadre>,
    tolerance: &mut HashMap<i64, Vec<ToleranceCase>>,
) -> Result<Vec<Facts>> {
    let cadre_ids = id_set(cadres.iter().map(|c| c.id));
    let unit_ids = id_set(cadres.iter().map(|c| c.fields.unit_id).collect::<BTreeSet<_>>());
    let mut unit_names =
        grouped(conn, "SELECT name, id FROM unit WHERE id IN rarray(?1)", &unit_ids, |r| r.get::<_, String>(0))?;
    let mut evaluations = grouped(
        conn,
        &format!(
            "SELECT {}, cadre_id FROM evaluation WHERE cadre_id IN rarray(?1) ORDER BY year, id",
            evaluations::COLUMNS
        ),
        &cadre_ids,
        evaluations::from_row,
    )?;
    let evaluation_ids = id_set(evaluations.values().flatten().map(|e| e.id));
    let mut protections = grouped(
        conn,
        "SELECT id, evaluation_id, reason, decided_by, decided_on, evaluation_id FROM protection
         WHERE evaluation_id IN rarray(?1)",
        &evaluation_ids,
        evaluations::protection_from_row,
    )?;
    let mut reports = grouped(
        conn,
        &format!(
            "SELECT {}, cadre_id FROM report WHERE cadre_id IN rarray(?1) ORDER BY received_on, id",
            reports::COLUMNS
        ),
        &cadre_ids,
        reports::from_row,
    )?;
    let report_ids = id_set(reports.values().flatten().map(|r| r.id));
    let mut clearings = grouped(
        conn,
        "SELECT id, report_id, cleared_on, scope, statement, report_id FROM clearing WHERE report_id IN rarray(?1)",
        &report_ids,
        reports::clearing_from_row,
    )?;
    let mut posts = grouped(
        conn,
        &format!(
            "SELECT {}, cadre_id FROM post WHERE cadre_id IN rarray(?1) ORDER BY start_date, id",
            cadres::POST_COLUMNS
        ),
        &cadre_ids,
        cadres::post_from_row,
    )?;
    let mut negatives = grouped(
        conn,
        "SELECT id, cadre_id, date, detail, cadre_id FROM negative WHERE cadre_id IN rarray(?1) ORDER BY date, id",
        &cadre_ids,
        negatives::from_row,
    )?;
    let mut grades = grouped(
        conn,
        &format!("SELECT {}, cadre_id FROM final_grade WHERE cadre_id IN rarray(?1) ORDER BY year", grades::COLUMNS),
        &cadre_ids,
        grades::from_row,
    )?;

    Ok(cadres
        .into_iter()
        .map(|cadre| {
            let id = cadre.id;
            let evaluations = take(&mut evaluations, id)
                .into_iter()
                .map(|e| {
                    let p = protections.remove(&e.id).and_then(|mut v| v.pop());
                    (e, p)
                })
                .collect();
            let reports = take(&mut reports, id)
                .into_iter()
                .map(|r| {
                    let c = clearings.remove(&r.id).and_then(|mut v| v.pop());
                    (r, c)
                })
                .collect();
            Facts {
                unit_name: unit_names
                    .get_mut(&cadre.fields.unit_id)
                    .and_then(|v| v.first().cloned())
                    .unwrap_or_default(),
                posts: take(&mut posts, id),
                initiatives: Vec::new(),
                evaluations,
                negatives: take(&mut negatives, id),
                reports,
                tolerance: take(tolerance, id),
                grades: take(&mut grades, id),
                cadre,
            }
        })
        .collect())
}

/// Initiatives by start date, then id, both descending (`ORDER BY start_date
/// DESC, id DESC`); an initiative that could not be read goes last.
fn newest_first(records: &HashMap<i64, Shared>, a: i64, b: i64) -> std::cmp::Ordering {
    let start =
        |id: i64| records.get(&id).and_then(|s| s.record.as_ref()).map(|r| r.initiative.fields.start_date.as_str());
    start(b).cmp(&start(a)).then(b.cmp(&a))
}

/// Sort each group by `order`, which compares borrowed fields (a sort key would
/// clone a date string per comparison, millions of times in a year-end run).
fn sort_groups<T>(groups: &mut HashMap<i64, Vec<T>>, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    for rows in groups.values_mut() {
        rows.sort_by(&order);
    }
}

fn take<T>(map: &mut HashMap<i64, Vec<T>>, id: i64) -> Vec<T> {
    map.remove(&id).unwrap_or_default()
}

/// The stage records of one initiative, before they are handed to the cadres
/// taking part: each gets a copy, the last one the record itself.
struct Shared {
    record: Option<InitiativeRecord>,
    takers: usize,
}

impl Shared {
    fn take(&mut self) -> InitiativeRecord {
        self.takers = self.takers.saturating_sub(1);
        match (self.takers, &self.record) {
            (0, _) => self.record.take(),
            (_, Some(r)) => Some(r.clone()),
            (_, None) => None,
        }
        .expect("an initiative record is taken no more often than it has takers")
    }
}

/// The stage records of the given initiatives (ids in ascending order, so each
/// table is read in index order, every page once). The initiative row and its
/// stage transitions are read first; only the records `wanted` keeps get the
/// rest (a year-end run leaves out items that ended before the year or had not
/// begun by the as-of date: no rule reads them).
pub(super) fn initiative_records(
    conn: &Connection,
    ids: &[i64],
    detail: Detail,
    wanted: &dyn Fn(&InitiativeRecord) -> bool,
) -> Result<HashMap<i64, InitiativeRecord>> {
    let per = |sql: &str| sql.replace("{in}", "initiative_id IN rarray(?1)");
    let all = &id_set(ids.iter().copied());
    let base = grouped(
        conn,
        &format!("SELECT {}, id FROM initiative WHERE id IN rarray(?1)", initiatives::COLUMNS),
        all,
        initiatives::base_from_row,
    )?;
    let mut transitions: HashMap<i64, Vec<Transition>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM stage_transition WHERE {{in}}", detail.transition_columns())),
        all,
        lifecycle::from_row,
    )?;
    sort_groups(&mut transitions, |a, b| a.id.cmp(&b.id));
    let mut records: HashMap<i64, InitiativeRecord> = base
        .into_iter()
        .filter_map(|(id, mut v)| v.pop().map(|i| (id, i)))
        .map(|(id, initiative)| {
            let record = InitiativeRecord {
                initiative,
                plan: None,
                milestones: Vec::new(),
                ratings: Vec::new(),
                tracking: Vec::new(),
                outcome: None,
                recognitions: Vec::new(),
                transitions: take(&mut transitions, id),
            };
            (id, record)
        })
        .filter(|(_, r)| wanted(r))
        .collect();
    let mut kept: Vec<i64> = records.keys().copied().collect();
    kept.sort_unstable();
    let ids = &id_set(kept);

    // The plan's deadline says when 干事 and 成事 fall due.
    let mut plans: HashMap<i64, Vec<PlanInput>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM plan WHERE {{in}}", detail.plan_columns())),
        ids,
        plans::plan_from_row,
    )?;
    for (id, r) in &mut records {
        r.plan = plans.remove(id).and_then(|mut v| v.pop());
    }
    // Who takes part and the conduct tags are shown to readers; no rule reads them.
    if detail == Detail::Full {
        let mut participants = grouped(
            conn,
            &per("SELECT cadre_id, role, initiative_id FROM participant WHERE {in} ORDER BY role = '参与', rowid"),
            ids,
            |r| Ok(Participant { cadre_id: r.get(0)?, role: r.get(1)? }),
        )?;
        let mut tags =
            grouped(conn, &per("SELECT tag, initiative_id FROM initiative_tag WHERE {in} ORDER BY rowid"), ids, |r| {
                r.get(0)
            })?;
        for (id, r) in &mut records {
            r.initiative.fields.participants = take(&mut participants, *id);
            r.initiative.fields.tags = take(&mut tags, *id);
        }
    }
    let mut milestones: HashMap<i64, Vec<Milestone>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM milestone WHERE {{in}}", plans::MILESTONE_COLUMNS)),
        ids,
        plans::milestone_from_row,
    )?;
    let mut ratings: HashMap<i64, Vec<PlanRating>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM plan_rating WHERE {{in}}", detail.rating_columns())),
        ids,
        plans::rating_from_row,
    )?;
    let mut tracking: HashMap<i64, Vec<Tracking>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM tracking WHERE {{in}}", detail.tracking_columns())),
        ids,
        tracking::from_row,
    )?;
    let mut outcomes: HashMap<i64, Vec<OutcomeInput>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM outcome WHERE {{in}}", outcomes::OUTCOME_COLUMNS)),
        ids,
        outcomes::outcome_from_row,
    )?;
    let mut metrics: HashMap<i64, Vec<Metric>> = grouped(
        conn,
        &per(&format!(
            "SELECT {}, initiative_id FROM outcome_metric WHERE {{in}} ORDER BY id",
            outcomes::METRIC_COLUMNS
        )),
        ids,
        outcomes::metric_from_row,
    )?;
    let mut recognitions: HashMap<i64, Vec<Recognition>> = grouped(
        conn,
        &per(&format!("SELECT {}, initiative_id FROM recognition WHERE {{in}}", outcomes::RECOGNITION_COLUMNS)),
        ids,
        outcomes::recognition_from_row,
    )?;
    // The big tables are read in index order and each initiative's few rows sorted
    // here, as the per-record readers order them (SQL would sort the whole batch).
    sort_groups(&mut milestones, |a, b| (&a.fields.due_date, a.id).cmp(&(&b.fields.due_date, b.id)));
    sort_groups(&mut ratings, |a, b| {
        (a.fields.rater_role == RaterRole::UnitLeader, a.id).cmp(&(b.fields.rater_role == RaterRole::UnitLeader, b.id))
    });
    sort_groups(&mut tracking, |a, b| (&a.fields.date, a.id).cmp(&(&b.fields.date, b.id)));
    sort_groups(&mut recognitions, |a, b| (&a.fields.date, a.id).cmp(&(&b.fields.date, b.id)));
    for (id, r) in &mut records {
        r.outcome = outcomes.remove(id).and_then(|mut v| v.pop()).map(|mut o| {
            o.metrics = take(&mut metrics, *id);
            o
        });
        r.milestones = take(&mut milestones, *id);
        r.ratings = take(&mut ratings, *id);
        r.tracking = take(&mut tracking, *id);
        r.recognitions = take(&mut recognitions, *id);
    }
    Ok(records)
}

/// The 容错 cases that concern the given cadres, by cadre, by id: each cadre's own
/// cases and the cases filed for anyone about an initiative the cadre takes part
/// in (`takers`, see [`takers`]): 容错 is decided about the item, for everyone
/// taking part (`stages::tolerance_for`). Each case comes with the cases it cites.
pub(super) fn tolerance_of(
    conn: &Connection,
    cadre_ids: &[i64],
    takers: &HashMap<i64, Vec<(i64, ParticipantRole)>>,
) -> Result<HashMap<i64, Vec<ToleranceCase>>> {
    let mut cases = grouped(
        conn,
        &format!(
            "SELECT {}, cadre_id FROM tolerance_case WHERE cadre_id IN rarray(?1) ORDER BY id",
            tolerance::COLUMNS
        ),
        &id_set(cadre_ids.iter().copied()),
        tolerance::from_row,
    )?;
    // Cases are few beside the initiatives (a province takes part in 600,000): read
    // every case about an initiative and keep those the takers know.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}, initiative_id FROM tolerance_case WHERE initiative_id IS NOT NULL ORDER BY id",
        tolerance::COLUMNS
    ))?;
    let mut on_items: HashMap<i64, Vec<ToleranceCase>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(15)?, tolerance::from_row(r)?)))? {
        let (initiative, case) = row?;
        if takers.contains_key(&initiative) {
            on_items.entry(initiative).or_default().push(case);
        }
    }
    for (initiative, list) in on_items {
        for (cadre, _) in takers.get(&initiative).map_or(&[][..], Vec::as_slice) {
            let mine = cases.entry(*cadre).or_default();
            mine.extend(list.iter().filter(|c| c.fields.cadre_id != *cadre).cloned());
        }
    }
    for list in cases.values_mut() {
        list.sort_by_key(|c| c.id);
        list.dedup_by_key(|c| c.id);
    }
    let case_ids = id_set(cases.values().flatten().map(|c| c.id).collect::<BTreeSet<_>>());
    let cites = grouped(
        conn,
        "SELECT cited_id, case_id FROM tolerance_citation WHERE case_id IN rarray(?1) ORDER BY cited_id",
        &case_ids,
        |r| r.get::<_, i64>(0),
    )?;
    for case in cases.values_mut().flatten() {
        case.fields.cites = cites.get(&case.id).cloned().unwrap_or_default();
    }
    Ok(cases)
}
