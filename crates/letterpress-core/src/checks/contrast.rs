//! WCAG 2.2 AA contrast of the text of compiled email HTML, in the light colour scheme and in the
//! dark one, as a desktop mail client shows it.
//!
//! Every element's `color`, `background-color`, font size and weight are computed from the style
//! sheets, the `style` attributes and the presentational attributes (`bgcolor`, `<font color>`),
//! with the cascade of a browser. The text of an element is then read against the background of
//! the nearest ancestor (or itself) that paints one, semi-transparent colours composited over what
//! is below, down to the canvas. Text that is not shown (hidden preheaders, `font-size: 0`
//! wrappers, the head) is not checked, nor text on a background image with no colour under it.
//!
//! The canvas follows the colour schemes the document declares (`<meta name="color-scheme">`, or
//! `color-scheme` on the root or the body): in the dark scheme a document that declares dark
//! support gets a dark canvas, white text and light links; one that does not is shown with its
//! light defaults, `prefers-color-scheme: dark` rules still applied.

mod css;

use std::collections::HashMap;
use std::fmt;

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};

use css::{ColourValue, Declaration, FontSize, FontWeight, Prop, Schemes, StyleRule};

/// The colour scheme a mail client shows the email in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Light,
    Dark,
}

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: f32,
}

impl Rgba {
    pub const TRANSPARENT: Rgba = Rgba { r: 0, g: 0, b: 0, a: 0.0 };
    pub const WHITE: Rgba = Rgba::opaque(255, 255, 255);
    pub const BLACK: Rgba = Rgba::opaque(0, 0, 0);

    pub const fn opaque(r: u8, g: u8, b: u8) -> Rgba {
        Rgba { r, g, b, a: 1.0 }
    }

    /// This colour painted over an opaque `below`.
    pub fn over(self, below: Rgba) -> Rgba {
        let a = f64::from(self.a.clamp(0.0, 1.0));
        let mix = |top: u8, bottom: u8| channel(a * f64::from(top) + (1.0 - a) * f64::from(bottom));
        Rgba::opaque(mix(self.r, below.r), mix(self.g, below.g), mix(self.b, below.b))
    }
}

fn channel(value: f64) -> u8 {
    // Clamped to 0..=255 first, so the cast neither truncates nor wraps.
    value.round().clamp(0.0, 255.0) as u8
}

impl From<csscolorparser::Color> for Rgba {
    fn from(colour: csscolorparser::Color) -> Rgba {
        let [r, g, b, _] = colour.to_rgba8();
        Rgba { r, g, b, a: colour.a.clamp(0.0, 1.0) }
    }
}

impl fmt::Display for Rgba {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)?;
        if self.a < 1.0 {
            write!(f, "{:02x}", channel(f64::from(self.a) * 255.0))?;
        }
        Ok(())
    }
}

/// A text that does not reach the contrast WCAG 2.2 AA requires.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The element whose own text fails.
    pub node: NodeId,
    pub scheme: Scheme,
    /// The text colour, composited over the background.
    pub foreground: Rgba,
    /// The background as composited down to the canvas.
    pub background: Rgba,
    pub ratio: f64,
    /// 4.5, or 3.0 for large text.
    pub required: f64,
    pub large: bool,
    /// The start of the text, whitespace collapsed.
    pub sample: String,
}

/// The WCAG 2.2 contrast ratio of two opaque colours (alpha is not read), from 1 to 21.
pub fn ratio(a: Rgba, b: Rgba) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (lighter, darker) = if la >= lb { (la, lb) } else { (lb, la) };
    (lighter + 0.05) / (darker + 0.05)
}

/// The relative luminance of an sRGB colour.
fn luminance(colour: Rgba) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)
}

/// Every element with shown text of its own whose contrast fails in `scheme`, in document order.
pub fn check(doc: &Html, scheme: Scheme) -> Vec<Finding> {
    let styles = Styles::compute(doc, scheme);
    let mut findings = Vec::new();
    for text in styles.texts(doc) {
        let Some(background) = text.background else { continue };
        let foreground = text.style.color.over(background);
        let ratio = ratio(foreground, background);
        let large = text.style.is_large();
        let required = if large { 3.0 } else { 4.5 };
        if ratio < required {
            findings.push(Finding {
                node: text.node.id(),
                scheme,
                foreground,
                background,
                ratio,
                required,
                large,
                sample: sample(text.node),
            });
        }
    }
    findings
}

/// The colours of every element with shown text of its own, as `(path, foreground, background)`:
/// the path is the index of each element among its parent's element children, from the document
/// down (`0.1.3` is the fourth element in the body); the foreground is the computed `color`, alpha
/// kept; the background is composited down to the canvas, `None` where a background image makes
/// it unknown.
pub fn colours(doc: &Html, scheme: Scheme) -> Vec<(String, Rgba, Option<Rgba>)> {
    let styles = Styles::compute(doc, scheme);
    styles.texts(doc).map(|text| (path(text.node), text.style.color, text.background)).collect()
}

fn path(node: NodeRef<'_, Node>) -> String {
    let mut indexes = Vec::new();
    let mut current = node;
    while current.value().is_element() {
        indexes.push(current.prev_siblings().filter(|sibling| sibling.value().is_element()).count().to_string());
        match current.parent() {
            Some(parent) => current = parent,
            None => break,
        }
    }
    indexes.reverse();
    indexes.join(".")
}

/// Whether a text renders nothing: whitespace and the invisible characters preheaders are padded
/// with.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{034f}' | '\u{feff}' | '\u{2060}' | '\u{00ad}')
    })
}

fn own_text(node: NodeRef<'_, Node>) -> String {
    let mut text = String::new();
    for child in node.children() {
        if let Some(t) = child.value().as_text() {
            text.push_str(t);
        }
    }
    text
}

fn sample(node: NodeRef<'_, Node>) -> String {
    let text = own_text(node);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(40).collect()
}

/// What the check needs of an element's computed style.
#[derive(Debug, Clone, Copy)]
struct Style {
    color: Rgba,
    background: Rgba,
    background_image: bool,
    font_size: f64,
    font_weight: u16,
    /// Not rendered at all: `display: none`, `opacity: 0`, clipped to nothing, here or above.
    removed: bool,
    /// `visibility: hidden`, which a descendant can undo.
    invisible: bool,
}

impl Style {
    fn is_large(&self) -> bool {
        self.font_size >= 24.0 || (self.font_size >= 18.66 && self.font_weight >= 700)
    }
}

/// The colours a document's colour scheme gives what the email does not set.
#[derive(Debug, Clone, Copy)]
struct Palette {
    canvas: Rgba,
    text: Rgba,
    link: Rgba,
}

impl Palette {
    const LIGHT: Palette = Palette { canvas: Rgba::WHITE, text: Rgba::BLACK, link: Rgba::opaque(0x00, 0x00, 0xee) };
    const DARK: Palette =
        Palette { canvas: Rgba::opaque(0x12, 0x12, 0x12), text: Rgba::WHITE, link: Rgba::opaque(0x9e, 0x9e, 0xff) };
}

struct ShownText<'a> {
    node: NodeRef<'a, Node>,
    style: Style,
    background: Option<Rgba>,
}

struct Styles {
    palette: Palette,
    computed: HashMap<NodeId, Style>,
}

impl Styles {
    fn compute(doc: &Html, scheme: Scheme) -> Styles {
        let rules = style_rules(doc, scheme);
        let palette = palette(doc, &rules, scheme);
        let mut computed: HashMap<NodeId, Style> = HashMap::new();
        let root = Style {
            color: palette.text,
            background: Rgba::TRANSPARENT,
            background_image: false,
            font_size: 16.0,
            font_weight: 400,
            removed: false,
            invisible: false,
        };
        for node in doc.tree.root().descendants() {
            let Some(element) = ElementRef::wrap(node) else { continue };
            let parent = node.parent().and_then(|parent| computed.get(&parent.id()).copied()).unwrap_or(root);
            let style = compute_style(element, &parent, &rules, palette);
            computed.insert(node.id(), style);
        }
        Styles { palette, computed }
    }

    fn texts<'a>(&'a self, doc: &'a Html) -> impl Iterator<Item = ShownText<'a>> + 'a {
        doc.tree.root().descendants().filter_map(move |node| {
            let style = *self.computed.get(&node.id())?;
            let element = node.value().as_element()?;
            if style.removed || style.invisible || style.font_size <= 0.0 || UNRENDERED.contains(&element.name()) {
                return None;
            }
            if is_blank(&own_text(node)) {
                return None;
            }
            Some(ShownText { node, style, background: self.background(node) })
        })
    }

    /// The background under an element's text: its own and its ancestors' background colours
    /// composited down to the first opaque one or the canvas; `None` on a background image.
    fn background(&self, node: NodeRef<'_, Node>) -> Option<Rgba> {
        let mut layers = Vec::new();
        let mut current = Some(node);
        while let Some(element) = current {
            if let Some(style) = self.computed.get(&element.id()) {
                if style.background_image && style.background.a < 1.0 {
                    return None;
                }
                if style.background.a > 0.0 {
                    layers.push(style.background);
                    if style.background.a >= 1.0 {
                        break;
                    }
                }
            }
            current = element.parent();
        }
        Some(layers.into_iter().rev().fold(self.palette.canvas, |below, layer| layer.over(below)))
    }
}

/// Elements whose text is never shown as text of the page.
const UNRENDERED: &[&str] =
    &["head", "title", "style", "script", "noscript", "template", "textarea", "select", "option", "iframe", "object"];

/// The style rules of the `<style>` elements that apply in `scheme`, in document order.
fn style_rules(doc: &Html, scheme: Scheme) -> Vec<StyleRule> {
    let mut rules = Vec::new();
    for node in doc.tree.root().descendants() {
        let Some(element) = node.value().as_element() else { continue };
        if element.name() != "style"
            || node.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "template"))
        {
            continue;
        }
        if !css::media_matches(element.attr("media").unwrap_or(""), scheme) {
            continue;
        }
        css::parse_style_sheet(&own_text(node), scheme, &mut rules);
    }
    rules
}

/// The palette of the canvas: dark in the dark scheme only when the document declares dark
/// support; light in the light scheme unless it declares only dark.
fn palette(doc: &Html, rules: &[StyleRule], scheme: Scheme) -> Palette {
    let mut declared = Schemes::default();
    for node in doc.tree.root().descendants() {
        let Some(element) = ElementRef::wrap(node) else { continue };
        match element.value().name() {
            "meta" => {
                let name = element.attr("name").unwrap_or("").trim().to_ascii_lowercase();
                if name == "color-scheme" || name == "supported-color-schemes" {
                    let content = element.attr("content").unwrap_or("").to_ascii_lowercase();
                    declared.light |= content.split_whitespace().any(|w| w == "light");
                    declared.dark |= content.split_whitespace().any(|w| w == "dark");
                }
            }
            "html" | "body" => {
                for declaration in cascade(element, rules) {
                    if let Prop::ColorScheme(schemes) | Prop::SupportedColorSchemes(schemes) = declaration.prop {
                        declared.light |= schemes.light;
                        declared.dark |= schemes.dark;
                    }
                }
            }
            _ => {}
        }
    }
    let dark = match scheme {
        Scheme::Dark => declared.dark,
        Scheme::Light => declared.dark && !declared.light,
    };
    if dark { Palette::DARK } else { Palette::LIGHT }
}

/// Where a declaration comes from, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// The browser's own style sheet.
    UserAgent,
    /// Presentational attributes: `bgcolor`, `<font color>`.
    Attribute,
    StyleSheet,
    StyleAttribute,
}

/// The declarations that apply to an element, lowest priority first: later ones win.
fn cascade(element: ElementRef<'_>, rules: &[StyleRule]) -> Vec<Declaration> {
    let mut found: Vec<((bool, Level, u32, u32), Declaration)> = Vec::new();
    let mut push = |level: Level, specificity: u32, order: u32, declarations: &[Declaration]| {
        for declaration in declarations {
            found.push(((declaration.important, level, specificity, order), *declaration));
        }
    };
    push(Level::UserAgent, 0, 0, &user_agent(element));
    push(Level::Attribute, 0, 0, &attributes(element));
    for rule in rules {
        if rule.selector.matches(&element) {
            push(Level::StyleSheet, rule.specificity, rule.order, &rule.declarations);
        }
    }
    if let Some(style) = element.attr("style") {
        push(Level::StyleAttribute, 0, 0, &css::parse_declarations(style));
    }
    // A stable sort: declarations of one rule keep their order.
    found.sort_by_key(|(key, _)| *key);
    found.into_iter().map(|(_, declaration)| declaration).collect()
}

fn normal(prop: Prop) -> Declaration {
    Declaration { prop, important: false }
}

/// What a browser's own style sheet gives the elements emails use.
fn user_agent(element: ElementRef<'_>) -> Vec<Declaration> {
    let name = element.value().name();
    let mut out = Vec::new();
    let heading = match name {
        "h1" => Some(2.0),
        "h2" => Some(1.5),
        "h3" => Some(1.17),
        "h4" => Some(1.0),
        "h5" => Some(0.83),
        "h6" => Some(0.67),
        _ => None,
    };
    if let Some(size) = heading {
        out.push(normal(Prop::FontSize(FontSize::Relative(size))));
        out.push(normal(Prop::FontWeight(FontWeight::Absolute(700))));
    }
    match name {
        "a" | "area" if element.attr("href").is_some() => out.push(normal(Prop::Color(ColourValue::Link))),
        "b" | "strong" => out.push(normal(Prop::FontWeight(FontWeight::Bolder))),
        "th" => out.push(normal(Prop::FontWeight(FontWeight::Absolute(700)))),
        "small" | "sub" | "sup" => out.push(normal(Prop::FontSize(FontSize::Smaller))),
        "big" => out.push(normal(Prop::FontSize(FontSize::Larger))),
        "mark" => {
            out.push(normal(Prop::BackgroundColor(ColourValue::Rgba(Rgba::opaque(255, 255, 0)))));
            out.push(normal(Prop::Color(ColourValue::Rgba(Rgba::BLACK))));
        }
        _ => {}
    }
    let not_displayed =
        matches!(name, "head" | "title" | "style" | "script" | "noscript" | "template" | "meta" | "link" | "base");
    if not_displayed || element.attr("hidden").is_some() {
        out.push(normal(Prop::DisplayNone(true)));
    }
    out
}

/// The presentational attributes of HTML, which any style rule overrides.
fn attributes(element: ElementRef<'_>) -> Vec<Declaration> {
    let name = element.value().name();
    let mut out = Vec::new();
    let table_like = matches!(name, "body" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th");
    if table_like {
        if let Some(colour) = element.attr("bgcolor").and_then(css::legacy_colour) {
            out.push(normal(Prop::BackgroundColor(ColourValue::Rgba(colour))));
        }
        if element.attr("background").is_some_and(|url| !url.trim().is_empty()) {
            out.push(normal(Prop::BackgroundImage(true)));
        }
    }
    let text = match name {
        "font" => element.attr("color"),
        "body" => element.attr("text"),
        _ => None,
    };
    if let Some(colour) = text.and_then(css::legacy_colour) {
        out.push(normal(Prop::Color(ColourValue::Rgba(colour))));
    }
    if name == "font"
        && let Some(size) = element.attr("size").and_then(font_element_size)
    {
        out.push(normal(Prop::FontSize(FontSize::Px(size))));
    }
    out
}

/// The `size` of `<font>`: 1 to 7, or relative to 3 with a sign.
fn font_element_size(size: &str) -> Option<f64> {
    let size = size.trim();
    let number: i32 = size.trim_start_matches('+').parse().ok()?;
    let size = if size.starts_with('+') || size.starts_with('-') { 3 + number } else { number };
    Some([10.0, 13.0, 16.0, 18.0, 24.0, 32.0, 48.0][usize::try_from(size.clamp(1, 7) - 1).unwrap_or(0)])
}

fn compute_style(element: ElementRef<'_>, parent: &Style, rules: &[StyleRule], palette: Palette) -> Style {
    let mut color = None;
    let mut background = None;
    let mut background_image = false;
    let mut display_none = false;
    let mut hidden = None;
    let mut opacity = 1.0;
    let (mut max_height_zero, mut max_width_zero, mut clip_x, mut clip_y) = (false, false, false, false);
    let mut font_size = None;
    let mut font_weight = None;
    for declaration in cascade(element, rules) {
        match declaration.prop {
            Prop::Color(value) => color = Some(value),
            Prop::BackgroundColor(value) => background = Some(value),
            Prop::BackgroundImage(image) => background_image = image,
            Prop::DisplayNone(none) => display_none = none,
            Prop::Hidden(value) => hidden = value,
            Prop::Opacity(value) => opacity = value,
            Prop::MaxHeightZero(zero) => max_height_zero = zero,
            Prop::MaxWidthZero(zero) => max_width_zero = zero,
            Prop::ClipX(clip) => clip_x = clip,
            Prop::ClipY(clip) => clip_y = clip,
            Prop::FontSize(size) => font_size = Some(size),
            Prop::FontWeight(weight) => font_weight = Some(weight),
            Prop::ColorScheme(_) | Prop::SupportedColorSchemes(_) => {}
        }
    }
    let color = match color {
        None | Some(ColourValue::Inherit | ColourValue::CurrentColor | ColourValue::Unset) => parent.color,
        Some(ColourValue::Rgba(rgba)) => rgba,
        Some(ColourValue::Initial | ColourValue::CanvasText) => palette.text,
        Some(ColourValue::Link) => palette.link,
        Some(ColourValue::Canvas) => palette.canvas,
    };
    let background = match background {
        None | Some(ColourValue::Initial | ColourValue::Unset) => Rgba::TRANSPARENT,
        Some(ColourValue::Inherit) => parent.background,
        Some(ColourValue::CurrentColor) => color,
        Some(ColourValue::Rgba(rgba)) => rgba,
        Some(ColourValue::Link) => palette.link,
        Some(ColourValue::Canvas) => palette.canvas,
        Some(ColourValue::CanvasText) => palette.text,
    };
    let font_size = match font_size {
        None | Some(FontSize::Inherit) => parent.font_size,
        Some(FontSize::Px(px)) => px,
        Some(FontSize::Relative(factor)) => parent.font_size * factor,
        Some(FontSize::Root(factor)) => 16.0 * factor,
        Some(FontSize::Smaller) => parent.font_size / 1.2,
        Some(FontSize::Larger) => parent.font_size * 1.2,
    };
    let font_weight = match font_weight {
        None | Some(FontWeight::Inherit) => parent.font_weight,
        Some(FontWeight::Absolute(weight)) => weight,
        Some(FontWeight::Bolder) => match parent.font_weight {
            0..350 => 400,
            350..550 => 700,
            _ => 900,
        },
        Some(FontWeight::Lighter) => match parent.font_weight {
            0..550 => 100,
            550..750 => 400,
            _ => 700,
        },
    };
    let clipped = (max_height_zero && clip_y) || (max_width_zero && clip_x);
    Style {
        color,
        background,
        background_image,
        font_size,
        font_weight,
        removed: parent.removed || display_none || opacity <= 0.0 || clipped,
        invisible: hidden.unwrap_or(parent.invisible),
    }
}

#[cfg(test)]
mod tests;
