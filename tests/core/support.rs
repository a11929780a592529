use ganshi::archive::encrypted::Credentials;
use ganshi::archive::keys::KeyFile;
use ganshi::enums::*;
use ganshi::records::cadres::CadreInput;
use ganshi::records::initiatives::{InitiativeInput, Participant};
use ganshi::records::plans::{MilestoneInput, PlanInput, RatingInput};
use ganshi::records::units::UnitInput;
use ganshi::{Archive, Clock};

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub archive: Archive,
    pub unit: i64,
    pub cadre: i64,
}

impl Fixture {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("archive.db")
    }
}

/// The administrator's password in every test archive.
pub const PASSWORD: &str = "测试密码-2026";

pub fn admin() -> Credentials {
    Credentials::password("admin", PASSWORD)
}

/// Open an encrypted test archive as admin.
pub fn reopen(path: &std::path::Path) -> Archive {
    Archive::open_encrypted(path, &admin()).unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
}

/// A raw SQLCipher connection to an encrypted archive (what an insider with the
/// file and a password could do, bypassing the application).
pub fn raw_sqlcipher(path: &std::path::Path) -> rusqlite::Connection {
    let keys = KeyFile::load(&ganshi::archive::keys::sidecar(path)).expect("key file").expect("present");
    let key = keys.unlock_password("admin", PASSWORD).expect("unlock").expect("right password");
    let conn = rusqlite::Connection::open(path).expect("raw connection");
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma().as_str())).expect("key");
    conn
}

/// The top unit of the fixtures: 燕州市.
pub fn city_unit() -> UnitInput {
    UnitInput { parent_id: None, code: "1301".into(), name: "燕州市".into(), kind: UnitKind::City, sort_order: 0 }
}

/// A fresh encrypted archive file with one unit and one cadre, clock fixed at 2024-12-31.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut archive, _recovery) =
        Archive::create_encrypted(&dir.path().join("archive.db"), PASSWORD).expect("create archive");
    archive.set_clock(Clock::fixed("2024-12-31"));
    archive.set_actor("测试员");
    let unit = archive.create_unit(city_unit()).expect("unit").id;
    let cadre = archive.create_cadre(cadre_input(unit), Some("2020-03-01")).expect("cadre").id;
    Fixture { dir, archive, unit, cadre }
}

pub fn cadre_input(unit: i64) -> CadreInput {
    CadreInput {
        name: "张三".into(),
        gender: Gender::Male,
        birth: "1978-05".into(),
        ethnicity: "汉族".into(),
        native_place: "河北丰河".into(),
        party_date: Some("2001-07".into()),
        work_start: Some("2000-08".into()),
        education: "研究生".into(),
        post: "副县长".into(),
        rank: "副处级".into(),
        unit_id: unit,
        management_level: ManagementLevel::City,
        status: CadreStatus::Active,
        id_number: None,
        staff_category: StaffCategory::CivilServant,
    }
}

pub fn initiative_input(cadre: i64) -> InitiativeInput {
    InitiativeInput {
        category: Category::Project,
        title: "引进冷链物流集散中心项目".into(),
        summary: "建设辐射京津冀的冷链物流枢纽".into(),
        start_date: "2024-01-10".into(),
        participants: vec![Participant { cadre_id: cadre, role: ParticipantRole::Lead }],
        tags: vec![ConductTag::KeyWork],
    }
}

pub fn complete_plan(unit: i64) -> PlanInput {
    PlanInput {
        goal: "建成 10 万吨级冷库".into(),
        measures: "专班推进，全程代办".into(),
        responsible_unit_id: Some(unit),
        responsible_person: "张三".into(),
        deadline: Some("2024-12-31".into()),
    }
}

pub fn rating(role: RaterRole) -> RatingInput {
    RatingInput {
        rater_role: role,
        rater_name: "评价人".into(),
        innovation: 4,
        challenge: 5,
        difficulty: 4,
        comment: "目标有挑战性".into(),
        rated_on: "2024-01-20".into(),
    }
}

pub fn milestone(due: &str) -> MilestoneInput {
    MilestoneInput { name: "完成主体工程".into(), due_date: due.into(), done_date: None }
}

/// An initiative with everything 谋事 needs, advanced to 干事 on 2024-02-01.
pub fn executing_initiative(f: &mut Fixture) -> i64 {
    let id = f.archive.create_initiative(initiative_input(f.cadre)).expect("initiative").id;
    f.archive.save_plan(id, complete_plan(f.unit), "").expect("plan");
    f.archive.add_milestone(id, milestone("2024-06-30")).expect("milestone");
    f.archive.rate_plan(id, rating(RaterRole::OrgDept), "").expect("rating 1");
    f.archive.rate_plan(id, rating(RaterRole::UnitLeader), "").expect("rating 2");
    f.archive.advance(id, "2024-02-01", "").expect("advance");
    id
}

/// Import one file through the import preview (`dry_run`) or for real; new cadres
/// from files that name no unit go to `unit`.
pub fn import_file(
    archive: &mut Archive,
    name: &str,
    bytes: Vec<u8>,
    unit: Option<i64>,
    dry_run: bool,
) -> ganshi::formats::import::ImportPreview {
    archive
        .import_files(
            &[ganshi::formats::import::InputFile { name: name.into(), bytes }],
            unit,
            dry_run,
            &ganshi::Job::new(),
        )
        .expect("import")
}

/// Convert with LibreOffice (headless) and return the PDF text.
pub fn pdf_text(file: &std::path::Path, out: &std::path::Path) -> String {
    let profile = out.join("lo-profile");
    let status = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .expect("LibreOffice (soffice) must be installed: make test installs libreoffice-writer-nogui and libreoffice-calc-nogui");
    assert!(
        status.status.success(),
        "soffice failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = out.join(file.with_extension("pdf").file_name().expect("name"));
    assert!(
        pdf.is_file(),
        "LibreOffice produced no PDF for {}: {}",
        file.display(),
        String::from_utf8_lossy(&status.stdout)
    );
    let text = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(text.status.success());
    String::from_utf8_lossy(&text.stdout).into_owned()
}
