use ganshi::Archive;
use ganshi::enums::OwnerKind;

use crate::support::*;

fn demo(dir: &std::path::Path, name: &str, seed: u64) -> Archive {
    let mut a = Archive::open(&dir.join(name)).expect("open");
    ganshi::demo::generate(&mut a, 60, seed).expect("demo");
    a
}

#[test]
fn export_import_export_is_byte_identical() {
    let dir = tempfile::tempdir().expect("dir");
    let mut source = demo(dir.path(), "a.db", 7);
    let first = source.initiatives(&Default::default()).expect("list")[0].id;
    source.add_evidence(OwnerKind::Initiative, first, "照片.png", b"\x89PNG\r\n\x1a\nxxxx").expect("evidence");
    let exported = source.export_json().expect("export");
    let mut copy = Archive::open(&dir.path().join("b.db")).expect("open");
    copy.import_json(&exported).expect("import");
    assert_eq!(copy.export_json().expect("export again"), exported, "the round trip must lose nothing");
}

#[test]
fn the_demo_is_deterministic_per_seed() {
    let dir = tempfile::tempdir().expect("dir");
    let a = demo(dir.path(), "a.db", 7).export_json().expect("a");
    let b = demo(dir.path(), "b.db", 7).export_json().expect("b");
    let c = demo(dir.path(), "c.db", 8).export_json().expect("c");
    assert!(a == b, "same seed, same archive");
    assert!(a != c, "another seed, another archive");
}

#[test]
fn the_demo_covers_every_stage_and_stopped_items() {
    let dir = tempfile::tempdir().expect("dir");
    let doc = demo(dir.path(), "a.db", 3).export_document().expect("doc");
    use ganshi::enums::Stage;
    for stage in Stage::ALL {
        assert!(doc.initiatives.iter().any(|i| i.initiative.stage == *stage), "some item is in {stage}");
    }
    assert!(doc.initiatives.iter().any(|i| i.initiative.stopped_on.is_some()), "some item is stopped");
    assert!(doc.initiatives.iter().any(|i| !i.recognitions.is_empty()), "some item is recognised");
}

#[test]
fn bad_documents_name_the_json_path_and_change_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let exported = demo(dir.path(), "a.db", 5).export_json().expect("export");
    let mut doc: serde_json::Value = serde_json::from_str(&exported).expect("json");
    type Mutation = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (Box::new(|d| d["cadres"][2]["birth"] = "1975/06".into()), "$.cadres[2].birth"),
        (Box::new(|d| d["cadres"][1]["gender"] = "未知".into()), "$.cadres[1].gender"),
        (Box::new(|d| d["cadres"][0]["unitId"] = 9999.into()), "$.cadres[0].unitId"),
        (Box::new(|d| d["initiatives"][0]["title"] = "".into()), "$.initiatives[0].title"),
        (Box::new(|d| d["units"][3]["id"] = 1.into()), "$.units[3].id"),
        (Box::new(|d| d["formatVersion"] = 99.into()), "$.formatVersion"),
        (Box::new(|d| d["initiatives"][0]["ratings"] = serde_json::json!([])), ".stage"),
    ];
    for (mutate, path) in cases {
        let mut bad = doc.clone();
        mutate(&mut bad);
        if path == ".stage" {
            // Only meaningful for an item past 谋事: find one.
            let i = doc["initiatives"]
                .as_array()
                .expect("array")
                .iter()
                .position(|i| i["stage"] != "谋事")
                .expect("an advanced item");
            bad = doc.clone();
            bad["initiatives"][i]["ratings"] = serde_json::json!([]);
        }
        let mut target = Archive::open(&dir.path().join("t.db")).expect("open");
        let err = target.import_json(&serde_json::to_string(&bad).expect("text")).expect_err(path);
        assert!(err.to_string().contains(path), "error for {path} names it: {err}");
        assert!(target.cadres(None, None).expect("list").is_empty(), "a failed import leaves nothing behind ({path})");
        assert!(target.units().expect("units").is_empty());
    }
    doc["unexpected"] = 1.into();
    let mut target = Archive::open(&dir.path().join("t2.db")).expect("open");
    assert!(target.import_json(&doc.to_string()).is_err(), "unknown top-level fields are refused");
}

#[test]
fn import_refuses_a_non_empty_archive() {
    let mut f = fixture();
    let exported = f.archive.export_json().expect("export");
    let err = f.archive.import_json(&exported).expect_err("non-empty");
    assert_eq!(err.code(), "import_failed");
    assert_eq!(f.archive.cadres(None, None).expect("list").len(), 1, "nothing duplicated");
}

/// The documented JSON Schema accepts what we export (with evidence, stopped
/// items and every stage), so the schema cannot silently drift from the code.
#[test]
fn exports_validate_against_the_documented_schema() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = demo(dir.path(), "a.db", 11);
    let first = a.initiatives(&Default::default()).expect("list")[0].id;
    a.add_evidence(OwnerKind::Initiative, first, "纪要.txt", "会议纪要".as_bytes()).expect("evidence");
    let doc: serde_json::Value = serde_json::from_str(&a.export_json().expect("export")).expect("json");
    let schema_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/archive-format.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema file")).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> =
        validator.iter_errors(&doc).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "export does not match docs/archive-format.schema.json: {errors:#?}");
    let mut broken = doc.clone();
    broken["cadres"][0]["gender"] = "未知".into();
    assert!(!validator.is_valid(&broken), "the schema must reject what the importer rejects");
}
