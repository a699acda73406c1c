//! Robustness of the compile entry point: generated MJML-ish documents and a corpus of hand-made
//! nasty inputs must never make it panic or abort, and every diagnostic must name a file that
//! took part and a position inside it.
//!
//! The number of generated cases defaults to 256 and follows `PROPTEST_CASES`. Failing cases
//! are recorded in `tests/it/fuzz.proptest-regressions` and replayed first on every run.

use std::fs;
use std::path::{Path, PathBuf};

use letterpress_core::compile::{self, Compiled, DiskReader, Limits, SourceFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

/// Checks the invariants every compilation must keep, whatever its input.
fn check(compiled: &Compiled, root_name: &str) -> Result<(), String> {
    for diagnostic in &compiled.diagnostics {
        let file = if diagnostic.file == root_name {
            compiled.files.first()
        } else {
            compiled.files.iter().find(|f| f.display == diagnostic.file)
        };
        let Some(file) = file else {
            // A file that could not be read has no text; its diagnostic names it and no position.
            if diagnostic.start.line == 0 && !diagnostic.file.is_empty() {
                continue;
            }
            return Err(format!("diagnostic names a file that took no part: {diagnostic}"));
        };
        if diagnostic.file.is_empty() {
            return Err(format!("diagnostic without a file: {diagnostic:?}"));
        }
        let lines: Vec<&str> = file.text.split('\n').collect();
        for position in [diagnostic.start, diagnostic.end] {
            if position.line == 0 {
                if position.column != 0 {
                    return Err(format!("column without a line: {diagnostic:?}"));
                }
                continue;
            }
            let Some(line) = lines.get(position.line as usize - 1) else {
                return Err(format!("line past the end of `{}`: {diagnostic:?}", file.display));
            };
            let columns = line.chars().count() as u32 + 1;
            if position.column == 0 || position.column > columns {
                return Err(format!("column outside line {} of `{}`: {diagnostic:?}", position.line, file.display));
            }
        }
        if diagnostic.start.line != 0 && diagnostic.end < diagnostic.start {
            return Err(format!("diagnostic ends before it starts: {diagnostic:?}"));
        }
    }
    if let Some(html) = &compiled.html
        && html.is_empty()
    {
        return Err("empty HTML without an error".to_owned());
    }
    Ok(())
}

fn compile_in(dir: &Path, name: &str, text: &str) -> Compiled {
    let path = dir.join(name);
    compile::compile_source(SourceFile::new(name.to_owned(), path, text), dir, &DiskReader, Limits::default())
}

const BODY_TAGS: &[&str] = &[
    "mj-section",
    "mj-column",
    "mj-wrapper",
    "mj-group",
    "mj-hero",
    "mj-text",
    "mj-button",
    "mj-image",
    "mj-divider",
    "mj-spacer",
    "mj-table",
    "mj-raw",
    "mj-social",
    "mj-social-element",
    "mj-navbar",
    "mj-navbar-link",
    "mj-accordion",
    "mj-accordion-element",
    "mj-accordion-title",
    "mj-accordion-text",
    "mj-carousel",
    "mj-carousel-image",
    "mj-include",
    "p",
    "a",
    "span",
    "br",
    "div",
];

const HEAD_TAGS: &[&str] = &[
    "mj-title",
    "mj-preview",
    "mj-style",
    "mj-font",
    "mj-breakpoint",
    "mj-attributes",
    "mj-all",
    "mj-class",
    "mj-html-attributes",
    "mj-selector",
    "mj-html-attribute",
    "mj-raw",
    "mj-include",
];

const ATTRIBUTE_NAMES: &[&str] = &[
    "width",
    "padding",
    "color",
    "font-family",
    "href",
    "src",
    "alt",
    "title",
    "css-class",
    "mj-class",
    "path",
    "type",
    "inline",
    "name",
    "style",
    "background-url",
    "border",
    "align",
    "data-x",
];

fn attribute_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("33.33333333333333%".to_owned()),
        Just("10px 20px".to_owned()),
        Just("a.mjml".to_owned()),
        Just("b.mjml".to_owned()),
        Just("style.css".to_owned()),
        Just("html".to_owned()),
        Just("css".to_owned()),
        Just("inline".to_owned()),
        "[a-z0-9 #%:;.,'\"\\\\\n\t<>&=/’é日🎉\u{200b}\u{301}-]{0,16}",
    ]
}

fn attribute() -> impl Strategy<Value = String> {
    (prop::sample::select(ATTRIBUTE_NAMES), attribute_value(), 0..4u8).prop_map(
        |(name, value, quoting)| match quoting {
            0 => format!(" {name}=\"{}\"", value.replace('"', "")),
            1 => format!(" {name}='{}'", value.replace('\'', "")),
            2 => format!(" {name}={}", value.replace([' ', '>', '"', '\''], "")),
            _ => format!(" {name}"),
        },
    )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ’é日🎉<>\"'&;/=\n-]{0,24}",
        Just("’>".to_owned()),
        Just("é>".to_owned()),
        Just("{{name}}".to_owned()),
        Just("lpraw0x0z".to_owned()),
        Just("<!-- comment ’ -->".to_owned()),
        Just("<!--[if mso]><p>outlook</p><![endif]-->".to_owned()),
        Just("<br>".to_owned()),
        Just("<".to_owned()),
    ]
}

/// A tree of elements drawn from `tags`, written out as markup, sometimes slightly broken.
fn markup(tags: &'static [&'static str]) -> impl Strategy<Value = String> {
    let leaf = text();
    leaf.prop_recursive(5, 48, 6, move |inner| {
        (
            prop::sample::select(tags),
            prop::collection::vec(attribute(), 0..4),
            prop::collection::vec(inner, 0..5),
            0..10u8,
        )
            .prop_map(|(tag, attributes, children, shape)| {
                let attributes = attributes.concat();
                match shape {
                    0 => format!("<{tag}{attributes} />"),
                    1 => format!("<{tag}{attributes}>{}", children.concat()),
                    2 => format!("{}</{tag}>", children.concat()),
                    _ => format!("<{tag}{attributes}>{}</{tag}>", children.concat()),
                }
            })
    })
}

fn document() -> impl Strategy<Value = (String, Vec<String>, u8)> {
    (markup(HEAD_TAGS), markup(BODY_TAGS), prop::collection::vec(markup(BODY_TAGS), 3), 0..8u8).prop_map(
        |(head, body, partials, shape)| {
            let document = match shape {
                0 => body.clone(),
                1 => format!("<mjml><mj-body>{body}</mj-body>"),
                2 => format!("\u{feff}<mjml>\r\n<mj-head>{head}</mj-head>\r\n<mj-body>{body}</mj-body>\r\n</mjml>"),
                _ => format!("<mjml>\n<mj-head>{head}</mj-head>\n<mj-body>\n{body}\n</mj-body>\n</mjml>\n"),
            };
            (document, partials, shape)
        },
    )
}

proptest! {
    #![proptest_config(Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel("proptest-regressions"))),
        ..Config::default()
    })]

    #[test]
    fn compiling_generated_documents_never_panics((document, partials, shape) in document()) {
        let dir = tempfile::tempdir().unwrap();
        // Partials include each other and the main file, so cycles and nesting come up.
        let linked = [
            "<mj-include path=\"b.mjml\" />",
            "<mj-include path=\"./a.mjml\" />",
            "<mj-include path=\"main.mjml\" />",
        ];
        for (i, (name, partial)) in ["a.mjml", "b.mjml", "c.mjml"].iter().zip(&partials).enumerate() {
            let text = if shape % 2 == 0 { format!("{partial}{}", linked[i]) } else { partial.clone() };
            fs::write(dir.path().join(name), text).unwrap();
        }
        fs::write(dir.path().join("style.css"), ".x { color: red }").unwrap();
        fs::write(dir.path().join("main.mjml"), &document).unwrap();
        let compiled = compile_in(dir.path(), "main.mjml", &document);
        if let Err(problem) = check(&compiled, "main.mjml") {
            return Err(TestCaseError::fail(format!("{problem}\ninput: {document:?}")));
        }
    }
}

/// Every file in `tests/fuzz-corpus/`, compiled one by one with its siblings as includable files.
#[test]
fn nasty_inputs_compile_without_panics() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut files: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "mjml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the corpus holds only {} files", files.len());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let compiled = compile::compile_file(&path, &name, &corpus, &DiskReader, Limits::default());
        if let Err(problem) = check(&compiled, &name) {
            panic!("`{name}`: {problem}");
        }
    }
}

/// Inputs large enough to matter, built here rather than stored.
#[test]
fn deep_and_wide_inputs_are_refused_or_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        format!("<mjml><mj-body>{}</mj-body></mjml>", "<mj-section>".repeat(20_000)),
        format!("<mjml><mj-body><mj-raw>{}</mj-raw></mj-body></mjml>", "<div>".repeat(20_000)),
        format!("<mjml><mj-body><mj-text>{}</mj-text></mj-body></mjml>", "’>".repeat(50_000)),
        format!(
            "<mjml><mj-body>{}</mj-body></mjml>",
            "<mj-section><mj-column><mj-text a='\"\n\\'>x</mj-text></mj-column></mj-section>".repeat(2_000)
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let compiled = compile_in(dir.path(), "big.mjml", text);
        if let Err(problem) = check(&compiled, "big.mjml") {
            panic!("case {i}: {problem}");
        }
        assert!(compiled.html.is_some() || compiled.has_errors(), "case {i} gave neither HTML nor an error");
    }
}
