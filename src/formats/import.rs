//! Importing cadres from LRMX files and Excel rosters: read every file, match
//! each person to the archive (by ID number, else name + birth month), show
//! what would be created or changed, and commit all of it in one transaction
//! — or nothing, if any file has a problem.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::import_plan::{cadre_changes, field_label, merged, profile_changes};
use super::{FormatError, Kind, detect, lrmx, roster};
use crate::archive::Archive;
use crate::enums::Gender;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::records::cadres::{self, Cadre, CadreInput};
use crate::records::profiles::{self, Photo, Profile};

/// One person read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    /// `file` or `file 第 N 行`.
    pub source: String,
    pub name: String,
    pub gender: Gender,
    pub birth: String,
    pub ethnicity: String,
    pub native_place: String,
    pub party_date: Option<String>,
    pub work_start: Option<String>,
    /// Only set when the file says it.
    pub education: Option<String>,
    pub post: Option<String>,
    pub rank: Option<String>,
    /// A roster names the unit; an LRMX file does not.
    pub unit_id: Option<i64>,
    pub id_number: Option<String>,
    pub profile: Option<Profile>,
    pub photo: Option<Photo>,
    /// Yearly grades the file states (an LRMX's 年度考核结果), imported for the
    /// years the archive has no decision of its own.
    pub grades: Vec<(i32, crate::enums::Grade)>,
    /// When the current post began (`YYYY-MM-01`), from the last open period of
    /// an LRMX's 简历; a new cadre's first post starts then instead of today.
    pub post_since: Option<String>,
    /// 管理权限, when a roster's column states it.
    pub management_level: Option<crate::enums::ManagementLevel>,
    /// 人员类别, when a roster's column states it.
    pub staff_category: Option<crate::enums::StaffCategory>,
}

impl From<(String, lrmx::LrmxPerson)> for Incoming {
    fn from((source, p): (String, lrmx::LrmxPerson)) -> Incoming {
        let education =
            [&p.profile.full_time.level, &p.profile.in_service.level].into_iter().find(|l| !l.is_empty()).cloned();
        Incoming {
            source,
            name: p.name,
            gender: p.gender,
            birth: p.birth,
            ethnicity: p.ethnicity,
            native_place: p.native_place,
            party_date: p.party_date,
            work_start: p.work_start,
            education,
            post: Some(p.post).filter(|s| !s.is_empty()),
            rank: None,
            unit_id: None,
            id_number: p.id_number,
            grades: super::normalize::yearly_grades(&p.profile.appraisal_results),
            post_since: super::normalize::resume(&p.profile.resume)
                .into_iter()
                .rev()
                .find(|l| l.to.is_none())
                .map(|l| format!("{}-01", l.from)),
            management_level: None,
            staff_category: None,
            profile: Some(p.profile),
            photo: p.photo,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    Create,
    Update,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedCadre {
    pub source: String,
    pub action: Action,
    pub cadre_id: Option<i64>,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub files: usize,
    pub items: Vec<PlannedCadre>,
    pub errors: Vec<FormatError>,
    /// What was read but not imported (a column, a footer line), named: it does
    /// not stop the import.
    pub warnings: Vec<FormatError>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Whether it was written (false for a preview or when there were errors).
    pub committed: bool,
}

/// What the clerk chooses for the people a file does not place itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    /// The unit of new cadres whose file names none of the archive's units (an
    /// LRMX whose 现任职务 names no unit of the archive, a roster row without one).
    pub unit: Option<i64>,
    /// The 管理权限 of new cadres whose file does not state it (LRMX has no such
    /// element); 「其他」 when not chosen.
    pub level: Option<crate::enums::ManagementLevel>,
}

/// One input file: a name to report and its bytes.
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

const MAX_ZIP_ENTRIES: usize = 5_000;
const MAX_ZIP_TOTAL: u64 = 500 << 20;
/// One entry of a zip, unpacked: an .lrmx is at most 20 MB, a roster far less than this.
const MAX_ZIP_ENTRY: u64 = 64 << 20;

/// A yearly grade a 任免审批表 states, stored as the year's final grade and marked
/// as imported (decided by 「任免审批表（导入）」; no scheme behind it).
fn imported_grade(tx: &crate::archive::Tx, cadre_id: i64, year: i32, grade: crate::enums::Grade) -> Result<()> {
    use crate::records::final_grades::{FinalGrade, FinalGradeInput, upsert};
    let mut g = FinalGrade {
        id: 0,
        fields: FinalGradeInput {
            cadre_id,
            year,
            grade,
            reason: "据任免审批表「年度考核结果」导入".to_owned(),
            decided_by: IMPORTED_GRADE.to_owned(),
            decided_on: format!("{year}-12-31"),
        },
        suggested: grade,
        scheme_version: 0,
    };
    g.id = upsert(tx, &g)?;
    crate::archive::revision::record(tx, "final_grade", g.id, "导入年度考核结果", &g)
}

/// Who decided a grade imported from a 任免审批表.
pub const IMPORTED_GRADE: &str = "任免审批表（导入）";

/// What the files gave: people, problems that stop the import, and what was
/// read but not imported.
#[derive(Default)]
pub struct Read {
    pub people: Vec<Incoming>,
    pub errors: Vec<FormatError>,
    pub warnings: Vec<FormatError>,
}

/// Read every file (zips are opened, their .lrmx/.xlsx entries read) into people.
pub fn read_files(files: &[InputFile], units: &[crate::records::units::Unit]) -> Read {
    let mut read = Read::default();
    for f in files {
        read_one(&f.name, &f.bytes, units, &mut read, 0);
    }
    read
}

fn read_one(name: &str, bytes: &[u8], units: &[crate::records::units::Unit], read: &mut Read, depth: usize) {
    match detect(bytes) {
        Kind::Lrmx => match lrmx::parse(name, bytes) {
            Ok(p) => {
                for element in &p.unmapped {
                    read.warnings.push(FormatError::new(name, "", format!("{element}（本程序不保存此项，未导入）")));
                }
                read.people.push(Incoming::from((name.to_owned(), p)));
            }
            Err(e) => read.errors.extend(e),
        },
        Kind::Xlsx | Kind::Xls => match roster::read(name, bytes, units) {
            Ok(r) => {
                read.people.extend(r.people);
                read.errors.extend(r.errors);
                read.warnings.extend(r.warnings);
            }
            Err(e) => read.errors.push(e),
        },
        Kind::Zip if depth == 0 => read_zip(name, bytes, units, read),
        Kind::Json => read.errors.push(FormatError::new(
            name,
            "",
            "这是档案交换文件（JSON），请用 import-json 导入到空档案".to_owned(),
        )),
        _ => read.errors.push(FormatError::new(
            name,
            "",
            "无法识别的文件：既不是 LRMX（任免审批表），也不是 Excel 花名册".to_owned(),
        )),
    }
}

fn read_zip(name: &str, bytes: &[u8], units: &[crate::records::units::Unit], read: &mut Read) {
    use std::io::Read as _;
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => return read.errors.push(FormatError::new(name, "", format!("压缩包无法读取：{e}"))),
    };
    if zip.len() > MAX_ZIP_ENTRIES {
        return read.errors.push(FormatError::new(name, "", format!("压缩包内文件过多（{} 个）", zip.len())));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                return read.errors.push(FormatError::new(name, "", format!("压缩包第 {} 项无法读取：{e}", i + 1)));
            }
        };
        if entry.is_dir() {
            continue;
        }
        let entry_name = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("第 {} 项", i + 1));
        let inner = format!("{name}/{entry_name}");
        total += entry.size();
        if total > MAX_ZIP_TOTAL {
            return read.errors.push(FormatError::new(name, "", "压缩包解压后过大（上限 500 MB）".to_owned()));
        }
        let lower = entry_name.to_lowercase();
        if ![".lrmx", ".xlsx", ".xls", ".et"].iter().any(|ext| lower.ends_with(ext)) {
            continue;
        }
        // Checked as declared, then as read: the declared size may lie.
        let too_big = || FormatError::new(&inner, "", format!("解压后超过单个文件上限 {} MB", MAX_ZIP_ENTRY >> 20));
        if entry.size() > MAX_ZIP_ENTRY {
            read.errors.push(too_big());
            continue;
        }
        let mut buf = Vec::new();
        if let Err(e) = entry.by_ref().take(MAX_ZIP_ENTRY + 1).read_to_end(&mut buf) {
            read.errors.push(FormatError::new(&inner, "", format!("无法解压：{e}")));
            continue;
        }
        if buf.len() as u64 > MAX_ZIP_ENTRY {
            read.errors.push(too_big());
            continue;
        }
        total += buf.len() as u64 - entry.size().min(buf.len() as u64);
        if total > MAX_ZIP_TOTAL {
            return read.errors.push(FormatError::new(name, "", "压缩包解压后过大（上限 500 MB）".to_owned()));
        }
        read_one(&inner, &buf, units, read, 1);
    }
}

const IMPORTABLE: [&str; 5] = ["lrmx", "xlsx", "xls", "et", "zip"];

/// The largest file an import reads (a zip of a whole county's 任免审批表 with photos fits many times over).
pub const MAX_INPUT_FILE: u64 = 256 << 20;

/// One input file (see [`crate::input::read_limited`]).
pub fn read_input(p: &std::path::Path) -> Result<Vec<u8>> {
    crate::input::read_limited(p, MAX_INPUT_FILE)
}

/// Files named on the command line; folders are walked (recursively) for importable files.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<InputFile>> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> =
                std::fs::read_dir(&p).map_err(|e| Error::io(&p, e))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort();
            entries.reverse();
            for e in entries {
                let ext = e.extension().and_then(|x| x.to_str()).map(str::to_lowercase).unwrap_or_default();
                if e.is_dir() || IMPORTABLE.contains(&ext.as_str()) {
                    stack.push(e);
                }
            }
        } else {
            files.push(InputFile { name: p.display().to_string(), bytes: read_input(&p)? });
        }
    }
    Ok(files)
}

struct Step {
    incoming: Incoming,
    /// Earlier posts a new cadre's 简历 names in the archive's units.
    history: Vec<crate::records::cadres::PostInput>,
    /// The file's yearly grades for years the archive has not decided.
    grades: Vec<(i32, crate::enums::Grade)>,
    existing: Option<i64>,
    input: CadreInput,
    planned: PlannedCadre,
}

impl Archive {
    /// Read `files`, plan the import, and — unless `dry_run` or any file has a
    /// problem — write it all in one transaction. New cadres from files that
    /// name no unit (LRMX) go to `default_unit`. Progress goes to `job`; cancelled,
    /// the transaction is rolled back and nothing is written.
    pub fn import_files(
        &mut self,
        files: &[InputFile],
        default_unit: Option<i64>,
        dry_run: bool,
        job: &Job,
    ) -> Result<ImportPreview> {
        self.import_files_with(files, ImportOptions { unit: default_unit, level: None }, dry_run, job)
    }

    /// [`Archive::import_files`] with the 管理权限 of new cadres chosen too.
    pub fn import_files_with(
        &mut self,
        files: &[InputFile],
        options: ImportOptions,
        dry_run: bool,
        job: &Job,
    ) -> Result<ImportPreview> {
        self.require_role(&[crate::enums::Role::Clerk], "导入干部信息")?;
        let default_unit = options.unit;
        if let Some(u) = default_unit {
            self.require_unit(u)?;
        }
        let units = self.units()?;
        let paths = super::post_words::UnitPaths::new(&units);
        let unit_names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.fields.name.clone())).collect();
        let Read { people, mut errors, mut warnings } = read_files(files, &units);
        let all = cadres::list(self.conn(), None, None)?;
        // Indexes for matching, so a roster of tens of thousands of rows is not quadratic.
        let by_id: HashMap<&str, &Cadre> =
            all.iter().filter_map(|c| c.fields.id_number.as_deref().map(|id| (id, c))).collect();
        let mut by_birth: HashMap<&str, Vec<&Cadre>> = HashMap::new();
        for c in &all {
            by_birth.entry(c.fields.birth.as_str()).or_default().push(c);
        }
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut steps = Vec::new();
        job.phase_counting("核对", people.len() as u64, "人")?;
        for mut p in people {
            job.advance(1)?;
            let key = p.id_number.clone().unwrap_or_else(|| format!("{}|{}", p.name, p.birth));
            if let Some(first) = seen.insert(key, p.source.clone()) {
                errors.push(FormatError::new(&p.source, "", format!("与 {first} 是同一人，请只保留一份")));
                continue;
            }
            let by_name = |c: &&&Cadre| c.fields.name == p.name && c.fields.birth == p.birth;
            let same_person = by_birth.get(p.birth.as_str()).map(Vec::as_slice).unwrap_or_default();
            let matches: Vec<&Cadre> = match &p.id_number {
                Some(id) => by_id.get(id.as_str()).into_iter().copied().collect(),
                None => same_person.iter().filter(by_name).copied().collect(),
            };
            let matches = if matches.is_empty() && p.id_number.is_some() {
                // A file with an ID number also matches an archived cadre without one, by name and birth.
                same_person.iter().filter(|c| c.fields.id_number.is_none()).filter(by_name).copied().collect()
            } else {
                matches
            };
            let existing = match matches.as_slice() {
                [] => None,
                [one] => Some(*one),
                _ => {
                    errors.push(FormatError::new(
                        &p.source,
                        "",
                        format!("档案中有多名「{}」（{}）：请在文件中填写身份证号", p.name, p.birth),
                    ));
                    continue;
                }
            };
            if let Some(c) = existing
                && !self.cadre_visible(c.id)?
            {
                errors.push(FormatError::new(
                    &p.source,
                    "",
                    format!("「{}」已在档案中，但不在您的管理权限范围内", p.name),
                ));
                continue;
            }
            // A 任免审批表's 现任职务 and 简历 in the archive's units (docs/formats.md).
            let mut history = Vec::new();
            if let Some(profile) = &p.profile {
                let keep = existing.map(|c| c.fields.unit_id).or(default_unit);
                if let Some(text) = &p.post {
                    let read = super::post_words::read_post(text, &paths, keep);
                    p.unit_id = p.unit_id.or(read.unit);
                    p.post = Some(read.post);
                    p.rank = read.rank.or(p.rank.take());
                }
                if existing.is_none() {
                    history = super::post_words::resume_posts(&profile.resume, &paths);
                }
            }
            let input = match merged(&p, existing, options) {
                Ok(i) => i,
                Err(m) => {
                    errors.push(FormatError::new(&p.source, "单位", m));
                    continue;
                }
            };
            if let Err(e) = input.validate() {
                let label = field_label(e.field().unwrap_or(""));
                errors.push(FormatError::new(&p.source, label, e.message()));
                continue;
            }
            let stored_profile = existing.map(|c| profiles::get(self.conn(), c.id)).transpose()?.flatten();
            // A new person's fields are shown too (from nothing), so a dry run says what would be created.
            let mut changes = cadre_changes(existing.map(|c| &c.fields), &input, &unit_names);
            if let Some(profile) = &p.profile {
                changes.extend(profile_changes(stored_profile.as_ref(), profile));
            }
            if existing.is_none()
                && let Some(since) = &p.post_since
            {
                changes.push(FieldChange {
                    field: "任现职时间".into(),
                    before: String::new(),
                    after: format!("{}（据简历）", &since[..7]),
                });
            }
            for post in &history {
                let unit = unit_names.get(&post.unit_id).cloned().unwrap_or_default();
                let end = post.end_date.as_deref().map_or("", |e| &e[..7]);
                changes.push(FieldChange {
                    field: "任职经历".into(),
                    before: String::new(),
                    after: format!("{}—{end} {unit} {}（据简历）", &post.start_date[..7], post.title),
                });
            }
            // Yearly grades from the file, for the years the archive has not decided itself.
            let decided: Vec<crate::records::final_grades::FinalGrade> = match existing {
                Some(c) => crate::records::final_grades::of_cadre(self.conn(), c.id)?,
                None => Vec::new(),
            };
            let mut grades = Vec::new();
            for (year, grade) in &p.grades {
                match decided.iter().find(|g| g.fields.year == *year) {
                    None => {
                        changes.push(FieldChange {
                            field: format!("{year}年度考核等次"),
                            before: String::new(),
                            after: format!("{}（据任免审批表）", grade.as_str()),
                        });
                        grades.push((*year, *grade));
                    }
                    Some(g) if g.fields.grade != *grade => warnings.push(FormatError::new(
                        &p.source,
                        "NianDuKaoHeJieGuo",
                        format!(
                            "{year} 年度考核：文件写「{}」，档案中已确定为「{}」，保留档案中的决定",
                            grade.as_str(),
                            g.fields.grade.as_str()
                        ),
                    )),
                    Some(_) => {}
                }
            }
            if let Some(photo) = &p.photo {
                let stored = existing.map(|c| profiles::photo(self.conn(), c.id)).transpose()?.flatten();
                if stored.as_ref() != Some(photo) {
                    let before = if stored.is_some() { "原照片" } else { "" };
                    changes
                        .push(FieldChange { field: "照片".into(), before: before.into(), after: "新照片".into() });
                }
            }
            let action = match (existing, changes.is_empty()) {
                (None, _) => Action::Create,
                (Some(_), true) => Action::Unchanged,
                (Some(_), false) => Action::Update,
            };
            let planned = PlannedCadre {
                source: p.source.clone(),
                action,
                cadre_id: existing.map(|c| c.id),
                name: p.name.clone(),
                changes,
            };
            steps.push(Step { existing: existing.map(|c| c.id), input, planned, incoming: p, grades, history });
        }
        let count = |a: Action| steps.iter().filter(|s| s.planned.action == a).count();
        let mut preview = ImportPreview {
            files: files.len(),
            created: count(Action::Create),
            updated: count(Action::Update),
            unchanged: count(Action::Unchanged),
            items: steps.iter().map(|s| s.planned.clone()).collect(),
            errors,
            warnings,
            committed: false,
        };
        if dry_run || !preview.errors.is_empty() {
            return Ok(preview);
        }
        job.phase_counting("写入", steps.len() as u64, "名干部")?;
        let ids = self.with_large_cache(64, |archive| {
            archive.with_tx(|tx| {
                let mut ids = Vec::new();
                for s in &steps {
                    job.advance(1)?;
                    let id = match (s.existing, s.planned.action) {
                        (_, Action::Unchanged) => continue,
                        (Some(id), _) => cadres::update_in(tx, id, &s.input, "导入任免审批表/花名册")?.id,
                        (None, _) => cadres::create_in(tx, &s.input, s.incoming.post_since.as_deref())?.id,
                    };
                    for post in &s.history {
                        cadres::add_post_in(tx, id, post)?;
                    }
                    if let Some(profile) = &s.incoming.profile {
                        profiles::save(tx, id, profile, s.incoming.photo.as_ref(), "导入任免审批表")?;
                    }
                    for (year, grade) in &s.grades {
                        imported_grade(tx, id, *year, *grade)?;
                    }
                    ids.push(id);
                }
                let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
                tx.log_event("导入", "cadres", &names.join("\n"))?;
                Ok(ids)
            })
        })?;
        for (item, id) in preview.items.iter_mut().filter(|i| i.action != Action::Unchanged).zip(ids) {
            item.cadre_id = Some(id);
        }
        preview.committed = true;
        Ok(preview)
    }
}

/// All of a preview's problems as one error (for the CLI's exit status).
pub fn errors_as_error(preview: &ImportPreview) -> Option<Error> {
    if preview.errors.is_empty() {
        return None;
    }
    let lines: Vec<String> = preview.errors.iter().map(ToString::to_string).collect();
    Some(Error::Import {
        path: preview.errors[0].file.clone(),
        message: format!("{} 处问题，未导入任何内容：\n{}", lines.len(), lines.join("\n")),
    })
}
