//! Checks of what a template says to people and mail clients, beyond what MJML requires: images
//! without alt text, links that go nowhere, insecure URLs, and a missing language or title.
//! They are warnings, reported for projects (`letterpress check`, the app) but not by `compile`,
//! which behaves like the `mjml` command.

use super::validate::{Problem, parse_tag};
use crate::diagnostic::{Code, Severity};

/// One finding, at a byte range of the expanded document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub code: Code,
    pub problem: Problem,
}

/// Attributes holding a URL that a mail client loads or follows.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "background-url", "background", "srcset", "thumbnails-src"];

/// Elements whose `href` is a link a reader can click.
const LINKING: &[&str] = &["a", "mj-button", "mj-image", "mj-navbar-link", "mj-social-element", "mj-carousel-image"];

fn lint(code: Code, start: usize, end: usize, message: String) -> Lint {
    Lint { code, problem: Problem { severity: Severity::Warning, start, end, message } }
}

/// Checks the expanded MJML document.
pub fn check(text: &str) -> Vec<Lint> {
    let mut found = Vec::new();
    let mut has_title = false;
    // Children of `mj-attributes` set defaults; they are not elements of the message.
    let mut in_attributes = false;
    let mut at = 0;
    while let Some(offset) = text[at..].find('<') {
        let start = at + offset;
        let rest = &text[start..];
        if rest.starts_with("<!--") {
            at = start + rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let Some(tag) = parse_tag(text, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        if tag.name.eq_ignore_ascii_case("mj-attributes") {
            in_attributes = !tag.closing && !tag.self_closing;
            continue;
        }
        if tag.closing || in_attributes {
            continue;
        }
        let name = tag.name.to_ascii_lowercase();
        let attribute = |wanted: &str| tag.attributes.iter().find(|(n, ..)| n.eq_ignore_ascii_case(wanted));
        let name_end = tag.start + 1 + tag.name.len();
        match name.as_str() {
            "mjml" => {
                let missing = |name: &str| attribute(name).is_none_or(|(_, value, ..)| value.trim().is_empty());
                if missing("lang") {
                    found.push(lint(
                        Code::MissingLang,
                        tag.start,
                        name_end,
                        "`<mjml>` has no `lang`; screen readers and translation need the language, e.g. `lang=\"en\"`"
                            .into(),
                    ));
                }
                if missing("dir") {
                    found.push(lint(
                        Code::MissingDir,
                        tag.start,
                        name_end,
                        "`<mjml>` has no `dir`; say which way the text runs (`dir=\"ltr\"` or `dir=\"rtl\"`) so clients and screen readers need not guess"
                            .into(),
                    ));
                }
            }
            "mj-title" => has_title = true,
            "mj-image" | "img" if attribute("alt").is_none() => {
                found.push(lint(
                    Code::ImageAlt,
                    tag.start,
                    name_end,
                    format!(
                        "`<{}>` has no `alt` text; describe the image, or write `alt=\"\"` if it is decoration",
                        tag.name
                    ),
                ));
            }
            _ => {}
        }
        for &(attr, value, attr_start, value_end) in &tag.attributes {
            let attr = attr.to_ascii_lowercase();
            let value = value.trim();
            if URL_ATTRIBUTES.contains(&attr.as_str())
                && value.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://"))
            {
                found.push(lint(
                    Code::InsecureUrl,
                    attr_start,
                    value_end,
                    format!("`{value}` is not HTTPS; mail clients may block it or warn the reader"),
                ));
            }
            if attr == "href" && LINKING.contains(&name.as_str()) && (value.is_empty() || value == "#") {
                found.push(lint(
                    Code::EmptyLink,
                    attr_start,
                    value_end,
                    format!("the link on `<{}>` goes nowhere (`href=\"{value}\"`)", tag.name),
                ));
            }
        }
    }
    if !has_title && let Some(root) = text.find("<mjml") {
        found.push(lint(
            Code::MissingTitle,
            root,
            root + "<mjml".len(),
            "the document has no `<mj-title>`; some mail clients and screen readers show it".into(),
        ));
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
