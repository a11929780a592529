//! The scale presets: a prefecture-level city (≈ 5,000 cadres) and a province
//! (≈ 50,000 cadres in twelve cities), each cadre with 8–16 initiatives over
//! 2021–2026 and monthly progress reports besides the milestone reports —
//! deterministic from the seed, like the classic demo. They are written as
//! bulk loads (one transaction per batch of cadres, one audit entry per batch,
//! no revision per generated record), so the province takes minutes, not hours.

use chrono::NaiveDate;
use serde::Serialize;

use super::{DEMO_TODAY, DemoSummary, Gen, PostChoice, rng::Rng, vocab};
use crate::archive::Archive;
use crate::enums::UnitKind;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::records::units::UnitInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Preset {
    /// One county's archive, ≈ 3,000 cadres (the exchange benchmark's county).
    County,
    /// One city, 燕州市, ≈ 5,000 cadres.
    City,
    /// 燕山省: twelve cities, ≈ 50,000 cadres.
    Province,
}

impl Preset {
    pub fn parse(text: &str) -> Result<Preset> {
        match text {
            "county" => Ok(Preset::County),
            "city" => Ok(Preset::City),
            "province" => Ok(Preset::Province),
            other => Err(Error::invalid(
                "preset",
                format!(
                    "未知的规模预设「{other}」，可选 county（约 3000 名干部）、city（约 5000 名干部）或 province（约 50000 名干部）"
                ),
            )),
        }
    }

    pub fn cadres(self) -> usize {
        match self {
            Preset::County => 3_000,
            Preset::City => 5_000,
            Preset::Province => 50_000,
        }
    }

    fn cities(self) -> usize {
        match self {
            Preset::County | Preset::City => 1,
            Preset::Province => vocab::CITIES.len(),
        }
    }
}

/// Where a generation is: the phase, and how far through it.
/// Cadres per transaction: big enough to amortize the commit, small enough to
/// keep the write-ahead log (and what an interruption loses) modest.
const BATCH: usize = 1_000;

/// Fill an empty archive with a preset's cadres from `seed`, reporting to `job`.
/// Batches are committed as they go (the write-ahead log stays small), so a
/// cancelled or failed run leaves a partial archive: callers generate into a
/// new file and delete it then (the CLI does).
pub fn generate_preset(archive: &mut Archive, preset: Preset, seed: u64, job: &Job) -> Result<DemoSummary> {
    archive.require_role(&[crate::enums::Role::SysAdmin], "生成演示数据")?;
    archive.require_all_units("生成演示数据")?;
    if !archive.cadres(None, None)?.is_empty() || !archive.units()?.is_empty() {
        return Err(Error::State("演示数据只能生成到空档案中".to_owned()));
    }
    let today = NaiveDate::parse_from_str(DEMO_TODAY, "%Y-%m-%d").map_err(|e| Error::State(e.to_string()))?;
    archive.set_actor("演示数据");
    let mut g = Gen {
        archive,
        rng: Rng::new(seed),
        today,
        summary: DemoSummary::default(),
        progress_reports: true,
        heads: Default::default(),
    };
    let out = g.preset(preset, job);
    if out.is_err() {
        g.archive.bulk_rollback();
    }
    g.archive.set_clock(crate::archive::Clock::System);
    out.map(|()| g.summary)
}

impl Gen<'_> {
    fn preset(&mut self, preset: Preset, job: &Job) -> Result<()> {
        let label = "生成演示数据";
        self.archive.bulk_begin(label)?;
        self.at(NaiveDate::from_ymd_opt(2020, 1, 2).unwrap_or(self.today));
        let mut placements: Vec<(i64, &'static [PostChoice])> = Vec::new();
        if preset != Preset::Province {
            placements = self.units(None)?;
        } else {
            self.summary.units += 1;
            let province = self
                .archive
                .create_unit(UnitInput {
                    parent_id: None,
                    code: "130000".into(),
                    name: vocab::PROVINCE.into(),
                    kind: UnitKind::Province,
                    sort_order: 0,
                })?
                .id;
            for k in 0..preset.cities() {
                placements.extend(self.units(Some((province, k)))?);
            }
        }
        let total = preset.cadres();
        job.phase("干部与干事事项", total as u64)?;
        let mut ids = Vec::with_capacity(total);
        for n in 0..total {
            let (unit_id, posts) = *self.rng.pick(&placements);
            let id = self.cadre(n, unit_id, posts, &placements)?;
            let count = self.rng.range(8, 16);
            let mut used = Vec::new();
            for _ in 0..count {
                self.initiative(id, &ids, &mut used)?;
            }
            self.people(id)?;
            ids.push(id);
            if ids.len() % BATCH == 0 || ids.len() == total {
                self.archive.bulk_commit(label, "archive")?;
                self.archive.bulk_begin(label)?;
            }
            job.advance(1)?;
        }
        job.phase("容错免责", 1)?;
        self.tolerance()?;
        self.reviews(&ids)?;
        self.archive.bulk_commit(label, "archive")?;
        job.advance(1)?;
        job.phase("年度考核确定等次", super::assessment::YEARS.len() as u64)?;
        for year in super::assessment::YEARS {
            self.archive.bulk_begin(label)?;
            self.final_grades_of(year, &ids)?;
            self.archive.bulk_commit(label, "archive")?;
            job.advance(1)?;
        }
        self.summary.cadres = ids.len();
        Ok(())
    }
}
