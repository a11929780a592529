//! The as-of date (统计日期) and which dated records it lets count. Every record
//! kind the engine reads is judged by one of the two questions below; the rule of
//! each kind is listed in `docs/assessment.md` (日期规则).

use chrono::NaiveDate;

use super::stages::date;

/// What an assessment may see.
///
/// - **Work records** — plan ratings, milestones (due and done), tracking,
///   outcomes, recognitions, stage transitions, negative records and their
///   closing (销号), reports received — count when dated on or before `date`.
/// - **Decisions and the year's evaluations** — protection (保护条款), 容错
///   decisions, findings and clearings (澄清正名), final grades, scheme versions,
///   and the 民主测评 / 群众评议 of the year (held after it, as the year-end
///   测评 usually is) — count when dated on or before `known_by`; with `None`
///   (the default as-of date) whenever they were taken: a year assessed again
///   takes every later decision about it.
///
/// An explicit as-of date sets both to the same day: nothing dated after it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    pub date: NaiveDate,
    pub known_by: Option<NaiveDate>,
}

impl AsOf {
    /// The default for a year: its last day (or today), every decision whenever taken.
    pub fn default_at(date: NaiveDate) -> AsOf {
        AsOf { date, known_by: None }
    }

    /// An explicit as-of date: nothing after it counts.
    pub fn strict(date: NaiveDate) -> AsOf {
        AsOf { date, known_by: Some(date) }
    }

    /// The same decisions, with work records up to `end` (an earlier year of a window).
    pub fn until(self, end: NaiveDate) -> AsOf {
        AsOf { date: self.date.min(end), known_by: self.known_by }
    }

    /// A work record dated `s` counts (an unreadable date never does).
    pub fn record(&self, s: &str) -> bool {
        date(s).is_some_and(|d| d <= self.date)
    }

    /// A decision (or the year's evaluation) dated `s` counts.
    pub fn decision(&self, s: &str) -> bool {
        match self.known_by {
            None => true,
            Some(k) => date(s).is_some_and(|d| d <= k),
        }
    }

    /// A decision whose date may be missing (an undecided case): it counts only when dated and known.
    pub fn decided(&self, s: Option<&str>) -> bool {
        s.is_some_and(|s| self.decision(s))
    }

    /// The explanation's wording of the window.
    pub fn describe(&self) -> String {
        match self.known_by {
            None => format!("统计至 {}；其后作出的组织决定、本年度测评一并计入", self.date),
            Some(k) => format!("统计至 {}；{k} 之后的任何记录和决定均不计入", self.date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        date(s).expect("date")
    }

    #[test]
    fn an_explicit_date_lets_nothing_after_it_count() {
        let a = AsOf::strict(day("2025-06-30"));
        assert!(a.record("2025-06-30") && !a.record("2025-07-01"));
        assert!(a.decision("2025-06-30") && !a.decision("2026-01-10"));
        assert!(!a.decided(None), "an undated decision is not one");
        assert!(!a.record("2025/06/01"), "an unreadable date never counts");
    }

    #[test]
    fn the_default_takes_later_decisions_but_not_later_work() {
        let a = AsOf::default_at(day("2025-12-31"));
        assert!(!a.record("2026-01-10"));
        assert!(a.decision("2026-01-10"));
        let earlier = AsOf::strict(day("2026-03-01")).until(day("2024-12-31"));
        assert_eq!(earlier.date, day("2024-12-31"));
        assert!(earlier.decision("2026-02-01") && !earlier.decision("2026-03-02"));
    }
}
