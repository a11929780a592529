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
        without_ids(text)
    }
}

/// An eligibility detail (「举报「…」尚在核查；…」) as an exported document may print
/// it: each report named in it — whatever its summary holds, 「；」 included — in the
/// neutral words, and no record ids.
pub fn detail(text: &str) -> String {
    const OPEN: &str = "举报「";
    const CLOSE: &str = "」尚在核查";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        out.push_str("有关问题正在核查");
        rest = match rest[at..].find(CLOSE) {
            Some(end) => &rest[at + end + CLOSE.len()..],
            None => "",
        };
    }
    out.push_str(rest);
    without_ids(&out)
}

/// A rule's text without the archive's record ids: 「经容错案例 #12 予以容错」 →
/// 「经容错认定予以容错」 (an exported document names no record by its id).
pub fn without_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        let digits = rest[at + 1..].chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        }
        let before = rest[..at].trim_end();
        let before = before.strip_suffix("容错案例").map_or_else(|| before.to_owned(), |b| format!("{b}容错认定"));
        out.push_str(&before);
        rest = rest[at + 1 + digits..].trim_start();
    }
    out.push_str(rest);
    out
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
