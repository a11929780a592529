//! Integration tests of the core on real archive files on disk.

mod support;

mod appraisal_texts;
mod assessment;
mod assessment_rules;
mod audit_seal;
mod bad_input;
mod confidential;
mod desk;
mod exchange;
mod formats;
mod forms;
mod generated;
mod interchange;
mod lifecycle;
mod lrmx_fidelity;
mod lrmx_round_trip;
mod migrations;
mod records;
mod reliability;
mod roster;
mod scope;
mod search;
mod security;

/// The committed TypeScript types must match the Rust DTOs.
#[test]
fn generated_typescript_types_have_not_drifted() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/api/types.ts");
    let generated = ganshi::ts::bindings();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(&path, &generated).expect("write types");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "ui/src/api/types.ts is out of date with the Rust types: run `make types`");
}
