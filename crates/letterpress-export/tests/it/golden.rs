//! Golden outputs: the fixture project exported in every format, compared byte for byte with the
//! folders under `tests/golden/`. Run with `LETTERPRESS_BLESS=1` to rewrite them after an
//! intended change, then review the diff.

use std::path::Path;

use letterpress_export::Format;

use crate::util;

fn check(name: &str, format: Format, minify: bool) {
    let project = util::load(&util::fixture());
    let out = tempfile::tempdir().unwrap();
    let (plan, _) = util::export(&project, format, out.path(), minify);
    assert!(plan.failed().next().is_none(), "{:#?}", plan.templates);
    let actual = util::read_tree(out.path());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("LETTERPRESS_BLESS").is_some_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&golden);
        util::copy_tree(out.path(), &golden);
        return;
    }
    let expected = util::read_tree(&golden);
    assert!(
        !expected.is_empty(),
        "no golden output in `{}`; run with LETTERPRESS_BLESS=1",
        golden.display()
    );
    let actual_names: Vec<&String> = actual.keys().collect();
    let expected_names: Vec<&String> = expected.keys().collect();
    assert_eq!(
        actual_names, expected_names,
        "files of `{name}` differ from the golden output"
    );
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
