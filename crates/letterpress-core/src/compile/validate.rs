//! Validates MJML elements and attributes against the reference compiler's component table:
//! unknown elements, elements in the wrong place, unknown attributes and values of the wrong
//! type. mrml accepts most of these silently, so without this a typo just makes content vanish.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::walk::{Place, Visitor, walk};
use crate::diagnostic::Severity;
use crate::markup::{EndTag, StartTag};

/// How many attributes an element does not take are reported one by one; the rest of them are
/// counted in one more warning. A document with thousands of them (generated, or pasted from
/// elsewhere) would otherwise bury every other problem, and cost a diagnostic each.
const UNKNOWN_ATTRIBUTES_LISTED: usize = 20;

/// The component table, generated from the `mjml` package by `scripts/mjml-schema.cjs`.
const SCHEMA_JSON: &str = include_str!("mjml-schema.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Schema {
    /// Which compiler the table was taken from.
    pub source: String,
    /// Attributes every element accepts.
    pub global_attributes: Vec<String>,
    /// Colour names the `color` type accepts.
    pub colors: Vec<String>,
    pub elements: FxHashMap<String, Element>,
    /// Every attribute name some element takes, the global ones included.
    #[serde(skip)]
    known_attributes: FxHashSet<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Element {
    /// Whether the content is raw HTML rather than MJML.
    pub ending: bool,
    /// Attribute name → type, such as `color`, `unit(px,%)` or `enum(left,center,right)`.
    pub attributes: FxHashMap<String, String>,
    /// Allowed child elements; entries starting `re:` are patterns that allow anything.
    pub children: Vec<String>,
}

impl Schema {
    /// Whether some element takes an attribute called `name`. An element also reads some names
    /// of others that its own entry leaves out (`mj-hero` reads `align`, `mj-accordion` hands its
    /// `icon-*` down), so only a name no element takes is surely ignored by every compiler.
    pub fn is_known_attribute(&self, name: &str) -> bool {
        self.known_attributes.contains(name)
    }
}

/// The MJML component table, for validation and for editor completion.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema: Schema = serde_json::from_str(SCHEMA_JSON).expect("the bundled MJML schema is valid JSON");
        let names = schema.elements.values().flat_map(|element| element.attributes.keys());
        schema.known_attributes = names.chain(&schema.global_attributes).cloned().collect();
        schema
    })
}

/// One validation problem at a byte range of the checked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Checks every MJML element of `text`.
pub fn validate(text: &str) -> Vec<Problem> {
    let mut validator = Validator::default();
    walk(text, &mut [&mut validator]);
    validator.finish()
}

/// Validation as a visitor of the document's one [`walk`].
#[derive(Debug, Default)]
pub struct Validator<'a> {
    problems: Vec<Problem>,
    /// Open MJML elements with the offset of their `<`.
    stack: Vec<(&'a str, usize)>,
    /// Set when an element kept as written is never closed: everything after it is its content,
    /// so its ancestors cannot be checked, and reporting them as unclosed too would only bury the
    /// one real problem.
    stopped: bool,
}

impl<'a> Validator<'a> {
    /// The problems found, unclosed elements last.
    pub fn finish(mut self) -> Vec<Problem> {
        if !self.stopped {
            for (name, start) in self.stack.drain(..) {
                self.problems.push(Problem {
                    severity: Severity::Error,
                    start,
                    end: start + 1 + name.len(),
                    message: format!("`<{name}>` is never closed"),
                });
            }
        }
        self.problems
    }

    fn error(&mut self, severity: Severity, start: usize, end: usize, message: String) {
        self.problems.push(Problem { severity, start, end, message });
    }
}

impl<'a> Visitor<'a> for Validator<'a> {
    fn end(&mut self, tag: &EndTag<'a>, place: Place) {
        if place != Place::Mjml || !(tag.name == "mjml" || tag.name.starts_with("mj-")) {
            return;
        }
        match self.stack.iter().rposition(|(name, _)| *name == tag.name) {
            Some(open) => {
                if let Some(&(inner, _)) = self.stack.get(open + 1) {
                    let message =
                        format!("`</{}>` closes `<{}>` while `<{inner}>` inside it is still open", tag.name, tag.name);
                    self.error(Severity::Error, tag.start, tag.end, message);
                }
                self.stack.truncate(open);
            }
            None => {
                let message = format!("`</{}>` has no matching `<{}>`", tag.name, tag.name);
                self.error(Severity::Error, tag.start, tag.end, message);
            }
        }
    }

    fn unclosed(&mut self, tag: &StartTag<'a>) {
        self.error(Severity::Error, tag.start, tag.end, format!("`<{}>` is never closed", tag.name));
        self.stopped = true;
    }

    fn start(&mut self, tag: &StartTag<'a>, place: Place) {
        let is_mjml = tag.name == "mjml" || tag.name.starts_with("mj-");
        if place != Place::Mjml || !is_mjml {
            return;
        }
        let schema = schema();
        let parent = self.stack.last().map(|&(name, _)| name);
        // Children of `mj-attributes` name the element whose defaults they set; their attributes
        // belong to that element and are checked by the compiler when applied.
        if parent == Some("mj-attributes") {
            if !tag.self_closing {
                self.stack.push((tag.name, tag.start));
            }
            return;
        }
        if self.stack.iter().any(|&(name, _)| name == "mj-attributes") {
            return;
        }
        if !tag.self_closing {
            self.stack.push((tag.name, tag.start));
        }
        let Some(element) = schema.elements.get(tag.name) else {
            let suggestion = closest(tag.name, schema.elements.keys().map(String::as_str))
                .map_or_else(String::new, |s| format!("; did you mean `<{s}>`?"));
            let message = format!("`<{}>` is not an MJML element and is left out of the output{suggestion}", tag.name);
            self.error(Severity::Error, tag.start, tag.start + 1 + tag.name.len(), message);
            return;
        };
        if let Some(parent) = parent
            && let Some(parent_element) = schema.elements.get(parent)
            && !allows_child(parent_element, tag.name)
        {
            let mut places: Vec<&str> = schema
                .elements
                .iter()
                .filter(|(_, e)| e.children.iter().any(|c| c == tag.name))
                .map(|(name, _)| name.as_str())
                .collect();
            places.sort_unstable();
            let message = format!(
                "`<{}>` cannot be used inside `<{parent}>`, only inside {}",
                tag.name,
                places.iter().map(|p| format!("`<{p}>`")).collect::<Vec<_>>().join(", ")
            );
            self.error(Severity::Warning, tag.start, tag.start + 1 + tag.name.len(), message);
        }
        // The first unknown attribute past the listed ones (its name's range), and how many there are.
        let mut unlisted: Option<(usize, usize, usize)> = None;
        let mut unknown = 0;
        for attribute in &tag.attributes {
            let (name, name_start, value_end) = (attribute.name, attribute.start, attribute.end);
            let value = attribute.value.as_ref().map_or("", |v| v.text);
            if schema.global_attributes.iter().any(|g| g == name) {
                continue;
            }
            match element.attributes.get(name) {
                None if unknown == UNKNOWN_ATTRIBUTES_LISTED => {
                    unlisted.get_or_insert((name_start, name_start + name.len(), 0)).2 += 1;
                }
                None => {
                    unknown += 1;
                    let suggestion = closest(name, element.attributes.keys().map(String::as_str))
                        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                    let message = format!("attribute `{name}` is not allowed on `<{}>`{suggestion}", tag.name);
                    self.error(Severity::Warning, name_start, name_start + name.len(), message);
                }
                Some(kind) => {
                    // A placeholder is filled later with a value this check cannot see.
                    if value.contains("{{") {
                        continue;
                    }
                    if let Some(expected) = type_error(kind, value, &schema.colors) {
                        let message =
                            format!("attribute `{name}` has the invalid value `{value}`: expected {expected}");
                        self.error(Severity::Warning, name_start, value_end, message);
                    }
                }
            }
        }
        if let Some((start, end, count)) = unlisted {
            let (more, are) = if count == 1 { ("attribute", "is") } else { ("attributes", "are") };
            let message = format!(
                "{count} more {more} after these {are} not allowed on `<{}>`; \
                 only the first {UNKNOWN_ATTRIBUTES_LISTED} of an element are listed",
                tag.name
            );
            self.error(Severity::Warning, start, end, message);
        }
    }
}

fn allows_child(parent: &Element, child: &str) -> bool {
    parent.children.iter().any(|allowed| allowed == child || allowed.starts_with("re:"))
}

/// The closest candidate within a small edit distance, to suggest for a typo.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = 2.max(name.len() / 4);
    let counts = ascii_counts(name);
    candidates
        // Most candidates are ruled out without computing the distance, which matters for
        // documents with thousands of unknown names: the distance is at least the difference in
        // length, and at least what the bags of characters differ by.
        .filter(|c| c.len().abs_diff(name.len()) <= limit)
        .filter(|c| counts.as_ref().is_none_or(|counts| within_bag_distance(counts, name.len(), c, limit)))
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, c)| c)
}

/// How often each ASCII character occurs in `name`; `None` when it is not all ASCII, or too long
/// for a count to fit in a byte (no name it could be a typo of is that long).
fn ascii_counts(name: &str) -> Option<[u8; 128]> {
    if name.len() > usize::from(u8::MAX) {
        return None;
    }
    let mut counts = [0u8; 128];
    for byte in name.bytes() {
        *counts.get_mut(usize::from(byte))? += 1;
    }
    Some(counts)
}

/// Whether the edit distance between a name of `length` ASCII characters counted in `counts` and
/// `other` may be at most `limit`: it is at least the number of characters one has beyond the
/// other's (counted with repetition), so a larger count rules the pair out. A name that is not
/// ASCII is never ruled out.
fn within_bag_distance(counts: &[u8; 128], length: usize, other: &str, limit: usize) -> bool {
    let mut left = *counts;
    let mut shared = 0;
    for byte in other.bytes() {
        let Some(count) = left.get_mut(usize::from(byte)) else { return true };
        if *count > 0 {
            *count -= 1;
            shared += 1;
        }
    }
    (length - shared).max(other.len() - shared) <= limit
}

/// Checks `value` against an MJML type; returns what was expected when it does not fit. Mirrors
/// the reference compiler's type checks, including their leniencies.
fn type_error(kind: &str, value: &str, colors: &[String]) -> Option<String> {
    if let Some(list) = kind.strip_prefix("enum(").and_then(|k| k.strip_suffix(')')) {
        return (!list.split(',').any(|option| option == value))
            .then(|| format!("one of {}", list.split(',').collect::<Vec<_>>().join(", ")));
    }
    match kind {
        "string" => None,
        "boolean" => (!value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false"))
            .then(|| "`true` or `false`".to_owned()),
        "integer" => (!value.bytes().any(|b| b.is_ascii_digit())).then(|| "a whole number".to_owned()),
        "color" => {
            (!is_color(value, colors)).then(|| "a colour such as `#1a2b3c`, `rgb(26, 43, 60)` or `navy`".to_owned())
        }
        _ if kind.starts_with("unit") => unit_error(kind, value),
        _ => None,
    }
}

fn is_color(value: &str, colors: &[String]) -> bool {
    let hex = value
        .strip_prefix('#')
        .is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.bytes().all(|b| b.is_ascii_hexdigit()));
    // `rgba(` holds `rgb` followed by `a(`, so one search in any case covers both.
    let functional = value.as_bytes().windows(4).enumerate().any(|(at, w)| {
        w[..3].eq_ignore_ascii_case(b"rgb")
            && (w[3] == b'(' || (w[3].eq_ignore_ascii_case(&b'a') && value.as_bytes().get(at + 4) == Some(&b'(')))
    });
    hex || functional || colors.iter().any(|c| c == value)
}

fn unit_error(kind: &str, value: &str) -> Option<String> {
    let negative = kind.starts_with("unitWithNegative");
    let units_list = kind.split_once('(').and_then(|(_, rest)| rest.split_once(')'))?;
    let units = || units_list.0.split(',');
    let (min, max) = match units_list.1.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        Some(range) => {
            let (lo, hi) = range.split_once(',').unwrap_or((range, range));
            (lo.trim().parse().unwrap_or(1), hi.trim().parse().unwrap_or(1))
        }
        None => (1usize, 1usize),
    };
    let auto = units().any(|u| u == "auto");
    let token_ok = |token: &str| {
        if token == "0" || (auto && token == "auto") {
            return true;
        }
        units().filter(|u| *u != "auto").any(|unit| {
            token.strip_suffix(unit).is_some_and(|number| {
                !number.is_empty()
                    && number.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.' || (negative && b == b'-'))
            })
        })
    };
    let tokens = || value.trim_end().split(' ');
    let fits = (min..=max).contains(&tokens().count()) && tokens().all(token_ok);
    if fits {
        return None;
    }
    let shown: Vec<String> = units()
        .filter(|u| *u != "auto")
        .map(|u| if u.is_empty() { "a plain number".to_owned() } else { format!("`{u}`") })
        .collect();
    let count = if max > 1 { format!("{min} to {max} values") } else { "a value".to_owned() };
    Some(format!("{count} in {}{}", shown.join(" or "), if auto { " or `auto`" } else { "" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_kind() {
        let colors = vec!["navy".to_owned()];
        for ok in ["#1a2b3c", "#abc", "rgb(1, 2, 3)", "RGBA(1,2,3,.5)", "navy", "x rgb(0,0,0)"] {
            assert_eq!(type_error("color", ok, &colors), None, "{ok}");
        }
        for bad in ["#abcd", "rgb", "rgba", "Navy", "rgb a(", "blue"] {
            assert!(type_error("color", bad, &colors).is_some(), "{bad}");
        }
        assert_eq!(type_error("enum(left,right)", "right", &colors), None);
        assert_eq!(type_error("enum(left,right)", "top", &colors).as_deref(), Some("one of left, right"));
        let padding = "unit(px,%){1,4}";
        for ok in ["0", "10px", "1px 2px 3px 4px", "50%", "1.5px "] {
            assert_eq!(type_error(padding, ok, &colors), None, "{ok}");
        }
        assert_eq!(
            type_error(padding, "1px 2px 3px 4px 5px", &colors).as_deref(),
            Some("1 to 4 values in `px` or `%`")
        );
        assert_eq!(type_error("unit(px,auto)", "auto", &colors), None);
        assert!(type_error("unit(px)", "-1px", &colors).is_some());
        assert_eq!(type_error("unitWithNegative(px)", "-1px", &colors), None);
    }

    #[test]
    fn the_bag_distance_never_rules_out_a_close_name() {
        let names = ["font-size", "font-family", "padding", "color", "href", "alt", "css-class", "mj-class"];
        let tries = ["font-szie", "fontsize", "fnot-family", "padidng", "colour", "hrf", "at", "cssclass", "data-a12"];
        for name in names {
            for tried in tries {
                let limit = 2.max(tried.len() / 4);
                if strsim::levenshtein(tried, name) <= limit {
                    assert!(
                        within_bag_distance(&ascii_counts(tried).unwrap(), tried.len(), name, limit),
                        "{tried} / {name}"
                    );
                }
            }
        }
        assert!(!within_bag_distance(&ascii_counts("data-a12345").unwrap(), 11, "font-size", 2));
    }

    proptest::proptest! {
        /// The pruning is sound: a pair at distance `d` always passes with the limit `d`.
        #[test]
        fn the_bag_distance_is_never_more_than_the_edit_distance(a in "[a-f-]{0,12}", b in "[a-f-]{0,12}") {
            let distance = strsim::levenshtein(&a, &b);
            proptest::prop_assert!(within_bag_distance(&ascii_counts(&a).unwrap(), a.len(), &b, distance));
        }
    }

    fn messages(text: &str) -> Vec<String> {
        validate(text).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn the_schema_loads_and_knows_the_components() {
        let schema = schema();
        assert!(schema.source.starts_with("mjml 5"));
        assert!(schema.elements["mj-text"].ending);
        assert!(schema.elements["mj-section"].children.iter().any(|c| c == "mj-column"));
    }

    #[test]
    fn typos_in_elements_and_attributes_get_suggestions() {
        let found = messages(
            "<mjml><mj-body><mj-section><mj-colum colour=\"red\"></mj-colum><mj-column widht=\"50%\"></mj-column></mj-section></mj-body></mjml>",
        );
        assert_eq!(
            found,
            [
                "`<mj-colum>` is not an MJML element and is left out of the output; did you mean `<mj-column>`?",
                "attribute `widht` is not allowed on `<mj-column>`; did you mean `width`?",
            ]
        );
    }

    #[test]
    fn unknown_attributes_past_the_first_ones_are_counted_in_one_warning() {
        let attributes = |count: usize| (0..count).map(|n| format!(" data-a{n}=\"x\"")).collect::<String>();
        let text = |count| {
            format!(
                "<mjml><mj-body><mj-section><mj-column><mj-text{} padding=\"1px\">x</mj-text></mj-column></mj-section></mj-body></mjml>",
                attributes(count)
            )
        };

        let listed = validate(&text(UNKNOWN_ATTRIBUTES_LISTED));
        assert_eq!(listed.len(), UNKNOWN_ATTRIBUTES_LISTED);

        let document = text(UNKNOWN_ATTRIBUTES_LISTED + 1);
        let found = validate(&document);
        assert_eq!(found.len(), UNKNOWN_ATTRIBUTES_LISTED + 1);
        let last = found.last().unwrap();
        assert_eq!(&document[last.start..last.end], format!("data-a{UNKNOWN_ATTRIBUTES_LISTED}"));
        assert_eq!(
            last.message,
            "1 more attribute after these is not allowed on `<mj-text>`; only the first 20 of an element are listed"
        );

        let found = validate(&text(5000));
        assert_eq!(found.len(), UNKNOWN_ATTRIBUTES_LISTED + 1);
        assert!(found.last().unwrap().message.starts_with("4980 more attributes after these are not allowed"));
        assert!(found.iter().all(|problem| problem.severity == Severity::Warning));
    }

    #[test]
    fn misplaced_elements_and_bad_values() {
        let found = messages(
            "<mjml><mj-body><mj-column><mj-text align=\"middle\" color=\"notacolour\" font-size=\"12\" padding=\"1px 2px 3px 4px 5px\">x<mj-bogus></mj-text></mj-column></mj-body></mjml>",
        );
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(
            found[0].starts_with(
                "`<mj-column>` cannot be used inside `<mj-body>`, only inside `<mj-group>`, `<mj-section>`"
            ),
            "{}",
            found[0]
        );
        assert_eq!(
            found[1],
            "attribute `align` has the invalid value `middle`: expected one of left, right, center, justify"
        );
        assert!(found[2].contains("`notacolour`"));
        assert_eq!(found[3], "attribute `font-size` has the invalid value `12`: expected a value in `px`");
        assert_eq!(
            found[4],
            "attribute `padding` has the invalid value `1px 2px 3px 4px 5px`: expected 1 to 4 values in `px` or `%`"
        );
    }

    #[test]
    fn valid_documents_and_placeholders_pass() {
        let text = "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-attributes><mj-all font-family=\"Arial\" /><mj-class name=\"x\" color=\"red\" /></mj-attributes></mj-head>\
            <mj-body width=\"600px\"><mj-section padding=\"0 10px\" css-class=\"a\"><mj-column width=\"50%\"><mj-image src=\"a.png\" alt=\"\" width=\"{{w}}\" />\
            <mj-button href=\"{{url}}\" background-color=\"#fff\" mj-class=\"x\">Go</mj-button><mj-divider border-color=\"rgba(0,0,0,0.1)\" /></mj-column></mj-section></mj-body></mjml>";
        assert_eq!(messages(text), Vec::<String>::new());
    }
}
