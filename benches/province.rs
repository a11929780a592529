//! `make bench`: the issue-6 figures on the province fixture (or the city one
//! with `BENCH_PRESET=city`), printed as one table and written to
//! `$CARGO_TARGET_DIR/bench/report.json`. Each figure carries the command that
//! reproduces it. Targets are compared here and reported, never asserted in tests.
//! The whole-process figures (app cold start, resident memory) come from
//! `bench/app.py`, which adds its rows to the same report.

#[path = "province/exchange.rs"]
mod exchange;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ganshi::archive::encrypted::Credentials;
use ganshi::assessment::AssessRequest;
use ganshi::demo::Preset;
use ganshi::formats::import::InputFile;
use ganshi::records::units::UnitInput;
use ganshi::{Archive, enums::UnitKind};
use serde_json::{Value, json};

const PASSWORD: &str = "bench-Passw0rd";
const YEAR: i32 = 2025;
const AS_OF: &str = "2025-12-31";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[global_allocator]
static ALLOCATOR: ganshi::Allocator = ganshi::Allocator;

/// A small deterministic generator (xorshift64*), so every run samples the same cadres and queries.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// p50, p99 and the slowest of a sample of timings (the dossier and search figures).
struct Latency {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

impl Latency {
    fn of(times: &mut [Duration]) -> Latency {
        times.sort();
        let max = times.last().copied().unwrap_or_default();
        Latency { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max }
    }

    fn text(&self) -> String {
        format!("p50 {} ms，p99 {} ms", ms(self.p50), ms(self.p99))
    }

    /// The report's detail: p50, p99 and max in milliseconds.
    fn detail(&self) -> Value {
        json!({ "p50_ms": ms(self.p50), "p99_ms": ms(self.p99), "max_ms": ms(self.max) })
    }
}

struct Report {
    rows: Vec<Value>,
}

impl Report {
    fn add(&mut self, figure: &str, value: String, target: &str, met: Option<bool>, command: &str, extra: Value) {
        let verdict = match met {
            Some(true) => "达标",
            Some(false) => "未达标",
            None => "记录",
        };
        eprintln!("  {figure}: {value}（目标 {target}，{verdict}）");
        self.rows.push(json!({
            "figure": figure, "value": value, "target": target, "met": met, "command": command, "detail": extra,
        }));
    }
}

fn fixture(dir: &Path, preset: Preset, name: &str) -> Res<PathBuf> {
    let path = dir.join(format!("{name}.db"));
    if path.exists() && ganshi::archive::keys::sidecar(&path).exists() {
        return Ok(path);
    }
    // Generated under another name and renamed when complete: an interrupted
    // run never leaves a fixture that looks finished.
    let partial = dir.join(format!("{name}-unfinished.db"));
    remove_archive(&partial);
    eprintln!("生成基准档案 {}（预设 {name}，种子 1）…", path.display());
    let started = Instant::now();
    let (mut archive, _recovery) = Archive::create_encrypted(&partial, PASSWORD)?;
    ganshi::demo::generate_preset(&mut archive, preset, 1, &ganshi::cli::progress::console_job())?;
    drop(archive);
    std::fs::rename(ganshi::archive::keys::sidecar(&partial), ganshi::archive::keys::sidecar(&path))?;
    std::fs::rename(&partial, &path)?;
    eprintln!("\n生成完毕，用时 {} 秒", started.elapsed().as_secs());
    Ok(path)
}

fn remove_archive(path: &Path) {
    ganshi::archive::remove_files(path);
}

fn open(path: &Path) -> Res<Archive> {
    Ok(Archive::open_encrypted(path, &Credentials::password("admin", PASSWORD))?)
}

/// The rows assessment reads, selected raw (every column), as the floor to compare with.
fn raw_scan(archive: &Archive) -> Res<(Duration, u64)> {
    const TABLES: &[&str] = &[
        "cadre",
        "unit",
        "post",
        "participant",
        "initiative",
        "initiative_tag",
        "plan",
        "milestone",
        "plan_rating",
        "tracking",
        "outcome",
        "outcome_metric",
        "recognition",
        "stage_transition",
        "evaluation",
        "protection",
        "negative",
        "report",
        "clearing",
        "tolerance_case",
        "tolerance_citation",
        "final_grade",
    ];
    let conn = archive.conn();
    let started = Instant::now();
    let mut cells = 0u64;
    for t in TABLES {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t}"))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..n {
                if !matches!(row.get_ref(i)?, rusqlite::types::ValueRef::Null) {
                    cells += 1;
                }
            }
        }
    }
    Ok((started.elapsed(), cells))
}

fn table_counts(archive: &Archive) -> Res<Value> {
    let mut out = serde_json::Map::new();
    for t in [
        "unit",
        "cadre",
        "initiative",
        "tracking",
        "milestone",
        "evaluation",
        "negative",
        "report",
        "tolerance_case",
        "final_grade",
        "audit",
    ] {
        let n: i64 = archive.conn().query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
        out.insert(t.to_owned(), json!(n));
    }
    Ok(Value::Object(out))
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    json!({ "nproc": nproc, "cpu": cpu })
}

fn roster(rows: usize, units: &[String]) -> Res<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let headers = ["序号", "姓名", "性别", "出生年月", "民族", "籍贯", "单位", "现任职务", "职级", "学历"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    let given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"];
    for r in 0..rows {
        let row = (r + 1) as u32;
        // (name, birth) is unique per row: the name from r % 2250, the birth from r / 2250.
        let n = r % 2250;
        let name = format!("{}{}{}", surnames[n % 10], given[(n / 10) % 15], given[(n / 150) % 15]);
        let birth = format!("{}.{:02}", 1960 + r / 2250, 1 + (r / 97) % 12);
        let cells = [
            (r + 1).to_string(),
            name,
            if r % 3 == 0 { "女" } else { "男" }.to_owned(),
            birth,
            "汉族".to_owned(),
            "河北丰河".to_owned(),
            units[r % units.len()].clone(),
            "科员".to_owned(),
            "一级科员".to_owned(),
            "大学".to_owned(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, c as u16, v)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

fn main() -> Res<()> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(()); // `cargo bench -- --list` asks what we have; nothing to list.
    }
    let target = PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".to_owned()));
    let dir = target.join("bench");
    std::fs::create_dir_all(&dir)?;
    // BENCH_ONLY=exchange needs only the county fixture (issue 19).
    if std::env::var("BENCH_ONLY").is_ok_and(|o| o.trim() == "exchange") {
        let mut report = Report { rows: Vec::new() };
        exchange::run(&dir, &mut report)?;
        let doc = json!({ "preset": "county", "machine": machine(), "figures": report.rows });
        std::fs::write(dir.join("report-exchange.json"), serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    let name = std::env::var("BENCH_PRESET").unwrap_or_else(|_| "province".to_owned());
    let mut report = Report { rows: Vec::new() };
    // BENCH_PRESET=city20: a city that merged twenty counties' first packages
    // (≈ 60,000 cadres), then the same figures as on the province (issue 19).
    let path = if name == "city20" {
        exchange::merged_city(&dir, 20, &mut report)?
    } else {
        fixture(&dir, Preset::parse(&name)?, &name)?
    };
    let mut archive = open(&path)?;
    let counts = table_counts(&archive)?;
    eprintln!("基准档案 {}：{counts}", path.display());
    let cmd = format!("BENCH_PRESET={name} make bench");
    // BENCH_ONLY=assess,search runs only those figures (to iterate on one).
    let only = std::env::var("BENCH_ONLY").ok();
    let wanted = |key: &str| only.as_deref().is_none_or(|o| o.split(',').any(|k| k.trim() == key));

    // 1. Year-end assessment of every cadre vs. a raw scan of the same rows (warm cache for both).
    if wanted("assess") {
        let (_, _) = raw_scan(&archive)?;
        let (scan, cells) = raw_scan(&archive)?;
        // The year-end run as the app does it (the 年度考核 list, the CLI's `assess`
        // without --explain): every rule applied and every explanation built, each
        // kept as its top line.
        let request = AssessRequest { year: YEAR, unit_id: None, cadre_id: None, as_of: None };
        let started = Instant::now();
        let all = archive.appraisal_list(&request, &ganshi::Job::new())?;
        let assess = started.elapsed();
        let ratio = assess.as_secs_f64() / scan.as_secs_f64().max(1e-9);
        // The same run keeping every cadre's whole explanation tree in memory.
        let started = Instant::now();
        let full = archive.assess(&request)?;
        let full_s = started.elapsed().as_secs_f64();
        assert_eq!(full.cadres.len(), all.cadres.len());
        drop(full);
        eprintln!("  保留每名干部完整说明树的同一计算 {full_s:.1} 秒");
        report.add(
            "全员年度考核计算 / 原始扫描",
            format!("{:.1} 倍（计算 {:.1} 秒，扫描 {:.2} 秒）", ratio, assess.as_secs_f64(), scan.as_secs_f64()),
            "≤ 2.0 倍",
            Some(ratio <= 2.0),
            &cmd,
            json!({ "cadres": all.cadres.len(), "assess_s": assess.as_secs_f64(), "full_trees_s": full_s, "scan_s": scan.as_secs_f64(), "scan_cells": cells }),
        );
        drop(all);
    }

    // 2. One dossier (all records + assessments + explanations), 1,000 random cadres.
    if wanted("dossier") {
        let ids: Vec<i64> = {
            let mut stmt = archive.conn().prepare("SELECT id FROM cadre ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut rng = Rng(0x5EED_CAFE);
        let mut times = Vec::with_capacity(1000);
        for _ in 0..1000 {
            let id = ids[rng.below(ids.len())];
            let started = Instant::now();
            let d = archive.dossier(id, AS_OF)?;
            times.push(started.elapsed());
            std::hint::black_box(d);
        }
        let latency = Latency::of(&mut times);
        report.add(
            "打开一份干事档案（1,000 名随机干部）",
            latency.text(),
            "p99 ≤ 20 ms",
            Some(latency.p99 <= Duration::from_millis(20)),
            &cmd,
            latency.detail(),
        );
    }

    // 3. Search: names, pinyin initials, full pinyin, units, initiative text.
    if wanted("search") {
        let mut rng = Rng(0x5EA2_C4ED);
        let names: Vec<(String, String)> = {
            let mut stmt =
                archive.conn().prepare("SELECT c.name, u.name FROM cadre c JOIN unit u ON u.id = c.unit_id")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let titles: Vec<String> = {
            let mut stmt = archive.conn().prepare("SELECT title FROM initiative WHERE id % 97 = 0")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut queries = Vec::with_capacity(1000);
        for i in 0..1000 {
            let (name, unit) = &names[rng.below(names.len())];
            let pinyin = ganshi::search::terms::pinyin_terms(name);
            let mut spellings = pinyin.split(' ');
            let q = match i % 5 {
                0 => name.clone(),
                1 => spellings.nth(1).unwrap_or(name).to_owned(),
                2 => spellings.next().unwrap_or(name).to_owned(),
                3 => unit.clone(),
                _ => {
                    let t: Vec<char> = titles[rng.below(titles.len())].chars().collect();
                    let start = rng.below(t.len().saturating_sub(4).max(1));
                    t[start..(start + 4).min(t.len())].iter().collect()
                }
            };
            queries.push(q);
        }
        let mut times = Vec::with_capacity(1000);
        let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); 5];
        let mut slowest = (Duration::ZERO, String::new());
        let mut found = 0usize;
        for (i, q) in queries.iter().enumerate() {
            let started = Instant::now();
            let r = archive.search(q, 10)?;
            let t = started.elapsed();
            times.push(t);
            by_kind[i % 5].push(t);
            if t > slowest.0 {
                slowest = (t, q.clone());
            }
            found += usize::from(!r.cadres.is_empty() || !r.initiatives.is_empty());
        }
        let kinds: Vec<Value> = ["姓名", "拼音首字母", "全拼", "单位", "事项内容"]
            .iter()
            .zip(by_kind.iter_mut())
            .map(|(k, t)| {
                let l = Latency::of(t);
                json!({ "kind": k, "p50_ms": ms(l.p50), "p99_ms": ms(l.p99) })
            })
            .collect();
        eprintln!("  检索分类：{}；最慢 {} ms：{}", serde_json::to_string(&kinds)?, ms(slowest.0), slowest.1);
        let latency = Latency::of(&mut times);
        let mut detail = latency.detail();
        detail["with_results"] = json!(found);
        detail["by_kind"] = json!(kinds);
        detail["slowest"] = json!(slowest.1);
        report.add(
            "检索（姓名、拼音首字母、全拼、单位、事项内容，1,000 次）",
            format!("{}（{found}/1000 有结果）", latency.text()),
            "p99 ≤ 20 ms",
            Some(latency.p99 <= Duration::from_millis(20)),
            &cmd,
            detail,
        );
    }

    // The 档案管理员's 工作台 over the whole province (every open item graded 黄/橙/红).
    if wanted("desk") {
        let _ = archive.clerk_desk(None, None)?;
        let started = Instant::now();
        let desk = archive.clerk_desk(None, None)?;
        let took = started.elapsed();
        report.add(
            "工作台·跟踪盯办（全省，全部在办事项分级预警）",
            format!(
                "{:.2} 秒（红 {}、橙 {}、黄 {}，列出最紧要的 {} 项）",
                took.as_secs_f64(),
                desk.red,
                desk.orange,
                desk.yellow,
                desk.warnings.len()
            ),
            "≤ 3 秒",
            Some(took <= Duration::from_secs(3)),
            &format!("BENCH_ONLY=desk {cmd}"),
            json!({ "seconds": took.as_secs_f64(), "red": desk.red, "orange": desk.orange, "yellow": desk.yellow }),
        );
    }

    // 4. Appraisal sheets for (about) 5,000 cadres: the units whose subtrees add up to it.
    // Audit verification: the chain, every record table against its seal, the anchor.
    if wanted("verify") {
        let started = Instant::now();
        let chain = archive.verify_audit()?;
        let took = started.elapsed();
        report.add(
            "审计校验（哈希链、全部记录与封存、锚点）",
            format!("{:.1} 秒（{} 条审计条目，{}）", took.as_secs_f64(), chain.entries, if chain.ok { "通过" } else { "未通过" }),
            "≤ 60 秒且通过",
            Some(chain.ok && took <= Duration::from_secs(60)),
            &format!("BENCH_ONLY=verify {cmd}"),
            json!({ "seconds": took.as_secs_f64(), "entries": chain.entries, "ok": chain.ok, "anchored": chain.anchored }),
        );
    }

    if wanted("export") {
        let out = dir.join("appraisal");
        let _ = std::fs::remove_dir_all(&out);
        let cities: Vec<(i64, i64)> = {
            let mut stmt = archive.conn().prepare(
                "WITH RECURSIVE t(root, id) AS (SELECT id, id FROM unit WHERE parent_id = (SELECT id FROM unit WHERE parent_id IS NULL)
                   UNION ALL SELECT t.root, u.id FROM unit u JOIN t ON u.parent_id = t.id)
                 SELECT t.root, count(c.id) FROM t JOIN cadre c ON c.unit_id = t.id GROUP BY t.root ORDER BY t.root",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let mut picked = Vec::new();
        let mut total = 0;
        for (unit, n) in &cities {
            if total >= 5000 {
                break;
            }
            picked.push(*unit);
            total += n;
        }
        let started = Instant::now();
        let mut files = 0;
        for (i, unit) in picked.iter().enumerate() {
            let r = archive.export_appraisal(YEAR, *unit, &out.join(i.to_string()), &ganshi::Job::new())?;
            files += r.files.len();
        }
        // One roster per unit; the rest are sheets (cadres who left before the year have none).
        let sheets = files - picked.len();
        let export = started.elapsed();
        report.add(
            "导出年度考核登记表（.docx 每人一份 + 汇总表 .xlsx）",
            format!("{sheets} 份登记表 + {} 份汇总表 {:.1} 秒", picked.len(), export.as_secs_f64()),
            "5,000 人 ≤ 30 秒",
            Some(export.as_secs_f64() * 5000.0 / sheets.max(1) as f64 <= 30.0),
            &cmd,
            json!({ "cadres_in_units": total, "sheets": sheets, "files": files, "seconds": export.as_secs_f64() }),
        );
        let _ = std::fs::remove_dir_all(&out);
        drop(archive);
    }

    // 5. A 50,000-row roster .xlsx into a fresh archive with its units.
    if wanted("import") {
        let fresh = dir.join("import.db");
        remove_archive(&fresh);
        let (mut target_archive, _) = Archive::create_encrypted(&fresh, PASSWORD)?;
        let root = target_archive
            .create_unit(UnitInput {
                parent_id: None,
                code: "13".into(),
                name: "燕山省".into(),
                kind: UnitKind::Province,
                sort_order: 0,
            })?
            .id;
        let mut unit_names = Vec::new();
        for (i, n) in ["滦河市", "燕州市", "清源市", "丰河市", "临川市", "平川市"].iter().enumerate()
        {
            target_archive.create_unit(UnitInput {
                parent_id: Some(root),
                code: format!("13{i:02}"),
                name: (*n).to_owned(),
                kind: UnitKind::City,
                sort_order: i as i64,
            })?;
            unit_names.push((*n).to_owned());
        }
        let bytes = roster(50_000, &unit_names)?;
        let size = bytes.len();
        let file = [InputFile { name: "花名册.xlsx".into(), bytes }];
        let started = Instant::now();
        let dry = target_archive.import_files(&file, None, true, &ganshi::Job::new())?;
        let preview_time = started.elapsed();
        std::hint::black_box(dry);
        let started = Instant::now();
        let preview = target_archive.import_files(&file, None, false, &ganshi::Job::new())?;
        let import = started.elapsed();
        eprintln!("  其中读取与预览 {:.1} 秒", preview_time.as_secs_f64());
        if !preview.committed {
            return Err(format!("roster import did not commit: {:?}", preview.errors.first()).into());
        }
        report.add(
            "导入 50,000 行干部花名册 .xlsx",
            format!("{:.1} 秒（新增 {} 人，文件 {:.1} MB）", import.as_secs_f64(), preview.created, size as f64 / 1e6),
            "≤ 10 秒",
            Some(import.as_secs_f64() <= 10.0),
            &cmd,
            json!({ "seconds": import.as_secs_f64(), "preview_only_s": preview_time.as_secs_f64(), "created": preview.created, "bytes": size }),
        );
        drop(target_archive);
        remove_archive(&fresh);
    }

    // Issue 19: packages between a county (its own fixture) and the city.
    if only.as_deref().is_some_and(|o| o.split(',').any(|k| k.trim() == "exchange")) || only.is_none() {
        exchange::run(&dir, &mut report)?;
    }

    // 6. File size.
    if wanted("size") {
        let bytes = std::fs::metadata(&path)?.len();
        report.add(
            "档案文件大小",
            format!("{:.0} MB", bytes as f64 / 1e6),
            "记录在案",
            None,
            &format!("ls -l {}", path.display()),
            json!({ "bytes": bytes, "rows": counts }),
        );
    }

    let doc = json!({ "preset": name, "fixture": path, "machine": machine(), "figures": report.rows });
    std::fs::write(dir.join("report.json"), serde_json::to_string_pretty(&doc)?)?;
    eprintln!("已写入 {}", dir.join("report.json").display());
    Ok(())
}
