//! The assessment scheme (考核方案): every weight, scale, threshold and the 优秀
//! quota, stored in the archive per year and versioned. Saving creates a new
//! version; results record the version they used. Version 0 is the built-in
//! default documented in `docs/assessment.md`.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::asof::AsOf;
use crate::archive::{Archive, revision};
use crate::enums::{AccountabilityKind, Grade, RaterGroup};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StageWeights {
    pub plan: f64,
    pub execution: f64,
    pub outcome: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanRules {
    /// Weight of the 组织部门 rating against the 主要负责同志 rating.
    pub org_dept_weight: f64,
    pub unit_leader_weight: f64,
    /// Weights of 创新性, 挑战性, 攻坚性.
    pub innovation_weight: f64,
    pub challenge_weight: f64,
    pub difficulty_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRules {
    /// Weight of milestone adherence (share of due milestones met on time).
    pub adherence_weight: f64,
    /// Weight of the trackers' ratings.
    pub tracking_weight: f64,
    /// Points off per overdue day, summed over milestones, up to the cap.
    pub overdue_penalty_per_day: f64,
    pub overdue_penalty_cap: f64,
    /// Points for each tracking record of conduct in key/urgent/critical work, up to the cap.
    pub conduct_bonus: f64,
    pub conduct_bonus_cap: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeRules {
    /// Base score for 完全实现 / 基本实现 / 部分实现 / 未实现.
    pub full: f64,
    pub basic: f64,
    pub partial: f64,
    pub not_achieved: f64,
    /// Bonus per recognition by level, up to the cap.
    pub national_bonus: f64,
    pub provincial_bonus: f64,
    pub municipal_bonus: f64,
    pub county_bonus: f64,
    pub recognition_cap: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupWeight {
    pub group: RaterGroup,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationRules {
    /// Points a vote of each grade is worth (0–100).
    pub excellent_vote: f64,
    pub competent_vote: f64,
    pub basic_vote: f64,
    pub incompetent_vote: f64,
    /// Weight of each rater group when groups are combined.
    pub group_weights: Vec<GroupWeight>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Deduction {
    pub kind: AccountabilityKind,
    /// `None`: every subtype of the kind.
    pub subtype: Option<String>,
    pub points: f64,
    /// The best grade allowed while the record is in effect.
    pub max_grade: Grade,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NegativeRules {
    /// Points off per accountability record in effect, and the grade it caps.
    pub accountability: Vec<Deduction>,
    /// Points off per inaction finding in effect.
    pub inaction: f64,
    /// Points off per interview / problem item past its deadline and not closed by it.
    pub overdue_rectification: f64,
    pub cap: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompositeRules {
    /// 实绩 (work achievements), 官评 (民主测评), 民评 (群众评议).
    pub achievement_weight: f64,
    pub official_weight: f64,
    pub public_weight: f64,
    /// Role weights of an initiative in the achievement part.
    pub lead_weight: f64,
    pub member_weight: f64,
    /// Lowest composite for 优秀 / 称职 / 基本称职; below is 不称职.
    pub excellent_from: f64,
    pub competent_from: f64,
    pub basic_from: f64,
    /// Share of a 考核单位's assessed cadres that may be suggested 优秀.
    pub excellent_quota: f64,
    /// A 考核单位 with fewer assessed cadres than this shares the quota of the unit above it.
    pub quota_min_unit_size: usize,
    /// 优秀 needs at least one item of the year that reached 干事 and was assessed
    /// there or in 成事: a plan alone is an intention, not an achievement
    /// (从实干看优劣、凭实绩选干部). Schemes saved before this rule read as `true`.
    #[serde(default = "yes")]
    pub excellent_needs_delivery: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PromotionRules {
    /// Years looked back for the four dimensions and the grade check.
    pub years: i32,
    /// Bonus per initiative led (想干事), up to the cap.
    pub lead_bonus: f64,
    pub lead_bonus_cap: f64,
    /// Level thresholds: 优 / 良 / 中 (below: 差).
    pub excellent_from: f64,
    pub good_from: f64,
    pub fair_from: f64,
    /// Every final grade of the window must be at least this.
    pub min_grade: Grade,
    /// Months in the current post at least.
    pub min_months_in_post: i64,
}

/// The 黄/橙/红 warnings of the 工作台 (跟踪盯办; the 为官不为 预警 applied to
/// milestones). They lead the clerk to an item; they never change a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WarningRules {
    /// 黄: an open milestone due within this many days …
    pub due_soon_days: i64,
    /// … or overdue up to this many days.
    pub yellow_overdue_days: i64,
    /// 橙: overdue up to this many days (beyond: 红) …
    pub orange_overdue_days: i64,
    /// … or this many late milestones on one item.
    pub late_milestones_orange: usize,
}

impl Default for WarningRules {
    fn default() -> Self {
        WarningRules { due_soon_days: 7, yellow_overdue_days: 30, orange_overdue_days: 90, late_milestones_orange: 2 }
    }
}

impl WarningRules {
    /// The thresholds in words, as the 工作台 states them.
    pub fn describe(&self) -> String {
        format!(
            "黄：节点 {} 天内到期或逾期不超过 {} 天；橙：逾期 {}–{} 天，或同一事项 {} 个节点逾期；红：逾期超过 {} 天，或已过计划完成日期仍未成事",
            self.due_soon_days,
            self.yellow_overdue_days,
            self.yellow_overdue_days + 1,
            self.orange_overdue_days,
            self.late_milestones_orange,
            self.orange_overdue_days
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Scheme {
    pub stage_weights: StageWeights,
    pub plan: PlanRules,
    pub execution: ExecutionRules,
    pub outcome: OutcomeRules,
    pub evaluation: EvaluationRules,
    pub negative: NegativeRules,
    pub composite: CompositeRules,
    pub promotion: PromotionRules,
    /// Schemes saved before the 工作台 have the default thresholds.
    #[serde(default)]
    pub warnings: WarningRules,
}

impl Default for Scheme {
    /// The default scheme; each number is explained in `docs/assessment.md`.
    fn default() -> Self {
        use AccountabilityKind as K;
        let d = |kind, subtype: Option<&str>, points, max_grade| Deduction {
            kind,
            subtype: subtype.map(str::to_owned),
            points,
            max_grade,
        };
        Scheme {
            stage_weights: StageWeights { plan: 0.3, execution: 0.35, outcome: 0.35 },
            plan: PlanRules {
                org_dept_weight: 0.5,
                unit_leader_weight: 0.5,
                innovation_weight: 1.0,
                challenge_weight: 1.0,
                difficulty_weight: 1.0,
            },
            execution: ExecutionRules {
                adherence_weight: 0.6,
                tracking_weight: 0.4,
                overdue_penalty_per_day: 0.2,
                overdue_penalty_cap: 20.0,
                conduct_bonus: 3.0,
                conduct_bonus_cap: 9.0,
            },
            outcome: OutcomeRules {
                full: 100.0,
                basic: 85.0,
                partial: 60.0,
                not_achieved: 30.0,
                national_bonus: 15.0,
                provincial_bonus: 10.0,
                municipal_bonus: 5.0,
                county_bonus: 2.0,
                recognition_cap: 20.0,
            },
            evaluation: EvaluationRules {
                excellent_vote: 100.0,
                competent_vote: 80.0,
                basic_vote: 60.0,
                incompetent_vote: 0.0,
                group_weights: vec![
                    GroupWeight { group: RaterGroup::Leaders, weight: 0.3 },
                    GroupWeight { group: RaterGroup::Peers, weight: 0.3 },
                    GroupWeight { group: RaterGroup::Subordinates, weight: 0.2 },
                    GroupWeight { group: RaterGroup::Clients, weight: 0.2 },
                    GroupWeight { group: RaterGroup::Public, weight: 0.2 },
                ],
            },
            negative: NegativeRules {
                accountability: vec![
                    d(K::Reminder, None, 1.0, Grade::Excellent),
                    d(K::Admonishment, None, 5.0, Grade::Competent),
                    d(K::Circulated, None, 5.0, Grade::Competent),
                    d(K::Organizational, None, 10.0, Grade::Competent),
                    d(K::Organizational, Some("降职"), 15.0, Grade::Basic),
                    d(K::Party, Some("警告"), 10.0, Grade::Competent),
                    d(K::Party, None, 20.0, Grade::Basic),
                    d(K::Government, Some("警告"), 10.0, Grade::Competent),
                    d(K::Government, None, 20.0, Grade::Basic),
                ],
                inaction: 5.0,
                overdue_rectification: 2.0,
                cap: 40.0,
            },
            composite: CompositeRules {
                achievement_weight: 0.6,
                official_weight: 0.25,
                public_weight: 0.15,
                lead_weight: 1.0,
                member_weight: 0.5,
                excellent_from: 85.0,
                competent_from: 60.0,
                basic_from: 40.0,
                excellent_quota: 0.2,
                quota_min_unit_size: 5,
                excellent_needs_delivery: true,
            },
            promotion: PromotionRules {
                years: 3,
                lead_bonus: 5.0,
                lead_bonus_cap: 15.0,
                excellent_from: 85.0,
                good_from: 70.0,
                fair_from: 60.0,
                min_grade: Grade::Competent,
                min_months_in_post: 24,
            },
            warnings: WarningRules::default(),
        }
    }
}

impl Scheme {
    /// The deduction rule for an accountability record: the subtype's own rule, else the kind's.
    pub fn deduction(&self, kind: AccountabilityKind, subtype: &str) -> Option<&Deduction> {
        let rules = &self.negative.accountability;
        rules
            .iter()
            .find(|d| d.kind == kind && d.subtype.as_deref() == Some(subtype))
            .or_else(|| rules.iter().find(|d| d.kind == kind && d.subtype.is_none()))
    }

    /// Every field within its bounds; see `scheme_check` and docs/assessment.md.
    pub fn validate(&self) -> Result<()> {
        super::scheme_check::validate(self)
    }
}

/// A stored scheme version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchemeVersion {
    pub year: i32,
    /// 0 is the built-in default; saved versions count from 1.
    pub version: i64,
    pub scheme: Scheme,
    pub saved_at: String,
    pub saved_by: String,
    pub note: String,
}

/// The newest scheme for `year` (the built-in default when none was saved).
pub fn current(conn: &Connection, year: i32) -> Result<SchemeVersion> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, content, saved_at, saved_by, note FROM scheme WHERE year = ?1 ORDER BY version DESC LIMIT 1",
    )?;
    let row: Option<(i64, String, String, String, String)> =
        stmt.query_row([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).optional()?;
    Ok(match row {
        Some((version, content, saved_at, saved_by, note)) => {
            SchemeVersion { year, version, scheme: serde_json::from_str(&content)?, saved_at, saved_by, note }
        }
        None => builtin(year),
    })
}

/// Version 0: the built-in default of docs/assessment.md.
fn builtin(year: i32) -> SchemeVersion {
    SchemeVersion {
        year,
        version: 0,
        scheme: Scheme::default(),
        saved_at: String::new(),
        saved_by: "内置默认方案".to_owned(),
        note: "docs/assessment.md 所述默认方案".to_owned(),
    }
}

/// The scheme an assessment as of `as_of` uses: the newest version saved by the
/// time decisions count ([`AsOf::decision`]: any, by default; with an explicit
/// as-of date, the newest saved on or before it, else the built-in default).
/// A stored version that no longer passes validation is refused by name rather
/// than used to grade anyone.
pub fn in_force(conn: &Connection, year: i32, as_of: AsOf) -> Result<SchemeVersion> {
    let chosen = match as_of.known_by {
        None => current(conn, year)?,
        Some(_) => all(conn)?
            .into_iter()
            .rfind(|v| v.year == year && as_of.decision(v.saved_at.get(..10).unwrap_or_default()))
            .unwrap_or_else(|| builtin(year)),
    };
    chosen.scheme.validate().map_err(|e| {
        Error::State(format!(
            "{year} 年度考核方案第 {} 版不符合校验规则，不能用于考核：{e}。请在“考核方案”中修正后保存新版本",
            chosen.version
        ))
    })?;
    Ok(chosen)
}

pub fn all(conn: &Connection) -> Result<Vec<SchemeVersion>> {
    let mut stmt =
        conn.prepare("SELECT year, version, content, saved_at, saved_by, note FROM scheme ORDER BY year, version")?;
    let rows: Vec<(i32, i64, String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(year, version, content, saved_at, saved_by, note)| {
            Ok(SchemeVersion { year, version, scheme: serde_json::from_str(&content)?, saved_at, saved_by, note })
        })
        .collect()
}

pub fn insert(conn: &Connection, s: &SchemeVersion) -> Result<()> {
    conn.execute(
        "INSERT INTO scheme (year, version, content, saved_at, saved_by, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.year, s.version, serde_json::to_string(&s.scheme)?, s.saved_at, s.saved_by, s.note],
    )?;
    Ok(())
}

impl Archive {
    pub fn scheme(&self, year: i32) -> Result<SchemeVersion> {
        current(self.conn(), year)
    }

    /// Save a new version of the year's scheme (earlier versions stay).
    pub fn save_scheme(&mut self, year: i32, scheme: Scheme, note: &str) -> Result<SchemeVersion> {
        validate::score("year", "年度", i64::from(year), 1990, 2200)?;
        scheme.validate()?;
        validate::bounded("note", "修订说明", note, validate::MAX_TEXT)?;
        self.with_tx(|tx| {
            let version = current(tx, year)?.version + 1;
            let saved = SchemeVersion {
                year,
                version,
                scheme,
                saved_at: tx.now.clone(),
                saved_by: tx.actor.to_owned(),
                note: note.to_owned(),
            };
            insert(tx, &saved)?;
            revision::record(tx, "scheme", i64::from(year) * 1000 + version, "新版本", &saved)?;
            Ok(saved)
        })
    }
}
