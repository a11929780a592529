//! Explanation trees: every computed number carries the rule that produced
//! it, the records it came from, and each input's contribution.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A record an explanation points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Table of the record (`plan_rating`, `milestone`, `tracking`, `outcome`, `evaluation`, …).
    pub kind: String,
    pub id: i64,
}

pub fn src(kind: &str, id: i64) -> Source {
    Source { kind: kind.to_owned(), id }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// What the number is (Chinese).
    pub label: String,
    /// The value, rounded to two decimals; `None` when not assessed.
    pub value: Option<f64>,
    /// The rule applied, in words (Chinese), with the scheme's parameters.
    pub rule: String,
    /// The records this node read directly.
    pub sources: Vec<Source>,
    /// The inputs, each with its own explanation.
    pub children: Vec<Explanation>,
}

/// Round to two decimals so results print and compare identically everywhere.
pub fn round2(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

impl Explanation {
    pub fn new(label: impl Into<String>, value: Option<f64>, rule: impl Into<String>) -> Explanation {
        Explanation {
            label: label.into(),
            value: value.map(round2),
            rule: rule.into(),
            sources: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn with_sources(mut self, sources: Vec<Source>) -> Explanation {
        self.sources = sources;
        self
    }

    pub fn with_children(mut self, children: Vec<Explanation>) -> Explanation {
        self.children = children;
        self
    }

    /// Render as indented text (CLI).
    pub fn render(&self, depth: usize, out: &mut String) {
        let value = self.value.map_or_else(|| "未评".to_owned(), |v| format!("{v:.2}"));
        let sources = if self.sources.is_empty() {
            String::new()
        } else {
            format!(" ← {}", self.sources.iter().map(|s| format!("{}#{}", s.kind, s.id)).collect::<Vec<_>>().join(", "))
        };
        out.push_str(&format!("{}{}：{}（{}）{}\n", "  ".repeat(depth), self.label, value, self.rule, sources));
        for c in &self.children {
            c.render(depth + 1, out);
        }
    }
}

/// Weighted mean of the assessed parts; parts without a value drop out and the
/// remaining weights are renormalised. `None` when nothing is assessed.
pub fn weighted_mean(parts: &[(f64, Option<f64>)]) -> Option<f64> {
    let (sum, weight) =
        parts.iter().filter_map(|(w, v)| v.map(|v| (w * v, *w))).fold((0.0, 0.0), |(s, tw), (x, w)| (s + x, tw + w));
    (weight > 0.0).then(|| sum / weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unassessed_parts_drop_out_of_the_mean() {
        assert_eq!(weighted_mean(&[(0.5, Some(80.0)), (0.5, None)]), Some(80.0));
        assert_eq!(weighted_mean(&[(0.25, Some(100.0)), (0.75, Some(60.0))]), Some(70.0));
        assert_eq!(weighted_mean(&[(1.0, None)]), None);
        assert_eq!(weighted_mean(&[(0.0, Some(90.0))]), None, "zero weight assesses nothing");
    }

    #[test]
    fn rounding_is_stable() {
        assert_eq!(round2(66.666_666), 66.67);
        assert_eq!(round2(-0.001), 0.0);
    }
}
