//! A roster's rows into people: the header row found by its 姓名 cell, columns
//! mapped by their usual headers, each row checked against itself (the ID
//! number's birth month and gender, dates a person could have) and brought to
//! the archive's words (`normalize`). A row with a problem is refused with the
//! column as the clerk sees it (header text and column letter); a column or a
//! footer line that is not imported is named as a warning — nothing is dropped
//! without a word.

use std::collections::HashMap;

use calamine::Data;

use super::FormatError;
use super::import::Incoming;
use super::normalize::{self, Month};
use super::roster::{COUNTERS, Col, HEADERS, RosterRead, Sheet, column_letter, text};
use crate::records::units::Unit;

/// Header text without spaces, line breaks and a trailing parenthetical.
fn header_key(cell: &Data) -> String {
    let h: String = normalize::half_width(&text(cell)).chars().filter(|c| !c.is_whitespace()).collect();
    h.split(['（', '(']).next().unwrap_or_default().to_owned()
}

/// Units by what a roster may call them: name, code, or a path from an upper unit.
struct Units<'a> {
    by_id: HashMap<i64, &'a Unit>,
    by_name: HashMap<&'a str, Vec<&'a Unit>>,
}

impl<'a> Units<'a> {
    fn new(units: &'a [Unit]) -> Units<'a> {
        let mut by_name: HashMap<&str, Vec<&Unit>> = HashMap::new();
        for u in units {
            by_name.entry(u.fields.name.as_str()).or_default().push(u);
        }
        Units { by_id: units.iter().map(|u| (u.id, u)).collect(), by_name }
    }

    /// 「上级单位/单位」 from the unit up: each segment the parent of the next.
    fn path(&self, u: &Unit) -> String {
        let mut names = vec![u.fields.name.clone()];
        let mut at = u.fields.parent_id;
        while let Some(p) = at.and_then(|p| self.by_id.get(&p)) {
            names.insert(0, p.fields.name.clone());
            at = p.fields.parent_id;
        }
        names.join("/")
    }

    /// The one unit whose name `short` abbreviates (市卫健委 → 市卫生健康委员会: same
    /// first character, every character in order), directly under the path written
    /// above it if any; `None` when there is none or more than one.
    fn abbreviated(&self, short: &str, above: &[String]) -> Option<&'a Unit> {
        let short: Vec<char> = short.chars().collect();
        if short.len() < 3 {
            return None;
        }
        let abbreviates = |name: &str| {
            let mut chars = name.chars();
            name.starts_with(short[0]) && short.iter().all(|c| chars.any(|n| n == *c))
        };
        let mut found = self.by_id.values().filter(|u| {
            abbreviates(&u.fields.name)
                && above.last().is_none_or(|p| {
                    u.fields.parent_id.and_then(|id| self.by_id.get(&id)).is_some_and(|pu| pu.fields.name == *p)
                })
        });
        let first = found.next()?;
        found.next().is_none().then_some(*first)
    }

    /// The unit a roster names, and — when it was found by an abbreviation — a note
    /// saying which unit that was taken for.
    fn find(&self, written: &str) -> Result<(i64, Option<String>), String> {
        let segments: Vec<String> =
            written.split(['/', '／', '\\', '、']).map(normalize::name).filter(|s| !s.is_empty()).collect();
        let Some((last, above)) = segments.split_last() else { return Err("单位为空".to_owned()) };
        let fits = |u: &&&Unit| {
            let mut at = u.fields.parent_id;
            for name in above.iter().rev() {
                match at.and_then(|p| self.by_id.get(&p)) {
                    Some(p) if p.fields.name == *name => at = p.fields.parent_id,
                    _ => return false,
                }
            }
            true
        };
        let found: Vec<&&Unit> = self.by_name.get(last.as_str()).into_iter().flatten().filter(fits).collect();
        match found.as_slice() {
            [one] => Ok((one.id, None)),
            [] => match self.abbreviated(last, above) {
                Some(u) => Ok((u.id, Some(format!("「{written}」按简称对应为「{}」，请核对", self.path(u))))),
                None => Err(format!("档案中（您的管理范围内）没有「{written}」这个单位")),
            },
            many => Err(format!(
                "有多个名为「{last}」的单位（{}）：请写出上级单位，如「{}」，或填写单位代码列",
                many.iter().map(|u| self.path(u)).collect::<Vec<_>>().join("、"),
                self.path(many[0])
            )),
        }
    }
}

/// The months between two `YYYY-MM`.
fn months_between(from: &str, to: &str) -> Option<i32> {
    let ym =
        |s: &str| -> Option<i32> { Some(s.get(..4)?.parse::<i32>().ok()? * 12 + s.get(5..7)?.parse::<i32>().ok()?) };
    Some(ym(to)? - ym(from)?)
}

pub(super) fn read(file: &str, sheet: &Sheet, units: &[Unit]) -> Result<RosterRead, FormatError> {
    let Sheet { col0, rows } = sheet;
    let col0 = *col0;
    let whole = |m: String| FormatError::new(file, "", m);
    let first = rows.first().map_or(0, |(r, _)| *r);
    let header_at = rows
        .iter()
        .take_while(|(r, _)| *r < first + 10)
        .position(|(_, r)| r.iter().any(|c| header_key(c) == "姓名"))
        .ok_or_else(|| whole("前 10 行中找不到表头（须有“姓名”列）".to_owned()))?;
    let header_row = rows[header_at].0;
    let mut warnings = Vec::new();
    // Each column: its index and its header as the clerk wrote it.
    let mut cols: HashMap<Col, (usize, String)> = HashMap::new();
    for (i, cell) in rows[header_at].1.iter().enumerate() {
        let key = header_key(cell);
        if key.is_empty() {
            continue;
        }
        let shown = text(cell).split_whitespace().collect::<Vec<_>>().join("");
        let place = format!("第 {} 行 {} 列", header_row + 1, column_letter(col0 + i));
        match HEADERS.iter().find(|(_, names)| names.contains(&key.as_str())) {
            Some((col, _)) if !cols.contains_key(col) => {
                cols.insert(*col, (i, shown));
            }
            Some(_) => warnings.push(FormatError::new(file, &place, format!("「{shown}」列重复，只导入了第一列"))),
            None if COUNTERS.contains(&key.as_str()) => {}
            None => warnings.push(FormatError::new(file, &place, format!("「{shown}」列不是能导入的列，其内容未导入"))),
        }
    }
    let missing: Vec<&str> = [(Col::Name, "姓名"), (Col::Gender, "性别"), (Col::Birth, "出生年月")]
        .iter()
        .filter(|(c, _)| !cols.contains_key(c))
        .map(|(_, n)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(FormatError::new(
            file,
            &format!("第 {} 行（表头）", header_row + 1),
            format!("缺少列：{}", missing.join("、")),
        ));
    }
    let units = Units::new(units);
    let by_code: HashMap<&str, i64> = units.by_id.values().map(|u| (u.fields.code.as_str(), u.id)).collect();
    let mut people = Vec::new();
    let mut errors = Vec::new();
    for (r, row) in rows.iter().skip(header_at + 1) {
        let line = r + 1;
        let cell = |c: Col| cols.get(&c).and_then(|(i, _)| row.get(*i));
        let get = |c: Col| cell(c).map(text).unwrap_or_default();
        let Some(first_text) = row.iter().map(text).find(|t| !t.is_empty()) else { continue };
        if normalize::footer(&first_text) {
            warnings.push(FormatError::new(
                file,
                &format!("第 {line} 行"),
                format!("「{first_text}」是表尾，未作为干部读入"),
            ));
            continue;
        }
        let at = |c: Col| {
            let (i, shown) = cols.get(&c).cloned().unwrap_or_default();
            format!("第 {line} 行 {} 列（{shown}）", column_letter(col0 + i))
        };
        let source = format!("{file} 第 {line} 行");
        let mut problem = |c: Col, m: String| errors.push(FormatError::new(file, &at(c), m));
        let name = normalize::name(&get(Col::Name));
        if name.is_empty() {
            problem(Col::Name, "姓名不能为空".to_owned());
            continue;
        }
        // The ID number: a number cell has lost its last digits already.
        let id_number = match cell(Col::IdNumber) {
            Some(Data::Float(_) | Data::Int(_)) => {
                problem(
                    Col::IdNumber,
                    format!(
                        "身份证号被 Excel 存成了数字（显示为 {}），第 15 位以后的数字已经丢失：请把这一列设为「文本」后重新填写",
                        get(Col::IdNumber)
                    ),
                );
                continue;
            }
            _ => Some(normalize::id_number(&get(Col::IdNumber))).filter(|s| !s.is_empty()),
        };
        if let Some(id) = &id_number
            && let Err(e) = crate::validate::id_number("idNumber", id)
        {
            problem(Col::IdNumber, e.message());
            continue;
        }
        let stated = id_number.as_deref().and_then(normalize::from_id);
        let Some(gender) = normalize::gender(&get(Col::Gender)) else {
            problem(Col::Gender, format!("性别「{}」应为 男 或 女", get(Col::Gender)));
            continue;
        };
        let birth_cell = cell(Col::Birth).cloned().unwrap_or(Data::Empty);
        let birth = match normalize::month(&birth_cell, &get(Col::Birth)) {
            Month::Known(m) => m,
            // 1978.1 in a number cell: the ID number says which, if there is one.
            Month::JanuaryOrOctober(y) => match &stated {
                Some((m, _)) if *m == format!("{y:04}-01") || *m == format!("{y:04}-10") => m.clone(),
                _ => {
                    problem(Col::Birth, normalize::january_or_october(y));
                    continue;
                }
            },
            Month::Unknown(v) => {
                problem(Col::Birth, format!("「{v}」无法识别为年月，应写作 1978.05 或 1978-05"));
                continue;
            }
        };
        if let Some((id_birth, id_gender)) = &stated {
            if *id_birth != birth {
                problem(Col::Birth, format!("出生年月 {birth} 与身份证号中的 {id_birth} 不一致，未导入这一行"));
                continue;
            }
            if *id_gender != gender {
                problem(
                    Col::Gender,
                    format!("性别「{}」与身份证号（{}）不一致，未导入这一行", gender.as_str(), id_gender.as_str()),
                );
                continue;
            }
        }
        // The other months, and whether a person could have reached them.
        let mut later = |c: Col, least_age: i32, what: &str| -> Result<Option<String>, ()> {
            let v = get(c);
            if v.is_empty() {
                return Ok(None);
            }
            let m = match normalize::month(cell(c).unwrap_or(&Data::Empty), &v) {
                Month::Known(m) => m,
                Month::JanuaryOrOctober(y) => {
                    problem(c, normalize::january_or_october(y));
                    return Err(());
                }
                Month::Unknown(v) => {
                    problem(c, format!("「{v}」无法识别为年月"));
                    return Err(());
                }
            };
            let age = months_between(&birth, &m).unwrap_or(0) / 12;
            if age < least_age {
                problem(c, format!("{what} {m} 时只有 {age} 岁（出生于 {birth}），请核对"));
                return Err(());
            }
            Ok(Some(m))
        };
        let Ok(party) = later(Col::Party, 18, "入党") else { continue };
        let Ok(work) = later(Col::WorkStart, 15, "参加工作") else { continue };
        let unit_id = match (get(Col::UnitCode), get(Col::Unit)) {
            (code, _) if !code.is_empty() => match by_code.get(code.as_str()) {
                Some(id) => Some(*id),
                None => {
                    problem(Col::UnitCode, format!("档案中（您的管理范围内）没有代码为「{code}」的单位"));
                    continue;
                }
            },
            (_, u) if u.is_empty() => None,
            (_, u) => match units.find(&u) {
                Ok((id, note)) => {
                    if let Some(note) = note {
                        warnings.push(FormatError::new(file, &at(Col::Unit), note));
                    }
                    Some(id)
                }
                Err(m) => {
                    problem(Col::Unit, m);
                    continue;
                }
            },
        };
        let level = match normalize::name(&get(Col::Level)).as_str() {
            "" => None,
            "省管" | "省管干部" => Some(crate::enums::ManagementLevel::Province),
            "市管" | "市管干部" => Some(crate::enums::ManagementLevel::City),
            "县管" | "县管干部" | "区管" | "区管干部" => Some(crate::enums::ManagementLevel::County),
            "其他" => Some(crate::enums::ManagementLevel::Other),
            other => {
                problem(Col::Level, format!("管理权限「{other}」应为 省管、市管、县管 或 其他"));
                continue;
            }
        };
        let category = match normalize::name(&get(Col::Category)).as_str() {
            "" => None,
            "公务员" | "行政" | "行政编制" => Some(crate::enums::StaffCategory::CivilServant),
            "参照公务员法管理" | "参公" | "参照管理" | "参公管理" => {
                Some(crate::enums::StaffCategory::Referenced)
            }
            "事业单位" | "事业" | "事业编制" | "事业单位工作人员" | "事业人员" => {
                Some(crate::enums::StaffCategory::Institution)
            }
            other => {
                problem(Col::Category, format!("人员类别「{other}」应为 公务员、参照公务员法管理 或 事业单位"));
                continue;
            }
        };
        let opt = |c: Col, f: fn(&str) -> String| Some(f(&get(c))).filter(|s| !s.is_empty() && cols.contains_key(&c));
        people.push(Incoming {
            source,
            name,
            gender,
            birth,
            ethnicity: normalize::ethnicity(&get(Col::Ethnicity)),
            native_place: normalize::name(&get(Col::NativePlace)),
            party_date: party,
            work_start: work,
            education: opt(Col::Education, normalize::education),
            post: opt(Col::Post, |s| s.trim().to_owned()),
            rank: opt(Col::Rank, normalize::rank),
            unit_id,
            id_number,
            profile: None,
            photo: None,
            grades: Vec::new(),
            post_since: None,
            management_level: level,
            staff_category: category,
        });
    }
    Ok(RosterRead { people, errors, warnings })
}
