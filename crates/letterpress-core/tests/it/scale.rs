//! Inputs far larger than real templates: the work done must grow in proportion to the input.
//! Tests cannot assert times on shared machines, so they check that the work completes and that
//! its results are still exact; the timings are in the README.

use letterpress_core::compile::{self, DiskReader, Limits, SourceFile};
use letterpress_core::{Code, Position};

/// 200,000 unknown attributes on one element, all on one line: each is a warning whose column is
/// counted in characters from the start of that line. Counting from the line start for every
/// warning made this quadratic (17 s for 200,000 attributes, over a minute for 500,000).
#[test]
fn two_hundred_thousand_attributes_on_one_element_compile() {
    const COUNT: usize = 200_000;
    let prefix = "<mjml><mj-body><mj-section><mj-column><mj-text é ";
    let attributes: Vec<String> = (0..COUNT).map(|i| format!("data-a{i}=\"x\"")).collect();
    let text = format!("{prefix}{}>hi</mj-text></mj-column></mj-section></mj-body></mjml>", attributes.join(" "));
    let dir = tempfile::tempdir().unwrap();
    let file = SourceFile::new("big.mjml".into(), dir.path().join("big.mjml"), &text);
    let compiled = compile::compile_source(file, dir.path(), &DiskReader, Limits::default());
    assert!(compiled.html.is_some(), "{:?}", compiled.diagnostics.iter().find(|d| d.is_error()));
    let unknown: Vec<_> =
        compiled.diagnostics.iter().filter(|d| d.code == Code::MjmlInvalid && d.message.contains("data-a")).collect();
    assert_eq!(unknown.len(), COUNT);
    // The last attribute's column, counted in characters (`é` is two bytes, one character).
    let last = format!("data-a{}=", COUNT - 1);
    let byte = text.find(&last).unwrap();
    let column = text[..byte].chars().count() as u32 + 1;
    let reported = unknown.iter().find(|d| d.message.contains(&format!("`data-a{}`", COUNT - 1))).unwrap();
    assert_eq!(reported.start, Position::new(1, column));
}
