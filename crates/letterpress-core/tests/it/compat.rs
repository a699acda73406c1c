//! Each workaround for an mrml 6.0.1 divergence, checked against what `mjml` writes for the same
//! input. Inputs live in `tests/compat/`, each with what `mjml2html` (the npm package pinned in
//! `bench/package.json`) makes of it beside it as `<name>.mjml.html`; `scripts/compat-mjml.sh`
//! writes those files again.

use std::fs;
use std::path::{Path, PathBuf};

use letterpress_core::compile::{self, Compiled, DiskReader, Limits, SourceFile};
use letterpress_core::{Code, Position, Severity};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat").join(name)
}

fn compile_text(dir: &Path, name: &str, text: &str) -> Compiled {
    let path = dir.join(name);
    compile::compile_source(SourceFile::new(name.to_owned(), path, text), dir, &DiskReader, Limits::default())
}

fn compile_fixture(name: &str) -> Compiled {
    let path = fixture(name);
    let dir = path.parent().unwrap().to_path_buf();
    compile::compile_file(&path, name, &dir, &DiskReader, Limits::default())
}

/// What `mjml` writes for the fixture `name`.
fn mjml_output(name: &str) -> String {
    let path = fixture(&format!("{name}.html"));
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("`{}` cannot be read ({e}); run scripts/compat-mjml.sh", path.display()))
}

/// The part of `html` from the first `start` to the end of the first `end` after it.
fn span<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no `{start}` in {html}"));
    let after = from + start.len();
    let to = after + html[after..].find(end).unwrap_or_else(|| panic!("no `{end}` after `{start}` in {html}"));
    &html[from..to + end.len()]
}

/// Checks that Letterpress's output has each of `probes` exactly when `mjml`'s has it.
fn assert_has_like_mjml(mjml: &str, html: &str, probes: &[&str]) {
    for probe in probes {
        assert_eq!(
            html.contains(probe),
            mjml.contains(probe),
            "`{probe}` in mjml's output:\n{mjml}\nand in ours:\n{html}"
        );
    }
}

/// The HTML of a document that must compile without errors.
fn html_of(compiled: Compiled) -> String {
    let errors: Vec<String> = compiled.diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    compiled.html.expect("compiled HTML")
}

/// Decodes the character references this crate writes, so values compare as a browser reads them.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').expect("terminated reference");
        let entity = &rest[1..end];
        let decoded = match entity {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            _ if entity.starts_with("#x") => char::from_u32(u32::from_str_radix(&entity[2..], 16).unwrap()).unwrap(),
            _ if entity.starts_with('#') => char::from_u32(entity[1..].parse().unwrap()).unwrap(),
            _ => panic!("unknown reference `{entity}`"),
        };
        out.push(decoded);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The values of attribute `name` on every `tag` start tag of `html`, decoded. Attributes may be
/// separated by any white space, as `mjml` writes them on lines of their own.
fn attribute_values(html: &str, tag: &str, name: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let needle = format!("{name}=\"");
    html.match_indices(&open)
        .filter(|(at, _)| html[at + open.len()..].starts_with(char::is_whitespace))
        .filter_map(|(at, _)| {
            let end = at + html[at..].find('>').unwrap();
            let start_tag = &html[at..end];
            let (found, _) =
                start_tag.match_indices(&needle).find(|(i, _)| start_tag[..*i].ends_with(char::is_whitespace))?;
            let value_start = found + needle.len();
            let value_end = value_start + start_tag[value_start..].find('"').unwrap();
            Some(decode(&start_tag[value_start..value_end]))
        })
        .collect()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn mrml_debug_escapes_multiline_attribute_values() {
    let name = "multiline-attributes.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml copies the HTML of `mj-text` verbatim.
    let paragraph = span(&mjml, "<p style=", "Product | Concept</p>");
    assert!(html.contains(paragraph), "missing `{paragraph}` in {html}");
    assert!(!html.contains("\\n"), "debug escapes leaked: {html}");
    // mjml keeps the line break inside `font-family:Georgia,\n …'Times New Roman', serif;`: the
    // same declaration once white space is collapsed.
    let family = collapse_whitespace(span(&mjml, "font-family:Georgia", ";"));
    let styles = attribute_values(&html, "div", "style");
    assert!(styles.iter().any(|s| collapse_whitespace(s).contains(&family)), "no `{family}` in {styles:?}");
    assert_eq!(attribute_values(&html, "img", "alt"), attribute_values(&mjml, "img", "alt"));
}

#[test]
fn mrml_debug_escapes_quotes_and_backslashes() {
    let name = "quoted-attributes.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    for fragment in [
        span(&mjml, "<p title=", "Quotes</p>"),
        span(&mjml, "<b title=", "Backslash</b>"),
        span(&mjml, "<div data-json=", "Raw</div>"),
        span(&mjml, "href=\"https://shop.example/?q=", "\""),
    ] {
        assert!(html.contains(fragment), "missing `{fragment}` in {html}");
    }
    // mjml writes `alt="The "Trail" boots"`, which a browser cuts short at the inner quote; the
    // value as written in the template is kept instead.
    assert_eq!(attribute_values(&mjml, "img", "alt"), ["The "]);
    assert_eq!(attribute_values(&html, "img", "alt"), [r#"The "Trail" boots"#]);
    assert_eq!(attribute_values(&html, "img", "title"), attribute_values(&mjml, "img", "title"));
}

#[test]
fn mrml_keeps_the_last_of_duplicate_attributes() {
    let name = "duplicate-attributes.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml keeps the first: `color:#008800;` on the text and the first link on the button.
    let probes = ["color:#008800;", "#ff0000", "href=\"https://shop.example/first\"", "https://shop.example/second"];
    assert_has_like_mjml(&mjml, &html, &probes);
}

#[test]
fn mrml_computes_widths_in_f32() {
    let name = "column-widths.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml: classes `mj-column-per-33-33333333333333`, `mj-column-per-66-66666666666666` and,
    // for three columns of automatic width, `mj-column-per-33-333333333333336`; the image in the
    // third of 600 px is 149 px wide (199.99999999999997 floored, less 50 px of padding).
    let probes = [
        "mj-column-per-33-33333333333333 ",
        "mj-column-per-66-66666666666666 ",
        "mj-column-per-33-333333333333336 ",
        "width:33.33333333333333% !important",
        "33-333332",
    ];
    assert_has_like_mjml(&mjml, &html, &probes);
    assert_eq!(attribute_values(&html, "img", "width"), attribute_values(&mjml, "img", "width"));
    let cell = |html: &str| attribute_values(html, "td", "style").into_iter().filter(|s| s == "width:149px;").count();
    assert_eq!((cell(&html), cell(&mjml)), (1, 1));
}

#[test]
fn mrml_writes_no_alt_for_images_without_one() {
    let name = "image-without-alt.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    assert_eq!(attribute_values(&html, "img", "alt"), attribute_values(&mjml, "img", "alt"));
}

#[test]
fn mrml_panics_on_a_multibyte_character_before_gt() {
    // The fixture also has CRLF line endings and an unquoted value ending in a multi-byte letter.
    let name = "multibyte-before-gt.mjml";
    let compiled = compile_fixture(name);
    assert!(!compiled.diagnostics.iter().any(|d| d.code == Code::CompilerFailure), "{:?}", compiled.diagnostics);
    let (html, mjml) = (html_of(compiled), mjml_output(name));
    // mjml writes both contents verbatim.
    for fragment in [span(&mjml, ">’", "</div>"), span(&mjml, "<p title=", "done</div>")] {
        assert!(html.contains(fragment), "missing `{fragment}` in {html}");
    }
}

#[test]
fn mrml_rejects_mj_html_attributes() {
    let name = "html-attributes.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml: `data-role="title"` on the `div` inside `.hero-title`, and `data-track` on the link
    // inside `.tracked`.
    assert_eq!(attribute_values(&html, "div", "data-role"), attribute_values(&mjml, "div", "data-role"));
    let link = span(&mjml, "<a href=", "</a>");
    assert!(html.contains(link), "missing `{link}` in {html}");
}

#[test]
fn unsupported_html_attribute_selectors_get_a_warning_at_the_selector() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<mjml>\n  <mj-head>\n    <mj-html-attributes>\n      <mj-selector path=\"p:nth-child(2)\">\n        <mj-html-attribute name=\"x\">1</mj-html-attribute>\n      </mj-selector>\n    </mj-html-attributes>\n  </mj-head>\n  <mj-body></mj-body>\n</mjml>\n";
    let compiled = compile_text(dir.path(), "selector.mjml", text);
    let warning = compiled
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Warning && d.message.contains(":nth-child"))
        .unwrap_or_else(|| panic!("no warning in {:?}", compiled.diagnostics));
    assert_eq!(warning.file, "selector.mjml");
    assert_eq!(warning.start, Position::new(4, 7));
    assert!(compiled.html.is_some());
}

#[test]
fn mrml_inlines_styles_before_raw_html_is_back() {
    let name = "inline-style.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml (juice) inlines the class's style into the link.
    let link = span(&mjml, "<a class=\"text-link\"", ">");
    assert!(html.contains(link), "missing `{link}` in {html}");
}

#[test]
fn mrml_chooses_fonts_from_component_attributes_only() {
    let name = "raw-fonts.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml imports Lato, named only in raw HTML, and not Ubuntu, the default it never writes.
    let probes = [
        "<link href=\"https://fonts.googleapis.com/css?family=Lato:300,400,500,700\"",
        "@import url(https://fonts.googleapis.com/css?family=Lato:300,400,500,700);",
        "family=Ubuntu",
    ];
    assert_has_like_mjml(&mjml, &html, &probes);
}

#[test]
fn mrml_writes_a_yahoo_media_query_every_screen_matches() {
    let name = "carousel.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml: `@media screen yahoo {`, which no browser matches.
    assert_has_like_mjml(&mjml, &html, &["@media screen yahoo {", "@media screen, yahoo"]);
}

#[test]
fn mrml_todo_on_html_include_in_head_is_never_reached() {
    let name = "head-include.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    let meta = "<meta name=\"x-campaign\" content=\"spring\">";
    for (who, html) in [("ours", &html), ("mjml's", &mjml)] {
        let head = &html[..html.find("</head>").unwrap()];
        assert!(head.contains(meta), "the included meta in {who} head:\n{html}");
    }
}

#[test]
fn mrml_overflows_the_stack_on_include_cycles() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.mjml"), "<mj-section>\n  <mj-include path=\"b.mjml\" />\n</mj-section>").unwrap();
    fs::write(dir.path().join("b.mjml"), "<mj-column>\n  <mj-include path=\"a.mjml\" />\n</mj-column>").unwrap();
    let text = "<mjml><mj-body><mj-include path=\"a.mjml\" /></mj-body></mjml>";
    let compiled = compile_text(dir.path(), "main.mjml", text);
    let cycle = compiled.diagnostics.iter().find(|d| d.code == Code::IncludeCycle).expect("a cycle diagnostic");
    assert_eq!(cycle.file, "b.mjml");
    assert_eq!(cycle.start, Position::new(2, 3));
}

#[test]
fn mrml_overflows_the_stack_on_deep_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 20_000;
    let text = format!(
        "<mjml><mj-body>{}<mj-text>deep</mj-text>{}</mj-body></mjml>",
        "<mj-wrapper>".repeat(depth),
        "</mj-wrapper>".repeat(depth)
    );
    let compiled = compile_text(dir.path(), "deep.mjml", &text);
    let too_deep = compiled.diagnostics.iter().find(|d| d.code == Code::NestingTooDeep).expect("a nesting diagnostic");
    assert_eq!(too_deep.start.line, 1);
    assert!(compiled.html.is_none());
}

#[test]
fn diagnostics_after_rewritten_regions_point_at_the_users_text() {
    let dir = tempfile::tempdir().unwrap();
    // Every kind of rewrite comes before the problems: raw content swapped out, a multi-line
    // value joined, a duplicate dropped, a quote encoded, an unquoted value quoted.
    let text = "<mjml>\n<mj-body>\n<mj-section>\n<mj-column>\n<mj-text>\n  <p style=\"a:b;\n  c:d\">long raw content</p>\n</mj-text>\n<mj-image alt='a \"quoted\"\nvalue' src=x.png src=y.png />\n<mj-spacer color=red color=blue height=\"1px\">text</mj-spacer>\n<mj-spacer>more</mj-spacer>\n</mj-column>\n</mj-section>\n</mj-body>\n</mjml>\n";
    let compiled = compile_text(dir.path(), "main.mjml", text);
    let error = compiled.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(error.file, "main.mjml");
    // mrml stops at the text inside the first `mj-spacer`, on a line whose tag was rewritten.
    assert_eq!(error.start, Position::new(11, 46), "{error}");
    assert!(error.message.contains("text"), "{error}");

    let later = text.replacen(">text<", "><", 1);
    let compiled = compile_text(dir.path(), "main.mjml", &later);
    let error = compiled.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(error.start, Position::new(12, 12), "{error}");
}

#[test]
fn every_corpus_template_compiles_as_shipped() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mjml-email-templates");
    if !corpus.is_dir() {
        // A clone without the corpus beside it still tests fidelity through the fixtures.
        eprintln!("the MJML corpus is not beside this repository; skipping");
        return;
    }
    let mut names: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("the corpus `../shared/corpus/mjml-email-templates` cannot be read: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "mjml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 25);
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let compiled = compile::compile_file(&path, &name, &corpus, &DiskReader, Limits::default());
        let problems: Vec<String> = compiled.diagnostics.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "`{name}`: {problems:#?}");
        let html = compiled.html.unwrap_or_default();
        assert!(html.contains("</html>") && !html.contains("lpraw"), "`{name}` came out incomplete");
    }
}

#[test]
fn mrml_leaves_borders_out_of_button_widths() {
    let name = "button-width.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // mjml: the links are 300 - 50 - 4 = 246 px and 200 - 50 - 3 = 147 px wide.
    let probes = ["style=\"display:inline-block;width:246px;", "style=\"display:inline-block;width:147px;"];
    assert_has_like_mjml(&mjml, &html, &probes);
}

/// `mj-table`: mrml adds `border-collapse:separate` whenever a border is set (mjml: only when
/// `cellspacing` is above zero), writes `width="300px"` (mjml: `width="300"`) and drops `role`.
#[test]
fn mrml_writes_mj_table_attributes_its_own_way() {
    let name = "mj-table-attributes.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // The tables with a text colour: the three `mj-table`s and the user's own table in `mj-text`.
    let tables = |html: &str| -> Vec<(String, Vec<(String, String)>)> {
        html.match_indices("<table")
            .map(|(at, _)| opening_tag(&html[at..]))
            .filter(|(_, attributes)| {
                attributes.iter().any(|(name, value)| name == "style" && value.starts_with("color:"))
            })
            .collect()
    };
    let (ours, theirs) = (tables(&html), tables(&mjml));
    assert_eq!(ours.len(), 4, "{ours:#?}");
    assert_eq!(ours, theirs, "the tables' opening tags, as mjml writes them");
}

/// The opening tag at the start of `html` as its name and its attributes sorted by name: the same
/// tag whatever the order of its attributes and the space between them (mjml writes each on a line
/// of its own, in another order than mrml).
fn opening_tag(html: &str) -> (String, Vec<(String, String)>) {
    let rest = html.strip_prefix('<').expect("a tag");
    let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    let (name, mut rest) = (rest[..name_end].to_owned(), &rest[name_end..]);
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('>') || rest.starts_with('/') {
            break;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
        let attribute = rest[..end].to_owned();
        rest = &rest[end..];
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let quote = after.chars().next().expect("a value");
            let close = after[1..].find(quote).expect("a closing quote") + 1;
            value = after[1..close].to_owned();
            rest = &after[close + 1..];
        }
        attributes.push((attribute, value));
    }
    attributes.sort();
    (name, attributes)
}

/// `mj-hero mode="fluid-height"`: mrml renders a fixed height of `0px` minus the padding
/// (`height="-40"`); mjml leaves the height to the content, between two cells whose bottom
/// padding keeps the background's proportions.
#[test]
fn mrml_renders_fluid_height_heroes_as_fixed_height() {
    let name = "fluid-height-hero.mjml";
    let (html, mjml) = (html_of(compile_fixture(name)), mjml_output(name));
    // The spacer cells on each side of the fluid hero, and the fixed hero's cell.
    let cells = |html: &str| -> Vec<(String, Vec<(String, String)>)> {
        html.match_indices("<td")
            .map(|(at, _)| opening_tag(&html[at..]))
            .filter(|(_, attributes)| {
                attributes.iter().any(|(name, value)| name == "height" || value.contains("padding-bottom:33%"))
            })
            .collect()
    };
    let (ours, theirs) = (cells(&html), cells(&mjml));
    assert_eq!(ours, theirs, "the hero cells, as mjml writes them");
    let spacers =
        ours.iter().filter(|(_, attributes)| attributes.iter().any(|(_, v)| v.contains("padding-bottom:33%")));
    assert_eq!(spacers.count(), 2, "{ours:#?}");
    assert!(!html.contains("height=\"-40\"") && !html.contains("height:-40px"), "no negative height");
    let magic = html.find("padding-bottom:33%").unwrap();
    let fluid_text = html.find("Fluid").unwrap();
    assert!(magic < fluid_text && fluid_text < html.rfind("padding-bottom:33%").unwrap());
}
