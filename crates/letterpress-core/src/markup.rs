//! The one reader of markup in Letterpress: start tags and their attributes, close tags,
//! comments, CDATA and declarations, and the text between them, for the MJML a user writes and
//! the HTML mrml writes alike. [`Tokens`] reads a whole text; [`kept_as_written`] and
//! [`HTML_RAW_TEXT`] say which elements hold text rather than markup.
//!
//! It reads tags the way the reference compiler's HTML parser does: attribute values may be quoted
//! with `"` or `'` or not at all, and a value runs over any number of lines. It never panics on
//! any input: every index it produces lies on a character boundary of the text it was given.

use std::ops::Range;

use memchr::{memchr, memchr2, memmem};

/// One attribute of a start tag. Offsets are byte offsets into the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub name: &'a str,
    /// Where the attribute starts (its name) and ends (after its value, closing quote included).
    pub start: usize,
    pub end: usize,
    pub value: Option<Value<'a>>,
}

impl Attribute<'_> {
    /// Where the value lies in the text, without its quotes; `None` for an attribute without one.
    pub fn value_range(&self) -> Option<Range<usize>> {
        let value = self.value.as_ref()?;
        let end = if value.quote.is_some() { self.end - 1 } else { self.end };
        Some(end - value.text.len()..end)
    }
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
    read_start_tag(text, start, false).ok()
}

/// Why there is no start tag at an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoTag {
    /// The text there is not `<` followed by a letter.
    NotATag,
    /// The text ends before the tag's `>`.
    NoEnd,
    /// A quoted attribute value has no closing quote.
    NoClosingQuote,
}

/// [`start_tag`], saying why there is none. With `placeholders`, a `{{…}}` between attributes is
/// read whole, as one attribute without a value, even when it holds `>` or quotes.
pub fn read_start_tag(text: &str, start: usize, placeholders: bool) -> Result<StartTag<'_>, NoTag> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'<') || !bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
        return Err(NoTag::NotATag);
    }
    let name_end = scan(bytes, start + 1, |b| !(b.is_ascii_whitespace() || b == b'>' || b == b'/'));
    let name = &text[start + 1..name_end];
    // Most tags with attributes have a handful: one allocation for them, none for a bare tag.
    let mut attributes = if bytes.get(name_end) == Some(&b'>') { Vec::new() } else { Vec::with_capacity(8) };
    let mut i = name_end;
    loop {
        i = scan(bytes, i, |b| b.is_ascii_whitespace());
        match bytes.get(i).ok_or(NoTag::NoEnd)? {
            b'>' => return Ok(StartTag { name, start, end: i + 1, attributes, self_closing: false }),
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Ok(StartTag { name, start, end: i + 2, attributes, self_closing: true });
            }
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let attribute_start = i;
        if placeholders && bytes[i..].starts_with(b"{{") {
            let end = placeholder_end(text, i);
            attributes.push(Attribute { name: &text[i..end], start: i, end, value: None });
            i = end;
            continue;
        }
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
        let (value, end) = match *bytes.get(value_start).ok_or(NoTag::NoEnd)? {
            quote @ (b'"' | b'\'') => {
                let close = value_start + 1 + memchr(quote, &bytes[value_start + 1..]).ok_or(NoTag::NoClosingQuote)?;
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
    while let Some(found) = memmem::find(bytes.get(at..)?, b"</") {
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
    memchr(b'>', &text.as_bytes()[start..]).map_or(text.len(), |e| start + e + 1)
}

/// Calls `visit` on every start tag outside comments, CDATA sections and declarations. `visit`
/// returns where reading goes on, so callers can skip the content of elements; a position at or
/// before the tag's own start is ignored in favour of the tag's end.
pub fn for_each_start_tag<'a>(text: &'a str, mut visit: impl FnMut(&StartTag<'a>) -> usize) {
    let mut tokens = Tokens::new(text);
    while let Some(token) = tokens.next() {
        if let Token::Start(tag) = token {
            let next = visit(&tag);
            if next > tag.start {
                tokens.skip_to(next);
            }
        }
    }
}

/// A close tag such as `</mj-text>`; whatever stands between its name and `>` is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndTag<'a> {
    pub name: &'a str,
    /// The offset of `<`.
    pub start: usize,
    /// The offset just after `>`.
    pub end: usize,
}

/// One piece of a text, as [`Tokens`] reads it. Ranges are byte offsets into the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Start(StartTag<'a>),
    End(EndTag<'a>),
    /// `<!-- … -->`, delimiters included; one that never ends runs to the end of the text.
    Comment(Range<usize>),
    /// `<![CDATA[ … ]]>` (one that never ends runs to the end of the text), or a declaration
    /// such as `<!doctype html>` or `<?xml … ?>`.
    Declaration(Range<usize>),
    /// Everything else, including a `<` that starts none of the above, such as a tag that never
    /// ends.
    Text(Range<usize>),
}

impl Token<'_> {
    /// Where the token lies in the text.
    pub fn span(&self) -> Range<usize> {
        match self {
            Token::Start(tag) => tag.start..tag.end,
            Token::End(tag) => tag.start..tag.end,
            Token::Comment(range) | Token::Declaration(range) | Token::Text(range) => range.clone(),
        }
    }
}

/// Reads a text as a sequence of [`Token`]s that together cover all of it, in order. Reading
/// never fails: markup that does not finish is text.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
    placeholders: bool,
    /// Markup found after a run of text, given out next.
    pending: Option<Token<'a>>,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens { text, at: 0, placeholders: false, pending: None }
    }

    /// Reads Handlebars placeholders `{{…}}` (and `{{{…}}}`) as part of the text or tag they stand
    /// in, even when they hold `<`, `>` or quotes.
    pub fn with_placeholders(mut self) -> Self {
        self.placeholders = true;
        self
    }

    /// Goes on reading at `at` (moved forward to a character boundary, and to the end of the text
    /// at most), forgetting anything already found beyond it.
    pub fn skip_to(&mut self, at: usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        self.at = at;
        self.pending = None;
    }

    /// Skips the content of the element whose start tag `tag` was just read, as for an element
    /// kept as written: reading goes on at its close tag, whose offset is returned. When it has
    /// none, reading goes on at the end of the text and `None` is returned.
    pub fn skip_content(&mut self, tag: &StartTag<'_>) -> Option<usize> {
        let close = find_close(self.text, tag.end, tag.name);
        self.skip_to(close.unwrap_or(self.text.len()));
        close
    }

    /// The markup starting at `start`, which holds `<`.
    fn markup_at(&self, start: usize) -> Markup<'a> {
        let text = self.text;
        let rest = &text[start..];
        if rest.starts_with("<!--") {
            let end = memmem::find(&text.as_bytes()[start + 4..], b"-->").map_or(text.len(), |e| start + 4 + e + 3);
            return Markup::Found(Token::Comment(start..end));
        }
        if rest.starts_with("<![CDATA[") {
            let end = rest.find("]]>").map_or(text.len(), |e| start + e + 3);
            return Markup::Found(Token::Declaration(start..end));
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            return memchr(b'>', rest.as_bytes())
                .map_or(Markup::Unfinished, |e| Markup::Found(Token::Declaration(start..start + e + 1)));
        }
        if let Some(closing) = rest.strip_prefix("</") {
            if !closing.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Markup::Text;
            }
            let name_len =
                closing.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(closing.len());
            return match memchr(b'>', &closing.as_bytes()[name_len..]) {
                Some(e) => {
                    let end = start + 2 + name_len + e + 1;
                    Markup::Found(Token::End(EndTag { name: &closing[..name_len], start, end }))
                }
                None => Markup::Unfinished,
            };
        }
        match read_start_tag(text, start, self.placeholders) {
            Ok(tag) => Markup::Found(Token::Start(tag)),
            Err(NoTag::NotATag) => Markup::Text,
            Err(NoTag::NoEnd | NoTag::NoClosingQuote) => Markup::Unfinished,
        }
    }
}

/// What a `<` starts.
enum Markup<'a> {
    Found(Token<'a>),
    /// Text, such as `a < b`; reading goes on after it.
    Text,
    /// Markup that the text ends inside of (a tag without `>`, a value without its closing quote).
    /// As in HTML's tokenizer and the reference compiler's parser, everything from it to the end
    /// is then part of it, so no later `<` can start anything: the rest is text. Reading on from
    /// the next `<` instead would read to the end again from each one.
    Unfinished,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(token) = self.pending.take() {
            return Some(token);
        }
        let (text, bytes) = (self.text, self.text.as_bytes());
        let text_start = self.at;
        let mut i = self.at;
        loop {
            let rest = &bytes[i..];
            let found = if self.placeholders { memchr2(b'<', b'{', rest) } else { memchr(b'<', rest) };
            let Some(found) = found else { break };
            let start = i + found;
            if bytes[start] == b'{' {
                i = if bytes.get(start + 1) == Some(&b'{') { placeholder_end(text, start) } else { start + 1 };
                continue;
            }
            match self.markup_at(start) {
                Markup::Found(token) => {
                    self.at = token.span().end;
                    if start > text_start {
                        self.pending = Some(token);
                        return Some(Token::Text(text_start..start));
                    }
                    return Some(token);
                }
                Markup::Text => i = start + 1,
                Markup::Unfinished => break,
            }
        }
        self.at = text.len();
        (text_start < text.len()).then_some(Token::Text(text_start..text.len()))
    }
}

/// The offset just after the `}}` closing the placeholder that opens at `start` (`{{{raw}}}` ends
/// with three braces), or the end of the text.
fn placeholder_end(text: &str, start: usize) -> usize {
    text[start + 2..].find("}}").map_or(text.len(), |e| {
        let mut end = start + 2 + e + 2;
        while text.as_bytes().get(end) == Some(&b'}') {
            end += 1;
        }
        end
    })
}

/// Whether the content of the MJML element `name` is kept as written (raw HTML or text) rather
/// than read as MJML: the components the reference compiler's table marks `ending`.
pub fn kept_as_written(name: &str) -> bool {
    // Asked of every MJML tag read: a short list compares faster than a hash of the name.
    static ENDING: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let ending = ENDING.get_or_init(|| {
        let elements = &crate::compile::validate::schema().elements;
        elements.iter().filter(|(_, element)| element.ending).map(|(name, _)| name.as_str()).collect()
    });
    ending.contains(&name)
}

/// HTML elements whose content is text, never markup: HTML's raw text and escapable raw text
/// elements.
pub const HTML_RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

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
    /// The tokens of `text` with the text each covers, checking that they cover all of it in order.
    fn read(tokens: Tokens<'_>, text: &str) -> Vec<(&'static str, String)> {
        let mut at = 0;
        let mut out = Vec::new();
        for token in tokens {
            let span = token.span();
            assert_eq!(span.start, at, "{text:?}");
            at = span.end;
            let kind = match token {
                Token::Start(_) => "start",
                Token::End(_) => "end",
                Token::Comment(_) => "comment",
                Token::Declaration(_) => "declaration",
                Token::Text(_) => "text",
            };
            out.push((kind, text[span].to_owned()));
        }
        assert_eq!(at, text.len(), "{text:?}");
        out
    }

    #[test]
    fn tokens_cover_the_text_in_order() {
        let text = "<!doctype html><p class=\"a\">naïve <b>x</b> a < b<!-- <i> --><![CDATA[<u>]]></p ><br/>é";
        let kinds: Vec<(&str, String)> = read(Tokens::new(text), text);
        let expected = [
            ("declaration", "<!doctype html>"),
            ("start", "<p class=\"a\">"),
            ("text", "naïve "),
            ("start", "<b>"),
            ("text", "x"),
            ("end", "</b>"),
            ("text", " a < b"),
            ("comment", "<!-- <i> -->"),
            ("declaration", "<![CDATA[<u>]]>"),
            ("end", "</p >"),
            ("start", "<br/>"),
            ("text", "é"),
        ];
        assert_eq!(kinds, expected.map(|(k, t)| (k, t.to_owned())));
    }

    #[test]
    fn unfinished_markup_is_text_and_never_panics() {
        let text = "<p>’<mj-image alt=\"open</p>é<!-- never closed";
        for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            read(Tokens::new(&text[..end]), &text[..end]);
            read(Tokens::new(&text[..end]).with_placeholders(), &text[..end]);
        }
        let kinds: Vec<&str> = read(Tokens::new("a </ b> <p"), "a </ b> <p").into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, ["text"]);
        assert_eq!(read_start_tag("<mj-include path=\"x", 0, false), Err(NoTag::NoClosingQuote));
        assert_eq!(read_start_tag("<mj-include path=x", 0, false), Err(NoTag::NoEnd));
        assert_eq!(read_start_tag("< p>", 0, false), Err(NoTag::NotATag));
    }

    #[test]
    fn after_unfinished_markup_the_rest_is_text() {
        // A value whose quote never closes holds everything after it, later tags included.
        let text = "<p>a</p><img alt=\"open><b>bold</b>";
        let kinds = read(Tokens::new(text), text);
        assert_eq!(kinds.last(), Some(&("text", "<img alt=\"open><b>bold</b>".to_owned())));
        for unfinished in ["<a", "</a", "<!a"] {
            // Each `<` after the first would otherwise be read to the end again: quadratic time.
            let text = format!("<p>{}", unfinished.repeat(50_000));
            let kinds = read(Tokens::new(&text), &text);
            assert_eq!(kinds.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["start", "text"], "{unfinished}");
        }
    }

    proptest::proptest! {
        #[test]
        fn tokens_cover_any_text_on_character_boundaries(text in "[<>/!?a-z\"'= {}\\[\\]\n\u{e9}\u{2019}-]{0,80}") {
            read(Tokens::new(&text), &text);
            read(Tokens::new(&text).with_placeholders(), &text);
            for_each_start_tag(&text, |tag| tag.start + 1);
        }
    }

    #[test]
    fn placeholders_are_text_or_part_of_their_tag() {
        let text = "<a href=\"{{url}}\" {{#if x}}class='y'{{/if}} {{z > 1}}>{{a < b}}</a>{{{html}}}<i>";
        let kinds = read(Tokens::new(text).with_placeholders(), text);
        assert_eq!(kinds[0], ("start", "<a href=\"{{url}}\" {{#if x}}class='y'{{/if}} {{z > 1}}>".to_owned()));
        assert_eq!(kinds[1], ("text", "{{a < b}}".to_owned()));
        assert_eq!(kinds[3], ("text", "{{{html}}}".to_owned()));
        // Without placeholders, `<` inside one opens a tag like any other.
        assert_eq!(read(Tokens::new("{{a <b}}>"), "{{a <b}}>")[1].0, "start");
    }

    #[test]
    fn content_kept_as_written_is_skipped_to_its_close_tag() {
        let text = "<mj-text><mj-image/><p>x</p></MJ-TEXT><mj-raw><b>";
        let mut tokens = Tokens::new(text);
        let mut seen = Vec::new();
        while let Some(token) = tokens.next() {
            if let Token::Start(tag) = &token
                && kept_as_written(tag.name)
            {
                seen.push(format!("{:?}", tokens.skip_content(tag)));
            }
            seen.push(text[token.span()].to_owned());
        }
        assert_eq!(seen, ["Some(28)", "<mj-text>", "</MJ-TEXT>", "None", "<mj-raw>"]);
    }

    #[test]
    fn elements_kept_as_written_come_from_the_component_table() {
        for name in ["mj-text", "mj-raw", "mj-style", "mj-breakpoint", "mj-html-attribute", "mj-carousel-image"] {
            assert!(kept_as_written(name), "{name}");
        }
        for name in ["mjml", "mj-section", "mj-column", "mj-include", "p", "style"] {
            assert!(!kept_as_written(name), "{name}");
        }
    }
}
