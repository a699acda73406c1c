//! Inputs far larger than real templates: the work done must grow in proportion to the input.
//! Tests cannot assert times on shared machines, so they check that the work completes and that
//! its results are still exact; the timings are in the README.

use letterpress_core::compile::{self, DiskReader, Limits, SourceFile};
use letterpress_core::{Code, Position};

/// 200,000 unknown attributes on one element, all on one line: the first ones are warned about
/// one by one, and the rest are counted in one warning at the first of them, whose column is
/// counted in characters.
#[test]
fn two_hundred_thousand_attributes_on_one_element_compile() {
    const COUNT: usize = 200_000;
    let prefix = "<mjml><mj-body><mj-section><mj-column css-class=\"é\"><mj-text ";
    let attributes: Vec<String> = (0..COUNT).map(|i| format!("data-a{i}=\"x\"")).collect();
    let text = format!("{prefix}{}>hi</mj-text></mj-column></mj-section></mj-body></mjml>", attributes.join(" "));
    let dir = tempfile::tempdir().unwrap();
    let file = SourceFile::new("big.mjml".into(), dir.path().join("big.mjml"), &text);
    let compiled = compile::compile_source(file, dir.path(), &DiskReader, Limits::default());
    let html = compiled.html.as_deref().expect("the document compiles");
    assert!(html.contains(">hi<"), "the text is kept");
    assert!(!html.contains("data-a"), "the attributes are left out");
    let unknown: Vec<_> = compiled.diagnostics.iter().filter(|d| d.code == Code::MjmlInvalid).collect();
    assert_eq!(unknown.len(), 21);
    let counted = unknown.last().unwrap();
    assert!(counted.message.starts_with("199980 more attributes after these are not allowed on `<mj-text>`"));
    assert_eq!(counted.start, column_of(&text, "data-a20="));
}

/// 50,000 warnings on one line, one per element: each column is counted in characters from the
/// start of that line. Counting from the line start for every warning made this quadratic (17 s
/// for 200,000 warnings, over a minute for 500,000).
#[test]
fn fifty_thousand_warnings_on_one_line_have_exact_columns() {
    const COUNT: usize = 50_000;
    let texts: String = (0..COUNT).map(|i| format!("<mj-text data-b{i}=\"x\">{i}</mj-text>")).collect();
    let text = format!("<mjml><mj-body><mj-section><mj-column>é {texts}</mj-column></mj-section></mj-body></mjml>");
    let dir = tempfile::tempdir().unwrap();
    let file = SourceFile::new("wide.mjml".into(), dir.path().join("wide.mjml"), &text);
    let compiled = compile::compile_source(file, dir.path(), &DiskReader, Limits::default());
    assert!(compiled.html.is_some(), "{:?}", compiled.diagnostics.iter().find(|d| d.is_error()));
    let unknown: Vec<_> = compiled.diagnostics.iter().filter(|d| d.code == Code::MjmlInvalid).collect();
    assert_eq!(unknown.len(), COUNT);
    let last = format!("data-b{}=", COUNT - 1);
    let reported = unknown.iter().find(|d| d.message.contains(&format!("`data-b{}`", COUNT - 1))).unwrap();
    assert_eq!(reported.start, column_of(&text, &last));
}

/// Where `needle` starts in the one-line `text`, its column counted in characters (`é` is two
/// bytes and one character).
fn column_of(text: &str, needle: &str) -> Position {
    let byte = text.find(needle).unwrap();
    Position::new(1, text[..byte].chars().count() as u32 + 1)
}
