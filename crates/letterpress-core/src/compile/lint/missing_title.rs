//! `missing-title`: a document without `<mj-title>`, which some clients and screen readers show.

use super::{Lint, Rule, Tag, lint};
use crate::diagnostic::Code;

#[derive(Default)]
pub struct MissingTitle {
    seen: bool,
}

impl Rule for MissingTitle {
    fn tag(&mut self, name: &str, _tag: &Tag, _found: &mut Vec<Lint>) {
        self.seen |= name == "mj-title";
    }

    fn end(&mut self, text: &str, found: &mut Vec<Lint>) {
        if !self.seen
            && let Some(root) = text.find("<mjml")
        {
            found.push(lint(
                Code::MissingTitle,
                root,
                root + "<mjml".len(),
                "the document has no `<mj-title>`; some mail clients and screen readers show it".into(),
            ));
        }
    }
}
