//! How the forms name a post: 「市财政局综合科科长」 (the unit's full name below the
//! top, then the post), with the 职级 after a comma on the 任免审批表
//! (「市财政局综合科科长，正科级」); and back, from such a text to a unit of the
//! archive, the post and the 职级. Also the 简历 lines the archive's post
//! history makes, and the posts a 简历 names.
//!
//! Reading back is the exact inverse of writing: a text is split into unit and
//! post only where writing that unit and post gives the same text again, so
//! an exported form imported into another archive with the same units gives
//! the same unit, post and 职级, and exporting it again gives the same text.

use std::collections::HashMap;

use super::normalize::{self, ResumeLine};
use crate::records::cadres::{CadreInput, PostInput};
use crate::records::units::Unit;

/// A unit path as a title names it: a unit named after its parent (丰河县 ›
/// 丰河县发改局) says its parent's name itself, so the parent is left out.
fn collapsed(path: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(path.len());
    for (i, name) in path.iter().enumerate() {
        let named_by_next = path.get(i + 1).is_some_and(|next| next.starts_with(name.as_str()));
        if !named_by_next || i == 0 {
            out.push(name.clone());
        }
    }
    out
}

/// The post with its unit's full name, as the 登记表 writes it: 「市财政局综合科科长」 for
/// 科长 of 综合科 under 市财政局 (the city at the top left out), without repeating what
/// the post already names (「综合科副科长」 → 「市财政局综合科副科长」). A post that starts
/// with an upper unit's name (「市财政局副局长」 held in 综合科) is written as it is.
pub(crate) fn full_post(path: &[String], post: &str) -> String {
    let path = collapsed(path);
    let below_top = if path.len() > 1 { &path[1..] } else { &path[..] };
    for start in 0..below_top.len() {
        let upper = below_top[start..].concat();
        if post.starts_with(&upper) {
            return format!("{}{post}", below_top[..start].concat());
        }
    }
    if path.iter().any(|name| name.chars().count() >= 2 && post.starts_with(name.as_str())) {
        return post.to_owned();
    }
    format!("{}{post}", below_top.concat())
}

/// 现任职务 as the 任免审批表 writes it: the post with its unit's full name (a post
/// that already starts with the top unit's name, 「燕州市丰河县委常委」, as it is),
/// then the 职级 after a comma when the text does not already name it.
pub(crate) fn form_post(path: &[String], post: &str, rank: &str) -> String {
    let named = match path.first() {
        Some(top) if post.starts_with(top.as_str()) => post.to_owned(),
        _ => full_post(path, post),
    };
    if rank.is_empty() || named.contains(rank) { named } else { format!("{named}，{rank}") }
}

/// 现任职务 for a cadre: the form's own text when one was imported and the
/// cadre's post, 职级 and unit still read the same from it (an unchanged
/// cadre's form is written back as it came); otherwise [`form_post`].
pub(crate) fn form_post_as_stored(stored: &str, cadre: &CadreInput, paths: &UnitPaths) -> String {
    if !stored.is_empty() {
        let read = read_post(stored, paths, Some(cadre.unit_id));
        if read.post == cadre.post
            && read.rank.unwrap_or_default() == cadre.rank
            && read.unit.is_none_or(|u| u == cadre.unit_id)
        {
            return stored.to_owned();
        }
    }
    form_post(paths.names(cadre.unit_id), &cadre.post, &cadre.rank)
}

/// Every unit's path of names from the top, and of ids.
pub(crate) struct UnitPaths {
    paths: HashMap<i64, (Vec<String>, Vec<i64>)>,
}

impl UnitPaths {
    pub(crate) fn new(units: &[Unit]) -> UnitPaths {
        let by_id: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        let mut paths = HashMap::new();
        for u in units {
            let (mut names, mut ids) = (Vec::new(), Vec::new());
            let mut next = Some(u.id);
            while let Some(id) = next
                && let Some(unit) = by_id.get(&id)
                && ids.len() <= 64
            {
                names.push(unit.fields.name.clone());
                ids.push(id);
                next = unit.fields.parent_id;
            }
            names.reverse();
            ids.reverse();
            paths.insert(u.id, (collapsed(&names), ids));
        }
        UnitPaths { paths }
    }

    pub(crate) fn names(&self, unit: i64) -> &[String] {
        self.paths.get(&unit).map_or(&[], |(names, _)| names.as_slice())
    }

    /// Whether `unit` is `ancestor` or lies under it.
    fn within(&self, unit: i64, ancestor: i64) -> bool {
        self.paths.get(&unit).is_some_and(|(_, ids)| ids.contains(&ancestor))
    }
}

/// What a form's post text says in the archive's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadPost {
    /// The archive's unit the text names, when exactly one is named.
    pub unit: Option<i64>,
    pub post: String,
    pub rank: Option<String>,
}

/// 「，正科级」「、一级主任科员」「（正科级）」 at the end of a post text.
fn split_rank(text: &str) -> (&str, Option<String>) {
    let t = text.trim();
    for rank in normalize::RANKS {
        for (open, close) in [("，", ""), (",", ""), ("、", ""), ("（", "）"), ("(", ")")] {
            let tail = format!("{open}{rank}{close}");
            if let Some(body) = t.strip_suffix(tail.as_str())
                && !body.trim().is_empty()
            {
                return (body.trim(), Some((*rank).to_owned()));
            }
        }
    }
    (t, None)
}

/// Read a form's post text: the unit of the archive it starts with (the longest
/// name found, by the unit's full name below the top or from the top), the post
/// and the 职级. A name followed by 「委」 names another body (「丰河县委」 is not
/// the unit 「丰河县」): then no unit is read from the text. `keep` is the unit
/// the cadre is in or is to go to: when it lies within the unit read, it stays
/// (the text is less precise than the archive) and the post is the whole text.
pub(crate) fn read_post(text: &str, paths: &UnitPaths, keep: Option<i64>) -> ReadPost {
    let (body, rank) = split_rank(text);
    let mut best: Option<(usize, Vec<(i64, &str)>)> = None;
    for (&id, (names, _)) in &paths.paths {
        let below_top = if names.len() > 1 { &names[1..] } else { names.as_slice() };
        for name in [below_top.concat(), names.concat()] {
            if name.chars().count() < 2 {
                continue;
            }
            if let Some(rest) = body.strip_prefix(name.as_str()) {
                let len = name.len();
                match &mut best {
                    Some((l, found)) if *l == len => {
                        if !found.iter().any(|(u, _)| *u == id) {
                            found.push((id, rest));
                        }
                    }
                    Some((l, _)) if *l > len => {}
                    _ => best = Some((len, vec![(id, rest)])),
                }
            }
        }
    }
    let whole = |unit| ReadPost { unit, post: body.to_owned(), rank: rank.clone() };
    let Some((_, found)) = best else { return whole(None) };
    let [(unit, rest)] = found.as_slice() else { return whole(None) };
    if rest.starts_with('委') {
        return whole(None);
    }
    if let Some(k) = keep
        && paths.within(k, *unit)
        && k != *unit
    {
        return whole(Some(k));
    }
    // Split only where writing it again gives the same text.
    let post = if !rest.is_empty() && form_post(paths.names(*unit), rest, "") == body { *rest } else { body };
    ReadPost { unit: Some(*unit), post: post.to_owned(), rank }
}

/// `2016-03-01` → `2016.03`.
fn dotted(date: &str) -> String {
    date.get(..7).unwrap_or(date).replace('-', ".")
}

/// One 简历 line of a post: 「2015.03--2019.06  市财政局办公室副主任」, an open post
/// 「2019.06--        市财政局综合科科长」 (the 任免审批表's spaces for 「至今」).
fn resume_line(post: &PostInput, paths: &UnitPaths) -> String {
    let text = form_post(paths.names(post.unit_id), &post.title, "");
    match &post.end_date {
        Some(end) => format!("{}--{}  {text}", dotted(&post.start_date), dotted(end)),
        None => format!("{}--         {text}", dotted(&post.start_date)),
    }
}

/// The 简历 to write: the stored one (as imported or edited) with the archive's
/// posts that began after its last line added, the last open line closed where
/// a later post follows; or, with none stored, the archive's post history.
pub(crate) fn resume_text(stored: &str, posts: &[PostInput], paths: &UnitPaths) -> String {
    let lines = normalize::resume(stored);
    let last_from = lines.iter().map(|l| l.from.clone()).max();
    let later: Vec<&PostInput> =
        posts.iter().filter(|p| last_from.as_ref().is_none_or(|from| p.start_date[..7] > **from)).collect();
    if later.is_empty() {
        return stored.to_owned();
    }
    let mut out: Vec<String> = Vec::new();
    let first_new = later[0].start_date.clone();
    for line in stored.lines() {
        let closed = close_open_line(line, &lines, &first_new);
        out.push(closed);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.extend(later.into_iter().map(|p| resume_line(p, paths)));
    out.join("\n")
}

/// A stored 简历 line still open (「2016.03--」, 「2016.03—至今」, 「2016.03～」) ends when
/// the next post begins: written 「2016.03--2024.03  …」.
fn close_open_line(line: &str, read: &[ResumeLine], next_start: &str) -> String {
    let parsed = normalize::resume(line);
    let [only] = parsed.as_slice() else { return line.to_owned() };
    if only.to.is_some() || !read.iter().any(|l| l == only) {
        return line.to_owned();
    }
    let indent = line.len() - line.trim_start().len();
    let body = &line[indent..];
    let head: usize = body.chars().take_while(|c| c.is_ascii_digit() || *c == '.').map(char::len_utf8).sum();
    let after = &body[head..];
    let separator: usize =
        after.chars().take_while(|c| matches!(c, '-' | '—' | '－' | '~' | '～' | '至' | ' ')).map(char::len_utf8).sum();
    let rest = after[separator..].trim_start_matches('今').trim_start();
    format!("{}{}--{}  {rest}", &line[..indent], &body[..head], dotted(next_start))
}

/// The posts a 简历 names in units of the archive: each closed period whose text
/// starts with a unit's name (as [`read_post`] reads it). The others stay in the
/// 简历 only (schools, units the archive does not hold).
pub(crate) fn resume_posts(text: &str, paths: &UnitPaths) -> Vec<PostInput> {
    normalize::resume(text)
        .into_iter()
        .filter_map(|line| {
            let to = line.to.clone()?;
            let read = read_post(&line.text, paths, None);
            Some(PostInput {
                unit_id: read.unit?,
                title: read.post,
                rank: read.rank.unwrap_or_default(),
                start_date: format!("{}-01", line.from),
                end_date: Some(format!("{to}-01")),
                note: "据任免审批表简历".to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::UnitKind;
    use crate::records::units::UnitInput;

    fn unit(id: i64, parent: Option<i64>, name: &str) -> Unit {
        Unit {
            id,
            fields: UnitInput {
                parent_id: parent,
                code: id.to_string(),
                name: name.into(),
                kind: UnitKind::Other,
                sort_order: 0,
            },
        }
    }

    fn tree() -> UnitPaths {
        UnitPaths::new(&[
            unit(1, None, "燕州市"),
            unit(2, Some(1), "市财政局"),
            unit(3, Some(2), "综合科"),
            unit(4, Some(1), "丰河县"),
            unit(5, Some(4), "丰河县发改局"),
        ])
    }

    #[test]
    fn the_post_is_written_with_its_units_full_name() {
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(full_post(&path(&["燕州市", "市财政局", "综合科"]), "科长"), "市财政局综合科科长");
        assert_eq!(full_post(&path(&["燕州市", "市财政局", "综合科"]), "综合科副科长"), "市财政局综合科副科长");
        assert_eq!(full_post(&path(&["燕州市", "丰河县发改局"]), "丰河县发改局局长"), "丰河县发改局局长");
        assert_eq!(full_post(&path(&["燕州市"]), "市长"), "燕州市市长");
    }

    #[test]
    fn a_written_post_reads_back_as_the_same_unit_post_and_rank() {
        let paths = tree();
        for (unit, post, rank) in [(3, "科长", "正科级"), (5, "丰河县发改局局长", ""), (2, "党组书记、局长", "正处级")]
        {
            let text = form_post(paths.names(unit), post, rank);
            let read = read_post(&text, &paths, None);
            assert_eq!(read.unit, Some(unit), "{text}");
            assert_eq!(form_post(paths.names(unit), &read.post, read.rank.as_deref().unwrap_or("")), text);
            assert_eq!(read.rank.as_deref().unwrap_or(""), rank, "{text}");
        }
        assert_eq!(form_post(paths.names(3), "科长", "正科级"), "市财政局综合科科长，正科级");
    }

    #[test]
    fn a_unit_named_after_its_parent_is_not_doubled_and_a_kept_unit_prints_as_read() {
        let paths =
            UnitPaths::new(&[unit(1, None, "燕州市"), unit(4, Some(1), "丰河县"), unit(6, Some(4), "丰河县发改局")]);
        assert_eq!(form_post(paths.names(6), "局长", ""), "丰河县发改局局长");
        let read = read_post("丰河县发改局局长", &paths, None);
        assert_eq!((read.unit, read.post.as_str()), (Some(6), "局长"));
        let tree = tree();
        let kept = read_post("市财政局副局长", &tree, Some(3));
        assert_eq!(form_post(tree.names(3), &kept.post, ""), "市财政局副局长", "written as it was read");
    }

    #[test]
    fn a_name_followed_by_wei_is_another_body_and_a_closer_unit_is_kept() {
        let paths = tree();
        assert_eq!(read_post("燕州市丰河县委常委、副县长", &paths, None).unit, None);
        let read = read_post("市财政局副局长", &paths, Some(3));
        assert_eq!((read.unit, read.post.as_str()), (Some(3), "市财政局副局长"));
    }

    #[test]
    fn the_resume_gets_the_posts_after_its_last_line() {
        let paths = tree();
        let post = |unit, title: &str, start: &str, end: Option<&str>| PostInput {
            unit_id: unit,
            title: title.into(),
            rank: String::new(),
            start_date: start.into(),
            end_date: end.map(str::to_owned),
            note: String::new(),
        };
        let posts = [post(2, "办公室副主任", "2015-03-01", Some("2019-06-01")), post(3, "科长", "2019-06-01", None)];
        let made = resume_text("", &posts, &paths);
        assert_eq!(made, "2015.03--2019.06  市财政局办公室副主任\n2019.06--         市财政局综合科科长");
        let read = resume_posts(&made, &paths);
        assert_eq!(read.len(), 1);
        assert_eq!((read[0].unit_id, read[0].title.as_str()), (2, "办公室副主任"));
        let stored = "2010.07--2015.03  河北大学学习\n2015.03--  市财政局办公室副主任";
        let later = [post(3, "科长", "2019-06-01", None)];
        assert_eq!(
            resume_text(stored, &later, &paths),
            "2010.07--2015.03  河北大学学习\n2015.03--2019.06  市财政局办公室副主任\n2019.06--         市财政局综合科科长"
        );
        assert_eq!(resume_text(stored, &[post(2, "办公室副主任", "2015-03-01", None)], &paths), stored);
        for open in
            ["2015.03—至今  市财政局办公室副主任", "2015.03～ 市财政局办公室副主任", "2015.03至今 市财政局办公室副主任"]
        {
            let closed = resume_text(open, &later, &paths);
            assert!(closed.starts_with("2015.03--2019.06  市财政局办公室副主任\n"), "{open} → {closed}");
        }
    }
}
