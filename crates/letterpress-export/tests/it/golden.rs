//! Golden outputs: the fixture project exported in every format, and the bundled example project,
//! compared byte for byte with the insta snapshots under `tests/golden/`, one per file written
//! (`receipt/template.html` is `receipt/template_html.snap.html`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use letterpress_export::Format;
use letterpress_test_golden::{assert_golden, snapshot_file};

use crate::util;

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

/// Compares the export of the project in `root` with the golden folder `name`, file by file, and
/// the names of the files written with those of the golden files.
fn check_tree(name: &str, root: &Path, format: Format, minify: bool) {
    let actual = export(root, format, minify);
    let golden = golden_dir().join(name);
    for (path, bytes) in &actual {
        assert_golden(&golden, path, bytes);
    }
    let written: BTreeSet<PathBuf> = actual.keys().map(|path| snapshot_file(&golden, path)).collect();
    let mut stored = BTreeSet::new();
    snapshots(&golden, &mut stored);
    let stale: Vec<_> = stored.difference(&written).map(|path| path.display().to_string()).collect();
    assert!(stale.is_empty(), "`{name}` no longer writes the files of these golden snapshots: {stale:?}");
}

/// Every insta snapshot (`.snap`) under `dir`.
fn snapshots(dir: &Path, found: &mut BTreeSet<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            snapshots(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "snap") {
            found.insert(path);
        }
    }
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
        assert_golden(&golden_dir().join("bundled"), &format!("{format}.sha256"), listing.as_bytes());
    }
}
