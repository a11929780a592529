//! Encryption at rest, keyslots, sign-in, roles and management scope — on real
//! encrypted archive files.

use ganshi::access::users::UserInput;
use ganshi::archive::encrypted::{Credentials, encrypt_in_place};
use ganshi::archive::keys::{self, KeyFile};
use ganshi::assessment::AssessRequest;
use ganshi::assessment::grades::FinalGradeInput;
use ganshi::enums::*;
use ganshi::records::evaluations::{EvaluationInput, Votes};
use ganshi::records::initiatives::{InitiativeFilter, Participant};
use ganshi::records::reports::ReportInput;
use ganshi::records::reviews::{ReviewInput, ReviewTarget};
use ganshi::records::units::UnitInput;
use ganshi::{Archive, Error};

use crate::support::*;

pub(crate) const CLERK_PW: &str = "clerk-pass-1";

fn code(e: &Error) -> &'static str {
    e.code()
}

pub(crate) fn forbidden<T: std::fmt::Debug>(what: &str, r: ganshi::Result<T>) {
    match r {
        Err(e) => assert_eq!(code(&e), "forbidden", "{what}: expected forbidden, got {e}"),
        Ok(v) => panic!("{what}: a scoped user must be refused, got {v:?}"),
    }
}

/// City → counties B and C; a cadre in each; a clerk bound to B.
pub(crate) struct Scoped {
    pub f: Fixture,
    pub b: i64,
    pub c: i64,
    pub inside: i64,
    pub outside: i64,
    pub outside_initiative: i64,
    pub outside_evidence: i64,
    pub outside_report: i64,
}

fn county(a: &mut Archive, parent: i64, code: &str, name: &str) -> i64 {
    a.create_unit(UnitInput {
        parent_id: Some(parent),
        code: code.into(),
        name: name.into(),
        kind: UnitKind::County,
        sort_order: 0,
    })
    .expect("unit")
    .id
}

pub(crate) fn scoped() -> Scoped {
    let mut f = fixture();
    let b = county(&mut f.archive, f.unit, "B", "东城区");
    let c = county(&mut f.archive, f.unit, "C", "西城区");
    let inside = f.archive.create_cadre(cadre_input(b), Some("2020-01-01")).expect("inside").id;
    let mut other = cadre_input(c);
    other.name = "李四".into();
    let outside = f.archive.create_cadre(other, Some("2020-01-01")).expect("outside").id;
    let outside_initiative = f.archive.create_initiative(initiative_input(outside)).expect("initiative").id;
    f.archive.save_plan(outside_initiative, complete_plan(c), "").expect("plan");
    let outside_evidence = f
        .archive
        .add_evidence(OwnerKind::Initiative, outside_initiative, "纪要.txt", b"meeting notes")
        .expect("evidence")
        .id;
    let outside_report = f
        .archive
        .add_report(ReportInput {
            cadre_id: outside,
            received_on: "2024-05-01".into(),
            source: "来信".into(),
            summary: "反映".into(),
        })
        .expect("report")
        .id;
    f.archive
        .add_user(
            UserInput {
                name: "clerk".into(),
                display_name: "东城区干部科".into(),
                roles: vec![Role::Clerk],
                all_units: false,
                units: vec![b],
            },
            CLERK_PW,
        )
        .expect("clerk");
    Scoped { f, b, c, inside, outside, outside_initiative, outside_evidence, outside_report }
}

pub(crate) fn sign_in(path: &std::path::Path, user: &str, pw: &str) -> Archive {
    Archive::open_encrypted(path, &Credentials::password(user, pw)).unwrap_or_else(|e| panic!("{user}: {e}"))
}

#[test]
fn the_file_reveals_nothing_without_the_key() {
    let mut f = fixture();
    let mut c = cadre_input(f.unit);
    c.name = "欧阳机密".into();
    f.archive.create_cadre(c, None).expect("cadre");
    let path = f.path();
    drop(f.archive);
    let needle = "欧阳机密".as_bytes();
    for entry in std::fs::read_dir(f.dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        assert!(!bytes.starts_with(b"SQLite format 3"), "{} has a plaintext SQLite header", path.display());
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{} contains a cadre's name", path.display());
        assert!(!bytes.windows(5).any(|w| w == b"cadre"), "{} contains table names", path.display());
    }
    let plain = Archive::open(&path).err().expect("a plain open must fail");
    assert_eq!(plain.code(), "auth_failed", "{plain}");
}

#[test]
fn wrong_passwords_are_refused_slowed_and_logged() {
    let f = fixture();
    let path = f.path();
    drop(f.archive);
    for (user, pw) in [("admin", "wrong-password-1"), ("nobody", PASSWORD)] {
        let e = Archive::open_encrypted(&path, &Credentials::password(user, pw)).err().expect("refused");
        assert_eq!(e.code(), "auth_failed", "{e}");
    }
    let keys = KeyFile::load(&keys::sidecar(&path)).expect("load").expect("present");
    assert_eq!(keys.failures.len(), 2, "failures wait in the key file until the next sign-in");
    let a = reopen(&path);
    let logged = a
        .audit_entries(&ganshi::archive::audit::AuditFilter {
            action: Some("登录失败".into()), ..Default::default()
        })
        .expect("audit");
    let who: Vec<&str> = logged.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(logged.len(), 2, "{who:?}");
    assert!(who.contains(&"admin") && who.contains(&"nobody"));
    assert!(KeyFile::load(&keys::sidecar(&path)).expect("load").expect("present").failures.is_empty());
    assert!(a.verify_audit().expect("verify").ok);
    let delays: Vec<u64> = (0..10).map(keys::backoff_seconds).collect();
    assert_eq!(delays, [0, 0, 0, 1, 2, 4, 8, 16, 32, 32], "the delay doubles after three failures, capped");
}

#[test]
fn keyslots_follow_users_and_passwords() {
    let s = scoped();
    let path = s.f.path();
    let mut admin = s.f.archive;
    assert!(sign_in(&path, "clerk", CLERK_PW).session().has(Role::Clerk));
    admin.set_user_password("clerk", "new-pass-22").expect("reset");
    assert_eq!(
        Archive::open_encrypted(&path, &Credentials::password("clerk", CLERK_PW)).err().map(|e| e.code()),
        Some("auth_failed")
    );
    let mut clerk = sign_in(&path, "clerk", "new-pass-22");
    assert_eq!(clerk.change_own_password("wrong", "another-3x").err().map(|e| e.code()), Some("invalid"));
    clerk.change_own_password("new-pass-22", "another-3x").expect("own password");
    drop(clerk);
    sign_in(&path, "clerk", "another-3x");
    assert_eq!(
        admin.set_user_password("clerk", "short").err().map(|e| e.code()),
        Some("invalid"),
        "weak passwords are refused"
    );
    admin.deactivate_user("clerk").expect("remove");
    assert!(!KeyFile::load(&keys::sidecar(&path)).expect("load").expect("present").has_slot("clerk"));
    assert!(Archive::open_encrypted(&path, &Credentials::password("clerk", "another-3x")).is_err());
    assert!(admin.deactivate_user("admin").is_err(), "one cannot remove oneself");
    let actions: Vec<String> = admin
        .audit_entries(&Default::default())
        .expect("audit")
        .into_iter()
        .filter(|e| e.object == "user#clerk")
        .map(|e| e.action)
        .collect();
    for a in ["新增用户", "重置密码", "修改密码", "停用用户"] {
        assert!(actions.iter().any(|x| x == a), "{a} is audited: {actions:?}");
    }
}

#[test]
fn the_recovery_key_opens_its_own_slot_and_resets_the_admin_password() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("r.db");
    let (a, recovery) = Archive::create_encrypted(&path, PASSWORD).expect("create");
    drop(a);
    assert!(Archive::open_encrypted(&path, &Credentials::Recovery("0000-1111".to_owned().into())).is_err());
    let typed = recovery.0.to_lowercase().replace('-', " ");
    let mut r = Archive::open_encrypted(&path, &Credentials::Recovery(typed.into()))
        .expect("recovery key, any case and spacing");
    assert!(r.session().recovery && r.session().has(Role::SysAdmin));
    assert!(!r.session().has(Role::Clerk), "the recovery key administers; it does not edit records");
    r.set_user_password("admin", "fresh-pass-9").expect("reset admin");
    drop(r);
    assert!(Archive::open_encrypted(&path, &admin()).is_err());
    sign_in(&path, "admin", "fresh-pass-9");
}

#[test]
fn a_plaintext_archive_is_encrypted_in_place() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.db");
    let mut plain = Archive::open(&path).expect("plain");
    let unit = plain
        .create_unit(UnitInput {
            parent_id: None,
            code: "1".into(),
            name: "燕州市".into(),
            kind: UnitKind::City,
            sort_order: 0,
        })
        .expect("unit")
        .id;
    plain.create_cadre(cadre_input(unit), Some("2020-01-01")).expect("cadre");
    let before = plain.export_document().expect("doc");
    drop(plain);
    assert_eq!(Archive::open_encrypted(&path, &admin()).err().map(|e| e.code()), Some("not_encrypted"));
    let recovery = encrypt_in_place(&path, PASSWORD).expect("encrypt");
    assert!(!recovery.0.is_empty());
    let bytes = std::fs::read(&path).expect("read");
    assert!(!bytes.starts_with(b"SQLite format 3"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into())
        .collect();
    assert!(
        names.iter().all(|n| n == "old.db" || n == "old.db.keys" || n.starts_with("old.db-")),
        "no plaintext copy is left: {names:?}"
    );
    let a = reopen(&path);
    let after = a.export_document().expect("doc");
    assert_eq!(after.units, before.units);
    assert_eq!(after.cadres, before.cadres);
    assert_eq!(after.revisions, before.revisions);
    assert!(a.verify_audit().expect("verify").ok);
    assert!(encrypt_in_place(&path, PASSWORD).is_err(), "an encrypted archive is not encrypted twice");
}

#[test]
fn an_encrypted_backup_needs_the_same_password_and_reveals_nothing() {
    let mut f = fixture();
    let dest = f.dir.path().join("b.db");
    f.archive.backup_to(&dest).expect("backup");
    let bytes = std::fs::read(&dest).expect("read");
    assert!(!bytes.starts_with(b"SQLite format 3") && !bytes.windows(6).any(|w| w == "张三".as_bytes()));
    assert!(keys::sidecar(&dest).is_file(), "the backup has its key file");
    assert_eq!(reopen(&dest).cadres(None, None).expect("list").len(), 1);
}

#[test]
fn a_scoped_user_cannot_read_anything_outside_the_scope() {
    let s = scoped();
    let a = sign_in(&s.f.path(), "clerk", CLERK_PW);
    let cadres: Vec<i64> = a.cadres(None, None).expect("list").iter().map(|c| c.id).collect();
    assert_eq!(cadres, vec![s.inside], "the list holds only the scope");
    assert!(a.cadres(None, Some("李")).expect("search").is_empty(), "search stays in scope");
    for q in ["李四", "李", "lisi", "ls", "西城区"] {
        let found = a.search(q, 20).expect("global search");
        assert!(found.cadres.is_empty() && !found.more_cadres, "global search for {q} stays in scope: {found:?}");
    }
    let title = s.f.archive.initiative(s.outside_initiative).expect("admin reads it").fields.title;
    assert_eq!(s.f.archive.search(&title, 20).expect("admin").initiatives.len(), 1, "admin finds the initiative");
    assert!(a.search(&title, 20).expect("search").initiatives.is_empty(), "initiatives outside stay hidden");
    assert!(a.initiatives(&InitiativeFilter::default()).expect("list").is_empty());
    let page = ganshi::records::pages::PageRequest { offset: 0, limit: 100 };
    let cadre_page = a.cadres_page(None, None, page).expect("page");
    assert_eq!((cadre_page.total, cadre_page.rows.len()), (1, 1), "a page and its total hold only the scope");
    let named: Vec<i64> = a.cadres_by_id(&[s.inside, s.outside]).expect("by id").iter().map(|c| c.id).collect();
    assert_eq!(named, vec![s.inside], "naming cadres by id stays in scope");
    assert_eq!(a.initiatives_page(&InitiativeFilter::default(), page).expect("page").total, 0);
    forbidden("page of unit C", a.cadres_page(Some(s.c), None, page));
    let units: Vec<i64> = a.units().expect("units").iter().map(|u| u.id).collect();
    assert_eq!(units, vec![s.b]);
    let today = "2024-12-31";
    forbidden("cadre", a.cadre(s.outside));
    forbidden("dossier", a.dossier(s.outside, today));
    forbidden("records", a.cadre_records(s.outside));
    forbidden("list of unit C", a.cadres(Some(s.c), None));
    forbidden("unit", a.unit(s.c));
    forbidden("initiative", a.initiative(s.outside_initiative));
    forbidden("initiative view", a.initiative_view(s.outside_initiative, today));
    forbidden("readiness", a.readiness(s.outside_initiative));
    forbidden("history of cadre", a.history("cadre", s.outside));
    forbidden("history of plan", a.history("plan", s.outside_initiative));
    forbidden("evidence meta", a.evidence_meta(s.outside_evidence));
    forbidden("evidence content", a.evidence_content(s.outside_evidence));
    forbidden("reports", a.reports(s.outside));
    forbidden("clearing", a.clearing(s.outside_report));
    forbidden("evaluations", a.evaluations(s.outside, None));
    forbidden("negatives", a.negatives(s.outside));
    forbidden("tolerance", a.tolerance_cases(s.outside));
    forbidden("reviews", a.reviews(s.outside));
    forbidden("promotion evidence", a.promotion_evidence(s.outside, 2024, None));
    forbidden("compare", a.compare(&[s.inside, s.outside], 2024));
    forbidden(
        "assess one",
        a.assess(&AssessRequest { year: 2024, unit_id: None, cadre_id: Some(s.outside), as_of: None }),
    );
    forbidden("assess unit", a.assess(&AssessRequest { year: 2024, unit_id: Some(s.c), cadre_id: None, as_of: None }));
    let all = a.assess(&AssessRequest { year: 2024, unit_id: None, cadre_id: None, as_of: None }).expect("assess");
    assert!(all.cadres.iter().all(|c| c.cadre_id == s.inside), "the yearly list holds only the scope");
    forbidden("export", a.export_document());
    let audit = a.audit_entries(&Default::default()).expect("audit");
    assert!(audit.iter().all(|e| e.cadre_id != Some(s.outside)), "the audit trail is filtered too");
    // Admin sees it all, and the scoped clerk's view of a cadre in scope works.
    assert!(a.dossier(s.inside, today).is_ok());
    assert_eq!(s.f.archive.cadres(None, None).expect("all").len(), 3);
}

#[test]
fn a_scoped_user_cannot_change_anything_outside_the_scope() {
    let s = scoped();
    let path = s.f.path();
    let before = s.f.archive.export_document().expect("doc");
    let mut a = sign_in(&path, "clerk", CLERK_PW);
    forbidden("create cadre", a.create_cadre(cadre_input(s.c), None));
    forbidden("update cadre", a.update_cadre(s.outside, cadre_input(s.c), "改"));
    forbidden("move cadre in", a.update_cadre(s.outside, cadre_input(s.b), "调入"));
    forbidden("move cadre out", a.update_cadre(s.inside, cadre_input(s.c), "调出"));
    forbidden(
        "create unit",
        a.create_unit(UnitInput {
            parent_id: Some(s.c),
            code: "C1".into(),
            name: "x".into(),
            kind: UnitKind::Office,
            sort_order: 0,
        }),
    );
    forbidden(
        "root unit",
        a.create_unit(UnitInput {
            parent_id: None,
            code: "R".into(),
            name: "x".into(),
            kind: UnitKind::City,
            sort_order: 0,
        }),
    );
    forbidden("initiative", a.create_initiative(initiative_input(s.outside)));
    forbidden("plan", a.save_plan(s.outside_initiative, complete_plan(s.c), "改"));
    forbidden("milestone", a.add_milestone(s.outside_initiative, milestone("2024-06-30")));
    forbidden("rating", a.rate_plan(s.outside_initiative, rating(RaterRole::OrgDept), ""));
    forbidden("stop", a.stop(s.outside_initiative, "2024-06-01", "中止"));
    forbidden("evidence", a.add_evidence(OwnerKind::Cadre, s.outside, "a.txt", b"x"));
    forbidden(
        "evaluation",
        a.add_evaluation(EvaluationInput {
            cadre_id: s.outside,
            year: 2024,
            kind: EvaluationKind::Democratic,
            rater_group: RaterGroup::Peers,
            votes: Some(Votes { excellent: 1, competent: 0, basic: 0, incompetent: 0 }),
            score: None,
            held_on: "2024-12-20".into(),
            note: String::new(),
        }),
    );
    forbidden(
        "report",
        a.add_report(ReportInput {
            cadre_id: s.outside,
            received_on: "2024-05-01".into(),
            source: "来信".into(),
            summary: "x".into(),
        }),
    );
    forbidden(
        "final grade",
        a.record_final_grade(FinalGradeInput {
            cadre_id: s.outside,
            year: 2024,
            grade: Grade::Competent,
            reason: "x".into(),
            decided_by: "考核委员会".into(),
            decided_on: "2024-12-31".into(),
        }),
    );
    forbidden("backup", a.backup_to(&s.f.dir.path().join("x.db")));
    forbidden("users", a.users());
    drop(a);
    assert_eq!(s.f.archive.export_document().expect("doc"), before, "nothing outside the scope changed");
    // Inside the scope the clerk works normally.
    let mut a = sign_in(&path, "clerk", CLERK_PW);
    a.create_initiative(initiative_input(s.inside)).expect("inside the scope");
}

#[test]
fn roles_decide_the_kind_of_action() {
    let s = scoped();
    let path = s.f.path();
    let mut admin = s.f.archive;
    let all = |name: &str, role: Role| UserInput {
        name: name.into(),
        display_name: name.into(),
        roles: vec![role],
        all_units: true,
        units: vec![],
    };
    admin.add_user(all("leader", Role::Leader), "leader-pass-1").expect("leader");
    admin.add_user(all("hr", Role::Appraisal), "hr-pass-1").expect("hr");
    let review = |cadre| ReviewInput {
        target_kind: ReviewTarget::Cadre,
        cadre_ids: vec![cadre],
        parent_id: None,
        text: "同意".into(),
        signed_off: true,
    };

    let mut leader = sign_in(&path, "leader", "leader-pass-1");
    assert!(leader.dossier(s.outside, "2024-12-31").is_ok(), "a leader reads dossiers");
    leader.add_review(review(s.outside)).expect("a leader writes 批示");
    forbidden("leader edits", leader.create_cadre(cadre_input(s.b), None));
    forbidden("leader edits a plan", leader.save_plan(s.outside_initiative, complete_plan(s.c), "改"));

    let mut clerk = sign_in(&path, "clerk", CLERK_PW);
    forbidden("clerk writes 批示", clerk.add_review(review(s.inside)));
    let scheme = clerk.scheme(2024).expect("scheme");
    forbidden("clerk edits the scheme", clerk.save_scheme(2024, scheme.scheme.clone(), "改"));

    let mut hr = sign_in(&path, "hr", "hr-pass-1");
    assert!(hr.assess(&AssessRequest { year: 2024, unit_id: None, cadre_id: None, as_of: None }).is_ok());
    forbidden("hr edits records", hr.create_initiative(initiative_input(s.inside)));
    forbidden("hr manages users", hr.users());
    admin.save_scheme(2024, scheme.scheme, "系统管理员修订").expect("admin edits the scheme");
    let entries = admin.audit_entries(&Default::default()).expect("audit");
    assert!(
        entries.iter().any(|e| e.actor == "leader" && e.action.contains("批示")),
        "the 批示 is audited under its author"
    );
}

pub(crate) fn cli(db: &std::path::Path, user: &str, pw: &str, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
        .env("GANSHI_PASSWORD", pw)
        .env("GANSHI_NEW_PASSWORD", CLERK_PW)
        .arg("--db")
        .arg(db)
        .args(["--user", user])
        .args(args)
        .output()
        .expect("run ganshi");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every CLI command, run by a scoped user against records outside the scope,
/// is refused (`forbidden`), and lists/searches/exports never show them.
#[test]
fn no_cli_command_crosses_the_scope() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let (ok, stdout, err) = cli(&db, "admin", PASSWORD, &["demo", "--cadres", "30", "--seed", "3"]);
    assert!(ok, "{err}");
    assert!(stdout.contains("恢复密钥"), "the recovery key is printed once: {stdout}");
    let (ok, _, err) = cli(&db, "admin", PASSWORD, &["user", "add", "scoped", "--role", "档案管理员", "--unit", "2"]);
    assert!(ok, "{err}");
    let as_clerk = |args: &[&str]| cli(&db, "scoped", CLERK_PW, args);
    let as_admin = |args: &[&str]| cli(&db, "admin", PASSWORD, args);

    let all = json(&as_admin(&["cadre", "list", "--json"]).1);
    let mine = json(&as_clerk(&["cadre", "list", "--json"]).1);
    let mine_ids: Vec<i64> = mine.as_array().expect("array").iter().filter_map(|c| c["id"].as_i64()).collect();
    assert!(!mine_ids.is_empty(), "the scope is not empty");
    let outside = all
        .as_array()
        .expect("array")
        .iter()
        .find(|c| !mine_ids.contains(&c["id"].as_i64().unwrap_or(0)))
        .expect("someone outside");
    let (out_id, out_unit, out_name) = (
        outside["id"].as_i64().expect("id"),
        outside["unitId"].as_i64().expect("unit"),
        outside["name"].as_str().expect("name").to_owned(),
    );
    let initiatives = json(&as_admin(&["initiative", "list", "--json"]).1);
    let out_initiative = initiatives
        .as_array()
        .expect("array")
        .iter()
        .find(|i| !mine_ids.contains(&i["leadCadreId"].as_i64().unwrap_or(0)))
        .and_then(|i| i["id"].as_i64())
        .expect("an initiative outside");
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "纪要").expect("write");
    let (ok, _, err) =
        as_admin(&["attachment", "add", "--owner", &format!("cadre:{out_id}"), note.to_str().expect("p")]);
    assert!(ok, "{err}");

    let id = out_id.to_string();
    let ini = out_initiative.to_string();
    let unit = out_unit.to_string();
    let pair = format!("{}", mine_ids[0]);
    let mut cadre_data = serde_json::to_value(cadre_input(out_unit)).expect("json");
    cadre_data["name"] = "越权新增".into();
    let cadre_json = cadre_data.to_string();
    let mut plan = complete_plan(out_unit);
    plan.deadline = Some("2030-12-31".into());
    let plan_json = serde_json::to_string(&plan).expect("json");
    let initiative_json = serde_json::to_string(&initiative_input(out_id)).expect("json");
    let owner = format!("initiative:{ini}");
    let out_file = dir.path().join("out.bin");
    let export = dir.path().join("all.json");
    let refused: Vec<Vec<&str>> = vec![
        vec!["cadre", "show", &id],
        vec!["cadre", "list", "--unit", &unit],
        vec!["cadre", "add", "--data", &cadre_json],
        vec!["initiative", "show", &ini],
        vec!["initiative", "list", "--unit", &unit],
        vec!["initiative", "add", "--data", &initiative_json],
        vec!["initiative", "plan", &ini, "--data", &plan_json],
        vec!["initiative", "advance", &ini, "--date", "2025-01-01"],
        vec!["initiative", "stop", &ini, "--date", "2025-01-01", "--reason", "越权"],
        vec!["attachment", "add", "--owner", &owner, note.to_str().expect("p")],
        vec!["history", "cadre", &id],
        vec!["history", "initiative", &ini],
        vec!["assess", "--year", "2025", "--cadre", &id],
        vec!["assess", "--year", "2025", "--unit", &unit],
        vec!["evidence", "--cadre", &id, "--year", "2025"],
        vec!["compare", &pair, &id, "--year", "2025"],
        vec!["export-json", export.to_str().expect("p")],
        vec!["backup", out_file.to_str().expect("p")],
        vec!["user", "list"],
    ];
    let before = as_admin(&["export-json", dir.path().join("before.json").to_str().expect("p")]);
    assert!(before.0, "{}", before.2);
    for args in &refused {
        let (ok, stdout, err) = as_clerk(args);
        assert!(!ok, "{args:?} must be refused, printed {stdout}");
        assert!(err.contains("[forbidden]"), "{args:?} is refused for scope or role: {err}");
        assert!(!stdout.contains(&out_name), "{args:?} printed the outside cadre");
    }
    assert!(!export.exists() && !out_file.exists(), "no file was written");
    // Lists and searches print only the scope.
    for args in
        [vec!["cadre", "list", "--name", &out_name[..3]], vec!["initiative", "list"], vec!["assess", "--year", "2025"]]
    {
        let (ok, stdout, err) = as_clerk(&args);
        assert!(ok, "{args:?}: {err}");
        assert!(!stdout.contains(&out_name), "{args:?} shows a cadre outside the scope");
    }
    // Entries about the outside cadre stay hidden, except those of a record shared
    // with a cadre in the scope (a comparison 批示 naming both), which the clerk
    // sees through that cadre anyway — and then without the outside cadre's id.
    let (ok, stdout, _) = as_clerk(&["audit", "list", "--cadre", &id, "--json"]);
    assert!(ok);
    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v.as_array().expect("array").iter().filter_map(|e| e["id"].as_i64()).collect()
    };
    let about_outside = json(&stdout);
    let mut through_mine = Vec::new();
    for m in &mine_ids {
        through_mine.extend(ids(&json(&as_clerk(&["audit", "list", "--cadre", &m.to_string(), "--json"]).1)));
    }
    for e in about_outside.as_array().expect("array") {
        assert!(through_mine.contains(&e["id"].as_i64().unwrap_or(0)), "an entry only about the outside cadre: {e}");
        assert!(e["cadreId"].is_null(), "the outside cadre is not named: {e}");
    }
    let after = as_admin(&["export-json", dir.path().join("after.json").to_str().expect("p")]);
    assert!(after.0);
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).expect("read");
    assert_eq!(read("before.json"), read("after.json"), "the refused commands changed nothing");
}

/// Malformed key files (`tests/fixtures/bad/keys/`) are refused with the file
/// and the field named, and the archive is left as it was.
#[test]
fn hostile_key_files_are_refused_clearly() {
    let f = fixture();
    let path = f.path();
    drop(f.archive);
    let sidecar = keys::sidecar(&path);
    let good = std::fs::read(&sidecar).expect("keys");
    let before = std::fs::read(&path).expect("archive");
    let cases: &[(&str, &str)] = &[
        ("truncated.keys", "密钥文件无法解析"),
        ("not-json.keys", "密钥文件无法解析"),
        ("wrong-format.keys", "$.format"),
        ("huge-memory.keys", "$.slots[0].kdf"),
        ("zero-iterations.keys", "$.slots[0].kdf"),
        ("bad-nonce.keys", "nonce"),
        ("swapped-slot.keys", "用户名或密码不正确"),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/keys");
    for (file, expected) in cases {
        std::fs::copy(dir.join(file), &sidecar).expect("copy");
        let (ok, _, err) = cli(&path, "admin", "abc12345!", &["cadre", "list"]);
        assert!(!ok, "{file} must be refused");
        assert!(err.contains(expected), "{file}: {err}");
        if *expected != "用户名或密码不正确" {
            assert!(err.contains(".keys"), "{file}: the error names the key file: {err}");
        }
        assert_eq!(std::fs::read(&path).expect("archive"), before, "{file} left the archive unchanged");
    }
    std::fs::write(&sidecar, good).expect("restore keys");
    assert_eq!(reopen(&path).cadres(None, None).expect("list").len(), 1);
}

/// A creation or an encryption cut short between its final renames is
/// completed on the next open; nothing is lost and no plaintext stays.
#[test]
fn interrupted_creation_and_encryption_are_completed() {
    let dir = tempfile::tempdir().expect("dir");
    let sib = |p: &std::path::Path, s: &str| std::path::PathBuf::from(format!("{}{s}", p.display()));
    // Creation killed before either rename, and between the two renames.
    for renamed_db in [false, true] {
        let path = dir.path().join(format!("c{renamed_db}.db"));
        drop(Archive::create_encrypted(&path, PASSWORD).expect("create"));
        if !renamed_db {
            std::fs::rename(&path, sib(&path, ".creating")).expect("mv");
        }
        std::fs::rename(keys::sidecar(&path), keys::sidecar(&sib(&path, ".creating"))).expect("mv keys");
        assert!(reopen(&path).session().has(Role::SysAdmin), "completed (db renamed: {renamed_db})");
        assert!(!sib(&path, ".creating").exists() && !keys::sidecar(&sib(&path, ".creating")).exists());
    }
    // Encryption killed after the verified copy and the key file, before the swap.
    let path = dir.path().join("e.db");
    let mut plain = Archive::open(&path).expect("plain");
    plain
        .create_unit(UnitInput {
            parent_id: None,
            code: "1".into(),
            name: "燕州市".into(),
            kind: UnitKind::City,
            sort_order: 0,
        })
        .expect("unit");
    drop(plain);
    let original = std::fs::read(&path).expect("read");
    encrypt_in_place(&path, PASSWORD).expect("encrypt");
    std::fs::rename(&path, sib(&path, ".encrypting")).expect("mv");
    std::fs::write(&path, &original).expect("plaintext back in place");
    let a = reopen(&path);
    assert_eq!(a.units().expect("units").len(), 1);
    assert!(!std::fs::read(&path).expect("read").starts_with(b"SQLite format 3"));
    assert!(!sib(&path, ".plaintext").exists() && !sib(&path, ".encrypting").exists(), "no plaintext left");
}

/// Issue 16.1: a clerk scoped to one district changed an out-of-scope cadre's
/// grade through a shared initiative (in-scope lead, out-of-scope member: every
/// write was accepted), and `audit list --cadre` of that cadre showed nothing.
/// A write to an initiative or any of its records needs every cadre taking part
/// in scope, before and after the change; each audit entry names every cadre
/// the change concerns.
#[test]
fn a_shared_initiative_is_changed_only_with_every_participant_in_scope() {
    let mut s = scoped();
    let path = s.f.path();
    // Admin (all units) builds a shared item led inside the scope, with an outside member.
    let mut shared = initiative_input(s.inside);
    shared.participants.push(Participant { cadre_id: s.outside, role: ParticipantRole::Member });
    let item = s.f.archive.create_initiative(shared.clone()).expect("admin creates it").id;
    s.f.archive.save_plan(item, complete_plan(s.b), "").expect("plan");
    s.f.archive.add_milestone(item, milestone("2024-06-30")).expect("milestone");
    let before = s.f.archive.export_document().expect("doc");
    let audit_before = s.f.archive.audit_entries(&Default::default()).expect("audit").len();

    let mut a = sign_in(&path, "clerk", CLERK_PW);
    forbidden("create a shared item", a.create_initiative(shared.clone()));
    forbidden("rate it", a.rate_plan(item, rating(RaterRole::OrgDept), ""));
    forbidden("plan it", a.save_plan(item, complete_plan(s.b), "改"));
    forbidden("add a milestone", a.add_milestone(item, milestone("2024-09-30")));
    // A 容错 case filed for the in-scope lead covers every participant of the item.
    let mut case = crate::assessment::tolerance(s.inside, item);
    forbidden("a 容错 case about the shared item", a.add_tolerance_case(case.clone()));
    case.decision = None;
    case.reason = String::new();
    case.decided_on = None;
    forbidden("an open 容错 case about the shared item", a.add_tolerance_case(case));
    let mut only_inside = shared.clone();
    only_inside.participants.truncate(1);
    forbidden("drop the outside member", a.update_initiative(item, only_inside.clone(), "去掉"));
    // An item of the clerk's own: adding an outside member is refused as well.
    let own = a.create_initiative(only_inside).expect("an item inside the scope").id;
    forbidden("add an outside member", a.update_initiative(own, shared.clone(), "加入"));
    drop(a);
    let mut admin = reopen(&path);
    let mut after = admin.export_document().expect("doc");
    after.initiatives.retain(|r| r.initiative.id != own);
    after.revisions.retain(|r| !(r.entity == "initiative" && r.entity_id == own));
    assert_eq!(after.initiatives, before.initiatives, "nothing about the shared item changed");

    // The audit names every cadre a change concerns: the outside member finds the admin's changes.
    admin.rate_plan(item, rating(RaterRole::OrgDept), "").expect("admin rates");
    let of_member = admin
        .audit_entries(&ganshi::archive::audit::AuditFilter { cadre_id: Some(s.outside), ..Default::default() })
        .expect("audit");
    assert!(of_member.iter().any(|e| e.object.starts_with("plan_rating#")), "{of_member:#?}");
    assert!(of_member.iter().any(|e| e.object == format!("initiative#{item}")), "the creation names the member too");
    assert!(admin.audit_entries(&Default::default()).expect("audit").len() > audit_before);
    assert!(admin.verify_audit().expect("verify").ok, "the chain still verifies");

    // The same through the command line.
    let db = path.to_str().expect("path");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
        .env("GANSHI_PASSWORD", CLERK_PW)
        .args(["--db", db, "--user", "clerk", "initiative", "rate", &item.to_string(), "--data"])
        .arg(serde_json::to_string(&rating(RaterRole::UnitLeader)).expect("json"))
        .output()
        .expect("run ganshi");
    assert!(!out.status.success(), "the CLI refuses it too");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("管理权限范围"), "{err}");
}

/// Issue 16 (low): the archive, its key file, backups and exports were created
/// 0644 (readable by every account on the machine); a failed backup left
/// `DEST.partial`; `export-json` and `attachment get` overwrote existing files.
#[cfg(unix)]
#[test]
fn files_are_private_and_nothing_is_overwritten_or_left_half_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("a.db");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .env("GANSHI_PASSWORD", PASSWORD)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run ganshi");
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert!(run(&["demo", "--cadres", "3", "--seed", "1"]).0);
    let backups = dir.path().join("备份");
    assert!(run(&["backup", "--rotate", backups.to_str().expect("p"), "--keep", "3"]).0);
    let export = dir.path().join("archive.json");
    assert!(run(&["export-json", export.to_str().expect("p")]).0);
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    let backup = std::fs::read_dir(&backups)
        .expect("dir")
        .map(|e| e.expect("e").path())
        .find(|p| p.to_string_lossy().ends_with(".bak.db"))
        .expect("a backup");
    for p in [
        db.clone(),
        ganshi::archive::keys::sidecar(&db),
        backup.clone(),
        ganshi::archive::keys::sidecar(&backup),
        export.clone(),
    ] {
        assert_eq!(mode(&p), 0o600, "{} is its owner's only", p.display());
    }
    assert_eq!(mode(&backups), 0o700, "the backup folder too");

    // Nothing is overwritten: the interchange document and an attachment written out.
    let (ok, err) = run(&["export-json", export.to_str().expect("p")]);
    assert!(!ok && err.contains("已存在"), "{err}");
    let note = dir.path().join("纪要.txt");
    std::fs::write(&note, "会议纪要").expect("write");
    assert!(run(&["attachment", "add", "--owner", "cadre:1", note.to_str().expect("p")]).0);
    let (ok, err) = run(&["attachment", "get", "1", "--out", note.to_str().expect("p")]);
    assert!(!ok && err.contains("已存在"), "{err}");
    assert_eq!(std::fs::read_to_string(&note).expect("read"), "会议纪要", "the existing file is untouched");

    // A backup that fails after copying (its key file cannot be written: a folder
    // stands where it goes) leaves no partial file behind, and no backup.
    let dest = dir.path().join("b.db");
    std::fs::create_dir(ganshi::archive::keys::sidecar(&dest)).expect("a folder in the way");
    let (ok, err) = run(&["backup", dest.to_str().expect("p")]);
    assert!(!ok, "the backup fails: {err}");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("b.db") && !n.ends_with(".keys"))
        .collect();
    assert!(left.is_empty(), "a failed backup leaves nothing: {left:?}");
}

/// Issue 16 (low): a refused `cadre add` or `unit add` named the id the record
/// would have had — telling a scoped user how many records the archive holds.
#[test]
fn a_refused_creation_does_not_reveal_the_next_id() {
    let s = scoped();
    let path = s.f.path();
    let next_cadre = s.f.archive.cadres(None, None).expect("cadres").iter().map(|c| c.id).max().unwrap_or(0) + 1;
    let next_unit = s.f.archive.units().expect("units").iter().map(|u| u.id).max().unwrap_or(0) + 1;
    let mut a = sign_in(&path, "clerk", CLERK_PW);
    let err = a.create_cadre(cadre_input(s.c), None).expect_err("outside");
    assert_eq!(code(&err), "forbidden");
    assert!(!err.to_string().contains(&format!(" {next_cadre} ")), "{err}");
    let unit = UnitInput {
        parent_id: Some(s.c),
        code: "C9".into(),
        name: "新科室".into(),
        kind: UnitKind::Office,
        sort_order: 0,
    };
    let err = a.create_unit(unit).expect_err("outside");
    assert_eq!(code(&err), "forbidden");
    assert!(!err.to_string().contains(&format!(" {next_unit} ")), "{err}");
}

/// Issue 16.4: key-file writes raced between processes — of 20 parallel wrong
/// sign-ins 14 were kept, `user add` beside them failed 5 times in 15 (`.keys:
/// No such file or directory`) and left orphan slots. Every read-modify-write of
/// the key file now holds a lock across processes.
#[test]
fn parallel_processes_keep_every_key_file_change() {
    let f = fixture();
    let path = f.path();
    drop(f.archive);
    let db = path.to_str().expect("path").to_owned();
    let cli = |user: &str, pw: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .env("GANSHI_PASSWORD", pw)
            .env("GANSHI_NEW_PASSWORD", CLERK_PW)
            .args(["--db", &db, "--user", user])
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn ganshi")
    };
    // Each guesser a different name (no back-off to wait for), and user additions in between.
    let mut children: Vec<std::process::Child> = Vec::new();
    for n in 0..12 {
        children.push(cli(&format!("guess{n}"), "wrong-password-1", &["cadre", "list"]));
        if n % 3 == 0 {
            let name = format!("clerk{n}");
            children.push(cli("admin", PASSWORD, &["user", "add", &name, "--role", "档案管理员", "--all-units"]));
        }
    }
    let outcomes: Vec<bool> = children.into_iter().map(|mut c| c.wait().expect("wait").success()).collect();
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 4, "every user add succeeded, every guess failed");
    let keys = KeyFile::load(&keys::sidecar(&path)).expect("load").expect("present");
    for n in [0, 3, 6, 9] {
        assert!(keys.has_slot(&format!("clerk{n}")), "clerk{n} has its slot");
    }
    // Failures may already have been moved to the audit trail by an admin's sign-in: count both.
    let a = reopen(&path);
    let logged = a
        .audit_entries(&ganshi::archive::audit::AuditFilter {
            action: Some("登录失败".into()), ..Default::default()
        })
        .expect("audit");
    let mut guessers: Vec<String> = logged.iter().map(|e| e.actor.clone()).collect();
    guessers.sort();
    guessers.dedup();
    assert_eq!(guessers.len(), 12, "every wrong sign-in is remembered: {guessers:?}");
    let added = a
        .audit_entries(&ganshi::archive::audit::AuditFilter {
            action: Some("新增用户".into()), ..Default::default()
        })
        .expect("audit");
    assert_eq!(
        added.iter().filter(|e| e.object.starts_with("user#clerk")).count(),
        4,
        "each slot change has its audit entry"
    );
    let leftovers: Vec<String> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
