//! Field validation shared by every entry point (UI, CLI, JSON import).

use chrono::NaiveDate;

use crate::error::{Error, Result};

pub const MAX_TEXT: usize = 20_000;
pub const MAX_NAME: usize = 200;

/// A required, trimmed, bounded piece of text.
pub fn required(field: &str, label: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, format!("{label}不能为空")));
    }
    bounded(field, label, value, max)
}

pub fn bounded(field: &str, label: &str, value: &str, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len > max {
        return Err(Error::invalid(field, format!("{label}过长（{len} 字，最多 {max} 字）")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(Error::invalid(field, format!("{label}含有不可见的控制字符")));
    }
    // Names and titles (fields of at most `MAX_NAME` characters) are what a reader
    // recognises a person or an item by: no characters that reorder the text shown.
    if max <= MAX_NAME
        && let Some(c) = value.chars().find(|c| bidi_format(*c))
    {
        return Err(Error::invalid(
            field,
            format!("{label}含有改变文字显示方向的不可见字符（U+{:04X}），会使显示的内容与实际不符", u32::from(c)),
        ));
    }
    Ok(())
}

/// Unicode's bidirectional formatting characters (embeddings, overrides,
/// isolates and marks): invisible, they make text display in another order.
pub(crate) fn bidi_format(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A calendar date written `YYYY-MM-DD`.
pub fn date(field: &str, label: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| Error::invalid(field, format!("{label}「{value}」不是有效日期，应写作 2024-03-15")))
}

/// A year and month written `YYYY-MM` (birth dates, party membership, work start).
pub fn year_month(field: &str, label: &str, value: &str) -> Result<NaiveDate> {
    let parsed =
        if value.len() == 7 { NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").ok() } else { None };
    parsed
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| Error::invalid(field, format!("{label}「{value}」不是有效年月，应写作 1975-06")))
}

pub fn optional_date(field: &str, label: &str, value: Option<&str>) -> Result<Option<NaiveDate>> {
    value.map(|v| date(field, label, v)).transpose()
}

pub fn optional_year_month(field: &str, label: &str, value: Option<&str>) -> Result<Option<NaiveDate>> {
    value.map(|v| year_month(field, label, v)).transpose()
}

/// `earlier` must not come after `later`.
pub fn ordered(field: &str, message: &str, earlier: NaiveDate, later: NaiveDate) -> Result<()> {
    if earlier > later {
        return Err(Error::invalid(field, message.to_owned()));
    }
    Ok(())
}

pub fn score(field: &str, label: &str, value: i64, min: i64, max: i64) -> Result<()> {
    if !(min..=max).contains(&value) {
        return Err(Error::invalid(field, format!("{label}应在 {min} 到 {max} 之间，实际为 {value}")));
    }
    Ok(())
}

/// Mainland resident ID number: 18 characters, last may be X, with a valid
/// ISO 7064 MOD 11-2 check digit.
pub fn id_number(field: &str, value: &str) -> Result<()> {
    let chars: Vec<char> = value.chars().collect();
    let well_formed = chars.len() == 18
        && chars[..17].iter().all(char::is_ascii_digit)
        && (chars[17].is_ascii_digit() || chars[17] == 'X');
    if !well_formed {
        return Err(Error::invalid(field, format!("身份证号「{value}」应为 18 位（末位可为 X）")));
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = chars[..17].iter().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let expected = CHECK[(sum % 11) as usize];
    if chars[17] != expected {
        return Err(Error::invalid(field, format!("身份证号「{value}」校验位错误")));
    }
    Ok(())
}

/// A stored date. The rules read millions of them in a year-end run, so the
/// usual `YYYY-MM-DD` is read digit by digit (chrono re-parses its format string
/// on every call); anything else goes to chrono, which decides as before.
pub(crate) fn stored_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_well_formed() {
        assert!(date("d", "日期", "2024-02-29").is_ok());
        assert!(date("d", "日期", "2023-02-29").is_err(), "2023 is not a leap year");
        assert!(date("d", "日期", "2024-2-3").is_err(), "padding is required so text sorts as dates");
        assert!(year_month("b", "出生年月", "1975-06").is_ok());
        assert!(year_month("b", "出生年月", "1975-13").is_err());
    }

    #[test]
    fn id_number_check_digit_is_verified() {
        assert!(id_number("id", "11010519491231002X").is_ok());
        assert!(id_number("id", "110105194912310021").is_err());
        assert!(id_number("id", "1101051949").is_err());
    }

    #[test]
    fn bidi_overrides_are_refused_in_names_and_titles() {
        // 「张三\u{202E}txt.exe」 displays as 「张三exe.txt」.
        let err = required("name", "姓名", "张三\u{202E}txt.exe", 50).expect_err("an override");
        assert!(err.to_string().contains("U+202E"), "{err}");
        for c in ['\u{2066}', '\u{2069}', '\u{200F}', '\u{061C}'] {
            assert!(bounded("title", "事项名称", &format!("项目{c}名称"), MAX_NAME).is_err(), "{c:?}");
        }
        assert!(bounded("title", "事项名称", "招商引资·冷链项目（二期）", MAX_NAME).is_ok());
    }

    #[test]
    fn control_characters_and_overlong_text_are_refused() {
        assert!(required("t", "标题", "  ", 10).is_err());
        assert!(required("t", "标题", "a\u{0007}b", 10).is_err());
        assert!(required("t", "标题", &"字".repeat(11), 10).is_err());
        assert!(required("t", "标题", "多行\n文本", 10).is_ok());
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for s in [
            "2024-02-29",
            "2023-02-29",
            "2024-12-31",
            "2024-13-01",
            "2024-00-10",
            "0999-01-01",
            "2024-1-05",
            "2024-01-5",
            " 2024-01-05",
            "2024/01/05",
            "2024-01-0a",
            "",
            "20240105",
            "2024-01-05x",
            "+2024-01-05",
        ] {
            assert_eq!(stored_date(s), NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(), "{s:?}");
        }
    }
}
