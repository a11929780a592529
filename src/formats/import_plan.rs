//! What an import would change, in the clerk's words: the cadre as it would be
//! after the import (the file's fields over the archive's, the clerk's choices
//! for what the file does not say) and each change named as the form or the
//! roster names it.

use std::collections::HashMap;

use super::import::{FieldChange, ImportOptions, Incoming};
use crate::enums::{CadreStatus, ManagementLevel};
use crate::records::cadres::{Cadre, CadreInput};
use crate::records::profiles::Profile;

/// A cadre's field as a roster's column or a form's box calls it.
pub(super) fn field_label(field: &str) -> &str {
    match field {
        "name" => "姓名",
        "gender" => "性别",
        "birth" => "出生年月",
        "ethnicity" => "民族",
        "nativePlace" => "籍贯",
        "post" => "现任职务",
        "rank" => "职级",
        "unitId" => "单位",
        "idNumber" => "身份证号",
        "education" => "学历",
        "partyDate" => "入党时间",
        "workStart" => "参加工作时间",
        "managementLevel" => "管理类别",
        "status" => "状态",
        _ => "",
    }
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The cadre as it would be after the import.
pub(super) fn merged(
    p: &Incoming,
    existing: Option<&Cadre>,
    options: ImportOptions,
) -> std::result::Result<CadreInput, String> {
    let default_unit = options.unit;
    let base = existing.map(|c| c.fields.clone());
    let unit_id = p
        .unit_id
        .or(base.as_ref().map(|b| b.unit_id))
        .or(default_unit)
        .ok_or_else(|| "新干部须指定所在单位（花名册的“单位”列，或导入时选择的单位）".to_owned())?;
    Ok(CadreInput {
        name: p.name.clone(),
        gender: p.gender,
        birth: p.birth.clone(),
        ethnicity: if p.ethnicity.is_empty() {
            base.as_ref().map_or_else(String::new, |b| b.ethnicity.clone())
        } else {
            p.ethnicity.clone()
        },
        native_place: p.native_place.clone(),
        party_date: p.party_date.clone(),
        work_start: p.work_start.clone(),
        education: p.education.clone().or(base.as_ref().map(|b| b.education.clone())).unwrap_or_default(),
        post: p.post.clone().or(base.as_ref().map(|b| b.post.clone())).unwrap_or_default(),
        rank: p.rank.clone().or(base.as_ref().map(|b| b.rank.clone())).unwrap_or_default(),
        unit_id,
        management_level: p
            .management_level
            .or(base.as_ref().map(|b| b.management_level))
            .or(options.level)
            .unwrap_or(ManagementLevel::Other),
        status: base.as_ref().map_or(CadreStatus::Active, |b| b.status),
        staff_category: p.staff_category.or(base.as_ref().map(|b| b.staff_category)).unwrap_or_default(),
        id_number: p.id_number.clone().or(base.and_then(|b| b.id_number)),
    })
}

/// A cadre's fields as the preview names them, with their values as shown.
fn cadre_fields(c: &CadreInput, units: &HashMap<i64, String>) -> [(&'static str, String); 14] {
    let unit = |id: i64| units.get(&id).cloned().unwrap_or_else(|| format!("单位 {id}"));
    [
        ("姓名", c.name.clone()),
        ("性别", c.gender.to_string()),
        ("出生年月", c.birth.clone()),
        ("民族", c.ethnicity.clone()),
        ("籍贯", c.native_place.clone()),
        ("入党时间", show(&c.party_date)),
        ("参加工作时间", show(&c.work_start)),
        ("学历", c.education.clone()),
        ("现任职务", c.post.clone()),
        ("职级", c.rank.clone()),
        ("单位", unit(c.unit_id)),
        ("管理权限", c.management_level.to_string()),
        ("人员类别", c.staff_category.to_string()),
        ("身份证号", show(&c.id_number)),
    ]
}

/// What changes (an existing cadre), or every field given (a new one: from nothing).
pub(super) fn cadre_changes(
    before: Option<&CadreInput>,
    after: &CadreInput,
    units: &HashMap<i64, String>,
) -> Vec<FieldChange> {
    let after = cadre_fields(after, units);
    let before = before.map(|b| cadre_fields(b, units));
    after
        .into_iter()
        .enumerate()
        .map(|(i, (field, a))| (field, before.as_ref().map(|b| b[i].1.clone()).unwrap_or_default(), a))
        .filter(|(_, b, a)| b != a)
        .map(|(f, b, a)| FieldChange { field: f.to_owned(), before: b, after: a })
        .collect()
}

/// A profile field as the 任免审批表 names it.
fn profile_label(key: &str) -> &str {
    match key {
        "political" => "政治面貌",
        "birthplace" => "出生地",
        "health" => "健康状况",
        "techTitle" => "专业技术职务",
        "speciality" => "熟悉专业有何专长",
        "fullTime" => "全日制教育",
        "inService" => "在职教育",
        "resume" => "简历",
        "rewards" => "奖惩情况",
        "appraisalResults" => "年度考核结果",
        "proposedPost" => "拟任职务",
        "proposedRemoval" => "拟免职务",
        "appointmentReason" => "任免理由",
        "reportUnit" => "呈报单位",
        "ageDate" => "计算年龄时间",
        "filledOn" => "填表时间",
        "filledBy" => "填表人",
        "family" => "家庭主要成员",
        other => other,
    }
}

pub(super) fn profile_changes(before: Option<&Profile>, after: &Profile) -> Vec<FieldChange> {
    let to_map = |p: &Profile| serde_json::to_value(p).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
    let b = before.map(to_map).unwrap_or_default();
    let a = to_map(after);
    a.iter()
        .filter(|(k, v)| {
            !matches!(k.as_str(), "hasPhoto" | "version" | "currentPost")
                && b.get(*k) != Some(*v)
                && !(b.get(*k).is_none() && is_blank(v))
        })
        .map(|(k, v)| FieldChange {
            field: format!("任免审批表·{}", profile_label(k)),
            before: b.get(k).map(short).unwrap_or_default(),
            after: short(v),
        })
        .collect()
}

fn is_blank(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.values().all(is_blank),
        _ => false,
    }
}

fn short(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut t: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        t.push('…');
    }
    t
}
