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
        Province => "省",
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

str_enum!(
    /// 人员类别: which 年度考核登记表 the cadre signs and the grade words on it —
    /// 公务员 and staff managed like them (参照公务员法管理) 优秀/称职/基本称职/不称职,
    /// 事业单位工作人员 优秀/合格/基本合格/不合格 (the same four tiers).
    StaffCategory { CivilServant => "公务员", Referenced => "参照公务员法管理", Institution => "事业单位" }
);

impl Grade {
    /// The grade as the form of a cadre of `category` writes it: 事业单位 staff are
    /// 合格 / 基本合格 / 不合格 where civil servants are 称职 / 基本称职 / 不称职.
    pub fn word(self, category: StaffCategory) -> &'static str {
        match (category, self) {
            (StaffCategory::Institution, Grade::Competent) => "合格",
            (StaffCategory::Institution, Grade::Basic) => "基本合格",
            (StaffCategory::Institution, Grade::Incompetent) => "不合格",
            _ => self.as_str(),
        }
    }
}

// The enum is made by `str_enum!`, which cannot mark one variant `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for StaffCategory {
    fn default() -> Self {
        StaffCategory::CivilServant
    }
}

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

str_enum!(
    /// People's evaluations (seed 002/003): 民主测评 is the official side (官评),
    /// 群众评议 / 满意度 the public side (民评).
    EvaluationKind { Democratic => "民主测评", Public => "群众评议" }
);

str_enum!(EvaluationSide { Official => "官评", Public => "民评" });

impl EvaluationKind {
    pub fn side(self) -> EvaluationSide {
        match self {
            EvaluationKind::Democratic => EvaluationSide::Official,
            EvaluationKind::Public => EvaluationSide::Public,
        }
    }
}

str_enum!(RaterGroup { Leaders => "班子成员", Peers => "同事", Subordinates => "下属", Clients => "服务对象", Public => "群众" });

str_enum!(
    /// The four grades of the yearly appraisal, plus 不确定等次 when a grade is premature.
    Grade { Excellent => "优秀", Competent => "称职", Basic => "基本称职", Incompetent => "不称职", Undetermined => "不确定等次" }
);

impl Grade {
    /// Rank for comparisons: higher is better; 不确定等次 ranks lowest.
    pub fn rank(self) -> u8 {
        match self {
            Grade::Excellent => 4,
            Grade::Competent => 3,
            Grade::Basic => 2,
            Grade::Incompetent => 1,
            Grade::Undetermined => 0,
        }
    }
}

str_enum!(
    /// Accountability (问责) kinds, mild to severe (seeds 003, 004).
    AccountabilityKind {
        Reminder => "提醒谈话",
        Admonishment => "诫勉谈话",
        Circulated => "通报批评",
        Organizational => "组织处理",
        Party => "党纪处分",
        Government => "政务处分",
    }
);

/// The effect period (影响期) of a negative record's subtype, in months from the
/// record's date: applied when a record gives none, and the bounds a given one
/// must keep. `source` names the regulation it comes from (or says there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EffectPeriod {
    pub default: u32,
    pub min: u32,
    pub max: u32,
    pub source: &'static str,
}

const fn fixed(months: u32, source: &'static str) -> EffectPeriod {
    EffectPeriod { default: months, min: months, max: months, source }
}

const GOVERNMENT: &str = "《中华人民共和国公职人员政务处分法》第八条（处分期间）";

/// 为官不为 findings (seed 003): no national regulation sets a period.
pub const INACTION_EFFECT: EffectPeriod = EffectPeriod {
    default: 12,
    min: 0,
    max: 24,
    source: "无全国统一规定：默认一个考核年度（12 个月），可在 0–24 个月内认定",
};

const REMINDER_SUBTYPES: &[(&str, EffectPeriod)] = &[(
    "提醒谈话",
    EffectPeriod {
        default: 0, min: 0, max: 6, source: "提醒谈话不是处分，无规定的影响期：默认只影响当年"
    },
)];

const ADMONISHMENT_SUBTYPES: &[(&str, EffectPeriod)] =
    &[("诫勉谈话", fixed(6, "《关于对党员领导干部进行诫勉的规定》：受到诫勉的，六个月内不得提拔或者重用"))];

const CIRCULATED_SUBTYPES: &[(&str, EffectPeriod)] = &[(
    "通报批评",
    EffectPeriod {
        default: 6, min: 0, max: 12, source: "无全国统一规定：按通常做法默认 6 个月，可在 0–12 个月内认定"
    },
)];

const ORGANIZATIONAL_SUBTYPES: &[(&str, EffectPeriod)] = &[
    (
        "停职检查",
        EffectPeriod {
            default: 6,
            min: 1,
            max: 12,
            source: "《中国共产党组织处理规定（试行）》：停职检查期满后视情况作出处理；默认 6 个月",
        },
    ),
    ("调整职务", fixed(12, "《中国共产党组织处理规定（试行）》：受到调整职务处理的，一年内不得提拔")),
    ("责令辞职", EffectPeriod { default: 12, min: 12, max: 24, source: ORGANIZATIONAL_RESIGN }),
    ("免职", EffectPeriod { default: 12, min: 12, max: 24, source: ORGANIZATIONAL_RESIGN }),
    ("降职", fixed(24, "《中国共产党组织处理规定（试行）》：受到降职处理的，两年内不得提拔")),
];

const PARTY_SUBTYPES: &[(&str, EffectPeriod)] = &[
    ("警告", fixed(12, "《中国共产党纪律处分条例》：受到警告处分一年内不得在党内提升职务")),
    ("严重警告", fixed(18, "《中国共产党纪律处分条例》：受到严重警告处分一年半内不得在党内提升职务")),
    (
        "撤销党内职务",
        fixed(24, "《中国共产党纪律处分条例》：撤销党内职务的，二年内不得担任与其原任职务相当或者高于其原任职务的职务"),
    ),
    (
        "留党察看",
        EffectPeriod {
            default: 24,
            min: 12,
            max: 48,
            source: "《中国共产党纪律处分条例》：留党察看期一年或二年，恢复党员权利后二年内不得担任与其原任职务相当或者高于其原任职务的职务",
        },
    ),
    ("开除党籍", fixed(60, "《中国共产党纪律处分条例》：受到开除党籍处分的，五年内不得重新入党")),
];

const GOVERNMENT_SUBTYPES: &[(&str, EffectPeriod)] = &[
    ("警告", fixed(6, GOVERNMENT)),
    ("记过", fixed(12, GOVERNMENT)),
    ("记大过", fixed(18, GOVERNMENT)),
    ("降级", fixed(24, GOVERNMENT)),
    ("撤职", fixed(24, GOVERNMENT)),
    ("开除", fixed(120, "《中华人民共和国公职人员政务处分法》：开除不设处分期间；本档案以最长的 120 个月计")),
];

impl AccountabilityKind {
    /// The subtypes each kind admits, each with its effect period (影响期).
    pub fn subtypes(self) -> &'static [(&'static str, EffectPeriod)] {
        match self {
            AccountabilityKind::Reminder => REMINDER_SUBTYPES,
            AccountabilityKind::Admonishment => ADMONISHMENT_SUBTYPES,
            AccountabilityKind::Circulated => CIRCULATED_SUBTYPES,
            AccountabilityKind::Organizational => ORGANIZATIONAL_SUBTYPES,
            AccountabilityKind::Party => PARTY_SUBTYPES,
            AccountabilityKind::Government => GOVERNMENT_SUBTYPES,
        }
    }

    /// The effect period of one of the kind's subtypes.
    pub fn effect_period(self, subtype: &str) -> Option<EffectPeriod> {
        self.subtypes().iter().find(|(s, _)| *s == subtype).map(|(_, p)| *p)
    }
}

const ORGANIZATIONAL_RESIGN: &str = "《中国共产党组织处理规定（试行）》：受到责令辞职、免职处理的，一年内不安排领导职务，两年内不得担任高于原任职务层级的领导职务";

str_enum!(
    /// 为官不为 in four kinds (seed 003, 玉溪): 庸 懒 散 混.
    InactionCategory { Mediocre => "庸", Lazy => "懒", Lax => "散", Drifting => "混" }
);

impl InactionCategory {
    /// The sixteen situations of seed 003, by kind (4 + 3 + 3 + 6).
    pub fn situations(self) -> &'static [&'static str] {
        match self {
            InactionCategory::Mediocre => {
                &["不思进取、安于现状", "不动脑筋、照搬照抄", "落实不力、漏洞迭出", "领导力或执行力差，不胜任岗位职责"]
            }
            InactionCategory::Lazy => {
                &["做事漫不经心，消极怠工", "对工作不重视、不研究，被动应付", "漫不经心，工作拖拉"]
            }
            InactionCategory::Lax => {
                &["有令不行、有禁不止", "政治生活不正常，民主集中制执行不好，班子不团结", "守土不尽责，对工作推三阻四"]
            }
            InactionCategory::Drifting => &[
                "动口不动手、务虚不务实",
                "缺乏创新、创造、发挥主观能动性的意识",
                "作风飘浮，不切实际",
                "投机钻营，只琢磨人不琢磨事",
                "公款吃喝、奢侈浪费",
                "在编不在岗，履职不到位",
            ],
        }
    }
}

str_enum!(ReportFinding { True => "属实", PartlyTrue => "部分属实", Untrue => "不实" });

str_enum!(ToleranceDecision { Tolerated => "予以容错", NotTolerated => "不予容错" });

str_enum!(
    /// What a user may do. A user may hold several roles.
    Role {
        SysAdmin => "系统管理员",
        Clerk => "档案管理员",
        Leader => "领导",
        Appraisal => "考核办",
    }
);

impl Role {
    /// Also accept the short English names on the command line.
    pub fn from_cli(text: &str) -> Option<Role> {
        Role::parse(text).or(match text {
            "admin" => Some(Role::SysAdmin),
            "clerk" => Some(Role::Clerk),
            "leader" => Some(Role::Leader),
            "hr" | "appraisal" => Some(Role::Appraisal),
            _ => None,
        })
    }
}
