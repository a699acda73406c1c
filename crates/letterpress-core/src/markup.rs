//! The one reader of markup in Letterpress: start tags and their attributes, close tags,
//! comments and CDATA, for the MJML a user writes and the HTML mrml writes alike.
//!
//! It reads tags the way the reference compiler's HTML parser does: attribute values may be quoted
//! with `"` or `'` or not at all, and a value runs over any number of lines. It never panics on
//! any input: every index it produces lies on a character boundary of the text it was given.

/// One attribute of a start tag. Offsets are byte offsets into the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub name: &'a str,
    /// Where the attribute starts (its name) and ends (after its value, closing quote included).
    pub start: usize,
    pub end: usize,
    pub value: Option<Value<'a>>,
}

/// The value of an attribute, without its quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<'a> {
    pub text: &'a str,
    /// The quote it was written with, if any.
    pub quote: Option<char>,
}

/// A start tag such as `<mj-image src="a.png" />`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag<'a> {
    pub name: &'a str,
    /// The offset of `<`.
    pub start: usize,
    /// The offset just after `>`.
    pub end: usize,
    pub attributes: Vec<Attribute<'a>>,
    pub self_closing: bool,
}

impl StartTag<'_> {
    pub fn attribute(&self, name: &str) -> Option<&Attribute<'_>> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The value of the first attribute called `name`, as the reference compiler keeps the first.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.attribute(name).and_then(|a| a.value.as_ref()).map(|v| v.text)
    }
}

/// Reads the start tag at `start`, which must hold `<` followed by a letter. `None` when the tag
/// never ends.
pub fn start_tag(text: &str, start: usize) -> Option<StartTag<'_>> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'<') || !bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_end = scan(bytes, start + 1, |b| !(b.is_ascii_whitespace() || b == b'>' || b == b'/'));
    let name = &text[start + 1..name_end];
    let mut attributes = Vec::new();
    let mut i = name_end;
    loop {
        i = scan(bytes, i, |b| b.is_ascii_whitespace());
        match bytes.get(i)? {
            b'>' => return Some(StartTag { name, start, end: i + 1, attributes, self_closing: false }),
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Some(StartTag { name, start, end: i + 2, attributes, self_closing: true });
            }
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let attribute_start = i;
        // An attribute name runs to whitespace, `=`, `>` or `/`; a quote inside it belongs to it,
        // as it does for the reference parser.
        let name_end = scan(bytes, i + 1, |b| !(b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/')));
        let attribute_name = &text[attribute_start..name_end];
        let after_name = scan(bytes, name_end, |b| b.is_ascii_whitespace());
        if bytes.get(after_name) != Some(&b'=') {
            attributes.push(Attribute { name: attribute_name, start: attribute_start, end: name_end, value: None });
            i = name_end;
            continue;
        }
        let value_start = scan(bytes, after_name + 1, |b| b.is_ascii_whitespace());
        let (value, end) = match *bytes.get(value_start)? {
            quote @ (b'"' | b'\'') => {
                let close = value_start + 1 + text[value_start + 1..].find(quote as char)?;
                (Value { text: &text[value_start + 1..close], quote: Some(quote as char) }, close + 1)
            }
            b'>' => (Value { text: "", quote: None }, value_start),
            _ => {
                let end = scan(bytes, value_start, |b| !(b.is_ascii_whitespace() || b == b'>'));
                (Value { text: &text[value_start..end], quote: None }, end)
            }
        };
        attributes.push(Attribute { name: attribute_name, start: attribute_start, end, value: Some(value) });
        i = end;
    }
}

/// The first index at or after `from` whose byte does not satisfy `keep`. Every stop byte is
/// ASCII, so the result is always a character boundary.
fn scan(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}

/// The offset of the first `</name` (case-insensitive) at or after `from` that closes the element.
pub fn find_close(text: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(found) = text.get(at..)?.find("</") {
        let start = at + found;
        let after = start + 2 + name.len();
        if text.get(start + 2..after).is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes.get(after).is_none_or(|&b| b.is_ascii_whitespace() || b == b'>')
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The offset just after the `>` ending the close tag at `start`.
pub fn close_end(text: &str, start: usize) -> usize {
    text[start..].find('>').map_or(text.len(), |e| start + e + 1)
}

/// Calls `visit` on every start tag outside comments, CDATA sections and declarations. `visit`
/// returns where reading goes on, so callers can skip the content of elements; a position at or
/// before the tag's own start is ignored in favour of the tag's end.
pub fn for_each_start_tag<'a>(text: &'a str, mut visit: impl FnMut(&StartTag<'a>) -> usize) {
    let mut at = 0;
    while let Some(found) = text.get(at..).and_then(|rest| rest.find('<')) {
        let start = at + found;
        let rest = &text[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(text.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            at = rest.find("]]>").map_or(text.len(), |e| start + e + 3);
            continue;
        }
        match start_tag(text, start) {
            Some(tag) => {
                let next = visit(&tag);
                at = if next > tag.start { next.min(text.len()) } else { tag.end };
                // Land on a character boundary whatever the visitor returned.
                while !text.is_char_boundary(at) {
                    at += 1;
                }
            }
            None => at = start + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_unquoted_and_bare_attributes() {
        let text = "<p a=\"x\ny\" b='q\"' c=plain d e = 'z'>";
        let tag = start_tag(text, 0).unwrap();
        let read: Vec<(&str, Option<&str>)> =
            tag.attributes.iter().map(|a| (a.name, a.value.as_ref().map(|v| v.text))).collect();
        assert_eq!(
            read,
            [("a", Some("x\ny")), ("b", Some("q\"")), ("c", Some("plain")), ("d", None), ("e", Some("z"))]
        );
        assert_eq!(tag.end, text.len());
        assert!(!tag.self_closing);
    }

    #[test]
    fn unterminated_tags_are_not_tags() {
        assert_eq!(start_tag("<mj-image alt=\"open", 0), None);
        assert_eq!(start_tag("<mj-image", 0), None);
        assert!(start_tag("<mj-image/>", 0).unwrap().self_closing);
    }

    #[test]
    fn multibyte_text_never_splits_a_character() {
        let text = "<p title=naïve>’></p><é";
        let mut names = Vec::new();
        for_each_start_tag(text, |tag| {
            names.push(tag.name.to_owned());
            tag.end
        });
        assert_eq!(names, ["p"]);
    }
}
