//! Editing a project on disk: atomic saves that refuse to overwrite changes made elsewhere, and
//! creating, renaming, duplicating and deleting templates and data sets.
//!
//! Every write goes through [`write_atomic`], so a crash or a full disk never leaves a half-written
//! template behind, and other editors watching the folder see one complete change.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::compile::{Overlay, Reader};
use crate::error_code::ErrorCode;
use crate::project::{self, DATA_DIR, DEFAULT_DATA_SET, Project, SUBJECT_FILE, TEMPLATE_FILE, TEXT_FILE};

/// Why an edit was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("`{name}` is not a valid name: use lowercase letters, digits and single hyphens, e.g. `password-reset`")]
    InvalidName { name: String },
    #[error("{what} `{name}` already exists")]
    AlreadyExists { what: &'static str, name: String },
    #[error("{what} `{name}` does not exist")]
    NotFound { what: &'static str, name: String },
    #[error("`{}` changed on disk since it was opened", path.display())]
    Conflict {
        path: PathBuf,
        /// The hash of what is on disk now, or `None` when the file was deleted.
        disk_hash: Option<String>,
    },
    #[error("`{}` is outside the project", path.display())]
    OutsideProject { path: PathBuf },
    #[error("`{path}` is not a UTF-8 text file")]
    NotText { path: String },
    #[error("cannot read `{path}`")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot write `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl EditError {
    /// A stable code for front ends to branch on: `conflict` asks to reload or overwrite.
    pub fn code(&self) -> ErrorCode {
        match self {
            EditError::InvalidName { .. } => ErrorCode::InvalidName,
            EditError::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            EditError::NotFound { .. } => ErrorCode::NotFound,
            EditError::Conflict { .. } => ErrorCode::Conflict,
            EditError::OutsideProject { .. } => ErrorCode::OutsideProject,
            EditError::NotText { .. } => ErrorCode::NotText,
            EditError::Read { .. } | EditError::Io { .. } => ErrorCode::Io,
        }
    }
}

impl EditError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> EditError + '_ {
        move |source| EditError::Io { path: path.to_path_buf(), source }
    }
}

/// The SHA-256 of `bytes` in lowercase hex. The app remembers the hash of what it read and wrote
/// to tell its own saves from changes made elsewhere.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of the file at `path`, or `None` when it does not exist.
pub fn file_hash(path: &Path) -> io::Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(content_hash(&bytes))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// A project file as an editor opens it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FileText {
    pub text: String,
    /// The SHA-256 of the bytes on disk, to detect changes made elsewhere.
    pub hash: String,
}

/// Reads the file at `relative` (confined to the project at `root`, as [`resolve`] does) for
/// editing: its text and the hash of its bytes. A missing file or one that is not UTF-8 text is
/// refused.
pub fn read_text(root: &Path, relative: &str) -> Result<FileText, EditError> {
    let path = resolve(root, relative)?;
    let bytes = std::fs::read(&path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => EditError::NotFound { what: "file", name: relative.to_owned() },
        _ => EditError::Read { path: relative.to_owned(), source },
    })?;
    let hash = content_hash(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| EditError::NotText { path: relative.to_owned() })?;
    Ok(FileText { text, hash })
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` so that readers see either the old or the new content, never a mix:
/// the bytes go to a hidden temporary file in the same folder, are flushed to the disk, and the
/// temporary file is renamed over `path`. The folder is synced too, so the rename survives a crash.
/// A missing folder is created first. The one atomic write of the workspace: the mail crate, the
/// export and the app all write through it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // The leading dot and the `.tmp` ending make watchers, git and the project loader ignore it.
    write_atomic_as(path, bytes, &|name, n| format!(".{name}.{}-{n}.tmp", std::process::id()))
}

/// [`write_atomic`] with temporary files named by `temp_name(file name, counter)`, for writers
/// that recognise (and clean up) their own temporary files. An existing file's permissions are
/// kept, as editors do.
pub fn write_atomic_as(path: &Path, bytes: &[u8], temp_name: &dyn Fn(&str, u64) -> String) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name =
        path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let name = name.to_string_lossy();
    std::fs::create_dir_all(dir)?;
    let (temp, mut file) = loop {
        let temp = dir.join(temp_name(&name, TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    };
    let result = (|| {
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Best effort: some file systems cannot sync a directory, and the data is already safe.
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// What the caller believes is on disk before a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Save whatever is there.
    Anything,
    /// The file must not exist yet.
    Absent,
    /// The file must still have this content hash.
    Hash(String),
}

/// Saves `text` to `path` atomically, unless the file on disk is no longer what the caller last
/// saw, in which case nothing is written and [`EditError::Conflict`] says what is there now.
/// Returns the hash of the saved content.
pub fn save_checked(path: &Path, text: &str, expected: &Expected) -> Result<String, EditError> {
    let disk = file_hash(path).map_err(EditError::io(path))?;
    let matches = match (expected, &disk) {
        (Expected::Anything, _) => true,
        (Expected::Absent, None) => true,
        (Expected::Hash(want), Some(have)) => want == have,
        _ => false,
    };
    if !matches {
        return Err(EditError::Conflict { path: path.to_path_buf(), disk_hash: disk });
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(EditError::io(parent))?;
    }
    write_atomic(path, text.as_bytes()).map_err(EditError::io(path))?;
    Ok(content_hash(text.as_bytes()))
}

/// Resolves a project-relative path written with `/` separators, refusing anything that could
/// leave the project: `..`, absolute paths, hidden components, and links that point outside it.
pub fn resolve(root: &Path, relative: &str) -> Result<PathBuf, EditError> {
    let outside = || EditError::OutsideProject { path: PathBuf::from(relative) };
    if relative.is_empty() || relative.starts_with('/') || relative.contains('\\') {
        return Err(outside());
    }
    let mut path = root.to_path_buf();
    for part in relative.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.starts_with('.') || part.contains(':') {
            return Err(outside());
        }
        path.push(part);
    }
    // A symbolic link inside the project may point anywhere; what counts is where the path really
    // leads. The deepest part that exists is checked, so paths about to be created work too.
    if let Ok(real_root) = root.canonicalize() {
        let existing = path.ancestors().find(|p| p.exists());
        if let Some(existing) = existing
            && matches!(crate::local::confine_path(&real_root, existing), Err(crate::local::ConfineError::Outside))
        {
            return Err(outside());
        }
    }
    Ok(path)
}

/// The unsaved buffers of a front end, each a project-relative path and its text, as a reader
/// over the disk; a path outside the project is refused as [`resolve`] refuses it.
pub fn overlay(root: &Path, buffers: impl IntoIterator<Item = (String, String)>) -> Result<Overlay, EditError> {
    let mut resolved = HashMap::new();
    for (relative, text) in buffers {
        resolved.insert(resolve(root, &relative)?, text);
    }
    Ok(Overlay::new(resolved))
}

fn check_name(name: &str) -> Result<(), EditError> {
    if project::is_valid_name(name) { Ok(()) } else { Err(EditError::InvalidName { name: name.to_owned() }) }
}

/// Whether a template or data set name is taken, also on a file system that ignores case.
fn taken(dir: &Path, name: &str) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(name)))
}

/// How a new template starts.
pub enum Starter<'a> {
    /// A minimal template with a heading, a paragraph, a button and a `default` data set.
    Blank,
    /// A copy of a template from another project (the bundled starters), together with the
    /// partials it includes that the target project lacks.
    Copy { project: &'a Project, template: &'a str, reader: &'a dyn Reader },
}

const BLANK_MJML: &str = r##"<mjml lang="en" dir="ltr">
  <mj-head>
    <mj-title>{{title}}</mj-title>
    <mj-preview>{{preview}}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#1f2933" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff" padding="32px 24px">
      <mj-column>
        <mj-text font-size="24px" line-height="32px" font-weight="bold">{{title}}</mj-text>
        <mj-text>Hello {{name}},</mj-text>
        <mj-text>Write your message here.</mj-text>
        <mj-button href="{{action_url}}" background-color="#2f6fed" align="left">Open</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"##;

const BLANK_SUBJECT: &str = "{{title}}\n";

const BLANK_DATA: &str = r#"{
  "title": "Welcome",
  "preview": "A short line that inboxes show after the subject",
  "name": "Ada",
  "action_url": "https://example.com/start"
}
"#;

/// Creates template `name` in the project at `root`. Returns the files written, project-relative.
pub fn create_template(root: &Path, name: &str, starter: Starter<'_>) -> Result<Vec<String>, EditError> {
    check_name(name)?;
    if taken(root, name) {
        return Err(EditError::AlreadyExists { what: "template", name: name.to_owned() });
    }
    let dir = root.join(name);
    let mut written = Vec::new();
    let mut write = |relative: String, bytes: &[u8]| -> Result<(), EditError> {
        let path = resolve(root, &relative)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(EditError::io(parent))?;
        }
        write_atomic(&path, bytes).map_err(EditError::io(&path))?;
        written.push(relative);
        Ok(())
    };
    match starter {
        Starter::Blank => {
            std::fs::create_dir_all(dir.join(DATA_DIR)).map_err(EditError::io(&dir))?;
            write(format!("{name}/{TEMPLATE_FILE}"), BLANK_MJML.as_bytes())?;
            write(format!("{name}/{SUBJECT_FILE}"), BLANK_SUBJECT.as_bytes())?;
            write(format!("{name}/{DATA_DIR}/{DEFAULT_DATA_SET}.json"), BLANK_DATA.as_bytes())?;
        }
        Starter::Copy { project, template, reader } => {
            let source = project
                .template(template)
                .ok_or_else(|| EditError::NotFound { what: "starter", name: template.to_owned() })?;
            std::fs::create_dir_all(dir.join(DATA_DIR)).map_err(EditError::io(&dir))?;
            let copy = |file: &str| std::fs::read(source.dir.join(file)).map_err(EditError::io(&source.dir));
            write(format!("{name}/{TEMPLATE_FILE}"), &copy(TEMPLATE_FILE)?)?;
            if source.dir.join(SUBJECT_FILE).is_file() {
                write(format!("{name}/{SUBJECT_FILE}"), &copy(SUBJECT_FILE)?)?;
            }
            if source.has_text {
                write(format!("{name}/{TEXT_FILE}"), &copy(TEXT_FILE)?)?;
            }
            for set in &source.data_sets {
                let bytes = std::fs::read(&set.path).map_err(EditError::io(&set.path))?;
                write(format!("{name}/{DATA_DIR}/{}.json", set.name), &bytes)?;
            }
            // The partials the starter includes, where the target has no file of that name. An
            // existing partial is the target's own and is never overwritten.
            let compiled = crate::compile::compile_file(
                &source.mjml_path(),
                &project.display(&source.mjml_path()),
                &project.root,
                reader,
                crate::compile::Limits::default(),
            );
            for file in compiled.files.iter().skip(1) {
                let relative = project.display(&file.path);
                let Ok(target) = resolve(root, &relative) else { continue };
                if target.exists() {
                    continue;
                }
                let bytes = std::fs::read(&file.path).map_err(EditError::io(&file.path))?;
                write(relative, &bytes)?;
            }
        }
    }
    Ok(written)
}

fn template_dir(root: &Path, name: &str) -> Result<PathBuf, EditError> {
    let dir = root.join(name);
    if project::is_valid_name(name) && dir.join(TEMPLATE_FILE).is_file() {
        Ok(dir)
    } else {
        Err(EditError::NotFound { what: "template", name: name.to_owned() })
    }
}

/// Renames template `from` to `to`.
pub fn rename_template(root: &Path, from: &str, to: &str) -> Result<(), EditError> {
    let source = template_dir(root, from)?;
    check_name(to)?;
    // A change of case only is allowed on a file system that ignores case.
    if from != to && taken(root, to) && !from.eq_ignore_ascii_case(to) {
        return Err(EditError::AlreadyExists { what: "template", name: to.to_owned() });
    }
    let target = root.join(to);
    std::fs::rename(&source, &target).map_err(EditError::io(&source))
}

/// Copies template `from` with all its data sets to a new template `to`.
pub fn duplicate_template(root: &Path, from: &str, to: &str) -> Result<(), EditError> {
    let source = template_dir(root, from)?;
    check_name(to)?;
    if taken(root, to) {
        return Err(EditError::AlreadyExists { what: "template", name: to.to_owned() });
    }
    // Copy into a hidden folder first and rename it into place, so watchers and the project loader
    // never see a half-copied template.
    let staging = root.join(format!(".{to}.{}.tmp", std::process::id()));
    let result = copy_dir(&source, &staging).and_then(|()| std::fs::rename(&staging, root.join(to)));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result.map_err(EditError::io(&source))
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(&name))?;
        } else if kind.is_file() {
            let bytes = std::fs::read(entry.path())?;
            write_atomic(&to.join(&name), &bytes)?;
        }
    }
    Ok(())
}

/// Deletes template `name` and everything in its folder.
pub fn delete_template(root: &Path, name: &str) -> Result<(), EditError> {
    let dir = template_dir(root, name)?;
    std::fs::remove_dir_all(&dir).map_err(EditError::io(&dir))
}

fn data_path(root: &Path, template: &str, name: &str) -> Result<PathBuf, EditError> {
    let dir = template_dir(root, template)?;
    check_name(name)?;
    Ok(dir.join(DATA_DIR).join(format!("{name}.json")))
}

fn existing_data_path(root: &Path, template: &str, name: &str) -> Result<PathBuf, EditError> {
    let path = data_path(root, template, name).map_err(|error| match error {
        EditError::InvalidName { name } => EditError::NotFound { what: "data set", name },
        other => other,
    })?;
    if path.is_file() { Ok(path) } else { Err(EditError::NotFound { what: "data set", name: name.to_owned() }) }
}

fn free_data_path(root: &Path, template: &str, name: &str) -> Result<PathBuf, EditError> {
    let path = data_path(root, template, name)?;
    let file = format!("{name}.json");
    if path.parent().is_some_and(|dir| taken(dir, &file)) {
        return Err(EditError::AlreadyExists { what: "data set", name: name.to_owned() });
    }
    Ok(path)
}

/// Adds data set `name` to `template`: a copy of `from` when given, else an empty object.
pub fn create_data_set(root: &Path, template: &str, name: &str, from: Option<&str>) -> Result<(), EditError> {
    let target = free_data_path(root, template, name)?;
    let bytes = match from {
        Some(from) => {
            let source = existing_data_path(root, template, from)?;
            std::fs::read(&source).map_err(EditError::io(&source))?
        }
        None => b"{\n}\n".to_vec(),
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(EditError::io(parent))?;
    }
    write_atomic(&target, &bytes).map_err(EditError::io(&target))
}

/// Renames data set `from` of `template` to `to`.
pub fn rename_data_set(root: &Path, template: &str, from: &str, to: &str) -> Result<(), EditError> {
    let source = existing_data_path(root, template, from)?;
    let target = if from.eq_ignore_ascii_case(to) {
        data_path(root, template, to)?
    } else {
        free_data_path(root, template, to)?
    };
    std::fs::rename(&source, &target).map_err(EditError::io(&source))
}

/// Deletes data set `name` of `template`.
pub fn delete_data_set(root: &Path, template: &str, name: &str) -> Result<(), EditError> {
    let path = existing_data_path(root, template, name)?;
    std::fs::remove_file(&path).map_err(EditError::io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::DiskReader;

    fn project_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        create_template(dir.path(), "welcome", Starter::Blank).unwrap();
        dir
    }

    #[test]
    fn a_file_is_read_for_editing_with_its_hash_and_refused_when_missing_outside_or_not_text() {
        let dir = project_dir();
        let root = dir.path();
        let read = read_text(root, "welcome/template.mjml").unwrap();
        let bytes = std::fs::read(root.join("welcome/template.mjml")).unwrap();
        assert_eq!(read.text.as_bytes(), bytes.as_slice());
        assert_eq!(read.hash, content_hash(&bytes));
        assert_eq!(
            save_checked(&root.join("welcome/template.mjml"), "x", &Expected::Hash(read.hash)).map(|_| ()).ok(),
            Some(())
        );

        let missing = read_text(root, "welcome/nothing.mjml").unwrap_err();
        assert_eq!(missing.code(), ErrorCode::NotFound);
        assert_eq!(missing.to_string(), "file `welcome/nothing.mjml` does not exist");
        assert_eq!(read_text(root, "../elsewhere.mjml").unwrap_err().code(), ErrorCode::OutsideProject);
        std::fs::write(root.join("welcome/logo.png"), b"\x89PNG\xff").unwrap();
        let binary = read_text(root, "welcome/logo.png").unwrap_err();
        assert_eq!(binary.code(), ErrorCode::NotText);
        assert_eq!(binary.to_string(), "`welcome/logo.png` is not a UTF-8 text file");
        let folder = read_text(root, "welcome").unwrap_err();
        assert_eq!((folder.code(), folder.to_string().as_str()), (ErrorCode::Io, "cannot read `welcome`"));
    }

    #[test]
    fn atomic_save_replaces_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec!["a.txt"]);
    }

    #[test]
    fn atomic_save_creates_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/nested/a.txt");
        write_atomic(&path, b"one").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec!["a.txt"]);
    }

    #[test]
    fn save_refuses_to_overwrite_a_file_changed_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.mjml");
        let first = save_checked(&path, "<mjml/>", &Expected::Absent).unwrap();
        assert_eq!(first, content_hash(b"<mjml/>"));
        // Another editor changes the file.
        std::fs::write(&path, "theirs").unwrap();
        let error = save_checked(&path, "mine", &Expected::Hash(first.clone())).unwrap_err();
        match error {
            EditError::Conflict { disk_hash, .. } => assert_eq!(disk_hash, Some(content_hash(b"theirs"))),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theirs");
        // Keeping mine after seeing theirs is an explicit choice.
        save_checked(&path, "mine", &Expected::Hash(content_hash(b"theirs"))).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        // A file deleted elsewhere is a conflict too.
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(
            save_checked(&path, "x", &Expected::Hash(first)),
            Err(EditError::Conflict { disk_hash: None, .. })
        ));
        assert!(save_checked(&path, "x", &Expected::Absent).is_ok());
    }

    #[test]
    fn paths_cannot_leave_the_project() {
        let root = Path::new("/p");
        assert_eq!(resolve(root, "welcome/data/es.json").unwrap(), PathBuf::from("/p/welcome/data/es.json"));
        for bad in ["../x", "a/../../x", "/etc/passwd", "", "a//b", ".git/config", "a\\b", "c:x"] {
            assert!(matches!(resolve(root, bad), Err(EditError::OutsideProject { .. })), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_project_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("partials")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("partials/elsewhere")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("partials/secret.mjml")).unwrap();
        for bad in ["partials/elsewhere/secret.txt", "partials/secret.mjml", "partials/elsewhere/new.mjml"] {
            assert!(matches!(resolve(root, bad), Err(EditError::OutsideProject { .. })), "{bad}");
        }
        assert!(resolve(root, "partials/new.mjml").is_ok());
        assert!(resolve(root, "new-template/data/default.json").is_ok());
    }

    #[test]
    fn blank_template_loads_and_renders_cleanly() {
        let dir = project_dir();
        let project = Project::load(dir.path()).unwrap();
        assert_eq!(project.templates.len(), 1);
        let rendered = crate::Pipeline::default().render(&project, "welcome", None).unwrap();
        // Client-support notes come with any markup; nothing else.
        let problems: Vec<_> = rendered.diagnostics.iter().filter(|d| d.severity != crate::Severity::Info).collect();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rendered.subject, "Welcome");
        assert!(rendered.html.contains("Hello Ada,"));
    }

    #[test]
    fn templates_are_renamed_duplicated_and_deleted() {
        let dir = project_dir();
        let root = dir.path();
        assert!(matches!(create_template(root, "welcome", Starter::Blank), Err(EditError::AlreadyExists { .. })));
        assert!(matches!(create_template(root, "Bad Name", Starter::Blank), Err(EditError::InvalidName { .. })));
        duplicate_template(root, "welcome", "welcome-copy").unwrap();
        rename_template(root, "welcome", "greeting").unwrap();
        assert!(matches!(rename_template(root, "greeting", "welcome-copy"), Err(EditError::AlreadyExists { .. })));
        assert!(matches!(rename_template(root, "missing", "x"), Err(EditError::NotFound { .. })));
        let names: Vec<_> = Project::load(root).unwrap().templates.into_iter().map(|t| t.name).collect();
        assert_eq!(names, ["greeting", "welcome-copy"]);
        delete_template(root, "welcome-copy").unwrap();
        let project = Project::load(root).unwrap();
        assert_eq!(project.templates.len(), 1);
        assert_eq!(project.templates[0].data_sets[0].name, "default");
        assert!(std::fs::read_dir(root).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.')));
    }

    #[test]
    fn data_sets_are_added_renamed_duplicated_and_deleted() {
        let dir = project_dir();
        let root = dir.path();
        create_data_set(root, "welcome", "empty", None).unwrap();
        create_data_set(root, "welcome", "es", Some("default")).unwrap();
        assert!(matches!(create_data_set(root, "welcome", "es", None), Err(EditError::AlreadyExists { .. })));
        assert!(matches!(create_data_set(root, "welcome", "x", Some("nope")), Err(EditError::NotFound { .. })));
        rename_data_set(root, "welcome", "empty", "long-values").unwrap();
        delete_data_set(root, "welcome", "default").unwrap();
        let project = Project::load(root).unwrap();
        let names: Vec<_> = project.templates[0].data_sets.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["es", "long-values"]);
        assert_eq!(std::fs::read_to_string(root.join("welcome/data/es.json")).unwrap(), BLANK_DATA);
    }

    #[test]
    fn a_starter_brings_the_partials_it_includes_but_never_overwrites_them() {
        let starters = tempfile::tempdir().unwrap();
        let s = starters.path();
        std::fs::create_dir_all(s.join("receipt/data")).unwrap();
        std::fs::create_dir_all(s.join("partials")).unwrap();
        std::fs::write(
            s.join("receipt/template.mjml"),
            r#"<mjml><mj-body><mj-include path="../partials/header.mjml" /><mj-include path="../partials/footer.mjml" /></mj-body></mjml>"#,
        )
        .unwrap();
        std::fs::write(s.join("receipt/subject.hbs"), "Receipt {{number}}").unwrap();
        std::fs::write(s.join("receipt/data/default.json"), r#"{"number": 1}"#).unwrap();
        std::fs::write(s.join("receipt/data/es.json"), r#"{"number": 2}"#).unwrap();
        std::fs::write(
            s.join("partials/header.mjml"),
            "<mj-section><mj-column><mj-text>Header</mj-text></mj-column></mj-section>",
        )
        .unwrap();
        std::fs::write(
            s.join("partials/footer.mjml"),
            "<mj-section><mj-column><mj-text>Footer</mj-text></mj-column></mj-section>",
        )
        .unwrap();
        let starter_project = Project::load(s).unwrap();

        let target = tempfile::tempdir().unwrap();
        let t = target.path();
        std::fs::create_dir_all(t.join("partials")).unwrap();
        std::fs::write(
            t.join("partials/footer.mjml"),
            "<mj-section><mj-column><mj-text>Ours</mj-text></mj-column></mj-section>",
        )
        .unwrap();
        let written = create_template(
            t,
            "my-receipt",
            Starter::Copy { project: &starter_project, template: "receipt", reader: &DiskReader },
        )
        .unwrap();
        assert!(written.contains(&"partials/header.mjml".to_owned()), "{written:?}");
        assert!(!written.contains(&"partials/footer.mjml".to_owned()), "{written:?}");
        let project = Project::load(t).unwrap();
        let rendered = crate::Pipeline::default().render(&project, "my-receipt", Some("es")).unwrap();
        assert!(rendered.diagnostics.iter().all(|d| !d.is_error()), "{:?}", rendered.diagnostics);
        assert!(rendered.html.contains("Header") && rendered.html.contains("Ours"));
        assert_eq!(rendered.subject, "Receipt 2");
    }
}
