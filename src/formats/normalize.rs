//! What clerks really type into a roster, brought to the archive's words: the
//! ID number's digits, names without stray spaces, months typed as numbers,
//! the usual short forms of ethnicity, rank and education (the list is in
//! docs/formats.md), and the footer lines under a table.

use calamine::Data;

/// Full-width digits, letters and spaces as their ASCII forms (an ID typed with a
/// Chinese input method is full-width).
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// An ID number as typed: half-width, without spaces, upper-case X.
pub fn id_number(text: &str) -> String {
    half_width(text).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

/// A name without spaces (全角 or not) between its characters: 「张　三」 is 张三.
/// A name in Latin letters keeps single spaces between its words.
pub fn name(text: &str) -> String {
    let text = half_width(text);
    if text.chars().any(|c| c.is_ascii_alphabetic()) {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Birth month (`YYYY-MM`) and gender an 18-digit ID number states.
pub fn from_id(id: &str) -> Option<(String, crate::enums::Gender)> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (year, month) = (&id[6..10], &id[10..12]);
    let gender = if (b[16] - b'0') % 2 == 1 { crate::enums::Gender::Male } else { crate::enums::Gender::Female };
    Some((format!("{year}-{month}"), gender))
}

/// A month cell: text goes through the usual spellings; a number such as 1978.05
/// is year and month — except 1978.1, which Excel also shows for 1978.10.
pub enum Month {
    Known(String),
    /// A number ending in .1: January or October (`YYYY-01`, `YYYY-10`).
    JanuaryOrOctober(i32),
    Unknown(String),
}

/// What to say of a number cell showing `y`.1 that nothing else decides.
pub fn january_or_october(y: i32) -> String {
    format!(
        "数字 {y}.1 既可能是 {y} 年 1 月，也可能是 10 月（Excel 把 {y}.10 存成 {y}.1）：请把单元格设为文本，写作 {y}.01 或 {y}.10"
    )
}

pub fn month(cell: &Data, text: &str) -> Month {
    if let Data::Float(f) = cell
        && f.fract() != 0.0
    {
        let year = f.trunc() as i32;
        let hundredths = ((f - f.trunc()) * 100.0).round() as u32;
        let month = if hundredths.is_multiple_of(10) { hundredths / 10 } else { hundredths };
        return match month {
            1 if hundredths == 10 => Month::JanuaryOrOctober(year),
            1..=12 if (1900..=2200).contains(&year) => Month::Known(format!("{year:04}-{month:02}")),
            _ => Month::Unknown(text.to_owned()),
        };
    }
    match super::lrmx::year_month(&half_width(text)) {
        Some(m) => Month::Known(m),
        None => Month::Unknown(text.to_owned()),
    }
}

/// The vocabulary the archive uses, from the short forms rosters use. Returns
/// the value unchanged when it is not one of them.
pub fn ethnicity(text: &str) -> String {
    let t = name(text);
    if t.is_empty() || t.ends_with('族') || t.chars().any(|c| !crate::search::terms::is_han(c)) {
        return t;
    }
    // 汉 → 汉族, 蒙古 → 蒙古族 … (the 56 names all end in 族).
    if ETHNIC_STEMS.contains(&t.as_str()) { format!("{t}族") } else { t }
}

const ETHNIC_STEMS: &[&str] = &[
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// The 职务层次 and 职级 names, highest first (正 before 副 at each level): the
/// 汇总表's order and the 职级 a form's post text may end with.
pub const RANKS: &[&str] = &[
    "正部级",
    "副部级",
    "正厅级",
    "一级巡视员",
    "副厅级",
    "二级巡视员",
    "正处级",
    "一级调研员",
    "二级调研员",
    "副处级",
    "三级调研员",
    "四级调研员",
    "正科级",
    "一级主任科员",
    "二级主任科员",
    "副科级",
    "三级主任科员",
    "四级主任科员",
    "一级科员",
    "二级科员",
    "科员",
    "办事员",
];

/// 正科 → 正科级, 副处 → 副处级 … ; 科员, 办事员 and the 职级 names (一级主任科员 …) stay.
pub fn rank(text: &str) -> String {
    let t = name(text);
    match t.as_str() {
        "正科" | "副科" | "正处" | "副处" | "正厅" | "副厅" | "正部" | "副部" => format!("{t}级"),
        "正县" | "副县" => format!("{t}级"),
        "正乡" | "副乡" => format!("{}科级", &t[..3]),
        _ => t,
    }
}

/// The 学历 words of the 任免审批表 (大学, 大专, 研究生, 中专) from the longer or
/// degree-named forms: 本科 / 大学本科 → 大学, 专科 / 大学专科 → 大专, 硕士 / 博士 → 研究生.
pub fn education(text: &str) -> String {
    let t = name(text);
    let mapped = match t.as_str() {
        "本科" | "大学本科" | "大本" => "大学",
        "专科" | "大学专科" => "大专",
        "硕士" | "硕士研究生" | "博士" | "博士研究生" => "研究生",
        "中等专科" | "中等专业学校" => "中专",
        _ => return t,
    };
    mapped.to_owned()
}

/// 男 / 女 from the spellings rosters use.
pub fn gender(text: &str) -> Option<crate::enums::Gender> {
    match name(text).as_str() {
        "男" | "男性" | "1" | "M" | "m" => Some(crate::enums::Gender::Male),
        "女" | "女性" | "2" | "F" | "f" => Some(crate::enums::Gender::Female),
        _ => None,
    }
}

/// The yearly grades a 任免审批表's 年度考核结果 states: 「2022年度考核称职；2023年度考核优秀」,
/// 「2023年优秀、2024年称职」 … → (year, grade), in the order written. A year named
/// twice keeps its first grade.
pub fn yearly_grades(text: &str) -> Vec<(i32, crate::enums::Grade)> {
    use crate::enums::Grade;
    // Longest words first: 基本称职 before 称职, 不称职 before 称职.
    // 事业单位 staff are graded 优秀 / 合格 / 基本合格 / 不合格: the same four tiers.
    const WORDS: [(&str, Grade); 9] = [
        ("基本称职", Grade::Basic),
        ("基本合格", Grade::Basic),
        ("不称职", Grade::Incompetent),
        ("不合格", Grade::Incompetent),
        ("不确定等次", Grade::Undetermined),
        ("不定等次", Grade::Undetermined),
        ("优秀", Grade::Excellent),
        ("称职", Grade::Competent),
        ("合格", Grade::Competent),
    ];
    let text = half_width(text);
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(i32, Grade)> = Vec::new();
    let mut pending: Vec<i32> = Vec::new();
    let mut i = 0;
    while i + 4 <= chars.len() {
        let year: String = chars[i..i + 4].iter().collect();
        let is_year = year.chars().all(|c| c.is_ascii_digit()) && (i == 0 || !chars[i - 1].is_ascii_digit());
        if !(is_year && chars.get(i + 4).is_some_and(|c| *c == '年')) {
            i += 1;
            continue;
        }
        let y: i32 = year.parse().unwrap_or(0);
        // 「年度考核结果为：」 and the like may stand between the year and its grade
        // (「2020年年度考核合格」, 「…均为称职」 too); nothing else.
        let rest: String = chars[i + 5..].iter().skip_while(|c| "年度考核结果为是等次均都：: ".contains(**c)).collect();
        if (1950..=2200).contains(&y) {
            pending.push(y);
        }
        if let Some((_, g)) = WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            // 「2022年、2023年年度考核均为称职」: every year listed gets the grade.
            for y in pending.drain(..) {
                if !out.iter().any(|(oy, _)| *oy == y) {
                    out.push((y, *g));
                }
            }
        } else if !(rest.starts_with('、') || rest.starts_with('和') || rest.starts_with('及')) {
            pending.clear();
        }
        i += 5;
    }
    out
}

/// One line of a 任免审批表's 简历: 「2001.07--2004.09  XX县XX局科员」, from and to as
/// `YYYY-MM` (`None`: still so — 「2016.03--」, 「2016.03—至今」), and the text.
/// A 「（其间：…）」 line carries no dates and is not a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeLine {
    pub from: String,
    pub to: Option<String>,
    pub text: String,
}

pub fn resume(text: &str) -> Vec<ResumeLine> {
    let month = |s: &str| super::lrmx::year_month(s);
    text.lines()
        .filter_map(|line| {
            let line = half_width(line);
            let line = line.trim();
            // The first date: digits and dots up to the separator.
            let head: String = line.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            let from = month(&head)?;
            let rest = line[head.len()..].trim_start_matches(['-', '—', '－', '~', '～', '至', ' ']);
            let to_text: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            let (to, text) = if to_text.len() >= 6 {
                (month(&to_text), rest[to_text.len()..].trim())
            } else {
                (None, rest.trim_start_matches("今").trim())
            };
            Some(ResumeLine { from, to, text: text.to_owned() })
        })
        .collect()
}

/// The first words of the lines under a table (who filled it in, when, remarks).
const FOOTERS: &[&str] = &[
    "填表人",
    "制表人",
    "审核人",
    "填表日期",
    "制表日期",
    "填报日期",
    "制表单位",
    "填报单位",
    "联系人",
    "联系电话",
    "备注",
    "说明",
    "注：",
];

/// Whether a row is a footer line: its first text starts with one of [`FOOTERS`].
pub fn footer(first_text: &str) -> bool {
    let t = name(first_text);
    FOOTERS.iter().any(|f| t.starts_with(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_clerks_type_is_brought_to_the_archives_words() {
        assert_eq!(id_number("１３０２２３１９７８１００１２３４Ｘ"), "13022319781001234X");
        assert_eq!(name("张　三 "), "张三");
        assert_eq!(name("Ma  Li"), "Ma Li");
        assert_eq!(ethnicity("汉"), "汉族");
        assert_eq!(ethnicity("蒙古族"), "蒙古族");
        assert_eq!(rank("正科"), "正科级");
        assert_eq!(rank("一级主任科员"), "一级主任科员");
        assert_eq!(education("本科"), "大学");
        assert_eq!(education("硕士研究生"), "研究生");
        assert!(matches!(month(&Data::Float(1978.1), "1978.10"), Month::JanuaryOrOctober(1978)));
        assert!(matches!(month(&Data::Float(1978.05), "1978.05"), Month::Known(m) if m == "1978-05"));
        assert!(matches!(month(&Data::Float(1978.2), "1978.20"), Month::Known(m) if m == "1978-02"));
        assert!(matches!(month(&Data::Float(1978.11), "1978.11"), Month::Known(m) if m == "1978-11"));
        assert!(matches!(month(&Data::String("1978.1".into()), "1978.1"), Month::Known(m) if m == "1978-01"));
        use crate::enums::Grade::*;
        assert_eq!(
            yearly_grades("2022年度考核称职；2023年度考核优秀；2024年度考核基本称职"),
            vec![(2022, Competent), (2023, Excellent), (2024, Basic)]
        );
        assert_eq!(yearly_grades("2023年优秀、2024年不称职"), vec![(2023, Excellent), (2024, Incompetent)]);
        assert!(yearly_grades("2019年被评为优秀共产党员").is_empty(), "not a yearly grade");
        assert_eq!(
            yearly_grades("2021年年度考核合格;2022年年度考核优秀;2023年年度考核基本合格。"),
            vec![(2021, Competent), (2022, Excellent), (2023, Basic)],
            "事业单位 wording, 「年年度」 as the national software's users write it"
        );
        assert_eq!(
            yearly_grades("2022年、2023年年度考核均为称职，2024年度考核优秀"),
            vec![(2022, Competent), (2023, Competent), (2024, Excellent)]
        );
        assert_eq!(yearly_grades("2020年参加工作，2021年度考核称职"), vec![(2021, Competent)]);
        assert!(yearly_grades("无").is_empty());
        let lines = resume(
            "1996.09--2000.07  河北大学学习\n2000.08—2008.03 市商务局科员\n  （其间：2003.09--2006.07 在职研究生）\n2016.03--  副县长\n",
        );
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(
            (lines[1].from.as_str(), lines[1].to.as_deref(), lines[1].text.as_str()),
            ("2000-08", Some("2008-03"), "市商务局科员")
        );
        assert_eq!(
            (lines[2].from.as_str(), lines[2].to.as_deref(), lines[2].text.as_str()),
            ("2016-03", None, "副县长")
        );
        assert_eq!(resume("2019.01至今 局长")[0].to, None);
        assert!(footer("填表人：王五") && footer("制表日期：2025年1月") && !footer("张三"));
        assert_eq!(from_id("13022319781001234X").map(|(m, _)| m).as_deref(), Some("1978-10"));
    }
}
