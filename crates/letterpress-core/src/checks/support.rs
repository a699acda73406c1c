//! The email-client support check: every HTML element, attribute and CSS feature the compiled
//! HTML uses, the popular mail clients that do not support it (from the caniemail data set),
//! and a support score per client.
//!
//! What MJML writes only for the clients that understand it is not checked: the content of
//! Outlook conditional comments (`<!--[if mso | IE]>…<![endif]-->`, comments to the parser) and
//! the `mso-` and vendor-prefixed CSS properties.

use std::collections::{BTreeMap, HashSet};

use cssparser::{ParseError, Parser, SourcePosition, Token};
use ego_tree::NodeId;
use scraper::{Html, Node};
use serde::{Serialize, Serializer};

use super::caniemail::{self, Client, Feature, Support};

/// How deep nested CSS blocks (`@media { a { … } }`, `calc((…))`) are looked into; deeper
/// blocks are skipped, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 24;

/// A feature the HTML uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub feature: &'static Feature,
    /// The node that uses it: the element, or for CSS in a `<style>` element that element (the
    /// doctype and comments for `html-doctype` and `html-comments`).
    pub node: NodeId,
    /// What was written: the tag or attribute name, the CSS property, `@media`,
    /// `prefers-color-scheme`, `:hover`, `!important`, `rem`, `rgba()`…
    pub needle: String,
}

/// Every feature of the caniemail data set the document uses, in document order; each
/// (node, feature, needle) once.
pub fn scan(doc: &Html) -> Vec<Found> {
    let mut out = Collector::default();
    for node in doc.tree.root().descendants() {
        let id = node.id();
        match node.value() {
            Node::Doctype(doctype) if doctype.name().eq_ignore_ascii_case("html") && doctype.public_id().is_empty() => {
                out.slug("html-doctype", id, "<!DOCTYPE html>");
            }
            Node::Comment(comment) if !is_conditional(comment) => out.slug("html-comments", id, "<!-- -->"),
            Node::Element(element) => {
                let name = element.name();
                out.add(caniemail::element(name), id, name);
                if let Some(kind) = element.attr("type") {
                    out.add(caniemail::typed_element(name, kind), id, &format!("{name} type=\"{kind}\""));
                }
                for (attr, value) in element.attrs() {
                    if attr.eq_ignore_ascii_case("style") {
                        Css { out: &mut out, node: id }.declarations(&mut Parser::new(value), 0);
                    } else {
                        out.add(caniemail::attribute(attr), id, attr);
                    }
                }
                match name {
                    "a" => {
                        let href = element.attr("href").unwrap_or_default().trim();
                        if href.starts_with('#') {
                            out.slug("html-anchor-links", id, "href=\"#\"");
                        } else if href.len() >= 7 && href[..7].eq_ignore_ascii_case("mailto:") {
                            out.slug("html-mailto-links", id, "href=\"mailto:\"");
                        }
                    }
                    "meta" if element.attr("name").is_some_and(|n| n.trim().eq_ignore_ascii_case("color-scheme")) => {
                        out.slug("html-meta-color-scheme", id, "<meta name=\"color-scheme\">");
                    }
                    "img" => image(&mut out, id, element.attr("src").unwrap_or_default()),
                    "style" => {
                        let css: String = node.children().filter_map(|c| c.value().as_text()).map(|t| &**t).collect();
                        Css { out: &mut out, node: id }.rules(&mut Parser::new(&css), 0, false);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out.found
}

/// Whether a comment is one of Outlook's conditional comments (or the end of a downlevel-revealed one).
fn is_conditional(comment: &str) -> bool {
    let text = comment.trim_start();
    text.starts_with("[if") || text.starts_with("<![endif]") || text.starts_with("[endif]")
}

/// The image format of an `<img src>`: a `data:` URL's type, or the path's extension.
fn image(out: &mut Collector, node: NodeId, src: &str) {
    let src = src.trim();
    if src.len() >= 5 && src[..5].eq_ignore_ascii_case("data:") {
        let header = src[5..].split(',').next().unwrap_or_default();
        if header.to_ascii_lowercase().ends_with(";base64") {
            out.slug("image-base64", node, "data:;base64");
        }
        if let Some(subtype) = header.split(';').next().and_then(|mime| mime.split_once('/')).map(|m| m.1) {
            let subtype = subtype.split('+').next().unwrap_or_default();
            out.add(caniemail::image_format(subtype), node, subtype);
        }
        return;
    }
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    if let Some((_, extension)) = file.rsplit_once('.') {
        out.add(caniemail::image_format(extension), node, extension);
    }
}

#[derive(Default)]
struct Collector {
    found: Vec<Found>,
    seen: HashSet<(NodeId, &'static str, String)>,
}

impl Collector {
    fn add(&mut self, feature: Option<&'static Feature>, node: NodeId, needle: &str) {
        let Some(feature) = feature else { return };
        if self.seen.insert((node, feature.slug.as_str(), needle.to_owned())) {
            self.found.push(Found { feature, node, needle: needle.to_owned() });
        }
    }

    fn slug(&mut self, slug: &str, node: NodeId, needle: &str) {
        self.add(caniemail::feature(slug), node, needle);
    }
}

/// A CSS walk over tokens: linear in the input, never descends deeper than [`MAX_DEPTH`].
struct Css<'c> {
    out: &'c mut Collector,
    node: NodeId,
}

type Nested = Result<(), ParseError<()>>;

/// The state of a selector being read: the compound selector (`table.wide`) and what precedes it.
#[derive(Default)]
struct Selector {
    /// Simple selectors (type, class, id, attribute, universal) in the current compound.
    simple: usize,
    start: Option<SourcePosition>,
    end: Option<SourcePosition>,
    /// Whitespace after a compound, which is a descendant combinator if another compound follows.
    space: bool,
    colons: u8,
    dot: bool,
}

impl Css<'_> {
    fn add(&mut self, feature: Option<&'static Feature>, needle: &str) {
        self.out.add(feature, self.node, needle);
    }

    fn slug(&mut self, slug: &str, needle: &str) {
        self.out.slug(slug, self.node, needle);
    }

    /// A list of rules: a style sheet, or the body of `@media`/`@supports`; in `@keyframes`
    /// (`keyframes`) the preludes are keyframe selectors, not selectors.
    fn rules(&mut self, p: &mut Parser<'_>, depth: usize, keyframes: bool) {
        let mut at: Option<String> = None;
        let mut selector = Selector::default();
        loop {
            let before = p.position();
            let token = match p.next_including_whitespace_and_comments() {
                Ok(token) => token.clone(),
                Err(_) => break,
            };
            match token {
                Token::Comment(_) => self.slug("css-comments", "/* */"),
                Token::Semicolon => {
                    at = None;
                    selector = Selector::default();
                }
                Token::CurlyBracketBlock => {
                    match at.take() {
                        Some(name)
                            if matches!(
                                name.as_str(),
                                "media" | "supports" | "document" | "container" | "layer" | "scope"
                            ) =>
                        {
                            self.nested(p, depth, |css, p, depth| css.rules(p, depth, false));
                        }
                        Some(name) if name.ends_with("keyframes") => {
                            self.nested(p, depth, |css, p, depth| css.rules(p, depth, true));
                        }
                        Some(_) => self.nested(p, depth, |css, p, depth| css.declarations(p, depth)),
                        None => {
                            if !keyframes {
                                self.end_compound(p, &mut selector);
                            }
                            self.nested(p, depth, |css, p, depth| css.declarations(p, depth));
                        }
                    }
                    selector = Selector::default();
                }
                Token::AtKeyword(ref name) if at.is_none() && selector.start.is_none() => {
                    let name = name.to_ascii_lowercase();
                    if !name.starts_with('-') {
                        self.add(caniemail::at_rule(&name), &format!("@{name}"));
                    }
                    at = Some(name);
                }
                Token::ParenthesisBlock if at.as_deref() == Some("media") => {
                    self.nested(p, depth, |css, p, depth| css.media_condition(p, depth));
                }
                _ if at.is_some() || keyframes => {}
                token => self.selector_token(p, &mut selector, token, before, depth),
            }
        }
    }

    /// Runs `inner` on the block just opened, if not too deep (else the block is skipped).
    fn nested(&mut self, p: &mut Parser<'_>, depth: usize, inner: impl FnOnce(&mut Self, &mut Parser<'_>, usize)) {
        if depth < MAX_DEPTH {
            let _ = p.parse_nested_block(|p| -> Nested {
                inner(self, p, depth + 1);
                Ok(())
            });
        }
    }

    /// Inside the parentheses of a media query: `prefers-color-scheme: dark`, `(a) and (b)`.
    fn media_condition(&mut self, p: &mut Parser<'_>, depth: usize) {
        let mut first = true;
        while let Ok(token) = p.next() {
            match token.clone() {
                Token::Ident(name) if first => {
                    let name = name.to_ascii_lowercase();
                    self.add(caniemail::media_feature(&name), &name);
                }
                Token::ParenthesisBlock => self.nested(p, depth, |css, p, depth| css.media_condition(p, depth)),
                _ => {}
            }
            first = false;
        }
    }

    fn end_compound(&mut self, p: &Parser<'_>, selector: &mut Selector) {
        if selector.simple >= 2
            && let (Some(start), Some(end)) = (selector.start, selector.end)
        {
            let text = p.slice(start..end).trim().to_owned();
            self.slug("css-selector-chaining", &text);
        }
        selector.simple = 0;
        selector.space = false;
        selector.colons = 0;
        selector.dot = false;
    }

    /// One token of a selector list.
    fn selector_token(
        &mut self,
        p: &mut Parser<'_>,
        s: &mut Selector,
        token: Token<'_>,
        before: SourcePosition,
        depth: usize,
    ) {
        match token {
            Token::WhiteSpace(_) => {
                if s.start.is_some() && s.colons == 0 && !s.dot {
                    s.space = true;
                }
                return;
            }
            Token::Comma => {
                self.end_compound(p, s);
                self.slug("css-selector-grouping", ",");
                s.start = None;
                return;
            }
            Token::Delim(c @ ('>' | '+' | '~')) => {
                self.end_compound(p, s);
                let slug = match c {
                    '>' => "css-selector-child",
                    '+' => "css-selector-adjacent-sibling",
                    _ => "css-selector-general-sibling",
                };
                self.slug(slug, &c.to_string());
                s.start = None;
                return;
            }
            _ => {}
        }
        if s.space {
            self.end_compound(p, s);
            self.slug("css-selector-descendant", " ");
            s.start = None;
        }
        if s.start.is_none() {
            s.start = Some(before);
        }
        let colons = std::mem::take(&mut s.colons);
        let dot = std::mem::take(&mut s.dot);
        match token {
            Token::Colon => s.colons = colons + 1,
            Token::Delim('.') => s.dot = true,
            Token::Ident(name) if colons > 0 => {
                let name = name.to_ascii_lowercase();
                if name.starts_with('-') {
                } else if colons == 1 && caniemail::pseudo_class(&name).is_some() {
                    self.add(caniemail::pseudo_class(&name), &format!(":{name}"));
                } else {
                    // `::before`, and the legacy single-colon `:before`.
                    self.add(caniemail::pseudo_element(&name), &format!("{}{name}", ":".repeat(colons.into())));
                }
            }
            Token::Function(name) if colons > 0 => {
                let name = name.to_ascii_lowercase();
                self.add(caniemail::pseudo_class(&name), &format!(":{name}()"));
            }
            Token::Ident(name) if dot => {
                s.simple += 1;
                self.slug("css-selector-class", &format!(".{name}"));
            }
            Token::Ident(name) => {
                s.simple += 1;
                self.slug("css-selector-type", &name.to_ascii_lowercase());
            }
            Token::IDHash(name) => {
                s.simple += 1;
                self.slug("css-selector-id", &format!("#{name}"));
            }
            Token::Delim('*') => {
                s.simple += 1;
                self.slug("css-selector-universal", "*");
            }
            Token::SquareBracketBlock => {
                s.simple += 1;
                let mut attr = String::new();
                if depth < MAX_DEPTH {
                    let _ = p.parse_nested_block(|p| -> Nested {
                        if let Ok(Token::Ident(name)) = p.next() {
                            attr = name.to_ascii_lowercase();
                        }
                        Ok(())
                    });
                }
                self.slug("css-selector-attribute", &format!("[{attr}]"));
            }
            _ => {}
        }
        s.end = Some(p.position());
    }

    /// A list of declarations: a rule's body or a `style` attribute.
    fn declarations(&mut self, p: &mut Parser<'_>, depth: usize) {
        enum State {
            Start,
            Name(String),
            /// The property's value; `None` for an ignored property (`mso-`, vendor-prefixed).
            Value {
                property: Option<String>,
                bang: bool,
            },
            Skip,
        }
        let mut state = State::Start;
        while let Ok(token) = p.next_including_whitespace_and_comments() {
            let token = token.clone();
            match token {
                Token::WhiteSpace(_) => continue,
                Token::Comment(_) => {
                    self.slug("css-comments", "/* */");
                    continue;
                }
                Token::Semicolon => {
                    state = State::Start;
                    continue;
                }
                Token::CurlyBracketBlock => {
                    // A rule nested in a rule.
                    self.slug("css-nesting", "{ { } }");
                    self.nested(p, depth, |css, p, depth| css.declarations(p, depth));
                    state = State::Start;
                    continue;
                }
                _ => {}
            }
            state = match (state, token) {
                (State::Start, Token::Ident(name)) => State::Name(name.to_ascii_lowercase()),
                (State::Name(name), Token::Colon) => {
                    let property = self.property(&name);
                    State::Value { property, bang: false }
                }
                (State::Value { property: Some(property), bang }, token) => match token {
                    Token::Delim('!') => State::Value { property: Some(property), bang: true },
                    Token::Ident(word) if bang && word.eq_ignore_ascii_case("important") => {
                        self.slug("css-important", "!important");
                        State::Value { property: Some(property), bang: false }
                    }
                    token => {
                        self.value(p, &property, token, depth);
                        State::Value { property: Some(property), bang: false }
                    }
                },
                (value @ State::Value { property: None, .. }, _) => value,
                _ => State::Skip,
            };
        }
    }

    /// A property's name; `None` if it is one not checked (`mso-`, vendor-prefixed).
    fn property(&mut self, name: &str) -> Option<String> {
        if name.starts_with("mso-") || (name.starts_with('-') && !name.starts_with("--")) {
            return None;
        }
        self.add(caniemail::property(name), name);
        Some(name.to_owned())
    }

    /// One token of a property's value.
    fn value(&mut self, p: &mut Parser<'_>, property: &str, token: Token<'_>, depth: usize) {
        match token {
            Token::Dimension { unit, .. } => {
                let unit = unit.to_ascii_lowercase();
                self.add(caniemail::unit(&unit), &unit);
            }
            Token::Percentage { .. } => self.add(caniemail::unit("%"), "%"),
            Token::Ident(word) => {
                let word = word.to_ascii_lowercase();
                self.add(caniemail::property_value(property, &word), &format!("{property}:{word}"));
                self.add(caniemail::value_keyword(&word), &word);
            }
            Token::Function(name) => {
                let name = name.to_ascii_lowercase();
                self.add(caniemail::function(&name), &format!("{name}()"));
                self.nested(p, depth, |css, p, depth| css.values(p, property, depth));
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock => {
                self.nested(p, depth, |css, p, depth| css.values(p, property, depth));
            }
            _ => {}
        }
    }

    fn values(&mut self, p: &mut Parser<'_>, property: &str, depth: usize) {
        while let Ok(token) = p.next() {
            let token = token.clone();
            self.value(p, property, token, depth);
        }
    }
}

/// The support check's result: a score per popular client and the features some of them lack.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The popular clients, in the order of [`caniemail::POPULAR`].
    pub clients: Vec<ClientScore>,
    /// The features used that at least one popular client does not support, or supports only
    /// partly: most unsupported first, then most partly supported, then by slug.
    pub features: Vec<FeatureReport>,
}

/// How well one client supports what the HTML uses.
#[derive(Debug, Clone, Serialize)]
pub struct ClientScore {
    pub client: &'static Client,
    /// `round(100 × (supported + partial / 2) / known)`, where `supported`, `partial` and
    /// `known` count the distinct features used that the client supports, supports partly, and
    /// has any known support for (supported, partial or not supported); features whose support
    /// is unknown or untested are not counted. 100 when no feature used has known support.
    pub score: u8,
    /// Slugs of the features used the client does not support, sorted.
    pub unsupported: Vec<&'static str>,
    /// Slugs of the features used the client supports partly, sorted.
    pub partial: Vec<&'static str>,
}

/// One feature used that some popular clients lack.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureReport {
    pub feature: &'static Feature,
    /// The popular clients that do not support it.
    pub unsupported: Vec<&'static Client>,
    /// The popular clients that support it partly, with caniemail's note.
    #[serde(serialize_with = "serialize_partial")]
    pub partial: Vec<(&'static Client, Option<String>)>,
    /// How many times it is used ([`Found`] entries).
    pub uses: usize,
}

fn serialize_partial<S: Serializer>(partial: &[(&'static Client, Option<String>)], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Partial<'a> {
        id: &'a str,
        name: &'a str,
        note: Option<&'a str>,
    }
    s.collect_seq(partial.iter().map(|(client, note)| Partial {
        id: &client.id,
        name: &client.name,
        note: note.as_deref(),
    }))
}

/// Scores the popular clients on what `found` uses; see [`ClientScore::score`].
pub fn report(found: &[Found]) -> Report {
    let mut uses: BTreeMap<&'static str, (&'static Feature, usize)> = BTreeMap::new();
    for f in found {
        uses.entry(f.feature.slug.as_str()).or_insert((f.feature, 0)).1 += 1;
    }
    let popular = caniemail::popular();

    let clients = popular
        .iter()
        .map(|&client| {
            let (mut supported, mut known) = (0usize, 0usize);
            let (mut unsupported, mut partial) = (Vec::new(), Vec::new());
            for (&slug, (feature, _)) in &uses {
                match feature.support(client) {
                    Support::Yes => {
                        supported += 2;
                        known += 1;
                    }
                    Support::Partial(_) => {
                        supported += 1;
                        known += 1;
                        partial.push(slug);
                    }
                    Support::No => {
                        known += 1;
                        unsupported.push(slug);
                    }
                    Support::Unknown => {}
                }
            }
            ClientScore { client, score: score(supported, known), unsupported, partial }
        })
        .collect();

    let mut features: Vec<FeatureReport> = uses
        .values()
        .filter_map(|&(feature, uses)| {
            let mut unsupported = Vec::new();
            let mut partial = Vec::new();
            for &client in popular {
                match feature.support(client) {
                    Support::No => unsupported.push(client),
                    Support::Partial(note) => partial.push((client, note)),
                    Support::Yes | Support::Unknown => {}
                }
            }
            (!unsupported.is_empty() || !partial.is_empty()).then_some(FeatureReport {
                feature,
                unsupported,
                partial,
                uses,
            })
        })
        .collect();
    features.sort_by(|a, b| {
        b.unsupported
            .len()
            .cmp(&a.unsupported.len())
            .then(b.partial.len().cmp(&a.partial.len()))
            .then_with(|| a.feature.slug.cmp(&b.feature.slug))
    });
    Report { clients, features }
}

/// `round(100 × half_points / (2 × known))`, half up; 100 when nothing is known.
fn score(half_points: usize, known: usize) -> u8 {
    if known == 0 {
        return 100;
    }
    let score = (100 * half_points + known) / (2 * known);
    u8::try_from(score.min(100)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn found(html: &str) -> Vec<Found> {
        scan(&Html::parse_document(html))
    }

    fn slugs(found: &[Found]) -> Vec<&'static str> {
        let mut slugs: Vec<&str> = found.iter().map(|f| f.feature.slug.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        slugs
    }

    fn has(found: &[Found], slug: &str, needle: &str) -> bool {
        found.iter().any(|f| f.feature.slug == slug && f.needle == needle)
    }

    #[test]
    fn the_slugs_the_scan_names_are_in_the_snapshot() {
        for slug in [
            "html-doctype",
            "html-comments",
            "html-anchor-links",
            "html-mailto-links",
            "html-meta-color-scheme",
            "image-base64",
            "css-comments",
            "css-important",
            "css-nesting",
            "css-selector-chaining",
            "css-selector-grouping",
            "css-selector-child",
            "css-selector-adjacent-sibling",
            "css-selector-general-sibling",
            "css-selector-descendant",
            "css-selector-class",
            "css-selector-type",
            "css-selector-id",
            "css-selector-universal",
            "css-selector-attribute",
        ] {
            assert!(caniemail::feature(slug).is_some(), "{slug}");
        }
    }

    #[test]
    fn conditional_comment_content_is_not_checked() {
        let html = r#"<!doctype html><html><head>
            <!--[if mso]><style>.x { border-radius: 4px; } a:hover { color: red !important; }</style><![endif]-->
            </head><body>
            <!--[if mso | IE]><table role="presentation" style="border-radius:4px"><tr><td><![endif]-->
            <p>Hello</p>
            <!--[if mso | IE]></td></tr></table><![endif]-->
            </body></html>"#;
        let found = found(html);
        let slugs = slugs(&found);
        for absent in
            ["css-border-radius", "html-role", "html-table", "html-style", "css-pseudo-class-hover", "css-important"]
        {
            assert!(!slugs.contains(&absent), "{absent} in {slugs:?}");
        }
        assert!(slugs.contains(&"html-p"), "{slugs:?}");
        assert!(!slugs.contains(&"html-comments"), "conditional comments are not HTML comments: {slugs:?}");
    }

    #[test]
    fn downlevel_revealed_content_is_checked() {
        let html = r#"<html><head><!--[if !mso]><!--><style>@import url(https://fonts.example/x.css);</style><!--<![endif]--></head><body></body></html>"#;
        let found = found(html);
        assert!(has(&found, "css-at-import", "@import"), "{:?}", slugs(&found));
    }

    #[test]
    fn mso_and_vendor_properties_are_not_checked() {
        let html = r#"<p style="mso-line-height-rule:exactly; mso-padding-alt:0 10px !important; -webkit-text-size-adjust:100%; -ms-text-size-adjust:100%">x</p>"#;
        let found = found(html);
        assert!(found.iter().all(|f| !f.feature.slug.starts_with("css-")), "{:?}", slugs(&found));
        let style = "<style>td { mso-table-lspace: 0pt; -ms-interpolation-mode: bicubic; }</style>";
        let found = self::found(style);
        assert!(found.iter().all(|f| !f.needle.contains("mso") && !f.needle.starts_with('-')), "{found:?}");
    }

    #[test]
    fn border_radius_inline_is_reported_for_outlook_on_windows() {
        let doc = Html::parse_document(r#"<div style="border-radius: 4px; padding-top: 2px">x</div>"#);
        let found = scan(&doc);
        let div = doc.select(&scraper::Selector::parse("div").unwrap()).next().unwrap().id();
        let radius = found.iter().find(|f| f.needle == "border-radius").expect("border-radius found");
        assert_eq!(radius.feature.slug, "css-border-radius");
        assert_eq!(radius.node, div);
        assert!(has(&found, "css-padding", "padding-top"));
        assert!(has(&found, "css-unit-px", "px"));

        let report = report(&found);
        let outlook = caniemail::client("outlook-windows").unwrap();
        let entry = report.features.iter().find(|f| f.feature.slug == "css-border-radius").expect("in the report");
        // Consistent with the data for every popular client…
        for &client in caniemail::popular() {
            let support = radius.feature.support(client);
            assert_eq!(entry.unsupported.contains(&client), support == Support::No, "{}", client.id);
            assert_eq!(
                entry.partial.iter().any(|(c, _)| *c == client),
                matches!(support, Support::Partial(_)),
                "{}",
                client.id
            );
        }
        // …and caniemail says Outlook for Windows has no border-radius.
        assert!(entry.unsupported.contains(&outlook));
        let score = report.clients.iter().find(|c| c.client == outlook).unwrap();
        assert!(score.unsupported.contains(&"css-border-radius"));
        assert!(score.score < 100);
        assert_eq!(entry.uses, 1);
    }

    #[test]
    fn style_element_media_query_and_selectors() {
        let doc = Html::parse_document(
            r#"<html><head><style type="text/css">
            /* dark */
            @media (prefers-color-scheme: dark) { .dark-bg { background-color: #000 !important; } }
            @media only screen and (max-width:480px) { table.mj-full-width-mobile { width: 100% !important; } }
            [owa] .mj-column-per-100 { width: 100%; }
            a:hover, div > p + p ~ span::before { color: rgba(0,0,0,.5); font-size: 1.2rem }
            #outlook a { padding: 0; }
            </style></head><body></body></html>"#,
        );
        let style = doc.select(&scraper::Selector::parse("style").unwrap()).next().unwrap().id();
        let found = scan(&doc);
        for (slug, needle) in [
            ("css-at-media", "@media"),
            ("css-at-media-prefers-color-scheme", "prefers-color-scheme"),
            ("css-important", "!important"),
            ("css-comments", "/* */"),
            ("css-background-color", "background-color"),
            ("css-pseudo-class-hover", ":hover"),
            ("css-pseudo-element-before", "::before"),
            ("css-selector-class", ".dark-bg"),
            ("css-selector-chaining", "table.mj-full-width-mobile"),
            ("css-selector-attribute", "[owa]"),
            ("css-selector-descendant", " "),
            ("css-selector-grouping", ","),
            ("css-selector-child", ">"),
            ("css-selector-adjacent-sibling", "+"),
            ("css-selector-general-sibling", "~"),
            ("css-selector-id", "#outlook"),
            ("css-selector-type", "a"),
            ("css-rgba", "rgba()"),
            ("css-unit-rem", "rem"),
            ("css-unit-percent", "%"),
            ("html-style", "style"),
        ] {
            assert!(has(&found, slug, needle), "{slug} {needle:?} not in {found:#?}");
        }
        assert!(found.iter().filter(|f| f.feature.slug.starts_with("css-")).all(|f| f.node == style));
        assert!(!slugs(&found).contains(&"css-at-media-hover"));
        // `.dark-bg` is one class, not a chain; `div > p` are not chains either.
        assert!(found.iter().filter(|f| f.feature.slug == "css-selector-chaining").count() == 1, "{found:#?}");
    }

    #[test]
    fn html_features() {
        let found = found(
            r##"<!DOCTYPE html><html lang="en" dir="ltr"><head><meta name="color-scheme" content="light dark"></head>
            <body><!-- note --><a href="#top">top</a><a href="MAILTO:a@example.com">mail</a>
            <img src="logo.PNG?v=2" srcset="a.png 2x"><img src="data:image/webp;base64,AAAA">
            <ul><li>x</li></ul><input type="checkbox"></body></html>"##,
        );
        for (slug, needle) in [
            ("html-doctype", "<!DOCTYPE html>"),
            ("html-lang", "lang"),
            ("html-dir", "dir"),
            ("html-meta-color-scheme", "<meta name=\"color-scheme\">"),
            ("html-comments", "<!-- -->"),
            ("html-anchor-links", "href=\"#\""),
            ("html-mailto-links", "href=\"mailto:\""),
            ("image-png", "PNG"),
            ("html-srcset", "srcset"),
            ("image-base64", "data:;base64"),
            ("image-webp", "webp"),
            ("html-lists", "ul"),
            ("html-lists", "li"),
            ("html-input-checkbox", "input type=\"checkbox\""),
            ("html-body", "body"),
        ] {
            assert!(has(&found, slug, needle), "{slug} {needle:?} not in {:?}", slugs(&found));
        }
    }

    #[test]
    fn the_score_counts_partial_as_half_and_unknown_not_at_all() {
        assert_eq!(score(0, 0), 100);
        assert_eq!(score(2, 1), 100);
        assert_eq!(score(0, 3), 0);
        assert_eq!(score(1, 1), 50);
        assert_eq!(score(5, 3), 83);
        assert_eq!(score(1, 3), 17);

        // One feature of each kind of support for Outlook on Windows, from the data.
        let client = caniemail::client("outlook-windows").unwrap();
        let pick = |wanted: fn(&Support) -> bool| {
            caniemail::features().iter().find(|f| wanted(&f.support(client))).expect("a feature with that support")
        };
        let yes = pick(|s| *s == Support::Yes);
        let partial = pick(|s| matches!(s, Support::Partial(_)));
        let no = pick(|s| *s == Support::No);
        let unknown = pick(|s| *s == Support::Unknown);
        let doc = Html::parse_document("<p>x</p>");
        let node = doc.root_element().id();
        let found: Vec<Found> = [yes, partial, no, unknown, yes]
            .iter()
            .map(|&feature| Found { feature, node, needle: feature.slug.clone() })
            .collect();
        let report = report(&found);
        let score = report.clients.iter().find(|c| c.client == client).unwrap();
        // (1 + ½ + 0) / 3 known features = 50 %.
        assert_eq!(score.score, 50);
        assert_eq!(score.unsupported, vec![no.slug.as_str()]);
        assert_eq!(score.partial, vec![partial.slug.as_str()]);
        assert_eq!(report.clients.len(), caniemail::POPULAR.len());
        assert!(report.features.iter().all(|f| !f.unsupported.is_empty() || !f.partial.is_empty()));
        assert!(report.features.iter().any(|f| f.feature == no));
        assert!(report.features.iter().all(|f| f.feature != yes || f.uses == 2));
        // Sorted: most unsupported first.
        assert!(report.features.windows(2).all(|w| w[0].unsupported.len() >= w[1].unsupported.len()));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["clients"][0]["client"]["id"], caniemail::POPULAR[0]);
        assert!(json["features"][0]["feature"]["url"].as_str().unwrap().starts_with("https://"));
    }

    #[test]
    fn hostile_css_is_scanned_in_linear_time_without_panicking() {
        let mut css = String::new();
        while css.len() < 1 << 20 {
            css.push_str(".a:hover { border-radius: calc((1px + 2em)) !important; } @media (prefers-color-scheme: dark) { p { color: red } }\n");
        }
        let nested = format!("{}{}", "{(".repeat(200_000), "a");
        let cases = [
            css.clone(),
            nested.clone(),
            "}".repeat(1 << 20),
            format!("a {{ color: red; /* unterminated {}", "x".repeat(1 << 20)),
            format!("a {{ content: \"unterminated {}", "x".repeat(1 << 20)),
            format!("@media {}", "(".repeat(1 << 20)),
            "a{b:c".repeat(200_000),
            "@media x { a { b: c".repeat(100_000),
        ];
        for case in &cases {
            let started = Instant::now();
            let found = found(&format!("<style>{case}</style><p style=\"{}\">x</p>", case.replace('"', "")));
            assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
            let _ = report(&found);
        }
        let found = found(&format!("<style>{css}</style>"));
        assert!(has(&found, "css-at-media-prefers-color-scheme", "prefers-color-scheme"));
        assert!(has(&found, "css-unit-calc", "calc()"));
        assert!(has(&found, "css-unit-em", "em"));
        // Each (node, feature, needle) once.
        assert!(found.len() < 40, "{}", found.len());
    }
}
