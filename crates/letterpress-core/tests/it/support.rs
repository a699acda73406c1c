//! Shared test helpers: fixture paths, temporary projects and golden-file checks.

use std::path::{Path, PathBuf};

/// The folder of this crate's test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Compares `actual` with the golden file at `path`. With `LETTERPRESS_BLESS=1` the file is
/// written instead, so intended changes are one command away.
pub fn check_golden(path: &Path, actual: &str) {
    if std::env::var_os("LETTERPRESS_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!("golden file `{}` is missing; run with LETTERPRESS_BLESS=1 to create it", path.display())
    });
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or_else(|| "in length".to_owned(), |line| format!("first at line {}", line + 1));
        panic!(
            "`{}` differs from the output ({first_difference}); if the change is intended, run with LETTERPRESS_BLESS=1\n--- actual ---\n{actual}",
            path.display()
        );
    }
}

/// A project in a temporary folder, written file by file.
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    pub fn new() -> Self {
        TempProject { dir: tempfile::tempdir().unwrap() }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, content: &str) -> &Self {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    /// A template with a subject and one data set.
    pub fn template(&self, name: &str, mjml: &str, data: &str) -> &Self {
        self.write(&format!("{name}/template.mjml"), mjml)
            .write(&format!("{name}/subject.hbs"), "Subject")
            .write(&format!("{name}/data/default.json"), data)
    }
}

/// Wraps body content in a minimal MJML document, with the language and title every document
/// should have, so that tests see only the problems they are about. The content starts on line 3.
pub fn body(content: &str) -> String {
    format!(
        "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>Test</mj-title></mj-head>\n<mj-body>\n{content}\n</mj-body>\n</mjml>\n"
    )
}

/// The errors and warnings among `diagnostics`: what a test of something other than the inbox
/// checks looks at, since client-support notes (`info`) come with any markup.
pub fn problems(diagnostics: &[letterpress_core::Diagnostic]) -> Vec<&letterpress_core::Diagnostic> {
    diagnostics.iter().filter(|d| d.severity != letterpress_core::Severity::Info).collect()
}
