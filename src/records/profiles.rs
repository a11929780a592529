//! The personnel-file details of a cadre (干部任免审批表 content the archive
//! does not otherwise model): education, résumé, rewards and punishments,
//! annual appraisal results as written in the file, family members, photo.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::{Archive, Tx, revision};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Education {
    /// 学历 (e.g. 大学、研究生).
    pub level: String,
    /// 学位 (e.g. 工学学士).
    pub degree: String,
    /// 毕业院校系及专业 for the 学历.
    pub level_school: String,
    /// … for the 学位.
    pub degree_school: String,
}

impl Education {
    pub fn is_empty(&self) -> bool {
        self.level.is_empty() && self.degree.is_empty() && self.level_school.is_empty() && self.degree_school.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct FamilyMember {
    /// 称谓
    pub relation: String,
    pub name: String,
    /// 出生日期 as written (YYYY-MM when it could be read).
    pub birth: String,
    /// 政治面貌
    pub political: String,
    /// 工作单位及职务
    pub work: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Profile {
    /// 政治面貌 (中共党员 …), as the 任免审批表 writes it.
    pub political: String,
    /// 出生地
    pub birthplace: String,
    /// 健康状况
    pub health: String,
    /// 专业技术职务
    pub tech_title: String,
    /// 熟悉专业有何专长
    pub speciality: String,
    /// 全日制教育
    pub full_time: Education,
    /// 在职教育
    pub in_service: Education,
    /// 简历 (one line per period)
    pub resume: String,
    /// 奖惩情况
    pub rewards: String,
    /// 年度考核结果, as written in the file
    pub appraisal_results: String,
    /// 拟任职务
    pub proposed_post: String,
    /// 拟免职务
    pub proposed_removal: String,
    /// 任免理由
    pub appointment_reason: String,
    /// 呈报单位
    pub report_unit: String,
    /// 计算年龄时间
    pub age_date: String,
    /// 填表时间
    pub filled_on: String,
    /// 填表人
    pub filled_by: String,
    pub family: Vec<FamilyMember>,
    /// The LRMX `Version` the profile was read from.
    pub version: String,
    /// 现任职务 as the form wrote it (「燕州市丰河县委常委、副县长」): written back as it
    /// was while the archive's post, 职级 and unit still read the same from it.
    pub current_post: String,
    /// Whether a photo is stored (the bytes are kept apart).
    pub has_photo: bool,
}

/// A cadre's photo: media type sniffed from the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub mime: String,
    pub bytes: Vec<u8>,
}

pub const MAX_PHOTO: usize = 2 << 20;

impl Photo {
    /// JPEG, PNG, GIF or BMP, at most 2 MB; anything else is refused.
    pub fn sniff(bytes: Vec<u8>) -> std::result::Result<Photo, String> {
        if bytes.len() > MAX_PHOTO {
            return Err(format!("照片过大（{} 字节，上限 {MAX_PHOTO}）", bytes.len()));
        }
        let mime = match bytes.as_slice() {
            [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
            [0x89, b'P', b'N', b'G', ..] => "image/png",
            [b'G', b'I', b'F', b'8', ..] => "image/gif",
            [b'B', b'M', ..] => "image/bmp",
            _ => return Err("照片不是 JPEG/PNG/GIF/BMP 图像".to_owned()),
        };
        Ok(Photo { mime: mime.to_owned(), bytes })
    }
}

pub fn get(conn: &Connection, cadre_id: i64) -> Result<Option<Profile>> {
    let data: Option<String> =
        conn.query_row("SELECT data FROM cadre_profile WHERE cadre_id = ?1", [cadre_id], |r| r.get(0)).optional()?;
    data.map(|d| serde_json::from_str(&d).map_err(Error::from)).transpose()
}

pub fn photo(conn: &Connection, cadre_id: i64) -> Result<Option<Photo>> {
    Ok(conn
        .query_row(
            "SELECT photo, photo_mime FROM cadre_profile WHERE cadre_id = ?1 AND photo IS NOT NULL",
            [cadre_id],
            |r| Ok(Photo { bytes: r.get(0)?, mime: r.get(1)? }),
        )
        .optional()?)
}

/// Store the profile (and photo, when given; `None` keeps the stored one), as a new revision.
pub fn save(tx: &Tx, cadre_id: i64, profile: &Profile, photo: Option<&Photo>, reason: &str) -> Result<()> {
    let mut profile = profile.clone();
    profile.has_photo = photo.is_some() || self::photo(tx, cadre_id)?.is_some();
    tx.execute(
        "INSERT INTO cadre_profile (cadre_id, data) VALUES (?1, ?2)
         ON CONFLICT(cadre_id) DO UPDATE SET data = excluded.data",
        params![cadre_id, serde_json::to_string(&profile)?],
    )?;
    if let Some(p) = photo {
        tx.execute(
            "UPDATE cadre_profile SET photo = ?2, photo_mime = ?3 WHERE cadre_id = ?1",
            params![cadre_id, p.bytes, p.mime],
        )?;
    }
    revision::record(tx, "profile", cadre_id, reason, &profile)
}

impl Archive {
    pub fn profile(&self, cadre_id: i64) -> Result<Option<Profile>> {
        self.require_cadre(cadre_id)?;
        get(self.conn(), cadre_id)
    }

    pub fn photo(&self, cadre_id: i64) -> Result<Option<Photo>> {
        self.require_cadre(cadre_id)?;
        photo(self.conn(), cadre_id)
    }
}
