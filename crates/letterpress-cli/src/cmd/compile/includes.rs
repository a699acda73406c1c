//! `mj-include` as the `mjml` 5 command treats it: left out unless `--config.allowIncludes true`,
//! resolved from `--config.filePath`, and allowed to read from `--config.includePath` folders.
//! Letterpress still confines includes to one folder; where that refuses a path `mjml` would read,
//! the message says how to allow it.

use std::path::{Path, PathBuf};

use letterpress_core::Diagnostic;
use letterpress_core::diagnostic::Code;

use super::args::Config;
use crate::report;

/// The path the document's own includes resolve against: `--config.filePath` (a file, or a
/// folder holding the document) when given, else the document itself.
pub fn resolution_path(document: &Path, config: &Config) -> PathBuf {
    match &config.file_path {
        Some(base) if base.is_dir() => base.join(document.file_name().unwrap_or_default()),
        Some(base) => base.clone(),
        None => document.to_path_buf(),
    }
}

/// The folder includes may read from: `--root` when given; otherwise the project folder above
/// the document, or the current folder if the document is inside it, or the document's folder,
/// widened to hold every `--config.includePath` folder.
pub fn root(document: &Path, explicit: Option<&Path>, config: &Config) -> PathBuf {
    if let Some(root) = explicit {
        return root.to_path_buf();
    }
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let document = absolute(document);
    let parent = document.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut root = match parent.ancestors().find(|dir| dir.join(letterpress_core::config::FILE_NAME).is_file()) {
        Some(project) => project.to_path_buf(),
        None => match std::env::current_dir() {
            Ok(cwd) if document.starts_with(&cwd) => cwd,
            _ => parent,
        },
    };
    for extra in &config.include_path {
        let extra = absolute(extra);
        while !extra.starts_with(&root) {
            match root.parent() {
                Some(up) => root = up.to_path_buf(),
                None => break,
            }
        }
    }
    root
}

/// `text` with every `mj-include` tag blanked out, positions kept, for when includes are off.
pub fn left_out(text: &str) -> String {
    let mut out = text.to_owned();
    let mut at = 0;
    while let Some(found) = out[at..].find("<mj-include") {
        let start = at + found;
        let Some(close) = out[start..].find('>').map(|e| start + e + 1) else { break };
        let end = if out[start..close].ends_with("/>") {
            close
        } else {
            out[close..].find("</mj-include>").map_or(close, |e| close + e + "</mj-include>".len())
        };
        let blank: String = out[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
        out.replace_range(start..end, &blank);
        at = start + blank.len();
    }
    out
}

/// The warning `mjml` 5 prints when documents hold `mj-include` while includes are off.
pub fn warn_disabled(files: &[&str]) {
    if !files.is_empty() {
        report::note(&format!(
            "warning: `mj-include` is left out because includes are off, as in `mjml` 5 ({}); \
             add `--config.allowIncludes true` to expand them",
            files.join(", ")
        ));
    }
}

/// Says how to allow an include that Letterpress's confinement refused.
pub fn explain_refusals(diagnostics: &[Diagnostic], root_given: bool) {
    if diagnostics.iter().any(|d| d.code == Code::IncludeOutsideRoot) {
        let how = if root_given {
            "name a wider folder with `--root DIR`"
        } else {
            "add its folder with `--config.includePath DIR`, or name the folder includes may read from with `--root DIR`"
        };
        report::note(&format!(
            "note: Letterpress reads includes only from inside one folder, so that a template cannot read \
             arbitrary files; to allow this include, {how}"
        ));
    }
}
