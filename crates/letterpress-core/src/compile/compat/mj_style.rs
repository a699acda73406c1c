//! `mj-style inline="inline"`, applied to the finished HTML. mrml inlines before the raw content is
//! back, which would leave that content unstyled, so those styles are kept from mrml and applied
//! here instead.
//!
//! The rules are applied the way the inliner mrml uses (`css-inline`, with mrml's options) applies
//! them: each selector of each rule, in order, gives its declarations to the elements it matches;
//! a declaration replaces one of the same property unless that one is `!important` or more
//! specific; the element's own `style` keeps its declarations unless a rule's is `!important`.
//! That inliner parses the whole document again and writes it out anew. Here the document is read
//! with the markup reader instead and only the `style` attributes that change are rewritten, which
//! leaves everything else as mrml wrote it, as for a document without inline styles. Whatever this
//! reading cannot be sure to see as an HTML parser would — at-rules, escapes, comments inside
//! rules, selectors beyond [`selector`](super::selector)'s, a tree a parser would rebuild, entities
//! in a value that is read — goes to `css-inline` itself.

use super::selector::{self, Complex, Test, Tree};
use crate::markup;

/// Inlines `styles` into `html`.
pub fn inline(html: String, styles: &[String]) -> String {
    if styles.is_empty() {
        return html;
    }
    let css = styles.concat();
    #[cfg(test)]
    if tests::FORCE_INLINER.with(std::cell::Cell::get) {
        return with_inliner(html, css);
    }
    match splice(&html, &css) {
        Some(out) => out,
        None => with_inliner(html, css),
    }
}

/// `css` inlined by `css-inline` with the options mrml uses.
fn with_inliner(html: String, css: String) -> String {
    let inliner = css_inline::CSSInliner::options()
        .inline_style_tags(false)
        .keep_link_tags(true)
        .keep_style_tags(true)
        .load_remote_stylesheets(false)
        .extra_css(Some(std::borrow::Cow::Owned(css)))
        .build();
    inliner.inline(&html).unwrap_or(html)
}

/// One style rule: its selectors, each with its specificity, and its declarations.
struct Rule<'a> {
    selectors: Vec<(Complex, Specificity)>,
    declarations: Vec<(&'a str, &'a str)>,
}

/// Ids, then classes, attributes and pseudo-classes, then element names.
type Specificity = (u32, u32, u32);

/// `css` inlined into `html` by rewriting the `style` attributes that change, or `None` when the
/// document or the rules hold something only a full HTML and CSS parser reads right.
fn splice(html: &str, css: &str) -> Option<String> {
    // Without a doctype, a parser reads classes in quirks mode, ignoring their case.
    let doctype = html.trim_start().get(..15).is_some_and(|d| d.eq_ignore_ascii_case("<!doctype html>"));
    if !doctype || memchr::memchr2(b'\r', b'\0', html.as_bytes()).is_some() {
        return None;
    }
    let rules = parse_rules(css)?;
    if rules.iter().all(|rule| rule.selectors.is_empty() || rule.declarations.is_empty()) {
        return Some(html.to_owned());
    }
    let tree = selector::build_tree(html, 0);
    if !tree.regular || !reads_plainly(&tree, &rules) {
        return None;
    }
    // The declarations each element gets, in the order its properties first came.
    let mut styles: Vec<Vec<(&str, Specificity, &str)>> = vec![Vec::new(); tree.elements.len()];
    for rule in &rules {
        for (complex, specificity) in &rule.selectors {
            for (index, element_styles) in styles.iter_mut().enumerate() {
                if !selector::matches(&tree.elements, index, complex, complex.parts.len() - 1) {
                    continue;
                }
                for &(name, value) in &rule.declarations {
                    add(element_styles, name, *specificity, value);
                }
            }
        }
    }
    let mut out = String::with_capacity(html.len() + 1024);
    let mut copied = 0;
    for (element, mut element_styles) in tree.elements.iter().zip(styles) {
        if element_styles.is_empty() {
            continue;
        }
        // The inliner's own order: by specificity, with the same unstable sort.
        element_styles.sort_unstable_by_key(|a| a.1);
        let tag = markup::start_tag(html, element.start)?;
        let existing = tag.attributes.iter().find(|a| a.name.eq_ignore_ascii_case("style"));
        match existing {
            Some(attribute) => {
                let current = attribute.value.as_ref().map_or("", |v| v.text);
                let merged = merge(current, &element_styles)?;
                out.push_str(&html[copied..attribute.start]);
                out.push_str("style=\"");
                out.push_str(&merged);
                out.push('"');
                copied = attribute.end;
            }
            None => {
                let at = tag.attributes.last().map_or(tag.start + 1 + tag.name.len(), |a| a.end);
                out.push_str(&html[copied..at]);
                out.push_str(" style=\"");
                for (name, _, value) in &element_styles {
                    write_declaration(&mut out, name, value);
                    out.push(';');
                }
                out.push('"');
                copied = at;
            }
        }
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// Gives `name: value` to an element's declarations: it replaces one of the same property that is
/// no more specific, unless only the old one is `!important`; an `!important` one replaces one
/// that is not.
fn add<'a>(styles: &mut Vec<(&'a str, Specificity, &'a str)>, name: &'a str, specificity: Specificity, value: &'a str) {
    let Some(entry) = styles.iter_mut().find(|(existing, ..)| *existing == name) else {
        styles.push((name, specificity, value));
        return;
    };
    let important = |value: &str| value.trim_end().ends_with("!important");
    match (important(value), important(entry.2)) {
        (true, false) => *entry = (name, specificity, value),
        (false, true) => {}
        _ if entry.1 <= specificity => *entry = (name, specificity, value),
        _ => {}
    }
}

/// The element's own `style` merged with what the rules give it: declarations new to it first,
/// then its own, each kept unless a rule's `!important` one replaces it in place. `None` when the
/// attribute holds what is not a plain list of declarations.
fn merge(current: &str, styles: &[(&str, Specificity, &str)]) -> Option<String> {
    if current.contains(['&', '{', '}', '\\']) || current.contains("/*") {
        return None;
    }
    let mut own: Vec<String> = Vec::new();
    for piece in split_declarations(current)? {
        let (name, value) = declaration(piece)?;
        let mut written = String::new();
        write_declaration(&mut written, name, value);
        own.push(written);
    }
    let mut new: Vec<String> = Vec::new();
    for &(name, _, value) in styles {
        let prefix_of = |written: &String| written.strip_prefix(name).is_some_and(|rest| rest.starts_with(": "));
        let important = value.trim_end().strip_suffix("!important");
        match (important, own.iter_mut().find(|w| prefix_of(w))) {
            (Some(value), Some(written)) => {
                if !written.ends_with("!important") {
                    written.truncate(name.len() + 2);
                    push_value(written, value);
                    written.push_str(" !important");
                }
            }
            (Some(value), None) => {
                let mut written = String::new();
                write_declaration(&mut written, name, value);
                written.push_str(" !important");
                new.push(written);
            }
            (None, None) => {
                let mut written = String::new();
                write_declaration(&mut written, name, value);
                new.push(written);
            }
            (None, Some(_)) => {}
        }
    }
    Some(new.into_iter().chain(own).collect::<Vec<_>>().join(";"))
}

fn write_declaration(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    push_value(out, value);
}

/// A value as the inliner writes it into an attribute: trimmed, double quotes made single.
fn push_value(out: &mut String, value: &str) {
    out.push_str(&value.trim().replace('"', "'"));
}

/// The rules of `css`, or `None` when it holds anything beyond plain style rules whose selectors
/// [`selector`] reads.
fn parse_rules(css: &str) -> Option<Vec<Rule<'_>>> {
    if css.contains(['\\', '@', '\r', '\0']) {
        return None;
    }
    let mut rules = Vec::new();
    let mut at = 0;
    loop {
        at = skip_comments_and_space(css, at)?;
        if at == css.len() {
            return Some(rules);
        }
        let open = at + css[at..].find('{')?;
        let prelude = &css[at..open];
        if prelude.contains('}') {
            return None;
        }
        let close = open + 1 + block_end(&css[open + 1..])?;
        let block = &css[open + 1..close];
        at = close + 1;
        if block.contains('{') || block.contains("/*") {
            return None;
        }
        let mut declarations = Vec::new();
        for piece in split_declarations(block)? {
            declarations.push(declaration(piece)?);
        }
        let mut selectors = Vec::new();
        // Like the inliner, each comma-separated selector stands alone, and one it cannot read is
        // left out. A stray `;` before a rule becomes part of its first selector, which no CSS
        // parser reads; anything else this reading does not know goes to the inliner.
        for text in prelude.split(',') {
            let text = strip_comments(text)?;
            let text = text.trim();
            if text.starts_with(';') {
                continue;
            }
            let complex = selector::parse_complex(text).ok()?;
            let specificity = specificity(&complex, text)?;
            // The inliner keeps `class` apart from the other attributes, and its attribute tests
            // never see it: `[class=…]` matches nothing there, so it matches nothing here.
            let tests_class = complex
                .parts
                .iter()
                .flat_map(|part| &part.tests)
                .any(|test| matches!(test, Test::Attribute { name, .. } if name == "class"));
            if !tests_class {
                selectors.push((complex, specificity));
            }
        }
        rules.push(Rule { selectors, declarations });
    }
}

/// The offset after white space and comments from `at`; `None` for a comment that never ends.
fn skip_comments_and_space(css: &str, mut at: usize) -> Option<usize> {
    loop {
        let rest = &css[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if !trimmed.starts_with("/*") {
            return Some(at);
        }
        at += 2 + trimmed[2..].find("*/")? + 2;
    }
}

/// `text` without its comments.
fn strip_comments(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start + 2..].find("*/")?;
        rest = &rest[start + 2 + end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// The characters of `text` outside its strings, with their offsets. A string that runs to a
/// newline or to the end is an error, as for a CSS parser, and ends the characters.
fn outside_strings(text: &str) -> impl Iterator<Item = Result<(usize, char), ()>> + '_ {
    let mut quote = None;
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        loop {
            let Some((i, c)) = chars.next() else {
                return quote.take().map(|_| Err(()));
            };
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), '\n') => {
                    // Nothing follows an error.
                    quote = None;
                    chars = text[text.len()..].char_indices();
                    return Some(Err(()));
                }
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, c) => return Some(Ok((i, c))),
            }
        }
    })
}

/// The offset of the `}` that closes a block whose content starts `block`, skipping strings.
fn block_end(block: &str) -> Option<usize> {
    for item in outside_strings(block) {
        if let (i, '}') = item.ok()? {
            return Some(i);
        }
    }
    None
}

/// The declarations of a block, split at the semicolons outside strings and brackets; `None`
/// when a string or bracket is never closed.
fn split_declarations(block: &str) -> Option<Vec<&str>> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for item in outside_strings(block) {
        match item.ok()? {
            (_, '(' | '[') => depth += 1,
            (_, ')' | ']') => depth = depth.checked_sub(1)?,
            (i, ';') if depth == 0 => {
                pieces.push(&block[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    pieces.push(&block[start..]);
    Some(pieces.into_iter().filter(|piece| !piece.trim().is_empty()).collect())
}

/// A declaration `name: value`, the value as written; `None` when the piece is not one.
fn declaration(piece: &str) -> Option<(&str, &str)> {
    let (name, value) = piece.split_once(':')?;
    let name = name.trim();
    is_identifier(name).then_some((name, value))
}

/// Whether `text` is a CSS identifier that needs no escape.
fn is_identifier(text: &str) -> bool {
    let body = text.strip_prefix("--").or_else(|| text.strip_prefix('-')).unwrap_or(text);
    let custom = text.starts_with("--");
    body.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_' || (custom && (c.is_alphanumeric() || c == '-')))
        && body.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The specificity of a selector read by [`selector::parse_complex`], or `None` when a CSS parser
/// might read `text` otherwise (names that are not identifiers, unquoted values that are not).
fn specificity(complex: &Complex, text: &str) -> Option<Specificity> {
    let mut specificity = (0, 0, 0);
    for test in complex.parts.iter().flat_map(|part| &part.tests) {
        match test {
            Test::Id(name) => {
                specificity.0 += 1;
                is_identifier(name).then_some(())?;
            }
            Test::Class(name) => {
                specificity.1 += 1;
                is_identifier(name).then_some(())?;
            }
            Test::Attribute { name, .. } => {
                specificity.1 += 1;
                is_identifier(name).then_some(())?;
            }
            Test::FirstChild | Test::LastChild => specificity.1 += 1,
            Test::Tag(name) => {
                specificity.2 += 1;
                is_identifier(name).then_some(())?;
            }
        }
    }
    // An unquoted attribute value must be an identifier too.
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let close = open + rest[open..].find(']')?;
        let inner = &rest[open + 1..close];
        if let Some((_, value)) = inner.split_once('=') {
            let value = value.trim();
            if !(value.starts_with(['"', '\'']) || is_identifier(value)) {
                return None;
            }
        }
        rest = &rest[close + 1..];
    }
    Some(specificity)
}

/// Whether the elements the rules test read the same here as for an HTML parser: no entity in an
/// `id`, a `class` or a tested attribute, which the parser would decode first.
fn reads_plainly(tree: &Tree, rules: &[Rule<'_>]) -> bool {
    let mut tested: Vec<&str> = vec!["id", "class"];
    for (complex, _) in rules.iter().flat_map(|rule| &rule.selectors) {
        for test in complex.parts.iter().flat_map(|part| &part.tests) {
            if let Test::Attribute { name, .. } = test {
                tested.push(name);
            }
        }
    }
    tree.elements.iter().all(|element| tested.iter().all(|name| !element.value(name).is_some_and(|v| v.contains('&'))))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::markup::{Token, Tokens};

    thread_local! {
        /// Makes [`inline`] use `css-inline` alone, to compare with it.
        pub(crate) static FORCE_INLINER: Cell<bool> = const { Cell::new(false) };
    }

    /// Every start tag's name and `style`, as a browser reads them: what inlining decides.
    pub(crate) fn styles_of(html: &str) -> Vec<(String, Option<String>)> {
        Tokens::new(html)
            .filter_map(|token| match token {
                Token::Start(tag) => Some((
                    tag.name.to_ascii_lowercase(),
                    tag.attributes
                        .iter()
                        .find(|a| a.name.eq_ignore_ascii_case("style"))
                        .map(|a| a.value.as_ref().map_or("", |v| v.text).replace("&quot;", "\"").replace("&amp;", "&")),
                )),
                _ => None,
            })
            .collect()
    }

    /// Inlines with both and checks that this reading was used and agrees with `css-inline`.
    fn agrees(html: &str, css: &str) {
        let spliced = splice(html, css).unwrap_or_else(|| panic!("read plainly: {css}"));
        let reference = with_inliner(html.to_owned(), css.to_owned());
        assert_eq!(styles_of(&spliced), styles_of(&reference), "{css}\n{spliced}\n{reference}");
    }

    const PAGE: &str = "<!doctype html><html><head><title>t</title><style>a { color: red }</style></head>\
        <body><div class=\"x\" style=\"color:#111;text-decoration:underline\"><p>one <a href=\"#\">a</a></p>\
        <p class=\"y z\" id=\"k\"><a class=\"y\" href=\"#\" style=\"color: blue !important\">b</a><img src=\"a.png\" class=\"img-max\" /></p>\
        <!--[if mso]><a href=\"#\">hidden</a><![endif]--></div><table><tbody><tr><td><a href=\"#\">c</a></td></tr></tbody></table>\
        <span>s</span><span>t</span></body></html>";

    #[test]
    fn agrees_with_the_inliner() {
        for css in [
            "a { text-decoration: none; color: inherit; }",
            "a { text-decoration: none!important; color: inherit!important; }",
            ".x a { color: green } .y { color: purple; font-weight: bold } #k a { color: navy }",
            "p > a { color: red } td a { color: olive } span:first-child { margin: 0 } span:last-child { margin: 1px }",
            "img[class=\"img-max\"] { max-width: 100% !important; width: 100% !important; height: auto !important; }",
            ".link { color: inherit; text-decoration: none }; /* a comment */ .x a { color:#111111 !important; } .y, ;x { top: 0 }",
            "* { box-sizing: border-box } div { font-family: \"Open Sans\", Arial }",
            "a { color: red } a { color: blue } .y { color: green } a.y { color: black !important }",
            "div { color: red; color: blue } [id=k] { left: 0 } p + p { right: 0 } p ~ table { top: 1px }",
            ".x { background: url(\"a;b.png\") }",
        ] {
            agrees(PAGE, css);
        }
    }

    #[test]
    fn what_a_parser_would_read_otherwise_goes_to_the_inliner() {
        // At-rules, escapes, comments in a rule, pseudo-classes this reading does not know.
        for css in [
            "@media (max-width: 10px) { a { color: red } }",
            ".a\\:b { color: red }",
            "a { color: /* x */ red }",
            "a:hover { color: red }",
        ] {
            assert!(splice(PAGE, css).is_none(), "{css}");
        }
        // Trees a parser would rebuild, and entities a parser would decode.
        for html in [
            "<!doctype html><html><head></head><body><p><div>x</div></p></body></html>",
            "<!doctype html><html><head></head><body><table><tr><td>x</td></tr></table></body></html>",
            "<!doctype html><html><head></head><body><b><i>x</b></i></body></html>",
            "<!doctype html><html><head></head><body><a href=\"#\"><a href=\"#\">x</a></a></body></html>",
            "<!doctype html><html><head></head><body><div class=\"a&amp;b\">x</div></body></html>",
            "<!doctype html><html><head></head><body><div/><span>x</span></body></html>",
            "<!doctype html><html><head></head><body><div>x</div><span title=\"a</body></html>",
            "<!doctype html><html><head></head><body><![CDATA[<div>x</div>]]></body></html>",
            "<html><head></head><body><div class=\"A\">x</div></body></html>",
        ] {
            assert!(splice(html, "div { color: red }").is_none(), "{html}");
        }
        // The element's own style holds what is not a list of declarations.
        assert!(
            splice("<!doctype html><html><head></head><body><a style=\"color\">x</a></body></html>", "a { top: 0 }")
                .is_none()
        );
        // And in every case the result is still the inliner's.
        let html = "<!doctype html><html><head></head><body><p><div>x</div></p></body></html>";
        assert_eq!(
            inline(html.to_owned(), &["div { color: red }".to_owned()]),
            with_inliner(html.into(), "div { color: red }".into())
        );
    }

    /// Every template of the repository and of the shared corpus that inlines styles gets the
    /// same styles on the same elements as from `css-inline`, and the official templates are all
    /// read plainly.
    #[test]
    fn templates_get_the_styles_the_inliner_gives() {
        use crate::compile::{DiskReader, Limits, compile_file};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dirs =
            ["fidelity/fixtures", "crates/letterpress-core/tests/compat", "crates/letterpress-core/tests/fuzz-corpus"];
        let corpus = root.join("../shared/corpus/mjml-email-templates");
        let mut files: Vec<(std::path::PathBuf, bool)> = Vec::new();
        for (dir, official) in dirs.iter().map(|d| (root.join(d), false)).chain([(corpus, true)]) {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if path.extension().is_some_and(|e| e == "mjml") && text.contains("inline=\"inline\"") {
                    files.push((path, official));
                }
            }
        }
        assert!(files.len() >= 3, "the repository's own templates with inline styles are found");
        for (path, official) in files {
            let dir = path.parent().unwrap();
            let compile = |force: bool| {
                FORCE_INLINER.with(|f| f.set(force));
                let html = compile_file(&path, "t.mjml", dir, &DiskReader, Limits::default()).html;
                FORCE_INLINER.with(|f| f.set(false));
                html
            };
            let (Some(spliced), Some(reference)) = (compile(false), compile(true)) else { continue };
            assert_eq!(styles_of(&spliced), styles_of(&reference), "{}", path.display());
            // The inliner writes the doctype in capitals; a document left as mrml wrote it keeps it.
            if official {
                assert!(spliced.starts_with("<!doctype html>"), "{} is read plainly", path.display());
            }
        }
    }

    #[test]
    fn only_the_styles_change() {
        let html =
            "<!doctype html><html><head></head><body><p class=\"a\">x<br />y</p><img src=\"a.png\" /></body></html>";
        let out = inline(html.to_owned(), &["p { color: red } .a { margin: 0 } img { border: 0 }".to_owned()]);
        assert_eq!(
            out,
            "<!doctype html><html><head></head><body><p class=\"a\" style=\"color: red;margin: 0;\">x<br />y</p><img src=\"a.png\" style=\"border: 0;\" /></body></html>"
        );
    }
}
