//! The attributes of `mj-*` tags, rewritten where mrml would read or write them differently.
//!
//! mrml stores attributes in a map, so a later duplicate overwrites the first; the reference's
//! parser keeps the first. mrml writes values with Rust's debug formatting, so a value holding
//! `"`, `\`, a line break, a tab or an invisible character comes out as `\"`, `\\`, `\n` or
//! `\u{200b}`, which breaks the surrounding style or text; such values are written with character
//! references instead, which mean the same to a browser. mrml also refuses unquoted values.

use std::borrow::Cow;

use super::{Rewriter, widths};
use crate::compile::validate;
use crate::markup::StartTag;

/// Above this many attributes, a tag's duplicates are found with a set.
const MANY_ATTRIBUTES: usize = 16;

/// The room made in that set up front; it grows past this only with names no element takes.
const SET_CAPACITY: usize = 256;

/// Rewrites the attributes of an `mj-*` tag that mrml would get wrong.
///
/// `widths` is given for elements whose `width` mrml computes with; see [`widths`]. With
/// `drop_unknown`, attributes no MJML element takes are taken out: both compilers ignore them,
/// and validation has warned about each, so mrml is spared storing what it would never read.
/// What is not an attribute name at all is left to mrml, which reports the broken tag.
pub fn rewrite(
    writer: &mut Rewriter<'_>,
    tag: &StartTag<'_>,
    mut widths: Option<&mut widths::Widths>,
    drop_unknown: bool,
) {
    let schema = validate::schema();
    // A tag has a handful of attributes, which are compared directly; a set only pays for many.
    // Once unknown names are dropped, the set never holds more than the table's names.
    let mut seen = (tag.attributes.len() > MANY_ATTRIBUTES).then(|| {
        let mut set = rustc_hash::FxHashSet::default();
        set.reserve(tag.attributes.len().min(SET_CAPACITY));
        set
    });
    for (index, attribute) in tag.attributes.iter().enumerate() {
        if drop_unknown && is_plain_name(attribute.name) && !schema.is_known_attribute(attribute.name) {
            writer.replace(attribute.start..attribute.end, "");
            continue;
        }
        let repeated = match &mut seen {
            Some(seen) => !seen.insert(attribute.name),
            None => tag.attributes[..index].iter().any(|earlier| earlier.name == attribute.name),
        };
        if repeated {
            writer.replace(attribute.start..attribute.end, "");
            continue;
        }
        let Some(value) = &attribute.value else { continue };
        if attribute.name == "width"
            && let Some(rewritten) = widths.as_mut().and_then(|w| w.rewrite(value.text))
        {
            writer.replace(attribute.start..attribute.end, &format!("width=\"{rewritten}\""));
            continue;
        }
        let encoded = encode_value(attribute.name, value.text);
        if value.quote == Some('"') && encoded == value.text {
            continue;
        }
        if value.quote == Some('\'') && encoded == value.text {
            // mrml reads single quotes; nothing in the value needs escaping.
            continue;
        }
        writer.replace(attribute.start..attribute.end, &format!("{}=\"{encoded}\"", attribute.name));
    }
}

/// Whether `name` is written as an attribute name may be (`data-track`, `xml:lang`). Anything else
/// is a tag that went wrong (`<mj-text {{body}}</mj-text>`), which stays for mrml to report.
fn is_plain_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_alphabetic() || first == b'_' || first == b':')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
}

/// Attributes whose value mjml copies into an HTML attribute as text, where line breaks matter
/// to what a reader sees (a tooltip, an address). Elsewhere the value is CSS, where any run of
/// white space means the same and mrml's own parsing of sizes needs plain spaces.
fn is_text_attribute(name: &str) -> bool {
    matches!(name, "alt" | "title" | "href" | "src" | "srcset" | "sizes" | "name" | "rel" | "target" | "usemap")
        || name.starts_with("data-")
        || name.starts_with("aria-")
}

/// The value written so that mrml's debug formatting leaves it alone and a browser reads it as
/// the reference compiler's output.
fn encode_value<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    // Most values are plain printable ASCII, which debug formatting leaves alone.
    let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
    if value.bytes().all(plain) || !value.chars().any(is_debug_escaped) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\\' => out.push_str("&#92;"),
            '\n' | '\r' | '\t' if !is_text_attribute(name) => out.push(' '),
            c if is_debug_escaped(c) => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether Rust's debug formatting of a string escapes `c`.
fn is_debug_escaped(c: char) -> bool {
    c != '\'' && c.escape_debug().len() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_only_where_debug_formatting_would_escape() {
        assert_eq!(encode_value("alt", "Tom's \"mug\"\n\\"), "Tom's &quot;mug&quot;&#xa;&#92;");
        assert_eq!(encode_value("font-family", "Georgia,\n\t'Times'"), "Georgia,  'Times'");
        assert_eq!(encode_value("title", "naïve ☕ 日本"), "naïve ☕ 日本");
        assert_eq!(encode_value("title", "a\u{200b}b"), "a&#x200b;b");
    }
}
