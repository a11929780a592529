//! Issue 19's figures: a county of ≈ 3,000 cadres (≈ 36,000 items, the `county`
//! preset) exchanging with the city. The first package written and applied, a
//! month's incremental package (≈ 2 % of the county's items with a new
//! tracking record and a milestone done) written and applied, and the sizes;
//! and a city that merged twenty such counties (`merged_city`), on which the
//! province figures are then measured (`BENCH_PRESET=city20`).

use std::path::Path;
use std::time::Instant;

use ganshi::demo::Preset;
use ganshi::records::tracking::TrackingInput;
use ganshi::records::units::UnitInput;
use ganshi::{Archive, enums::UnitKind};
use serde_json::json;

use super::{PASSWORD, Report, Res, fixture, open, remove_archive};

fn copy_archive(from: &Path, to: &Path) -> Res<()> {
    remove_archive(to);
    std::fs::copy(from, to)?;
    std::fs::copy(ganshi::archive::keys::sidecar(from), ganshi::archive::keys::sidecar(to))?;
    Ok(())
}

/// A new city archive at `path`: its site identity and the unit the counties hang under.
fn new_city(path: &Path) -> Res<(Archive, ganshi::exchange::SiteCard, i64)> {
    remove_archive(path);
    let (mut city, _) = Archive::create_encrypted(path, PASSWORD)?;
    let card = city.site_identity(Some("130100"), Some("燕州市委组织部"))?;
    let root = city
        .create_unit(UnitInput {
            parent_id: None,
            code: "1301".into(),
            name: "燕州市（市本级）".into(),
            kind: UnitKind::City,
            sort_order: 0,
        })?
        .id;
    Ok((city, card, root))
}

pub fn run(dir: &Path, report: &mut Report) -> Res<()> {
    let cmd = "BENCH_ONLY=exchange make bench";
    let source = fixture(dir, Preset::County, "county")?;
    let county_path = dir.join("exchange-county.db");
    copy_archive(&source, &county_path)?;
    let mut county = open(&county_path)?;
    let started = Instant::now();
    let county_card = county.site_identity(Some("130102"), Some("东城区委组织部"))?;
    let renumber = started.elapsed().as_secs_f64();

    let city_path = dir.join("exchange-city.db");
    let (mut city, city_card, root) = new_city(&city_path)?;
    city.trust_partner(&county_card, Some(root))?;
    county.trust_partner(&city_card, None)?;

    let started = Instant::now();
    let (first, manifest) = county.export_package("130100")?;
    let write_first = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let applied = city.import_package(&first, "first.gsx", false)?;
    let apply_first = started.elapsed().as_secs_f64();
    let rows: u64 = manifest.counts.iter().map(|k| k.inserted).sum();
    report.add(
        "交换包·县区首个完整包（约 3,000 名干部）写出 / 在市里导入",
        format!(
            "写出 {write_first:.1} 秒，导入 {apply_first:.1} 秒（{rows} 条记录，包 {:.1} MB；设置本站标识并迁移编号 {renumber:.1} 秒）",
            first.len() as f64 / 1e6
        ),
        "写出 ≤ 10 秒，导入 ≤ 20 秒",
        Some(write_first <= 10.0 && apply_first <= 20.0 && applied.applied),
        cmd,
        json!({ "write_s": write_first, "apply_s": apply_first, "bytes": first.len(), "rows": rows, "renumber_s": renumber }),
    );

    // A month's work: 2 % of the county's items get a tracking record.
    let items: Vec<i64> = {
        let mut stmt = county
            .conn()
            .prepare("SELECT id FROM initiative WHERE stage = '干事' AND stopped_on IS NULL ORDER BY id")?;
        stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    let total: i64 = county.conn().query_row("SELECT count(*) FROM initiative", [], |r| r.get(0))?;
    let changed = usize::try_from(total / 50).unwrap_or(0).min(items.len());
    for id in items.iter().take(changed) {
        county.add_tracking(
            *id,
            TrackingInput {
                date: "2026-11-20".into(),
                progress: 80,
                narrative: "督查室月度调度：按计划推进".into(),
                milestone_id: None,
                conduct_tag: None,
                conduct: String::new(),
                rating: 4,
                tracker: "督查室月度调度".into(),
            },
        )?;
    }
    let started = Instant::now();
    let (month, m) = county.export_package("130100")?;
    let write_month = started.elapsed().as_secs_f64();
    let started = Instant::now();
    city.import_package(&month, "month.gsx", false)?;
    let apply_month = started.elapsed().as_secs_f64();
    let month_rows: u64 = m.counts.iter().map(|k| k.inserted + k.updated + k.deleted).sum();
    report.add(
        "交换包·一个月的增量包（约 2% 的事项有新跟踪记实）写出 / 导入",
        format!(
            "写出 {write_month:.1} 秒，导入 {apply_month:.1} 秒（{changed} 个事项，{month_rows} 条记录，包 {:.0} KB）",
            month.len() as f64 / 1e3
        ),
        "各 ≤ 2 秒",
        Some(write_month <= 2.0 && apply_month <= 2.0),
        cmd,
        json!({ "write_s": write_month, "apply_s": apply_month, "bytes": month.len(), "items": changed, "rows": month_rows }),
    );
    drop((county, city));
    remove_archive(&county_path);
    remove_archive(&city_path);
    Ok(())
}

/// The city archive that merged `n` counties' first packages, made once into
/// `city20.db` (each county: the `county` preset's archive copied, its unit
/// codes made its own and its 身份证号 cleared — they would collide across
/// copies — then a site identity 1301xx, a first package, applied at the city).
/// The merge's figures are kept beside it and reported on every run.
pub fn merged_city(dir: &Path, n: usize, report: &mut Report) -> Res<std::path::PathBuf> {
    let path = dir.join("city20.db");
    let figures = dir.join("city20-merge.json");
    let cmd = "BENCH_PRESET=city20 make bench";
    if !(path.exists() && figures.exists()) {
        let source = fixture(dir, Preset::County, "county")?;
        drop(open(&source)?); // upgraded once, not in every copy
        let partial = dir.join("city20-unfinished.db");
        let (mut city, city_card, root) = new_city(&partial)?;
        let (mut writes, mut applies, mut bytes) = (Vec::new(), Vec::new(), 0usize);
        for i in 0..n {
            let county_path = dir.join("city20-county.db");
            copy_archive(&source, &county_path)?;
            let mut county = open(&county_path)?;
            county.conn().execute("UPDATE unit SET code = ?1 || code", [format!("C{:02}-", i + 2)])?;
            county.conn().execute("UPDATE cadre SET id_number = NULL", [])?;
            let code = format!("1301{:02}", i + 2);
            let card = county.site_identity(Some(&code), Some(&format!("第{}县区委组织部", i + 1)))?;
            county.trust_partner(&city_card, None)?;
            city.trust_partner(&card, Some(root))?;
            let started = Instant::now();
            let (package, _) = county.export_package("130100")?;
            writes.push(started.elapsed().as_secs_f64());
            drop(county);
            remove_archive(&county_path);
            let started = Instant::now();
            let r = city.import_package(&package, &format!("{code}.gsx"), false)?;
            applies.push(started.elapsed().as_secs_f64());
            bytes += package.len();
            assert!(r.applied && r.conflicts.is_empty(), "county {code}: {:?}", r.conflicts);
            eprintln!("  县区 {} / {n}：写出 {:.1} 秒，导入 {:.1} 秒", i + 1, writes[i], applies[i]);
        }
        let cadres: i64 = city.conn().query_row("SELECT count(*) FROM cadre", [], |r| r.get(0))?;
        let started = Instant::now();
        let verified = city.verify_audit()?;
        let verify_s = started.elapsed().as_secs_f64();
        assert!(verified.ok && verified.sites.len() == n && verified.sites.iter().all(|c| c.ok));
        drop(city);
        std::fs::rename(ganshi::archive::keys::sidecar(&partial), ganshi::archive::keys::sidecar(&path))?;
        std::fs::rename(&partial, &path)?;
        let detail = json!({
            "counties": n, "cadres": cadres, "write_s": writes, "apply_s": applies, "bytes": bytes,
            "verify_s": verify_s, "site_chains": verified.sites.len(),
        });
        std::fs::write(&figures, serde_json::to_string_pretty(&detail)?)?;
    }
    let detail: serde_json::Value = serde_json::from_slice(&std::fs::read(&figures)?)?;
    let series = |key: &str| -> Vec<f64> {
        detail[key].as_array().map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect()).unwrap_or_default()
    };
    let (writes, applies) = (series("write_s"), series("apply_s"));
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    report.add(
        "交换包·市里依次导入 20 个县区的首个完整包（合计约 60,000 名干部）",
        format!(
            "每包写出最长 {:.1} 秒，导入第 1 个 {:.1} 秒、第 {} 个 {:.1} 秒、最长 {:.1} 秒；{} 名干部；连同 {} 条县区审计链校验 {:.1} 秒",
            max(&writes),
            applies.first().copied().unwrap_or(0.0),
            applies.len(),
            applies.last().copied().unwrap_or(0.0),
            max(&applies),
            detail["cadres"],
            detail["site_chains"],
            detail["verify_s"].as_f64().unwrap_or(0.0)
        ),
        "每包写出 ≤ 10 秒，导入 ≤ 20 秒",
        Some(max(&writes) <= 10.0 && max(&applies) <= 20.0),
        cmd,
        detail,
    );
    Ok(path)
}
