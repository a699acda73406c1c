//! Checks of what a template says to people and mail clients, beyond what MJML requires: images
//! without alt text, links that go nowhere, insecure URLs, and a missing language, direction or
//! title. They are warnings, reported for projects (`letterpress check`, the app) but not by
//! `compile`, which behaves like the `mjml` command.
//!
//! One file a lint: each is a [`Rule`] that sees every start tag of the message once, from the
//! walk over the expanded document that validation and the depth check share
//! ([`walk`](super::walk)), and may add findings at the end. `tests/lints/` has an
//! annotated fixture for each.

mod empty_link;
mod image_alt;
mod insecure_url;
mod missing_dir;
mod missing_lang;
mod missing_title;

use super::validate::Problem;
use super::walk::{Place, Visitor, walk};
use crate::diagnostic::{Code, Severity};
use crate::markup::{EndTag, StartTag as Tag};

/// One finding, at a byte range of the expanded document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub code: Code,
    pub problem: Problem,
}

/// One lint: what it makes of each start tag of the message, and of the whole once all are seen.
trait Rule {
    /// A start tag outside `mj-attributes` (whose children set defaults and are not elements of
    /// the message). `name` is the tag's name in lowercase.
    fn tag(&mut self, _name: &str, _tag: &Tag, _found: &mut Vec<Lint>) {}
    /// After the last tag of `text`.
    fn end(&mut self, _text: &str, _found: &mut Vec<Lint>) {}
}

/// Every lint, in the order their findings at one place are reported.
fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(missing_lang::MissingLang),
        Box::new(missing_dir::MissingDir),
        Box::new(image_alt::ImageAlt),
        Box::new(insecure_url::InsecureUrl),
        Box::new(empty_link::EmptyLink),
        Box::new(missing_title::MissingTitle::default()),
    ]
}

fn lint(code: Code, start: usize, end: usize, message: String) -> Lint {
    Lint { code, problem: Problem { severity: Severity::Warning, start, end, message } }
}

/// The attributes of `tag` as `(name, value, start, end)`; a bare attribute has the value `""`.
fn attributes<'t, 'a>(tag: &'t Tag<'a>) -> impl Iterator<Item = (&'a str, &'a str, usize, usize)> + 't {
    tag.attributes.iter().map(|a| (a.name, a.value.as_ref().map_or("", |v| v.text), a.start, a.end))
}

/// The value of attribute `wanted` on `tag`, whatever its case.
fn attribute<'a>(tag: &Tag<'a>, wanted: &str) -> Option<&'a str> {
    attributes(tag).find(|(name, ..)| name.eq_ignore_ascii_case(wanted)).map(|(_, value, ..)| value)
}

/// Where a finding about the tag as a whole is placed: its `<` and name.
fn name_span(tag: &Tag) -> (usize, usize) {
    (tag.start, tag.start + 1 + tag.name.len())
}

/// Checks the expanded MJML document.
pub fn check(text: &str) -> Vec<Lint> {
    let mut linter = Linter::default();
    walk(text, &mut [&mut linter]);
    linter.finish(text)
}

/// The lints as a visitor of the document's one [`walk`]: each rule sees the start tags of the
/// message, inside content kept as written too, and those of `mj-attributes` not at all.
pub struct Linter {
    rules: Vec<Box<dyn Rule>>,
    found: Vec<Lint>,
    in_attributes: bool,
}

impl Default for Linter {
    fn default() -> Self {
        Linter { rules: rules(), found: Vec::new(), in_attributes: false }
    }
}

impl Linter {
    /// The findings, once the walk over `text` is done.
    pub fn finish(mut self, text: &str) -> Vec<Lint> {
        for rule in &mut self.rules {
            rule.end(text, &mut self.found);
        }
        self.found
    }
}

impl<'a> Visitor<'a> for Linter {
    fn start(&mut self, tag: &Tag<'a>, _place: Place) {
        if tag.name.eq_ignore_ascii_case("mj-attributes") {
            self.in_attributes = !tag.self_closing;
        } else if !self.in_attributes {
            let name = tag.name.to_ascii_lowercase();
            // Each place's findings in the order of the rules, as one pass over the rules per tag
            // gives.
            for rule in &mut self.rules {
                rule.tag(&name, tag, &mut self.found);
            }
        }
    }

    fn end(&mut self, tag: &EndTag<'a>, _place: Place) {
        if tag.name.eq_ignore_ascii_case("mj-attributes") {
            self.in_attributes = false;
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<Code> {
        check(text).into_iter().map(|l| l.code).collect()
    }

    #[test]
    fn a_careful_document_has_no_findings() {
        let text = "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>Hi</mj-title><mj-attributes><mj-image padding=\"0\" /></mj-attributes></mj-head><mj-body><mj-section><mj-column>\
            <mj-image src=\"https://x.example/a.png\" alt=\"\" href=\"{{url}}\" /><mj-text><a href=\"https://x.example\">x</a><img src=\"a.png\" alt=\"A\"></mj-text>\
            </mj-column></mj-section></mj-body></mjml>";
        assert_eq!(codes(text), []);
    }

    #[test]
    fn a_quote_left_open_in_a_text_hides_nothing_after_it() {
        // The content of `mj-text` ends at its close tag, as the reference parser reads it; the
        // broken link inside must not make the image after it invisible to the checks.
        let text = "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>Hi</mj-title></mj-head><mj-body><mj-section><mj-column>\
            <mj-text><a href=\"https://x.example>oops</mj-text><mj-image src=\"https://x.example/a.png\" />\
            </mj-column></mj-section></mj-body></mjml>";
        assert_eq!(codes(text), [Code::ImageAlt]);
    }

    #[test]
    fn each_finding() {
        let text = "<mjml><mj-body><mj-section><mj-column>\
            <mj-image src=\"http://x.example/a.png\" /><mj-button href=\"#\">Go</mj-button>\
            <mj-text><a href=\"\">x</a><img src=\"https://x.example/b.png\"><!-- <img src=\"http://hidden\"> --></mj-text>\
            </mj-column></mj-section></mj-body></mjml>";
        assert_eq!(
            codes(text),
            [
                Code::MissingLang,
                Code::MissingDir,
                Code::ImageAlt,
                Code::InsecureUrl,
                Code::EmptyLink,
                Code::EmptyLink,
                Code::ImageAlt,
                Code::MissingTitle
            ]
        );
    }
}
