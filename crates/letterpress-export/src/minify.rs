//! `--minify`: removes whitespace between tags that no client renders, and nothing else.
//!
//! Only runs of whitespace that stand alone between two tags are changed: next to a block-level
//! tag, a comment or the edge of the document they are dropped, between two inline tags they
//! become one space (a space between `</b>` and `<i>` is visible). Text, placeholders, tags and
//! attributes, comments (Outlook's conditional comments included) and the contents of `<pre>`,
//! `<textarea>`, `<script>`, `<style>` and `<title>` are copied unchanged. Tags are read with the
//! core's markup reader, which reads placeholders whole.

use letterpress_core::markup::{self, HTML_RAW_TEXT, Tokens};

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

/// Whether the contents of element `name` (in lowercase) are kept byte for byte: HTML's raw
/// text elements, whose content is not markup, and `pre`, whose whitespace is rendered.
fn kept_byte_for_byte(name: &str) -> bool {
    name == "pre" || HTML_RAW_TEXT.contains(&name)
}

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
    let mut tokens = Vec::new();
    // A placeholder is text even if it holds `<` or `>`, and stays whole inside a tag.
    let mut reader = Tokens::new(html).with_placeholders();
    while let Some(token) = reader.next() {
        let text = &html[token.span()];
        let (name, opening) = match &token {
            markup::Token::Text(_) => {
                tokens.push(Token { kind: Kind::Text, text });
                continue;
            }
            markup::Token::Comment(_) => {
                tokens.push(Token { kind: Kind::Block, text });
                continue;
            }
            markup::Token::Start(tag) => (tag.name.to_ascii_lowercase(), Some(tag)),
            markup::Token::End(tag) => (tag.name.to_ascii_lowercase(), None),
            // `!doctype` for a doctype.
            markup::Token::Declaration(_) => (
                text[1..]
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
                None,
            ),
        };
        let kind = if BLOCK.contains(&name.as_str()) || name.contains(':') { Kind::Block } else { Kind::Inline };
        tokens.push(Token { kind, text });
        if let Some(tag) = opening.filter(|tag| !tag.self_closing && kept_byte_for_byte(&name)) {
            let raw_end = reader.skip_content(tag).unwrap_or(html.len());
            if tag.end < raw_end {
                tokens.push(Token { kind: Kind::Raw, text: &html[tag.end..raw_end] });
            }
        }
    }
    tokens
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
        // The title is text, even where it looks like a tag.
        assert_eq!(minify("<head>\n<title> <br> </title>\n</head>"), "<head><title> <br> </title></head>");
        let revealed = "<!--[if !mso]><!-->\n<meta name=\"x\">\n<!--<![endif]-->";
        assert_eq!(minify(revealed), "<!--[if !mso]><!--><meta name=\"x\"><!--<![endif]-->");
    }

    #[test]
    fn leaves_stray_angle_brackets_in_text() {
        assert_eq!(minify("<p>a < b and c > d</p>\n<p>"), "<p>a < b and c > d</p><p>");
        assert_eq!(minify("<p>x</p>\n\n"), "<p>x</p>");
    }
}
