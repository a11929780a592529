//! The audit trail, backups and crash safety, on real archive files.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use ganshi::Archive;
use ganshi::archive::audit::AuditFilter;
use ganshi::archive::backup;

use crate::support::*;

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    raw_sqlcipher(path)
}

#[test]
fn every_change_is_an_audit_entry_in_a_verified_chain() {
    let mut f = fixture();
    let id = executing_initiative(&mut f);
    let entries = f.archive.audit_entries(&AuditFilter::default()).expect("entries");
    assert!(
        entries.len() >= 8,
        "unit, cadre, post, initiative, plan, milestone, 2 ratings, advance: {}",
        entries.len()
    );
    assert!(entries.iter().filter(|e| !e.object.starts_with("user#")).all(|e| e.actor == "测试员"));
    assert!(entries.iter().any(|e| e.action == "新增用户" && e.object == "user#admin"), "creating admin is audited");
    assert!(entries.iter().any(|e| e.action == "推进到干事" && e.object == format!("initiative#{id}")));
    let for_cadre =
        f.archive.audit_entries(&AuditFilter { cadre_id: Some(f.cadre), ..Default::default() }).expect("by cadre");
    assert!(
        for_cadre.iter().any(|e| e.object.starts_with("plan#")),
        "initiative records are filed under the lead cadre"
    );
    let corrected = f
        .archive
        .audit_entries(&AuditFilter { action: Some("推进到干事".into()), ..Default::default() })
        .expect("by action");
    assert_eq!(corrected.len(), 1);
    assert!(!corrected[0].before_digest.is_empty(), "a change carries the digest of the record before it");
    let report = f.archive.verify_audit().expect("verify");
    assert!(report.ok && report.entries == entries.len() as i64, "{report:?}");
}

#[test]
fn the_audit_table_refuses_updates_and_deletes() {
    let f = fixture();
    let conn = raw(&f.path());
    assert!(conn.execute("UPDATE audit SET actor = '某人' WHERE id = 1", []).is_err(), "UPDATE is refused by trigger");
    assert!(conn.execute("DELETE FROM audit WHERE id = 1", []).is_err(), "DELETE is refused by trigger");
    assert!(conn.execute("DELETE FROM revision WHERE id = 1", []).is_err(), "the revision log is append-only too");
}

#[test]
fn an_edited_entry_is_detected_and_named() {
    let f = fixture();
    let conn = raw(&f.path());
    // An insider with the database file drops the trigger and edits an entry.
    conn.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET actor = '他人' WHERE id = 2;").expect("tamper");
    let report = f.archive.verify_audit().expect("verify");
    assert!(!report.ok);
    assert_eq!(report.first_broken, Some(2), "{report:?}");
    assert!(report.problem.unwrap_or_default().contains("条目 2"));
}

#[test]
fn a_deleted_entry_is_detected() {
    let mut f = fixture();
    executing_initiative(&mut f);
    let conn = raw(&f.path());
    conn.execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3;").expect("tamper");
    let report = f.archive.verify_audit().expect("verify");
    assert_eq!(report.first_broken, Some(3), "{report:?}");
}

#[test]
fn a_backup_is_complete_verified_and_never_overwrites() {
    let mut f = fixture();
    executing_initiative(&mut f);
    let dest = f.dir.path().join("backup.db");
    let report = f.archive.backup_to(&dest).expect("backup while open");
    assert!(report.bytes > 0);
    let copy = reopen(&dest);
    let mut original = f.archive.export_document().expect("doc");
    let mut backed_up = copy.export_document().expect("doc");
    original.revisions.clear();
    backed_up.revisions.clear();
    assert_eq!(backed_up, original, "the backup holds every record");
    assert!(copy.verify_audit().expect("verify").ok);
    assert!(f.archive.backup_to(&dest).is_err(), "an existing file is never overwritten");
    let dir = f.dir.path().join("auto");
    for _ in 0..3 {
        f.archive.rotating_backup(&dir, 2).expect("rotate");
        std::thread::sleep(Duration::from_millis(1100));
    }
    let names: Vec<String> =
        std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into()).collect();
    assert_eq!(names.iter().filter(|n| n.ends_with(".bak.db")).count(), 2, "only the newest 2 are kept: {names:?}");
    assert_eq!(names.iter().filter(|n| n.ends_with(".bak.db.keys")).count(), 2, "each with its key file: {names:?}");
}

/// The daily backup copies on its own thread and connection while the archive
/// stays in use; the copy is one consistent snapshot and opens with the same password.
#[test]
fn a_detached_backup_runs_beside_writes_and_reports_back() {
    let mut f = fixture();
    executing_initiative(&mut f);
    let dir = f.dir.path().join("daily");
    let plan = f.archive.detached_backup(&dir, 3).expect("plan");
    assert_eq!(plan.source(), f.path().as_path());
    let copying = std::thread::spawn(move || plan.run());
    for _ in 0..20 {
        f.archive.create_cadre(cadre_input(f.unit), None).expect("the archive stays writable meanwhile");
    }
    let report = copying.join().expect("thread").expect("backup");
    let copy = reopen(std::path::Path::new(&report.path));
    assert!(copy.verify_audit().expect("verify").ok, "the copy's audit chain verifies");
    let copied = copy.cadres(None, None).expect("list").len();
    assert!((1..=21).contains(&copied), "a snapshot from some moment of the writes: {copied}");
    let entries = |a: &Archive| a.audit_entries(&Default::default()).expect("audit");
    let before = entries(&f.archive).len();
    f.archive.record_backup(&report).expect("record");
    let after = entries(&f.archive);
    assert_eq!(after.len(), before + 1);
    assert!(after.iter().any(|e| e.action == "备份"), "the backup is in the audit trail");
}

#[test]
fn restore_verifies_first_and_keeps_the_replaced_file() {
    let mut f = fixture();
    let good = f.dir.path().join("good.db");
    f.archive.backup_to(&good).expect("backup");
    executing_initiative(&mut f); // the archive moves on after the backup
    let bad = f.dir.path().join("bad.db");
    f.archive.backup_to(&bad).expect("backup");
    raw(&bad)
        .execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET action = 'x' WHERE id = 1;")
        .expect("tamper");
    let target = f.path();
    drop(f.archive);
    let before = std::fs::read(&target).expect("read");
    let err = backup::restore(&bad, &target, &admin()).expect_err("a tampered backup is refused");
    assert!(err.to_string().contains("审计日志校验失败"), "{err}");
    assert_eq!(std::fs::read(&target).expect("read"), before, "nothing was replaced");
    let kept = backup::restore(&good, &target, &admin()).expect("restore").expect("the old file is kept");
    assert!(kept.exists());
    let restored = reopen(&target);
    assert!(restored.initiatives(&Default::default()).expect("list").is_empty(), "back to the backup's state");
    assert!(restored.verify_audit().expect("verify").ok);
    let kept_archive = reopen(&kept);
    assert_eq!(kept_archive.initiatives(&Default::default()).expect("list").len(), 1, "the replaced archive is intact");
}

/// A writer doing real transactions is killed with SIGKILL at random moments.
/// After each kill the archive opens, passes `integrity_check`, its audit chain
/// verifies, and every transaction the writer reported as committed is there.
/// `GANSHI_CRASH_ROUNDS` sets the number of kills (the long mode runs ≥ 200).
#[test]
fn the_archive_survives_sigkill_at_random_moments() {
    let rounds: u64 = std::env::var("GANSHI_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crash.db");
    let mut committed: Vec<i64> = Vec::new();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..rounds {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .args(["--db", path.to_str().expect("path"), "stress-write", "--seed", &round.to_string()])
            .env("GANSHI_PASSWORD", PASSWORD)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("writer");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.trim().parse::<i64>().ok())
                .collect::<Vec<_>>()
        });
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        std::thread::sleep(Duration::from_millis(60 + state % 400));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        committed.extend(reader.join().expect("reader"));

        ganshi::archive::encrypted::finish_interrupted(&path).expect("finish");
        if !path.exists() && committed.is_empty() {
            // Killed while the archive was still being created: nothing was promised yet.
            assert!(!ganshi::archive::keys::sidecar(&path).exists(), "round {round}: a key file without an archive");
            continue;
        }
        let archive = Archive::open_encrypted(&path, &admin())
            .unwrap_or_else(|e| panic!("round {round}: archive must open: {e}"));
        let integrity: String =
            archive.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
        assert_eq!(integrity, "ok", "round {round}");
        let chain = archive.verify_audit().expect("verify");
        assert!(chain.ok, "round {round}: {chain:?}");
        // A cadre is reported only after its initiative and plan committed too.
        let mut stmt = archive
            .conn()
            .prepare("SELECT p.cadre_id FROM participant p JOIN plan pl ON pl.initiative_id = p.initiative_id WHERE p.role = '牵头'")
            .expect("query");
        let present: std::collections::HashSet<i64> =
            stmt.query_map([], |r| r.get(0)).expect("rows").map(|r| r.expect("row")).collect();
        for id in &committed {
            assert!(
                present.contains(id),
                "round {round}: cadre {id} with its initiative and plan was reported committed"
            );
        }
    }
    assert!(!committed.is_empty(), "the writer committed something in {rounds} rounds");
}

/// Issue 16 (low): `kill -9` during a demo left a valid, empty archive whose
/// recovery key had already been printed, and running the demo again was refused.
/// The archive is filled beside its place and moved there only when complete.
#[test]
fn a_demo_killed_midway_leaves_nothing_and_can_be_run_again() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let demo = |cadres: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .env("GANSHI_PASSWORD", crate::support::PASSWORD)
            .arg("--db")
            .arg(&db)
            .args(["demo", "--cadres", cadres, "--seed", "3"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn")
    };
    let mut child = demo("3000");
    let staging = ganshi::archive::encrypted::filling(&db);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !ganshi::archive::keys::sidecar(&staging).exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(ganshi::archive::keys::sidecar(&staging).exists(), "the demo was being filled beside its place");
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().expect("kill -9");
    let out = child.wait_with_output().expect("wait");
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!db.exists(), "no half-filled archive where the demo was to be");
    assert!(!printed.contains("恢复密钥"), "no recovery key was shown for it: {printed}");
    // A kill while the staged key file was being rewritten (after each commit, for
    // the audit anchor) leaves its temporary file too; the next attempt removes it.
    let staged_keys = ganshi::archive::keys::sidecar(&staging);
    let mut temporary = staged_keys.as_os_str().to_os_string();
    temporary.push(format!(".tmp.{}", dead_pid()));
    std::fs::write(&temporary, b"{").expect("temporary key file of the killed demo");
    let out = demo("3").wait_with_output().expect("run again");
    assert!(out.status.success(), "running the demo again works");
    assert!(String::from_utf8_lossy(&out.stdout).contains("恢复密钥"));
    assert!(db.is_file() && ganshi::archive::keys::sidecar(&db).is_file());
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".filling") || n.contains(".creating") || n.contains(".tmp."))
        .collect();
    assert!(beside.is_empty(), "nothing left beside it: {beside:?}");
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

/// A process killed while it rewrote a key file leaves `<archive>.keys.tmp.<pid>`.
/// Signing in removes those of processes that no longer run, and leaves one
/// another running process is writing.
#[test]
fn temporary_key_files_of_killed_processes_are_removed_at_sign_in() {
    let fixture = crate::support::fixture();
    let db = fixture.path();
    drop(fixture.archive);
    let dead_pid = dead_pid();
    let keys = ganshi::archive::keys::sidecar(&db);
    let beside = |pid: u32| {
        let mut name = keys.as_os_str().to_os_string();
        name.push(format!(".tmp.{pid}"));
        std::path::PathBuf::from(name)
    };
    std::fs::write(beside(dead_pid), b"{\"half").expect("left by a killed process");
    std::fs::write(beside(std::process::id()), b"{").expect("being written by a running one");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
        .env("GANSHI_PASSWORD", crate::support::PASSWORD)
        .arg("--db")
        .arg(&db)
        .args(["cadre", "list"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!beside(dead_pid).exists(), "the killed process's temporary key file is gone");
    assert!(beside(std::process::id()).exists(), "a running process's temporary key file is left alone");
}

/// Issue 16 (low): with damaged pages, stderr filled with hundreds of SQLCipher
/// lines. The user is told once, in Chinese, that the archive is damaged and
/// how to restore it; SQLCipher's own lines are silenced.
#[test]
fn a_damaged_archive_is_said_once_and_points_to_restore() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("a.db");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .env("GANSHI_PASSWORD", crate::support::PASSWORD)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run ganshi");
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert!(run(&["demo", "--cadres", "60", "--seed", "2"]).0);
    // Damage the middle of the file (an insider's or a failing disk's doing).
    let mut bytes = std::fs::read(&db).expect("read");
    let pages = bytes.len() / 4096;
    for p in (pages / 4..pages * 3 / 4).step_by(3) {
        bytes[p * 4096 + 100..p * 4096 + 164].fill(0);
    }
    std::fs::write(&db, &bytes).expect("write");
    // A command that reads a damaged page stops with the one message; one that does not read
    // any may still answer. A backup reads every page (as the app's daily one does): it says so.
    let backup = dir.path().join("b.db");
    let mut failed = 0;
    for args in [
        &["cadre", "list", "--json"][..],
        &["assess", "--year", "2025", "--json"],
        &["audit", "verify"],
        &["backup", backup.to_str().expect("p")],
    ] {
        let (ok, err) = run(args);
        assert!(!err.contains("sqlcipher") && !err.contains("ERROR CORE"), "no SQLCipher lines: {err}");
        if !ok {
            failed += 1;
            assert!(err.contains("档案文件已损坏") && err.contains("restore"), "{args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "said once: {err}");
        }
    }
    let (ok, err) = run(&["backup", dir.path().join("c.db").to_str().expect("p")]);
    assert!(!ok && err.contains("档案文件已损坏"), "the backup reads every page and says so: {err}");
    assert!(failed >= 1);
}
