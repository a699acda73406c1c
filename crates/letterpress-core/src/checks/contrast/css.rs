//! The CSS the contrast check reads: style sheets and `style` attributes (tokenised by cssparser),
//! the few properties that decide which colours a text is shown in, media queries as a desktop
//! mail client evaluates them, selector specificity, and the legacy colour values of HTML
//! attributes such as `bgcolor`.

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserState, QualifiedRuleParser,
    RuleBodyItemParser, RuleBodyParser, StyleSheetParser, Token,
};

use super::{Rgba, Scheme};

/// The viewport width media queries are evaluated against: a desktop client, so the mobile
/// (`max-width`) blocks of a responsive email do not apply and the `min-width` ones do.
pub const VIEWPORT_WIDTH: f64 = 1024.0;

/// A colour value before it is resolved against the element it applies to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColourValue {
    Rgba(Rgba),
    CurrentColor,
    Inherit,
    Initial,
    Unset,
    /// The link colour of the colour scheme (`-webkit-link`, `LinkText`).
    Link,
    /// The page background of the colour scheme (`Canvas`).
    Canvas,
    /// The text colour of the colour scheme (`CanvasText`).
    CanvasText,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FontSize {
    Px(f64),
    /// A multiple of the parent's size (`em`, `%`).
    Relative(f64),
    /// A multiple of the root's size (`rem`).
    Root(f64),
    Smaller,
    Larger,
    Inherit,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FontWeight {
    Absolute(u16),
    Bolder,
    Lighter,
    Inherit,
}

/// Which colour schemes a `color-scheme` value (or Apple's `supported-color-schemes`) declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schemes {
    pub light: bool,
    pub dark: bool,
}

/// One longhand property the check needs, with a value it understood.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prop {
    Color(ColourValue),
    BackgroundColor(ColourValue),
    /// Whether a background image (a URL or a gradient) is set.
    BackgroundImage(bool),
    /// Whether `display` is `none`.
    DisplayNone(bool),
    /// Whether `visibility` is `hidden` or `collapse`; `None` is `inherit`.
    Hidden(Option<bool>),
    Opacity(f32),
    /// Whether `max-height` is zero.
    MaxHeightZero(bool),
    /// Whether `max-width` is zero.
    MaxWidthZero(bool),
    /// Whether content overflowing horizontally is clipped.
    ClipX(bool),
    /// Whether content overflowing vertically is clipped.
    ClipY(bool),
    FontSize(FontSize),
    FontWeight(FontWeight),
    ColorScheme(Schemes),
    SupportedColorSchemes(Schemes),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Declaration {
    pub prop: Prop,
    pub important: bool,
}

/// One complex selector of a style rule with the declarations of the rule.
#[derive(Debug, Clone)]
pub struct StyleRule {
    pub selector: scraper::Selector,
    pub specificity: u32,
    /// Where the rule stands in the document's style sheets, in source order.
    pub order: u32,
    pub declarations: std::rc::Rc<[Declaration]>,
}

/// The declarations of a `style` attribute or a rule body, those the check does not need left out.
pub fn parse_declarations(css: &str) -> Vec<Declaration> {
    let mut input = Parser::new(css);
    declarations(&mut input)
}

fn declarations(input: &mut Parser<'_>) -> Vec<Declaration> {
    let mut parser = Body;
    let mut out = Vec::new();
    for item in RuleBodyParser::new(input, &mut parser).flatten() {
        out.extend(item);
    }
    out
}

/// The style rules of one style sheet that apply in `scheme`, appended to `rules`.
pub fn parse_style_sheet(css: &str, scheme: Scheme, rules: &mut Vec<StyleRule>) {
    let mut input = Parser::new(css);
    let mut parser = Sheet { scheme, rules };
    for _ in StyleSheetParser::new(&mut input, &mut parser) {}
}

struct Body;

impl<'i> DeclarationParser<'i> for Body {
    type Declaration = Vec<Declaration>;
    type Error = ();

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        _start: &ParserState,
    ) -> Result<Self::Declaration, ParseError<()>> {
        let start = input.position();
        let mut end = start;
        let mut important = false;
        loop {
            let before = input.state();
            match input.next() {
                Err(_) => break,
                Ok(Token::Delim('!')) => {
                    input.reset(&before);
                    if input.try_parse(cssparser::parse_important).is_ok() && input.is_exhausted() {
                        important = true;
                        break;
                    }
                    input.reset(&before);
                    let _ = input.next();
                }
                Ok(
                    Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock,
                ) => {
                    // Consumed now, so that `end` is after the block.
                    let _: Result<(), ParseError<()>> = input.parse_nested_block(|input| {
                        while input.next().is_ok() {}
                        Ok(())
                    });
                }
                Ok(_) => {}
            }
            end = input.position();
        }
        let value = input.slice(start..end).trim();
        let props = properties(&name.to_ascii_lowercase(), value);
        Ok(props.into_iter().map(|prop| Declaration { prop, important }).collect())
    }
}

impl<'i> AtRuleParser<'i> for Body {
    type Prelude = ();
    type AtRule = Vec<Declaration>;
    type Error = ();
}

impl<'i> QualifiedRuleParser<'i> for Body {
    type Prelude = ();
    type QualifiedRule = Vec<Declaration>;
    type Error = ();
}

impl<'i> RuleBodyItemParser<'i, Vec<Declaration>, ()> for Body {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        false
    }
}

struct Sheet<'a> {
    scheme: Scheme,
    rules: &'a mut Vec<StyleRule>,
}

impl<'i> QualifiedRuleParser<'i> for Sheet<'_> {
    /// The source of each selector of the list.
    type Prelude = Vec<String>;
    type QualifiedRule = ();
    type Error = ();

    fn parse_prelude(&mut self, input: &mut Parser<'i>) -> Result<Vec<String>, ParseError<()>> {
        input.parse_comma_separated(|input| {
            let start = input.position();
            while input.next_including_whitespace_and_comments().is_ok() {}
            Ok(input.slice_from(start).trim().to_owned())
        })
    }

    fn parse_block(
        &mut self,
        prelude: Vec<String>,
        _start: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), ParseError<()>> {
        let declarations: std::rc::Rc<[Declaration]> = declarations(input).into();
        // A selector list with one selector a browser does not understand drops the whole rule.
        let Some(selectors) = prelude
            .iter()
            .map(|source| scraper::Selector::parse(source).ok().map(|selector| (selector, specificity(source))))
            .collect::<Option<Vec<_>>>()
        else {
            return Ok(());
        };
        if declarations.is_empty() {
            return Ok(());
        }
        let order = u32::try_from(self.rules.len()).unwrap_or(u32::MAX);
        for (selector, specificity) in selectors {
            self.rules.push(StyleRule { selector, specificity, order, declarations: declarations.clone() });
        }
        Ok(())
    }
}

impl<'i> AtRuleParser<'i> for Sheet<'_> {
    /// Whether the block applies.
    type Prelude = bool;
    type AtRule = ();
    type Error = ();

    fn parse_prelude(&mut self, name: CowRcStr<'i>, input: &mut Parser<'i>) -> Result<bool, ParseError<()>> {
        if name.eq_ignore_ascii_case("media") {
            Ok(media_list_matches(input, self.scheme))
        } else {
            // @import, @font-face, @supports, @keyframes and the rest: nothing a mail client
            // reliably applies, and nothing that sets colours of text.
            Err(input.new_error_for_next_token())
        }
    }

    fn parse_block(
        &mut self,
        applies: bool,
        _start: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), ParseError<()>> {
        if applies {
            let mut nested = Sheet { scheme: self.scheme, rules: self.rules };
            for _ in StyleSheetParser::new(input, &mut nested) {}
        }
        Ok(())
    }
}

/// Whether a media query list (the prelude of `@media` or the `media` attribute of `<style>`)
/// matches a desktop mail client showing `scheme`.
pub fn media_matches(query: &str, scheme: Scheme) -> bool {
    if query.trim().is_empty() {
        return true;
    }
    let mut input = Parser::new(query);
    media_list_matches(&mut input, scheme)
}

fn media_list_matches(input: &mut Parser<'_>, scheme: Scheme) -> bool {
    let results: Result<Vec<bool>, ParseError<()>> =
        input.parse_comma_separated(|input| Ok(media_query_matches(input, scheme)));
    results.is_ok_and(|results| results.into_iter().any(|matches| matches))
}

fn media_query_matches(input: &mut Parser<'_>, scheme: Scheme) -> bool {
    let mut negated = false;
    let mut matches = true;
    let mut first = true;
    while let Ok(token) = input.next().cloned() {
        match token {
            Token::Ident(word) => match word.to_ascii_lowercase().as_str() {
                "not" if first => negated = true,
                "only" | "and" | "screen" | "all" => {}
                _ => matches = false,
            },
            Token::ParenthesisBlock => {
                let feature: Result<bool, ParseError<()>> =
                    input.parse_nested_block(|input| Ok(media_feature_matches(input, scheme)));
                matches &= feature.unwrap_or(false);
            }
            _ => matches = false,
        }
        first = false;
    }
    matches != negated
}

fn media_feature_matches(input: &mut Parser<'_>, scheme: Scheme) -> bool {
    let Ok(name) = input.expect_ident().map(|name| name.to_ascii_lowercase()) else {
        return false;
    };
    if input.is_exhausted() {
        return name == "prefers-color-scheme";
    }
    if input.expect_colon().is_err() {
        return false;
    }
    let Ok(value) = input.next().cloned() else {
        return false;
    };
    let length = match &value {
        Token::Dimension { value, unit, .. } => match unit.to_ascii_lowercase().as_str() {
            "px" => Some(f64::from(*value)),
            "em" | "rem" => Some(f64::from(*value) * 16.0),
            _ => None,
        },
        Token::Number { value, .. } if *value == 0.0 => Some(0.0),
        _ => None,
    };
    match (name.as_str(), &value, length) {
        ("prefers-color-scheme", Token::Ident(value), _) => value.eq_ignore_ascii_case(match scheme {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }),
        ("min-width" | "min-device-width", _, Some(length)) => VIEWPORT_WIDTH >= length,
        ("max-width" | "max-device-width", _, Some(length)) => VIEWPORT_WIDTH <= length,
        _ => false,
    }
}

/// The specificity of one complex selector, as `a << 16 | b << 8 | c`.
pub fn specificity(selector: &str) -> u32 {
    let mut input = Parser::new(selector);
    let (a, b, c) = specificity_of(&mut input);
    (a.min(255) << 16) | (b.min(255) << 8) | c.min(255)
}

fn specificity_of(input: &mut Parser<'_>) -> (u32, u32, u32) {
    let (mut a, mut b, mut c) = (0, 0, 0);
    while let Ok(token) = input.next_including_whitespace().cloned() {
        match token {
            Token::IDHash(_) | Token::Hash(_) => a += 1,
            Token::Delim('.') => {
                let _ = input.next_including_whitespace();
                b += 1;
            }
            Token::SquareBracketBlock => b += 1,
            Token::Ident(_) => c += 1,
            Token::Colon => match input.next_including_whitespace().cloned() {
                Ok(Token::Colon) => {
                    let _ = input.next_including_whitespace();
                    c += 1;
                }
                Ok(Token::Ident(name)) => {
                    let legacy_element = ["before", "after", "first-line", "first-letter"]
                        .iter()
                        .any(|element| name.eq_ignore_ascii_case(element));
                    if legacy_element {
                        c += 1;
                    } else {
                        b += 1;
                    }
                }
                Ok(Token::Function(name)) => {
                    let name = name.to_ascii_lowercase();
                    let arguments: Result<(u32, u32, u32), ParseError<()>> = input.parse_nested_block(|input| {
                        let list = input.parse_comma_separated(|input| Ok(specificity_of(input)))?;
                        Ok(list.into_iter().max().unwrap_or_default())
                    });
                    match name.as_str() {
                        "where" => {}
                        "is" | "not" | "has" | "matches" | "-webkit-any" => {
                            let (x, y, z) = arguments.unwrap_or_default();
                            (a, b, c) = (a + x, b + y, c + z);
                        }
                        _ => b += 1,
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    (a, b, c)
}

/// The longhands a declaration sets, those the check does not read left out; an invalid value
/// sets nothing, as a browser drops it.
fn properties(name: &str, value: &str) -> Vec<Prop> {
    let lower = value.to_ascii_lowercase();
    let one = |prop: Option<Prop>| prop.into_iter().collect();
    match name {
        "color" => one(colour_value(value).map(Prop::Color)),
        "background-color" => one(colour_value(value).map(Prop::BackgroundColor)),
        "background-image" => one(Some(Prop::BackgroundImage(lower != "none" && is_image(value)))),
        "background" => background_shorthand(value),
        "display" => one(Some(Prop::DisplayNone(lower == "none"))),
        "visibility" => one(match lower.as_str() {
            "hidden" | "collapse" => Some(Prop::Hidden(Some(true))),
            "visible" | "initial" | "unset" => Some(Prop::Hidden(Some(false))),
            "inherit" => Some(Prop::Hidden(None)),
            _ => None,
        }),
        "opacity" => one(opacity(&lower).map(Prop::Opacity)),
        "max-height" => one(Some(Prop::MaxHeightZero(is_zero(&lower)))),
        "max-width" => one(Some(Prop::MaxWidthZero(is_zero(&lower)))),
        "overflow" => {
            let mut words = lower.split_whitespace();
            let x = words.next().map(clips);
            let y = words.next().map(clips).or(x);
            match (x, y) {
                (Some(x), Some(y)) => vec![Prop::ClipX(x), Prop::ClipY(y)],
                _ => Vec::new(),
            }
        }
        "overflow-x" => one(Some(Prop::ClipX(clips(&lower)))),
        "overflow-y" => one(Some(Prop::ClipY(clips(&lower)))),
        "font-size" => one(font_size(&lower).map(Prop::FontSize)),
        "font-weight" => one(font_weight(&lower).map(Prop::FontWeight)),
        "color-scheme" => one(Some(Prop::ColorScheme(schemes(&lower)))),
        "supported-color-schemes" => one(Some(Prop::SupportedColorSchemes(schemes(&lower)))),
        _ => Vec::new(),
    }
}

fn clips(value: &str) -> bool {
    matches!(value, "hidden" | "clip" | "scroll" | "auto")
}

fn is_zero(value: &str) -> bool {
    let number = value.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
    number.parse::<f64>().is_ok_and(|number| number == 0.0)
}

fn opacity(value: &str) -> Option<f32> {
    match value.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f32>().ok().map(|p| p / 100.0),
        None => value.parse::<f32>().ok(),
    }
    .map(|o| o.clamp(0.0, 1.0))
}

fn schemes(value: &str) -> Schemes {
    let mut schemes = Schemes::default();
    for word in value.split_whitespace() {
        match word {
            "light" => schemes.light = true,
            "dark" => schemes.dark = true,
            _ => {}
        }
    }
    schemes
}

fn font_size(value: &str) -> Option<FontSize> {
    let keyword = match value {
        "xx-small" => Some(9.0),
        "x-small" => Some(10.0),
        "small" => Some(13.0),
        "medium" | "initial" => Some(16.0),
        "large" => Some(18.0),
        "x-large" => Some(24.0),
        "xx-large" => Some(32.0),
        "xxx-large" => Some(48.0),
        _ => None,
    };
    if let Some(px) = keyword {
        return Some(FontSize::Px(px));
    }
    match value {
        "smaller" => return Some(FontSize::Smaller),
        "larger" => return Some(FontSize::Larger),
        "inherit" | "unset" => return Some(FontSize::Inherit),
        _ => {}
    }
    let split = value.find(|c: char| c.is_ascii_alphabetic() || c == '%').unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.trim().parse().ok().filter(|n: &f64| *n >= 0.0)?;
    match unit {
        "px" => Some(FontSize::Px(number)),
        "pt" => Some(FontSize::Px(number * 4.0 / 3.0)),
        "pc" => Some(FontSize::Px(number * 16.0)),
        "in" => Some(FontSize::Px(number * 96.0)),
        "cm" => Some(FontSize::Px(number * 96.0 / 2.54)),
        "mm" => Some(FontSize::Px(number * 96.0 / 25.4)),
        "em" => Some(FontSize::Relative(number)),
        "%" => Some(FontSize::Relative(number / 100.0)),
        "rem" => Some(FontSize::Root(number)),
        "" if number == 0.0 => Some(FontSize::Px(0.0)),
        _ => None,
    }
}

fn font_weight(value: &str) -> Option<FontWeight> {
    match value {
        "normal" | "initial" => Some(FontWeight::Absolute(400)),
        "bold" => Some(FontWeight::Absolute(700)),
        "bolder" => Some(FontWeight::Bolder),
        "lighter" => Some(FontWeight::Lighter),
        "inherit" | "unset" => Some(FontWeight::Inherit),
        _ => value
            .parse::<f64>()
            .ok()
            .filter(|weight| (1.0..=1000.0).contains(weight))
            // In range, so the cast neither truncates nor wraps.
            .map(|weight| FontWeight::Absolute(weight.round() as u16)),
    }
}

const COLOUR_FUNCTIONS: &[&str] = &["rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch"];
const IMAGE_FUNCTIONS: &[&str] = &[
    "url",
    "linear-gradient",
    "radial-gradient",
    "conic-gradient",
    "repeating-linear-gradient",
    "repeating-radial-gradient",
    "repeating-conic-gradient",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
    "image",
    "-webkit-linear-gradient",
    "-webkit-radial-gradient",
    "-webkit-gradient",
];

fn is_image(value: &str) -> bool {
    let mut input = Parser::new(value);
    let mut image = false;
    while let Ok(token) = input.next() {
        match token {
            Token::UnquotedUrl(_) => image = true,
            Token::Function(name) if IMAGE_FUNCTIONS.iter().any(|f| name.eq_ignore_ascii_case(f)) => image = true,
            _ => {}
        }
    }
    image
}

/// The colour and the image the `background` shorthand sets; every other part is left out.
/// What the shorthand does not name is reset: no colour means `transparent`, no image `none`.
fn background_shorthand(value: &str) -> Vec<Prop> {
    let lower = value.trim().to_ascii_lowercase();
    if lower == "inherit" {
        return vec![Prop::BackgroundColor(ColourValue::Inherit)];
    }
    let mut input = Parser::new(value);
    let mut colour = None;
    let mut image = false;
    loop {
        let start = input.position();
        let Ok(token) = input.next().cloned() else { break };
        match token {
            Token::UnquotedUrl(_) => image = true,
            Token::Function(name) => {
                let _: Result<(), ParseError<()>> = input.parse_nested_block(|input| {
                    while input.next().is_ok() {}
                    Ok(())
                });
                if IMAGE_FUNCTIONS.iter().any(|f| name.eq_ignore_ascii_case(f)) {
                    image = true;
                } else if COLOUR_FUNCTIONS.iter().any(|f| name.eq_ignore_ascii_case(f)) {
                    colour = colour_value(input.slice_from(start));
                }
            }
            Token::Hash(_) | Token::IDHash(_) | Token::Ident(_) => {
                if let Some(value) = colour_value(input.slice_from(start)) {
                    colour = Some(value);
                }
            }
            _ => {}
        }
    }
    let colour = colour.unwrap_or(ColourValue::Rgba(Rgba::TRANSPARENT));
    vec![Prop::BackgroundColor(colour), Prop::BackgroundImage(image)]
}

/// A CSS `<color>` (or a CSS-wide keyword), or `None` if the value is not one.
pub fn colour_value(value: &str) -> Option<ColourValue> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let keyword = match lower.as_str() {
        "transparent" => Some(ColourValue::Rgba(Rgba::TRANSPARENT)),
        "currentcolor" => Some(ColourValue::CurrentColor),
        "inherit" => Some(ColourValue::Inherit),
        "initial" => Some(ColourValue::Initial),
        "unset" | "revert" | "revert-layer" => Some(ColourValue::Unset),
        "linktext" | "-webkit-link" => Some(ColourValue::Link),
        "canvas" => Some(ColourValue::Canvas),
        "canvastext" => Some(ColourValue::CanvasText),
        _ => None,
    };
    if keyword.is_some() {
        return keyword;
    }
    let css_form = if let Some(hex) = lower.strip_prefix('#') {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    } else if let Some((name, _)) = lower.split_once('(') {
        COLOUR_FUNCTIONS.contains(&name.trim_end()) && lower.ends_with(')')
    } else {
        // A named colour; the parser below would also read bare hex digits, which CSS does not.
        lower.bytes().all(|b| b.is_ascii_alphabetic())
    };
    if !css_form {
        return None;
    }
    csscolorparser::parse(&lower).ok().map(|colour| ColourValue::Rgba(Rgba::from(colour)))
}

/// The HTML "rules for parsing a legacy colour value", as `bgcolor` and `<font color>` are read.
pub fn legacy_colour(value: &str) -> Option<Rgba> {
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if value.is_empty() || value.eq_ignore_ascii_case("transparent") {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_alphabetic())
        && let Ok((r, g, b)) = cssparser::color::parse_named_color(&value.to_ascii_lowercase())
    {
        return Some(Rgba { r, g, b, a: 1.0 });
    }
    let bytes = value.as_bytes();
    if bytes.len() == 4 && bytes[0] == b'#' && bytes[1..].iter().all(u8::is_ascii_hexdigit) {
        let digit = |b: u8| (b as char).to_digit(16).map_or(0, |d| d as u8) * 17;
        return Some(Rgba { r: digit(bytes[1]), g: digit(bytes[2]), b: digit(bytes[3]), a: 1.0 });
    }
    let mut digits: Vec<char> =
        value.chars().flat_map(|c| if u32::from(c) > 0xFFFF { vec!['0', '0'] } else { vec![c] }).take(128).collect();
    if digits.first() == Some(&'#') {
        digits.remove(0);
    }
    for digit in &mut digits {
        if !digit.is_ascii_hexdigit() {
            *digit = '0';
        }
    }
    while digits.is_empty() || !digits.len().is_multiple_of(3) {
        digits.push('0');
    }
    let mut length = digits.len() / 3;
    let mut parts: Vec<Vec<char>> = digits.chunks(length).map(<[char]>::to_vec).collect();
    if length > 8 {
        for part in &mut parts {
            part.drain(..length - 8);
        }
        length = 8;
    }
    while length > 2 && parts.iter().all(|part| part[0] == '0') {
        for part in &mut parts {
            part.remove(0);
        }
        length -= 1;
    }
    let channel = |part: &[char]| {
        let text: String = part.iter().take(2).collect();
        u8::from_str_radix(&text, 16).unwrap_or(0)
    };
    Some(Rgba { r: channel(&parts[0]), g: channel(&parts[1]), b: channel(&parts[2]), a: 1.0 })
}
