//! What a scoped reader sees of an item shared with a cadre outside the scope
//! (issue 16, high 1, reading side; docs/security.md 「共同参与的事项」): the
//! whole item, as part of the in-scope cadre's dossier, and of the cadres outside
//! the scope their names and roles only — the same in the dossier, the
//! initiative view, lists, search, attachments and the command line.

use ganshi::enums::*;
use ganshi::records::initiatives::{InitiativeFilter, Participant};
use ganshi::records::pages::PageRequest;

use crate::security::{CLERK_PW, cli, forbidden, json, scoped, sign_in};
use crate::support::*;

#[test]
fn a_shared_item_led_outside_the_scope_reads_the_same_everywhere() {
    let mut s = scoped();
    let path = s.f.path();
    // Led by the cadre outside (李四), with the cadre inside taking part.
    let mut input = initiative_input(s.outside);
    input.title = "两区共建产业园".into();
    input.participants.push(Participant { cadre_id: s.inside, role: ParticipantRole::Member });
    let item = s.f.archive.create_initiative(input).expect("admin creates it").id;
    s.f.archive.save_plan(item, complete_plan(s.c), "").expect("plan");
    let evidence = s.f.archive.add_evidence(OwnerKind::Initiative, item, "纪要.txt", b"notes").expect("evidence").id;
    // A 容错 case filed for the lead about the item decides it for the member too.
    let case = s.f.archive.add_tolerance_case(crate::assessment::tolerance(s.outside, item)).expect("case").id;

    let a = sign_in(&path, "clerk", CLERK_PW);
    let today = "2025-06-30";
    let dossier = a.dossier(s.inside, today).expect("dossier of the cadre in scope");
    let in_dossier = dossier.initiatives.iter().find(|v| v.record.initiative.id == item).expect("the item is in it");
    let view = a.initiative_view(item, today).expect("the initiative view of an item the cadre in scope is part of");
    assert_eq!(&view, in_dossier, "the dossier and the initiative view show the same");
    let names: Vec<(Option<i64>, &str)> =
        view.participant_names.iter().map(|p| (p.cadre_id, p.name.as_str())).collect();
    assert_eq!(names, vec![(None, "李四"), (Some(s.inside), "张三")], "the lead outside: name and role only");
    let ids: Vec<i64> = view.record.initiative.fields.participants.iter().map(|p| p.cadre_id).collect();
    assert_eq!(ids, vec![s.inside], "no id of a cadre outside the scope");
    let plain = a.initiative(item).expect("the initiative");
    assert_eq!(plain.fields.participants, view.record.initiative.fields.participants);
    assert_eq!(view.evidence.len(), 1);
    assert_eq!(a.evidence_content(evidence).expect("its attachment").1, b"notes");
    assert!(a.history("plan", item).is_ok() && a.readiness(item).is_ok());
    // History shows the records without the id of a cadre outside the scope.
    let history = a.history("initiative", item).expect("history of the item");
    for r in &history {
        let ids: Vec<i64> = r.data["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .filter_map(|p| p["cadreId"].as_i64())
            .collect();
        assert_eq!(ids, vec![s.inside], "{}", r.data);
    }
    let case_history = a.history("tolerance_case", case).expect("the case that decides the item for the member");
    assert!(case_history.iter().all(|r| r.data["cadreId"].is_null()), "filed for the lead: no id");
    // A change is refused naming the cadre outside by name, never by id.
    let mut a = a;
    let refused = a.stop(item, "2025-06-01", "撤销").expect_err("a write to a shared item");
    let said = refused.to_string();
    assert!(said.contains("李四") && !said.contains(&format!("干部 {}", s.outside)), "{said}");
    let refused = a.initiative_view(s.outside_initiative, today).expect_err("hidden");
    assert!(!refused.to_string().contains(&s.outside.to_string()), "{refused}");

    // The audit trail shows the changes to the item, without the lead's id.
    let trail = a.audit_entries(&Default::default()).expect("audit");
    let about_item: Vec<_> = trail.iter().filter(|e| e.object == format!("initiative#{item}")).collect();
    assert!(!about_item.is_empty(), "the creation of the shared item is shown");
    assert!(trail.iter().all(|e| e.cadre_id != Some(s.outside)), "no id of the cadre outside");
    // Lists, their pages and search agree.
    let rows = a.initiatives(&InitiativeFilter::default()).expect("list");
    let row = rows.iter().find(|r| r.id == item).expect("listed");
    assert_eq!((row.lead_cadre_id, row.lead_name.as_str(), row.unit_name.as_deref()), (None, "李四", None));
    let page = a.initiatives_page(&InitiativeFilter::default(), PageRequest { offset: 0, limit: 50 }).expect("page");
    assert_eq!(page.rows, rows, "the page and the list agree");
    assert_eq!(page.total as usize, rows.len());
    let found = a.search("两区共建产业园", 10).expect("search");
    assert_eq!(found.initiatives.iter().map(|h| h.id).collect::<Vec<_>>(), vec![item]);
    assert!(found.cadres.is_empty(), "the lead is not found as a cadre");

    // The lead stays out of reach, and an item with no one in scope stays hidden.
    forbidden("the lead", a.cadre(s.outside));
    forbidden("the lead's dossier", a.dossier(s.outside, today));
    forbidden("the lead's 容错 cases", a.tolerance_cases(s.outside));
    forbidden("an item with no one in scope", a.initiative_view(s.outside_initiative, today));
    assert!(!rows.iter().any(|r| r.id == s.outside_initiative));
    // The administrator sees every participant with its id.
    let full = s.f.archive.initiative_view(item, today).expect("admin");
    assert!(full.participant_names.iter().all(|p| p.cadre_id.is_some()));
    drop(a);

    // The command line gives the same view.
    let (ok, out, err) = cli(&path, "clerk", CLERK_PW, &["initiative", "show", &item.to_string(), "--as-of", today]);
    assert!(ok, "{err}");
    let shown = json(&out);
    let names: Vec<(Option<i64>, String)> = shown["participantNames"]
        .as_array()
        .expect("names")
        .iter()
        .map(|p| (p["cadreId"].as_i64(), p["name"].as_str().unwrap_or_default().to_owned()))
        .collect();
    assert_eq!(names, vec![(None, "李四".to_owned()), (Some(s.inside), "张三".to_owned())]);
    let (ok, out, err) = cli(&path, "clerk", CLERK_PW, &["initiative", "list", "--json"]);
    assert!(ok, "{err}");
    assert!(json(&out).as_array().expect("rows").iter().any(|r| r["id"] == item && r["leadCadreId"].is_null()));
}
