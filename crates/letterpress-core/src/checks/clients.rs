//! The client-support check of a template: the scores and features of [`super::support`] placed
//! in the MJML, as findings and as the table the app shows.

use std::cell::RefCell;
use std::collections::HashMap;

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
pub struct ClientSupport {
    /// The caniemail release the data comes from, and its last update.
    pub caniemail: String,
    pub updated: String,
    pub clients: Vec<ClientRow>,
    /// Features some popular clients lack, most lacking first.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    /// 0 to 100; see [`support::ClientScore::score`].
    pub score: u8,
}

#[derive(Debug, Clone, Serialize)]
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
pub struct PartialSupport {
    pub client: String,
    pub note: Option<String>,
}

/// Scans a marked, unfilled page; returns the table and one finding per problem, placed at its
/// first use.
pub fn check(page: &Page, places: &[Place], root: &Place, files: &[SourceFile]) -> (ClientSupport, Vec<Diagnostic>) {
    let found = support::scan(&page.doc);
    let report = support::report(&found);
    // A large template uses features thousands of times; each file is lowercased once, and each
    // needle looked up once.
    let lowered: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let lower = f.text.to_ascii_lowercase();
            let squeezed = lower.split_whitespace().collect();
            (lower, squeezed)
        })
        .collect();
    let sheet_places: RefCell<HashMap<String, Option<Place>>> = RefCell::default();
    let written: RefCell<HashMap<(String, String), bool>> = RefCell::default();
    let place_of = |f: &Found| -> Place {
        match page.origin(f.node).and_then(|n| places.get(n)) {
            Some(place) => place.clone(),
            None => sheet_places
                .borrow_mut()
                .entry(f.needle.clone())
                .or_insert_with(|| in_style_sheets(files, &f.needle))
                .clone()
                .unwrap_or_else(|| root.clone()),
        }
    };
    let is_written = |f: &Found| -> bool {
        *written
            .borrow_mut()
            .entry((f.feature.slug.clone(), f.needle.clone()))
            .or_insert_with(|| written_in(&lowered, f))
    };
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

/// Whether the template's own files write what `found` names, as the kind of thing it is: a
/// selector, at-rule or pseudo-class inside a style sheet; a property as CSS (`name:`) or as the
/// MJML attribute of the same name (`name="`); an element as a tag; an attribute as itself.
fn written_in(lowered: &[(String, String)], found: &Found) -> bool {
    let needle = found.needle.trim().to_ascii_lowercase();
    let slug = found.feature.slug.as_str();
    if needle.is_empty() || needle.starts_with("<!") {
        return false;
    }
    let in_sheet = slug.starts_with("css-selector")
        || slug.starts_with("css-pseudo")
        || slug.starts_with("css-at-")
        || needle.starts_with(['@', ':', '.', '#', ',', '>', '+', '~', '*', '!']);
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    // Every place `word` stands alone in `text`, followed by `then` when given.
    let has = |text: &str, word: &str, then: &[&str]| {
        text.match_indices(word).any(|(at, _)| {
            let before = at.checked_sub(1).map(|i| text.as_bytes()[i]);
            let rest = text[at + word.len()..].trim_start();
            let starts = word.as_bytes().first().is_some_and(|b| !is_word(*b)) || before.is_none_or(|b| !is_word(b));
            let ends = rest.as_bytes().first().is_none_or(|b| !is_word(*b))
                || !is_word(*word.as_bytes().last().unwrap_or(&b'a'));
            starts && (if then.is_empty() { ends } else { then.iter().any(|t| rest.starts_with(t)) })
        })
    };
    lowered.iter().any(|(text, squeezed)| {
        let text = text.as_str();
        if in_sheet {
            return style_sheets(text).any(|sheet| has(sheet, &needle, &[]));
        }
        if let Some((property, value)) = needle.split_once(':').filter(|(p, _)| !p.is_empty()) {
            // A property with a value: both, with any spacing between them.
            return squeezed.contains(&format!("{property}:{}", value.trim()));
        }
        match found.feature.category.as_str() {
            "css" => has(text, &needle, &[":", "=\""]),
            _ => text.contains(&format!("<{needle}")) || has(text, &needle, &["="]),
        }
    })
}

/// The contents of the `<mj-style>` and `<style>` elements of a (lowercased) text.
fn style_sheets(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = ["<mj-style", "<style"].iter().filter_map(|tag| text[at..].find(tag).map(|o| at + o)).min()?;
        let body = text[open..].find('>').map_or(text.len(), |e| open + e + 1);
        let close = ["</mj-style", "</style"].iter().filter_map(|tag| text[body..].find(tag).map(|c| body + c)).min();
        let close = close.unwrap_or(text.len());
        at = close.max(open + 1);
        Some(&text[body..close])
    })
}

/// The first place `needle` is written inside an `<mj-style>` of the template's files: where the
/// CSS of a compiled `<style>` element came from.
fn in_style_sheets(files: &[SourceFile], needle: &str) -> Option<Place> {
    for file in files {
        let text = &file.text;
        let mut at = 0;
        while let Some(open) = text[at..].find("<mj-style").map(|o| at + o) {
            let close = text[open..].find("</mj-style").map_or(text.len(), |c| open + c);
            if let Some(found) = text[open..close].find(needle) {
                let start = open + found;
                return Some(Place {
                    file: file.display.clone(),
                    start: file.position(start),
                    end: file.position(start + needle.len()),
                });
            }
            at = close.max(open + 1);
        }
    }
    None
}
