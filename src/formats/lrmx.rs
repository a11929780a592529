//! LRMX: the 干部任免审批表 file of the national cadre-information software.
//! Root `Person`, one element per field (element names in docs/formats.md).
//!
//! Read with roxmltree with DTDs refused, so entity expansion and external
//! entities cannot happen; UTF-8 or GB18030/GBK/GB2312 (by the XML
//! declaration). Written as UTF-8 with every text escaped.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::FormatError;
use crate::enums::Gender;
use crate::records::profiles::{Education, FamilyMember, Photo, Profile};

/// What one LRMX file says about a cadre.
#[derive(Debug, Clone, PartialEq)]
pub struct LrmxPerson {
    pub name: String,
    pub gender: Gender,
    /// `YYYY-MM`
    pub birth: String,
    pub ethnicity: String,
    pub native_place: String,
    pub party_date: Option<String>,
    pub work_start: Option<String>,
    pub post: String,
    pub id_number: Option<String>,
    pub profile: Profile,
    pub photo: Option<Photo>,
    /// Elements of the file this program does not keep, as 「<Element>：text」:
    /// shown in the import preview as not imported, never dropped silently.
    pub unmapped: Vec<String>,
}

/// The elements read into the archive (the person's fields and the profile).
const KNOWN: &[&str] = &[
    "XingMing",
    "XingBie",
    "ChuShengNianYue",
    "MinZu",
    "JiGuan",
    "ChuShengDi",
    "RuDangShiJian",
    "CanJiaGongZuoShiJian",
    "ZhengZhiMianMao",
    "JianKangZhuangKuang",
    "ZhuanYeJiShuZhiWu",
    "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi",
    "QuanRiZhiJiaoYu_XueWei",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi",
    "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "XianRenZhiWu",
    "NiRenZhiWu",
    "NiMianZhiWu",
    "JianLi",
    "JiangChengQingKuang",
    "NianDuKaoHeJieGuo",
    "RenMianLiYou",
    "ChengBaoDanWei",
    "JiSuanNianLingShiJian",
    "TianBiaoShiJian",
    "TianBiaoRen",
    "ShenFenZheng",
    "ZhaoPian",
    "Version",
    "JiaTingChengYuan",
];

const MAX_FILE: usize = 20 << 20;

/// GB 3304 ethnicity codes, for files that store the code instead of the name.
const ETHNICITIES: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

fn ethnicity(text: &str) -> String {
    match text.parse::<usize>() {
        Ok(n) if (1..=56).contains(&n) => ETHNICITIES[n - 1].to_owned(),
        _ => text.to_owned(),
    }
}

/// `197805`, `1978.05`, `1978.5`, `1978-05`, `1978年5月`, `19780512`, `1978.05.12` → `1978-05`.
pub fn year_month(text: &str) -> Option<String> {
    let digits: Vec<String> =
        text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let (year, month) = match digits.as_slice() {
        [all] if all.len() == 6 || all.len() == 8 => (all[..4].to_owned(), all[4..6].to_owned()),
        [y, m, ..] if y.len() == 4 && (1..=2).contains(&m.len()) => (y.clone(), m.clone()),
        _ => return None,
    };
    let (y, m): (i32, u32) = (year.parse().ok()?, month.parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then(|| format!("{y:04}-{m:02}"))
}

/// `1978-05` → `197805` (the form the national software writes).
fn lrmx_month(ym: &str) -> String {
    ym.replace('-', "")
}

fn decode(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    let declared =
        head.split("encoding=").nth(1).and_then(|r| r.trim_start_matches(['"', '\'']).split(['"', '\'']).next());
    match declared {
        Some("gb2312" | "gbk" | "gb18030") => {
            let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                Err("文件声明为 GB 编码，但含有无法解码的字节".to_owned())
            } else {
                Ok(text.into_owned())
            }
        }
        None | Some("utf-8" | "utf8") => String::from_utf8(bytes.to_vec())
            .map_err(|e| format!("不是 UTF-8 文本（第 {} 字节）", e.utf8_error().valid_up_to())),
        // Read as UTF-8, a file in another encoding would import as garbled text.
        Some(other) => Err(format!("文件声明的编码「{other}」不受支持（支持 UTF-8、GB2312、GBK、GB18030）")),
    }
}

/// Whether bytes look like an LRMX file (an XML document whose root is `Person`).
pub fn sniff(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('<') && t.contains("<Person")
}

/// Read one LRMX file: the person, or every problem in it (not only the first).
pub fn parse(file: &str, bytes: &[u8]) -> Result<LrmxPerson, Vec<FormatError>> {
    let err = |element: &str, message: String| FormatError::new(file, element, message);
    if bytes.len() > MAX_FILE {
        return Err(vec![err("", format!("文件过大（{} 字节）", bytes.len()))]);
    }
    let text = decode(bytes).map_err(|m| vec![err("", m)])?;
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .map_err(|e| vec![err("", format!("不是有效的 XML：{e}"))])?;
    let root = doc.root_element();
    if root.tag_name().name() != "Person" {
        return Err(vec![err(root.tag_name().name(), "根元素应为 Person".to_owned())]);
    }
    let mut problems = Vec::new();
    // Collect a problem and go on: the clerk sees all of them at once.
    macro_rules! check {
        ($result:expr, $default:expr) => {
            match $result {
                Ok(v) => v,
                Err(e) => {
                    problems.push(e);
                    $default
                }
            }
        };
    }
    let field = |name: &str| -> String {
        root.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .map(|n| n.text().unwrap_or("").trim().to_owned())
            .unwrap_or_default()
    };
    let required = |name: &str, label: &str| -> Result<String, FormatError> {
        let v = field(name);
        if v.is_empty() { Err(err(name, format!("缺少{label}"))) } else { Ok(v) }
    };
    let month = |name: &str, label: &str| -> Result<Option<String>, FormatError> {
        let v = field(name);
        if v.is_empty() {
            return Ok(None);
        }
        year_month(&v).map(Some).ok_or_else(|| err(name, format!("{label}「{v}」无法识别，应写作 197805 或 1978.05")))
    };
    let name = check!(required("XingMing", "姓名"), String::new());
    let gender = check!(
        match field("XingBie").as_str() {
            "男" | "1" => Ok(Gender::Male),
            "女" | "2" => Ok(Gender::Female),
            other => Err(err("XingBie", format!("性别「{other}」应为 男/女（或代码 1/2）"))),
        },
        Gender::Male
    );
    let birth = check!(
        month("ChuShengNianYue", "出生年月")
            .and_then(|m| m.ok_or_else(|| err("ChuShengNianYue", "缺少出生年月".to_owned()))),
        String::new()
    );
    let id_number = Some(field("ShenFenZheng")).filter(|s| !s.is_empty());
    if let Some(id) = &id_number {
        check!(crate::validate::id_number("ShenFenZheng", id).map_err(|e| err("ShenFenZheng", e.message())), ());
    }
    let party_date = check!(month("RuDangShiJian", "入党时间"), None);
    let work_start = check!(month("CanJiaGongZuoShiJian", "参加工作时间"), None);
    let education = |prefix: &str| Education {
        level: field(&format!("{prefix}_XueLi")),
        degree: field(&format!("{prefix}_XueWei")),
        level_school: field(&format!("{prefix}_XueLi_BiYeYuanXiaoXi")),
        degree_school: field(&format!("{prefix}_XueWei_BiYeYuanXiaoXi")),
    };
    let family = root
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "JiaTingChengYuan")
        .map(|f| {
            f.children()
                .filter(|n| n.is_element() && n.tag_name().name() == "Item")
                .map(|item| {
                    let get = |k: &str| {
                        item.children()
                            .find(|n| n.is_element() && n.tag_name().name() == k)
                            .and_then(|n| n.text())
                            .unwrap_or("")
                            .trim()
                            .to_owned()
                    };
                    let birth = get("ChuShengRiQi");
                    FamilyMember {
                        relation: get("ChengWei"),
                        name: get("XingMing"),
                        birth: year_month(&birth).unwrap_or(birth),
                        political: get("ZhengZhiMianMao"),
                        work: get("GongZuoDanWeiJiZhiWu"),
                    }
                })
                .filter(|m| !m.name.is_empty() || !m.relation.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let photo_text: String = field("ZhaoPian").split_whitespace().collect();
    let photo = if photo_text.is_empty() {
        None
    } else {
        check!(
            B64.decode(photo_text.as_bytes())
                .map_err(|_| err("ZhaoPian", "照片不是有效的 Base64 编码".to_owned()))
                .and_then(|bytes| Photo::sniff(bytes).map_err(|m| err("ZhaoPian", m)))
                .map(Some),
            None
        )
    };
    let profile = Profile {
        political: field("ZhengZhiMianMao"),
        birthplace: field("ChuShengDi"),
        health: field("JianKangZhuangKuang"),
        tech_title: field("ZhuanYeJiShuZhiWu"),
        speciality: field("ShuXiZhuanYeYouHeZhuanChang"),
        full_time: education("QuanRiZhiJiaoYu"),
        in_service: education("ZaiZhiJiaoYu"),
        resume: field("JianLi"),
        rewards: field("JiangChengQingKuang"),
        appraisal_results: field("NianDuKaoHeJieGuo"),
        proposed_post: field("NiRenZhiWu"),
        proposed_removal: field("NiMianZhiWu"),
        appointment_reason: field("RenMianLiYou"),
        report_unit: field("ChengBaoDanWei"),
        age_date: field("JiSuanNianLingShiJian"),
        filled_on: field("TianBiaoShiJian"),
        filled_by: field("TianBiaoRen"),
        family,
        version: field("Version"),
        current_post: field("XianRenZhiWu"),
        has_photo: photo.is_some(),
    };
    for (el, len, max) in [("JianLi", profile.resume.chars().count(), 20_000), ("XingMing", name.chars().count(), 50)] {
        if len > max {
            problems.push(err(el, format!("内容过长（{len} 字，上限 {max}）")));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // What the archive does not keep is named, with what it said.
    let unmapped = root
        .children()
        .filter(|n| n.is_element() && !KNOWN.contains(&n.tag_name().name()))
        .filter_map(|n| {
            let text: String =
                n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect::<String>().trim().to_owned();
            (!text.is_empty()).then(|| {
                let shown: String = text.chars().take(40).collect();
                let more = if text.chars().count() > 40 { "…" } else { "" };
                format!("<{}>：{shown}{more}", n.tag_name().name())
            })
        })
        .collect();
    Ok(LrmxPerson {
        name,
        gender,
        birth,
        ethnicity: ethnicity(&field("MinZu")),
        native_place: field("JiGuan"),
        party_date,
        work_start,
        post: field("XianRenZhiWu"),
        id_number,
        profile,
        photo,
        unmapped,
    })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// One element at `indent`: an empty one the way the national software (a .NET
/// program) writes it, the end tag on its own line at the same indent —
/// 「<NiRenZhiWu>⏎  </NiRenZhiWu>」 — which every reader takes for empty.
fn element(x: &mut String, indent: &str, name: &str, value: &str) {
    if value.is_empty() {
        x.push_str(&format!("{indent}<{name}>\n{indent}</{name}>\n"));
    } else {
        x.push_str(&format!("{indent}<{name}>{}</{name}>\n", escape(value)));
    }
}

/// Write a person as an LRMX document (UTF-8).
pub fn write(p: &LrmxPerson) -> String {
    let f = &p.profile;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Person>\n");
    let mut el = |name: &str, value: &str| element(&mut x, "  ", name, value);
    el("XingMing", &p.name);
    el("XingBie", p.gender.as_str());
    el("ChuShengNianYue", &lrmx_month(&p.birth));
    el("MinZu", &p.ethnicity);
    el("JiGuan", &p.native_place);
    el("ChuShengDi", &f.birthplace);
    if !f.political.is_empty() {
        el("ZhengZhiMianMao", &f.political);
    }
    el("RuDangShiJian", &p.party_date.as_deref().map(lrmx_month).unwrap_or_default());
    el("CanJiaGongZuoShiJian", &p.work_start.as_deref().map(lrmx_month).unwrap_or_default());
    el("JianKangZhuangKuang", &f.health);
    el("ZhuanYeJiShuZhiWu", &f.tech_title);
    el("ShuXiZhuanYeYouHeZhuanChang", &f.speciality);
    for (prefix, e) in [("QuanRiZhiJiaoYu", &f.full_time), ("ZaiZhiJiaoYu", &f.in_service)] {
        el(&format!("{prefix}_XueLi"), &e.level);
        el(&format!("{prefix}_XueWei"), &e.degree);
        el(&format!("{prefix}_XueLi_BiYeYuanXiaoXi"), &e.level_school);
        el(&format!("{prefix}_XueWei_BiYeYuanXiaoXi"), &e.degree_school);
    }
    el("XianRenZhiWu", &p.post);
    el("NiRenZhiWu", &f.proposed_post);
    el("NiMianZhiWu", &f.proposed_removal);
    el("JianLi", &f.resume);
    el("JiangChengQingKuang", &f.rewards);
    el("NianDuKaoHeJieGuo", &f.appraisal_results);
    el("RenMianLiYou", &f.appointment_reason);
    // The national software's order: the family right after 任免理由, then 呈报单位 … 版本.
    x.push_str("  <JiaTingChengYuan>\n");
    for m in &f.family {
        x.push_str("    <Item>\n");
        for (k, v) in [
            ("ChengWei", &m.relation),
            ("XingMing", &m.name),
            ("ChuShengRiQi", &lrmx_month(&m.birth)),
            ("ZhengZhiMianMao", &m.political),
            ("GongZuoDanWeiJiZhiWu", &m.work),
        ] {
            element(&mut x, "      ", k, v);
        }
        x.push_str("    </Item>\n");
    }
    x.push_str("  </JiaTingChengYuan>\n");
    let mut el = |name: &str, value: &str| element(&mut x, "  ", name, value);
    el("ChengBaoDanWei", &f.report_unit);
    el("JiSuanNianLingShiJian", &f.age_date);
    el("TianBiaoShiJian", &f.filled_on);
    el("TianBiaoRen", &f.filled_by);
    el("ShenFenZheng", p.id_number.as_deref().unwrap_or(""));
    el("ZhaoPian", &p.photo.as_ref().map(|ph| B64.encode(&ph.bytes)).unwrap_or_default());
    el("Version", if f.version.is_empty() { "3.2.1.0" } else { &f.version });
    x.push_str("</Person>\n");
    x
}
