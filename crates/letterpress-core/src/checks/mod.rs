//! The inbox checks: what a template says to mail clients and to people, beyond what MJML
//! requires. Each check has a stable id (its [`Code`]), a default severity, and places each
//! finding at the MJML element that produced it, in a partial when it came from one.
//!
//! Checks of the MJML itself (alt text, language, title, insecure URLs, empty links) live in
//! [`crate::compile::lint`]; the others read the compiled HTML as a browser would ([`page`]),
//! from a copy compiled with source markers, filled with each data set. [`CHECKS`] is the
//! registry: the README's list, `letterpress.toml`'s `[checks]` and the app all derive from it.

pub mod accessibility;
pub mod caniemail;
pub mod clients;
pub mod contrast;
pub mod images;
pub mod links;
pub mod page;
pub mod support;

use std::collections::BTreeMap;
use std::path::Path;

use ego_tree::NodeId;
use serde::{Deserialize, Serialize};

use crate::compile::Place;
use crate::diagnostic::{Code, Diagnostic, Severity};
use page::Page;

/// One check: its id, the severity of its findings unless the project changes it, and what it
/// finds.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub code: Code,
    pub severity: Severity,
    pub finds: &'static str,
}

const fn check(code: Code, severity: Severity, finds: &'static str) -> Check {
    Check { code, severity, finds }
}

/// Every check, in the order the README lists them.
pub const CHECKS: &[Check] = &[
    check(Code::ClientSupport, Severity::Info, "HTML and CSS that popular mail clients do not support, from caniemail"),
    check(Code::MissingLang, Severity::Warning, "no `lang` on `<mjml>`"),
    check(Code::MissingDir, Severity::Warning, "no `dir` on `<mjml>`"),
    check(Code::MissingTitle, Severity::Warning, "no `<mj-title>`"),
    check(Code::LayoutTable, Severity::Warning, "a layout table without `role=\"presentation\"`"),
    check(Code::HeadingOrder, Severity::Warning, "a heading that skips a level"),
    check(Code::LinkText, Severity::Warning, "link text such as \"click here\", a bare URL, or none"),
    check(Code::ImageAlt, Severity::Warning, "an image without `alt`"),
    check(Code::Contrast, Severity::Warning, "text below WCAG 2.2 AA contrast, in the light or the dark colour scheme"),
    check(Code::EmptyLink, Severity::Warning, "a link to `\"\"` or `#`"),
    check(Code::JavascriptLink, Severity::Error, "a `javascript:` link"),
    check(Code::MalformedLink, Severity::Warning, "a `mailto:` or `tel:` link that is not well formed"),
    check(Code::LinkPlaceholder, Severity::Warning, "a link left empty or unfilled by a data set"),
    check(Code::BrokenLink, Severity::Warning, "a link that does not answer (`check --online` only)"),
    check(Code::InsecureUrl, Severity::Warning, "an `http:` link or image"),
    check(Code::ImageNotFound, Severity::Error, "a local image that does not exist"),
    check(Code::ImageWidth, Severity::Warning, "an image without a width"),
    check(Code::ImageWeight, Severity::Warning, "local images heavier than the budget (`[checks.budget] images-kb`)"),
    check(Code::MessageSize, Severity::Warning, "HTML above 80 % of Gmail's 102 KB clipping limit (an error above it)"),
];

/// The registry entry of a code, if it is a check.
pub fn info(code: Code) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.code == code)
}

/// How a project wants a check reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

/// `[checks]` in `letterpress.toml`: a level per check id (`contrast = "off"`), and budgets
/// (`[checks.budget]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChecksConfig {
    pub budget: Budget,
    /// Check ids (`contrast`, `link-text`, …) and the level to report them at.
    #[serde(flatten)]
    pub levels: BTreeMap<String, Level>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Budget {
    /// The most the local images of one template may weigh together, in KB.
    pub images_kb: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { images_kb: 1024 }
    }
}

impl ChecksConfig {
    /// The first level naming something that is not a check, for the project file's errors.
    pub fn unknown_check(&self) -> Option<&str> {
        self.levels.keys().map(String::as_str).find(|id| !CHECKS.iter().any(|c| c.code.as_str() == *id))
    }

    /// Applies the project's levels: drops findings of checks turned off and changes the
    /// severity of the others.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.levels.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.levels.get(d.code.as_str()) {
            Some(Level::Off) => false,
            Some(level) if info(d.code).is_some() => {
                d.severity = match level {
                    Level::Error => Severity::Error,
                    Level::Warning => Severity::Warning,
                    _ => Severity::Info,
                };
                true
            }
            _ => true,
        });
    }
}

/// What the checks of one filled message look at.
pub struct Context<'a> {
    pub page: &'a Page,
    /// Where each marked element was written.
    pub places: &'a [Place],
    /// The `<mjml>` element of the template, for findings about the document as a whole.
    pub root: &'a Place,
    /// The data set the message was filled with, for messages.
    pub data_set: Option<&'a str>,
    /// The template's folder, against which local images resolve, and the canonical project
    /// root they must stay in.
    pub template_dir: &'a Path,
    pub project_root: &'a Path,
    pub budget: &'a Budget,
    /// The project's levels, to skip work on checks it turns off.
    pub levels: &'a BTreeMap<String, Level>,
}

impl Context<'_> {
    /// Where the element `node` was written, or the document's root.
    pub fn place(&self, node: NodeId) -> &Place {
        self.page.origin(node).and_then(|n| self.places.get(n)).unwrap_or(self.root)
    }

    /// A finding of `code` at the element `node`, at the check's default severity.
    pub fn finding(&self, code: Code, node: Option<NodeId>, message: String) -> Diagnostic {
        let place = node.map_or(self.root, |n| self.place(n));
        let severity = info(code).map_or(Severity::Warning, |c| c.severity);
        let mut diagnostic = Diagnostic::warning(code, place.file.clone(), message).span(place.start, place.end);
        diagnostic.severity = severity;
        diagnostic
    }

    /// " with the data set `x`", for findings that depend on the data.
    pub fn with_data(&self) -> String {
        self.data_set.map_or_else(String::new, |name| format!(" with the data set `{name}`"))
    }
}

/// Runs the checks that read the filled message.
pub fn run(context: &Context, templates: &links::LinkTemplates) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    found.extend(accessibility::check(context));
    found.extend(links::check(context, templates));
    found.extend(images::check(context));
    // The costliest check, skipped when the project turns it off.
    if context.levels.get(Code::Contrast.as_str()) != Some(&Level::Off) {
        found.extend(contrast_findings(context));
    }
    found
}

fn contrast_findings(context: &Context) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for scheme in [contrast::Scheme::Light, contrast::Scheme::Dark] {
        for finding in contrast::check(&context.page.doc, scheme) {
            let scheme_name = match finding.scheme {
                contrast::Scheme::Light => "light",
                contrast::Scheme::Dark => "dark",
            };
            found.push(context.finding(
                Code::Contrast,
                Some(finding.node),
                format!(
                    "\"{}\" has a contrast of {:.2}:1 ({} on {}) in the {scheme_name} colour scheme; WCAG 2.2 AA asks for {}:1 for {} text",
                    finding.sample,
                    finding.ratio,
                    finding.foreground,
                    finding.background,
                    finding.required,
                    if finding.large { "large" } else { "normal" },
                ),
            ));
        }
    }
    found
}

/// The first `max` characters of a text, with an ellipsis when there was more.
pub(crate) fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// Gmail clips messages whose HTML is larger than this and hides the rest behind a link.
pub const GMAIL_CLIP_BYTES: usize = 102 * 1024;

/// The size finding of a final HTML part: an error above Gmail's clipping limit, a warning above
/// 80 % of it.
pub fn message_size(html_len: usize) -> Option<(Severity, String)> {
    let kb = html_len as f64 / 1024.0;
    if html_len > GMAIL_CLIP_BYTES {
        Some((
            Severity::Error,
            format!("the HTML part is {kb:.1} KB; Gmail clips messages above 102 KB and hides the rest behind a link"),
        ))
    } else if html_len * 5 > GMAIL_CLIP_BYTES * 4 {
        Some((
            Severity::Warning,
            format!("the HTML part is {kb:.1} KB, over 80 % of the 102 KB above which Gmail clips messages"),
        ))
    } else {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::Position;

    const BUDGET: Budget = Budget { images_kb: 1024 };
    static NO_LEVELS: BTreeMap<String, Level> = BTreeMap::new();

    /// A page of `html` whose markers name places `m.mjml:N:1`, and the root place.
    pub fn context_for(html: &str) -> (Page, Vec<Place>, Place) {
        let places = (0..64)
            .map(|n| Place { file: "m.mjml".into(), start: Position::new(n + 1, 1), end: Position::new(n + 1, 2) })
            .collect();
        let root = Place { file: "m.mjml".into(), start: Position::new(1, 1), end: Position::new(1, 6) };
        (Page::parse(html), places, root)
    }

    pub fn context<'a>(page: &'a Page, places: &'a [Place], root: &'a Place) -> Context<'a> {
        Context {
            page,
            places,
            root,
            data_set: Some("default"),
            template_dir: Path::new("."),
            project_root: Path::new("."),
            budget: &BUDGET,
            levels: &NO_LEVELS,
        }
    }

    #[test]
    fn every_check_has_a_distinct_id() {
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.code.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
    }

    #[test]
    fn size_is_a_warning_above_80_percent_and_an_error_above_the_limit() {
        assert_eq!(message_size(GMAIL_CLIP_BYTES * 4 / 5), None);
        assert_eq!(message_size(GMAIL_CLIP_BYTES * 4 / 5 + 1).unwrap().0, Severity::Warning);
        assert_eq!(message_size(GMAIL_CLIP_BYTES).unwrap().0, Severity::Warning);
        let (severity, message) = message_size(110 * 1024).unwrap();
        assert_eq!(severity, Severity::Error);
        assert!(message.starts_with("the HTML part is 110.0 KB"), "{message}");
    }

    #[test]
    fn levels_turn_checks_off_or_change_their_severity() {
        let config: ChecksConfig =
            toml::from_str("contrast = \"off\"\nlink-text = \"error\"\nmissing-variable = \"off\"\n").unwrap();
        assert_eq!(config.unknown_check(), Some("missing-variable"));
        let mut found = vec![
            Diagnostic::warning(Code::Contrast, "a", "x"),
            Diagnostic::warning(Code::LinkText, "a", "y"),
            Diagnostic::warning(Code::ImageAlt, "a", "z"),
        ];
        config.apply(&mut found);
        let kept: Vec<(Code, Severity)> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(kept, [(Code::LinkText, Severity::Error), (Code::ImageAlt, Severity::Warning)]);
    }
}
