//! The bad-input corpus (`tests/fixtures/bad/`), fed to the real `ganshi`
//! binary: every file gets a clear error naming the file and the field, and
//! the archive is unchanged (its export is identical before and after).

use std::path::{Path, PathBuf};
use std::process::Command;

fn ganshi(db: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ganshi"))
        .env("GANSHI_PASSWORD", crate::support::PASSWORD)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run ganshi");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad").join(name)
}

fn export(db: &Path, dir: &Path) -> String {
    let out = dir.join("export.json");
    let _ = std::fs::remove_file(&out);
    let (ok, err) = ganshi(db, &["export-json", out.to_str().expect("path")]);
    assert!(ok, "export: {err}");
    std::fs::read_to_string(out).expect("read export")
}

#[test]
fn every_bad_file_is_refused_with_its_name_and_field_and_changes_nothing() {
    let cases: &[(&str, &str)] = &[
        ("truncated.json", "EOF"),
        ("wrong-type-birth.json", "$.cadres[0].birth"),
        ("wrong-type-unit.json", "$.cadres[1].unitId"),
        ("huge-title.json", "$.initiatives[0].title"),
        ("huge-name.json", "$.cadres[0].name"),
        ("invalid-utf8.json", "不是 UTF-8"),
        ("deep-nesting.json", "$.units[0]"),
        ("path-traversal-evidence.json", "$.evidence[0].name"),
        ("evidence-digest-mismatch.json", "$.evidence[0].sha256"),
        ("control-characters.json", "$.cadres[0].name"),
        ("bidi-override-name.json", "$.cadres[0].name"),
        ("wrong-format.json", "$.format"),
        ("dangling-parent.json", "$.units[1].parentId"),
        ("bad-id-number.json", "$.cadres[0].idNumber"),
        ("empty.json", "EOF"),
        ("not-json.json", "expected value"),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("target.db");
    let (ok, err) = ganshi(&db, &["init"]);
    assert!(ok, "{err}");
    let before = export(&db, dir.path());
    for (file, field) in cases {
        let path = corpus(file);
        let (ok, err) = ganshi(&db, &["import-json", path.to_str().expect("path")]);
        assert!(!ok, "{file} must be refused");
        assert!(err.contains(file), "the error for {file} names the file: {err}");
        assert!(err.contains(field), "the error for {file} names {field}: {err}");
        assert!(err.len() < 2_000, "the error for {file} stays readable ({} bytes)", err.len());
        assert_eq!(export(&db, dir.path()), before, "{file} left the archive unchanged");
    }
    // The corpus is built from a valid document: only the mutation breaks it.
    let (ok, err) = ganshi(&db, &["import-json", corpus("valid-minimal.json").to_str().expect("path")]);
    assert!(ok, "the unmutated document imports: {err}");
}

#[test]
fn hostile_attachment_names_are_sanitized() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("a.db");
    let (ok, err) = ganshi(&db, &["demo", "--cadres", "2", "--seed", "1"]);
    assert!(ok, "{err}");
    let hostile = dir.path().join("..\\..\\Windows\\system32\\会议纪要.txt");
    std::fs::write(&hostile, "纪要").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_ganshi"))
        .env("GANSHI_PASSWORD", crate::support::PASSWORD)
        .args([
            "--db",
            db.to_str().expect("db"),
            "attachment",
            "add",
            "--owner",
            "cadre:1",
            hostile.to_str().expect("p"),
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(meta["name"], "会议纪要.txt", "directories of either separator are stripped");
    let (ok, err) = ganshi(&db, &["attachment", "add", "--owner", "cadre:999", hostile.to_str().expect("p")]);
    assert!(!ok && err.contains("999"), "an unknown owner is named: {err}");
}

/// The malformed LRMX files through `ganshi import`: each refused, naming the
/// file and the element, and the archive's export unchanged.
#[test]
fn every_bad_lrmx_file_is_refused_by_the_import_command() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("target.db");
    let (ok, err) = ganshi(&db, &["init"]);
    assert!(ok, "{err}");
    let unit = r#"{"parentId":null,"code":"1301","name":"燕州市","kind":"市"}"#;
    let (ok, err) = ganshi(&db, &["unit", "add", "--data", unit]);
    assert!(ok, "{err}");
    let before = export(&db, dir.path());
    let bad = corpus("lrmx");
    let mut names: Vec<_> = std::fs::read_dir(&bad).expect("dir").map(|e| e.expect("e").path()).collect();
    names.sort();
    for path in names {
        let (ok, err) = ganshi(&db, &["import", path.to_str().expect("p"), "--unit", "1"]);
        let file = path.file_name().expect("name").to_string_lossy().into_owned();
        assert!(!ok, "{file} must be refused");
        assert!(err.contains(&file), "the error names {file}: {err}");
        assert!(err.contains("未导入任何内容"), "{file}: {err}");
        assert_eq!(export(&db, dir.path()), before, "{file} left the archive unchanged");
    }
}

/// Issue 16.5: a 3 GB attachment was read whole (3.2 GB of memory) before the
/// 50 MB check, and a FIFO hung the command forever. Both are refused before a
/// byte is read, for attachments and for imports.
#[test]
fn special_and_oversized_files_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("a.db");
    let (ok, err) = ganshi(&db, &["demo", "--cadres", "2", "--seed", "1"]);
    assert!(ok, "{err}");
    let fifo = dir.path().join("纪要.txt");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let big = dir.path().join("录像.mp4");
    // A sparse file: 60 MB long, no disk used, and no memory unless someone reads it.
    std::fs::File::create(&big).and_then(|f| f.set_len(60 << 20)).expect("sparse file");
    for (args, what) in [
        (vec!["attachment", "add", "--owner", "cadre:1", fifo.to_str().expect("p")], "不是普通文件"),
        (vec!["attachment", "add", "--owner", "cadre:1", big.to_str().expect("p")], "超过上限 50.0 MB"),
        (vec!["import", fifo.to_str().expect("p"), "--unit", "1"], "不是普通文件"),
    ] {
        let (ok, err) = ganshi(&db, &args);
        assert!(!ok, "{args:?} must be refused");
        assert!(err.contains(what), "{args:?}: {err}");
    }
}

/// Issue 16.6: `import-json` took an evidence blob over the 50 MB limit every
/// other path enforces, and a document followed by trailing junk.
#[test]
fn import_json_enforces_the_limits_of_every_other_path() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("target.db");
    let (ok, err) = ganshi(&db, &["init"]);
    assert!(ok, "{err}");
    let valid = std::fs::read_to_string(corpus("valid-minimal.json")).expect("read");
    let junk = dir.path().join("trailing-junk.json");
    std::fs::write(&junk, format!("{valid}\n{{\"more\": 1}}")).expect("write");
    let (ok, err) = ganshi(&db, &["import-json", junk.to_str().expect("p")]);
    assert!(!ok && err.contains("trailing-junk.json") && err.contains("多余的内容"), "{err}");

    let mut doc: serde_json::Value = serde_json::from_str(&valid).expect("json");
    let big = vec![b'x'; ganshi::records::evidence::MAX_EVIDENCE_BYTES + 1];
    use base64::Engine as _;
    let cadre = doc["cadres"][0]["id"].clone();
    doc["evidence"] = serde_json::json!([{
        "id": 1, "ownerKind": "cadre", "ownerId": cadre, "name": "录像.txt", "mime": "text/plain",
        "size": big.len(), "sha256": ganshi::records::evidence::sha256_hex(&big), "addedOn": "2025-01-01",
        "addedBy": "admin", "contentBase64": base64::engine::general_purpose::STANDARD.encode(&big)
    }]);
    let huge = dir.path().join("huge-evidence.json");
    std::fs::write(&huge, serde_json::to_string(&doc).expect("json")).expect("write");
    let (ok, err) = ganshi(&db, &["import-json", huge.to_str().expect("p")]);
    assert!(!ok && err.contains("$.evidence[0].contentBase64") && err.contains("超过上限 50 MB"), "{err}");
    let (ok, err) = ganshi(&db, &["import-json", corpus("valid-minimal.json").to_str().expect("p")]);
    assert!(ok, "the valid document still imports: {err}");
}
