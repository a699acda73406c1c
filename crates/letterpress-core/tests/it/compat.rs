//! Each workaround for an mrml 6.0.1 divergence, checked against what `mjml` 5.4.1 writes for the
//! same input. Inputs live in `tests/compat/`; the expected fragments below were copied from
//! `mjml2html` output for those files.

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

/// The values of attribute `name` on every `tag` start tag of `html`, decoded.
fn attribute_values(html: &str, tag: &str, name: &str) -> Vec<String> {
    let open = format!("<{tag} ");
    let needle = format!(" {name}=\"");
    html.match_indices(&open)
        .filter_map(|(at, _)| {
            let end = at + html[at..].find('>').unwrap();
            let start_tag = &html[at..end];
            let value_start = start_tag.find(&needle)? + needle.len();
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
    let html = html_of(compile_fixture("multiline-attributes.mjml"));
    // mjml copies the HTML of `mj-text` verbatim.
    assert!(
        html.contains(
            "<p style=\"\n              text-align:center;\n              color:#151e23;\n\">Product | Concept</p>"
        ),
        "{html}"
    );
    assert!(!html.contains("\\n"), "debug escapes leaked: {html}");
    // mjml writes `font-family:Georgia,\n                             'Times New Roman', serif;`: the
    // same declaration once white space is collapsed.
    let styles = attribute_values(&html, "div", "style");
    assert!(
        styles.iter().any(|s| collapse_whitespace(s).contains("font-family:Georgia, 'Times New Roman', serif;")),
        "{styles:?}"
    );
    assert_eq!(attribute_values(&html, "img", "alt"), ["A photo\non two lines"]);
}

#[test]
fn mrml_debug_escapes_quotes_and_backslashes() {
    let html = html_of(compile_fixture("quoted-attributes.mjml"));
    for fragment in [
        r#"<p title='She said "hello"' data-path="C:\temp\mail" style="font-family:'Courier New';">Quotes</p>"#,
        r#"<b title="back\slash">Backslash</b>"#,
        r#"<div data-json='{"a":"b\"c"}'>Raw</div>"#,
        r#"href="https://shop.example/?q=it's""#,
    ] {
        assert!(html.contains(fragment), "missing `{fragment}` in {html}");
    }
    // mjml writes `alt="The "Trail" boots"`, which a browser cuts short at the inner quote; the
    // value as written in the template is kept instead.
    assert_eq!(attribute_values(&html, "img", "alt"), [r#"The "Trail" boots"#]);
    assert_eq!(attribute_values(&html, "img", "title"), [r"A \ backslash"]);
}

#[test]
fn mrml_keeps_the_last_of_duplicate_attributes() {
    let html = html_of(compile_fixture("duplicate-attributes.mjml"));
    // mjml: `color:#008800;` on the text and `href="https://shop.example/first"` on the button.
    assert!(html.contains("color:#008800;"), "{html}");
    assert!(!html.contains("#ff0000"), "{html}");
    assert!(html.contains("href=\"https://shop.example/first\""), "{html}");
    assert!(!html.contains("https://shop.example/second"), "{html}");
}

#[test]
fn mrml_computes_widths_in_f32() {
    let html = html_of(compile_fixture("column-widths.mjml"));
    // mjml: classes `mj-column-per-33-33333333333333`, `mj-column-per-66-66666666666666` and,
    // for three columns of automatic width, `mj-column-per-33-333333333333336`; the image in the
    // third of 600 px is 149 px wide (199.99999999999997 floored, less 50 px of padding).
    for class in
        ["mj-column-per-33-33333333333333 ", "mj-column-per-66-66666666666666 ", "mj-column-per-33-333333333333336 "]
    {
        assert!(html.contains(class), "missing `{class}` in {html}");
    }
    assert!(html.contains("width:33.33333333333333% !important"), "{html}");
    assert!(!html.contains("33-333332"), "{html}");
    assert_eq!(attribute_values(&html, "img", "width"), ["149"]);
    assert!(html.contains("<td style=\"width:149px;\">"), "{html}");
}

#[test]
fn mrml_writes_no_alt_for_images_without_one() {
    let html = html_of(compile_fixture("image-without-alt.mjml"));
    // mjml: `<img alt="" src="https://cdn.example/decoration.png" ...>`.
    assert_eq!(attribute_values(&html, "img", "alt"), [""]);
}

#[test]
fn mrml_panics_on_a_multibyte_character_before_gt() {
    // The fixture also has CRLF line endings and an unquoted value ending in a multi-byte letter.
    let compiled = compile_fixture("multibyte-before-gt.mjml");
    assert!(!compiled.diagnostics.iter().any(|d| d.code == Code::CompilerFailure), "{:?}", compiled.diagnostics);
    let html = html_of(compiled);
    // mjml writes both contents verbatim.
    assert!(html.contains(">’></div>"), "{html}");
    assert!(html.contains("<p title=naïve>Unquoted</p> é> done</div>"), "{html}");
}

#[test]
fn mrml_rejects_mj_html_attributes() {
    let html = html_of(compile_fixture("html-attributes.mjml"));
    // mjml: `<div data-role="title" style="font-family:...">Title</div>` inside `.hero-title`,
    // and `<a href="https://shop.example/" data-track="footer-link">` inside `.tracked`.
    let divs = attribute_values(&html, "div", "data-role");
    assert_eq!(divs, ["title"]);
    assert!(html.contains(r#"<a href="https://shop.example/" data-track="footer-link">A tracked link</a>"#), "{html}");
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
    let html = html_of(compile_fixture("inline-style.mjml"));
    // mjml (juice): `<a class="text-link" href="https://shop.example/" style="color: #5e6ebf;">`.
    assert!(html.contains(r##"<a class="text-link" href="https://shop.example/" style="color: #5e6ebf;">"##), "{html}");
}

#[test]
fn mrml_chooses_fonts_from_component_attributes_only() {
    let html = html_of(compile_fixture("raw-fonts.mjml"));
    // mjml imports Lato, named only in raw HTML, and not Ubuntu, the default it never writes.
    assert!(html.contains(r#"<link href="https://fonts.googleapis.com/css?family=Lato:300,400,500,700""#), "{html}");
    assert!(html.contains("@import url(https://fonts.googleapis.com/css?family=Lato:300,400,500,700);"), "{html}");
    assert!(!html.contains("family=Ubuntu"), "{html}");
}

#[test]
fn mrml_writes_a_yahoo_media_query_every_screen_matches() {
    let html = html_of(compile_fixture("carousel.mjml"));
    // mjml: `@media screen yahoo {`, which no browser matches.
    assert!(html.contains("@media screen yahoo {"), "{html}");
    assert!(!html.contains("@media screen, yahoo"), "{html}");
}

#[test]
fn mrml_todo_on_html_include_in_head_is_never_reached() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("meta.html"), "<meta name=\"x-campaign\" content=\"spring\">").unwrap();
    let text = "<mjml><mj-head><mj-include path=\"meta.html\" type=\"html\" /></mj-head><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>";
    let html = html_of(compile_text(dir.path(), "main.mjml", text));
    let head = &html[..html.find("</head>").unwrap()];
    assert!(head.contains("<meta name=\"x-campaign\" content=\"spring\">"), "{html}");
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
    let html = html_of(compile_fixture("button-width.mjml"));
    // mjml: the links are 300 - 50 - 4 = 246 px and 200 - 50 - 3 = 147 px wide.
    assert!(html.contains("style=\"display:inline-block;width:246px;"), "{html}");
    assert!(html.contains("style=\"display:inline-block;width:147px;"), "{html}");
}

/// `mj-table`: mrml adds `border-collapse:separate` whenever a border is set (mjml: only when
/// `cellspacing` is above zero), writes `width="300px"` (mjml: `width="300"`) and drops `role`.
#[test]
fn mrml_writes_mj_table_attributes_its_own_way() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<mjml><mj-body><mj-section><mj-column>\
        <mj-table cellspacing=\"0\" border=\"1px solid #ccc\"><tr><td>a</td></tr></mj-table>\
        <mj-table width=\"300px\" role=\"presentation\"><tr><td>b</td></tr></mj-table>\
        <mj-table cellspacing=\"4\" width=\"50%\"><tr><td>c</td></tr></mj-table>\
        <mj-text><table border=\"0\" style=\"color:red\"><tr><td>user's own</td></tr></table></mj-text>\
        </mj-column></mj-section></mj-body></mjml>";
    let html = html_of(compile_text(dir.path(), "t.mjml", text));
    let tables: Vec<&str> =
        html.match_indices("<table").map(|(at, _)| &html[at..at + html[at..].find('>').unwrap() + 1]).collect();
    let mj_tables: Vec<&&str> = tables.iter().filter(|t| t.contains("style=\"color:")).collect();
    assert_eq!(mj_tables.len(), 4, "{tables:#?}");
    assert!(!mj_tables[0].contains("border-collapse"), "{}", mj_tables[0]);
    assert!(
        mj_tables[1].contains(" role=\"presentation\"") && mj_tables[1].contains(" width=\"300\""),
        "{}",
        mj_tables[1]
    );
    assert!(
        mj_tables[2].contains("border-collapse:separate;") && mj_tables[2].contains(" width=\"50%\""),
        "{}",
        mj_tables[2]
    );
    assert_eq!(*mj_tables[3], "<table border=\"0\" style=\"color:red\">", "the user's table is left as written");
}

/// `mj-hero mode="fluid-height"`: mrml renders a fixed height of `0px` minus the padding
/// (`height="-40"`); mjml leaves the height to the content, between two cells whose bottom
/// padding keeps the background's proportions.
#[test]
fn mrml_renders_fluid_height_heroes_as_fixed_height() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<mjml><mj-body>\
        <mj-hero mode=\"fluid-height\" background-width=\"600px\" background-height=\"200px\" background-url=\"https://x.example/h.png\" padding=\"20px\">\
        <mj-text>Fluid</mj-text></mj-hero>\
        <mj-hero mode=\"fixed-height\" height=\"300px\" padding=\"40px 20px\"><mj-text>Fixed</mj-text></mj-hero>\
        </mj-body></mjml>";
    let html = html_of(compile_text(dir.path(), "t.mjml", text));
    let magic = "<td style=\"width:0.01%;padding-bottom:33%;mso-padding-bottom-alt:0;\" />";
    assert_eq!(html.matches(magic).count(), 2, "one spacer cell on each side of the fluid hero");
    assert!(!html.contains("height=\"-40\"") && !html.contains("height:-40px"), "no negative height");
    let first = html.find(magic).unwrap();
    let second = html.rfind(magic).unwrap();
    let fluid_text = html.find("Fluid").unwrap();
    assert!(first < fluid_text && fluid_text < second);
    assert!(html.contains("height=\"220\""), "the fixed-height hero keeps its height");
}
