//! Links that cannot work: `javascript:` URLs, malformed `mailto:` and `tel:` links, and links
//! whose placeholders a data set leaves empty or unfilled. (Empty and `#` links and plain HTTP
//! are checked on the MJML, in [`crate::compile::lint`]; `check --online` asks each URL.)

use std::collections::HashMap;

use scraper::ElementRef;

use super::Context;
use super::page::Page;
use crate::diagnostic::{Code, Diagnostic};

/// The `href`s written with placeholders, by the marker of the element that carries them: read
/// from the compiled HTML before filling, so a filled link can be compared with what it was.
#[derive(Debug, Clone, Default)]
pub struct LinkTemplates {
    by_origin: HashMap<usize, Vec<String>>,
}

impl LinkTemplates {
    /// Collects the links with placeholders of an unfilled page.
    pub fn of(page: &Page) -> LinkTemplates {
        let mut by_origin: HashMap<usize, Vec<String>> = HashMap::new();
        for element in page.elements().filter(|e| is_link(*e)) {
            let Some(href) = element.value().attr("href").filter(|h| h.contains("{{")) else { continue };
            if let Some(origin) = page.origin(element.id()) {
                let list = by_origin.entry(origin).or_default();
                if !list.iter().any(|h| h == href) {
                    list.push(href.to_owned());
                }
            }
        }
        LinkTemplates { by_origin }
    }
}

fn is_link(element: ElementRef) -> bool {
    matches!(element.value().name(), "a" | "area")
}

/// Every link's `href` with where it is written, in document order.
pub fn hrefs(context: &Context) -> Vec<(String, crate::compile::Place)> {
    context
        .page
        .elements()
        .filter(|e| is_link(*e))
        .filter_map(|e| Some((e.value().attr("href")?.to_owned(), context.place(e.id()).clone())))
        .collect()
}

pub fn check(context: &Context, templates: &LinkTemplates) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for element in context.page.elements().filter(|e| is_link(*e)) {
        let Some(href) = element.value().attr("href") else { continue };
        let href = href.trim();
        let node = Some(element.id());
        let scheme = href.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("javascript") => found.push(context.finding(
                Code::JavascriptLink,
                node,
                format!(
                    "`{}` runs script, which mail clients strip or refuse; link to a page instead",
                    super::short(href, 60)
                ),
            )),
            Some(scheme @ ("mailto" | "tel")) if !href.contains("{{") => {
                let rest = &href[scheme.len() + 1..];
                let problem = if scheme == "mailto" { mailto_problem(rest) } else { tel_problem(rest) };
                if let Some(problem) = problem {
                    let message = format!("`{}` {problem}", super::short(href, 60));
                    found.push(context.finding(Code::MalformedLink, node, message));
                }
            }
            _ => {}
        }
        let origin = context.page.origin(element.id());
        let written = origin.and_then(|o| templates.by_origin.get(&o)).map(Vec::as_slice).unwrap_or_default();
        if let Some(message) = placeholder_problem(href, written) {
            found.push(context.finding(Code::LinkPlaceholder, node, format!("{message}{}", context.with_data())));
        }
    }
    found
}

/// Whether a filled link still holds a placeholder, or a placeholder of it was filled with
/// nothing.
fn placeholder_problem(href: &str, written: &[String]) -> Option<String> {
    if href.contains("{{") {
        return Some(format!("the link `{}` still holds a placeholder once filled", super::short(href, 60)));
    }
    for template in written {
        let Some(values) = placeholder_values(template, href) else { continue };
        if let Some((placeholder, _)) = values.iter().find(|(_, value)| value.trim().is_empty()) {
            return Some(if href.is_empty() {
                format!("the link `{}` is empty once filled", super::short(template, 60))
            } else {
                format!(
                    "`{placeholder}` in the link `{}` is empty once filled (`{}`)",
                    super::short(template, 60),
                    super::short(href, 60)
                )
            });
        }
        return None;
    }
    None
}

/// Matches a filled URL against the URL as written, returning each placeholder with the text
/// that took its place; `None` when the literal parts do not line up.
fn placeholder_values<'a>(template: &'a str, filled: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    let mut literals = Vec::new();
    while let Some(open) = rest.find("{{") {
        let close = rest[open..].find("}}").map(|c| open + c + 2)?;
        let close = if rest[close..].starts_with('}') { close + 1 } else { close };
        literals.push(&rest[..open]);
        pieces.push(&rest[open..close]);
        rest = &rest[close..];
    }
    literals.push(rest);
    let mut at = filled.strip_prefix(literals[0])?;
    let mut values = Vec::new();
    for (i, placeholder) in pieces.iter().enumerate() {
        let next = literals[i + 1];
        let end = if next.is_empty() {
            if i + 1 == pieces.len() { at.len() } else { 0 }
        } else if i + 1 == pieces.len() {
            at.len().checked_sub(next.len()).filter(|&e| at[e..] == *next)?
        } else {
            at.find(next)?
        };
        values.push((*placeholder, &at[..end]));
        at = &at[end + next.len()..];
    }
    Some(values)
}

/// What is wrong with the part of a `mailto:` link after the scheme (RFC 6068), if anything.
fn mailto_problem(rest: &str) -> Option<&'static str> {
    let (to, query) = rest.split_once('?').unwrap_or((rest, ""));
    let decoded = crate::local::percent_decode(to);
    let addresses: Vec<&str> = decoded.split(',').map(str::trim).filter(|a| !a.is_empty()).collect();
    if addresses.is_empty() && !query.split('&').any(|field| field.to_ascii_lowercase().starts_with("to=")) {
        return Some("has no address");
    }
    let valid = |address: &str| {
        let Some((local, domain)) = address.rsplit_once('@') else { return false };
        !local.is_empty()
            && !domain.is_empty()
            && !address.contains(char::is_whitespace)
            && domain.split('.').all(|label| !label.is_empty())
            && !domain.starts_with('-')
    };
    if !addresses.iter().all(|a| valid(a)) {
        return Some("is not an email address (`mailto:name@example.com`)");
    }
    None
}

/// What is wrong with the number of a `tel:` link (RFC 3966), if anything.
fn tel_problem(rest: &str) -> Option<&'static str> {
    let number = crate::local::percent_decode(rest.split(';').next().unwrap_or_default());
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if digits < 3 {
        return Some("has no phone number");
    }
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '(' | ')' | ' ');
    if !number.chars().all(allowed) || number[1..].contains('+') {
        return Some("is not a phone number (`tel:+15551234567`)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_line_up_with_the_filled_url() {
        assert_eq!(
            placeholder_values("https://x.example/o/{{order.id}}?t={{token}}", "https://x.example/o/42?t="),
            Some(vec![("{{order.id}}", "42"), ("{{token}}", "")])
        );
        assert_eq!(placeholder_values("{{url}}", ""), Some(vec![("{{url}}", "")]));
        assert_eq!(placeholder_values("https://a/{{x}}", "https://b/1"), None);
        assert_eq!(placeholder_values("{{{url}}}", "https://a"), Some(vec![("{{{url}}}", "https://a")]));
    }

    #[test]
    fn placeholder_problems() {
        let written = vec!["https://x.example/reset?token={{token}}".to_owned()];
        assert_eq!(placeholder_problem("https://x.example/reset?token=abc", &written), None);
        let message = placeholder_problem("https://x.example/reset?token=", &written).unwrap();
        assert!(message.starts_with("`{{token}}` in the link"), "{message}");
        assert!(placeholder_problem("", &["{{url}}".to_owned()]).unwrap().contains("is empty once filled"));
        assert!(placeholder_problem("https://x/{{a}}", &[]).unwrap().contains("still holds a placeholder"));
    }

    #[test]
    fn mailto_and_tel() {
        assert_eq!(mailto_problem("help@alder.example"), None);
        assert_eq!(mailto_problem("a@x.example,b@y.example?subject=Hi"), None);
        assert_eq!(mailto_problem("?to=a@x.example"), None);
        assert_eq!(mailto_problem(""), Some("has no address"));
        assert!(mailto_problem("help at alder").is_some());
        assert!(mailto_problem("help@").is_some());
        assert!(mailto_problem("a@x..example").is_some());
        assert_eq!(tel_problem("+1-555-123-4567"), None);
        assert_eq!(tel_problem("+34%20600%20000%20000"), None);
        assert_eq!(tel_problem("call-us"), Some("has no phone number"));
        assert!(tel_problem("555-CALL-NOW-123").is_some());
    }
}
