//! Template projects on disk: a folder per template with its MJML, subject and data sets, a
//! partials folder, and an optional `letterpress.toml`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::compile::{DiskReader, ReadError, read_confined};
use crate::config::{self, Config};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::error_code::ErrorCode;

/// The MJML source of a template.
pub const TEMPLATE_FILE: &str = "template.mjml";
/// The subject line, a Handlebars template.
pub const SUBJECT_FILE: &str = "subject.hbs";
/// An optional hand-written plain-text part, a Handlebars template.
pub const TEXT_FILE: &str = "text.hbs";
/// The folder of named sample data sets.
pub const DATA_DIR: &str = "data";
/// The data set listed first and used when none is named.
pub const DEFAULT_DATA_SET: &str = "default";

/// Why a project could not be opened at all. Problems inside a project are diagnostics instead.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("project folder `{}` does not exist", path.display())]
    NotFound { path: PathBuf },
    #[error("`{}` is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("cannot read project folder `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ProjectError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            ProjectError::NotFound { .. } => ErrorCode::ProjectNotFound,
            ProjectError::NotAFolder { .. } => ErrorCode::NotAFolder,
            ProjectError::Io { .. } => ErrorCode::Io,
        }
    }
}

/// A loaded project: its settings, its templates and the problems found while loading.
#[derive(Debug, Clone)]
pub struct Project {
    /// The absolute path of the project folder.
    pub root: PathBuf,
    pub config: Config,
    /// Templates sorted by name.
    pub templates: Vec<Template>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One template of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub name: String,
    /// The template's folder, absolute.
    pub dir: PathBuf,
    /// Data sets: `default` first, then by name.
    pub data_sets: Vec<DataSet>,
    /// Whether the template ships its own `text.hbs`.
    pub has_text: bool,
}

/// A named sample data set of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSet {
    pub name: String,
    pub path: PathBuf,
}

impl Template {
    pub fn mjml_path(&self) -> PathBuf {
        self.dir.join(TEMPLATE_FILE)
    }

    pub fn subject_path(&self) -> PathBuf {
        self.dir.join(SUBJECT_FILE)
    }

    pub fn text_path(&self) -> PathBuf {
        self.dir.join(TEXT_FILE)
    }

    pub fn data_set(&self, name: &str) -> Option<&DataSet> {
        self.data_sets.iter().find(|d| d.name == name)
    }
}

/// Whether `name` may name a template or a data set: lowercase ASCII letters and digits in words
/// joined by single hyphens, at most 64 characters. Such names are safe as file names, URL parts
/// and ESP template aliases alike.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

impl Project {
    /// Loads the project in `root`. Only a missing or unreadable folder is an error; everything
    /// else wrong with the project becomes a diagnostic and loading goes on.
    pub fn load(root: &Path) -> Result<Project, ProjectError> {
        let root = std::path::absolute(root).map_err(|source| ProjectError::Io { path: root.to_path_buf(), source })?;
        let root = crate::compile::include::normalize_lexically(&root);
        match std::fs::metadata(&root) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(ProjectError::NotFound { path: root });
            }
            Err(source) => return Err(ProjectError::Io { path: root, source }),
            Ok(meta) if !meta.is_dir() => return Err(ProjectError::NotAFolder { path: root }),
            Ok(_) => {}
        }
        let mut diagnostics = Vec::new();
        let canonical_root = root.canonicalize().map_err(|source| ProjectError::Io { path: root.clone(), source })?;
        let config = match read_confined(&DiskReader, &canonical_root, &root.join(config::FILE_NAME)) {
            Ok(text) => config::parse(&text).unwrap_or_else(|diagnostic| {
                diagnostics.push(diagnostic);
                Config::default()
            }),
            Err(ReadError::NotFound) => Config::default(),
            Err(error) => {
                diagnostics.push(error.diagnostic(config::FILE_NAME));
                Config::default()
            }
        };
        let entries = std::fs::read_dir(&root).map_err(|source| ProjectError::Io { path: root.clone(), source })?;
        let mut folders: Vec<(String, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with('.') || name == config.partials || !path.is_dir() {
                continue;
            }
            if !path.join(TEMPLATE_FILE).is_file() {
                if path.join(SUBJECT_FILE).exists() || path.join(DATA_DIR).is_dir() {
                    diagnostics.push(Diagnostic::warning(
                        Code::MissingFile,
                        format!("{name}/{TEMPLATE_FILE}"),
                        format!("folder `{name}` looks like a template but has no `{TEMPLATE_FILE}`"),
                    ));
                }
                continue;
            }
            if crate::local::confine_path(&canonical_root, &path).is_err() {
                diagnostics.push(Diagnostic::error(
                    Code::InvalidName,
                    format!("{name}/{TEMPLATE_FILE}"),
                    format!("template folder `{name}` is a link to outside the project and is skipped"),
                ));
                continue;
            }
            folders.push((name, path));
        }
        folders.sort();
        let mut templates = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (name, dir) in folders {
            let file = format!("{name}/{TEMPLATE_FILE}");
            if let Some(other) = seen.insert(name.to_lowercase(), name.clone()) {
                diagnostics.push(Diagnostic::error(
                    Code::DuplicateName,
                    file,
                    format!(
                        "template `{name}` has the same name as `{other}` on case-insensitive file systems; rename one"
                    ),
                ));
                continue;
            }
            if !is_valid_name(&name) {
                diagnostics.push(Diagnostic::error(
                    Code::InvalidName,
                    file,
                    format!("template name `{name}` is not valid: use lowercase letters, digits and single hyphens, e.g. `password-reset`"),
                ));
                continue;
            }
            if !dir.join(SUBJECT_FILE).is_file() {
                diagnostics.push(Diagnostic::error(
                    Code::MissingFile,
                    format!("{name}/{SUBJECT_FILE}"),
                    format!("template `{name}` has no `{SUBJECT_FILE}`; its subject will be empty"),
                ));
            }
            let data_sets = load_data_sets(&name, &dir, &mut diagnostics);
            let has_text = dir.join(TEXT_FILE).is_file();
            templates.push(Template { name, dir, data_sets, has_text });
        }
        diagnostic::sort(&mut diagnostics);
        Ok(Project { root, config, templates, diagnostics })
    }

    /// The project folder with symbolic links resolved, which every file the project reads must
    /// lie in (see [`crate::local::confine_path`]).
    pub fn real_root(&self) -> PathBuf {
        self.root.canonicalize().unwrap_or_else(|_| self.root.clone())
    }

    pub fn template(&self, name: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.name == name)
    }

    /// The absolute path of the partials folder.
    pub fn partials_dir(&self) -> PathBuf {
        self.root.join(&self.config.partials)
    }

    /// `path` relative to the project root with `/` separators, for display.
    pub fn display(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }
}

fn load_data_sets(template: &str, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<DataSet> {
    let data_dir = dir.join(DATA_DIR);
    let Ok(entries) = std::fs::read_dir(&data_dir) else {
        diagnostics.push(Diagnostic::warning(
            Code::MissingFile,
            format!("{template}/{DATA_DIR}"),
            format!("template `{template}` has no data sets; it renders with empty data"),
        ));
        return Vec::new();
    };
    let mut sets: Vec<DataSet> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut files: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let is_json = Path::new(&file).extension().is_some_and(|x| x.eq_ignore_ascii_case("json"));
            (is_json && e.path().is_file()).then(|| (file, e.path()))
        })
        .collect();
    files.sort();
    for (file, path) in files {
        let display = format!("{template}/{DATA_DIR}/{file}");
        let name = file[..file.len() - ".json".len()].to_owned();
        if let Some(other) = seen.insert(name.to_lowercase(), file.clone()) {
            diagnostics.push(Diagnostic::error(
                Code::DuplicateName,
                display,
                format!("data set `{file}` has the same name as `{other}`; rename one"),
            ));
            continue;
        }
        if !is_valid_name(&name) {
            diagnostics.push(Diagnostic::error(
                Code::InvalidName,
                display,
                format!("data set name `{name}` is not valid: use lowercase letters, digits and single hyphens, e.g. `long-values`"),
            ));
            continue;
        }
        sets.push(DataSet { name, path });
    }
    sets.sort_by(|a, b| (a.name != DEFAULT_DATA_SET, &a.name).cmp(&(b.name != DEFAULT_DATA_SET, &b.name)));
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in ["a", "password-reset", "es", "long-values", "v2"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "A", "a--b", "-a", "a-", "a_b", "a b", "é", "../x", &"a".repeat(65)] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
