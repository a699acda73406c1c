//! The caniemail data set: which mail clients support which HTML and CSS features.
//!
//! A snapshot of the npm package `caniemail` (MIT, see `caniemail.LICENSE`) is compiled in; it
//! keeps, for every feature and client, the support of the latest tested version only.
//! `scripts/refresh-caniemail.mjs` writes it. The lookups map what compiled HTML uses (an
//! element, an attribute, a CSS property, an at-rule…) to a feature; their tables are built from
//! the snapshot's slugs, titles and keywords, so a refreshed snapshot brings its new features.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A mail client on one platform, e.g. `outlook-windows`, "Outlook (Windows)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// caniemail's family and platform, joined by a hyphen.
    pub id: String,
    /// Human name, from the data's nicenames.
    pub name: String,
}

/// One caniemail feature, e.g. `css-border-radius`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feature {
    pub slug: String,
    pub title: String,
    pub url: String,
    /// `html`, `css`, `image` or `others`.
    pub category: String,
    /// One support value per client of the snapshot, in the order of [`clients`].
    #[serde(skip)]
    support: Vec<Support>,
    #[serde(skip)]
    keywords: Vec<String>,
}

/// How a client supports a feature (in its latest tested version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "support", content = "note")]
pub enum Support {
    Yes,
    /// Supported with limits, which the note (when there is one) describes.
    Partial(Option<String>),
    No,
    /// Not tested, or tested without a conclusion.
    Unknown,
}

/// The clients the support score is given for: the popular ones.
pub const POPULAR: &[&str] = &[
    "gmail-desktop-webmail",
    "gmail-ios",
    "gmail-android",
    "gmail-mobile-webmail",
    "outlook-windows",
    "outlook-windows-mail",
    "outlook-macos",
    "outlook-outlook-com",
    "outlook-ios",
    "outlook-android",
    "apple-mail-macos",
    "apple-mail-ios",
    "yahoo-desktop-webmail",
    "yahoo-ios",
    "yahoo-android",
    "samsung-email-android",
    "thunderbird-macos",
    "aol-desktop-webmail",
    "protonmail-desktop-webmail",
    "fastmail-desktop-webmail",
    "hey-desktop-webmail",
];

/// Elements that caniemail groups under one feature whose title does not name them all; each
/// is one of the feature's keywords (a test checks it).
const ELEMENT_GROUPS: &[(&str, &[&str])] = &[
    ("html-lists", &["ul", "ol", "li", "dl", "dt", "dd"]),
    ("html-h1-h6", &["h1", "h2", "h3", "h4", "h5", "h6"]),
    (
        "html-semantics",
        &[
            "article",
            "aside",
            "details",
            "figcaption",
            "figure",
            "footer",
            "header",
            "main",
            "mark",
            "nav",
            "section",
            "summary",
            "time",
        ],
    ),
    ("html-image-maps", &["map", "area"]),
];

/// Features whose title lists values of properties (keywords), not property names.
const VALUE_FEATURES: &[&str] = &["css-sytem-ui", "css-intrinsic-size"];

/// Attributes caniemail lists outside the `… attribute` titles.
const ATTRIBUTE_EXTRAS: &[(&str, &str)] = &[("inert", "css-inert-attribute"), ("usemap", "html-image-maps")];

/// Functions caniemail names outside a `name()` title.
const FUNCTION_EXTRAS: &[(&str, &str)] = &[
    ("var", "css-variables"),
    ("repeating-linear-gradient", "css-linear-gradient"),
    ("repeating-radial-gradient", "css-radial-gradient"),
    ("repeating-conic-gradient", "css-conic-gradient"),
];

/// The `font` shorthand is a feature of its own; `font-family`, `font-style`… are not it.
const NO_LONGHAND_FALLBACK: &[&str] = &["font"];

#[derive(Deserialize)]
struct RawSnapshot {
    version: String,
    last_update: String,
    clients: Vec<Client>,
    features: Vec<RawFeature>,
}

#[derive(Deserialize)]
struct RawFeature {
    slug: String,
    title: String,
    category: String,
    url: String,
    #[serde(default)]
    keywords: Option<String>,
    support: String,
    #[serde(default)]
    notes: Vec<RawNote>,
}

#[derive(Deserialize)]
struct RawNote {
    clients: Vec<String>,
    text: String,
}

/// The parsed snapshot and its lookup tables.
struct Data {
    version: String,
    last_update: String,
    clients: Vec<Client>,
    features: Vec<Feature>,
    by_slug: HashMap<String, usize>,
    tables: Tables,
}

/// Lookup tables, name → index into `Data::features`.
#[derive(Default)]
struct Tables {
    elements: HashMap<String, usize>,
    typed_elements: HashMap<(String, String), usize>,
    attributes: HashMap<String, usize>,
    properties: HashMap<String, usize>,
    property_values: HashMap<(String, String), usize>,
    value_keywords: HashMap<String, usize>,
    functions: HashMap<String, usize>,
    units: HashMap<String, usize>,
    at_rules: HashMap<String, usize>,
    media_features: HashMap<String, usize>,
    pseudo_classes: HashMap<String, usize>,
    pseudo_elements: HashMap<String, usize>,
    images: HashMap<String, usize>,
}

const SNAPSHOT: &str = include_str!("caniemail.json");

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(load)
}

fn load() -> Data {
    let raw: RawSnapshot = serde_json::from_str(SNAPSHOT).expect("the compiled-in caniemail snapshot is valid JSON");
    let client_index: HashMap<&str, usize> = raw.clients.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let features: Vec<Feature> = raw
        .features
        .into_iter()
        .map(|f| {
            let mut support: Vec<Support> = f
                .support
                .chars()
                .map(|c| match c {
                    'y' => Support::Yes,
                    'n' => Support::No,
                    'a' => Support::Partial(None),
                    _ => Support::Unknown,
                })
                .collect();
            support.resize(raw.clients.len(), Support::Unknown);
            for note in f.notes {
                for id in &note.clients {
                    if let Some(&i) = client_index.get(id.as_str())
                        && let Some(Support::Partial(slot)) = support.get_mut(i)
                    {
                        *slot = Some(note.text.clone());
                    }
                }
            }
            let keywords = f
                .keywords
                .unwrap_or_default()
                .split(',')
                .map(|k| k.trim().to_ascii_lowercase())
                .filter(|k| !k.is_empty())
                .collect();
            Feature { slug: f.slug, title: f.title, url: f.url, category: f.category, support, keywords }
        })
        .collect();
    let by_slug = features.iter().enumerate().map(|(i, f)| (f.slug.clone(), i)).collect();
    let tables = build_tables(&features);
    Data { version: raw.version, last_update: raw.last_update, clients: raw.clients, features, by_slug, tables }
}

fn popular_list() -> &'static [&'static Client] {
    static POPULAR_CLIENTS: OnceLock<Vec<&'static Client>> = OnceLock::new();
    POPULAR_CLIENTS.get_or_init(|| POPULAR.iter().filter_map(|id| client(id)).collect())
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
}

/// The plain tags a title names, e.g. `ul`, `ol`, `dl` in "<ul>, <ol> and <dl>".
fn title_tags(title: &str) -> Vec<&str> {
    title
        .split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .map(|(tag, _)| tag)
        .filter(|t| is_name(t))
        .collect()
}

/// The names a title lists: "gap, column-gap, row-gap", "block-size & inline-size",
/// "height property", "font shorthand".
fn title_names(title: &str) -> Vec<&str> {
    let title = title.trim();
    let title = ["CSS property", "property", "shorthand", "attributes", "attribute"]
        .iter()
        .find_map(|suffix| title.strip_suffix(suffix))
        .unwrap_or(title);
    title.split([',', '&']).flat_map(|part| part.split(" and ")).map(str::trim).filter(|name| is_name(name)).collect()
}

fn build_tables(features: &[Feature]) -> Tables {
    let mut t = Tables::default();
    let slug_index: HashMap<&str, usize> = features.iter().enumerate().map(|(i, f)| (f.slug.as_str(), i)).collect();
    let put = |map: &mut HashMap<String, usize>, key: &str, i: usize| {
        map.entry(key.to_owned()).or_insert(i);
    };

    // Exact slugs first: they win over titles, which win over keywords.
    for (i, f) in features.iter().enumerate() {
        let slug = f.slug.as_str();
        if slug.starts_with("css-at-media-") {
            // Titles like "@media (hover), @media (any-hover)" name the media features.
            for part in f.title.split("@media").skip(1) {
                if let Some(feature) = part.trim().strip_prefix('(').and_then(|p| p.split_once(')')).map(|p| p.0) {
                    put(&mut t.media_features, &media_feature_key(feature.trim()), i);
                }
            }
        } else if let Some(name) = slug.strip_prefix("css-at-") {
            put(&mut t.at_rules, name, i);
        } else if let Some(name) = slug.strip_prefix("css-pseudo-class-") {
            put(&mut t.pseudo_classes, name, i);
        } else if let Some(name) = slug.strip_prefix("css-pseudo-element-") {
            put(&mut t.pseudo_elements, name, i);
        } else if let Some(name) = slug.strip_prefix("css-unit-") {
            match name {
                "percent" => put(&mut t.units, "%", i),
                "calc" => put(&mut t.functions, "calc", i),
                "initial" => put(&mut t.value_keywords, "initial", i),
                _ => put(&mut t.units, name, i),
            }
        } else if let Some(name) = slug.strip_prefix("image-") {
            put(&mut t.images, name, i);
        } else if slug.starts_with("css-selector-")
            || slug.starts_with("css-function-")
            || VALUE_FEATURES.contains(&slug)
        {
        } else if let Some(name) = slug.strip_prefix("css-") {
            put(&mut t.properties, name, i);
        } else if let Some(name) = slug.strip_prefix("html-")
            && f.title.contains(&format!("<{name}>"))
        {
            put(&mut t.elements, name, i);
        }
    }

    for (i, f) in features.iter().enumerate() {
        let slug = f.slug.as_str();
        match f.category.as_str() {
            "html" => {
                for tag in title_tags(&f.title) {
                    put(&mut t.elements, tag, i);
                }
                // `<input type="checkbox"> element`
                if let Some((element, rest)) = f.title.strip_prefix('<').and_then(|r| r.split_once(" type=\""))
                    && let Some((kind, _)) = rest.split_once('"')
                {
                    t.typed_elements.entry((element.to_owned(), kind.to_owned())).or_insert(i);
                }
                if f.title.ends_with(" attribute") || f.title.ends_with(" attributes") {
                    for name in title_names(&f.title) {
                        put(&mut t.attributes, name, i);
                    }
                }
            }
            "css" if VALUE_FEATURES.contains(&slug) => {
                for name in title_names(&f.title) {
                    put(&mut t.value_keywords, name, i);
                }
            }
            "css"
                if slug.starts_with("css-at-") || slug.starts_with("css-pseudo-") || slug.starts_with("css-unit-") => {}
            "css" if !slug.starts_with("css-selector-") => {
                let title = f.title.trim();
                // "display:flex", "flex-wrap: wrap"
                if let Some((property, value)) = title.split_once(':')
                    && is_name(property.trim())
                    && is_name(value.trim())
                {
                    t.property_values.entry((property.trim().to_owned(), value.trim().to_owned())).or_insert(i);
                } else if title.contains("()") {
                    for part in title.split("()") {
                        let name = part.rsplit([' ', ',']).next().unwrap_or_default();
                        if is_name(name) {
                            put(&mut t.functions, name, i);
                        }
                    }
                } else {
                    for name in title_names(title) {
                        put(&mut t.properties, name, i);
                    }
                }
            }
            _ => {}
        }
    }

    // Keywords last: hyphenated ones are the longhands a feature groups ("margin-left").
    for (i, f) in features.iter().enumerate() {
        let slug = f.slug.as_str();
        let groupable = f.category == "css"
            && !VALUE_FEATURES.contains(&slug)
            && !["css-at-", "css-pseudo-", "css-unit-", "css-selector-", "css-function-"]
                .iter()
                .any(|p| slug.starts_with(p));
        if groupable {
            for keyword in &f.keywords {
                if keyword.contains('-') && is_name(keyword) {
                    put(&mut t.properties, keyword, i);
                }
            }
        }
    }
    for (slug, names) in ELEMENT_GROUPS {
        if let Some(&i) = slug_index.get(slug) {
            for name in *names {
                put(&mut t.elements, name, i);
            }
        }
    }
    for (name, slug) in ATTRIBUTE_EXTRAS {
        if let Some(&i) = slug_index.get(slug) {
            put(&mut t.attributes, name, i);
        }
    }
    for (name, slug) in FUNCTION_EXTRAS {
        if let Some(&i) = slug_index.get(slug) {
            put(&mut t.functions, name, i);
        }
    }
    for (alias, name) in [("jpeg", "jpg"), ("tif", "tiff"), ("heic", "heif")] {
        if let Some(&i) = t.images.get(name) {
            put(&mut t.images, alias, i);
        }
    }
    t
}

/// A media feature's name without vendor prefix and `min-`/`max-` range prefix:
/// `-webkit-min-device-pixel-ratio` → `device-pixel-ratio`.
fn media_feature_key(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    let name = strip_vendor(&name).unwrap_or(&name);
    let name = name.strip_prefix("min-").or_else(|| name.strip_prefix("max-")).unwrap_or(name);
    name.to_owned()
}

/// The name without its vendor prefix, if it has one.
fn strip_vendor(name: &str) -> Option<&str> {
    ["-webkit-", "-moz-", "-ms-", "-o-"].iter().find_map(|p| name.strip_prefix(p))
}

fn get(map: &HashMap<String, usize>, key: &str) -> Option<&'static Feature> {
    let data = data();
    let feature = match map.get(key) {
        Some(&i) => Some(i),
        None => map.get(&key.to_ascii_lowercase()).copied(),
    };
    feature.map(|i| &data.features[i])
}

/// The version of the `caniemail` package the snapshot was taken from.
pub fn version() -> &'static str {
    &data().version
}

/// When the caniemail data was last updated, as the data says.
pub fn last_update() -> &'static str {
    &data().last_update
}

/// Every client of the snapshot, by id.
pub fn clients() -> &'static [Client] {
    &data().clients
}

/// The clients of [`POPULAR`] the snapshot has, in that order.
pub fn popular() -> &'static [&'static Client] {
    popular_list()
}

/// The client with this id.
pub fn client(id: &str) -> Option<&'static Client> {
    data().clients.iter().find(|c| c.id == id)
}

/// Every feature of the snapshot, by slug.
pub fn features() -> &'static [Feature] {
    &data().features
}

/// The feature with this slug.
pub fn feature(slug: &str) -> Option<&'static Feature> {
    let data = data();
    data.by_slug.get(slug).map(|&i| &data.features[i])
}

impl Feature {
    /// How `client` supports this feature.
    pub fn support(&self, client: &Client) -> Support {
        let data = data();
        data.clients
            .iter()
            .position(|c| c.id == client.id)
            .and_then(|i| self.support.get(i).cloned())
            .unwrap_or(Support::Unknown)
    }

    /// The feature's keywords in the data, lowercased.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }
}

/// The feature of an HTML element, e.g. `table` → `html-table`, `li` → `html-lists`.
pub fn element(name: &str) -> Option<&'static Feature> {
    get(&data().tables.elements, name)
}

/// The feature of an element with a `type`, e.g. `input` `checkbox` → `html-input-checkbox`.
pub fn typed_element(name: &str, kind: &str) -> Option<&'static Feature> {
    let data = data();
    let key = (name.to_ascii_lowercase(), kind.trim().to_ascii_lowercase());
    data.tables.typed_elements.get(&key).map(|&i| &data.features[i])
}

/// The feature of an HTML attribute, e.g. `role` → `html-role`, `sizes` → `html-srcset`.
pub fn attribute(name: &str) -> Option<&'static Feature> {
    get(&data().tables.attributes, name)
}

/// The feature of a CSS property, e.g. `border-radius` → `css-border-radius`,
/// `padding-top` → `css-padding`, `border-top-left-radius` → `css-border-radius`,
/// `--brand` → `css-variables`. Vendor-prefixed and `mso-` properties have none.
pub fn property(name: &str) -> Option<&'static Feature> {
    let name = name.trim().to_ascii_lowercase();
    if name.starts_with("--") {
        return feature("css-variables");
    }
    if name.starts_with('-') || name.starts_with("mso-") {
        return None;
    }
    let properties = &data().tables.properties;
    if let Some(found) = get(properties, &name) {
        return Some(found);
    }
    // A longhand of a shorthand caniemail groups: first and last part ("border-radius"), then
    // shorter and shorter prefixes ("padding-top" → "padding").
    let parts: Vec<&str> = name.split('-').collect();
    if parts.len() >= 3 {
        let outer = format!("{}-{}", parts[0], parts[parts.len() - 1]);
        if let Some(found) = get(properties, &outer) {
            return Some(found);
        }
    }
    (1..parts.len())
        .rev()
        .map(|n| parts[..n].join("-"))
        .filter(|prefix| !NO_LONGHAND_FALLBACK.contains(&prefix.as_str()))
        .find_map(|prefix| get(properties, &prefix))
}

/// The feature of a property with a value, e.g. `display` `flex` → `css-display-flex`.
pub fn property_value(property: &str, value: &str) -> Option<&'static Feature> {
    let data = data();
    let property = property.trim().to_ascii_lowercase();
    let value = value.trim().to_ascii_lowercase();
    let value = value.strip_prefix("inline-").filter(|v| matches!(*v, "flex" | "grid")).unwrap_or(&value);
    data.tables.property_values.get(&(property, value.to_owned())).map(|&i| &data.features[i])
}

/// The feature of a keyword value, e.g. `system-ui` → `css-sytem-ui`, `initial` → `css-unit-initial`.
pub fn value_keyword(value: &str) -> Option<&'static Feature> {
    get(&data().tables.value_keywords, value)
}

/// The feature of a CSS function, e.g. `rgba` → `css-rgba`, `calc` → `css-unit-calc`, `var` → `css-variables`.
pub fn function(name: &str) -> Option<&'static Feature> {
    get(&data().tables.functions, name)
}

/// The feature of a CSS unit, e.g. `rem` → `css-unit-rem`, `%` → `css-unit-percent`.
pub fn unit(name: &str) -> Option<&'static Feature> {
    get(&data().tables.units, name)
}

/// The feature of an at-rule, without its `@`: `media` → `css-at-media`.
pub fn at_rule(name: &str) -> Option<&'static Feature> {
    get(&data().tables.at_rules, name.trim_start_matches('@'))
}

/// The feature of a media feature, e.g. `prefers-color-scheme` →
/// `css-at-media-prefers-color-scheme`, `-webkit-min-device-pixel-ratio` → `css-at-media-device-pixel-ratio`.
pub fn media_feature(name: &str) -> Option<&'static Feature> {
    get(&data().tables.media_features, &media_feature_key(name))
}

/// The feature of a pseudo-class, without its colon: `hover` → `css-pseudo-class-hover`.
pub fn pseudo_class(name: &str) -> Option<&'static Feature> {
    get(&data().tables.pseudo_classes, name.trim_start_matches(':'))
}

/// The feature of a pseudo-element, without its colons: `before` → `css-pseudo-element-before`.
pub fn pseudo_element(name: &str) -> Option<&'static Feature> {
    get(&data().tables.pseudo_elements, name.trim_start_matches(':'))
}

/// The feature of an image format, by file extension or MIME subtype: `png` → `image-png`.
pub fn image_format(extension: &str) -> Option<&'static Feature> {
    get(&data().tables.images, extension)
}

/// Every slug a lookup table can give (for tests and for listing what is checked).
pub fn lookup_slugs() -> Vec<&'static str> {
    let data = data();
    let t = &data.tables;
    let mut indexes: Vec<usize> = [
        &t.elements,
        &t.attributes,
        &t.properties,
        &t.value_keywords,
        &t.functions,
        &t.units,
        &t.at_rules,
        &t.media_features,
        &t.pseudo_classes,
        &t.pseudo_elements,
        &t.images,
    ]
    .iter()
    .flat_map(|map| map.values().copied())
    .chain(t.typed_elements.values().copied())
    .chain(t.property_values.values().copied())
    .collect();
    indexes.sort_unstable();
    indexes.dedup();
    indexes.into_iter().map(|i| data.features[i].slug.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(feature: Option<&'static Feature>) -> Option<&'static str> {
        feature.map(|f| f.slug.as_str())
    }

    #[test]
    fn snapshot_loads_with_its_version_and_clients() {
        assert!(!version().is_empty());
        assert!(!last_update().is_empty());
        assert!(features().len() > 250, "{}", features().len());
        assert_eq!(client("outlook-windows").map(|c| c.name.as_str()), Some("Outlook (Windows)"));
        assert_eq!(client("gmail-android").map(|c| c.name.as_str()), Some("Gmail (Android)"));
    }

    #[test]
    fn every_popular_client_is_in_the_snapshot() {
        for id in POPULAR {
            assert!(client(id).is_some(), "{id} is not a client of the snapshot");
        }
        assert_eq!(popular().len(), POPULAR.len());
    }

    #[test]
    fn every_slug_a_lookup_gives_is_in_the_snapshot() {
        let slugs = lookup_slugs();
        assert!(slugs.len() > 200, "{}", slugs.len());
        for slug in slugs {
            assert!(feature(slug).is_some(), "{slug}");
        }
        for (group, names) in ELEMENT_GROUPS {
            let keywords = feature(group).unwrap_or_else(|| panic!("{group}")).keywords();
            for name in *names {
                assert!(
                    keywords.iter().any(|k| k.split(' ').any(|w| w == *name)),
                    "{name} is not a keyword of {group}"
                );
                assert_eq!(slug(element(name)), Some(*group));
            }
        }
        for (_, extra) in ATTRIBUTE_EXTRAS.iter().chain(FUNCTION_EXTRAS) {
            assert!(feature(extra).is_some(), "{extra}");
        }
        for value in VALUE_FEATURES {
            assert!(feature(value).is_some(), "{value}");
        }
    }

    #[test]
    fn elements_and_attributes() {
        assert_eq!(slug(element("table")), Some("html-table"));
        assert_eq!(slug(element("TABLE")), Some("html-table"));
        assert_eq!(slug(element("style")), Some("html-style"));
        assert_eq!(slug(element("li")), Some("html-lists"));
        assert_eq!(slug(element("h3")), Some("html-h1-h6"));
        assert_eq!(slug(element("section")), Some("html-semantics"));
        assert_eq!(slug(element("svg")), Some("html-svg"));
        assert_eq!(slug(element("base")), Some("html-base"));
        assert_eq!(slug(element("td")), None);
        assert_eq!(slug(typed_element("input", "checkbox")), Some("html-input-checkbox"));
        assert_eq!(slug(typed_element("button", "Submit")), Some("html-button-submit"));
        assert_eq!(slug(typed_element("input", "email")), None);
        assert_eq!(slug(attribute("role")), Some("html-role"));
        assert_eq!(slug(attribute("lang")), Some("html-lang"));
        assert_eq!(slug(attribute("dir")), Some("html-dir"));
        assert_eq!(slug(attribute("aria-label")), Some("html-aria-label"));
        assert_eq!(slug(attribute("aria-hidden")), Some("html-aria-hidden"));
        assert_eq!(slug(attribute("srcset")), Some("html-srcset"));
        assert_eq!(slug(attribute("sizes")), Some("html-srcset"));
        assert_eq!(slug(attribute("cellpadding")), Some("html-cellpadding"));
        assert_eq!(slug(attribute("inert")), Some("css-inert-attribute"));
        assert_eq!(slug(attribute("class")), None);
        assert_eq!(slug(attribute("style")), None);
    }

    #[test]
    fn css_properties_with_their_shorthands_and_longhands() {
        assert_eq!(slug(property("border-radius")), Some("css-border-radius"));
        assert_eq!(slug(property("border-top-left-radius")), Some("css-border-radius"));
        assert_eq!(slug(property("border-start-start-radius")), Some("css-border-radius-logical"));
        assert_eq!(slug(property("padding")), Some("css-padding"));
        assert_eq!(slug(property("padding-top")), Some("css-padding"));
        assert_eq!(slug(property("padding-inline-start")), Some("css-padding-inline-start-end"));
        assert_eq!(slug(property("margin-left")), Some("css-margin"));
        assert_eq!(slug(property("border-top")), Some("css-border"));
        assert_eq!(slug(property("border-bottom-color")), Some("css-border"));
        assert_eq!(slug(property("background-color")), Some("css-background-color"));
        assert_eq!(slug(property("background-position-x")), Some("css-background-position"));
        assert_eq!(slug(property("column-gap")), Some("css-gap"));
        assert_eq!(slug(property("top")), Some("css-left-right-top-bottom"));
        assert_eq!(slug(property("height")), Some("css-height"));
        assert_eq!(slug(property("font")), Some("css-font"));
        assert_eq!(slug(property("font-family")), None);
        assert_eq!(slug(property("color")), None);
        assert_eq!(slug(property("grid-template-columns")), Some("css-grid-template"));
        assert_eq!(slug(property("--brand")), Some("css-variables"));
        assert_eq!(slug(property("mso-line-height-rule")), None);
        assert_eq!(slug(property("-webkit-text-size-adjust")), None);
        assert_eq!(slug(property_value("display", "flex")), Some("css-display-flex"));
        assert_eq!(slug(property_value("display", "inline-flex")), Some("css-display-flex"));
        assert_eq!(slug(property_value("display", "none")), Some("css-display-none"));
        assert_eq!(slug(property_value("display", "block")), None);
        assert_eq!(slug(value_keyword("system-ui")), Some("css-sytem-ui"));
        assert_eq!(slug(value_keyword("max-content")), Some("css-intrinsic-size"));
        assert_eq!(slug(value_keyword("initial")), Some("css-unit-initial"));
        assert_eq!(slug(function("rgba")), Some("css-rgba"));
        assert_eq!(slug(function("oklch")), Some("css-modern-color"));
        assert_eq!(slug(function("calc")), Some("css-unit-calc"));
        assert_eq!(slug(function("clamp")), Some("css-function-clamp"));
        assert_eq!(slug(function("var")), Some("css-variables"));
        assert_eq!(slug(function("linear-gradient")), Some("css-linear-gradient"));
        assert_eq!(slug(unit("rem")), Some("css-unit-rem"));
        assert_eq!(slug(unit("%")), Some("css-unit-percent"));
        assert_eq!(slug(image_format("jpeg")), Some("image-jpg"));
    }

    #[test]
    fn at_rules_media_features_and_pseudo_classes() {
        assert_eq!(slug(at_rule("media")), Some("css-at-media"));
        assert_eq!(slug(at_rule("@font-face")), Some("css-at-font-face"));
        assert_eq!(slug(at_rule("import")), Some("css-at-import"));
        assert_eq!(slug(at_rule("keyframes")), Some("css-at-keyframes"));
        assert_eq!(slug(media_feature("prefers-color-scheme")), Some("css-at-media-prefers-color-scheme"));
        assert_eq!(slug(media_feature("prefers-reduced-motion")), Some("css-at-media-prefers-reduced-motion"));
        assert_eq!(slug(media_feature("any-hover")), Some("css-at-media-hover"));
        assert_eq!(slug(media_feature("-webkit-min-device-pixel-ratio")), Some("css-at-media-device-pixel-ratio"));
        assert_eq!(slug(media_feature("max-width")), None);
        assert_eq!(slug(pseudo_class("hover")), Some("css-pseudo-class-hover"));
        assert_eq!(slug(pseudo_class(":nth-child")), Some("css-pseudo-class-nth-child"));
        assert_eq!(slug(pseudo_element("before")), Some("css-pseudo-element-before"));
    }

    #[test]
    fn support_is_the_latest_version_with_its_note() {
        let outlook = client("outlook-windows").unwrap();
        let apple = client("apple-mail-macos").unwrap();
        let radius = feature("css-border-radius").unwrap();
        // caniemail: border-radius is "n" for every Outlook for Windows version it tested.
        assert_eq!(radius.support(outlook), Support::No);
        assert_eq!(radius.support(apple), Support::Yes);
        // Partial support (Yahoo's latest tested version), with its note.
        let yahoo = client("yahoo-desktop-webmail").unwrap();
        match radius.support(yahoo) {
            Support::Partial(Some(note)) => assert!(note.contains("elliptical"), "{note}"),
            other => panic!("{other:?}"),
        }
    }
}
