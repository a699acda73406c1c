//! Checks of what a template says to people and mail clients, beyond what MJML requires: images
//! without alt text, links that go nowhere, insecure URLs, and a missing language, direction or
//! title. They are warnings, reported for projects (`letterpress check`, the app) but not by
//! `compile`, which behaves like the `mjml` command.
//!
//! One file a lint: each is a [`Rule`] that sees every start tag of the message once, from a
//! single walk over the expanded document, and may add findings at the end. `tests/lints/` has an
//! annotated fixture for each.

mod empty_link;
mod image_alt;
mod insecure_url;
mod missing_dir;
mod missing_lang;
mod missing_title;

use super::validate::Problem;
use crate::diagnostic::{Code, Severity};
use crate::markup::{StartTag as Tag, Token, Tokens};

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
    let mut rules = rules();
    let mut found = Vec::new();
    let mut in_attributes = false;
    for token in Tokens::new(text) {
        match token {
            Token::Start(tag) if tag.name.eq_ignore_ascii_case("mj-attributes") => in_attributes = !tag.self_closing,
            Token::End(tag) if tag.name.eq_ignore_ascii_case("mj-attributes") => in_attributes = false,
            Token::Start(tag) if !in_attributes => {
                let name = tag.name.to_ascii_lowercase();
                // Each place's findings in the order of the rules, as one pass over the rules per
                // tag gives.
                for rule in &mut rules {
                    rule.tag(&name, &tag, &mut found);
                }
            }
            _ => {}
        }
    }
    for rule in &mut rules {
        rule.end(text, &mut found);
    }
    found
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
