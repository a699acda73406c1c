//! Source markers: a copy of the document in which elements carry a comment naming where they
//! were written, so that what the checks find in the compiled HTML can be placed in the MJML
//! (and a partial) that produced it.
//!
//! A marker is the comment `<!--lp-src:N-->` put right before the start tag of element `N`. Both
//! compilers copy comments to their output in place; an element of the HTML belongs to the
//! marker that precedes it among its siblings (other comments and blank text in between), or
//! else to its parent's. Markers go only where the compiler writes a comment outside Outlook's
//! conditional comments, which a comment inside would end early: before the components that are
//! children of `mj-body`, `mj-section`, `mj-group`, `mj-column` and `mj-hero` (a section inside
//! an `mj-wrapper` belongs to its wrapper), and before every HTML tag in the content of ending
//! tags such as `mj-text` and `mj-raw`, which is copied verbatim.
//!
//! The marked copy is compiled apart from the real one and is only ever read by the checks and
//! the preview: exports, test sends and `compile` never see a marker.

use super::validate::schema;
use crate::markup::{self, HTML_RAW_TEXT, Token, Tokens};

/// The text of a marker comment before its number.
pub const PREFIX: &str = "lp-src:";

/// Components whose children get markers: the compiler writes a comment between their children
/// outside any conditional comment.
const MARKED_PARENTS: &[&str] = &["mj-body", "mj-section", "mj-group", "mj-column", "mj-hero"];

/// The document with markers, and where each marked element starts in the original.
#[derive(Debug, Clone)]
pub struct Marking {
    pub text: String,
    /// For marker `N`, the byte range of `<name` of its start tag in the original document.
    pub elements: Vec<(usize, usize)>,
}

/// Inserts a marker before every element that can carry one.
pub fn mark(text: &str) -> Marking {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut elements = Vec::new();
    let mut copied = 0;
    let mut stack: Vec<String> = Vec::new();
    let mut insert = |out: &mut String, copied: &mut usize, start: usize, name_end: usize| {
        out.push_str(&text[*copied..start]);
        out.push_str("<!--");
        out.push_str(PREFIX);
        out.push_str(&elements.len().to_string());
        out.push_str("-->");
        *copied = start;
        elements.push((start, name_end));
    };
    let mut tokens = Tokens::new(text);
    while let Some(token) = tokens.next() {
        let tag = match token {
            Token::Start(tag) => tag,
            Token::End(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if let Some(open) = stack.iter().rposition(|n| *n == name) {
                    stack.truncate(open);
                }
                continue;
            }
            _ => continue,
        };
        let start = tag.start;
        let name = tag.name.to_ascii_lowercase();
        if name == "mj-head" && !tag.self_closing {
            tokens.skip_content(&tag);
            continue;
        }
        let element = schema().elements.get(&name);
        if stack.last().is_some_and(|parent| MARKED_PARENTS.contains(&parent.as_str())) && element.is_some() {
            insert(&mut out, &mut copied, start, start + 1 + tag.name.len());
        }
        if tag.self_closing {
            continue;
        }
        if element.is_some_and(|e| e.ending) {
            let end = markup::find_close(text, tag.end, tag.name).unwrap_or(text.len());
            mark_content(&text[..end], tag.end, &mut |s, e| insert(&mut out, &mut copied, s, e));
            tokens.skip_to(end);
            continue;
        }
        stack.push(name);
    }
    out.push_str(&text[copied..]);
    Marking { text: out, elements }
}

/// Marks every HTML start tag in `text[from..]`, the verbatim content of an ending tag.
fn mark_content(text: &str, from: usize, insert: &mut dyn FnMut(usize, usize)) {
    let mut tokens = Tokens::new(text);
    tokens.skip_to(from);
    while let Some(token) = tokens.next() {
        let Token::Start(tag) = token else { continue };
        insert(tag.start, tag.start + 1 + tag.name.len());
        if !tag.self_closing && HTML_RAW_TEXT.iter().any(|raw| tag.name.eq_ignore_ascii_case(raw)) {
            tokens.skip_content(&tag);
        }
    }
}

/// The marker number a comment's text names, if it is a marker.
pub fn marker_number(comment: &str) -> Option<usize> {
    comment.strip_prefix(PREFIX)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_and_raw_html_are_marked_but_not_the_head_or_wrapped_sections() {
        let text = "<mjml><mj-head><mj-title>T</mj-title></mj-head><mj-body><mj-wrapper><mj-section>\
            <mj-column><mj-text>Hi <a href=\"x\">y</a><style>p{}</style></mj-text><mj-image src=\"a.png\" />\
            </mj-column></mj-section></mj-wrapper></mj-body></mjml>";
        let marking = mark(text);
        let names: Vec<&str> = marking.elements.iter().map(|&(s, e)| &text[s + 1..e]).collect();
        assert_eq!(names, ["mj-wrapper", "mj-column", "mj-text", "a", "style", "mj-image"]);
        assert!(marking.text.contains("<!--lp-src:3--><a href"), "{}", marking.text);
        assert!(!marking.text.contains("<!--lp-src:0--><mj-section"));
        // Removing the markers gives the document back.
        let mut plain = marking.text.clone();
        for n in 0..marking.elements.len() {
            plain = plain.replace(&format!("<!--lp-src:{n}-->"), "");
        }
        assert_eq!(plain, text);
    }

    #[test]
    fn marker_numbers_are_read_back() {
        assert_eq!(marker_number("lp-src:12"), Some(12));
        assert_eq!(marker_number("[if mso]"), None);
    }
}
