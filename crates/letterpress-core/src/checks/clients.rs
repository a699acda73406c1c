//! The client-support check of a template: the scores and features of [`super::support`] placed
//! in the MJML, as findings and as the table the app shows.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::page::Page;
use super::support::{self, Found};
use super::{caniemail, info};
use crate::compile::{Place, SourceFile};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// Features other checks ask templates to use (`missing-lang`, `missing-dir`, `layout-table`):
/// the table shows which clients ignore them, but a finding would contradict the advice.
const ASKED_FOR: &[&str] = &["html-lang", "html-dir", "html-role"];

/// How many places of one feature are kept for the app to list.
const MAX_PLACES: usize = 20;

/// A template's support by the popular mail clients.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClientSupport {
    /// The caniemail release the data comes from, and its last update.
    pub caniemail: String,
    pub updated: String,
    pub clients: Vec<ClientRow>,
    /// Features some popular clients lack, most lacking first.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    /// 0 to 100; see [`support::ClientScore::score`].
    pub score: u8,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "SupportProblem"))]
pub struct Problem {
    pub slug: String,
    pub title: String,
    pub url: String,
    /// What the template writes, such as `border-radius` or `@media`.
    pub written: String,
    /// Ids of the popular clients that do not support it.
    pub unsupported: Vec<String>,
    /// Ids of those that support it partly, with caniemail's note.
    pub partial: Vec<PartialSupport>,
    pub uses: usize,
    /// Whether the template's own files write it (an attribute, a CSS property, a tag), rather
    /// than only the markup MJML generates for every message. Only these become findings, and
    /// only when some popular client does not support it at all.
    pub in_source: bool,
    /// Where it is used, the first [`MAX_PLACES`].
    pub places: Vec<Place>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PartialSupport {
    pub client: String,
    pub note: Option<String>,
}

/// Scans a marked, unfilled page; returns the table and one finding per problem, placed at its
/// first use.
pub fn check(page: &Page, places: &[Place], root: &Place, files: &[SourceFile]) -> (ClientSupport, Vec<Diagnostic>) {
    let found = support::scan(&page.doc);
    let report = support::report(&found);
    // A large template uses features thousands of times: the files are read once into an index,
    // and every use is looked up in it.
    let index = SourceIndex::new(files);
    let place_of = |f: &Found| -> Place {
        match page.origin(f.node).and_then(|n| places.get(n)) {
            Some(place) => place.clone(),
            None => index.sheet_place(&f.needle).unwrap_or_else(|| root.clone()),
        }
    };
    let is_written = |f: &Found| index.writes(f);
    let name_of = |id: &str| caniemail::client(id).map_or(id.to_owned(), |c| c.name.clone());
    let mut by_feature: HashMap<&str, Vec<&Found>> = HashMap::new();
    for f in &found {
        by_feature.entry(f.feature.slug.as_str()).or_default().push(f);
    }
    let mut problems = Vec::new();
    let mut findings = Vec::new();
    for feature in &report.features {
        let uses: &[&Found] = by_feature.get(feature.feature.slug.as_str()).map_or(&[], Vec::as_slice);
        let mut feature_places: Vec<Place> = Vec::new();
        for f in uses {
            if feature_places.len() == MAX_PLACES {
                break;
            }
            let place = place_of(f);
            if !feature_places.contains(&place) {
                feature_places.push(place);
            }
        }
        let written_uses: Vec<&&Found> = uses.iter().filter(|f| is_written(f)).collect();
        // Of the uses the template writes, the first that has a place of its own.
        let in_source = written_uses.iter().find(|f| place_of(f) != *root).or(written_uses.first()).map(|f| **f);
        let written =
            in_source.or(uses.first().copied()).map_or_else(|| feature.feature.title.clone(), |f| f.needle.clone());
        if let Some(first) = in_source {
            // The place where the template writes it comes first.
            let place = place_of(first);
            feature_places.retain(|p| *p != place);
            feature_places.insert(0, place);
            feature_places.truncate(MAX_PLACES);
        }
        let problem = Problem {
            slug: feature.feature.slug.clone(),
            title: feature.feature.title.clone(),
            url: feature.feature.url.clone(),
            written: written.clone(),
            unsupported: feature.unsupported.iter().map(|c| c.id.clone()).collect(),
            partial: feature
                .partial
                .iter()
                .map(|(c, note)| PartialSupport { client: c.id.clone(), note: note.clone() })
                .collect(),
            uses: feature.uses,
            in_source: in_source.is_some(),
            places: feature_places,
        };
        let mut message = format!("`{written}` ({})", feature.feature.title);
        if !problem.unsupported.is_empty() {
            let names: Vec<String> = problem.unsupported.iter().map(|id| name_of(id)).collect();
            message.push_str(&format!(" is not supported by {}", names.join(", ")));
        }
        if !problem.partial.is_empty() {
            let names: Vec<String> = problem.partial.iter().map(|p| name_of(&p.client)).collect();
            let joiner = if problem.unsupported.is_empty() { " is" } else { ", and" };
            message.push_str(&format!("{joiner} only partly supported by {}", names.join(", ")));
        }
        problems.push(problem);
        let problem = problems.last().expect("just pushed");
        // A finding only where the template itself writes something a popular client lacks;
        // partial support is common enough to stay in the table.
        if !problem.in_source || problem.unsupported.is_empty() || ASKED_FOR.contains(&problem.slug.as_str()) {
            continue;
        }
        let place = problem.places.first().unwrap_or(root);
        let mut diagnostic =
            Diagnostic::warning(Code::ClientSupport, place.file.clone(), message).span(place.start, place.end);
        diagnostic.severity = info(Code::ClientSupport).map_or(Severity::Info, |c| c.severity);
        findings.push(diagnostic);
    }
    let clients = report
        .clients
        .iter()
        .map(|c| ClientRow { id: c.client.id.clone(), name: c.client.name.clone(), score: c.score })
        .collect();
    let table = ClientSupport {
        caniemail: caniemail::version().to_owned(),
        updated: caniemail::last_update().to_owned(),
        clients,
        problems,
    };
    (table, findings)
}

/// What the template's own files write, read once: the words of each file with what stands
/// right before and after them, and the tokens of its style sheets.
struct SourceIndex<'a> {
    files: &'a [SourceFile],
    /// Words written as a tag (`<word`).
    tags: HashSet<String>,
    /// Words followed by `=` (attributes, MJML attributes).
    attributes: HashSet<String>,
    /// Words followed by `:` (CSS properties).
    properties: HashSet<String>,
    /// `property:value` pairs, spaces removed.
    pairs: HashSet<String>,
    /// Tokens of style sheets (`<mj-style>`, `<style>`): words with the character before them
    /// when it is one of `.#:@!` (`.card`, `:first-child`, `@media`), plain words, and the
    /// combinator characters used.
    sheet_tokens: HashMap<String, (usize, usize)>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

impl<'a> SourceIndex<'a> {
    fn new(files: &'a [SourceFile]) -> Self {
        let mut index = SourceIndex {
            files,
            tags: HashSet::new(),
            attributes: HashSet::new(),
            properties: HashSet::new(),
            pairs: HashSet::new(),
            sheet_tokens: HashMap::new(),
        };
        for (n, file) in files.iter().enumerate() {
            let text = file.text.to_ascii_lowercase();
            let bytes = text.as_bytes();
            let tags = style_sheets(&text);
            // The `<style>` element of compiled HTML is written as the first of these tags.
            if let Some(&(open, ..)) = tags.first() {
                index.sheet_tokens.entry("style".to_owned()).or_insert((n, open + 1));
            }
            let sheets: Vec<(usize, usize)> = tags.iter().map(|&(_, body, close)| (body, close)).collect();
            // Bytes are visited in order, so the sheet a byte may be in only moves forward.
            let mut sheet = 0;
            let mut in_sheet = |at: usize| {
                while sheets.get(sheet).is_some_and(|&(_, to)| to <= at) {
                    sheet += 1;
                }
                sheets.get(sheet).is_some_and(|&(from, _)| from <= at)
            };
            let mut at = 0;
            while at < bytes.len() {
                let b = bytes[at];
                if !is_word_byte(b) {
                    if in_sheet(at) && matches!(b, b'>' | b'+' | b'~' | b',' | b'*') {
                        index.sheet_tokens.entry((b as char).to_string()).or_insert((n, at));
                    }
                    at += 1;
                    continue;
                }
                let start = at;
                while at < bytes.len() && is_word_byte(bytes[at]) {
                    at += 1;
                }
                let word = &text[start..at];
                let before = start.checked_sub(1).map(|i| bytes[i]);
                let next = text[at..].trim_start().as_bytes().first().copied();
                if before == Some(b'<') {
                    index.tags.insert(word.to_owned());
                }
                match next {
                    Some(b'=') => {
                        index.attributes.insert(word.to_owned());
                    }
                    Some(b':') => {
                        index.properties.insert(word.to_owned());
                        let rest = text[at..].trim_start()[1..].trim_start();
                        let value: String = rest
                            .bytes()
                            .take_while(|b| is_word_byte(*b) || *b == b'#' || *b == b'.')
                            .map(char::from)
                            .collect();
                        if !value.is_empty() {
                            index.pairs.insert(format!("{word}:{value}"));
                        }
                    }
                    _ => {}
                }
                if in_sheet(start) {
                    index.sheet_tokens.entry(word.to_owned()).or_insert((n, start));
                    if let Some(p @ (b'.' | b'#' | b':' | b'@' | b'!')) = before {
                        index.sheet_tokens.entry(format!("{}{word}", p as char)).or_insert((n, start - 1));
                    }
                }
            }
        }
        index
    }

    /// Whether the template's own files write what `found` names, as the kind of thing it is: a
    /// selector, at-rule or pseudo-class inside a style sheet; a property as CSS (`name:`) or as
    /// the MJML attribute of the same name (`name="`); an element as a tag; an attribute as
    /// itself.
    fn writes(&self, found: &Found) -> bool {
        let needle = found.needle.trim().to_ascii_lowercase();
        let slug = found.feature.slug.as_str();
        if needle.is_empty() || needle.starts_with("<!") {
            return false;
        }
        let in_sheet = slug.starts_with("css-selector")
            || slug.starts_with("css-pseudo")
            || slug.starts_with("css-at-")
            || needle.starts_with(['@', ':', '.', '#', ',', '>', '+', '~', '*', '!']);
        if in_sheet {
            // Every piece of a compound such as `div.tick` or `@media`.
            return sheet_pieces(&needle).all(|piece| self.sheet_tokens.contains_key(piece));
        }
        if let Some((property, value)) = needle.split_once(':').filter(|(p, _)| !p.is_empty()) {
            let value: String = value.split_whitespace().collect();
            return self.pairs.contains(&format!("{property}:{value}"));
        }
        match found.feature.category.as_str() {
            "css" => self.properties.contains(&needle) || self.attributes.contains(&needle),
            _ => self.tags.contains(&needle) || self.attributes.contains(&needle),
        }
    }

    /// Where `needle` is first written in a style sheet: where the CSS of a compiled `<style>`
    /// element came from.
    fn sheet_place(&self, needle: &str) -> Option<Place> {
        let needle = needle.trim().to_ascii_lowercase();
        // The last piece of a compound (`.tick` of `div.tick`) is the most particular.
        let first = sheet_pieces(&needle).last()?;
        let &(n, at) = self.sheet_tokens.get(first)?;
        let file = &self.files[n];
        Some(Place {
            file: file.display.clone(),
            start: file.position(at),
            end: file.position((at + first.len()).min(file.text.len())),
        })
    }
}

/// The tokens of a selector-like needle as [`SourceIndex`] keeps them: `div.tick` → `div`,
/// `.tick`; `@media` → `@media`; `>` → `>`.
fn sheet_pieces(needle: &str) -> impl Iterator<Item = &str> {
    let bytes = needle.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            let b = bytes[at];
            if is_word_byte(b) || matches!(b, b'.' | b'#' | b':' | b'@' | b'!') {
                at += 1;
                while at < bytes.len() && is_word_byte(bytes[at]) {
                    at += 1;
                }
                if at > start + usize::from(!is_word_byte(b)) {
                    return Some(&needle[start..at]);
                }
                continue;
            }
            at += 1;
            if matches!(b, b'>' | b'+' | b'~' | b',' | b'*') {
                return Some(&needle[start..at]);
            }
        }
        None
    })
}

/// The `<mj-style>` and `<style>` elements of a (lowercased) text, in order, as the offsets of
/// their start tag and of the start and end of their content; each tag found in one pass.
fn style_sheets(text: &str) -> Vec<(usize, usize, usize)> {
    let positions = |tag: &str| -> Vec<usize> { text.match_indices(tag).map(|(at, _)| at).collect() };
    let mut opens = positions("<mj-style");
    opens.extend(positions("<style"));
    opens.sort_unstable();
    let mut closes = positions("</mj-style");
    closes.extend(positions("</style"));
    closes.sort_unstable();
    let mut sheets = Vec::new();
    let mut at = 0;
    let mut close_i = 0;
    for open in opens {
        if open < at {
            continue;
        }
        let body = text[open..].find('>').map_or(text.len(), |e| open + e + 1);
        while close_i < closes.len() && closes[close_i] < body {
            close_i += 1;
        }
        let close = closes.get(close_i).copied().unwrap_or(text.len());
        sheets.push((open, body, close));
        at = close;
    }
    sheets
}
