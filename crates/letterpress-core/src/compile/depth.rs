//! Measures how deeply elements nest, so that documents deep enough to exhaust mrml's recursive
//! parser are refused with a diagnostic instead of overflowing the stack.

use crate::markup::{Token, Tokens};

/// HTML elements that never have content, so they do not open a level.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// The offset of the first tag that opens level `limit + 1`, if any.
pub fn first_too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for token in Tokens::new(text) {
        match token {
            Token::End(_) => depth = depth.saturating_sub(1),
            Token::Start(tag) if !tag.self_closing && !VOID.iter().any(|v| tag.name.eq_ignore_ascii_case(v)) => {
                depth += 1;
                if depth > limit {
                    return Some(tag.start);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements_only() {
        let text = "<mjml><mj-body><br><img src='a>b'/><!-- <x><y><z> --><mj-section></mj-section></mj-body></mjml>";
        assert_eq!(first_too_deep(text, 3), None);
        assert_eq!(first_too_deep(text, 2), Some(text.find("<mj-section").unwrap()));
    }

    #[test]
    fn deep_nesting_is_found_without_recursion() {
        let text = "<div>".repeat(100_000);
        assert_eq!(first_too_deep(&text, 512), Some(512 * 5));
    }
}
