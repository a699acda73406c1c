//! Golden files for the integration tests, kept and updated by `insta`.
//!
//! Each golden file is an insta binary snapshot: a `.snap` file of metadata and, beside it, the
//! expected output byte for byte in `<name>.snap.<extension>`, so a change of a single byte
//! (a trailing space, a line ending) fails, and the file opens as what it is. A crate of its own
//! so that the tests of several crates share it as a dev-dependency.
//!
//! On a difference the test fails and insta writes the new output beside the old one
//! (`.snap.new`), for `cargo insta review`; `INSTA_UPDATE=always` writes it in place instead. On
//! CI (`CI` set) nothing is written.

use std::path::{Path, PathBuf};

/// Compares `actual` with the golden file `file` under `dir`. `file` is a path relative to
/// `dir`, with `/` separators, whose last part ends in an extension (`receipt/template.html`).
pub fn assert_golden(dir: &Path, file: &str, actual: &[u8]) {
    let (folder, name) = snapshot_location(dir, file);
    let extension = file.rsplit_once('.').map(|(_, extension)| extension).filter(|e| !e.contains('/'));
    let extension = extension.unwrap_or_else(|| panic!("golden file `{file}` has no extension"));
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(folder);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_binary_snapshot!(&format!("{name}.{extension}"), actual.to_vec()));
}

/// The `.snap` file that holds the golden file `file` under `dir`.
pub fn snapshot_file(dir: &Path, file: &str) -> PathBuf {
    let (folder, name) = snapshot_location(dir, file);
    folder.join(format!("{name}.snap"))
}

/// The folder of the snapshot and its name: the file's own name with its dots made underscores,
/// since insta takes what follows the first dot as the extension (`template.html` is stored as
/// `template_html.snap` and `template_html.snap.html`).
fn snapshot_location(dir: &Path, file: &str) -> (PathBuf, String) {
    let (folder, name) = file.rsplit_once('/').map_or((dir.to_owned(), file), |(sub, name)| (dir.join(sub), name));
    (folder, name.replace('.', "_"))
}
