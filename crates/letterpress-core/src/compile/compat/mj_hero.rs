//! `mj-hero mode="fluid-height"`. mrml 6.0.1 renders it as a fixed height hero of `height` (0)
//! minus its padding, so the cell gets `height="-40"`; the reference leaves the height to the
//! content and puts a cell on each side whose bottom padding keeps the background's proportions.

use super::Splices;
use crate::markup::StartTag;

/// How mrml starts the `div` inside a hero's cell.
const CONTENT: &str = "<div class=\"mj-hero-content\"";

/// The background ratio, in percent, of an `mj-hero` of the body whose mode is `fluid-height`:
/// the reference's `Math.round(parseInt(height) / parseInt(width) * 100)`. Recorded in document
/// order before mrml runs.
pub fn ratio(tag: &StartTag<'_>) -> Option<i64> {
    let number = |name: &str| {
        tag.value(name).and_then(|v| {
            let digits: String = v.trim().chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse::<f64>().ok()
        })
    };
    match (tag.value("mode"), number("background-height"), number("background-width")) {
        (Some("fluid-height"), Some(height), Some(width)) if width > 0.0 => {
            Some((height / width * 100.0).round() as i64)
        }
        _ => None,
    }
}

/// Whether `tag` is the content `div` mrml writes in every hero's cell. Raw content is not back
/// yet, so every such `div` is mrml's.
pub fn is_content(html: &str, tag: &StartTag<'_>) -> bool {
    tag.name == "div" && html[tag.start..].starts_with(CONTENT)
}

/// Makes the hero whose content `div` starts at `content` fluid, with the background ratio
/// `ratio`: drops the height of its cell and puts a cell on each side. `respell` is applied to
/// the rewritten cell, whose other repairs are skipped for it.
pub fn repair(html: &str, content: usize, ratio: i64, splices: &mut Splices<'_>, respell: impl Fn(&str) -> String) {
    // The content cell is the last `<td` before the Outlook comment that precedes the div.
    let before = &html[..content];
    let comment = before.rfind("<!--[if mso | IE]>").unwrap_or(content);
    let Some(cell) = html[..comment].rfind("<td") else { return };
    let Some(cell_len) = html[cell..].find('>') else { return };
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
    splices.replace(cell..cell + open.len(), format!("{magic}{}", respell(&fixed)));
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
        let after = close + "</td>".len();
        splices.replace(after..after, magic);
    }
}
