//! Measures how deeply elements nest, so that documents deep enough to exhaust mrml's recursive
//! parser are refused with a diagnostic instead of overflowing the stack.

/// HTML elements that never have content, so they do not open a level.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// The offset of the first tag that opens level `limit + 1`, if any.
pub fn first_too_deep(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = text[at..].find('<') {
        let start = at + found;
        let rest = &text[start..];
        if rest.starts_with("<!--") {
            at = start + rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let Some(&next) = bytes.get(start + 1) else { break };
        if next == b'/' {
            depth = depth.saturating_sub(1);
            at = start + 2;
            continue;
        }
        if !next.is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name_end =
            rest[1..].find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').map_or(rest.len(), |e| e + 1);
        let name = rest[1..name_end].to_ascii_lowercase();
        let Some(tag_len) = tag_length(rest) else { break };
        let self_closing = rest[..tag_len].ends_with("/>");
        if !self_closing && !VOID.contains(&name.as_str()) {
            depth += 1;
            if depth > limit {
                return Some(start);
            }
        }
        at = start + tag_len;
    }
    None
}

/// The length of the tag at the start of `text`, up to and including its `>`, honouring quotes.
fn tag_length(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
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
