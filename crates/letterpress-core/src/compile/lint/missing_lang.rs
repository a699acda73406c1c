//! `missing-lang`: `<mjml>` without a language, which screen readers and translation need.

use super::{Lint, Rule, Tag, attribute, lint, name_span};
use crate::diagnostic::Code;

pub struct MissingLang;

impl Rule for MissingLang {
    fn tag(&mut self, name: &str, tag: &Tag, found: &mut Vec<Lint>) {
        if name == "mjml" && attribute(tag, "lang").is_none_or(|value| value.trim().is_empty()) {
            let (start, end) = name_span(tag);
            found.push(lint(
                Code::MissingLang,
                start,
                end,
                "`<mjml>` has no `lang`; screen readers and translation need the language, e.g. `lang=\"en\"`".into(),
            ));
        }
    }
}
