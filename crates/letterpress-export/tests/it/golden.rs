//! Golden outputs: the fixture project exported in every format, and the bundled example project,
//! compared byte for byte with what is stored under `tests/golden/`. Run with `LETTERPRESS_BLESS=1` to rewrite them after an
//! intended change, then review the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use letterpress_export::Format;

use crate::util;

fn blessing() -> bool {
    std::env::var_os("LETTERPRESS_BLESS").is_some_and(|v| v == "1")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Exports the project in `root` into a temporary folder and returns the files written.
fn export(root: &Path, format: Format, minify: bool) -> BTreeMap<String, Vec<u8>> {
    let project = util::load(root);
    let out = tempfile::tempdir().unwrap();
    let (plan, _) = util::export(&project, format, out.path(), minify);
    assert!(plan.failed().next().is_none(), "{:#?}", plan.templates);
    util::read_tree(out.path())
}

fn check(name: &str, format: Format, minify: bool) {
    check_tree(name, &util::fixture(), format, minify);
}

/// Compares the export of the project in `root` with the golden folder `name`, file by file.
fn check_tree(name: &str, root: &Path, format: Format, minify: bool) {
    let actual = export(root, format, minify);
    let golden = golden_dir().join(name);
    if blessing() {
        let _ = std::fs::remove_dir_all(&golden);
        for (path, bytes) in &actual {
            let file = golden.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, bytes).unwrap();
        }
        return;
    }
    let expected = util::read_tree(&golden);
    assert!(!expected.is_empty(), "no golden output in `{}`; run with LETTERPRESS_BLESS=1", golden.display());
    let actual_names: Vec<&String> = actual.keys().collect();
    let expected_names: Vec<&String> = expected.keys().collect();
    assert_eq!(actual_names, expected_names, "files of `{name}` differ from the golden output");
    for (path, bytes) in &actual {
        if bytes != &expected[path] {
            panic!(
                "`{name}/{path}` differs from the golden output; run with LETTERPRESS_BLESS=1 if the change is intended\n{}",
                first_difference(&expected[path], bytes)
            );
        }
    }
}

/// The first line where two files differ, for a readable failure on large files.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    let mut expected_lines = expected.split_inclusive('\n');
    let mut actual_lines = actual.split_inclusive('\n');
    for line in 1.. {
        match (expected_lines.next(), actual_lines.next()) {
            (None, None) => break,
            (e, a) if e == a => continue,
            (e, a) => return format!("line {line}\n--- expected\n{e:?}\n--- actual\n{a:?}"),
        }
    }
    String::from("the files differ")
}

#[test]
fn plain() {
    check("plain", Format::Plain, false);
}

#[test]
fn plain_minified() {
    check("plain-minified", Format::Plain, true);
}

#[test]
fn postmark() {
    check("postmark", Format::Postmark, false);
}

#[test]
fn sendgrid() {
    check("sendgrid", Format::Sendgrid, false);
}

#[test]
fn mailgun() {
    check("mailgun", Format::Mailgun, false);
}

#[test]
fn ses() {
    check("ses", Format::Ses, false);
}

/// The bundled example project at the repository root.
fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates")
}

/// The bundled project in full for `plain`; for the ESP formats, which embed the same HTML, the
/// SHA-256 of each file, so a change shows without storing every template five times.
#[test]
fn bundled_project() {
    check_tree("bundled/plain", &bundled(), Format::Plain, false);
    for format in [Format::Postmark, Format::Sendgrid, Format::Mailgun, Format::Ses] {
        let listing: String = export(&bundled(), format, false)
            .iter()
            .map(|(path, bytes)| format!("{}  {path}\n", letterpress_export::format::sha256_hex(bytes)))
            .collect();
        let golden = golden_dir().join(format!("bundled/{format}.sha256"));
        if blessing() {
            std::fs::write(&golden, &listing).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("no golden listing `{}`; run with LETTERPRESS_BLESS=1", golden.display()));
        assert_eq!(
            listing, expected,
            "the {format} export of the bundled project changed; run with LETTERPRESS_BLESS=1 if intended"
        );
    }
}
