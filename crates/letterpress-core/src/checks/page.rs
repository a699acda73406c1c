//! The compiled HTML as a document tree, with each element's place in the MJML source.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};

use crate::compile::markers;

/// A parsed message and the source marker that each element belongs to.
pub struct Page {
    pub doc: Html,
    origins: HashMap<NodeId, usize>,
}

impl Page {
    /// Parses HTML as a browser does. Markers (`<!--lp-src:N-->`) are read into origins; the
    /// rest of the document is untouched.
    pub fn parse(html: &str) -> Page {
        let doc = Html::parse_document(html);
        let mut origins = HashMap::new();
        // Preorder: a parent's origin is known before its children are visited.
        for node in doc.tree.root().descendants() {
            if !node.value().is_element() {
                continue;
            }
            let own = node.prev_siblings().find_map(|sibling| match sibling.value() {
                Node::Comment(comment) => markers::marker_number(comment.trim()).map(Some),
                Node::Text(text) if text.trim().is_empty() => None,
                _ => Some(None),
            });
            let origin = own.flatten().or_else(|| node.parent().and_then(|p| origins.get(&p.id()).copied()));
            if let Some(origin) = origin {
                origins.insert(node.id(), origin);
            }
        }
        Page { doc, origins }
    }

    /// The marker of the element (or the text's element) `node`, if it came from a marked one.
    pub fn origin(&self, node: NodeId) -> Option<usize> {
        let node = self.doc.tree.get(node)?;
        let element = if node.value().is_element() { Some(node) } else { node.parent() };
        element.and_then(|e| self.origins.get(&e.id()).copied())
    }

    /// Every element, in document order.
    pub fn elements(&self) -> impl Iterator<Item = ElementRef<'_>> {
        self.doc.tree.root().descendants().filter_map(ElementRef::wrap)
    }

    /// The text of an element with runs of white space collapsed.
    pub fn text_of(element: ElementRef<'_>) -> String {
        element.text().flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_take_the_marker_before_them_or_their_parents() {
        let page = Page::parse(
            "<body><!--lp-src:0--><!--[if mso]><table><![endif]--><div><p>a <!--lp-src:1--><a href=x>b</a></p></div>\
             <span>c</span></body>",
        );
        let origin = |selector: &str| {
            let s = scraper::Selector::parse(selector).unwrap();
            page.origin(page.doc.select(&s).next().unwrap().id())
        };
        assert_eq!(origin("div"), Some(0));
        assert_eq!(origin("p"), Some(0));
        assert_eq!(origin("a"), Some(1));
        assert_eq!(origin("span"), None);
    }
}
