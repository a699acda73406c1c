//! Workarounds that make mrml's output match the reference `mjml` compiler.
//!
//! [`prepare`] rewrites the document before mrml parses it and remembers how offsets moved, so
//! diagnostics still point at the user's text; [`Prepared::repair`] fixes what can only be fixed
//! in the HTML mrml writes. As mrml splits its rendering by component, the workarounds are split
//! the same way, one module each, and each names the mrml behaviour it covers, so it can go when
//! mrml is fixed:
//!
//! - [`raw`]: the HTML inside `mj-text`, `mj-button`, `mj-raw` and the other ending tags, which
//!   mrml rewrites and the reference copies verbatim, is set aside before mrml runs and put back.
//! - [`attributes`]: the attribute values of `mj-*` tags, which mrml writes in debug notation, and
//!   duplicate attributes, of which mrml keeps the last and the reference the first.
//! - [`widths`]: widths mrml computes in `f32` where the reference uses `f64` and floors the box
//!   widths it hands down, `mj-column`, `mj-group` and `mj-button` alike.
//! - [`mj_image`]: the empty `alt` the reference gives an image without one.
//! - [`mj_table`]: the attributes of `mj-table`'s table.
//! - [`mj_hero`]: heroes of `mode="fluid-height"`.
//! - [`html_attributes`]: `mj-html-attributes`, which mrml rejects; taken out before mrml runs
//!   and applied to the HTML after.
//! - [`fonts`]: which web fonts to import, which mrml decides from component attributes only and
//!   the reference from the HTML it wrote, raw content included.
//! - [`mj_style`]: `mj-style inline="inline"`, which mrml inlines before the raw content is back.
//! - [`mj_body`]: the word spacing of the wrapper `div`.
//! - [`mj_carousel`]: the media query that hides the carousel's arrows.
//! - [`outlook`]: adjacent conditional comments for Outlook, which the reference joins.
//!
//! Elements mrml does not know are taken out before it runs, as the reference renders nothing for
//! them (see [`prepare`]).
//!
//! The repairs go over mrml's HTML in two rounds, each collecting its changes and making them in
//! one copy. The first, before the raw content is back, walks mrml's start tags once, giving each
//! to every component's repair, and puts the raw content back in the same copy. The second, once
//! `mj-html-attributes`, the fonts and the inline styles are applied, makes the changes that look
//! at the whole document: word spacing, the carousel's query and the Outlook comments.

mod attributes;
mod fonts;
mod html_attributes;
mod mj_body;
mod mj_carousel;
mod mj_hero;
mod mj_image;
mod mj_style;
mod mj_table;
mod outlook;
mod raw;
mod selector;
mod widths;

use std::borrow::Cow;
use std::ops::Range;

use super::walk::{Place, Visitor, walk};
use crate::markup;

/// The document as handed to mrml, with a way back to the offsets of the original and what
/// [`Prepared::repair`] needs to finish the job.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: String,
    /// Every rewritten region, in increasing order and never overlapping.
    edits: Vec<Edit>,
    /// Ending-tag content set aside, and the marker that stands in for it.
    raw: raw::RawContent,
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
        let mut splices = Splices::default();
        self.repair_mrml_tags(&html, &mut splices);
        self.raw.for_each_marker(&html, |range, content| splices.replace(range, content));
        let html = splices.apply_owned(html);
        // These look at the whole document, raw content included.
        let html = html_attributes::apply(&self.html_attributes, html);
        let html = fonts::repair(html, &self.fonts, &self.inline_styles);
        let html = mj_style::inline(html, &self.inline_styles);
        let mut splices = Splices::default();
        mj_body::repair(&html, &mut splices);
        mj_carousel::repair(&html, &mut splices);
        outlook::merge_conditionals(&html, &mut splices);
        splices.apply_owned(html)
    }

    /// The repairs that look at what mrml wrote itself, in one walk over its start tags. Raw
    /// content is not back yet, so only mrml's own tags are seen. The tables and hero cells rebuilt
    /// whole get their widths respelled with them; the respelling of the rest of the document is
    /// skipped inside them.
    fn repair_mrml_tags<'a>(&'a self, html: &str, splices: &mut Splices<'a>) {
        let mut tables = self.table_roles.iter();
        let mut heroes = self.fluid_heroes.iter().any(Option::is_some).then(|| self.fluid_heroes.iter());
        let mut buttons = self.widths.buttons();
        markup::for_each_start_tag(html, |tag| {
            mj_image::repair(tag, splices);
            widths::floor(tag, splices);
            if let Some(buttons) = &mut buttons {
                widths::repair_button(tag, buttons, splices);
            }
            if let Some(rebuilt) = mj_table::rebuilt(tag, &mut tables) {
                splices.replace(tag.start..tag.end, self.widths.respelled(&rebuilt));
            }
            if let Some(heroes) = &mut heroes
                && mj_hero::is_content(html, tag)
                && let Some(Some(ratio)) = heroes.next()
            {
                mj_hero::repair(html, tag.start, *ratio, splices, |cell| self.widths.respelled(cell));
            }
            tag.end
        });
        self.widths.respell(html, splices);
    }
}

/// Changes to a text, collected in any order and made in one copy. Where two overlap, the one
/// that starts first is made and the other skipped; at the same start, the one added first comes
/// first.
#[derive(Debug, Default)]
struct Splices<'a> {
    changes: Vec<(Range<usize>, Cow<'a, str>)>,
}

impl<'a> Splices<'a> {
    /// Replaces `range` with `text`; an empty range inserts.
    fn replace(&mut self, range: Range<usize>, text: impl Into<Cow<'a, str>>) {
        self.changes.push((range, text.into()));
    }

    /// `text` with the changes made; `text` itself, not a copy, when there are none.
    fn apply_owned(self, text: String) -> String {
        if self.changes.is_empty() { text } else { self.apply(&text) }
    }

    /// `text` with the changes made.
    fn apply(mut self, text: &str) -> String {
        if self.changes.is_empty() {
            return text.to_owned();
        }
        self.changes.sort_by_key(|(range, _)| range.start);
        let added: usize = self.changes.iter().map(|(_, with)| with.len()).sum();
        let mut out = String::with_capacity(text.len() + added);
        let mut copied = 0;
        for (range, with) in &self.changes {
            if range.start < copied {
                continue;
            }
            out.push_str(&text[copied..range.start]);
            out.push_str(with);
            copied = range.end;
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// Rewrites `text` so that mrml parses it the way `mjml` would.
pub fn prepare(text: &str) -> Prepared {
    let mut preparer = Preparer::new(text);
    walk(text, &mut [&mut preparer]);
    preparer.finish()
}

/// [`prepare`] as a visitor of the document's one [`walk`], beside the checks.
pub struct Preparer<'a> {
    text: &'a str,
    writer: Rewriter<'a>,
    raw: raw::RawContent,
    html_attribute_rules: Vec<html_attributes::Rule>,
    fonts: Vec<(String, String)>,
    inline_styles: Vec<String>,
    widths: widths::Widths,
    warnings: Vec<(usize, usize, String)>,
    table_roles: Vec<Option<String>>,
    fluid_heroes: Vec<Option<i64>>,
    head: Option<Range<usize>>,
    attribute_blocks: Vec<Range<usize>>,
    /// Where the next tag to look at may start: the preparation skips what it removes or sets
    /// aside whole, whatever the walk reads there.
    resume_at: usize,
    /// The end of the last tag the walk showed.
    seen_until: usize,
}

impl<'a> Preparer<'a> {
    pub fn new(text: &'a str) -> Self {
        let head =
            text.find("<mj-head").map(|start| start..text[start..].find("</mj-head").map_or(text.len(), |e| start + e));
        let attribute_blocks = text
            .match_indices("<mj-attributes")
            .map(|(start, _)| start..text[start..].find("</mj-attributes").map_or(text.len(), |e| start + e))
            .collect();
        Preparer {
            text,
            writer: Rewriter { source: text, out: String::with_capacity(text.len()), copied: 0, edits: Vec::new() },
            raw: raw::RawContent::new(text),
            html_attribute_rules: Vec::new(),
            fonts: Vec::new(),
            inline_styles: Vec::new(),
            widths: widths::Widths::default(),
            warnings: Vec::new(),
            table_roles: Vec::new(),
            fluid_heroes: Vec::new(),
            head,
            attribute_blocks,
            resume_at: 0,
            seen_until: 0,
        }
    }

    /// The prepared document, once the walk over it is done.
    pub fn finish(mut self) -> Prepared {
        // Where the walk stopped early, at markup the text ends inside of, while the preparation
        // had skipped past it, the rest is read from where the preparation goes on.
        let mut tokens = markup::Tokens::new(self.text);
        tokens.skip_to(self.resume_at.max(self.seen_until));
        while let Some(token) = tokens.next() {
            if let markup::Token::Start(tag) = token {
                let next = self.visit(&tag);
                if next > tag.start {
                    tokens.skip_to(next);
                }
            }
        }
        let (text, edits) = self.writer.finish();
        Prepared {
            text,
            edits,
            raw: self.raw,
            html_attributes: self.html_attribute_rules,
            fonts: self.fonts,
            inline_styles: self.inline_styles,
            widths: self.widths,
            table_roles: self.table_roles,
            fluid_heroes: self.fluid_heroes,
            warnings: self.warnings,
        }
    }

    /// Prepares the element whose start tag is `tag`; returns where reading goes on.
    fn visit(&mut self, tag: &markup::StartTag<'_>) -> usize {
        let name = tag.name.to_ascii_lowercase();
        if !(name.starts_with("mj-") || name == "mjml") {
            return tag.end;
        }
        if name == "mj-html-attributes" {
            let end = if tag.self_closing {
                tag.end
            } else {
                markup::find_close(self.text, tag.end, tag.name)
                    .map_or(self.text.len(), |close| markup::close_end(self.text, close))
            };
            let block = html_attributes::parse(self.text, tag.start, end);
            self.html_attribute_rules.extend(block.rules);
            self.warnings.extend(block.warnings);
            // mrml does not know the element; the rules are applied to its output instead.
            self.writer.replace(tag.start..end, "");
            return end;
        }
        // Children of `mj-attributes` name the element whose defaults they set, so only elements
        // outside it can be unknown.
        let in_attributes = self.attribute_blocks.iter().any(|block| block.contains(&tag.start));
        if !in_attributes && !super::validate::schema().elements.contains_key(name.as_str()) {
            // The reference compiler renders nothing for an element it does not know, children
            // included, while mrml keeps the children and copies a childless tag as it is.
            let end = if tag.self_closing {
                tag.end
            } else {
                markup::find_close(self.text, tag.end, tag.name)
                    .map_or(tag.end, |close| markup::close_end(self.text, close))
            };
            self.writer.replace(tag.start..end, "");
            return end;
        }
        let sized = matches!(name.as_str(), "mj-column" | "mj-group");
        // Outside `mj-attributes`, whose `mj-class` and `mj-all` may carry any name.
        let drop_unknown = !in_attributes;
        attributes::rewrite(&mut self.writer, tag, sized.then_some(&mut self.widths), drop_unknown);
        // Buttons in `mj-attributes` set defaults; only those of the body are rendered.
        if name == "mj-button" && !self.head.as_ref().is_some_and(|head| head.contains(&tag.start)) {
            self.widths.button(tag);
        }
        if name == "mj-table" && !self.head.as_ref().is_some_and(|head| head.contains(&tag.start)) {
            self.table_roles.push(mj_table::role(tag));
        }
        if name == "mj-hero" && !self.head.as_ref().is_some_and(|head| head.contains(&tag.start)) {
            self.fluid_heroes.push(mj_hero::ratio(tag));
        }
        if name == "mj-font"
            && let (Some(font), Some(href)) = (tag.value("name"), tag.value("href"))
        {
            self.fonts.push((font.to_owned(), href.to_owned()));
        }
        if tag.self_closing {
            return tag.end;
        }
        let Some(kind) = raw::ending_kind(&name) else {
            return tag.end;
        };
        let Some(close) = markup::find_close(self.text, tag.end, tag.name) else {
            return tag.end;
        };
        let content = &self.text[tag.end..close];
        match kind {
            raw::Ending::Raw if !content.trim().is_empty() => {
                let marker = self.raw.set_aside(content.trim());
                self.writer.replace(tag.end..close, &marker);
            }
            raw::Ending::Ignored if !content.trim().is_empty() => self.writer.replace(tag.end..close, ""),
            raw::Ending::Text if name == "mj-style" && tag.value("inline") == Some("inline") => {
                // Inlined after the raw content is back, so it reaches that content too.
                self.inline_styles.push(content.to_owned());
                let end = markup::close_end(self.text, close);
                self.writer.replace(tag.start..end, "");
                return end;
            }
            _ => {}
        }
        close
    }
}

impl<'a> Visitor<'a> for Preparer<'a> {
    fn start(&mut self, tag: &markup::StartTag<'a>, _place: Place) {
        self.seen_until = tag.end;
        // Content the walk sets apart is prepared like the rest unless the preparation skipped
        // it, as it does for every element whose content it handles whole.
        if tag.start < self.resume_at {
            return;
        }
        self.resume_at = self.visit(tag).max(tag.end);
    }

    fn end(&mut self, tag: &markup::EndTag<'a>, _place: Place) {
        self.seen_until = tag.end;
    }
}

/// The close tags that end every MJML element still open at the end of `text`, innermost first,
/// or `None` when every element is closed. The reference compiler's parser closes what is left
/// open at the end of the document; mrml stops with an error instead.
pub fn missing_close_tags(text: &str) -> Option<String> {
    /// The MJML elements open where the walk stops.
    #[derive(Default)]
    struct Open<'a>(Vec<&'a str>);

    impl<'a> Visitor<'a> for Open<'a> {
        fn start(&mut self, tag: &markup::StartTag<'a>, place: Place) {
            let name = tag.name;
            if place == Place::Mjml && !tag.self_closing && (name == "mjml" || name.starts_with("mj-")) {
                self.0.push(name);
            }
        }

        fn end(&mut self, tag: &markup::EndTag<'a>, place: Place) {
            if place != Place::Mjml {
                return;
            }
            if let Some(index) = self.0.iter().rposition(|open| open.eq_ignore_ascii_case(tag.name)) {
                self.0.truncate(index);
            }
        }
    }

    let mut open = Open::default();
    walk(text, &mut [&mut open]);
    (!open.0.is_empty()).then(|| open.0.iter().rev().map(|name| format!("</{name}>")).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_walk_cannot_read_past_is_prepared_all_the_same() {
        // The quote inside the unknown element never closes, so the walk reads the rest as text;
        // the preparation removes the element up to its close tag and goes on from there, setting
        // the raw HTML after it aside.
        let text = "<mjml><mj-body><mj-foo><b title=\"oops></mj-foo><mj-raw><p>x</p></mj-raw></mj-body></mjml>";
        let prepared = prepare(text);
        assert!(!prepared.text.contains("mj-foo"), "{}", prepared.text);
        assert!(prepared.text.contains("<mj-raw>lpraw"), "{}", prepared.text);
        assert!(!prepared.text.contains("<p>x</p>"), "{}", prepared.text);
    }

    #[test]
    fn what_is_left_open_is_closed_innermost_first() {
        let text = "<mjml><mj-body><mj-section><mj-column><mj-text>a</mj-column> <b>b";
        assert_eq!(missing_close_tags(text).as_deref(), Some("</mj-text></mj-column></mj-section></mj-body></mjml>"));
        let text = "<mjml><mj-body><!-- <mj-section> --><mj-raw><p></mj-raw></mj-body>";
        assert_eq!(missing_close_tags(text).as_deref(), Some("</mjml>"));
        assert_eq!(missing_close_tags("<mjml><mj-body></mj-body></mjml>"), None);
    }

    #[test]
    fn names_no_element_takes_are_not_handed_to_mrml() {
        // `align` is not listed for `mj-hero`, but the reference reads it there, so it stays;
        // `data-track` no element takes. In `mj-attributes`, `mj-class` takes any name.
        let text = "<mjml><mj-head><mj-attributes><mj-class name=\"c\" data-x=\"1\" /></mj-attributes></mj-head>\
                    <mj-body><mj-hero align=\"left\" data-track=\"1\" data-track=\"2\"><mj-text>t</mj-text></mj-hero>\
                    </mj-body></mjml>";
        let prepared = prepare(text);
        assert!(prepared.text.contains("<mj-hero align=\"left\"  >"), "{}", prepared.text);
        assert!(prepared.text.contains("data-x=\"1\""), "{}", prepared.text);
        let hero = prepared.text.find("<mj-hero").unwrap();
        assert_eq!(prepared.original_offset(hero), text.find("<mj-hero").unwrap());
        // A tag that lost its `>` is no attribute to drop; mrml reports it.
        let broken = "<mjml><mj-body><mj-section><mj-column><mj-text {{body}}</mj-text></mj-column></mj-section></mj-body></mjml>";
        assert!(prepare(broken).text.contains("{{body}}"), "{}", prepare(broken).text);
    }

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
}
