//! An LRMX file exported from one archive and imported into another (the city
//! and a county, two offices) gives the same person, field by field; and files
//! shaped as other tools write them are read whole (issue 17).

use ganshi::enums::{Gender, Grade, ManagementLevel, UnitKind};
use ganshi::formats::import::{ImportOptions, InputFile};
use ganshi::formats::lrmx;
use ganshi::records::cadres::{PostInput, Transfer};
use ganshi::records::final_grades::FinalGradeInput;
use ganshi::records::units::UnitInput;
use ganshi::{Archive, Clock};

use crate::support::*;

fn fixture_text(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lrmx");
    std::fs::read_to_string(dir.join(name)).expect("fixture")
}

/// The same unit tree in any archive: 市财政局 with 办公室 and 综合科, and 丰河县.
fn units(archive: &mut Archive, city: i64) {
    let mut add = |parent: i64, code: &str, name: &str, kind: UnitKind| {
        archive
            .create_unit(UnitInput {
                parent_id: Some(parent),
                code: code.into(),
                name: name.into(),
                kind,
                sort_order: 0,
            })
            .expect("unit")
            .id
    };
    let finance = add(city, "1302-01", "市财政局", UnitKind::Department);
    add(finance, "1302-01-01", "办公室", UnitKind::Office);
    add(finance, "1302-01-02", "综合科", UnitKind::Office);
    add(city, "130223", "丰河县", UnitKind::County);
}

fn unit_named(archive: &Archive, name: &str) -> i64 {
    archive.units().expect("units").into_iter().find(|u| u.fields.name == name).expect(name).id
}

/// A second, empty archive with the city at the top and the same units.
fn other_archive(dir: &std::path::Path) -> Archive {
    let (mut b, _) = Archive::create_encrypted(&dir.join("county.db"), PASSWORD).expect("create");
    b.set_clock(Clock::fixed("2024-12-31"));
    b.set_actor("县委组织部");
    let city = b
        .create_unit(UnitInput {
            parent_id: None,
            code: "1302".into(),
            name: "燕州市".into(),
            kind: UnitKind::City,
            sort_order: 0,
        })
        .expect("city")
        .id;
    units(&mut b, city);
    b
}

/// What two archives must agree on about a person.
#[derive(Debug, PartialEq)]
struct Person {
    name: String,
    gender: Gender,
    birth: String,
    education: String,
    post: String,
    rank: String,
    unit: Vec<String>,
    level: ManagementLevel,
    /// (unit path, title, start, end)
    posts: Vec<(Vec<String>, String, String, Option<String>)>,
    grades: Vec<(i32, Grade)>,
    political: String,
    family: Vec<(String, String, String)>,
    eligibility: Vec<(String, bool)>,
}

fn person(archive: &Archive, id: i64) -> Person {
    let conn = archive.conn();
    let c = archive.cadre(id).expect("cadre");
    let path = |unit: i64| ganshi::records::units::path_names(conn, unit).expect("path");
    let profile = archive.profile(id).expect("profile").unwrap_or_default();
    let summary = archive.promotion_evidence(id, 2024, None).expect("promotion evidence");
    Person {
        name: c.fields.name.clone(),
        gender: c.fields.gender,
        birth: c.fields.birth.clone(),
        education: c.fields.education.clone(),
        post: c.fields.post.clone(),
        rank: c.fields.rank.clone(),
        unit: path(c.fields.unit_id),
        level: c.fields.management_level,
        posts: ganshi::records::cadres::posts(conn, id)
            .expect("posts")
            .into_iter()
            .map(|p| (path(p.fields.unit_id), p.fields.title, p.fields.start_date, p.fields.end_date))
            .collect(),
        grades: archive
            .cadre_records(id)
            .expect("records")
            .final_grades
            .iter()
            .map(|g| (g.fields.year, g.fields.grade))
            .collect(),
        political: profile.political,
        family: profile.family.into_iter().map(|m| (m.relation, m.name, m.birth)).collect(),
        eligibility: summary.eligibility.into_iter().map(|e| (e.rule, e.passed)).collect(),
    }
}

fn grade(archive: &mut Archive, cadre: i64, year: i32, grade: Grade) {
    archive
        .record_final_grade(FinalGradeInput {
            cadre_id: cadre,
            year,
            grade,
            reason: "考核委员会研究确定".into(),
            decided_by: "市委考核委员会".into(),
            decided_on: format!("{}-01-20", year + 1),
        })
        .expect("final grade");
}

fn import(archive: &mut Archive, name: &str, text: String, options: ImportOptions) -> i64 {
    let files = [InputFile { name: name.into(), bytes: text.into_bytes() }];
    let preview = archive.import_files_with(&files, options, false, &ganshi::Job::new()).expect("import");
    assert!(preview.committed, "{:?}", preview.errors);
    preview.items[0].cadre_id.expect("created")
}

/// A cadre kept in archive A (entered there, with a post history and the
/// committee's grades) is the same person in archive B after an LRMX export and
/// import: 学历, 职级, unit, 管理权限 (chosen at import: LRMX has no such element),
/// the current post and when it began, the earlier post, the grades, eligibility.
#[test]
fn a_cadre_entered_in_one_archive_is_the_same_person_in_another() {
    let mut a = fixture();
    units(&mut a.archive, a.unit);
    let (office, section) = (unit_named(&a.archive, "办公室"), unit_named(&a.archive, "综合科"));
    let mut input = cadre_input(section);
    input.post = "科长".into();
    input.rank = "正科级".into();
    input.education = "大学".into();
    input.management_level = ManagementLevel::County;
    let id = a.archive.create_cadre(input, Some("2019-06-01")).expect("cadre").id;
    a.archive
        .add_post(
            id,
            PostInput {
                unit_id: office,
                title: "副主任".into(),
                rank: "副科级".into(),
                start_date: "2015-03-01".into(),
                end_date: Some("2019-06-01".into()),
                note: String::new(),
            },
        )
        .expect("earlier post");
    grade(&mut a.archive, id, 2023, Grade::Excellent);
    grade(&mut a.archive, id, 2024, Grade::Competent);
    let exported = a.archive.export_lrmx(id).expect("export");
    assert!(exported.contains("<XianRenZhiWu>市财政局综合科科长，正科级</XianRenZhiWu>"), "{exported}");
    assert!(exported.contains("2015.03--2019.06  市财政局办公室副主任"), "{exported}");

    let dir = tempfile::tempdir().expect("dir");
    let mut b = other_archive(dir.path());
    let options = ImportOptions { unit: None, level: Some(ManagementLevel::County) };
    let in_b = import(&mut b, "exported.lrmx", exported.clone(), options);
    let (before, after) = (person(&a.archive, id), person(&b, in_b));
    assert_eq!(before, after);
    assert!(after.eligibility.iter().any(|(rule, passed)| rule.starts_with("任现职") && *passed), "{after:?}");
    // And back again: B's export is A's, byte for byte.
    assert_eq!(b.export_lrmx(in_b).expect("export from B"), exported);
}

/// A form imported into A (family, 政治面貌, 简历), the cadre then moved to a new
/// post there and graded: B gets the same person, the move included.
#[test]
fn an_imported_form_and_what_happened_since_travel_together() {
    let mut a = fixture();
    units(&mut a.archive, a.unit);
    let county = unit_named(&a.archive, "丰河县");
    let form = fixture_text("full.lrmx")
        .replace("  <RuDangShiJian>", "  <ZhengZhiMianMao>中共党员</ZhengZhiMianMao>\n  <RuDangShiJian>");
    let id = import(
        &mut a.archive,
        "周明远.lrmx",
        form,
        ImportOptions { unit: Some(county), level: Some(ManagementLevel::City) },
    );
    let finance = unit_named(&a.archive, "市财政局");
    a.archive
        .transfer_cadre(
            id,
            Transfer {
                unit_id: finance,
                title: "副局长".into(),
                rank: "副处级".into(),
                date: "2024-03-01".into(),
                note: String::new(),
            },
        )
        .expect("transfer");
    grade(&mut a.archive, id, 2024, Grade::Excellent);
    let exported = a.archive.export_lrmx(id).expect("export");
    assert!(exported.contains("2016.03--2024.03  燕州市丰河县委常委、副县长"), "the open line is closed:\n{exported}");
    assert!(exported.contains("2024.03--         市财政局副局长"), "{exported}");

    let dir = tempfile::tempdir().expect("dir");
    let mut b = other_archive(dir.path());
    let county_b = unit_named(&b, "丰河县");
    let in_b = import(
        &mut b,
        "exported.lrmx",
        exported,
        ImportOptions { unit: Some(county_b), level: Some(ManagementLevel::City) },
    );
    let (before, after) = (person(&a.archive, id), person(&b, in_b));
    // A's first post is the import's (丰河县, from the 简历's open line); B reads the
    // same period from the 简历, closed by the move.
    assert_eq!(before.posts.last(), after.posts.last());
    assert_eq!(
        (&before.name, &before.post, &before.rank, &before.unit, before.level, &before.grades),
        (&after.name, &after.post, &after.rank, &after.unit, after.level, &after.grades)
    );
    assert_eq!((&before.political, &before.family), (&after.political, &after.family));
    assert_eq!(after.political, "中共党员");
    assert_eq!(after.family.len(), 2);
    assert_eq!(after.grades, vec![(2022, Grade::Competent), (2023, Grade::Excellent), (2024, Grade::Excellent)]);
}

/// A file shaped as the national software writes it (through a school's own
/// generator): empty elements with the end tag on the next line, 「年年度考核合格」,
/// an in-service study as a 「（其间：…）」 line, an open period padded with spaces.
#[test]
fn a_file_in_the_national_softwares_shape_is_read_whole() {
    let text = fixture_text("school-generator-3.2.1.16.lrmx");
    let person = lrmx::parse("赵文静.lrmx", text.as_bytes()).expect("reads");
    assert_eq!(person.profile.proposed_post, "", "an element holding only a line break is empty");
    assert_eq!(person.profile.in_service.level, "研究生");
    assert!(person.unmapped.is_empty(), "{:?}", person.unmapped);
    assert_eq!(person.profile.family.len(), 2);
    let mut f = fixture();
    let preview = import_file(&mut f.archive, "赵文静.lrmx", text.into_bytes(), Some(f.unit), false);
    let item = &preview.items[0];
    for (field, after) in [
        ("任现职时间", "2016-08（据简历）"),
        ("2021年度考核等次", "称职（据任免审批表）"),
        ("2022年度考核等次", "优秀（据任免审批表）"),
        ("2023年度考核等次", "称职（据任免审批表）"),
    ] {
        assert!(item.changes.iter().any(|c| c.field == field && c.after == after), "{field}: {:?}", item.changes);
    }
    let id = item.cadre_id.expect("created");
    let exported = f.archive.export_lrmx(id).expect("export");
    for empty in ["NiRenZhiWu", "RenMianLiYou", "TianBiaoRen", "ShenFenZheng", "ZhaoPian"] {
        assert!(
            exported.contains(&format!("  <{empty}>\n  </{empty}>\n")),
            "{empty} written as the software writes it"
        );
    }
    assert!(!exported.contains("></"), "no empty element written on one line:\n{exported}");
}

/// A file from a newer editor: 到龄年月 and 改革前任职年龄界限 (named as not
/// imported), 6-digit and em-dash 简历 dates, a leading space, 「2022年、2023年…均为称职」.
#[test]
fn a_file_from_a_newer_editor_is_read_and_what_is_not_kept_is_named() {
    let text = fixture_text("newer-editor-2025.lrmx");
    let mut f = fixture();
    let units_before = f.archive.units().expect("units").len();
    let preview = import_file(&mut f.archive, "钱志刚.lrmx", text.into_bytes(), Some(f.unit), false);
    assert!(preview.committed, "{:?}", preview.errors);
    assert_eq!(f.archive.units().expect("units").len(), units_before);
    let warnings: Vec<String> = preview.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("DaoLingNianYue") && w.contains("203203")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("GaiGeQianRenZhiNianLingJieXian")), "{warnings:?}");
    let item = &preview.items[0];
    assert!(
        item.changes.iter().any(|c| c.field == "任现职时间" && c.after == "2018-09（据简历）"),
        "{:?}",
        item.changes
    );
    let id = item.cadre_id.expect("created");
    let grades: Vec<(i32, Grade)> = f
        .archive
        .cadre_records(id)
        .expect("records")
        .final_grades
        .iter()
        .map(|g| (g.fields.year, g.fields.grade))
        .collect();
    assert_eq!(grades, vec![(2022, Grade::Competent), (2023, Grade::Competent), (2024, Grade::Excellent)]);
    let c = f.archive.cadre(id).expect("cadre");
    assert_eq!((c.fields.ethnicity.as_str(), c.fields.education.as_str()), ("汉族", "中专"));
    let profile = f.archive.profile(id).expect("profile").expect("stored");
    assert_eq!(profile.tech_title, "", "spaces only are empty");
}
