//! `mj-image`, `mj-carousel-image` and the icons of `mj-social-element`: the reference gives each
//! image an empty `alt` where none is set; mrml 6.0.1 gives it none.

use super::Splices;
use crate::markup::StartTag;

/// Adds `alt=""` to an `img` mrml wrote without one.
pub fn repair(tag: &StartTag<'_>, splices: &mut Splices<'_>) {
    if tag.name.eq_ignore_ascii_case("img") && tag.attribute("alt").is_none() {
        splices.replace(tag.start + "<img".len()..tag.start + "<img".len(), " alt=\"\"");
    }
}
