//! The 领导's 工作台: 批示 threads still waiting for 签阅, the latest 批示 with
//! their follow-ups, and cadres whose work recently reached 成事 with a
//! national or provincial recognition — within the leader's scope.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::archive::Archive;
use crate::enums::Role;
use crate::error::Result;
use crate::records::reviews::{Review, ReviewTarget};

/// A 批示 thread (the first 批示 and its follow-ups) about one dossier or comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewThread {
    pub target_kind: ReviewTarget,
    pub cadre_ids: Vec<i64>,
    /// The cadres' names, 「张三、李四」.
    pub names: String,
    pub first: Review,
    pub follow_ups: usize,
    pub latest_at: String,
    pub signed_off: bool,
}

/// A result worth a leader's eye: an item that reached 成事, with its recognition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentResult {
    pub cadre_id: i64,
    pub cadre_name: String,
    pub unit_name: String,
    pub initiative_id: i64,
    pub title: String,
    pub reached_on: String,
    /// 「省级：全省河湖长制工作先进集体（省政府，2025-10-10）」
    pub recognition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeaderDesk {
    pub as_of: String,
    /// Threads not yet signed off (签阅), oldest first.
    pub awaiting: Vec<ReviewThread>,
    /// The latest threads, newest first (at most 10).
    pub recent: Vec<ReviewThread>,
    /// Items that reached 成事 in the last 180 days with a 国家级 or 省级 recognition.
    pub results: Vec<RecentResult>,
}

/// Days looked back for recent results.
const RECENT_DAYS: i64 = 180;

impl Archive {
    /// The 领导's 工作台.
    pub fn leader_desk(&self) -> Result<LeaderDesk> {
        self.require_role(&[Role::Leader, Role::SysAdmin], "查看领导工作台")?;
        let conn = self.conn();
        let today = self.today();
        // Only threads whose every cadre is in scope are listed, so their names may be shown.
        let names = |ids: &[i64]| -> Result<String> {
            let names = ids
                .iter()
                .map(|id| crate::records::cadres::get(conn, *id).map(|c| c.fields.name))
                .collect::<Result<Vec<_>>>()?;
            Ok(names.join("、"))
        };
        let all = crate::records::reviews::all(conn)?;
        let mut threads = Vec::new();
        for first in all.iter().filter(|r| r.fields.parent_id.is_none()) {
            // A thread is the leader's when every cadre it is about is in scope.
            let mut in_scope = true;
            for c in &first.fields.cadre_ids {
                in_scope &= self.cadre_visible(*c)?;
            }
            if !in_scope {
                continue;
            }
            let follow: Vec<&Review> = all.iter().filter(|r| r.fields.parent_id == Some(first.id)).collect();
            let latest_at = follow.iter().map(|r| r.at.clone()).chain([first.at.clone()]).max().unwrap_or_default();
            threads.push(ReviewThread {
                target_kind: first.fields.target_kind,
                cadre_ids: first.fields.cadre_ids.clone(),
                names: names(&first.fields.cadre_ids)?,
                signed_off: first.fields.signed_off || follow.iter().any(|r| r.fields.signed_off),
                follow_ups: follow.len(),
                latest_at,
                first: first.clone(),
            });
        }
        let mut awaiting: Vec<ReviewThread> = threads.iter().filter(|t| !t.signed_off).cloned().collect();
        awaiting.sort_by(|a, b| a.first.at.cmp(&b.first.at));
        threads.sort_by(|a, b| b.latest_at.cmp(&a.latest_at));
        threads.truncate(10);
        let since = crate::validate::stored_date(&today)
            .map(|d| (d - Duration::days(RECENT_DAYS)).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let mut results = Vec::new();
        let mut stmt = conn.prepare(
            "SELECT c.id, c.name, u.name, i.id, i.title, t.date, r.level, r.title, r.body, r.date
             FROM stage_transition t
             JOIN initiative i ON i.id = t.initiative_id
             JOIN participant lp ON lp.initiative_id = i.id AND lp.role = '牵头'
             JOIN cadre c ON c.id = lp.cadre_id
             JOIN unit u ON u.id = c.unit_id
             JOIN recognition r ON r.initiative_id = i.id AND r.level IN ('国家级', '省级')
             WHERE t.to_stage = '成事' AND t.date >= ?1 AND t.date <= ?2
               AND c.unit_id IN (SELECT id FROM temp.scope_unit)
             ORDER BY t.date DESC, i.id, r.id",
        )?;
        let rows = stmt.query_map([&since, &today], |r| {
            Ok(RecentResult {
                cadre_id: r.get(0)?,
                cadre_name: r.get(1)?,
                unit_name: r.get(2)?,
                initiative_id: r.get(3)?,
                title: r.get(4)?,
                reached_on: r.get(5)?,
                recognition: format!(
                    "{}：{}（{}，{}）",
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, String>(9)?
                ),
            })
        })?;
        for row in rows {
            let row = row?;
            if !results.iter().any(|x: &RecentResult| x.initiative_id == row.initiative_id) {
                results.push(row);
            }
        }
        Ok(LeaderDesk { as_of: today, awaiting, recent: threads, results })
    }
}
