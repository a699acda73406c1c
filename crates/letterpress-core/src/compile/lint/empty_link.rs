//! `empty-link`: a link a reader can click that goes nowhere (`href=""` or `href="#"`).

use super::{Lint, Rule, Tag, attributes, lint};
use crate::diagnostic::Code;

/// Elements whose `href` is a link a reader can click.
const LINKING: &[&str] = &["a", "mj-button", "mj-image", "mj-navbar-link", "mj-social-element", "mj-carousel-image"];

pub struct EmptyLink;

impl Rule for EmptyLink {
    fn tag(&mut self, name: &str, tag: &Tag, found: &mut Vec<Lint>) {
        if !LINKING.contains(&name) {
            return;
        }
        for (attribute, value, attribute_start, value_end) in attributes(tag) {
            let value = value.trim();
            if attribute.eq_ignore_ascii_case("href") && (value.is_empty() || value == "#") {
                found.push(lint(
                    Code::EmptyLink,
                    attribute_start,
                    value_end,
                    format!("the link on `<{}>` goes nowhere (`href=\"{value}\"`)", tag.name),
                ));
            }
        }
    }
}
