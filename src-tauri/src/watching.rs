//! Connects the project watcher to the window: changes made outside the app become
//! `project-changed` events, and the app's own saves are filtered out by their content hash.

use std::path::Path;
use std::sync::{Arc, Weak};

use letterpress_core::edit;
use letterpress_watch::{ChangeKind, DEFAULT_DEBOUNCE, ProjectWatcher, WatchError, WatchEvent};
use tauri::{AppHandle, Emitter};

use crate::state::{AppState, Shared};
use crate::wire::{ChangedFile, ProjectChanged};

pub const PROJECT_CHANGED: &str = "project-changed";

pub fn start(app: &AppHandle, state: &AppState, root: &Path) -> Result<ProjectWatcher, WatchError> {
    let app = app.clone();
    // A weak reference: the state owns the watcher, and the watcher must not keep the state alive.
    let weak: Weak<Shared> = Arc::downgrade(state);
    let watched = root.to_path_buf();
    ProjectWatcher::start(root, DEFAULT_DEBOUNCE, move |event| {
        let Some(state) = weak.upgrade() else { return };
        // Events from a project that has since been closed are stale.
        let Ok(project) = state.project() else { return };
        if project.root != watched {
            return;
        }
        let (changes, rescan) = match event {
            WatchEvent::Changes(changes) => (changes, false),
            WatchEvent::Rescan => (Vec::new(), true),
            // An error stops no one from working; the next change or a rescan brings things in step.
            WatchEvent::Error(_) => return,
        };
        let mut out = Vec::new();
        for change in changes {
            let Ok(relative) = change.path.strip_prefix(&project.root) else { continue };
            if relative.as_os_str().is_empty() {
                continue;
            }
            let hash = if change.kind == ChangeKind::Removed || !change.path.is_file() {
                None
            } else {
                edit::file_hash(&change.path).ok().flatten()
            };
            if let Some(hash) = &hash
                && state.is_own_write(&change.path, hash)
            {
                continue;
            }
            out.push(ChangedFile { path: project.display(&change.path), kind: change.kind, hash });
        }
        if out.is_empty() && !rescan {
            return;
        }
        let Ok(project) = state.reload() else { return };
        let payload = ProjectChanged { changes: out, rescan, project: state.view(&project) };
        let _ = app.emit(PROJECT_CHANGED, payload);
    })
}
