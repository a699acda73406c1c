//! Measures how deeply elements nest, so that documents deep enough to exhaust mrml's recursive
//! parser are refused with a diagnostic instead of overflowing the stack.

use super::walk::{Place, Visitor};
use crate::markup::{EndTag, StartTag};

/// HTML elements that never have content, so they do not open a level.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// The nesting depth as a visitor of the document's one [`walk`]: elements kept as written count
/// with their content, which mrml parses too.
#[derive(Debug)]
pub struct Depth {
    limit: usize,
    depth: usize,
    too_deep: Option<usize>,
    opened: usize,
}

impl Depth {
    pub fn new(limit: usize) -> Self {
        Depth { limit, depth: 0, too_deep: None, opened: 0 }
    }

    /// How many elements the document opens outside content kept as written: a bound on how
    /// deeply they can nest, whatever the close tags say, and so on how deeply mrml recurses.
    /// Content kept as written is set aside before mrml runs (see `compat::raw`), so its
    /// elements cost mrml no stack.
    pub fn opened(&self) -> usize {
        self.opened
    }

    /// The offset of the first tag that opens level `limit + 1`, if any.
    pub fn too_deep(&self) -> Option<usize> {
        self.too_deep
    }
}

impl<'a> Visitor<'a> for Depth {
    fn start(&mut self, tag: &StartTag<'a>, place: Place) {
        if self.too_deep.is_some() || tag.self_closing || VOID.iter().any(|v| tag.name.eq_ignore_ascii_case(v)) {
            return;
        }
        self.depth += 1;
        self.opened += usize::from(place == Place::Mjml);
        if self.depth > self.limit {
            self.too_deep = Some(tag.start);
        }
    }

    fn end(&mut self, _tag: &EndTag<'a>, _place: Place) {
        self.depth = self.depth.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::super::walk::walk;
    use super::*;

    fn first_too_deep(text: &str, limit: usize) -> Option<usize> {
        let mut depth = Depth::new(limit);
        walk(text, &mut [&mut depth]);
        depth.too_deep()
    }

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
