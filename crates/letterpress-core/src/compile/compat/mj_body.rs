//! `mj-body`: the reference writes `word-spacing:normal` on the wrapper `div` as well as on
//! `body`; mrml 6.0.1 writes it on `body` only.

use super::Splices;
use crate::markup;

const WRAPPER: &str = "<div aria-roledescription=\"email\"";

/// Adds the word spacing to the wrapper's style, unless it has some already.
pub fn repair(html: &str, splices: &mut Splices<'_>) {
    let Some(div) = memchr::memmem::find(html.as_bytes(), WRAPPER.as_bytes()) else { return };
    let Some(tag) = markup::start_tag(html, div) else { return };
    let Some(style) = tag.attribute("style") else {
        let at = tag.end - 1;
        splices.replace(at..at, " style=\"word-spacing:normal;\"");
        return;
    };
    let Some(value) = &style.value else { return };
    if value.text.contains("word-spacing") {
        return;
    }
    let at = style.end - 1 - value.text.len();
    splices.replace(at..at, "word-spacing:normal;");
}
