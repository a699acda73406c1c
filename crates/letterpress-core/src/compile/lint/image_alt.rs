//! `image-alt`: an image without `alt` text. `alt=""` is the way to say an image is decoration.

use super::{Lint, Rule, Tag, attribute, lint, name_span};
use crate::diagnostic::Code;

pub struct ImageAlt;

impl Rule for ImageAlt {
    fn tag(&mut self, name: &str, tag: &Tag, found: &mut Vec<Lint>) {
        if matches!(name, "mj-image" | "img") && attribute(tag, "alt").is_none() {
            let (start, end) = name_span(tag);
            found.push(lint(
                Code::ImageAlt,
                start,
                end,
                format!(
                    "`<{}>` has no `alt` text; describe the image, or write `alt=\"\"` if it is decoration",
                    tag.name
                ),
            ));
        }
    }
}
