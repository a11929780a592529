//! The fixed vocabularies of the domain. Values are stored and exchanged as
//! their Chinese terms, which is what users read and what the documents use.

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub enum $name { $( #[serde(rename = $text)] $variant ),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                $name::parse(text).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("{} 不是有效的 {}", text, stringify!($name)).into()))
            }
        }
    };
}

str_enum!(
    /// Kind of unit in the tree 市 → 县(市、区)/开发区, 市直部门, 市属企事业单位 → 乡镇/科室.
    UnitKind {
        City => "市",
        County => "县(市、区)",
        DevZone => "开发区",
        Department => "市直部门",
        Enterprise => "市属企事业单位",
        Township => "乡镇(街道)",
        Office => "科室",
        Other => "其他",
    }
);

str_enum!(Gender { Male => "男", Female => "女" });

str_enum!(
    /// Which level manages the cadre (干部管理权限).
    ManagementLevel { Province => "省管", City => "市管", County => "县管", Other => "其他" }
);

str_enum!(CadreStatus { Active => "在职", TransferredOut => "调出", Retired => "退休" });

str_enum!(
    /// What kind of work achievement an initiative is (seed 002).
    Category { Innovation => "创新思路", Project => "引进项目", Highlight => "亮点工作" }
);

str_enum!(
    /// Conduct contexts judged in the 干事 stage (seed 002).
    ConductTag { KeyWork => "全局性重点工作", Urgent => "急难险重任务", Critical => "关键时刻" }
);

str_enum!(Stage { Plan => "谋事", Execution => "干事", Outcome => "成事" });

str_enum!(ParticipantRole { Lead => "牵头", Member => "参与" });

str_enum!(
    /// The two raters of a plan (seed 002).
    RaterRole { OrgDept => "组织部门", UnitLeader => "领导班子主要负责同志" }
);

str_enum!(Achievement {
    Full => "完全实现",
    Basic => "基本实现",
    Partial => "部分实现",
    NotAchieved => "未实现",
});

str_enum!(RecognitionLevel { National => "国家级", Provincial => "省级", Municipal => "市级", County => "县级" });

str_enum!(
    /// What a piece of evidence (佐证材料) is attached to.
    OwnerKind {
        Cadre => "cadre",
        Initiative => "initiative",
        Milestone => "milestone",
        Rating => "rating",
        Tracking => "tracking",
        Outcome => "outcome",
        Recognition => "recognition",
    }
);

impl Stage {
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Plan => Some(Stage::Execution),
            Stage::Execution => Some(Stage::Outcome),
            Stage::Outcome => None,
        }
    }
}
