use ganshi::Archive;
use ganshi::archive::schema::{CURRENT_VERSION, MIGRATIONS};

fn schema_of(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("query").collect::<Result<_, _>>().expect("rows")
}

/// Build an archive exactly as version `v` of the program left it.
fn snapshot(path: &std::path::Path, v: usize) {
    let conn = rusqlite::Connection::open(path).expect("open");
    ganshi::search::terms::register(&conn).expect("search functions");
    for step in &MIGRATIONS[..v] {
        conn.execute_batch(step).expect("old schema");
    }
    conn.pragma_update(None, "user_version", v as i64).expect("version");
    conn.execute("INSERT INTO unit (id, code, name, kind) VALUES (1, '1301', '燕州市', '市')", []).expect("old row");
    conn.execute(
        "INSERT INTO cadre (id, name, gender, birth, ethnicity, native_place, education, post, rank, unit_id,
                            management_level, status)
         VALUES (1, '张三', '男', '1978-05', '汉族', '河北丰河', '研究生', '副县长', '副处级', 1, '市管', '在职')",
        [],
    )
    .expect("old cadre");
}

#[test]
fn every_older_archive_upgrades_to_the_current_schema_and_keeps_its_rows() {
    for v in 1..=MIGRATIONS.len() {
        let dir = tempfile::tempdir().expect("dir");
        let old = dir.path().join("old.db");
        snapshot(&old, v);
        let upgraded = Archive::open(&old).expect("upgrade");
        assert_eq!(upgraded.schema_version().expect("version"), CURRENT_VERSION);
        // Issue 20: the upgrade is reported; an unencrypted archive is not copied
        // (no plaintext copy of personnel data is left behind).
        match upgraded.upgraded() {
            None => assert_eq!(v as i64, CURRENT_VERSION, "v{v}: an older archive's upgrade is reported"),
            Some(said) => {
                assert_eq!(
                    (said.from_version, said.to_version, said.backup.as_deref()),
                    (v as i64, CURRENT_VERSION, None)
                );
            }
        }
        let fresh = Archive::open(&dir.path().join("fresh.db")).expect("fresh");
        assert_eq!(schema_of(upgraded.conn()), schema_of(fresh.conn()), "upgraded v{v} must equal a fresh archive");
        assert_eq!(upgraded.units().expect("units")[0].fields.name, "燕州市", "rows survive the upgrade");
        let found = upgraded.search("zs", 10).expect("search");
        assert_eq!(found.cadres.len(), 1, "v{v}: records written before the search index are indexed by the upgrade");
        // Records from before the seals (v13) are sealed by the upgrade; rows written
        // into a current archive behind the program's back are not.
        let report = upgraded.verify_audit().expect("verify");
        if v < 13 {
            assert!(report.ok, "v{v}: the upgrade seals the records it found: {report:?}");
            let entries = upgraded.audit_entries(&Default::default()).expect("entries");
            assert!(entries.iter().any(|e| e.action.starts_with(&format!("升级档案格式（第 {v} 版"))), "v{v}");
        } else {
            assert_eq!(report.changed_records, vec!["单位".to_owned(), "干部".to_owned()], "v{v}");
        }
    }
}

#[test]
fn a_newer_archive_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("new.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", CURRENT_VERSION + 1).expect("version");
    drop(conn);
    let err = Archive::open(&path).err().expect("a newer archive must be refused");
    assert_eq!(err.code(), "archive_too_new");
    let conn = rusqlite::Connection::open(&path).expect("reopen");
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).expect("count");
    assert_eq!(tables, 0, "nothing was created in the newer archive");
}

#[test]
fn a_file_that_is_not_an_archive_gets_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "这不是数据库文件，只是一段文字。".repeat(100)).expect("write");
    let err = Archive::open(&path).err().expect("must fail");
    assert!(err.to_string().contains("notes.db"), "the error names the file: {err}");
}

/// Version 16 numbers the outbox with AUTOINCREMENT, starting past every entry
/// an archive of version 15 kept or had already sent (and deleted): a later
/// entry taking a sent one's number would never be sent.
#[test]
fn the_outbox_numbers_past_every_entry_sent_before_the_upgrade() {
    let dir = tempfile::tempdir().expect("dir");
    let old = dir.path().join("old.db");
    snapshot(&old, 15);
    let base = 130_102_i64 << 32;
    {
        let conn = rusqlite::Connection::open(&old).expect("open");
        conn.execute(
            "INSERT INTO site_partner (code, name, sign_public, box_public, trusted_at, trusted_by, sent_seq, outbox_sent)
             VALUES ('130100', '燕州市委组织部', x'00', x'00', '2026-11-01', 'admin', 3, ?1)",
            [base + 7],
        )
        .expect("partner");
        conn.execute("INSERT INTO exchange_outbox (id, at, changeset) VALUES (?1, '2026-11-02', x'01')", [base + 5])
            .expect("an entry kept");
    }
    let upgraded = Archive::open(&old).expect("upgrade");
    let conn = upgraded.conn();
    let kept: i64 = conn.query_row("SELECT id FROM exchange_outbox", [], |r| r.get(0)).expect("kept");
    assert_eq!(kept, base + 5, "the entry kept keeps its number");
    conn.execute("DELETE FROM exchange_outbox", []).expect("sent and deleted");
    conn.execute("INSERT INTO exchange_outbox (at, changeset) VALUES ('2026-11-03', x'02')", []).expect("new");
    assert_eq!(conn.last_insert_rowid(), base + 8, "past the last entry sent");
}

/// Issue 20: an older encrypted archive is copied as it was, the copy checked and
/// given its key file, before the upgrade changes it; the open says where. The
/// copy opens with the same password and keeps the old version and the old rows.
#[test]
fn an_older_encrypted_archive_is_copied_and_checked_before_it_is_upgraded() {
    use crate::support::{PASSWORD, admin, city_unit, raw_sqlcipher};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("档案.db");
    {
        let (mut a, _) = Archive::create_encrypted(&path, PASSWORD).expect("create");
        a.create_unit(city_unit()).expect("unit");
    }
    // Back to version 15 as that program left it: version 16's tables and columns removed.
    raw_sqlcipher(&path)
        .execute_batch(
            "DROP TABLE site_audit; DROP TABLE exchange_sent;
             ALTER TABLE site_partner DROP COLUMN audit_sent; ALTER TABLE site_partner DROP COLUMN audit_received;
             ALTER TABLE site_partner DROP COLUMN audit_head; ALTER TABLE site_partner DROP COLUMN audit_renumbered;
             ALTER TABLE site_partner DROP COLUMN acked_seq;
             PRAGMA user_version = 15;",
        )
        .expect("downgrade");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        // The installed program's upgrade test opens this (tests/package/test_installed.py).
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archives");
        std::fs::create_dir_all(&fixtures).expect("dir");
        let to = fixtures.join("第15版.db");
        raw_sqlcipher(&path).execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
        std::fs::copy(&path, &to).expect("copy");
        std::fs::copy(ganshi::archive::keys::sidecar(&path), ganshi::archive::keys::sidecar(&to)).expect("keys");
    }
    let upgraded = Archive::open_encrypted(&path, &admin()).expect("upgrade");
    let said = upgraded.upgraded().expect("reported").clone();
    assert_eq!((said.from_version, said.to_version), (15, CURRENT_VERSION));
    let copy = std::path::PathBuf::from(said.backup.expect("a copy"));
    assert_eq!(copy, dir.path().join("档案.升级前-第15版.db"));
    assert!(ganshi::archive::keys::sidecar(&copy).is_file(), "with its key file");
    drop(upgraded);
    let old = raw_sqlcipher(&copy);
    let version: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    let unit: String = old.query_row("SELECT name FROM unit", [], |r| r.get(0)).expect("row");
    assert_eq!((version, unit.as_str()), (15, "燕州市"));
    drop(old);
    // Opened again, the archive is current: no second copy.
    let again = Archive::open_encrypted(&path, &admin()).expect("open again");
    assert!(again.upgraded().is_none());
    assert!(!dir.path().join("档案.升级前-第15版-2.db").exists());
}
