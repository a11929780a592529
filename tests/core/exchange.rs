//! 数据交换 between sites (issue 19), as far as it is built: site identities,
//! identity cards trusted or revoked, and the package file checked for sender,
//! recipient, signature, integrity and sequence before anything is used.

use ganshi::exchange::{Partner, SiteCard};
use ganshi::{Archive, Clock};

use crate::support::*;

struct Site {
    _dir: tempfile::TempDir,
    archive: Archive,
    card: SiteCard,
}

fn site(code: &str, name: &str) -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let (mut archive, _) = Archive::create_encrypted(&dir.path().join("a.db"), PASSWORD).expect("create");
    archive.set_clock(Clock::fixed("2026-11-30"));
    let card = archive.site_identity(Some(code), Some(name)).expect("identity");
    Site { _dir: dir, archive, card }
}

fn refused(r: ganshi::Result<ganshi::exchange::Opened>, says: &str) {
    match r {
        Err(e) => {
            let text = e.to_string();
            assert!(text.starts_with("包.gsx："), "the file is named: {text}");
            assert!(text.contains(says), "expected 「{says}」 in: {text}");
        }
        Ok(o) => panic!("expected a refusal ({says}), opened {:?}", o.manifest),
    }
}

#[test]
fn packages_open_only_from_a_trusted_sender_to_this_site_unchanged_and_in_order() {
    let mut city = site("130100", "燕州市委组织部");
    let mut east = site("130102", "东城区委组织部");
    let mut west = site("130103", "西城区委组织部");
    let stranger = site("130104", "南城区委组织部");
    // The card as a file: what travels, checked again when read.
    let text = serde_json::to_string_pretty(&east.card).expect("json");
    let card = SiteCard::parse(&text, "east.json").expect("east card");
    let p: Partner = city.archive.trust_partner(&card, Some(1)).err().map_or_else(
        || panic!("unit 1 does not exist in an empty archive"),
        |e| {
            assert!(e.to_string().contains("单位 1 不存在"), "{e}");
            city.archive.trust_partner(&card, None).expect("trust east")
        },
    );
    assert_eq!((p.code.as_str(), p.fingerprint.as_str(), p.sent_seq), ("130102", east.card.fingerprint.as_str(), 0));
    city.archive.trust_partner(&west.card, None).expect("trust west");
    east.archive.trust_partner(&city.card, None).expect("east trusts the city");
    west.archive.trust_partner(&city.card, None).expect("west trusts the city");
    stranger.card.keys().expect("a valid card, never trusted by the city");

    // In order: the first package is complete and carries its manifest and body.
    let (one, _) = east.archive.export_package("130100").expect("package 1");
    let (two, _) = east.archive.export_package("130100").expect("package 2");
    let opened = city.archive.open_package(&one, "包.gsx").expect("open 1");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        // The fuzzer's seeds (fuzz/fuzz_targets/exchange_package.rs): a package, its
        // opened contents (manifest, changeset, audit entries) and a card.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exchange");
        std::fs::write(dir.join("east-to-city-1.gsx"), &one).expect("write");
        let contents = ganshi::exchange::package::contents(&opened.manifest, &opened.parts, &opened.audit);
        std::fs::write(dir.join("east-to-city-1.contents"), contents.expect("contents")).expect("write");
        std::fs::write(dir.join("east.card.json"), &text).expect("write");
    }
    assert!(opened.manifest.audit.is_some() && !opened.audit.is_empty(), "the county's trail travels with it");
    assert_eq!((opened.manifest.seq, opened.manifest.complete), (1, true));
    assert_eq!(opened.manifest.sender_name, "东城区委组织部");
    assert!(!opened.replay);

    // A gap: the second before the first has been applied names the missing one.
    let (three, _) = east.archive.export_package("130100").expect("package 3");
    refused(city.archive.open_package(&three, "包.gsx"), "缺少第 1–2 号");
    // Once the first is applied, it opens again as a replay (importing it changes
    // nothing), and the second is next.
    city.archive.with_tx(|tx| Archive::mark_received(tx, "130102", 1)).expect("applied");
    assert!(city.archive.open_package(&one, "包.gsx").expect("again").replay);
    let next = city.archive.open_package(&two, "包.gsx").expect("open 2");
    assert_eq!((next.manifest.seq, next.manifest.complete, next.replay), (2, false, false));
    refused(city.archive.open_package(&three, "包.gsx"), "缺少第 2 号");

    // One byte changed anywhere: refused (the header, the ciphertext, the signature).
    for at in [20, one.len() / 2, one.len() - 1] {
        let mut bad = one.clone();
        bad[at] ^= 0x01;
        assert!(city.archive.open_package(&bad, "包.gsx").is_err(), "byte {at} changed");
    }
    let mut bad = one.clone();
    bad[one.len() / 2] ^= 0x01;
    refused(city.archive.open_package(&bad, "包.gsx"), "签名无效");

    // For another recipient: a package to the city opened at 西城区.
    refused(west.archive.open_package(&one, "包.gsx"), "不是本站");
    // From a site the city never trusted.
    let mut stranger = stranger;
    stranger.archive.trust_partner(&city.card, None).expect("the stranger trusts the city");
    let (forged, _) = stranger.archive.export_package("130100").expect("package");
    refused(city.archive.open_package(&forged, "包.gsx"), "不是已登记的交换伙伴");
    // Not a package at all.
    refused(city.archive.open_package(b"PK\x03\x04 a zip", "包.gsx"), "不是干事档案数据交换包");

    // Revoked (a lost stick): refused from then on, and nothing is sent to it.
    city.archive.revoke_partner("130103", "存储介质遗失").expect("revoke");
    let (from_west, _) = west.archive.export_package("130100").expect("package");
    refused(city.archive.open_package(&from_west, "包.gsx"), "已于");
    assert!(city.archive.export_package("130103").is_err(), "nothing is sent to a revoked partner");
    assert!(city.archive.revoke_partner("130103", " ").is_err(), "a revocation needs its reason");

    // A second card for a known code is refused until the first is revoked.
    let impostor = site("130102", "东城区委组织部");
    let e = city.archive.trust_partner(&impostor.card, None).expect_err("another card for 130102");
    assert!(e.to_string().contains("另一张身份卡"), "{e}");

    // The identity, once set, stays; a site cannot trust itself.
    assert!(east.archive.site_identity(Some("130199"), None).is_err());
    assert_eq!(east.archive.site_identity(None, None).expect("card"), east.card);
    assert!(east.archive.trust_partner(&east.card, None).is_err());
    // Every step is in each site's audit trail, which still verifies.
    for s in [&city, &east] {
        assert!(s.archive.verify_audit().expect("verify").ok);
    }
    let actions: Vec<String> =
        city.archive.audit_entries(&Default::default()).expect("audit").into_iter().map(|e| e.action).collect();
    for a in ["设置本站标识", "登记交换伙伴", "撤销交换伙伴"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[test]
fn only_the_administrator_sets_the_identity_and_trusts_partners() {
    use crate::security::{CLERK_PW, scoped, sign_in};
    let s = scoped();
    let mut clerk = sign_in(&s.f.path(), "clerk", CLERK_PW);
    let e = clerk.site_identity(Some("130102"), Some("东城区")).expect_err("a clerk");
    assert_eq!(e.code(), "forbidden");
    let other = site("130100", "燕州市委组织部");
    assert_eq!(clerk.trust_partner(&other.card, None).expect_err("a clerk").code(), "forbidden");
}

/// The CLI forms of issue 19: `exchange identity --code --name --out`, `exchange
/// trust CARD --unit`, `exchange partners --json`.
#[test]
fn the_cli_writes_a_card_and_registers_a_partner_with_its_unit() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |db: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"))
            .env("GANSHI_PASSWORD", PASSWORD)
            .arg("--db")
            .arg(dir.path().join(db))
            .args(args)
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run("city.db", &["init"]);
    run("county.db", &["init"]);
    run("city.db", &["unit", "add", "--data", r#"{"parentId":null,"code":"1301","name":"燕州市","kind":"市"}"#]);
    run("city.db", &["unit", "add", "--data", r#"{"parentId":1,"code":"130102","name":"东城区","kind":"县(市、区)"}"#]);
    let card = dir.path().join("east.json");
    let said = run(
        "county.db",
        &["exchange", "identity", "--code", "130102", "--name", "东城区委组织部", "--out", card.to_str().expect("p")],
    );
    assert!(said.contains("指纹"), "{said}");
    run("city.db", &["exchange", "identity", "--code", "130100", "--name", "燕州市委组织部"]);
    // The identity moved the city's units into its id range: find 东城区 by name.
    let units: serde_json::Value = serde_json::from_str(&run("city.db", &["unit", "list", "--json"])).expect("units");
    let east = units.as_array().expect("array").iter().find(|u| u["name"] == "东城区").expect("东城区")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(east, ganshi::archive::ids::base_of(130100) + 2);
    run("city.db", &["exchange", "trust", card.to_str().expect("p"), "--unit", &east.to_string()]);
    let partners: serde_json::Value =
        serde_json::from_str(&run("city.db", &["exchange", "partners", "--json"])).expect("json");
    assert_eq!(partners[0]["code"], "130102");
    assert_eq!(partners[0]["unitId"], east);
    let card: SiteCard = serde_json::from_str(&std::fs::read_to_string(&card).expect("card")).expect("card json");
    assert_eq!(partners[0]["fingerprint"], card.fingerprint);
}

/// Issue 19: giving an archive its site identity moves every record into the
/// site's id range (行政区划代码 × 2³²): the assessment of every cadre is the same
/// afterwards, history, search and the audit trail still find each record, the
/// chain verifies, and new records take the next id of the range.
#[test]
fn the_site_identity_moves_every_record_into_the_sites_id_range() {
    use ganshi::archive::ids;
    use ganshi::assessment::AssessRequest;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("a.db");
    let (mut a, _) = Archive::create_encrypted(&path, PASSWORD).expect("create");
    ganshi::demo::generate(&mut a, 40, 5).expect("demo");
    a.set_clock(Clock::fixed("2026-11-30"));
    let request = AssessRequest { year: 2025, unit_id: None, cadre_id: None, as_of: None };
    let before = a.assess(&request).expect("assess");
    let cadre = before.cadres[0].cadre_id;
    let history = a.history("cadre", cadre).expect("history").len();
    let name = a.cadre(cadre).expect("cadre").fields.name;
    let audit_about = a
        .audit_entries(&ganshi::archive::audit::AuditFilter { cadre_id: Some(cadre), ..Default::default() })
        .expect("audit")
        .len();
    let tables = ["unit", "cadre", "initiative", "plan_rating", "tracking", "revision", "review", "evidence"];
    let count = |a: &Archive, t: &str| -> i64 {
        a.conn().query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).expect("count")
    };
    let counts: Vec<i64> = tables.iter().map(|t| count(&a, t)).collect();

    a.site_identity(Some("130102"), Some("东城区委组织部")).expect("identity");
    let base = ids::base_of(130102);
    assert_eq!(tables.iter().map(|t| count(&a, t)).collect::<Vec<_>>(), counts, "no row lost or added");
    for t in tables {
        let outside: i64 = a
            .conn()
            .query_row(
                &format!("SELECT count(*) FROM {t} WHERE id < ?1 OR id >= ?2"),
                [base, base + ids::SITE_SPAN],
                |r| r.get(0),
            )
            .expect("range");
        assert_eq!(outside, 0, "{t}: every id is in the site's range");
    }
    let after = a.assess(&request).expect("assess");
    assert_eq!(after.cadres.len(), before.cadres.len());
    for (b, n) in before.cadres.iter().zip(&after.cadres) {
        assert_eq!(n.cadre_id, b.cadre_id + base);
        assert_eq!((n.composite.value, n.suggested.grade), (b.composite.value, b.suggested.grade), "{}", b.name);
    }
    let moved = cadre + base;
    assert_eq!(a.history("cadre", moved).expect("history").len(), history, "the history follows the record");
    let hits = a.search(&name, 10).expect("search");
    assert!(hits.cadres.iter().any(|h| h.id == moved), "search finds the new id");
    let entries = a
        .audit_entries(&ganshi::archive::audit::AuditFilter { cadre_id: Some(moved), ..Default::default() })
        .expect("audit");
    assert_eq!(entries.len(), audit_about, "the audit entries about the cadre are found by its new id");
    assert!(entries.iter().any(|e| e.cadre_id == Some(moved)), "and name it by its new id");
    assert!(entries.iter().all(|e| e.cadre_id.is_none_or(|c| c >= base)), "every entry names records by new ids");
    assert!(
        entries
            .iter()
            .all(|e| !e.object.starts_with("cadre#") || e.object[6..].parse::<i64>().is_ok_and(|n| n >= base))
    );
    assert!(a.verify_audit().expect("verify").ok, "the chain and the seals verify");
    let new = a.create_cadre(cadre_input(a.cadre(moved).expect("cadre").fields.unit_id), None).expect("new").id;
    let max_before = before.cadres.iter().map(|c| c.cadre_id).max().unwrap_or(0);
    assert!(new > base + max_before && new < base + ids::SITE_SPAN, "a new record takes the next id of the range");
    drop(a);
    let reopened = reopen(&path);
    assert!(reopened.verify_audit().expect("verify").ok);
}

fn east_unit_id(city: &Site) -> i64 {
    city.archive.units().expect("units").into_iter().find(|u| u.fields.name == "东城区").expect("东城区").id
}

/// The city's site with its unit 燕州市 (the one the counties' trees hang under).
fn city() -> (Site, i64) {
    let mut city = site("130100", "燕州市委组织部");
    let root = city.archive.create_unit(city_unit()).expect("city unit").id;
    (city, root)
}

/// One county's archive: its own unit tree (东城区 at the top) and a cadre
/// leading an item in 谋事, then its site identity.
fn county(code: &str, name: &str, unit: &str) -> (Site, i64, i64) {
    use ganshi::enums::UnitKind;
    use ganshi::records::units::UnitInput;
    let dir = tempfile::tempdir().expect("dir");
    let (mut a, _) = Archive::create_encrypted(&dir.path().join("a.db"), PASSWORD).expect("create");
    a.set_clock(Clock::fixed("2026-11-30"));
    let u = a
        .create_unit(UnitInput {
            parent_id: None,
            code: code.into(),
            name: unit.into(),
            kind: UnitKind::County,
            sort_order: 0,
        })
        .expect("unit")
        .id;
    let mut c = cadre_input(u);
    c.name = format!("{unit}干部");
    c.id_number = None;
    let cadre = a.create_cadre(c, Some("2022-01-01")).expect("cadre").id;
    let mut i = initiative_input(cadre);
    i.title = format!("{unit}冷链物流项目");
    let item = a.create_initiative(i).expect("initiative").id;
    a.save_plan(item, complete_plan(u), "").expect("plan");
    let card = a.site_identity(Some(code), Some(name)).expect("identity");
    let base = ganshi::archive::ids::base_of(code.parse().expect("code"));
    (Site { _dir: dir, archive: a, card }, cadre + base, item + base)
}

/// Issue 19's scenario on real archives: two counties and the city. The
/// counties' first packages bring their cadres to the city, under the city's
/// tree; the city rates a county's 谋事 and writes a 批示, which reach the county
/// in the city's package; the county's later edit reaches the city; both sides
/// then hold the same records. A package applied twice changes nothing; a
/// row of the county's edited at the city loses to the county's version, which
/// is kept and reported.
#[test]
fn two_counties_and_the_city_exchange_packages_both_ways() {
    use ganshi::enums::RaterRole;
    use ganshi::records::reviews::{ReviewInput, ReviewTarget};
    let (mut city, root) = city();
    let (mut east, east_cadre, east_item) = county("130102", "东城区委组织部", "东城区");
    let (mut west, west_cadre, _) = county("130103", "西城区委组织部", "西城区");
    city.archive.trust_partner(&east.card, Some(root)).expect("trust east");
    city.archive.trust_partner(&west.card, Some(root)).expect("trust west");
    east.archive.trust_partner(&city.card, None).expect("east trusts the city");
    west.archive.trust_partner(&city.card, None).expect("west trusts the city");

    // First packages: complete; at the city the counties' trees hang under 燕州市.
    let (p1, m1) = east.archive.export_package("130100").expect("east 1");
    assert!(m1.complete && m1.counts.iter().any(|k| k.kind == "cadre" && k.inserted == 1), "{:?}", m1.counts);
    let outbox = |a: &Archive| -> i64 {
        a.conn().query_row("SELECT count(*) FROM exchange_outbox", [], |r| r.get(0)).expect("outbox")
    };
    let before = outbox(&city.archive);
    let r = city.archive.import_package(&p1, "东城区-1.gsx", false).expect("import east 1");
    assert_eq!(outbox(&city.archive), before, "another site's package is not kept to be sent on");
    assert!(r.applied && r.conflicts.is_empty(), "{:?}", r.conflicts);
    let (w1, _) = west.archive.export_package("130100").expect("west 1");
    city.archive.import_package(&w1, "西城区-1.gsx", false).expect("import west 1");
    let at_city = city.archive.cadre(east_cadre).expect("the county's cadre is at the city");
    assert_eq!(at_city.fields.name, "东城区干部");
    city.archive.cadre(west_cadre).expect("and the other county's");
    let east_unit =
        city.archive.units().expect("units").into_iter().find(|u| u.fields.name == "东城区").expect("东城区");
    assert_eq!(east_unit.fields.parent_id, Some(root), "under the city's tree");
    assert!(city.archive.search("东城区干部", 5).expect("search").cadres.iter().any(|h| h.id == east_cadre));

    // The city rates the county's 谋事 and writes a 批示; they reach the county.
    let mut rating = rating(RaterRole::OrgDept);
    rating.rater_name = "市委组织部干部考核科".into();
    let rated = city.archive.rate_plan(east_item, rating, "").expect("city rates").id;
    assert_eq!(ganshi::archive::ids::site_of(rated), 130100, "the rating is the city's");
    city.archive
        .add_review(ReviewInput {
            target_kind: ReviewTarget::Cadre,
            cadre_ids: vec![east_cadre],
            parent_id: None,
            text: "请东城区结合年度考核提出使用建议。".into(),
            signed_off: false,
        })
        .expect("批示");
    // The city's 考核委员会 decides the county cadre's grade, then corrects it:
    // the decision reaches the county with its history.
    let decide = |grade| ganshi::records::final_grades::FinalGradeInput {
        cadre_id: east_cadre,
        year: 2026,
        grade,
        reason: "市委考核委员会决定".into(),
        decided_by: "燕州市委考核委员会".into(),
        decided_on: "2026-11-30".into(),
    };
    city.archive.record_final_grade(decide(ganshi::enums::Grade::Competent)).expect("decided");
    let graded = city.archive.record_final_grade(decide(ganshi::enums::Grade::Basic)).expect("corrected").id;
    let (c1, cm) = city.archive.export_package("130102").expect("city to east");
    assert!(cm.counts.iter().any(|k| k.kind == "plan_rating" && k.inserted == 1), "{:?}", cm.counts);
    assert!(cm.counts.iter().all(|k| k.kind != "cadre"), "the county's own records do not go back: {:?}", cm.counts);
    let r = east.archive.import_package(&c1, "市-1.gsx", false).expect("east imports the city's");
    assert!(r.applied);
    let ratings = ganshi::records::plans::ratings(east.archive.conn(), east_item).expect("ratings");
    assert!(ratings.iter().any(|x| x.id == rated), "the city's rating is at the county");
    let history = ganshi::archive::revision::history(east.archive.conn(), "final_grade", graded).expect("history");
    let revs: Vec<(i64, String)> = history.iter().map(|r| (r.rev, r.actor.clone())).collect();
    assert_eq!(revs.len(), 2, "the city's decision arrives with both versions: {revs:?}");
    let (wc, wm) = city.archive.export_package("130103").expect("city to west");
    assert!(wm.counts.is_empty(), "nothing of the city concerns 西城区 yet: {:?}", wm.counts);
    west.archive.import_package(&wc, "市-1.gsx", false).expect("west imports an empty package");

    // The county edits; the change reaches the city. The city had edited the
    // same cadre meanwhile: the county's version wins, the city's is kept.
    let mut edit = east.archive.cadre(east_cadre).expect("cadre").fields;
    edit.post = "副区长".into();
    let mut theirs = edit.clone();
    east.archive.update_cadre(east_cadre, edit, "职务调整").expect("county edits");
    theirs.post = "区长".into();
    // The city may not change the county's records — every path is refused …
    let e = city.archive.update_cadre(east_cadre, theirs.clone(), "市里改动").expect_err("owned by the county");
    assert!(e.to_string().contains("由其他站点维护"), "{e}");
    let e = city.archive.save_plan(east_item, complete_plan(east_unit_id(&city)), "").expect_err("the county's plan");
    assert!(e.to_string().contains("由其他站点维护"), "{e}");
    // … so the conflict comes from an edit that went round the rule (as a copy of
    // the program without it would have made): the owner's version must win.
    ganshi::archive::ids::applying(city.archive.conn(), true).expect("bypass");
    city.archive.update_cadre(east_cadre, theirs, "市里改动").expect("an edit round the rule");
    ganshi::archive::ids::applying(city.archive.conn(), false).expect("bypass off");
    assert!(outbox(&east.archive) > 0, "the county's edit is kept for its next package");
    let (p2, m2) = east.archive.export_package("130100").expect("east 2");
    assert_eq!(outbox(&east.archive), 0, "sent to the only site above, the outbox is emptied");
    // 核对 (a dry run) foresees the conflict and writes nothing.
    let audit = city.archive.audit_entries(&Default::default()).expect("audit").len();
    let preview = city.archive.import_package(&p2, "东城区-2.gsx", true).expect("dry run");
    assert!(!preview.applied && preview.conflicts.iter().any(|c| c.table == "cadre"), "{:?}", preview.conflicts);
    assert_eq!(city.archive.cadre(east_cadre).expect("cadre").fields.post, "区长", "nothing written");
    assert_eq!(city.archive.audit_entries(&Default::default()).expect("audit").len(), audit);
    assert!(!m2.complete);
    assert!(m2.counts.iter().any(|k| k.kind == "cadre" && k.updated == 1), "{:?}", m2.counts);
    let r = city.archive.import_package(&p2, "东城区-2.gsx", false).expect("import east 2");
    let c = r.conflicts.iter().find(|c| c.table == "cadre").expect("the cadre's conflict");
    assert_eq!((c.table.as_str(), c.kind.as_str(), c.resolution.as_str()), ("cadre", "本地已改动", "以发送方为准"));
    assert_eq!(c.kept["post"], "区长", "the losing version is kept");
    assert_eq!(city.archive.cadre(east_cadre).expect("cadre").fields.post, "副区长", "the owner wins");
    let kept: i64 =
        city.archive.conn().query_row("SELECT count(*) FROM exchange_conflict", [], |r| r.get(0)).expect("kept");
    assert_eq!(kept, r.conflicts.len() as i64);

    // Both sides hold the same record.
    assert_eq!(
        city.archive.cadre(east_cadre).expect("city").fields,
        east.archive.cadre(east_cadre).expect("east").fields
    );

    // The same package again changes nothing.
    let before = city.archive.audit_entries(&Default::default()).expect("audit").len();
    let again = city.archive.import_package(&p2, "东城区-2.gsx", false).expect("again");
    assert!(again.replay && !again.applied);
    assert_eq!(city.archive.audit_entries(&Default::default()).expect("audit").len(), before);

    for s in [&city, &east, &west] {
        assert!(s.archive.verify_audit().expect("verify").ok, "{}", s.card.name);
    }

    // The city keeps each county's audit chain as the packages brought it,
    // entry for entry, and verifies it.
    let report = city.archive.verify_audit().expect("verify");
    let chains: Vec<(&str, bool)> = report.sites.iter().map(|c| (c.code.as_str(), c.ok)).collect();
    assert_eq!(chains, [("130102", true), ("130103", true)]);
    let all = |site: Option<&str>| ganshi::archive::audit::AuditFilter {
        site: site.map(str::to_owned),
        limit: Some(10_000),
        ..Default::default()
    };
    let kept = city.archive.audit_entries(&all(Some("130102"))).expect("east's chain at the city");
    assert_eq!(kept.len() as i64, report.sites[0].entries);
    let own = east.archive.audit_entries(&all(None)).expect("east's own");
    for e in &kept {
        let mine = own.iter().find(|o| o.id == e.id).expect("the same entry at the county");
        assert_eq!((&mine.hash, &mine.object, &mine.cadre_id), (&e.hash, &e.object, &e.cadre_id));
    }
    assert!(kept.iter().any(|e| e.action == "导出交换包"), "up to the export before the last package");
    // An entry of the county's changed at the city breaks that chain.
    city.archive
        .conn()
        .execute_batch(
            "DROP TRIGGER site_audit_no_update;
             UPDATE site_audit SET actor = '他人' WHERE site = '130102' AND id = 2;",
        )
        .expect("tamper");
    let report = city.archive.verify_audit().expect("verify");
    assert!(!report.ok);
    let east_chain = &report.sites[0];
    assert!(!east_chain.ok && east_chain.problem.as_deref().unwrap_or("").contains("条目 2"), "{east_chain:?}");
}

/// A package lost on the way is written again exactly as it was, until the
/// partner acknowledges it (each package carries the last one its sender
/// applied); the recipient names the missing one and says how to get it. A
/// county whose audit trail no longer continues what the city keeps (restored
/// from an old backup) is refused.
#[test]
fn a_lost_package_is_written_again_until_the_partner_acknowledges_it() {
    let (mut city, root) = city();
    let (mut east, cadre, _) = county("130102", "东城区委组织部", "东城区");
    city.archive.trust_partner(&east.card, Some(root)).expect("trust east");
    east.archive.trust_partner(&city.card, None).expect("trust the city");
    let unacknowledged = |a: &Archive, code: &str| -> (u64, Vec<u64>) {
        let p = a.partners().expect("partners").into_iter().find(|p| p.code == code).expect("partner");
        (p.acked_seq, p.unacknowledged)
    };
    let post = |a: &mut Archive, post: &str| {
        let mut f = a.cadre(cadre).expect("cadre").fields;
        f.post = post.into();
        a.update_cadre(cadre, f, "职务调整").expect("edit");
    };

    let (p1, _) = east.archive.export_package("130100").expect("east 1");
    city.archive.import_package(&p1, "东城区-1.gsx", false).expect("import 1");
    post(&mut east.archive, "副区长");
    let (p2, _) = east.archive.export_package("130100").expect("east 2: lost on the way");
    post(&mut east.archive, "区长");
    let (p3, _) = east.archive.export_package("130100").expect("east 3");
    let e = city.archive.import_package(&p3, "东城区-3.gsx", false).expect_err("2 is missing");
    let text = e.to_string();
    assert!(text.contains("缺少第 2 号") && text.contains("重新导出"), "{text}");
    assert_eq!(unacknowledged(&east.archive, "130100"), (0, vec![1, 2, 3]), "nothing acknowledged yet");

    // The county writes package 2 again: the same bytes.
    let stick = tempfile::tempdir().expect("stick");
    let again = east.archive.resend_package_to("130100", 2, stick.path()).expect("resend");
    assert!(again.path.ends_with("东城区委组织部至燕州市委组织部-第2号.gsx"), "{}", again.path);
    let bytes = std::fs::read(&again.path).expect("read");
    assert_eq!(bytes, p2, "written again exactly as it was");
    assert_eq!(again.manifest.seq, 2);
    city.archive.import_package(&bytes, "东城区-2.gsx", false).expect("import 2");
    let r3 = city.archive.import_package(&p3, "东城区-3.gsx", false).expect("import 3");
    // (A later outbox entry once took the number of one sent and deleted, and was never sent.)
    assert!(r3.counts.iter().any(|k| k.kind == "cadre" && k.updated == 1), "{:?}", r3.counts);
    assert_eq!(city.archive.cadre(cadre).expect("cadre").fields.post, "区长");
    let e = east.archive.resend_package_to("130100", 9, stick.path()).expect_err("never sent");
    assert!(e.to_string().contains("尚未"), "{e}");

    // The city's next package acknowledges 1–3: the county drops its copies.
    let (c1, cm) = city.archive.export_package("130102").expect("city 1");
    assert_eq!(cm.acknowledged, 3);
    east.archive.import_package(&c1, "市-1.gsx", false).expect("east imports");
    assert_eq!(unacknowledged(&east.archive, "130100"), (3, vec![]));
    let e = east.archive.resend_package_to("130100", 2, stick.path()).expect_err("acknowledged");
    assert!(e.to_string().contains("已确认导入第 2 号"), "{e}");
    assert_eq!(unacknowledged(&city.archive, "130102"), (0, vec![1]), "the city keeps its own until acknowledged");
    let (p4, _) = east.archive.export_package("130100").expect("east 4");
    city.archive.import_package(&p4, "东城区-4.gsx", false).expect("import 4");
    assert_eq!(unacknowledged(&city.archive, "130102"), (1, vec![]));
    assert!(city.archive.verify_audit().expect("verify").sites.iter().all(|c| c.ok));

    // The county's trail, as if restored from an old backup, no longer continues
    // the chain the city keeps: its next package is refused, nothing written.
    east.archive.conn().execute("UPDATE site_partner SET audit_sent = 0", []).expect("rewind");
    post(&mut east.archive, "区委常委");
    let (p5, _) = east.archive.export_package("130100").expect("east 5");
    let e = city.archive.import_package(&p5, "东城区-5.gsx", false).expect_err("the chain does not continue");
    assert!(e.to_string().contains("应从第") && e.to_string().contains("接续"), "{e}");
    assert_eq!(city.archive.cadre(cadre).expect("cadre").fields.post, "区长", "nothing written");
}

/// The CLI forms `exchange export --to --out` and `exchange import FILE
/// [--dry-run] [--json]` on a county made by the demo; an import killed with
/// SIGKILL at any moment leaves the city as it was (nothing half-applied), and
/// the next import works; the same package again changes nothing.
#[test]
fn a_package_import_killed_midway_leaves_nothing_and_the_next_one_works() {
    let dir = tempfile::tempdir().expect("dir");
    let db = |name: &str| dir.path().join(name);
    let command = |name: &str, args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_ganshi"));
        c.env("GANSHI_PASSWORD", PASSWORD).arg("--db").arg(db(name)).args(args);
        c
    };
    let run = |name: &str, args: &[&str]| {
        let out = command(name, args).output().expect("run");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let json = |text: String| -> serde_json::Value { serde_json::from_str(&text).expect("json") };
    run("county.db", &["init"]);
    run("county.db", &["demo", "--cadres", "150", "--seed", "4"]);
    let county_card = db("county.json");
    run(
        "county.db",
        &[
            "exchange",
            "identity",
            "--code",
            "130102",
            "--name",
            "东城区委组织部",
            "--out",
            county_card.to_str().expect("p"),
        ],
    );
    run("city.db", &["init"]);
    run(
        "city.db",
        &["unit", "add", "--data", r#"{"parentId":null,"code":"1399","name":"燕州市（市本级）","kind":"市"}"#],
    );
    let city_card = db("city.json");
    run(
        "city.db",
        &[
            "exchange",
            "identity",
            "--code",
            "130100",
            "--name",
            "燕州市委组织部",
            "--out",
            city_card.to_str().expect("p"),
        ],
    );
    let root = json(run("city.db", &["unit", "list", "--json"]))[0]["id"].as_i64().expect("root");
    run("city.db", &["exchange", "trust", county_card.to_str().expect("p"), "--unit", &root.to_string()]);
    run("county.db", &["exchange", "trust", city_card.to_str().expect("p")]);
    let package = db("东城区-1.gsx");
    let said = run("county.db", &["exchange", "export", "--to", "130100", "--out", package.to_str().expect("p")]);
    assert!(said.contains("第 1 号交换包（完整）") && said.contains("干部：新增 150"), "{said}");
    let e = command("county.db", &["exchange", "export", "--to", "130100", "--out", package.to_str().expect("p")])
        .output()
        .expect("run");
    assert!(!e.status.success(), "an existing package is never overwritten");
    let preview = json(run("city.db", &["exchange", "import", package.to_str().expect("p"), "--dry-run", "--json"]));
    assert_eq!((preview["applied"].as_bool(), preview["seq"].as_i64()), (Some(false), Some(1)));
    let cadres = |name: &str| json(run(name, &["cadre", "list", "--json"])).as_array().map_or(0, Vec::len);
    assert_eq!(cadres("city.db"), 0, "a dry run writes nothing");

    // Kill the import at growing delays until one finishes; each killed one left nothing.
    let mut finished = false;
    for delay in [150u64, 300, 400, 500, 600, 700, 850, 1000, 1500, 3000, 8000] {
        let mut child = command("city.db", &["exchange", "import", package.to_str().expect("p")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let done = child.try_wait().expect("wait").is_some();
        if !done {
            child.kill().expect("kill");
        }
        child.wait().expect("reap");
        let partners = json(run("city.db", &["exchange", "partners", "--json"]));
        let received = partners[0]["receivedSeq"].as_i64().expect("seq");
        let count = cadres("city.db");
        assert!((received, count) == (0, 0) || (received, count) == (1, 150), "half applied: {received}, {count}");
        assert!(json(run("city.db", &["audit", "verify", "--json"]))["ok"].as_bool().unwrap_or(false));
        if received == 1 {
            finished = true;
            break;
        }
    }
    if !finished {
        run("city.db", &["exchange", "import", package.to_str().expect("p")]);
    }
    assert_eq!(cadres("city.db"), 150);
    let again = run("city.db", &["exchange", "import", package.to_str().expect("p")]);
    assert!(again.contains("已导入过，本次未做任何改动"), "{again}");
    // The city keeps the county's audit chain and verifies it.
    let verified = run("city.db", &["audit", "verify"]);
    assert!(verified.contains("「东城区委组织部」（130102）的审计日志") && verified.contains("校验通过"), "{verified}");
    let kept = json(run("city.db", &["audit", "list", "--site", "130102", "--json"]));
    assert!(kept.as_array().is_some_and(|a| !a.is_empty()), "{kept}");
    // Until the city acknowledges it, the county keeps package 1 and writes it again on request.
    let partners = run("county.db", &["exchange", "partners"]);
    assert!(partners.contains("留存待确认：第 1 号"), "{partners}");
    let copy = db("东城区-1-重发.gsx");
    run("county.db", &["exchange", "resend", "--to", "130100", "--seq", "1", "--out", copy.to_str().expect("p")]);
    assert_eq!(std::fs::read(&copy).expect("copy"), std::fs::read(&package).expect("package"));
}

/// An archive read from a site's interchange document keeps the site's ids:
/// its records stay editable there (no identity, nothing refused), and it
/// cannot take an identity of its own (its records are numbered already).
#[test]
fn an_archive_read_from_a_sites_document_keeps_its_ids_and_stays_editable() {
    let (mut east, cadre, _) = county("130102", "东城区委组织部", "东城区");
    let text = east.archive.export_json().expect("export");
    let dir = tempfile::tempdir().expect("dir");
    let (mut copy, _) = Archive::create_encrypted(&dir.path().join("copy.db"), PASSWORD).expect("create");
    copy.import_json(&text).expect("import");
    let mut fields = copy.cadre(cadre).expect("the same id").fields;
    fields.post = "区长".into();
    copy.update_cadre(cadre, fields, "调整").expect("editable without an identity");
    let e = copy.site_identity(Some("130103"), Some("西城区委组织部")).expect_err("numbered already");
    assert!(e.to_string().contains("已按另一站点编号"), "{e}");
    let _ = &mut east;
}
