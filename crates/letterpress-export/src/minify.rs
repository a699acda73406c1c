//! `--minify`: removes whitespace between tags that no client renders, and nothing else.
//!
//! Only runs of whitespace that stand alone between two tags are changed: next to a block-level
//! tag, a comment or the edge of the document they are dropped, between two inline tags they
//! become one space (a space between `</b>` and `<i>` is visible). Text, placeholders, tags and
//! attributes, comments (Outlook's conditional comments included) and the contents of `<pre>`,
//! `<textarea>`, `<script>` and `<style>` are copied unchanged.

/// Elements around which whitespace is never rendered.
const BLOCK: &[&str] = &[
    "!doctype",
    "address",
    "article",
    "aside",
    "base",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "section",
    "style",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "xml",
];

/// Elements whose contents are kept byte for byte.
const RAW: &[&str] = &["pre", "textarea", "script", "style"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A tag, a comment or a doctype next to which whitespace is insignificant.
    Block,
    /// An inline tag: whitespace next to it may be visible.
    Inline,
    /// Text, including whitespace-only runs.
    Text,
    /// Bytes copied as they are: the contents of a raw element.
    Raw,
}

struct Token<'a> {
    kind: Kind,
    text: &'a str,
}

/// `html` with insignificant whitespace between tags removed.
pub fn minify(html: &str) -> String {
    let tokens = tokenize(html);
    let mut out = String::with_capacity(html.len());
    for (index, token) in tokens.iter().enumerate() {
        let whitespace_only = token.kind == Kind::Text && token.text.bytes().all(|b| b.is_ascii_whitespace());
        if !whitespace_only {
            out.push_str(token.text);
            continue;
        }
        let before = index.checked_sub(1).map(|i| tokens[i].kind);
        let after = tokens.get(index + 1).map(|t| t.kind);
        match (before, after) {
            (Some(Kind::Inline), Some(Kind::Inline)) => out.push(' '),
            // Whitespace next to text or raw contents is part of them; keep it as it is.
            (Some(Kind::Text | Kind::Raw), _) | (_, Some(Kind::Text | Kind::Raw)) => out.push_str(token.text),
            _ => {}
        }
    }
    out
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let bytes = html.as_bytes();
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' && bytes.get(i + 1) == Some(&b'{') {
            // A placeholder is text even if it holds `<` or `>`.
            i = skip_placeholder(bytes, i);
            continue;
        }
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let markup_end = if bytes[i..].starts_with(b"<!--") {
            Some(find(bytes, i + 4, b"-->").map_or(bytes.len(), |end| end + 3))
        } else if bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!') {
            Some(tag_end(bytes, i))
        } else {
            None
        };
        let Some(end) = markup_end else {
            i += 1;
            continue;
        };
        if text_start < i {
            tokens.push(Token { kind: Kind::Text, text: &html[text_start..i] });
        }
        let markup = &html[i..end];
        let name = tag_name(markup);
        let kind = if markup.starts_with("<!--") || BLOCK.contains(&name.as_str()) || name.contains(':') {
            Kind::Block
        } else {
            Kind::Inline
        };
        tokens.push(Token { kind, text: markup });
        i = end;
        text_start = end;
        let opening = !markup.starts_with("</") && !markup.ends_with("/>");
        if opening && RAW.contains(&name.as_str()) {
            let close = format!("</{name}");
            let raw_end = find_ignore_case(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
            if i < raw_end {
                tokens.push(Token { kind: Kind::Raw, text: &html[i..raw_end] });
            }
            i = raw_end;
            text_start = raw_end;
        }
    }
    if text_start < bytes.len() {
        tokens.push(Token { kind: Kind::Text, text: &html[text_start..] });
    }
    tokens
}

/// The end of the tag starting at `start`: the first `>` outside quotes and placeholders.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'{' && bytes.get(i + 1) == Some(&b'{') => {
                i = skip_placeholder(bytes, i);
                continue;
            }
            None if b == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The index just after the `}}` closing the placeholder that opens at `start`.
fn skip_placeholder(bytes: &[u8], start: usize) -> usize {
    find(bytes, start + 2, b"}}").map_or(bytes.len(), |end| {
        // `{{{raw}}}` ends with three braces.
        let mut end = end + 2;
        while bytes.get(end) == Some(&b'}') {
            end += 1;
        }
        end
    })
}

/// The lowercase element name of a tag, `!doctype` for a doctype, empty for a comment.
fn tag_name(markup: &str) -> String {
    if markup.starts_with("<!--") {
        return String::new();
    }
    let rest = markup.trim_start_matches('<').trim_start_matches('/');
    rest.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect::<String>().to_ascii_lowercase()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn drops_whitespace_between_block_tags() {
        assert_eq!(
            minify("<table>\n  <tr>\n    <td>x</td>\n  </tr>\n</table>\n"),
            "<table><tr><td>x</td></tr></table>"
        );
        assert_eq!(
            minify("<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"),
            "<!doctype html><html><head><meta charset=\"utf-8\">"
        );
    }

    #[test]
    fn keeps_one_space_between_inline_tags() {
        assert_eq!(minify("<p><b>a</b>\n   <i>b</i></p>"), "<p><b>a</b> <i>b</i></p>");
        assert_eq!(minify("<p><b>a</b> <i>b</i></p>"), "<p><b>a</b> <i>b</i></p>");
    }

    #[test]
    fn keeps_text_and_placeholders() {
        let html = "<td>\n  Hello {{ name }},\n  welcome </td>\n<tr>\n{{#each items}}\n<td>{{this.title}}</td>\n{{/each}}\n</tr>";
        assert_eq!(
            minify(html),
            "<td>\n  Hello {{ name }},\n  welcome </td><tr>\n{{#each items}}\n<td>{{this.title}}</td>\n{{/each}}\n</tr>"
        );
        // A placeholder between tags is text, and so is the whitespace around it.
        assert_eq!(minify("<b>x</b> {{{html}}} <i>y</i>"), "<b>x</b> {{{html}}} <i>y</i>");
        // Placeholders inside tags, even with `>` in them, stay whole.
        let tag = "<a href=\"{{url}}\" title='a > b' {{#if x}}class=\"y\"{{/if}}>go</a>\n<div>";
        assert_eq!(minify(tag), "<a href=\"{{url}}\" title='a > b' {{#if x}}class=\"y\"{{/if}}>go</a><div>");
    }

    #[test]
    fn keeps_pre_styles_and_conditional_comments() {
        let pre = "<div>\n<pre>\n  a  <b>b</b>\n\n  c\n</pre>\n</div>";
        assert_eq!(minify(pre), "<div><pre>\n  a  <b>b</b>\n\n  c\n</pre></div>");
        let style = "<style type=\"text/css\">\n  p { margin: 0; }\n</style>\n<body>";
        assert_eq!(minify(style), "<style type=\"text/css\">\n  p { margin: 0; }\n</style><body>");
        let outlook = "<!--[if mso]>\n<noscript>\n<xml>\n  <o:PixelsPerInch>96</o:PixelsPerInch>\n</xml>\n</noscript>\n<![endif]-->\n<div>";
        assert_eq!(
            minify(outlook),
            "<!--[if mso]>\n<noscript>\n<xml>\n  <o:PixelsPerInch>96</o:PixelsPerInch>\n</xml>\n</noscript>\n<![endif]--><div>"
        );
        let revealed = "<!--[if !mso]><!-->\n<meta name=\"x\">\n<!--<![endif]-->";
        assert_eq!(minify(revealed), "<!--[if !mso]><!--><meta name=\"x\"><!--<![endif]-->");
    }

    #[test]
    fn leaves_stray_angle_brackets_in_text() {
        assert_eq!(minify("<p>a < b and c > d</p>\n<p>"), "<p>a < b and c > d</p><p>");
        assert_eq!(minify("<p>x</p>\n\n"), "<p>x</p>");
    }
}
