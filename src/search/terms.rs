//! How text becomes search terms. Chinese has no spaces, so the index does not
//! rely on a word tokenizer: every run of Han characters becomes its
//! overlapping bigrams followed by its last character alone
//! (`张三丰` → `张三 三丰 丰`), and every run of letters or digits becomes one
//! lower-cased word. FTS5's `unicode61` tokenizer then only splits on the
//! spaces we put in. A query of two or more Han characters is the phrase of its
//! bigrams (consecutive positions, so it matches exactly that substring); one
//! character is a prefix query over the terms that start with it.
//!
//! Names also get their pinyin: the full spelling (`zhangsan`) and the
//! initials (`zs`), with every reading of a surname that has several
//! (单 dan/shan, 曾 zeng/ceng, 解 jie/xie).
//!
//! The two functions are registered on every connection as SQL functions
//! `gs_terms(text)` and `gs_pinyin(text)`, so the index triggers
//! (schema version 7) keep the index current whatever writes a record.

use pinyin::{ToPinyin, ToPinyinMulti};
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// Han ideographs (the CJK Unified Ideographs blocks and the compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A run of Han characters, or a lower-cased run of other letters and digits;
/// everything else separates runs.
enum Segment {
    Han(Vec<char>),
    Word(String),
}

fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current: Option<Segment> = None;
    for c in text.chars() {
        match (&mut current, is_han(c)) {
            (Some(Segment::Han(h)), true) => h.push(c),
            (_, true) => out.extend(current.replace(Segment::Han(vec![c]))),
            (Some(Segment::Word(w)), false) if c.is_alphanumeric() => w.extend(c.to_lowercase()),
            (_, false) if c.is_alphanumeric() => out.extend(current.replace(Segment::Word(c.to_lowercase().collect()))),
            _ => out.extend(current.take()),
        }
    }
    out.extend(current);
    out
}

/// A segment's terms: a word as itself; a Han run as its bigrams, then its
/// last character alone when `lone_last` (a run of one character is always
/// that character).
fn segment_terms(segment: Segment, lone_last: bool) -> Vec<String> {
    match segment {
        Segment::Word(w) => vec![w],
        Segment::Han(h) => {
            let mut out: Vec<String> = h.windows(2).map(|pair| pair.iter().collect()).collect();
            if lone_last || h.len() == 1 {
                out.extend(h.last().map(char::to_string));
            }
            out
        }
    }
}

/// The index terms of a text, space-separated.
pub fn terms(text: &str) -> String {
    segments(text).into_iter().flat_map(|s| segment_terms(s, true)).collect::<Vec<_>>().join(" ")
}

/// The pinyin terms of a name: full spellings and initials, space-separated.
/// A surname with several readings contributes each of them; other characters
/// use their most common reading. Characters without pinyin are skipped.
pub fn pinyin_terms(name: &str) -> String {
    let chars: Vec<char> = name.chars().filter(|c| is_han(*c)).collect();
    let Some((first, rest)) = chars.split_first() else {
        return String::new();
    };
    let mut readings: Vec<&'static str> =
        first.to_pinyin_multi().map(|m| m.into_iter().map(|p| p.plain()).collect()).unwrap_or_default();
    readings.dedup();
    if readings.is_empty() {
        readings.push("");
    }
    let rest: Vec<&'static str> = rest.iter().filter_map(|c| c.to_pinyin().map(|p| p.plain())).collect();
    let rest_full: String = rest.concat();
    let rest_initials: String = rest.iter().filter_map(|p| p.chars().next()).collect();
    let mut out: Vec<String> = Vec::new();
    for r in readings {
        let full = format!("{r}{rest_full}");
        let initials = format!("{}{rest_initials}", r.chars().next().map(String::from).unwrap_or_default());
        for t in [full, initials] {
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out.join(" ")
}

/// Register `gs_terms` and `gs_pinyin` on a connection (before migrations run,
/// since version 7's triggers and backfill call them).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("gs_terms", 1, flags, |ctx| {
        let text: Option<String> = ctx.get(0)?;
        Ok(terms(text.as_deref().unwrap_or("")))
    })?;
    conn.create_scalar_function("gs_pinyin", 1, flags, |ctx| {
        let text: Option<String> = ctx.get(0)?;
        Ok(pinyin_terms(text.as_deref().unwrap_or("")))
    })
}

/// One term of a user's query, as an FTS5 expression over `columns`
/// (e.g. `{title body}`), or `None` when it has nothing searchable.
pub fn query_expr(term: &str, columns: &str, pinyin_column: Option<&str>) -> Option<String> {
    let indexed = terms(term);
    if indexed.is_empty() {
        return None;
    }
    let words: Vec<&str> = indexed.split(' ').collect();
    let han: Vec<char> = term.chars().filter(|c| is_han(*c)).collect();
    let all_ascii = han.is_empty();
    let expr = if han.len() == 1 && words.len() == 1 {
        // One Han character: every term that starts with it.
        format!("{columns} : \"{}\"*", words[0])
    } else if all_ascii {
        // Letters and digits: a prefix of a word, and of a pinyin spelling for names.
        let phrase = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" + ");
        let text = format!("{columns} : ({phrase} *)");
        match (pinyin_column, words.len()) {
            (Some(p), 1) => format!("({text} OR {p} : \"{}\"*)", words[0]),
            _ => text,
        }
    } else {
        // Han bigrams as one phrase; a trailing single character of a run is
        // already implied by the bigram before it, so it is dropped.
        let phrase = phrase_terms(term);
        format!("{columns} : ({})", phrase.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" + "))
    };
    Some(expr)
}

/// The terms of a query's phrase: as indexed, minus the lone last character
/// of each Han run of two or more (the bigram before it covers it, and the
/// indexed text may continue after it).
fn phrase_terms(term: &str) -> Vec<String> {
    segments(term).into_iter().flat_map(|s| segment_terms(s, false)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_runs_become_bigrams_and_a_last_character() {
        assert_eq!(terms("张三丰"), "张三 三丰 丰");
        assert_eq!(terms("李四"), "李四 四");
        assert_eq!(terms("王"), "王");
        assert_eq!(terms("推进5G基站建设，2025年完成"), "推进 进 5g 基站 站建 建设 设 2025 年完 完成 成");
        assert_eq!(terms(""), "");
        assert_eq!(terms("，。！"), "");
    }

    #[test]
    fn names_get_full_pinyin_and_initials() {
        assert_eq!(pinyin_terms("张三"), "zhangsan zs");
        let shan = pinyin_terms("单雄信");
        assert!(shan.contains("shanxiongxin") && shan.contains("danxiongxin"), "{shan}");
        assert!(shan.contains("sxx") && shan.contains("dxx"), "{shan}");
        assert_eq!(pinyin_terms("Tom"), "");
    }

    #[test]
    fn queries_match_substrings_by_phrase() {
        assert_eq!(query_expr("张三", "{title}", None).as_deref(), Some("{title} : (\"张三\")"));
        assert_eq!(
            query_expr("乡村振兴", "{body}", None).as_deref(),
            Some("{body} : (\"乡村\" + \"村振\" + \"振兴\")")
        );
        assert_eq!(query_expr("张", "{title}", None).as_deref(), Some("{title} : \"张\"*"));
        assert_eq!(
            query_expr("ZS", "{title}", Some("pinyin")).as_deref(),
            Some("({title} : (\"zs\" *) OR pinyin : \"zs\"*)")
        );
        assert_eq!(query_expr("、", "{title}", None), None);
        // Quotes in a query cannot break out of the phrase.
        assert_eq!(query_expr("a\"b", "{title}", None).as_deref(), Some("{title} : (\"a\" + \"b\" *)"));
    }
}
