//! LRMX, Excel and Word: imports previewed and committed all-or-nothing,
//! round trips, hostile files, and every produced file re-opened by an
//! independent reader (calamine for .xlsx; LibreOffice → PDF → pdftotext for
//! .docx and .xlsx).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use ganshi::Archive;
use ganshi::assessment::AssessRequest;
use ganshi::enums::*;
use ganshi::formats::import::{Action, InputFile};
use ganshi::records::units::UnitInput;

use crate::support::*;

fn fixture_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(sub)
}

fn files(dir: &Path) -> Vec<InputFile> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").path()).filter(|p| p.is_file()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| InputFile {
            name: p.file_name().expect("name").to_string_lossy().into(),
            bytes: std::fs::read(&p).expect("read"),
        })
        .collect()
}

fn county(f: &mut Fixture) -> i64 {
    f.archive
        .create_unit(UnitInput {
            parent_id: Some(f.unit),
            code: "130223".into(),
            name: "丰河县".into(),
            kind: UnitKind::County,
            sort_order: 0,
        })
        .expect("unit")
        .id
}

#[test]
fn lrmx_variants_import_with_preview_and_round_trip_unchanged() {
    let mut f = fixture();
    let unit = county(&mut f);
    let input = files(&fixture_dir("lrmx"));
    let preview = f.archive.import_files(&input, Some(unit), true, &ganshi::Job::new()).expect("preview");
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    // Our three variants and two files shaped as other tools write them (lrmx_round_trip.rs).
    assert_eq!((preview.created, preview.updated, preview.committed), (5, 0, false));
    assert_eq!(f.archive.cadres(Some(unit), None).expect("list").len(), 0, "a preview writes nothing");

    let done = f.archive.import_files(&input, Some(unit), false, &ganshi::Job::new()).expect("commit");
    assert!(done.committed);
    let cadres = f.archive.cadres(Some(unit), None).expect("list");
    assert_eq!(cadres.len(), 5);
    let by = |name: &str| cadres.iter().find(|c| c.fields.name == name).unwrap_or_else(|| panic!("{name}")).clone();
    let zhou = by("周明远");
    assert_eq!((zhou.fields.birth.as_str(), zhou.fields.party_date.as_deref()), ("1978-05", Some("2001-07")));
    assert_eq!(zhou.fields.education, "大学", "full-time education first");
    let profile = f.archive.profile(zhou.id).expect("profile").expect("stored");
    assert_eq!(profile.family.len(), 2);
    assert_eq!(profile.family[0].birth, "1980-03");
    assert!(profile.resume.contains("2008.03--2016.03"));
    assert_eq!(f.archive.photo(zhou.id).expect("photo").expect("stored").mime, "image/png");
    let ma = by("马海燕");
    assert_eq!(
        (ma.fields.gender, ma.fields.ethnicity.as_str(), ma.fields.birth.as_str()),
        (Gender::Female, "回族", "1975-06")
    );
    assert_eq!(ma.fields.party_date.as_deref(), Some("1998-07"), "1998.7 is July");
    let liu = by("刘建国");
    assert_eq!(
        (liu.fields.ethnicity.as_str(), liu.fields.work_start.as_deref()),
        ("满族", Some("2004-07")),
        "GB2312 file"
    );
    assert_eq!(liu.fields.education, "研究生", "in-service education when there is no full-time entry");

    // Export every cadre's LRMX and import them again: nothing changes.
    let exported: Vec<InputFile> = cadres
        .iter()
        .map(|c| InputFile {
            name: format!("{}.lrmx", c.fields.name),
            bytes: f.archive.export_lrmx(c.id).expect("export").into_bytes(),
        })
        .collect();
    let again = f.archive.import_files(&exported, Some(unit), false, &ganshi::Job::new()).expect("reimport");
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    assert!(again.items.iter().all(|i| i.action == Action::Unchanged), "{:#?}", again.items);
    // The same files once more from the originals: matched, unchanged.
    let third = f.archive.import_files(&input, Some(unit), true, &ganshi::Job::new()).expect("preview");
    assert_eq!(third.unchanged, 5, "{:#?}", third.items);
}

#[test]
fn an_lrmx_change_is_shown_field_by_field_then_applied() {
    let mut f = fixture();
    let unit = county(&mut f);
    let input = files(&fixture_dir("lrmx"));
    f.archive.import_files(&input, Some(unit), false, &ganshi::Job::new()).expect("commit");
    let text = std::fs::read_to_string(fixture_dir("lrmx").join("full.lrmx")).expect("read");
    let changed = text.replace("燕州市丰河县委常委、副县长</XianRenZhiWu>", "燕州市丰河县委副书记</XianRenZhiWu>");
    let file = [InputFile { name: "full-v2.lrmx".into(), bytes: changed.into_bytes() }];
    let preview = f.archive.import_files(&file, None, true, &ganshi::Job::new()).expect("preview");
    assert_eq!(preview.updated, 1);
    let change = preview.items[0].changes.iter().find(|c| c.field == "现任职务").expect("post change");
    assert_eq!((change.before.as_str(), change.after.as_str()), ("燕州市丰河县委常委、副县长", "燕州市丰河县委副书记"));
    f.archive.import_files(&file, None, false, &ganshi::Job::new()).expect("commit");
    let zhou = f.archive.cadres(None, Some("周明远")).expect("list").remove(0);
    assert_eq!(zhou.fields.post, "燕州市丰河县委副书记");
    assert_eq!(f.archive.history("cadre", zhou.id).expect("history").len(), 2, "the correction is a new revision");
}

#[test]
fn hostile_lrmx_files_are_refused_with_file_and_element_and_change_nothing() {
    let mut f = fixture();
    let unit = county(&mut f);
    let before = f.archive.export_document().expect("doc");
    let cases: &[(&str, &str)] = &[
        ("entity-expansion.lrmx", "不是有效的 XML"),
        ("external-entity.lrmx", "不是有效的 XML"),
        ("wrong-root.lrmx", "Root"),
        ("bad-birth.lrmx", "ChuShengNianYue"),
        ("bad-gender.lrmx", "XingBie"),
        ("bad-id-number.lrmx", "ShenFenZheng"),
        ("bad-photo.lrmx", "ZhaoPian"),
        ("not-an-image.lrmx", "ZhaoPian"),
        ("truncated.lrmx", "不是有效的 XML"),
        ("missing-name.lrmx", "XingMing"),
        ("invalid-utf8.lrmx", "UTF-8"),
        ("unsupported-encoding.lrmx", "编码「ibm037」不受支持"),
    ];
    let all = files(&fixture_dir("bad/lrmx"));
    assert_eq!(all.len(), cases.len(), "every corpus file has a case");
    for (name, expected) in cases {
        let file: Vec<InputFile> = all
            .iter()
            .filter(|x| x.name == *name)
            .map(|x| InputFile { name: x.name.clone(), bytes: x.bytes.clone() })
            .collect();
        let preview = f
            .archive
            .import_files(&file, Some(unit), false, &ganshi::Job::new())
            .expect("refusal is a preview with errors");
        assert!(!preview.committed, "{name}");
        let text: Vec<String> = preview.errors.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|t| t.contains(name) && t.contains(expected)), "{name}: {text:?}");
    }
    // One bad file among good ones: nothing at all is written.
    let mut mixed = files(&fixture_dir("lrmx"));
    mixed.extend(all.into_iter().filter(|x| x.name == "bad-gender.lrmx"));
    let preview = f.archive.import_files(&mixed, Some(unit), false, &ganshi::Job::new()).expect("preview");
    assert!(!preview.committed && preview.created == 5 && preview.errors.len() == 1);
    assert_eq!(f.archive.export_document().expect("doc"), before, "the archive is unchanged");
}

fn roster_xlsx(rows: &[[&str; 8]]) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "丰河县科级干部花名册").expect("title");
    let headers = ["序号", "姓 名", "性别", "出生年月", "民族", "单位", "现任职务", "身份证号"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match v.parse::<f64>() {
                Ok(n) if c == 3 => ws.write_number(r, c, n).expect("number"),
                _ => ws.write_string(r, c, *v).expect("text"),
            };
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

/// `xlsx` with its first sheet's XML passed through `edit` (a hostile file made
/// from a real one: the parts a reader needs stay as the writer made them).
fn with_sheet_xml(xlsx: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
    with_part(xlsx, "xl/worksheets/sheet1.xml", |body| edit(String::from_utf8(body).expect("utf-8")).into_bytes())
}

/// `xlsx` with the part named `part` passed through `edit`.
fn with_part(xlsx: &[u8], part: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("name").into_owned();
        let mut body = Vec::new();
        entry.read_to_end(&mut body).expect("read");
        if name == part {
            body = edit(body);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&body).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// An archive with the county 丰河县, and a roster of one person in it.
fn one_person_roster() -> (Fixture, Vec<u8>) {
    let mut f = fixture();
    county(&mut f);
    let good = ["1", "赵立新", "男", "1978.10", "汉族", "丰河县", "丰河县发改局局长", "130223197810011235"];
    (f, roster_xlsx(&[good]))
}

/// Import one file (committing when it has no problem): the preview and its errors as text.
fn import_one(f: &mut Fixture, name: &str, bytes: Vec<u8>) -> (ganshi::formats::import::ImportPreview, Vec<String>) {
    let preview = import_file(&mut f.archive, name, bytes, None, false);
    let errors = preview.errors.iter().map(ToString::to_string).collect();
    (preview, errors)
}

/// Issue 16.2: a 1.7 KB roster declaring the whole grid (and a cell at its last
/// corner) made the reader reserve rows × columns — 9.4 GB — before any limit.
/// The declared dimension is checked before a cell is read, every cell's position
/// as it comes, and memory follows the cells that hold something.
#[test]
fn a_roster_declaring_a_huge_sheet_is_refused_before_it_is_read() {
    let (mut f, real) = one_person_roster();
    let bomb = with_sheet_xml(&real, |xml| {
        let xml = regex_replace(&xml, "<dimension ref=\"", "\"/>", "A1:XFD1048576");
        xml.replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>",
        )
    });
    assert!(bomb.len() < 20_000, "a small file: {} bytes", bomb.len());
    let (preview, errors) = import_one(&mut f, "花名册.xlsx", bomb);
    assert!(
        errors.iter().any(|e| e.contains("花名册.xlsx") && e.contains("A1:XFD1048576") && e.contains("超过上限")),
        "{errors:?}"
    );
    assert!(!preview.committed && preview.created == 0);

    // A file whose declared dimension lies: the far cell is refused when it comes, naming it.
    let liar = with_sheet_xml(&real, |xml| {
        xml.replace(
            "</sheetData>",
            "<row r=\"900000\"><c r=\"B900000\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>",
        )
    });
    let (_, errors) = import_one(&mut f, "名册.xlsx", liar);
    assert!(
        errors.iter().any(|e| e.contains("名册.xlsx") && e.contains("第 900000 行 B 列") && e.contains("B900000")),
        "{errors:?}"
    );

    // A formatted but empty cell far away holds nothing: the roster reads as before.
    let styled = with_sheet_xml(&real, |xml| {
        xml.replace("</sheetData>", "<row r=\"900000\"><c r=\"XFD900000\" s=\"0\"/></row></sheetData>")
    });
    let (preview, _) = import_one(&mut f, "格式.xlsx", styled);
    assert!(preview.errors.is_empty() && preview.created == 1, "{preview:?}");

    assert!(preview.committed, "and it was imported");

    // The real roster reads the same person, now already in the archive.
    let (preview, _) = import_one(&mut f, "花名册.xlsx", real);
    assert!(preview.errors.is_empty() && preview.unchanged == 1, "{preview:?}");
}

/// `zip` with the uncompressed size of `entry` stated as `declared` in its
/// local header and central directory (what a hostile file says of itself).
fn lie_about_size(mut zip: Vec<u8>, entry: &str, declared: u32) -> Vec<u8> {
    let name = entry.as_bytes();
    let u16_at = |z: &[u8], i: usize| u16::from_le_bytes([z[i], z[i + 1]]) as usize;
    let mut patched = 0;
    let mut i = 0;
    while i + 46 < zip.len() {
        let sig = &zip[i..i + 4];
        let (size_at, name_at, len_at) = match sig {
            [0x50, 0x4b, 0x03, 0x04] => (i + 22, i + 30, i + 26),
            [0x50, 0x4b, 0x01, 0x02] => (i + 24, i + 46, i + 28),
            _ => {
                i += 1;
                continue;
            }
        };
        let len = u16_at(&zip, len_at);
        if zip.get(name_at..name_at + len) == Some(name) {
            zip[size_at..size_at + 4].copy_from_slice(&declared.to_le_bytes());
            patched += 1;
        }
        i += 4;
    }
    assert_eq!(patched, 2, "local header and central directory of {entry}");
    zip
}

/// Issue 16.2 (the rest): a deflate stream unpacks to about a thousand times its
/// size whatever its header declares, and calamine reads an .xlsx's shared strings
/// whole before any sheet. Every entry is unpacked into nothing, counting, before
/// calamine sees the file: one that unpacks to more than it declares is refused.
#[test]
fn a_roster_whose_parts_unpack_to_more_than_they_declare_is_refused_unread() {
    let (mut f, real) = one_person_roster();
    // The shared strings padded with 8 MB of spaces (compressed to a few KB).
    let padded = with_part(&real, "xl/sharedStrings.xml", |mut body| {
        body.extend(std::iter::repeat_n(b' ', 8 << 20));
        body
    });
    assert!(padded.len() < 200_000, "small on disk: {} bytes", padded.len());
    let bomb = lie_about_size(padded, "xl/sharedStrings.xml", 1_000);
    let (preview, errors) = import_one(&mut f, "名册.xlsx", bomb);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("名册.xlsx") && e.contains("xl/sharedStrings.xml") && e.contains("声明的大小")),
        "{errors:?}"
    );
    assert!(!preview.committed && preview.created == 0);
}

/// Issue 16.2 (the rest): calamine lays an .xls sheet out as one grid from its
/// first to its last cell — a 6 KB file (made by LibreOffice) with cells in A1 and
/// IV65536 took 1 GB and 3 s — and reserves each sheet's declared dimensions. Both
/// spans are read from the file's records first.
#[test]
fn an_xls_roster_spread_over_the_whole_grid_is_refused_before_it_is_laid_out() {
    let mut f = fixture();
    county(&mut f);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let sparse = std::fs::read(dir.join("bad/roster-sparse.xls")).expect("fixture");
    assert!(sparse.len() < 10_000);
    let (preview, errors) = import_one(&mut f, "名册.xls", sparse);
    assert!(
        errors.iter().any(|e| e.contains("名册.xls") && e.contains("A1:IV65536") && e.contains("超过上限")),
        "{errors:?}"
    );
    assert!(!preview.committed && preview.created == 0);
    // Found by fuzzing: a sheet declaring 83,886,082 rows made calamine reserve 830 GB
    // while opening the workbook (the process aborted). Refused from the record.
    let declared = std::fs::read(dir.join("bad/roster-dimensions.xls")).expect("fixture");
    let (_, errors) = import_one(&mut f, "表.xls", declared);
    assert!(errors.iter().any(|e| e.contains("声明的范围为 A1:IN83886082") && e.contains("超过上限")), "{errors:?}");
    // Found by fuzzing: a record shorter than calamine expects makes it panic; the
    // file is reported damaged and the import goes on.
    let short = std::fs::read(dir.join("bad/roster-short-record.xls")).expect("fixture");
    let (_, errors) = import_one(&mut f, "短.xls", short);
    assert!(errors.iter().any(|e| e.contains("短.xls") && e.contains("文件已损坏")), "{errors:?}");
    // A real .xls roster (LibreOffice, BIFF8) reads as before.
    let real = std::fs::read(dir.join("roster/cadres.xls")).expect("fixture");
    let (preview, _) = import_one(&mut f, "花名册.xls", real);
    assert!(preview.errors.is_empty() && preview.created == 1, "{preview:?}");
}

/// Replace what stands between `start` and `end` (the first occurrence) with `with`.
fn regex_replace(text: &str, start: &str, end: &str, with: &str) -> String {
    let a = text.find(start).map(|i| i + start.len()).expect("start");
    let b = a + text[a..].find(end).expect("end");
    format!("{}{with}{}", &text[..a], &text[b..])
}

#[test]
fn an_excel_roster_is_mapped_by_its_headers_and_bad_rows_are_named() {
    let mut f = fixture();
    county(&mut f);
    let good = ["1", "赵立新", "男", "1978.10", "汉族", "丰河县", "丰河县发改局局长", "130223197810011235"];
    let bad = ["2", "钱晓红", "女", "七五年", "汉族", "丰河县", "丰河县财政局副局长", ""];
    let lost = ["3", "孙伟", "男", "1980.01", "汉族", "不存在县", "科员", ""];
    let (preview, errors) = import_one(&mut f, "花名册.xlsx", roster_xlsx(&[good, bad, lost]));
    assert!(!preview.committed);
    assert!(errors.iter().any(|e| e.contains("花名册.xlsx") && e.contains("第 4 行 D 列（出生年月）")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("第 5 行 F 列（单位）") && e.contains("不存在县")), "{errors:?}");
    assert!(f.archive.cadres(None, Some("赵立新")).expect("list").is_empty(), "nothing written");
    let file = [InputFile { name: "花名册.xlsx".into(), bytes: roster_xlsx(&[good]) }];
    let done = f.archive.import_files(&file, None, false, &ganshi::Job::new()).expect("commit");
    assert!(done.committed, "{:?}", done.errors);
    let zhao = f.archive.cadres(None, Some("赵立新")).expect("list").remove(0);
    assert_eq!(zhao.fields.birth, "1978-10", "a number cell 1978.1 is October when the ID number says so");
    assert_eq!(zhao.fields.post, "丰河县发改局局长");
}

#[test]
fn exported_sheets_and_dossiers_open_in_independent_readers() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let (mut a, _) = Archive::create_encrypted(&db, PASSWORD).expect("create");
    ganshi::demo::generate(&mut a, 12, 4).expect("demo");
    let year = 2025;
    let report = a.assess(&AssessRequest { year, unit_id: None, cadre_id: None, as_of: None }).expect("assess");
    let unit = report.cadres[0].unit_id;
    let out = dir.path().join("out");
    let ticks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heard = ticks.clone();
    let job = ganshi::Job::with_listener(move |s| heard.lock().expect("lock").push(s.clone()));
    let exported = a.export_appraisal(year, unit, &out, &job).expect("export");
    let ticks = ticks.lock().expect("lock").clone();
    let unit_report =
        a.assess(&AssessRequest { year, unit_id: Some(unit), cadre_id: None, as_of: None }).expect("assess");
    assert_eq!(exported.files.len(), unit_report.cadres.len() + 1);
    let last = ticks.last().expect("progress");
    assert_eq!((last.phase.as_str(), last.done), ("导出登记表", last.total), "progress reaches the end");

    // The roster, read back cell by cell with calamine.
    let roster = out.join(exported.files.last().expect("roster"));
    let mut book = calamine::open_workbook_auto(&roster).expect("calamine opens the roster");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("sheet");
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    for (c, h) in ganshi::formats::xlsx::ROSTER_HEADERS.iter().enumerate() {
        assert_eq!(cell(1, c as u32), Data::String((*h).into()), "header {h}");
    }
    for (i, ca) in unit_report.cadres.iter().enumerate() {
        let r = i as u32 + 2;
        assert_eq!(cell(r, 1), Data::String(ca.name.clone()));
        assert_eq!(cell(r, 11), Data::String(ca.suggested.grade.to_string()));
        match ca.composite.value {
            Some(v) => assert_eq!(cell(r, 10), Data::Float(v), "the number itself, formatted 0.00"),
            None => assert_eq!(cell(r, 10), Data::String("—".into())),
        }
    }

    // Every file through LibreOffice to PDF, and the text found in it.
    let first = &unit_report.cadres[0];
    let form = out.join(&exported.files[0]);
    let text = pdf_text(&form, dir.path());
    for needle in [first.name.as_str(), "年度考核登记表", "个人总结", "本人意见", first.suggested.grade.as_str()]
    {
        assert!(text.contains(needle), "the 登记表 PDF shows {needle}:\n{text}");
    }
    assert!(text.contains(&first.unit_name), "the unit is on the form");
    let text = pdf_text(&roster, dir.path());
    assert!(text.contains(&first.name) && text.contains("考核结果汇总表"), "{text}");
    let dossier = dir.path().join("dossier.docx");
    std::fs::write(&dossier, a.dossier_docx(first.cadre_id, year).expect("dossier")).expect("write");
    let text = pdf_text(&dossier, dir.path());
    assert!(text.contains(&first.name) && text.contains("干事档案") && text.contains("任用依据"), "{text}");
    let ids: Vec<i64> = report.cadres.iter().take(3).map(|c| c.cadre_id).collect();
    let cmp = dir.path().join("compare.xlsx");
    std::fs::write(&cmp, a.comparison_xlsx(&ids, year).expect("comparison")).expect("write");
    let text = pdf_text(&cmp, dir.path());
    assert!(text.contains(&report.cadres[0].name) && text.contains("干部任用比较"), "{text}");
    let audit = a.audit_entries(&Default::default()).expect("audit");
    let exports: Vec<&str> = audit.iter().filter(|e| e.action == "导出").map(|e| e.object.as_str()).collect();
    assert!(
        exports.len() >= 3,
        "exports are audited: {exports:?} of {:?}",
        audit.iter().take(5).map(|e| (&e.action, &e.object)).collect::<Vec<_>>()
    );
}

/// A job that cancels itself once `phase` has reached `after` steps — as a user
/// pressing 取消 part-way.
fn cancelled_during(phase: &'static str, after: u64) -> ganshi::Job {
    let me = std::sync::Arc::new(std::sync::OnceLock::<ganshi::Job>::new());
    let slot = me.clone();
    let job = ganshi::Job::with_listener(move |s| {
        if s.phase == phase && s.done >= after {
            slot.get().expect("job").cancel();
        }
    });
    me.set(job.clone()).ok();
    job
}

#[test]
fn cancelled_import_and_export_leave_nothing_behind() {
    let mut f = fixture();
    let unit = county(&mut f);
    let input = files(&fixture_dir("lrmx"));
    let audit_before = f.archive.audit_entries(&Default::default()).expect("audit").len();
    let err = f
        .archive
        .import_files(&input, Some(unit), false, &cancelled_during("写入", 2))
        .expect_err("cancelled while writing");
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(
        f.archive.cadres(Some(unit), None).expect("list").len(),
        0,
        "what was written before the cancel is rolled back"
    );
    assert_eq!(f.archive.audit_entries(&Default::default()).expect("audit").len(), audit_before);
    assert!(f.archive.import_files(&input, Some(unit), false, &ganshi::Job::new()).expect("again").committed);

    let dir = tempfile::tempdir().expect("dir");
    let mut a = Archive::open(&dir.path().join("a.db")).expect("open");
    ganshi::demo::generate(&mut a, 30, 5).expect("demo");
    let unit = a.cadres(None, None).expect("cadres")[0].fields.unit_id;
    let out = dir.path().join("out");
    let err = a.export_appraisal(2025, unit, &out, &cancelled_during("导出登记表", 2)).expect_err("cancelled");
    assert_eq!(err.code(), "cancelled");
    let left: Vec<_> = std::fs::read_dir(&out).expect("dir").collect();
    assert!(left.is_empty(), "the sheets written before the cancel are removed: {left:?}");
    let err = a
        .assess_job(
            &AssessRequest { year: 2025, unit_id: None, cadre_id: None, as_of: None },
            &cancelled_during("逐人计算年度考核", 1),
        )
        .expect_err("cancelled");
    assert_eq!(err.code(), "cancelled");
}
