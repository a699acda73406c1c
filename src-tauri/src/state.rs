//! The app's state: the open project, its watcher, the compiled templates, the hashes of what the
//! app itself wrote, and the list of recent projects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use letterpress_core::edit;
use letterpress_core::{Pipeline, Project};
use letterpress_watch::ProjectWatcher;

use crate::error::CommandError;
use crate::wire::{ProjectView, RecentProject, TemplateView};

/// How many recent projects are remembered.
const RECENT_LIMIT: usize = 10;

/// A project that is open in the window.
pub struct OpenProject {
    pub project: Arc<Project>,
    pub _watcher: Option<ProjectWatcher>,
}

/// Everything the commands share. Cloned into blocking tasks through the `Arc`.
pub struct Shared {
    pub started: Instant,
    pub data_dir: PathBuf,
    /// The project to open when the front end asks for none in particular.
    pub default_project: Option<PathBuf>,
    /// The bundled example project, whose templates are the starters.
    pub starters_dir: Option<PathBuf>,
    /// Compiled templates, shared by every command; each render passes its own editor buffers.
    pub pipeline: Pipeline,
    pub open: Mutex<Option<OpenProject>>,
    /// Content hashes of what the app wrote, by absolute path, so its own saves are not reported
    /// back to it as changes made elsewhere.
    pub written: Mutex<HashMap<PathBuf, String>>,
    /// Whether the front end holds unsaved edits; closing the window then asks first.
    pub unsaved: Mutex<bool>,
}

pub type AppState = Arc<Shared>;

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(data_dir: PathBuf, default_project: Option<PathBuf>, starters_dir: Option<PathBuf>) -> Self {
        Shared {
            started: Instant::now(),
            data_dir,
            default_project,
            starters_dir,
            pipeline: Pipeline::default(),
            open: Mutex::new(None),
            written: Mutex::new(HashMap::new()),
            unsaved: Mutex::new(false),
        }
    }

    /// The open project, or the `no-project` error.
    pub fn project(&self) -> Result<Arc<Project>, CommandError> {
        lock(&self.open).as_ref().map(|open| open.project.clone()).ok_or_else(CommandError::no_project)
    }

    /// Loads the open project again from disk after something changed in it.
    pub fn reload(&self) -> Result<Arc<Project>, CommandError> {
        let root = self.project()?.root.clone();
        let project = Arc::new(Project::load(&root)?);
        if let Some(open) = lock(&self.open).as_mut() {
            open.project = project.clone();
        }
        Ok(project)
    }

    /// Loads the project again and describes it for the front end.
    pub fn reloaded_view(&self) -> Result<ProjectView, CommandError> {
        let project = self.reload()?;
        Ok(self.view(&project))
    }

    pub fn starters(&self) -> Option<Project> {
        self.starters_dir.as_deref().and_then(|dir| Project::load(dir).ok())
    }

    pub fn view(&self, project: &Project) -> ProjectView {
        let name = project
            .root
            .file_name()
            .map_or_else(|| project.root.display().to_string(), |n| n.to_string_lossy().into_owned());
        ProjectView {
            root: project.root.display().to_string(),
            name,
            templates: project
                .templates
                .iter()
                .map(|t| TemplateView {
                    name: t.name.clone(),
                    data_sets: t.data_sets.iter().map(|d| d.name.clone()).collect(),
                    has_text: t.has_text,
                })
                .collect(),
            partials: list_partials(project),
            diagnostics: project.diagnostics.clone(),
            starters: self.starters().map(|p| p.templates.into_iter().map(|t| t.name).collect()).unwrap_or_default(),
        }
    }

    /// Runs `write`, which writes `hash` to `path`, with the hash remembered as the app's own
    /// beforehand (the watcher may report the write before the writing thread runs again), and
    /// forgotten again when the write fails.
    pub fn own_write<T, E>(&self, path: &Path, hash: String, write: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let previous = lock(&self.written).insert(path.to_path_buf(), hash);
        let result = write();
        if result.is_err() {
            let mut written = lock(&self.written);
            match previous {
                Some(hash) => written.insert(path.to_path_buf(), hash),
                None => written.remove(path),
            };
        }
        result
    }

    /// Remembers the files at `relative` paths of the project at `root`, as they are on disk
    /// now, as the app's own writes.
    pub fn remember_written(&self, root: &Path, relative: &[String]) {
        for relative in relative {
            if let Ok(path) = edit::resolve(root, relative)
                && let Ok(Some(hash)) = edit::file_hash(&path)
            {
                lock(&self.written).insert(path, hash);
            }
        }
    }

    /// Whether the content `hash` at `path` is what the app itself last wrote there.
    pub fn is_own_write(&self, path: &Path, hash: &str) -> bool {
        lock(&self.written).get(path).is_some_and(|h| h == hash)
    }

    fn recent_file(&self) -> PathBuf {
        self.data_dir.join("recent-projects.json")
    }

    pub fn recent(&self) -> Vec<RecentProject> {
        let mut list: Vec<RecentProject> = std::fs::read(self.recent_file())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        for entry in &mut list {
            entry.exists = Path::new(&entry.path).is_dir();
        }
        list
    }

    /// Puts `project` at the top of the recent list.
    pub fn add_recent(&self, project: &Project) {
        let path = project.root.display().to_string();
        let mut list = self.recent();
        list.retain(|r| r.path != path);
        let name = project.root.file_name().map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        list.insert(0, RecentProject { path, name, exists: true });
        list.truncate(RECENT_LIMIT);
        // The list is a convenience; failing to save it must not fail opening the project.
        if let Ok(bytes) = serde_json::to_vec_pretty(&list) {
            let _ = letterpress_core::edit::write_atomic(&self.recent_file(), &bytes);
        }
    }
}

/// Files in the partials folder, project-relative and sorted; hidden files are skipped.
fn list_partials(project: &Project) -> Vec<String> {
    fn walk(dir: &Path, project: &Project, out: &mut Vec<String>, depth: usize) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() && depth < 8 {
                walk(&path, project, out, depth + 1);
            } else if path.is_file() {
                out.push(project.display(&path));
            }
        }
    }
    let mut out = Vec::new();
    walk(&project.partials_dir(), project, &mut out, 0);
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_own_write_is_remembered_and_a_failed_one_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let state = Shared::new(dir.path().join("data"), None, None);
        let path = dir.path().join("welcome/template.mjml");
        let saved = state.own_write(&path, edit::content_hash(b"one"), || edit::write_atomic(&path, b"one"));
        assert!(saved.is_ok());
        assert!(state.is_own_write(&path, &edit::content_hash(b"one")));

        let failed: Result<(), &str> = state.own_write(&path, edit::content_hash(b"two"), || Err("refused"));
        assert_eq!(failed, Err("refused"));
        assert!(!state.is_own_write(&path, &edit::content_hash(b"two")), "a write that failed is not the app's");
        assert!(state.is_own_write(&path, &edit::content_hash(b"one")), "the earlier write is remembered again");

        let other = dir.path().join("other.mjml");
        let _: Result<(), &str> = state.own_write(&other, edit::content_hash(b"x"), || Err("refused"));
        assert!(!state.is_own_write(&other, &edit::content_hash(b"x")));

        edit::create_template(dir.path(), "news", edit::Starter::Blank).unwrap();
        state.remember_written(dir.path(), &["news/template.mjml".to_owned(), "../outside".to_owned()]);
        let bytes = std::fs::read(dir.path().join("news/template.mjml")).unwrap();
        assert!(state.is_own_write(&dir.path().join("news/template.mjml"), &edit::content_hash(&bytes)));
    }
}
