//! The one walk over an expanded MJML document that everything before mrml shares: the nesting
//! depth, validation against the component table, the lints and the preparation for mrml
//! (`compat::Preparer`) each see every tag from it, so the document is read once for all of them.
//!
//! The content of an element kept as written (`mj-text`, `mj-raw`, …) is HTML, not MJML. Like the
//! reference compiler's parser, the walk finds such an element's end by its close tag alone,
//! whatever the content holds, and reads the content on its own: markup the content leaves
//! unfinished stays inside the element and cannot hide the rest of the document.

use crate::markup::{self, EndTag, StartTag, Token, Tokens};

/// Where a tag was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Among the MJML elements of the document.
    Mjml,
    /// Inside the content of an element kept as written.
    KeptAsWritten,
}

/// What one check makes of the tags of a document. Each method sees the tags in document order.
pub trait Visitor<'a> {
    fn start(&mut self, _tag: &StartTag<'a>, _place: Place) {}
    fn end(&mut self, _tag: &EndTag<'a>, _place: Place) {}
    /// `tag` is kept as written and has no close tag: the rest of the document is its content,
    /// and the walk ends after that content.
    fn unclosed(&mut self, _tag: &StartTag<'a>) {}
}

/// Reads `text` once and shows every start and close tag to each visitor, in the order given.
pub fn walk<'a>(text: &'a str, visitors: &mut [&mut dyn Visitor<'a>]) {
    let mut tokens = Tokens::new(text);
    // Inside `mj-attributes`, an element such as `<mj-text color="red">` only sets defaults and
    // has no content of its own, so its content is not set apart.
    let mut in_attributes = 0usize;
    while let Some(token) = tokens.next() {
        match token {
            Token::Start(tag) => {
                for visitor in visitors.iter_mut() {
                    visitor.start(&tag, Place::Mjml);
                }
                if tag.name == "mj-attributes" && !tag.self_closing {
                    in_attributes += 1;
                }
                if tag.self_closing || in_attributes > 0 || !markup::kept_as_written(tag.name) {
                    continue;
                }
                let close = markup::find_close(text, tag.end, tag.name);
                let mut content = Tokens::new(&text[..close.unwrap_or(text.len())]);
                content.skip_to(tag.end);
                for token in content {
                    match token {
                        Token::Start(inner) => visitors.iter_mut().for_each(|v| v.start(&inner, Place::KeptAsWritten)),
                        Token::End(inner) => visitors.iter_mut().for_each(|v| v.end(&inner, Place::KeptAsWritten)),
                        _ => {}
                    }
                }
                match close {
                    Some(close) => tokens.skip_to(close),
                    None => {
                        visitors.iter_mut().for_each(|v| v.unclosed(&tag));
                        return;
                    }
                }
            }
            Token::End(tag) => {
                if tag.name == "mj-attributes" {
                    in_attributes = in_attributes.saturating_sub(1);
                }
                visitors.iter_mut().for_each(|v| v.end(&tag, Place::Mjml));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes down what it is shown.
    #[derive(Default)]
    struct Log(Vec<String>);

    impl<'a> Visitor<'a> for Log {
        fn start(&mut self, tag: &StartTag<'a>, place: Place) {
            self.0.push(format!("{place:?} <{}>", tag.name));
        }
        fn end(&mut self, tag: &EndTag<'a>, place: Place) {
            self.0.push(format!("{place:?} </{}>", tag.name));
        }
        fn unclosed(&mut self, tag: &StartTag<'a>) {
            self.0.push(format!("unclosed <{}>", tag.name));
        }
    }

    fn log(text: &str) -> Vec<String> {
        let (mut first, mut second) = (Log::default(), Log::default());
        walk(text, &mut [&mut first, &mut second]);
        assert_eq!(first.0, second.0, "every visitor sees the same tags");
        first.0
    }

    #[test]
    fn content_kept_as_written_is_read_on_its_own() {
        let text = "<mj-column><mj-text><p title=\"</mj-column>\">a<br></mj-text><mj-image /></mj-column>";
        assert_eq!(
            log(text),
            [
                "Mjml <mj-column>",
                "Mjml <mj-text>",
                "KeptAsWritten <p>",
                "KeptAsWritten <br>",
                "Mjml </mj-text>",
                "Mjml <mj-image>",
                "Mjml </mj-column>",
            ]
        );
    }

    #[test]
    fn unfinished_markup_in_content_stays_in_its_element() {
        // A quote the content never closes ends the content's tags, not the document's.
        let text = "<mj-text><a href=\"x>oops</mj-text><mj-button>Go</mj-button>";
        assert_eq!(log(text), ["Mjml <mj-text>", "Mjml </mj-text>", "Mjml <mj-button>", "Mjml </mj-button>"]);
    }

    #[test]
    fn defaults_in_mj_attributes_have_no_content_of_their_own() {
        // An unclosed default must not swallow the body up to the next `</mj-text>`.
        let text = "<mj-attributes><mj-text color=\"red\"></mj-attributes><mj-text><b>x</b></mj-text>";
        assert_eq!(
            log(text),
            [
                "Mjml <mj-attributes>",
                "Mjml <mj-text>",
                "Mjml </mj-attributes>",
                "Mjml <mj-text>",
                "KeptAsWritten <b>",
                "KeptAsWritten </b>",
                "Mjml </mj-text>",
            ]
        );
    }

    #[test]
    fn an_element_kept_as_written_without_close_tag_holds_the_rest() {
        let text = "<mj-column><mj-raw><b>bold</b><mj-text>";
        assert_eq!(
            log(text),
            [
                "Mjml <mj-column>",
                "Mjml <mj-raw>",
                "KeptAsWritten <b>",
                "KeptAsWritten </b>",
                "KeptAsWritten <mj-text>",
                "unclosed <mj-raw>",
            ]
        );
    }
}
