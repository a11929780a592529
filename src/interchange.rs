//! The archive interchange format (`export-json` / `import-json`), documented
//! in `docs/archive-format.md` with a JSON Schema in `docs/archive-format.schema.json`.
//!
//! The document holds every record with its id, the stage transitions, the
//! evidence files (base64) and the full revision log, so an archive moved
//! through it loses nothing. Export is deterministic: ordered by id, no
//! timestamps of its own, so export → import into a new archive → export is
//! byte-identical.

use std::collections::{BTreeSet, HashMap};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{
    Archive,
    revision::{self, Revision},
};
use crate::assessment::grades::{self, FinalGrade};
use crate::assessment::scheme::{self, SchemeVersion};
use crate::dossier::{InitiativeRecord, initiative_record};
use crate::enums::{OwnerKind, Stage};
use crate::error::{Error, Result};
use crate::lifecycle;
use crate::records::cadres::{self, Cadre, Post};
use crate::records::evaluations::{self, Evaluation, Protection};
use crate::records::evidence::{self, EvidenceMeta};
use crate::records::initiatives;
use crate::records::negatives::{self, Negative};
use crate::records::reports::{self, Clearing, Report};
use crate::records::reviews::{self, Review};
use crate::records::tolerance::{self, ToleranceCase};
use crate::records::units::{self, Unit};
use crate::records::{outcomes, plans, tracking};

pub const FORMAT: &str = "ganshi-archive";
pub const FORMAT_VERSION: u32 = 2;
/// Older versions this program still reads (their missing sections are empty).
pub const READABLE_VERSIONS: &[u32] = &[1, 2];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceFile {
    #[serde(flatten)]
    pub meta: EvidenceMeta,
    pub content_base64: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArchiveDocument {
    /// Always `ganshi-archive`.
    pub format: String,
    pub format_version: u32,
    pub units: Vec<Unit>,
    pub cadres: Vec<Cadre>,
    pub posts: Vec<Post>,
    pub initiatives: Vec<InitiativeRecord>,
    pub evidence: Vec<EvidenceFile>,
    pub revisions: Vec<Revision>,
    #[serde(default)]
    pub evaluations: Vec<Evaluation>,
    #[serde(default)]
    pub protections: Vec<Protection>,
    #[serde(default)]
    pub negatives: Vec<Negative>,
    #[serde(default)]
    pub reports: Vec<Report>,
    #[serde(default)]
    pub clearings: Vec<Clearing>,
    #[serde(default)]
    pub tolerance_cases: Vec<ToleranceCase>,
    #[serde(default)]
    pub schemes: Vec<SchemeVersion>,
    #[serde(default)]
    pub final_grades: Vec<FinalGrade>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// The 个人总结 and 主管领导评语 kept for the 年度考核登记表.
    #[serde(default)]
    pub appraisal_texts: Vec<crate::records::appraisal_texts::AppraisalText>,
}

/// Counts of what an import brought in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub units: usize,
    pub cadres: usize,
    pub posts: usize,
    pub initiatives: usize,
    pub evidence: usize,
    pub revisions: usize,
    pub assessment_records: usize,
}

impl Archive {
    pub fn export_document(&self) -> Result<ArchiveDocument> {
        self.require_role(&[crate::enums::Role::SysAdmin], "导出整个档案")?;
        self.require_all_units("导出整个档案")?;
        let conn = self.conn();
        let initiatives =
            initiatives::all(conn)?.iter().map(|i| initiative_record(conn, i.id)).collect::<Result<Vec<_>>>()?;
        let evidence = evidence::all(conn)?
            .into_iter()
            .map(|meta| Ok(EvidenceFile { content_base64: BASE64.encode(evidence::content(conn, meta.id)?), meta }))
            .collect::<Result<Vec<_>>>()?;
        let mut units = units::list(conn)?;
        units.sort_by_key(|u| u.id);
        Ok(ArchiveDocument {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            units,
            cadres: cadres::list(conn, None, None)?,
            posts: cadres::all_posts(conn)?,
            initiatives,
            evidence,
            revisions: revision::all(conn)?,
            evaluations: evaluations::all(conn)?,
            protections: evaluations::all_protections(conn)?,
            negatives: negatives::all(conn)?,
            reports: reports::all(conn)?,
            clearings: reports::all_clearings(conn)?,
            tolerance_cases: tolerance::all(conn)?,
            schemes: scheme::all(conn)?,
            final_grades: grades::all(conn)?,
            reviews: reviews::all(conn)?,
            appraisal_texts: crate::records::appraisal_texts::all(conn)?,
        })
    }

    /// The interchange document as pretty JSON with a final newline.
    pub fn export_json(&self) -> Result<String> {
        let mut text = serde_json::to_string_pretty(&self.export_document()?)?;
        text.push('\n');
        Ok(text)
    }

    /// Import a whole interchange document into an empty archive, all or
    /// nothing. Errors name the JSON path of the first bad field.
    pub fn import_json(&mut self, text: &str) -> Result<ImportSummary> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let doc: ArchiveDocument = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
            let (path, message) = (e.path().to_string(), e.inner().to_string());
            match serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| diagnose::precise(&v, &path)) {
                Some((path, message)) => Error::Import { path, message },
                None => Error::Import { path: json_path(&path), message },
            }
        })?;
        // One document and nothing after it (whitespace aside).
        de.end().map_err(|e| Error::Import {
            path: "$".into(),
            message: format!("文档结束后还有多余的内容（第 {} 行第 {} 列）", e.line(), e.column()),
        })?;
        self.import_document(&doc)
    }

    pub fn import_document(&mut self, doc: &ArchiveDocument) -> Result<ImportSummary> {
        self.require_role(&[crate::enums::Role::SysAdmin], "导入整个档案")?;
        self.require_all_units("导入整个档案")?;
        if doc.format != FORMAT {
            return Err(Error::Import {
                path: "$.format".into(),
                message: format!("应为「{FORMAT}」，实际为「{}」", doc.format),
            });
        }
        if !READABLE_VERSIONS.contains(&doc.format_version) {
            return Err(Error::Import {
                path: "$.formatVersion".into(),
                message: format!("不支持的格式版本 {}（本程序支持 {FORMAT_VERSION}）", doc.format_version),
            });
        }
        self.with_tx(|tx| {
            let occupied: i64 = tx.query_row(
                "SELECT (SELECT count(*) FROM unit) + (SELECT count(*) FROM cadre) + (SELECT count(*) FROM initiative)",
                [],
                |r| r.get(0),
            )?;
            if occupied > 0 {
                return Err(Error::Import {
                    path: "$".into(),
                    message: "目标档案已有数据；交换文件只能导入到新建的空档案".into(),
                });
            }
            // References are checked against the document itself below, with paths.
            tx.pragma_update(None, "defer_foreign_keys", "ON")?;
            let summary = import_into(tx, doc)?;
            let detail = serde_json::to_string(&summary)?;
            tx.log_event("导入", "archive", &detail)?;
            Ok(summary)
        })
    }
}

/// Records embed their fields flat (`{"id": 3, "name": …}`), which serde
/// parses through `flatten`, and `flatten` loses the inner field's path. When
/// an element fails, probe it with the flat inner types to name the field.
mod diagnose {
    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use crate::assessment::grades::FinalGradeInput;
    use crate::enums::Stage;
    use crate::lifecycle::Transition;
    use crate::records::cadres::{CadreInput, PostInput};
    use crate::records::evaluations::{EvaluationInput, ProtectionInput};
    use crate::records::evidence::EvidenceMeta;
    use crate::records::initiatives::InitiativeInput;
    use crate::records::negatives::NegativeInput;
    use crate::records::outcomes::{OutcomeInput, RecognitionInput};
    use crate::records::plans::{MilestoneInput, PlanInput, RatingInput};
    use crate::records::reports::ReportInput;
    use crate::records::tolerance::ToleranceInput;
    use crate::records::tracking::TrackingInput;
    use crate::records::units::UnitInput;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Id {
        id: i64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct PostKeys {
        id: i64,
        cadre_id: i64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct ChildKeys {
        id: i64,
        initiative_id: i64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Content {
        content_base64: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct InitiativeRest {
        stage: Stage,
        stopped_on: Option<String>,
        stop_reason: Option<String>,
        plan: Option<PlanInput>,
        milestones: Vec<MilestoneInput>,
        ratings: Vec<RatingInput>,
        tracking: Vec<TrackingInput>,
        outcome: Option<OutcomeInput>,
        recognitions: Vec<RecognitionInput>,
        transitions: Vec<Transition>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct InitiativeKeys {
        milestones: Vec<ChildKeys>,
        ratings: Vec<ChildKeys>,
        tracking: Vec<ChildKeys>,
        recognitions: Vec<ChildKeys>,
    }

    fn probe<T: DeserializeOwned>(v: &Value) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(v).err().map(|e| (e.path().to_string(), e.inner().to_string()))
    }

    /// `path` is serde's path to the failing element, e.g. `cadres[1]`.
    pub fn precise(doc: &Value, path: &str) -> Option<(String, String)> {
        let (collection, rest) = path.split_once('[')?;
        let index: usize = rest.strip_suffix(']')?.parse().ok()?;
        let element = doc.get(collection)?.get(index)?;
        let found = match collection {
            "units" => probe::<Id>(element).or_else(|| probe::<UnitInput>(element)),
            "cadres" => probe::<Id>(element).or_else(|| probe::<CadreInput>(element)),
            "posts" => probe::<PostKeys>(element).or_else(|| probe::<PostInput>(element)),
            "evidence" => probe::<EvidenceMeta>(element).or_else(|| probe::<Content>(element)),
            "initiatives" => probe::<Id>(element)
                .or_else(|| probe::<InitiativeInput>(element))
                .or_else(|| probe::<InitiativeRest>(element))
                .or_else(|| probe::<InitiativeKeys>(element)),
            "evaluations" => probe::<Id>(element).or_else(|| probe::<EvaluationInput>(element)),
            "protections" => probe::<Id>(element).or_else(|| probe::<ProtectionInput>(element)),
            "negatives" => probe::<Id>(element).or_else(|| probe::<NegativeInput>(element)),
            "reports" => probe::<Id>(element).or_else(|| probe::<ReportInput>(element)),
            "toleranceCases" => probe::<Id>(element).or_else(|| probe::<ToleranceInput>(element)),
            "finalGrades" => probe::<Id>(element).or_else(|| probe::<FinalGradeInput>(element)),
            "appraisalTexts" => {
                probe::<Id>(element).or_else(|| probe::<crate::records::appraisal_texts::AppraisalTextInput>(element))
            }
            "reviews" => probe::<Id>(element).or_else(|| probe::<crate::records::reviews::ReviewInput>(element)),
            _ => None,
        }?;
        let inner = if found.0 == "." { String::new() } else { format!(".{}", found.0) };
        Some((format!("$.{collection}[{index}]{inner}"), found.1))
    }
}

/// serde_path_to_error prints `cadres[3].birth`; we show `$.cadres[3].birth`.
fn json_path(inner: &str) -> String {
    if inner == "." || inner.is_empty() { "$".to_owned() } else { format!("$.{inner}") }
}

fn unique(ids: &mut BTreeSet<i64>, id: i64, path: &str) -> Result<()> {
    if !ids.insert(id) {
        return Err(Error::Import { path: format!("{path}.id"), message: format!("编号 {id} 重复") });
    }
    Ok(())
}

fn known(ids: &BTreeSet<i64>, id: i64, path: String, what: &str) -> Result<()> {
    if !ids.contains(&id) {
        return Err(Error::Import { path, message: format!("引用的{what} {id} 不在文件中") });
    }
    Ok(())
}

fn import_into(conn: &rusqlite::Connection, doc: &ArchiveDocument) -> Result<ImportSummary> {
    let mut unit_ids = BTreeSet::new();
    for (i, u) in doc.units.iter().enumerate() {
        unique(&mut unit_ids, u.id, &format!("$.units[{i}]"))?;
    }
    for (i, u) in doc.units.iter().enumerate() {
        let at = format!("$.units[{i}]");
        u.fields.validate().map_err(|e| e.at(&at))?;
        if let Some(p) = u.fields.parent_id {
            known(&unit_ids, p, format!("{at}.parentId"), "上级单位")?;
        }
        units::insert(conn, Some(u.id), &u.fields).map_err(|e| e.at(&at))?;
    }
    let mut cadre_ids = BTreeSet::new();
    for (i, c) in doc.cadres.iter().enumerate() {
        let at = format!("$.cadres[{i}]");
        unique(&mut cadre_ids, c.id, &at)?;
        c.fields.validate().map_err(|e| e.at(&at))?;
        known(&unit_ids, c.fields.unit_id, format!("{at}.unitId"), "单位")?;
        cadres::insert(conn, Some(c.id), &c.fields).map_err(|e| e.at(&at))?;
    }
    let mut post_ids = BTreeSet::new();
    for (i, p) in doc.posts.iter().enumerate() {
        let at = format!("$.posts[{i}]");
        unique(&mut post_ids, p.id, &at)?;
        p.fields.validate().map_err(|e| e.at(&at))?;
        known(&cadre_ids, p.cadre_id, format!("{at}.cadreId"), "干部")?;
        known(&unit_ids, p.fields.unit_id, format!("{at}.unitId"), "单位")?;
        cadres::insert_post(conn, Some(p.id), p.cadre_id, &p.fields)?;
    }
    let mut owners: HashMap<OwnerKind, BTreeSet<i64>> = HashMap::new();
    owners.insert(OwnerKind::Cadre, cadre_ids.clone());
    let mut initiative_ids = BTreeSet::new();
    for (i, r) in doc.initiatives.iter().enumerate() {
        let at = format!("$.initiatives[{i}]");
        import_initiative(conn, r, &at, &unit_ids, &cadre_ids, &mut initiative_ids, &mut owners)?;
    }
    owners.insert(OwnerKind::Initiative, initiative_ids);
    for (i, e) in doc.evidence.iter().enumerate() {
        let at = format!("$.evidence[{i}]");
        // The same 50 MB limit as an attachment added in the window, checked before decoding.
        let limit = evidence::MAX_EVIDENCE_BYTES;
        if e.content_base64.len() / 4 * 3 > limit + 3 || !usize::try_from(e.meta.size).is_ok_and(|n| n <= limit) {
            return Err(Error::Import {
                path: format!("{at}.contentBase64"),
                message: format!("附件「{}」超过上限 {} MB", e.meta.name, limit / 1_048_576),
            });
        }
        let bytes = BASE64.decode(&e.content_base64).map_err(|err| Error::Import {
            path: format!("{at}.contentBase64"),
            message: format!("不是有效的 base64：{err}"),
        })?;
        if evidence::sha256_hex(&bytes) != e.meta.sha256 || usize::try_from(e.meta.size).ok() != Some(bytes.len()) {
            return Err(Error::Import {
                path: format!("{at}.sha256"),
                message: "文件内容与记录的大小或 SHA-256 不符".into(),
            });
        }
        if evidence::sanitize_name(&e.meta.name).ok().as_deref() != Some(e.meta.name.as_str()) {
            return Err(Error::Import {
                path: format!("{at}.name"),
                message: format!("文件名「{}」不安全", e.meta.name),
            });
        }
        let ids = owners.get(&e.meta.owner_kind).cloned().unwrap_or_default();
        known(&ids, e.meta.owner_id, format!("{at}.ownerId"), "所属记录")?;
        evidence::insert(conn, &e.meta, &bytes)?;
    }
    for r in &doc.revisions {
        revision::insert(conn, r).map_err(|e| e.at(&format!("$.revisions[id={}]", r.id)))?;
    }
    import_assessment_records(conn, doc, &cadre_ids, &owners)?;
    Ok(ImportSummary {
        units: doc.units.len(),
        cadres: doc.cadres.len(),
        posts: doc.posts.len(),
        initiatives: doc.initiatives.len(),
        evidence: doc.evidence.len(),
        revisions: doc.revisions.len(),
        assessment_records: doc.evaluations.len()
            + doc.protections.len()
            + doc.negatives.len()
            + doc.reports.len()
            + doc.clearings.len()
            + doc.tolerance_cases.len()
            + doc.schemes.len()
            + doc.final_grades.len()
            + doc.reviews.len()
            + doc.appraisal_texts.len(),
    })
}

/// Evaluations, protections, negative records, reports, clearings, tolerance
/// cases, schemes and final grades: validated like any input, references checked.
fn import_assessment_records(
    conn: &rusqlite::Connection,
    doc: &ArchiveDocument,
    cadre_ids: &BTreeSet<i64>,
    owners: &HashMap<OwnerKind, BTreeSet<i64>>,
) -> Result<()> {
    let mut evaluation_ids = BTreeSet::new();
    for (i, e) in doc.evaluations.iter().enumerate() {
        let at = format!("$.evaluations[{i}]");
        unique(&mut evaluation_ids, e.id, &at)?;
        e.fields.validate().map_err(|err| err.at(&at))?;
        known(cadre_ids, e.fields.cadre_id, format!("{at}.cadreId"), "干部")?;
        evaluations::insert(conn, Some(e.id), &e.fields)?;
    }
    let mut seen = BTreeSet::new();
    for (i, p) in doc.protections.iter().enumerate() {
        let at = format!("$.protections[{i}]");
        unique(&mut seen, p.id, &at)?;
        p.fields.validate().map_err(|err| err.at(&at))?;
        known(&evaluation_ids, p.fields.evaluation_id, format!("{at}.evaluationId"), "测评记录")?;
        evaluations::insert_protection(conn, Some(p.id), &p.fields).map_err(|err| err.at(&at))?;
    }
    let mut negative_ids = BTreeSet::new();
    for (i, n) in doc.negatives.iter().enumerate() {
        let at = format!("$.negatives[{i}]");
        unique(&mut negative_ids, n.id, &at)?;
        n.fields.validate().map_err(|err| err.at(&at))?;
        known(cadre_ids, n.fields.cadre_id, format!("{at}.cadreId"), "干部")?;
        negatives::insert(conn, Some(n.id), &n.fields)?;
    }
    let mut report_ids = BTreeSet::new();
    for (i, r) in doc.reports.iter().enumerate() {
        let at = format!("$.reports[{i}]");
        unique(&mut report_ids, r.id, &at)?;
        r.fields.validate().map_err(|err| err.at(&at))?;
        known(cadre_ids, r.fields.cadre_id, format!("{at}.cadreId"), "干部")?;
        if r.finding.is_some() != r.found_on.is_some() {
            return Err(Error::Import {
                path: format!("{at}.foundOn"),
                message: "查核结论与查核日期须同时填写".into(),
            });
        }
        reports::insert(conn, r)?;
    }
    let mut seen = BTreeSet::new();
    for (i, c) in doc.clearings.iter().enumerate() {
        let at = format!("$.clearings[{i}]");
        unique(&mut seen, c.id, &at)?;
        let untrue =
            doc.reports.iter().any(|r| r.id == c.report_id && r.finding == Some(crate::enums::ReportFinding::Untrue));
        if !untrue {
            return Err(Error::Import {
                path: format!("{at}.reportId"),
                message: "澄清正名只能对应经查不实的举报".into(),
            });
        }
        reports::insert_clearing(conn, c).map_err(|err| err.at(&at))?;
    }
    let mut case_ids = BTreeSet::new();
    let initiative_ids = owners.get(&OwnerKind::Initiative).cloned().unwrap_or_default();
    for (i, t) in doc.tolerance_cases.iter().enumerate() {
        let at = format!("$.toleranceCases[{i}]");
        unique(&mut case_ids, t.id, &at)?;
        t.fields.validate().map_err(|err| err.at(&at))?;
        known(cadre_ids, t.fields.cadre_id, format!("{at}.cadreId"), "干部")?;
        if let Some(id) = t.fields.initiative_id {
            known(&initiative_ids, id, format!("{at}.initiativeId"), "干事事项")?;
        }
        if let Some(id) = t.fields.negative_id {
            known(&negative_ids, id, format!("{at}.negativeId"), "负面记录")?;
        }
        for (k, cited) in t.fields.cites.iter().enumerate() {
            let benchmark = doc.tolerance_cases.iter().any(|c| c.id == *cited && c.fields.benchmark && c.id != t.id);
            if !benchmark {
                return Err(Error::Import {
                    path: format!("{at}.cites[{k}]"),
                    message: format!("案例 {cited} 不是文件中的标杆案例"),
                });
            }
        }
        let mut no_cites = t.fields.clone();
        no_cites.cites.clear();
        tolerance::insert(conn, Some(t.id), &no_cites)?;
    }
    for t in &doc.tolerance_cases {
        for cited in &t.fields.cites {
            conn.execute(
                "INSERT INTO tolerance_citation (case_id, cited_id) VALUES (?1, ?2)",
                rusqlite::params![t.id, cited],
            )?;
        }
    }
    for (i, s) in doc.schemes.iter().enumerate() {
        let at = format!("$.schemes[{i}]");
        s.scheme.validate().map_err(|err| err.at(&format!("{at}.scheme")))?;
        scheme::insert(conn, s).map_err(|err| err.at(&at))?;
    }
    let mut seen = BTreeSet::new();
    for (i, g) in doc.final_grades.iter().enumerate() {
        let at = format!("$.finalGrades[{i}]");
        unique(&mut seen, g.id, &at)?;
        g.fields.validate(g.suggested).map_err(|err| err.at(&at))?;
        known(cadre_ids, g.fields.cadre_id, format!("{at}.cadreId"), "干部")?;
        grades::upsert(conn, g).map_err(|err| err.at(&at))?;
    }
    let mut seen = BTreeSet::new();
    for (i, t) in doc.appraisal_texts.iter().enumerate() {
        let at = format!("$.appraisalTexts[{i}]");
        unique(&mut seen, t.id, &at)?;
        t.fields.validate().map_err(|err| err.at(&at))?;
        known(cadre_ids, t.fields.cadre_id, format!("{at}.cadreId"), "干部")?;
        crate::records::appraisal_texts::upsert(conn, Some(t.id), &t.fields).map_err(|err| err.at(&at))?;
    }
    let mut review_ids = BTreeSet::new();
    for (i, r) in doc.reviews.iter().enumerate() {
        let at = format!("$.reviews[{i}]");
        unique(&mut review_ids, r.id, &at)?;
        r.fields.validate().map_err(|err| err.at(&at))?;
        for (k, c) in r.fields.cadre_ids.iter().enumerate() {
            known(cadre_ids, *c, format!("{at}.cadreIds[{k}]"), "干部")?;
        }
        if let Some(p) = r.fields.parent_id.filter(|p| !review_ids.contains(p) || *p == r.id) {
            return Err(Error::Import {
                path: format!("{at}.parentId"),
                message: format!("跟进的批示 {p} 须在其前面"),
            });
        }
        reviews::insert(conn, r).map_err(|err| err.at(&at))?;
    }
    Ok(())
}

fn import_initiative(
    conn: &rusqlite::Connection,
    r: &InitiativeRecord,
    at: &str,
    unit_ids: &BTreeSet<i64>,
    cadre_ids: &BTreeSet<i64>,
    initiative_ids: &mut BTreeSet<i64>,
    owners: &mut HashMap<OwnerKind, BTreeSet<i64>>,
) -> Result<()> {
    let i = &r.initiative;
    unique(initiative_ids, i.id, at)?;
    i.fields.validate().map_err(|e| e.at(at))?;
    for (n, p) in i.fields.participants.iter().enumerate() {
        known(cadre_ids, p.cadre_id, format!("{at}.participants[{n}].cadreId"), "干部")?;
    }
    if i.stopped_on.is_some() != i.stop_reason.is_some() {
        return Err(Error::Import {
            path: format!("{at}.stopReason"), message: "中止日期与中止原因须同时填写".into()
        });
    }
    let stopped = i.stopped_on.as_deref().zip(i.stop_reason.as_deref());
    initiatives::insert(conn, Some(i.id), &i.fields, i.stage, stopped)?;
    if let Some(p) = &r.plan {
        p.validate(&i.fields.start_date).map_err(|e| e.at(&format!("{at}.plan")))?;
        if let Some(u) = p.responsible_unit_id {
            known(unit_ids, u, format!("{at}.plan.responsibleUnitId"), "单位")?;
        }
        plans::upsert_plan(conn, i.id, p)?;
    }
    let deadline = r.plan.as_ref().and_then(|p| p.deadline.as_deref());
    let mut milestone_ids = BTreeSet::new();
    for (n, m) in r.milestones.iter().enumerate() {
        let mat = format!("{at}.milestones[{n}]");
        m.fields.validate(&i.fields.start_date, deadline).map_err(|e| e.at(&mat))?;
        if m.initiative_id != i.id {
            return Err(Error::Import {
                path: format!("{mat}.initiativeId"),
                message: format!("应为所属事项 {}", i.id),
            });
        }
        milestone_ids.insert(m.id);
        plans::insert_milestone(conn, Some(m.id), i.id, &m.fields).map_err(|e| e.at(&mat))?;
    }
    for (n, rt) in r.ratings.iter().enumerate() {
        let rat = format!("{at}.ratings[{n}]");
        rt.fields.validate().map_err(|e| e.at(&rat))?;
        plans::insert_rating(conn, Some(rt.id), i.id, &rt.fields).map_err(|e| e.at(&rat))?;
        owners.entry(OwnerKind::Rating).or_default().insert(rt.id);
    }
    for (n, t) in r.tracking.iter().enumerate() {
        let tat = format!("{at}.tracking[{n}]");
        t.fields.validate().map_err(|e| e.at(&tat))?;
        if let Some(m) = t.fields.milestone_id {
            known(&milestone_ids, m, format!("{tat}.milestoneId"), "本事项的时间节点")?;
        }
        tracking::insert(conn, Some(t.id), i.id, &t.fields).map_err(|e| e.at(&tat))?;
        owners.entry(OwnerKind::Tracking).or_default().insert(t.id);
    }
    if let Some(o) = &r.outcome {
        o.validate().map_err(|e| e.at(&format!("{at}.outcome")))?;
        outcomes::upsert(conn, i.id, o)?;
        owners.entry(OwnerKind::Outcome).or_default().insert(i.id);
    }
    for (n, rc) in r.recognitions.iter().enumerate() {
        let rat = format!("{at}.recognitions[{n}]");
        rc.fields.validate().map_err(|e| e.at(&rat))?;
        outcomes::insert_recognition(conn, Some(rc.id), i.id, &rc.fields).map_err(|e| e.at(&rat))?;
        owners.entry(OwnerKind::Recognition).or_default().insert(rc.id);
    }
    for t in &r.transitions {
        lifecycle::insert_transition(conn, t).map_err(|e| e.at(&format!("{at}.transitions")))?;
    }
    owners.entry(OwnerKind::Milestone).or_default().extend(milestone_ids);
    // The stage claimed must be one the lifecycle could have reached.
    for reached in [Stage::Plan, Stage::Execution] {
        if i.stage > reached {
            let mut probe = initiatives::get(conn, i.id)?;
            probe.stage = reached;
            let missing = lifecycle::missing_for_next(conn, &probe)?;
            if !missing.is_empty() {
                return Err(Error::Import {
                    path: format!("{at}.stage"),
                    message: format!("事项处于「{}」阶段，但{}", i.stage, missing.join("；")),
                });
            }
        }
    }
    Ok(())
}
