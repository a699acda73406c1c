//! `missing-dir`: `<mjml>` without a text direction, which clients and screen readers would guess.

use super::{Lint, Rule, Tag, attribute, lint, name_span};
use crate::diagnostic::Code;

pub struct MissingDir;

impl Rule for MissingDir {
    fn tag(&mut self, name: &str, tag: &Tag, found: &mut Vec<Lint>) {
        if name == "mjml" && attribute(tag, "dir").is_none_or(|value| value.trim().is_empty()) {
            let (start, end) = name_span(tag);
            found.push(lint(
                Code::MissingDir,
                start,
                end,
                "`<mjml>` has no `dir`; say which way the text runs (`dir=\"ltr\"` or `dir=\"rtl\"`) so clients and screen readers need not guess"
                    .into(),
            ));
        }
    }
}
