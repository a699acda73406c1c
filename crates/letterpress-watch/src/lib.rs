//! Watches a template project folder and reports what changed in it as a short, typed list.
//!
//! The folder is the source of truth for the app: edits made in another editor, `git checkout` or
//! a file manager must show up at once. Raw file-system events are noisy (an editor saving by
//! writing a temporary file and renaming it over the original produces half a dozen), so events
//! are debounced, renames are resolved into what they mean for the project, temporary and hidden
//! files are dropped, and several events for one path collapse into one change.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer};

/// How long the watcher waits for a burst of events to settle. Short enough that an edit made in
/// another editor appears well within a second, long enough to merge an editor's save sequence.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(120);

/// What happened to a path; the app sends it to its window as `created`, `modified` or `removed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The path appeared (also when a file was renamed onto it).
    Created,
    /// The content of the path changed.
    Modified,
    /// The path is gone (also when it was renamed away).
    Removed,
}

/// One changed path, absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    pub kind: ChangeKind,
}

/// What the watcher reports to its handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// Paths changed, each listed once, in path order.
    Changes(Vec<Change>),
    /// Events were lost (the kernel queue overflowed); the whole folder must be read again.
    Rescan,
    /// The watcher hit an error it could not recover from on its own.
    Error(String),
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch `{}`", path.display())]
    Watch {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
}

/// A running watcher; dropping it stops watching.
pub struct ProjectWatcher {
    root: PathBuf,
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

impl std::fmt::Debug for ProjectWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectWatcher").field("root", &self.root).finish_non_exhaustive()
    }
}

impl ProjectWatcher {
    /// Watches `root` recursively and calls `handler` on the watcher's thread with every batch of
    /// changes, after `debounce` of quiet.
    pub fn start(
        root: &Path,
        debounce: Duration,
        mut handler: impl FnMut(WatchEvent) + Send + 'static,
    ) -> Result<ProjectWatcher, WatchError> {
        let root = root.to_path_buf();
        let filter_root = root.clone();
        let mut debouncer = new_debouncer(debounce, None, move |result: DebounceEventResult| match result {
            Ok(events) => {
                for event in translate(&filter_root, &events) {
                    handler(event);
                }
            }
            Err(errors) => {
                let message = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                handler(WatchEvent::Error(message));
            }
        })
        .map_err(|source| WatchError::Watch { path: root.clone(), source })?;
        debouncer
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|source| WatchError::Watch { path: root.clone(), source })?;
        Ok(ProjectWatcher { root, _debouncer: debouncer })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Whether a path is noise for a project: hidden files and folders (the atomic-save temporaries
/// start with a dot, as do `.git` and editor state), and the backup and swap files editors leave.
pub fn is_ignored(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let hidden =
        relative.components().any(|c| matches!(c, Component::Normal(name) if name.to_string_lossy().starts_with('.')));
    if hidden {
        return true;
    }
    let Some(name) = relative.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        // Vim creates and deletes `4913` to test whether it may write in a folder.
        || name == "4913"
}

/// Turns debounced notify events into the changes they mean for the project.
pub fn translate(root: &Path, events: &[DebouncedEvent]) -> Vec<WatchEvent> {
    let mut rescan = false;
    let mut changes: BTreeMap<PathBuf, ChangeKind> = BTreeMap::new();
    let mut record = |path: &Path, kind: ChangeKind| {
        if is_ignored(root, path) {
            return;
        }
        let merged = match (changes.get(path).copied(), kind) {
            (None, kind) => kind,
            // A file that appeared and was then written is still new.
            (Some(ChangeKind::Created), ChangeKind::Modified) => ChangeKind::Created,
            // Removed and back again is how a save by rename looks: the content changed.
            (Some(ChangeKind::Removed), ChangeKind::Created) => ChangeKind::Modified,
            (Some(_), kind) => kind,
        };
        changes.insert(path.to_path_buf(), merged);
    };
    for event in events {
        if event.need_rescan() {
            rescan = true;
            continue;
        }
        let paths = &event.paths;
        match event.kind {
            EventKind::Create(_) => paths.iter().for_each(|p| record(p, ChangeKind::Created)),
            EventKind::Remove(_) => paths.iter().for_each(|p| record(p, ChangeKind::Removed)),
            EventKind::Modify(ModifyKind::Name(mode)) => match (mode, paths.as_slice()) {
                (RenameMode::Both, [from, to]) => {
                    record(from, ChangeKind::Removed);
                    record(to, ChangeKind::Created);
                }
                (RenameMode::From, _) => paths.iter().for_each(|p| record(p, ChangeKind::Removed)),
                (RenameMode::To, _) => paths.iter().for_each(|p| record(p, ChangeKind::Created)),
                _ => {
                    for path in paths {
                        let kind = if path.exists() { ChangeKind::Created } else { ChangeKind::Removed };
                        record(path, kind);
                    }
                }
            },
            // Access times and permission changes say nothing about content.
            EventKind::Modify(ModifyKind::Metadata(kind)) if kind != MetadataKind::WriteTime => {}
            EventKind::Modify(_) => paths.iter().for_each(|p| record(p, ChangeKind::Modified)),
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                paths.iter().for_each(|p| record(p, ChangeKind::Modified))
            }
            EventKind::Access(_) | EventKind::Any | EventKind::Other => {}
        }
    }
    let mut out = Vec::new();
    if rescan {
        out.push(WatchEvent::Rescan);
    }
    if !changes.is_empty() {
        out.push(WatchEvent::Changes(changes.into_iter().map(|(path, kind)| Change { path, kind }).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Instant;

    use notify::Event;
    use notify::event::{CreateKind, DataChange, Flag, RemoveKind};

    use super::*;

    fn debounced(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut event = Event::new(kind);
        for path in paths {
            event = event.add_path(PathBuf::from(path));
        }
        DebouncedEvent::new(event, Instant::now())
    }

    fn change(path: &str, kind: ChangeKind) -> Change {
        Change { path: PathBuf::from(path), kind }
    }

    #[test]
    fn a_save_by_rename_is_a_modification_of_the_target() {
        let root = Path::new("/p");
        let events = [
            debounced(EventKind::Create(CreateKind::File), &["/p/t/.template.mjml.1.tmp"]),
            debounced(EventKind::Modify(ModifyKind::Data(DataChange::Any)), &["/p/t/.template.mjml.1.tmp"]),
            debounced(EventKind::Remove(RemoveKind::File), &["/p/t/template.mjml"]),
            debounced(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/p/t/.template.mjml.1.tmp", "/p/t/template.mjml"],
            ),
        ];
        assert_eq!(
            translate(root, &events),
            vec![WatchEvent::Changes(vec![change("/p/t/template.mjml", ChangeKind::Modified)])]
        );
    }

    #[test]
    fn renaming_a_folder_removes_the_old_path_and_creates_the_new() {
        let root = Path::new("/p");
        let events = [debounced(EventKind::Modify(ModifyKind::Name(RenameMode::Both)), &["/p/old", "/p/new"])];
        assert_eq!(
            translate(root, &events),
            vec![WatchEvent::Changes(vec![
                change("/p/new", ChangeKind::Created),
                change("/p/old", ChangeKind::Removed)
            ])]
        );
    }

    #[test]
    fn noise_is_dropped_and_overflow_asks_for_a_rescan() {
        let root = Path::new("/p/.hidden-parent-is-fine");
        let mut overflow = Event::new(EventKind::Other);
        overflow = overflow.set_flag(Flag::Rescan);
        let events = [
            DebouncedEvent::new(overflow, Instant::now()),
            debounced(EventKind::Create(CreateKind::File), &["/p/.hidden-parent-is-fine/t/template.mjml~"]),
            debounced(EventKind::Create(CreateKind::File), &["/p/.hidden-parent-is-fine/.git/index"]),
            debounced(EventKind::Create(CreateKind::File), &["/p/.hidden-parent-is-fine/t/4913"]),
            debounced(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
                &["/p/.hidden-parent-is-fine/t/subject.hbs"],
            ),
            debounced(EventKind::Create(CreateKind::File), &["/p/.hidden-parent-is-fine/t/data/es.json"]),
        ];
        assert_eq!(
            translate(root, &events),
            vec![
                WatchEvent::Rescan,
                WatchEvent::Changes(vec![change("/p/.hidden-parent-is-fine/t/data/es.json", ChangeKind::Created)])
            ]
        );
    }

    /// Waits for the next batch of changes that mentions `path`, collecting what came before.
    fn wait_for(rx: &mpsc::Receiver<WatchEvent>, path: &Path) -> Vec<Change> {
        let mut seen = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(WatchEvent::Changes(changes)) => {
                    let hit = changes.iter().any(|c| c.path == path);
                    seen.extend(changes);
                    if hit {
                        return seen;
                    }
                }
                Ok(other) => panic!("unexpected watch event {other:?}"),
                Err(_) => panic!("no change reported for `{}`; saw {seen:?}", path.display()),
            }
        }
    }

    #[test]
    fn reports_real_edits_saves_by_rename_and_removals() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("welcome/data")).unwrap();
        let file = root.join("welcome/template.mjml");
        std::fs::write(&file, "<mjml></mjml>").unwrap();
        let (tx, rx) = mpsc::channel();
        let _watcher = ProjectWatcher::start(&root, Duration::from_millis(50), move |event| {
            let _ = tx.send(event);
        })
        .unwrap();

        std::fs::write(&file, "<mjml><mj-body></mj-body></mjml>").unwrap();
        let seen = wait_for(&rx, &file);
        assert!(seen.iter().any(|c| c.path == file && c.kind != ChangeKind::Removed), "{seen:?}");

        // An editor that saves by writing a temporary file and renaming it over the original.
        let temp = root.join("welcome/.template.mjml.swp.tmp");
        std::fs::write(&temp, "<mjml><mj-head></mj-head></mjml>").unwrap();
        std::fs::rename(&temp, &file).unwrap();
        let seen = wait_for(&rx, &file);
        let last = seen.iter().rev().find(|c| c.path == file).unwrap();
        assert_ne!(last.kind, ChangeKind::Removed, "{seen:?}");
        assert!(seen.iter().all(|c| c.path != temp), "the temporary file is noise: {seen:?}");

        // A new data set in a folder that already existed when watching began.
        let data = root.join("welcome/data/es.json");
        std::fs::write(&data, "{}").unwrap();
        wait_for(&rx, &data);

        std::fs::remove_file(&file).unwrap();
        let seen = wait_for(&rx, &file);
        assert_eq!(seen.iter().rev().find(|c| c.path == file).unwrap().kind, ChangeKind::Removed);
    }

    #[test]
    fn watches_folders_created_after_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (tx, rx) = mpsc::channel();
        let _watcher = ProjectWatcher::start(&root, Duration::from_millis(50), move |event| {
            let _ = tx.send(event);
        })
        .unwrap();
        std::fs::create_dir_all(root.join("new-template/data")).unwrap();
        wait_for(&rx, &root.join("new-template"));
        let data = root.join("new-template/data/default.json");
        std::fs::write(&data, "{}").unwrap();
        wait_for(&rx, &data);
    }

    #[test]
    fn a_missing_folder_cannot_be_watched() {
        let dir = tempfile::tempdir().unwrap();
        let error = ProjectWatcher::start(&dir.path().join("absent"), DEFAULT_DEBOUNCE, |_| {}).unwrap_err();
        assert!(error.to_string().starts_with("cannot watch `"), "{error}");
    }
}
