//! `insecure-url`: a URL that a mail client loads or follows over plain HTTP.

use super::{Lint, Rule, Tag, attributes, lint};
use crate::diagnostic::Code;

/// Attributes holding a URL that a mail client loads or follows.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "background-url", "background", "srcset", "thumbnails-src"];

pub struct InsecureUrl;

impl Rule for InsecureUrl {
    fn tag(&mut self, _name: &str, tag: &Tag, found: &mut Vec<Lint>) {
        for (attribute, value, attribute_start, value_end) in attributes(tag) {
            let value = value.trim();
            if URL_ATTRIBUTES.iter().any(|url| attribute.eq_ignore_ascii_case(url))
                && value.get(..7).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
            {
                found.push(lint(
                    Code::InsecureUrl,
                    attribute_start,
                    value_end,
                    format!("`{value}` is not HTTPS; mail clients may block it or warn the reader"),
                ));
            }
        }
    }
}
