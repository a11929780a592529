//! The year-end run over many cadres, read initiative by initiative.
//!
//! Reading the facts cadre by cadre sought out every initiative a cadre shares
//! with others in a dozen tables, wherever it lay in the file: on the province
//! fixture each page of the archive was read and decrypted about seven times.
//! Here every table is read once, in index order:
//!
//! 1. who takes part in what (the participant index) and the cadres' 容错 cases;
//! 2. the initiatives taken part in, in ascending id chunks: each is assessed
//!    once (once more for a taker whose own 容错 case covers it) and every
//!    cadre taking part gets the result as an [`Item`];
//! 3. the cadre-level facts (evaluations, negative records, reports, grades),
//!    batch by batch, and each cadre's composite from its items.
//!
//! In steps 2 and 3 this thread reads while a second one applies the rules.
//! The result is the same as assessing each cadre from its own facts
//! (`yearly::assess_cadre`); a test checks it.

use std::collections::HashMap;

use rusqlite::Connection;

use super::asof::AsOf;
use super::facts::{self, Detail};
use super::scheme::Scheme;
use super::stages::{self, InitiativeAssessment};
use super::yearly::{self, CadreAssessment, Item};
use crate::dossier::InitiativeRecord;
use crate::enums::ParticipantRole;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::records::cadres::Cadre;
use crate::records::tolerance::ToleranceCase;

/// SQLite's page cache during the run. Each table is read in index order, so a
/// page is needed again only while its chunk is read: on the province 16 MiB is
/// as fast as 64 MiB (11.8–12.8 s against 11.8–14.8 s) and the run's peak memory
/// 60 MB lower; SQLite's default of 2 MiB costs about 15 %.
const PAGE_CACHE_MIB: i64 = 16;

/// One cadre's part in one initiative, with what orders it among the cadre's
/// initiatives (newest first, as the per-cadre readers list them).
struct Taken {
    start: Box<str>,
    initiative_id: i64,
    item: Item,
}

/// What the rules need besides the records.
struct Rules<'a> {
    scheme: &'a Scheme,
    year: i32,
    as_of: AsOf,
    explained: bool,
}

impl Rules<'_> {
    /// Whether an initiative can count for the year: one that had not begun by
    /// the as-of date has no assessment (`stages::assess` gives none), one that
    /// ended before the year belongs to earlier years (`achievement_part` skips
    /// it). Both are known from the initiative row and its stage transitions.
    fn counts(&self, rec: &InitiativeRecord) -> bool {
        stages::stage_on(rec, self.as_of.date).is_some() && !yearly::ended_before_year(rec, self.year)
    }
}

/// Assess `members` (each with its quota unit) for `year`, in the members' order.
pub(super) fn assess_all(
    conn: &Connection,
    members: Vec<(Cadre, i64)>,
    scheme: &Scheme,
    year: i32,
    as_of: AsOf,
    job: &Job,
    explained: bool,
) -> Result<Vec<CadreAssessment>> {
    let rules = Rules { scheme, year, as_of, explained };
    let ids: Vec<i64> = members.iter().map(|(c, _)| c.id).collect();
    let takers = facts::takers(conn, &ids)?;
    let mut tolerance = facts::tolerance_of(conn, &ids, &takers)?;
    let mut initiatives: Vec<i64> = takers.keys().copied().collect();
    initiatives.sort_unstable();
    job.phase_counting("读取干事事项", initiatives.len() as u64, "个干事事项")?;
    crate::archive::with_page_cache(conn, PAGE_CACHE_MIB, || {
        let mut chunks = initiatives.chunks(chunk_size(initiatives.len(), 4_096));
        let read = || -> Result<Option<HashMap<i64, InitiativeRecord>>> {
            let Some(ids) = chunks.next() else { return Ok(None) };
            let records = facts::initiative_records(conn, ids, Detail::Rules, &|r| rules.counts(r))?;
            job.advance(ids.len() as u64)?;
            Ok(Some(records))
        };
        let tolerance_ref = &tolerance;
        let mut taken = pipelined(read, HashMap::new(), |taken: &mut HashMap<i64, Vec<Taken>>, records| {
            for (id, rec) in records {
                let list = takers.get(&id).map_or(&[][..], Vec::as_slice);
                hand_out(&rec, list, tolerance_ref, &rules, taken);
            }
        })?;
        drop(takers);

        job.phase_counting("逐人计算年度考核", members.len() as u64, "名干部")?;
        let mut members = members.into_iter();
        let batch = chunk_size(members.len(), 1_000);
        let read = || -> Result<Option<(Vec<facts::Facts>, Vec<i64>)>> {
            let (cadres, units): (Vec<Cadre>, Vec<i64>) = members.by_ref().take(batch).unzip();
            if cadres.is_empty() {
                return Ok(None);
            }
            let n = cadres.len() as u64;
            let read = facts::cadre_facts(conn, cadres, &mut tolerance)?;
            job.advance(n)?;
            Ok(Some((read, units)))
        };
        let (_, assessed) = pipelined(read, (&mut taken, Vec::new()), |(taken, out), (batch, units)| {
            for (f, unit) in batch.iter().zip(units) {
                let mut mine = taken.remove(&f.cadre.id).unwrap_or_default();
                // ORDER BY start_date DESC, id DESC.
                mine.sort_by(|a, b| (&b.start, b.initiative_id).cmp(&(&a.start, a.initiative_id)));
                let items = mine.into_iter().map(|t| t.item).collect();
                let mut a = yearly::assess_items(f, items, rules.scheme, rules.year, rules.as_of, unit);
                if !rules.explained {
                    a.cut_explanations();
                }
                out.push(a);
            }
        })?;
        Ok(assessed)
    })
}

/// A chunk of about an eighth of the run (so reading and the rules overlap), within bounds.
fn chunk_size(n: usize, max: usize) -> usize {
    (n / 8).clamp(50, max)
}

/// Assess one initiative and give each cadre taking part its item. Everyone
/// gets the same assessment unless the 容错 cases differ for them (a taker's own
/// 不予容错 case; `stages::tolerance_for`): it is assessed once per outcome.
fn hand_out(
    rec: &InitiativeRecord,
    takers: &[(i64, ParticipantRole)],
    tolerance: &HashMap<i64, Vec<ToleranceCase>>,
    rules: &Rules,
    taken: &mut HashMap<i64, Vec<Taken>>,
) {
    let ended = yearly::ended_before_year(rec, rules.year);
    let mut assessed: Vec<(Option<i64>, Option<InitiativeAssessment>)> = Vec::new();
    for &(cadre, role) in takers {
        let cases = tolerance.get(&cadre).map_or(&[][..], Vec::as_slice);
        let case = stages::tolerance_for(cases, rec.initiative.id, cadre, rules.as_of).map(|c| c.id);
        let at = match assessed.iter().position(|(c, _)| *c == case) {
            Some(at) => at,
            None => {
                assessed.push((case, stages::assess(rec, role, cadre, cases, rules.scheme, rules.as_of)));
                assessed.len() - 1
            }
        };
        let Some(a) = &assessed[at].1 else { continue };
        taken.entry(cadre).or_default().push(Taken {
            start: rec.initiative.fields.start_date.as_str().into(),
            initiative_id: rec.initiative.id,
            item: Item::of(a, role, ended, rules.explained),
        });
    }
}

/// Run `read` on this thread (it holds the connection) until it has nothing
/// more, while a second thread folds each thing read into `state` with `work`.
fn pipelined<T: Send, S: Send>(
    mut read: impl FnMut() -> Result<Option<T>>,
    state: S,
    work: impl Fn(&mut S, T) + Send,
) -> Result<S> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<T>(1);
        let worker = s.spawn(move || {
            let mut state = state;
            for t in rx {
                work(&mut state, t);
            }
            state
        });
        let reading = (|| -> Result<()> {
            while let Some(t) = read()? {
                if tx.send(t).is_err() {
                    break;
                }
            }
            Ok(())
        })();
        drop(tx);
        let state = worker.join().map_err(|_| Error::State("年度考核计算线程异常退出".into()))?;
        reading.map(|()| state)
    })
}
