//! Workarounds that make mrml's output match the reference `mjml` compiler.
//!
//! [`prepare`] rewrites the document before mrml parses it and remembers how offsets moved, so
//! diagnostics still point at the user's text; [`Prepared::repair`] fixes what can only be fixed
//! in the HTML mrml writes. Each workaround names the mrml behaviour it covers, so it can go when
//! mrml is fixed:
//!
//! - mrml parses the HTML inside `mj-text`, `mj-button`, `mj-raw` and the other ending tags and
//!   writes it back out, with attribute values in Rust debug notation (`\n`, `\"`, `\\`), failing
//!   on unquoted values and panicking on some multi-byte text. The reference compiler copies that
//!   HTML verbatim. So the content is swapped for a marker before mrml runs and put back after.
//! - mrml writes the attribute values of `mj-*` tags in debug notation too; values that would be
//!   escaped are written with character references instead, which mean the same to a browser.
//! - mrml keeps the last of two duplicate attributes; the reference keeps the first.
//! - mrml gives an image without `alt` no `alt` at all; the reference writes `alt=""`.
//! - mrml computes widths in `f32`; the reference in `f64` and floors the box widths it hands
//!   down. See [`widths`].
//! - mrml rejects `mj-html-attributes`; it is taken out before mrml runs and applied to the HTML
//!   after. See [`html_attributes`].
//! - mrml decides which web fonts to import from component attributes only; the reference looks
//!   at the HTML it wrote, raw content included. See [`fonts`].

mod fonts;
mod html_attributes;
mod widths;

use std::collections::HashSet;
use std::ops::Range;

use crate::markup::{self, StartTag};

/// The document as handed to mrml, with a way back to the offsets of the original and what
/// [`Prepared::repair`] needs to finish the job.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: String,
    /// Every rewritten region, in increasing order and never overlapping.
    edits: Vec<Edit>,
    /// Ending-tag content set aside, and the marker that stands in for it.
    raw: RawContent,
    html_attributes: Vec<html_attributes::Rule>,
    /// `mj-font` declarations, in document order: `(name, href)`.
    fonts: Vec<(String, String)>,
    /// The content of `mj-style inline="inline"`, which the reference also searches for fonts.
    inline_styles: Vec<String>,
    widths: widths::Widths,
    /// The `role` of each `mj-table` of the body, in document order.
    table_roles: Vec<Option<String>>,
    /// For each `mj-hero` of the body in document order, the background ratio (in percent) when
    /// its mode is `fluid-height`.
    fluid_heroes: Vec<Option<i64>>,
    /// Problems found while preparing, as `(start, end, message)` in offsets of the original.
    pub warnings: Vec<(usize, usize, String)>,
}

#[derive(Debug, Clone)]
struct Edit {
    prepared: Range<usize>,
    original: Range<usize>,
}

impl Prepared {
    /// The offset in the original document of an offset in the prepared one. An offset inside
    /// rewritten text maps into the text it replaced.
    pub fn original_offset(&self, offset: usize) -> usize {
        let i = self.edits.partition_point(|edit| edit.prepared.start <= offset);
        let Some(edit) = i.checked_sub(1).map(|i| &self.edits[i]) else {
            return offset;
        };
        if offset < edit.prepared.end {
            edit.original.start + (offset - edit.prepared.start).min(edit.original.len())
        } else {
            edit.original.end + (offset - edit.prepared.end)
        }
    }

    /// Repairs mrml's HTML where it differs from `mjml`'s.
    pub fn repair(&self, html: String) -> String {
        // These look at what mrml wrote itself, so they run before the raw content is back.
        let html = repair_start_tags(&html, &self.table_roles);
        let html = self.widths.repair(&html);
        let html = repair_fluid_heroes(&html, &self.fluid_heroes);
        let html = self.raw.restore(&html);
        let html = html_attributes::apply(&self.html_attributes, html);
        let html = fonts::repair(&html, &self.fonts, &self.inline_styles);
        let html = inline_styles(html, &self.inline_styles);
        let html = add_body_word_spacing(html);
        let html = carousel_media_query(html);
        merge_outlook_conditionals(&html)
    }
}

/// Rewrites `text` so that mrml parses it the way `mjml` would.
pub fn prepare(text: &str) -> Prepared {
    let mut writer = Rewriter { source: text, out: String::with_capacity(text.len()), copied: 0, edits: Vec::new() };
    let mut raw = RawContent::new(text);
    let mut html_attribute_rules = Vec::new();
    let mut fonts = Vec::new();
    let mut inline_styles = Vec::new();
    let mut widths = widths::Widths::default();
    let mut warnings = Vec::new();
    let mut table_roles = Vec::new();
    let mut fluid_heroes = Vec::new();
    let head =
        text.find("<mj-head").map(|start| start..text[start..].find("</mj-head").map_or(text.len(), |e| start + e));

    let attribute_blocks: Vec<Range<usize>> = text
        .match_indices("<mj-attributes")
        .map(|(start, _)| start..text[start..].find("</mj-attributes").map_or(text.len(), |e| start + e))
        .collect();

    markup::for_each_start_tag(text, |tag| {
        let name = tag.name.to_ascii_lowercase();
        if !(name.starts_with("mj-") || name == "mjml") {
            return tag.end;
        }
        if name == "mj-html-attributes" {
            let end = if tag.self_closing {
                tag.end
            } else {
                markup::find_close(text, tag.end, tag.name).map_or(text.len(), |close| markup::close_end(text, close))
            };
            let block = html_attributes::parse(text, tag.start, end);
            html_attribute_rules.extend(block.rules);
            warnings.extend(block.warnings);
            // mrml does not know the element; the rules are applied to its output instead.
            writer.replace(tag.start..end, "");
            return end;
        }
        // Children of `mj-attributes` name the element whose defaults they set, so only elements
        // outside it can be unknown.
        let in_attributes = attribute_blocks.iter().any(|block| block.contains(&tag.start));
        if !in_attributes && !super::validate::schema().elements.contains_key(name.as_str()) {
            // The reference compiler renders nothing for an element it does not know, children
            // included, while mrml keeps the children and copies a childless tag as it is.
            let end = if tag.self_closing {
                tag.end
            } else {
                markup::find_close(text, tag.end, tag.name).map_or(tag.end, |close| markup::close_end(text, close))
            };
            writer.replace(tag.start..end, "");
            return end;
        }
        let sized = matches!(name.as_str(), "mj-column" | "mj-group");
        write_attributes(&mut writer, tag, sized.then_some(&mut widths));
        // Buttons in `mj-attributes` set defaults; only those of the body are rendered.
        if name == "mj-button" && !head.as_ref().is_some_and(|head| head.contains(&tag.start)) {
            widths.button(tag);
        }
        if name == "mj-table" && !head.as_ref().is_some_and(|head| head.contains(&tag.start)) {
            table_roles.push(tag.value("role").map(str::to_owned));
        }
        if name == "mj-hero" && !head.as_ref().is_some_and(|head| head.contains(&tag.start)) {
            // The reference's `Math.round(parseInt(height) / parseInt(width) * 100)`.
            let number = |name: &str| {
                tag.value(name).and_then(|v| {
                    let digits: String = v.trim().chars().take_while(|c| c.is_ascii_digit()).collect();
                    digits.parse::<f64>().ok()
                })
            };
            let ratio = match (tag.value("mode"), number("background-height"), number("background-width")) {
                (Some("fluid-height"), Some(height), Some(width)) if width > 0.0 => {
                    Some((height / width * 100.0).round() as i64)
                }
                _ => None,
            };
            fluid_heroes.push(ratio);
        }
        if name == "mj-font"
            && let (Some(font), Some(href)) = (tag.value("name"), tag.value("href"))
        {
            fonts.push((font.to_owned(), href.to_owned()));
        }
        if tag.self_closing {
            return tag.end;
        }
        let Some(kind) = ending_kind(&name) else {
            return tag.end;
        };
        let Some(close) = markup::find_close(text, tag.end, tag.name) else {
            return tag.end;
        };
        let content = &text[tag.end..close];
        match kind {
            Ending::Raw if !content.trim().is_empty() => {
                let marker = raw.set_aside(content.trim());
                writer.replace(tag.end..close, &marker);
            }
            Ending::Ignored if !content.trim().is_empty() => writer.replace(tag.end..close, ""),
            Ending::Text if name == "mj-style" && tag.value("inline") == Some("inline") => {
                // Inlined after the raw content is back, so it reaches that content too.
                inline_styles.push(content.to_owned());
                let end = markup::close_end(text, close);
                writer.replace(tag.start..end, "");
                return end;
            }
            _ => {}
        }
        close
    });

    let (text, edits) = writer.finish();
    Prepared {
        text,
        edits,
        raw,
        html_attributes: html_attribute_rules,
        fonts,
        inline_styles,
        widths,
        table_roles,
        fluid_heroes,
        warnings,
    }
}

/// The close tags that end every MJML element still open at the end of `text`, innermost first,
/// or `None` when every element is closed. The reference compiler's parser closes what is left
/// open at the end of the document; mrml stops with an error instead.
pub fn missing_close_tags(text: &str) -> Option<String> {
    let mut open: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(found) = text.get(at..).and_then(|rest| rest.find('<')) {
        let start = at + found;
        let rest = &text[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(text.len(), |e| start + 4 + e + 3);
            continue;
        }
        if let Some(closing) = rest.strip_prefix("</") {
            let name_len = closing.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(closing.len());
            let name = &closing[..name_len];
            if let Some(index) = open.iter().rposition(|open| open.eq_ignore_ascii_case(name)) {
                open.truncate(index);
            }
            at = markup::close_end(text, start);
            continue;
        }
        let Some(tag) = markup::start_tag(text, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        let name = tag.name.to_ascii_lowercase();
        if tag.self_closing || !(name == "mjml" || name.starts_with("mj-")) {
            continue;
        }
        if ending_kind(&name).is_some() {
            match markup::find_close(text, tag.end, tag.name) {
                Some(close) => at = markup::close_end(text, close),
                None => {
                    open.push(tag.name);
                    break;
                }
            }
            continue;
        }
        open.push(tag.name);
    }
    (!open.is_empty()).then(|| open.iter().rev().map(|name| format!("</{name}>")).collect())
}

/// How the reference compiler treats the content of an element it reads verbatim.
enum Ending {
    /// HTML copied to the output as written.
    Raw,
    /// Text mrml reads verbatim too (styles, the title, the preview).
    Text,
    /// Content the reference ignores.
    Ignored,
}

fn ending_kind(name: &str) -> Option<Ending> {
    match name {
        "mj-text" | "mj-button" | "mj-raw" | "mj-table" | "mj-navbar-link" | "mj-accordion-title"
        | "mj-accordion-text" | "mj-social-element" => Some(Ending::Raw),
        "mj-style" | "mj-title" | "mj-preview" | "mj-breakpoint" => Some(Ending::Text),
        "mj-carousel-image" => Some(Ending::Ignored),
        _ => None,
    }
}

/// Builds the prepared text from the original, recording each replaced region.
struct Rewriter<'a> {
    source: &'a str,
    out: String,
    copied: usize,
    edits: Vec<Edit>,
}

impl Rewriter<'_> {
    /// Replaces `range` of the source, which must not start before anything already replaced.
    fn replace(&mut self, range: Range<usize>, with: &str) {
        if range.start < self.copied || range.end < range.start {
            // Regions are visited in order, so this cannot happen; skipping keeps offsets sound.
            return;
        }
        self.out.push_str(&self.source[self.copied..range.start]);
        let start = self.out.len();
        self.out.push_str(with);
        self.edits.push(Edit { prepared: start..self.out.len(), original: range.clone() });
        self.copied = range.end;
    }

    fn finish(mut self) -> (String, Vec<Edit>) {
        self.out.push_str(&self.source[self.copied..]);
        (self.out, self.edits)
    }
}

/// Rewrites the attributes of an `mj-*` tag that mrml would get wrong.
///
/// mrml stores attributes in a map, so a later duplicate overwrites the first; the reference's
/// parser keeps the first. mrml writes values with Rust's debug formatting, so a value holding
/// `"`, `\`, a line break, a tab or an invisible character comes out as `\"`, `\\`, `\n` or
/// `\u{200b}`, which breaks the surrounding style or text. mrml also refuses unquoted values.
///
/// `widths` is given for elements whose `width` mrml computes with; see [`widths`].
fn write_attributes(writer: &mut Rewriter<'_>, tag: &StartTag<'_>, mut widths: Option<&mut widths::Widths>) {
    let mut seen = HashSet::new();
    for attribute in &tag.attributes {
        if !seen.insert(attribute.name) {
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
fn encode_value(name: &str, value: &str) -> String {
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
    out
}

/// Whether Rust's debug formatting of a string escapes `c`.
fn is_debug_escaped(c: char) -> bool {
    c != '\'' && c.escape_debug().len() > 1
}

/// Ending-tag content kept out of mrml's reach and put back into its output.
#[derive(Debug, Clone)]
struct RawContent {
    /// A prefix that occurs nowhere in the document, so markers cannot be confused with text.
    prefix: String,
    contents: Vec<String>,
}

impl RawContent {
    fn new(text: &str) -> Self {
        let prefix =
            (0u64..).map(|n| format!("lpraw{n}x")).find(|prefix| !text.contains(prefix.as_str())).unwrap_or_default();
        RawContent { prefix, contents: Vec::new() }
    }

    /// Stores `content` and returns the marker that stands in for it.
    fn set_aside(&mut self, content: &str) -> String {
        self.contents.push(content.to_owned());
        format!("{}{}z", self.prefix, self.contents.len() - 1)
    }

    /// Puts every stored content back where mrml wrote its marker.
    fn restore(&self, html: &str) -> String {
        if self.contents.is_empty() {
            return html.to_owned();
        }
        let mut out = String::with_capacity(html.len() + self.contents.iter().map(String::len).sum::<usize>());
        let mut rest = html;
        while let Some(found) = rest.find(self.prefix.as_str()) {
            out.push_str(&rest[..found]);
            let after = &rest[found + self.prefix.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let content = after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|_| after.as_bytes().get(digits) == Some(&b'z'))
                .and_then(|index| self.contents.get(index));
            match content {
                Some(content) => {
                    out.push_str(content);
                    rest = &after[digits + 1..];
                }
                None => {
                    out.push_str(&self.prefix);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The repairs of single start tags that mrml wrote, in one pass over its HTML: the `alt` of
/// images, the widths of images and their cells (see [`widths::floored_width`]), and `mj-table`'s
/// tables (see [`rebuilt_table`]). Raw content is not back yet, so only mrml's own tags are seen.
fn repair_start_tags(html: &str, table_roles: &[Option<String>]) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    let mut roles = table_roles.iter();
    markup::for_each_start_tag(html, |tag| {
        // The reference gives `mj-image`, `mj-carousel-image` and the icons of
        // `mj-social-element` an empty `alt` where none is set; mrml gives them none.
        if tag.name.eq_ignore_ascii_case("img") && tag.attribute("alt").is_none() {
            let at = tag.start + "<img".len();
            out.push_str(&html[copied..at]);
            out.push_str(" alt=\"\"");
            copied = at;
        }
        if let Some((range, floored)) = widths::floored_width(tag) {
            out.push_str(&html[copied..range.start]);
            out.push_str(&floored);
            copied = range.end;
        }
        if let Some(rebuilt) = rebuilt_table(tag, &mut roles) {
            out.push_str(&html[copied..tag.start]);
            out.push_str(&rebuilt);
            copied = tag.end;
        }
        tag.end
    });
    out.push_str(&html[copied..]);
    out
}

/// Makes mrml's `mj-table` tables match the reference's, which mrml 6.0.1 writes differently:
/// it adds `border-collapse:separate` whenever a border is set (the reference: only when
/// `cellspacing` is above zero), writes the `width` attribute as given (`300px`; the reference
/// writes pixels as a bare number), and drops `role`, which `roles` gives for each table in
/// document order. mrml's own tables are the ones without a `role` whose style starts with the
/// table's `color`; raw content is not back yet, so a table the user wrote cannot be mistaken for
/// one. `None` for any other tag.
fn rebuilt_table<'a>(tag: &StartTag<'_>, roles: &mut impl Iterator<Item = &'a Option<String>>) -> Option<String> {
    let is_mj_table = tag.name == "table"
        && tag.value("border") == Some("0")
        && tag.attribute("role").is_none()
        && tag.value("style").is_some_and(|style| style.starts_with("color:"));
    if !is_mj_table {
        return None;
    }
    let role = roles.next().cloned().flatten();
    let cellspacing = tag.value("cellspacing").unwrap_or("0");
    let spaced = cellspacing
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect::<String>()
        .parse::<f64>()
        .is_ok_and(|n| n > 0.0);
    let mut rebuilt = String::from("<table");
    for attribute in &tag.attributes {
        let Some(value) = &attribute.value else {
            rebuilt.push_str(&format!(" {}", attribute.name));
            continue;
        };
        let text = match attribute.name {
            "width" if value.text.ends_with("px") => value.text.trim_end_matches("px").to_owned(),
            "style" => {
                let style = value.text.replace("border-collapse:separate;", "");
                if spaced { format!("{style}border-collapse:separate;") } else { style }
            }
            _ => value.text.to_owned(),
        };
        rebuilt.push_str(&format!(" {}=\"{}\"", attribute.name, text));
        if attribute.name == "cellspacing"
            && let Some(role) = &role
        {
            rebuilt.push_str(&format!(" role=\"{role}\""));
        }
    }
    rebuilt.push('>');
    Some(rebuilt)
}

/// Renders `mj-hero mode="fluid-height"` as the reference does. mrml 6.0.1 renders it as a fixed
/// height hero of `height` (0) minus its padding, so the cell gets `height="-40"`; the reference
/// leaves the height to the content and puts a cell on each side whose bottom padding keeps the
/// background's proportions. Raw content is not back yet, so every `mj-hero-content` is mrml's.
fn repair_fluid_heroes(html: &str, heroes: &[Option<i64>]) -> String {
    const CONTENT: &str = "<div class=\"mj-hero-content\"";
    if !heroes.iter().any(Option::is_some) {
        return html.to_owned();
    }
    // (offset, text to insert) and (range, replacement) edits, applied in order at the end.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for ((content, _), ratio) in html.match_indices(CONTENT).zip(heroes) {
        let Some(ratio) = ratio else { continue };
        // The content cell is the last `<td` before the Outlook comment that precedes the div.
        let before = &html[..content];
        let comment = before.rfind("<!--[if mso | IE]>").unwrap_or(content);
        let Some(cell) = html[..comment].rfind("<td") else { continue };
        let Some(cell_len) = html[cell..].find('>') else { continue };
        let open = &html[cell..=cell + cell_len];
        let mut fixed = String::with_capacity(open.len());
        let mut rest = open;
        // Drop the `height` attribute and the `height:` declaration mrml wrote.
        while let Some(at) = rest.find(" height=\"") {
            fixed.push_str(&rest[..at]);
            let value_end = rest[at + 9..].find('"').map_or(rest.len(), |e| at + 9 + e + 1);
            rest = &rest[value_end..];
        }
        fixed.push_str(rest);
        if let Some(at) = fixed.find(";height:") {
            let end = fixed[at + 1..].find(';').map_or(fixed.len(), |e| at + 1 + e);
            fixed.replace_range(at..end, "");
        }
        let magic = format!("<td style=\"width:0.01%;padding-bottom:{ratio}%;mso-padding-bottom-alt:0;\" />");
        edits.push((cell, cell + open.len(), format!("{magic}{fixed}")));
        // The content cell's own `</td>`: the first one that closes it, counting nested cells.
        let mut depth = 0usize;
        let mut at = cell + open.len();
        let close = loop {
            let next_open = html[at..].find("<td").map(|i| at + i);
            let next_close = html[at..].find("</td>").map(|i| at + i);
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    at = o + 3;
                }
                (_, Some(c)) if depth == 0 => break Some(c),
                (_, Some(c)) => {
                    depth -= 1;
                    at = c + 5;
                }
                _ => break None,
            }
        };
        if let Some(close) = close {
            edits.push((close + "</td>".len(), close + "</td>".len(), magic));
        }
    }
    edits.sort_by_key(|&(start, ..)| start);
    let mut out = String::with_capacity(html.len() + edits.len() * 80);
    let mut copied = 0;
    for (start, end, text) in edits {
        if start < copied {
            continue;
        }
        out.push_str(&html[copied..start]);
        out.push_str(&text);
        copied = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// Applies `mj-style inline="inline"` to the finished HTML, with the inliner and the options mrml
/// uses. mrml inlines before the raw content is back, which would leave that content unstyled,
/// so those styles are kept from mrml and applied here instead.
fn inline_styles(html: String, styles: &[String]) -> String {
    if styles.is_empty() {
        return html;
    }
    let inliner = css_inline::CSSInliner::options()
        .inline_style_tags(false)
        .keep_link_tags(true)
        .keep_style_tags(true)
        .load_remote_stylesheets(false)
        .extra_css(Some(std::borrow::Cow::Owned(styles.concat())))
        .build();
    inliner.inline(&html).unwrap_or(html)
}

/// The reference writes `word-spacing:normal` on the wrapper `div` as well as on `body`.
fn add_body_word_spacing(html: String) -> String {
    const WRAPPER: &str = "<div aria-roledescription=\"email\"";
    let Some(div) = html.find(WRAPPER) else { return html };
    let Some(tag) = markup::start_tag(&html, div) else { return html };
    let Some(style) = tag.attribute("style") else {
        let at = tag.end - 1;
        let mut html = html;
        html.insert_str(at, " style=\"word-spacing:normal;\"");
        return html;
    };
    let Some(value) = &style.value else { return html };
    if value.text.contains("word-spacing") {
        return html;
    }
    let at = style.end - 1 - value.text.len();
    let mut html = html;
    html.insert_str(at, "word-spacing:normal;");
    html
}

/// mrml writes the carousel's rule for Yahoo as `@media screen, yahoo`, which every screen
/// matches, so it hides the carousel's arrows everywhere. The reference writes `@media screen
/// yahoo`, a query no browser matches, so the arrows show.
fn carousel_media_query(html: String) -> String {
    const MRML: &str = "@media screen, yahoo {";
    if html.contains(MRML) { html.replace(MRML, "@media screen yahoo {") } else { html }
}

/// Joins adjacent conditional comments for Outlook into one, as the reference does:
/// `<![endif]-->` followed by white space and `<!--[if mso | IE]>` disappears.
fn merge_outlook_conditionals(html: &str) -> String {
    const END: &str = "<![endif]-->";
    const START: &str = "<!--[if mso | IE]>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(found) = rest.find(END) {
        let after = &rest[found + END.len()..];
        let trimmed = after.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}');
        if let Some(merged) = trimmed.strip_prefix(START) {
            out.push_str(&rest[..found]);
            rest = merged;
        } else {
            out.push_str(&rest[..found + END.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_after_and_inside_edits_map_back() {
        let text = "<mjml><mj-body><mj-text>a\nb</mj-text><mj-section x='1' x='2'></mj-section></mj-body></mjml>";
        let prepared = prepare(text);
        let section = prepared.text.find("<mj-section").unwrap();
        assert_eq!(prepared.original_offset(section), text.find("<mj-section").unwrap());
        let end = prepared.text.find("</mj-body>").unwrap();
        assert_eq!(prepared.original_offset(end), text.find("</mj-body>").unwrap());
        assert!(!prepared.text.contains("x='2'"));
    }

    #[test]
    fn markers_come_back_as_the_original_content() {
        let text = "<mj-text>  <p style=\"a:\n b\">x</p>  </mj-text><mj-raw>lpraw0x</mj-raw>";
        let prepared = prepare(text);
        assert!(prepared.raw.prefix != "lpraw0x");
        let restored = prepared.raw.restore(&prepared.text);
        assert_eq!(restored, "<mj-text><p style=\"a:\n b\">x</p></mj-text><mj-raw>lpraw0x</mj-raw>");
    }

    #[test]
    fn values_are_encoded_only_where_debug_formatting_would_escape() {
        assert_eq!(encode_value("alt", "Tom's \"mug\"\n\\"), "Tom's &quot;mug&quot;&#xa;&#92;");
        assert_eq!(encode_value("font-family", "Georgia,\n\t'Times'"), "Georgia,  'Times'");
        assert_eq!(encode_value("title", "naïve ☕ 日本"), "naïve ☕ 日本");
        assert_eq!(encode_value("title", "a\u{200b}b"), "a&#x200b;b");
    }

    #[test]
    fn adjacent_outlook_conditionals_merge() {
        let html = "<!--[if mso | IE]></td><![endif]-->\n<!--[if mso | IE]></tr><![endif]--><![endif]-->x";
        assert_eq!(merge_outlook_conditionals(html), "<!--[if mso | IE]></td></tr><![endif]--><![endif]-->x");
    }
}
