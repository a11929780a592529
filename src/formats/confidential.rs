//! What may leave the building about an allegation: nothing of its content. A
//! report under investigation, or one found 不实, is part of the discipline
//! record; on a form the cadre signs (年度考核登记表), on the unit's roster and in
//! any exported document it is said in the neutral words organization
//! departments use (有关问题正在核查; 经核查不实，已澄清正名), never with the summary
//! of what was alleged. The archive's own screens, for the users who keep the
//! record, still show it.

use crate::assessment::yearly::DecisionNote;

/// A reason of a suggested grade as a form may print it.
pub fn reason(text: &str) -> String {
    if text.starts_with("举报「") {
        if text.contains("暂不确定等次") {
            "有关问题正在核查，暂不确定等次".to_owned()
        } else {
            "有关问题正在核查".to_owned()
        }
    } else {
        text.to_owned()
    }
}

/// An eligibility detail (「举报「…」尚在核查；…」) as an exported document may print
/// it: each part about an allegation in the neutral words.
pub fn detail(text: &str) -> String {
    text.split('；').map(reason).collect::<Vec<_>>().join("；")
}

/// The reasons of a suggestion, each as a form may print it, without repeats.
pub fn reasons(all: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in all.iter().map(|r| reason(r)) {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// A decision note as an exported document may print it: a clearing says that
/// the cadre was cleared, not what had been alleged.
pub fn decision(note: &DecisionNote) -> String {
    if note.kind == "澄清正名" {
        let date = note.text.rsplit_once('（').map(|(_, d)| d.trim_end_matches('）')).unwrap_or("");
        if date.is_empty() {
            "有关反映经核查不实，已澄清正名".to_owned()
        } else {
            format!("有关反映经核查不实，已澄清正名（{date}）")
        }
    } else {
        note.text.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allegations_are_said_in_neutral_words() {
        assert_eq!(
            reason("举报「收受礼金」（2024-05-01 收件）尚在核查，暂不确定等次"),
            "有关问题正在核查，暂不确定等次"
        );
        assert_eq!(reason("综合得分 80"), "综合得分 80");
        assert_eq!(
            detail("举报「收受礼金」尚在核查；一项容错认定（决策失误）尚未决定"),
            "有关问题正在核查；一项容错认定（决策失误）尚未决定"
        );
        let note = DecisionNote {
            kind: "澄清正名".into(),
            source: crate::assessment::explain::Source { kind: "report".into(), id: 1 },
            text: "收受礼金：经查不实（2024-06-01）".into(),
        };
        assert_eq!(decision(&note), "有关反映经核查不实，已澄清正名（2024-06-01）");
    }
}
