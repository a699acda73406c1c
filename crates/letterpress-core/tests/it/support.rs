//! Shared test helpers: fixture paths and temporary projects.

use std::path::{Path, PathBuf};

/// The folder of this crate's test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
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
