//! The client-support check of a template: the scores and features of [`super::support`] placed
//! in the MJML, as findings and as the table the app shows.

use serde::Serialize;

use super::page::Page;
use super::support::{self, Found};
use super::{caniemail, info};
use crate::compile::{Place, SourceFile};
use crate::diagnostic::{Code, Diagnostic, Severity};

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
    /// than only the markup MJML generates for every message. Only these become findings.
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
    let place_of = |f: &Found| -> Place {
        match page.origin(f.node).and_then(|n| places.get(n)) {
            Some(place) => place.clone(),
            None => in_style_sheets(files, &f.needle).unwrap_or_else(|| root.clone()),
        }
    };
    let name_of = |id: &str| caniemail::client(id).map_or(id.to_owned(), |c| c.name.clone());
    let mut problems = Vec::new();
    let mut findings = Vec::new();
    for feature in &report.features {
        let uses: Vec<&Found> = found.iter().filter(|f| f.feature.slug == feature.feature.slug).collect();
        let mut feature_places: Vec<Place> = Vec::new();
        for f in &uses {
            let place = place_of(f);
            if !feature_places.contains(&place) && feature_places.len() < MAX_PLACES {
                feature_places.push(place);
            }
        }
        let written_uses: Vec<&&Found> = uses.iter().filter(|f| written_in(files, &f.needle)).collect();
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
        if !problem.in_source {
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

/// Whether `needle` (a tag, attribute, CSS property, selector or at-rule as the scan names it)
/// is written in one of the template's files, as a whole word.
fn written_in(files: &[SourceFile], needle: &str) -> bool {
    let needle = needle.trim();
    if needle.starts_with("<!") || needle.is_empty() {
        return false;
    }
    // `display:none` is written as the property with that value; look for the property.
    let word = match needle.split_once(':') {
        Some((property, _)) if !property.is_empty() => property,
        _ => needle,
    };
    let word = word.to_ascii_lowercase();
    if let Some((_, value)) = needle.split_once(':').filter(|(p, _)| !p.is_empty()) {
        // A property with a value: both, with any spacing between them.
        let value = value.trim().to_ascii_lowercase();
        return files.iter().any(|file| {
            let text: String = file.text.to_ascii_lowercase().split_whitespace().collect();
            text.contains(&format!("{word}:{value}"))
        });
    }
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    files.iter().any(|file| {
        let text = file.text.to_ascii_lowercase();
        text.match_indices(&word).any(|(at, _)| {
            let before = at.checked_sub(1).map(|i| text.as_bytes()[i]);
            let after = text.as_bytes().get(at + word.len()).copied();
            let starts = word.as_bytes().first().is_some_and(|b| !is_word(*b)) || before.is_none_or(|b| !is_word(b));
            starts && after.is_none_or(|b| !is_word(b))
        })
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
