//! Width arithmetic: mrml computes column widths in `f32`, the reference compiler in `f64`, and
//! the reference also floors the width each element hands down to its children.
//!
//! Two things follow. Class names and media queries spell the width differently
//! (`mj-column-per-33-333332` against `mj-column-per-33-33333333333333`), which the repair
//! rewrites. And a percentage that leaves a box just below a whole pixel in `f64` can round up to
//! that whole pixel in `f32`: a third of 600 px is 199.99999999999997 px for the reference, floored
//! to 199, but exactly 200 for mrml, so an image inside comes out a pixel wider. A percentage that
//! `f32` cannot hold is therefore handed to mrml a millionth smaller, which keeps mrml's box below
//! the whole pixel, and the repair floors the fractional image widths that result, as the
//! reference does.

use super::Splices;
use crate::markup;

/// How a width mrml writes is spelled by the reference: `(mrml, reference)` pairs.
#[derive(Debug, Clone, Default)]
pub struct Widths {
    pairs: Vec<(String, String)>,
    /// For each `mj-button` of the body with a width in pixels, in document order: the width of
    /// its link as mrml writes it and as the reference does, which also subtracts the borders.
    buttons: Vec<(String, String)>,
}

/// How many columns share a row in the widest layout worth spelling out for automatic widths.
const MAX_AUTOMATIC_COLUMNS: u16 = 64;

impl Widths {
    /// The value to hand mrml for the `width` of an `mj-column` or `mj-group`, if it must change.
    pub fn rewrite(&mut self, value: &str) -> Option<String> {
        let number = value.trim().strip_suffix('%')?.trim();
        let reference: f64 = number.parse().ok().filter(|n: &f64| n.is_finite() && *n > 0.0)?;
        if f64::from(reference as f32) == reference {
            return None;
        }
        let lowered = (reference * (1.0 - 1e-6)) as f32;
        let written = format!("{lowered}");
        // Each spelling once: the respelling compares every candidate with every pair, and a
        // long document repeats a handful of widths in thousands of columns.
        if !self.pairs.iter().any(|(mrml, _)| *mrml == written) {
            self.pairs.push((written.clone(), format!("{reference}")));
        }
        Some(format!("{written}%"))
    }

    /// Records the link width of an `mj-button` of the body. Only the button's own attributes
    /// are read; a border set through `mj-attributes` is not seen.
    pub fn button(&mut self, tag: &markup::StartTag<'_>) {
        let Some(width) =
            tag.value("width").and_then(|w| w.trim().strip_suffix("px")).and_then(|w| w.trim().parse::<f32>().ok())
        else {
            return;
        };
        let padding: Vec<f32> = tag
            .value("inner-padding")
            .unwrap_or("10px 25px")
            .split_whitespace()
            .map(|v| v.trim_end_matches("px").parse().unwrap_or(0.0))
            .collect();
        let (right, left) = match padding.as_slice() {
            [all] => (*all, *all),
            [_, sides] | [_, sides, _] => (*sides, *sides),
            [_, right, _, left, ..] => (*right, *left),
            [] => (25.0, 25.0),
        };
        let border = |side: &str| {
            let value = tag.value(&format!("border-{side}")).or_else(|| tag.value("border")).unwrap_or("");
            value.split_whitespace().find_map(|token| token.trim_end_matches("px").parse::<f32>().ok()).unwrap_or(0.0)
        };
        let mrml = width - left - right;
        let reference = width.trunc() - left.trunc() - right.trunc() - border("left").trunc() - border("right").trunc();
        self.buttons.push((format!("{mrml}px"), format!("{reference}px")));
    }

    /// The button links mrml wrote, as `(mrml, reference)` widths in document order, when some
    /// must change; `None` when none does.
    pub fn buttons(&self) -> Option<std::slice::Iter<'_, (String, String)>> {
        (!self.buttons.iter().all(|(mrml, reference)| mrml == reference)).then(|| self.buttons.iter())
    }

    /// The `(mrml, reference)` spellings of the widths whose spelling differs.
    fn spellings(&self) -> impl Iterator<Item = &(String, String)> + Clone {
        self.pairs.iter().chain(automatic_widths())
    }

    /// Respells the widths of `html` the way the reference does.
    pub fn respell(&self, html: &str, splices: &mut Splices<'_>) {
        respell(html, self.spellings(), splices);
    }

    /// `text` with its widths respelled, for a piece of HTML that another repair rewrites whole.
    pub fn respelled(&self, text: &str) -> String {
        let mut splices = Splices::default();
        self.respell(text, &mut splices);
        splices.apply(text)
    }
}

/// mrml's button links start their style with `display:inline-block;width:`, in document order;
/// each gets the reference's width from `buttons`.
pub fn repair_button<'a>(
    tag: &markup::StartTag<'_>,
    buttons: &mut impl Iterator<Item = &'a (String, String)>,
    splices: &mut Splices<'a>,
) {
    const STYLE: &str = "display:inline-block;width:";
    let Some(attribute) = tag.attribute("style") else { return };
    let Some(value) = attribute.value.as_ref().filter(|v| v.quote == Some('"') && v.text.starts_with(STYLE)) else {
        return;
    };
    let Some((mrml, reference)) = buttons.next() else { return };
    let width = attribute.end - 1 - value.text.len() + STYLE.len();
    if value.text[STYLE.len()..].strip_prefix(mrml.as_str()).is_some_and(|after| after.starts_with(';')) {
        splices.replace(width..width + mrml.len(), reference.as_str());
    }
}

/// The automatic column widths whose spelling differs: mrml's is `100.0 / n` in `f32`, the
/// reference's `100 / n` in `f64`. Computed once; formatting them on every compile was a fifth
/// of the repair's cost.
fn automatic_widths() -> &'static [(String, String)] {
    static PAIRS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    PAIRS.get_or_init(|| {
        (1..=MAX_AUTOMATIC_COLUMNS)
            .map(|columns| (format!("{}", 100f32 / f32::from(columns)), format!("{}", 100f64 / f64::from(columns))))
            .filter(|(mrml, reference)| mrml != reference)
            .collect()
    })
}

/// Rewrites `mj-column-per-A` and `:A%` to the reference spelling for each pair.
fn respell<'a>(html: &str, pairs: impl Iterator<Item = &'a (String, String)> + Clone, splices: &mut Splices<'_>) {
    const CLASS: &str = "mj-column-per-";
    // A document holds only a few candidate positions, so each is compared with the spellings
    // directly; building lookup tables cost more than the comparisons.
    let class_of = |token: &str| {
        pairs.clone().find(|(mrml, _)| {
            mrml.len() == token.len()
                && mrml.bytes().zip(token.bytes()).all(|(m, t)| m == t || (m == b'.' && t == b'-'))
        })
    };
    let percent_of = |number: &str| pairs.clone().find(|(mrml, _)| mrml == number);
    let ends_word =
        |after: &str| after.chars().next().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'));
    // Replacements found from the few `mj-column-per-` and `%` positions rather than by stopping
    // at every colon of the document.
    for at in memchr::memmem::find_iter(html.as_bytes(), CLASS) {
        let start = at + CLASS.len();
        let rest = &html[start..];
        let len = rest.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(rest.len());
        if let Some((_, reference)) = class_of(&rest[..len]).filter(|_| ends_word(&rest[len..])) {
            splices.replace(start..start + len, reference.replace('.', "-"));
        }
    }
    for percent in memchr::memchr_iter(b'%', html.as_bytes()) {
        // Bytes, not characters: the byte before the number may end a multi-byte character.
        let number_start =
            html.as_bytes()[..percent].iter().rposition(|b| !(b.is_ascii_digit() || *b == b'.')).map_or(0, |i| i + 1);
        if number_start == percent || !html[..number_start].ends_with(':') {
            continue;
        }
        let end = percent + 1;
        if let Some((_, reference)) = percent_of(&html[number_start..percent]).filter(|_| ends_word(&html[end..])) {
            splices.replace(number_start..end, format!("{reference}%"));
        }
    }
}

/// Floors the width of an image or its cell, where mrml gave it a fractional one
/// (`width="149.99998"` on the `img`, `width:149.99998px;` on its cell) and the reference floors
/// the box before subtracting.
pub fn floor(tag: &markup::StartTag<'_>, splices: &mut Splices<'_>) {
    if let Some((range, floored)) = floored_width(tag) {
        splices.replace(range, floored);
    }
}

/// The range of the attribute [`floor`] rewrites, and what replaces it.
fn floored_width(tag: &markup::StartTag<'_>) -> Option<(std::ops::Range<usize>, String)> {
    let target = match tag.name {
        "img" => tag.attribute("width").and_then(|a| a.value.as_ref().map(|v| (a, v.text))),
        "td" => tag.attribute("style").and_then(|a| {
            a.value.as_ref().filter(|v| v.text.starts_with("width:") && v.text.ends_with("px;")).map(|v| (a, v.text))
        }),
        _ => None,
    };
    let (attribute, value) = target?;
    let (prefix, number, suffix) = match value.strip_prefix("width:") {
        Some(style) => ("width:", style.trim_end_matches("px;"), "px;"),
        None => ("", value, ""),
    };
    if !number.contains('.') {
        return None;
    }
    let parsed = number.parse::<f64>().ok()?;
    Some((attribute.start..attribute.end, format!("{}=\"{prefix}{}{suffix}\"", attribute.name, parsed.floor())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_percentages_are_left_alone() {
        let mut widths = Widths::default();
        assert_eq!(widths.rewrite("50%"), None);
        assert_eq!(widths.rewrite("200px"), None);
        assert_eq!(widths.rewrite("33.5%"), None);
    }

    #[test]
    fn inexact_percentages_are_lowered_and_respelled() {
        let mut widths = Widths::default();
        let written = widths.rewrite("33.33333333333333%").unwrap();
        let value: f32 = written.trim_end_matches('%').parse().unwrap();
        assert!(600.0 * value / 100.0 < 200.0);
        let mrml = written.trim_end_matches('%').to_owned();
        let html = format!(".mj-column-per-{} {{ width:{mrml}% !important; }}", mrml.replace('.', "-"));
        assert_eq!(
            widths.respelled(&html),
            ".mj-column-per-33-33333333333333 { width:33.33333333333333% !important; }"
        );
    }

    #[test]
    fn a_width_repeated_in_many_columns_is_one_spelling() {
        let mut widths = Widths::default();
        for _ in 0..1000 {
            assert!(widths.rewrite("33.33333333333333%").is_some());
        }
        widths.rewrite("66.66666666666667%").unwrap();
        assert_eq!(widths.pairs.len(), 2);
    }

    #[test]
    fn automatic_widths_are_respelled() {
        let html = "<div class=\"mj-column-per-33-333332 x\" style=\"width:14.285714%\">";
        assert_eq!(
            Widths::default().respelled(html),
            "<div class=\"mj-column-per-33-333333333333336 x\" style=\"width:14.285714285714286%\">"
        );
    }

    #[test]
    fn fractional_image_widths_are_floored() {
        let html = "<td style=\"width:149.99998px;\"><img height=\"auto\" width=\"149.99998\" />";
        let floored: Vec<_> = [0, html.find("<img").unwrap()]
            .into_iter()
            .filter_map(|at| floored_width(&markup::start_tag(html, at).unwrap()))
            .map(|(range, text)| (&html[range], text))
            .collect();
        assert_eq!(
            floored,
            [
                ("style=\"width:149.99998px;\"", "style=\"width:149px;\"".to_owned()),
                ("width=\"149.99998\"", "width=\"149\"".to_owned())
            ]
        );
    }
}
