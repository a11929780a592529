//! `audit verify` against an insider who holds a password and edits the
//! database with another tool (issue 16, medium 3): records changed, added or
//! removed behind the program's back, the newest entries cut off, the whole
//! chain rewritten — each found and named; backups carry the anchor.

use ganshi::Archive;
use ganshi::archive::keys::{KeyFile, sidecar};
use ganshi::assessment::grades::FinalGradeInput;
use ganshi::enums::*;

use crate::support::*;

fn graded() -> Fixture {
    let mut f = fixture();
    f.archive
        .record_final_grade(FinalGradeInput {
            cadre_id: f.cadre,
            year: 2024,
            grade: Grade::Competent,
            reason: "考核委员会审定".into(),
            decided_by: "考核委员会".into(),
            decided_on: "2024-12-31".into(),
        })
        .expect("grade");
    f
}

/// Close the archive, keep its folder.
fn closed(f: Fixture) -> (tempfile::TempDir, std::path::PathBuf) {
    let path = f.path();
    drop(f.archive);
    (f.dir, path)
}

fn verify(path: &std::path::Path) -> ganshi::archive::audit::ChainReport {
    reopen(path).verify_audit().expect("verify runs")
}

#[test]
fn an_untouched_archive_verifies_and_is_anchored() {
    let f = graded();
    let report = f.archive.verify_audit().expect("verify");
    assert!(report.ok && report.anchored, "{report:?}");
    let keys = KeyFile::load(&sidecar(&f.path())).expect("load").expect("key file");
    assert_eq!(keys.anchor.expect("anchor").entries, report.entries, "the anchor follows every change");
}

#[test]
fn a_grade_changed_outside_the_program_is_found_and_named() {
    let f = graded();
    let (_dir, path) = closed(f);
    raw_sqlcipher(&path).execute("UPDATE final_grade SET grade = '优秀'", []).expect("insider edit");
    let report = verify(&path);
    assert!(!report.ok, "{report:?}");
    assert_eq!(report.changed_records, vec!["确定等次".to_owned()]);
    assert!(report.problem.unwrap_or_default().contains("确定等次"));
    // The command line says the same, and fails.
    let (ok, _, err) = crate::security::cli(&path, "admin", PASSWORD, &["audit", "verify"]);
    assert!(!ok);
    assert!(err.contains("在本程序之外被改动") && err.contains("确定等次"), "{err}");
}

#[test]
fn a_record_added_or_removed_outside_the_program_is_found() {
    let f = graded();
    let (_dir, path) = closed(f);
    let raw = raw_sqlcipher(&path);
    raw.execute("INSERT INTO negative (cadre_id, kind, date, detail) VALUES (1, '诫勉', '2024-06-01', '直接写入')", [])
        .expect("insert");
    assert_eq!(verify(&path).changed_records, vec!["负面记录".to_owned()]);
    raw.execute("DELETE FROM negative", []).expect("undo");
    assert!(verify(&path).ok, "back as sealed");
    raw.execute("DELETE FROM post", []).expect("delete the posts");
    assert_eq!(verify(&path).changed_records, vec!["任职经历".to_owned()]);
}

#[test]
fn a_seal_rewritten_to_match_is_found_by_the_chain() {
    let f = graded();
    let (_dir, path) = closed(f);
    // The insider edits the grade and recomputes every seal with this program's
    // own code: the seals match the rows, but not the last entry's state digest.
    let raw = raw_sqlcipher(&path);
    ganshi::archive::seal::register(&raw).expect("function");
    ganshi::archive::seal::install(&raw).expect("triggers");
    raw.execute("UPDATE final_grade SET grade = '优秀'", []).expect("edit");
    ganshi::archive::seal::reseal(&raw).expect("reseal");
    drop(raw);
    let report = verify(&path);
    assert!(!report.ok, "{report:?}");
    assert!(report.changed_records.is_empty(), "every table matches its (rewritten) seal");
    assert!(report.problem.unwrap_or_default().contains("封存状态"), "the last entry's state digest");
}

#[test]
fn cutting_the_newest_entries_is_found_by_the_anchor() {
    let mut f = graded();
    f.archive.log_event("导出", "archive", "年度考核表").expect("an entry that changes no record");
    let (_dir, path) = closed(f);
    let raw = raw_sqlcipher(&path);
    raw.execute_batch(
        "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_concerns_no_delete;
         DELETE FROM audit_concerns WHERE audit_id = (SELECT max(id) FROM audit);
         DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);",
    )
    .expect("cut the newest entry");
    let report = verify(&path);
    assert!(!report.ok, "{report:?}");
    assert!(report.problem.unwrap_or_default().contains("截断"), "named as a cut");
}

#[test]
fn a_rewritten_chain_or_an_edited_anchor_is_found() {
    let f = graded();
    let (_dir, path) = closed(f);
    // A complete, consistent rewrite of the newest entry (new hash, same place).
    let raw = raw_sqlcipher(&path);
    let last: i64 = raw.query_row("SELECT max(id) FROM audit", [], |r| r.get(0)).expect("last");
    raw.execute_batch("DROP TRIGGER audit_no_update").expect("drop trigger");
    let mut e = reopen(&path)
        .audit_entries(&Default::default())
        .expect("entries")
        .into_iter()
        .find(|e| e.id == last)
        .expect("last entry");
    e.actor = "他人".into();
    e.hash = ganshi::archive::audit::entry_hash(&e);
    raw.execute("UPDATE audit SET actor = ?1, hash = ?2 WHERE id = ?3", rusqlite::params![e.actor, e.hash, last])
        .expect("rewrite");
    let report = verify(&path);
    assert!(!report.ok && report.problem.unwrap_or_default().contains("改写"));
    // Later changes (a sign-in's entry, say) never move the anchor past the rewrite,
    // and no backup vouches for the rewritten chain.
    let mut a = reopen(&path);
    a.log_event("登录", "user#admin", "").expect("a later entry");
    let report = a.verify_audit().expect("verify");
    assert!(!report.ok && report.problem.unwrap_or_default().contains("改写"), "still found after a new entry");
    let refused = a.backup_to(&path.with_file_name("after-rewrite.db")).expect_err("no backup of a rewritten chain");
    assert!(refused.to_string().contains("改写"), "{refused}");
    drop(a);

    // The anchor itself edited to match: its MAC, under the data key, fails.
    let file = sidecar(&path);
    let mut keys = KeyFile::load(&file).expect("load").expect("key file");
    let mut anchor = keys.anchor.clone().expect("anchor");
    anchor.head = e.hash.clone();
    keys.anchor = Some(anchor);
    keys.save(&file).expect("save");
    let report = verify(&path);
    assert!(!report.ok && report.problem.unwrap_or_default().contains("锚点"));
}

#[test]
fn a_backup_carries_its_own_anchor_and_restores_verified() {
    let mut f = graded();
    let dest = f.dir.path().join("backup.db");
    let made = f.archive.backup_to(&dest).expect("backup");
    // The archive moves on; the backup's anchor is its own chain's head.
    f.archive.log_event("导出", "archive", "x").expect("later entry");
    let keys = KeyFile::load(&sidecar(&dest)).expect("load").expect("backup key file");
    assert_eq!(keys.anchor.expect("anchor").entries, made.audit_entries);
    let restored = f.dir.path().join("restored.db");
    ganshi::archive::backup::restore(&dest, &restored, &admin()).expect("restore");
    let report = Archive::open_encrypted(&restored, &admin()).expect("open").verify_audit().expect("verify");
    assert!(report.ok && report.anchored, "{report:?}");
}

/// A generated archive (bulk loads: one entry per batch) and an interchange
/// import verify, records and anchor alike, through the command line.
#[test]
fn generated_and_imported_archives_verify() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |db: &std::path::Path, args: &[&str]| {
        let (ok, out, err) = crate::security::cli(db, "admin", PASSWORD, args);
        assert!(ok, "{args:?}: {out}{err}");
        out + &err
    };
    let demo = dir.path().join("demo.db");
    run(&demo, &["demo", "--cadres", "12", "--seed", "3"]);
    let said = run(&demo, &["audit", "verify"]);
    assert!(said.contains("全部记录与留痕一致") && said.contains("锚点一致"), "{said}");
    let doc = dir.path().join("doc.json");
    run(&demo, &["export-json", doc.to_str().expect("path")]);
    let copy = dir.path().join("copy.db");
    run(&copy, &["init"]);
    run(&copy, &["import-json", doc.to_str().expect("path")]);
    let said = run(&copy, &["audit", "verify"]);
    assert!(said.contains("全部记录与留痕一致"), "{said}");
}

/// The parts that hold the checks themselves: the seal table, the anchor, the
/// revision log. Removing or editing any of them is found too.
#[test]
fn removing_the_checks_themselves_is_found() {
    let f = graded();
    let (_dir, path) = closed(f);
    // The anchor deleted from the key file (no password needed for that).
    let file = sidecar(&path);
    let mut keys = KeyFile::load(&file).expect("load").expect("key file");
    let anchor = keys.anchor.take().expect("anchor");
    keys.save(&file).expect("save");
    let report = verify(&path);
    assert!(!report.ok && report.problem.clone().unwrap_or_default().contains("没有审计锚点"), "{report:?}");
    // An anchor edited into another shape: sign-in still works, verify reports it.
    let text = std::fs::read_to_string(&file).expect("read");
    let edited = text.trim_end().trim_end_matches('}').to_owned() + ",\"anchor\": {\"entries\": \"x\"}}";
    std::fs::write(&file, edited).expect("write");
    let report = verify(&path);
    assert!(!report.ok && report.problem.clone().unwrap_or_default().contains("锚点校验失败"), "{report:?}");
    keys.anchor = Some(anchor);
    keys.save(&file).expect("restore the anchor");
    assert!(verify(&path).ok);
    // A revision's copy of a record edited.
    let raw = raw_sqlcipher(&path);
    raw.execute_batch(
        "DROP TRIGGER revision_no_update;
         UPDATE revision SET data = replace(data, '称职', '优秀') WHERE entity = 'final_grade';",
    )
    .expect("edit the revision");
    assert_eq!(verify(&path).changed_records, vec!["修订记录".to_owned()]);
    // The seal table dropped.
    raw.execute_batch("DROP TABLE seal_state").expect("drop");
    let report = verify(&path);
    assert!(!report.ok && report.problem.clone().unwrap_or_default().contains("封存表"), "{report:?}");
}
