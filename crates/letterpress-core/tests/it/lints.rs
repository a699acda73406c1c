//! Each lint against its annotated fixture in `tests/lints/` (see the README there): the findings
//! of the lints, line by line, are exactly those the fixture's comments name.

use std::fs;
use std::path::Path;

use letterpress_core::Code;
use letterpress_core::compile::{self, DiskReader, Limits, SourceFile};

/// The codes of the lints, each of which has a fixture named after it.
const LINTS: &[Code] =
    &[Code::MissingLang, Code::MissingDir, Code::MissingTitle, Code::ImageAlt, Code::InsecureUrl, Code::EmptyLink];

/// `(line, code)` for each code of each `<!-- lint: CODE, CODE -->` comment of `text`, sorted.
fn expected(text: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find("<!-- lint:") else { continue };
        let rest = &line[at + "<!-- lint:".len()..];
        let codes = &rest[..rest.find("-->").expect("the comment is closed on its line")];
        found.extend(codes.split(',').map(|code| (index as u32 + 1, code.trim().to_owned())));
    }
    found.sort();
    found
}

/// `(line, code)` for each finding of a lint when `path` is compiled as a project's check is,
/// sorted.
fn actual(path: &Path) -> Vec<(u32, String)> {
    let text = fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let file = SourceFile::new(name, path.to_path_buf(), &text);
    let compiled = compile::compile_with(file, path.parent().unwrap(), &DiskReader, Limits::default(), true);
    let mut found: Vec<(u32, String)> = compiled
        .diagnostics
        .iter()
        .chain(&compiled.lints)
        .filter(|d| LINTS.contains(&d.code))
        .map(|d| (d.start.line, d.code.as_str().to_owned()))
        .collect();
    found.sort();
    found
}

#[test]
fn every_lint_finds_what_its_fixture_marks_and_nothing_else() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lints");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".mjml"))
        .collect();
    names.sort();
    let mut wanted: Vec<String> = LINTS.iter().map(|code| format!("{}.mjml", code.as_str())).collect();
    wanted.sort();
    assert_eq!(names, wanted, "one fixture a lint");
    for name in names {
        let path = dir.join(&name);
        let text = fs::read_to_string(&path).unwrap();
        let (expected, actual) = (expected(&text), actual(&path));
        assert!(
            expected.iter().any(|(_, code)| name.starts_with(code.split('#').next().unwrap())),
            "{name} marks no finding of its own lint"
        );
        assert_eq!(actual, expected, "{name}: the findings (left) against the comments (right)");
    }
}
