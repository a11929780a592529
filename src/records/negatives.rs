//! Negative records: accountability (问责), inaction findings (为官不为, the
//! fixed 庸/懒/散/混 taxonomy of seed 003), interviews (约谈) and problem-list
//! items (问题清单), the last two followed until closed (销号).

use chrono::{Months, NaiveDate};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadres;
use crate::archive::{Archive, found, revision};
use crate::enums::{AccountabilityKind, EffectPeriod, INACTION_EFFECT, InactionCategory};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind")]
pub enum NegativeDetail {
    #[serde(rename = "问责", rename_all = "camelCase")]
    Accountability {
        accountability: AccountabilityKind,
        /// e.g. 警告, 记过, 免职 (see `AccountabilityKind::subtypes`).
        subtype: String,
        /// 影响期 in months from the record's date; omitted: the subtype's default
        /// (`AccountabilityKind::effect_period`), filled in when the record is saved.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        effect_months: Option<u32>,
        reason: String,
        issued_by: String,
    },
    #[serde(rename = "为官不为", rename_all = "camelCase")]
    Inaction {
        category: InactionCategory,
        /// One of the category's fixed situations.
        situation: String,
        description: String,
        found_by: String,
        /// Omitted: 12 months (`enums::INACTION_EFFECT`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        effect_months: Option<u32>,
    },
    #[serde(rename = "约谈", rename_all = "camelCase")]
    Interview {
        reason: String,
        /// 约谈备忘录.
        memo: String,
        /// 整改方案 with measures.
        rectification: String,
        deadline: String,
        closed_on: Option<String>,
        #[serde(default)]
        closure_note: String,
    },
    #[serde(rename = "问题清单", rename_all = "camelCase")]
    Problem {
        description: String,
        /// 路线图: how it will be fixed.
        route: String,
        responsible_person: String,
        deadline: String,
        closed_on: Option<String>,
        #[serde(default)]
        closure_note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NegativeInput {
    pub cadre_id: i64,
    pub date: String,
    pub detail: NegativeDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Negative {
    pub id: i64,
    #[serde(flatten)]
    pub fields: NegativeInput,
}

impl NegativeDetail {
    /// A 约谈 or 问题清单 not yet closed: its kind and its rectification deadline.
    pub fn open_deadline(&self) -> Option<(&'static str, String)> {
        match self {
            NegativeDetail::Interview { deadline, closed_on: None, .. } => Some(("约谈整改", deadline.clone())),
            NegativeDetail::Problem { deadline, closed_on: None, .. } => Some(("问题清单整改", deadline.clone())),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            NegativeDetail::Accountability { .. } => "问责",
            NegativeDetail::Inaction { .. } => "为官不为",
            NegativeDetail::Interview { .. } => "约谈",
            NegativeDetail::Problem { .. } => "问题清单",
        }
    }

    /// A short Chinese description for lists and explanations.
    pub fn label(&self) -> String {
        match self {
            NegativeDetail::Accountability { accountability, subtype, .. } if subtype == accountability.as_str() => {
                format!("问责：{accountability}")
            }
            NegativeDetail::Accountability { accountability, subtype, .. } => {
                format!("问责：{accountability}（{subtype}）")
            }
            NegativeDetail::Inaction { category, situation, .. } => format!("为官不为【{category}】{situation}"),
            NegativeDetail::Interview { reason, .. } => format!("约谈：{reason}"),
            NegativeDetail::Problem { description, .. } => format!("问题清单：{description}"),
        }
    }

    /// The rule of the record's effect period (accountability and inaction only).
    pub fn effect_period(&self) -> Option<EffectPeriod> {
        match self {
            NegativeDetail::Accountability { accountability, subtype, .. } => accountability.effect_period(subtype),
            NegativeDetail::Inaction { .. } => Some(INACTION_EFFECT),
            _ => None,
        }
    }

    /// The effect period in months: as recorded, else the subtype's default.
    pub fn effect_months(&self) -> Option<u32> {
        match self {
            NegativeDetail::Accountability { effect_months, .. } | NegativeDetail::Inaction { effect_months, .. } => {
                effect_months.or_else(|| self.effect_period().map(|p| p.default)).or(Some(0))
            }
            _ => None,
        }
    }

    /// The end of the effect period (影响期) for accountability and inaction.
    pub fn effect_end(&self, date: NaiveDate) -> Option<NaiveDate> {
        date.checked_add_months(Months::new(self.effect_months()?))
    }

    /// Fill in the subtype's default period where none was given, and check a
    /// given one against the subtype's bounds (`field`: where the error points).
    fn settle_effect(&mut self) -> Result<()> {
        let Some(rule) = self.effect_period() else { return Ok(()) };
        let label = self.label();
        let (NegativeDetail::Accountability { effect_months, .. } | NegativeDetail::Inaction { effect_months, .. }) =
            self
        else {
            return Ok(());
        };
        let months = *effect_months.get_or_insert(rule.default);
        if !(rule.min..=rule.max).contains(&months) {
            let allowed = if rule.min == rule.max {
                format!("为 {} 个月", rule.min)
            } else {
                format!("应在 {} 到 {} 个月之间", rule.min, rule.max)
            };
            return Err(Error::invalid(
                "detail.effectMonths",
                format!("{label}的影响期{allowed}（{}），实际为 {months} 个月", rule.source),
            ));
        }
        Ok(())
    }
}

impl NegativeInput {
    /// A new record: the subtype's default effect period where none is given, a
    /// given one within the subtype's bounds, then [`NegativeInput::validate`].
    /// (Records read from an interchange document keep the period they were
    /// recorded with: `validate` only checks it is 0–120 months.)
    pub fn settle(mut self) -> Result<NegativeInput> {
        self.detail.settle_effect()?;
        self.validate()?;
        Ok(self)
    }

    pub fn validate(&self) -> Result<()> {
        let date = validate::date("date", "日期", &self.date)?;
        match &self.detail {
            NegativeDetail::Accountability { accountability, subtype, effect_months, reason, issued_by } => {
                if !accountability.subtypes().iter().any(|(s, _)| s == subtype) {
                    let allowed: Vec<&str> = accountability.subtypes().iter().map(|(s, _)| *s).collect();
                    return Err(Error::invalid(
                        "detail.subtype",
                        format!("「{accountability}」的种类应为 {} 之一，实际为「{subtype}」", allowed.join("、")),
                    ));
                }
                validate::score("detail.effectMonths", "影响期（月）", i64::from(effect_months.unwrap_or(0)), 0, 120)?;
                validate::required("detail.reason", "问责事由", reason, validate::MAX_TEXT)?;
                validate::required("detail.issuedBy", "问责机关", issued_by, validate::MAX_NAME)?;
            }
            NegativeDetail::Inaction { category, situation, description, found_by, effect_months } => {
                if !category.situations().contains(&situation.as_str()) {
                    return Err(Error::invalid(
                        "detail.situation",
                        format!("「{situation}」不是「{category}」的十六种情形之一（见《为官不为》分类）"),
                    ));
                }
                validate::required("detail.description", "具体表现", description, validate::MAX_TEXT)?;
                validate::required("detail.foundBy", "认定机关", found_by, validate::MAX_NAME)?;
                validate::score("detail.effectMonths", "影响期（月）", i64::from(effect_months.unwrap_or(0)), 0, 120)?;
            }
            NegativeDetail::Interview { reason, memo, rectification, deadline, closed_on, closure_note } => {
                validate::required("detail.reason", "约谈事由", reason, validate::MAX_TEXT)?;
                validate::required("detail.memo", "约谈备忘录", memo, validate::MAX_TEXT)?;
                validate::required("detail.rectification", "整改方案", rectification, validate::MAX_TEXT)?;
                check_deadline(date, deadline, closed_on.as_deref(), closure_note)?;
            }
            NegativeDetail::Problem { description, route, responsible_person, deadline, closed_on, closure_note } => {
                validate::required("detail.description", "问题", description, validate::MAX_TEXT)?;
                validate::required("detail.route", "整改路线图", route, validate::MAX_TEXT)?;
                validate::required("detail.responsiblePerson", "责任人", responsible_person, 100)?;
                check_deadline(date, deadline, closed_on.as_deref(), closure_note)?;
            }
        }
        Ok(())
    }
}

fn check_deadline(date: NaiveDate, deadline: &str, closed_on: Option<&str>, note: &str) -> Result<()> {
    let due = validate::date("detail.deadline", "整改时限", deadline)?;
    validate::ordered("detail.deadline", "整改时限不能早于登记日期", date, due)?;
    if let Some(closed) = validate::optional_date("detail.closedOn", "销号日期", closed_on)? {
        validate::ordered("detail.closedOn", "销号日期不能早于登记日期", date, closed)?;
        validate::required("detail.closureNote", "销号说明", note, validate::MAX_TEXT)?;
    }
    Ok(())
}

pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Negative> {
    let detail: String = r.get(3)?;
    Ok(Negative {
        id: r.get(0)?,
        fields: NegativeInput {
            cadre_id: r.get(1)?,
            date: r.get(2)?,
            detail: serde_json::from_str(&detail)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e)))?,
        },
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Negative> {
    let mut stmt = conn.prepare_cached("SELECT id, cadre_id, date, detail FROM negative WHERE id = ?1")?;
    found("负面记录", id, stmt.query_row([id], from_row))
}

pub fn of_cadre(conn: &Connection, cadre_id: i64) -> Result<Vec<Negative>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, cadre_id, date, detail FROM negative WHERE cadre_id = ?1 ORDER BY date, id")?;
    let rows = stmt.query_map([cadre_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Negative>> {
    let mut stmt = conn.prepare("SELECT id, cadre_id, date, detail FROM negative ORDER BY id")?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(conn: &Connection, id: Option<i64>, n: &NegativeInput) -> Result<i64> {
    let id = crate::archive::ids::assign(conn, "negative", id)?;
    conn.execute(
        "INSERT INTO negative (id, cadre_id, kind, date, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, n.cadre_id, n.detail.kind(), n.date, serde_json::to_string(&n.detail)?],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Archive {
    pub fn add_negative(&mut self, input: NegativeInput) -> Result<Negative> {
        let input = input.settle()?;
        self.with_tx(|tx| {
            cadres::require(tx, "cadreId", input.cadre_id)?;
            let id = insert(tx, None, &input)?;
            let saved = get(tx, id)?;
            revision::record(tx, "negative", id, "创建", &saved)?;
            Ok(saved)
        })
    }

    pub fn negatives(&self, cadre_id: i64) -> Result<Vec<Negative>> {
        self.require_cadre(cadre_id)?;
        of_cadre(self.conn(), cadre_id)
    }

    /// Close (销号) an interview or problem-list item.
    pub fn close_negative(&mut self, id: i64, closed: &str, note: &str) -> Result<Negative> {
        self.require_write("negative", id)?;
        self.with_tx(|tx| {
            let mut n = get(tx, id)?;
            match &mut n.fields.detail {
                NegativeDetail::Interview { closed_on, closure_note, .. }
                | NegativeDetail::Problem { closed_on, closure_note, .. } => {
                    if closed_on.is_some() {
                        return Err(Error::State("该事项已销号".to_owned()));
                    }
                    *closed_on = Some(closed.to_owned());
                    *closure_note = note.to_owned();
                }
                _ => return Err(Error::State("只有约谈和问题清单需要销号".to_owned())),
            }
            n.fields.validate()?;
            tx.execute(
                "UPDATE negative SET detail = ?2 WHERE id = ?1",
                params![id, serde_json::to_string(&n.fields.detail)?],
            )?;
            revision::record(tx, "negative", id, "销号", &n)?;
            Ok(n)
        })
    }
}

/// One subtype's effect period, for forms that offer the default and the bounds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EffectPeriodRow {
    /// `None` for a 为官不为 finding.
    pub accountability: Option<AccountabilityKind>,
    pub subtype: String,
    pub period: EffectPeriod,
}

/// Every subtype's effect period (影响期): the accountability subtypes, then 为官不为.
pub fn effect_periods() -> Vec<EffectPeriodRow> {
    AccountabilityKind::ALL
        .iter()
        .flat_map(|k| {
            k.subtypes().iter().map(|(s, p)| EffectPeriodRow {
                accountability: Some(*k),
                subtype: (*s).to_owned(),
                period: *p,
            })
        })
        .chain(std::iter::once(EffectPeriodRow {
            accountability: None,
            subtype: "为官不为".to_owned(),
            period: INACTION_EFFECT,
        }))
        .collect()
}
