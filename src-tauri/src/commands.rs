//! The commands the front end calls. Each one is glue: check the input, call the core, shape the
//! answer. Anything slow runs on a blocking thread so the window never stalls.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use letterpress_core::ErrorCode;
use letterpress_core::Project;
use letterpress_core::compile::{DiskReader, Overlay};
use letterpress_core::edit::{self, Expected, FileText, Starter};
use letterpress_core::preview::Preview;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;
use crate::state::{AppState, OpenProject, lock};
use crate::watching;
use crate::wire::{Buffer, DataSetSize, PreviewRequest, ProjectView, Ready, RecentProject, Saved, SizesRequest};

type Answer<T> = Result<T, CommandError>;

/// Runs `work` on a blocking thread with the shared state.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&AppState) -> Answer<T> + Send + 'static,
) -> Answer<T> {
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || work(&state)).await.map_err(CommandError::internal)?
}

/// Makes a change to the open project's files off the main thread, then answers with the
/// project as it now is.
async fn change_files(
    state: &AppState,
    change: impl FnOnce(&Path) -> Result<(), edit::EditError> + Send + 'static,
) -> Answer<ProjectView> {
    blocking(state, move |state| {
        change(&state.project()?.root)?;
        state.reloaded_view()
    })
    .await
}

fn open(app: &AppHandle, state: &AppState, root: PathBuf) -> Answer<ProjectView> {
    let project = Arc::new(Project::load(&root)?);
    // Watching is what keeps the app in step with other editors; without it the project still
    // opens, and the diagnostics say why it is not live.
    let mut view = state.view(&project);
    let watcher = match watching::start(app, state, &project.root) {
        Ok(watcher) => Some(watcher),
        Err(error) => {
            view.diagnostics.push(letterpress_core::Diagnostic::warning(
                letterpress_core::Code::Io,
                "",
                format!("changes made outside the app will not show up: {error}"),
            ));
            None
        }
    };
    state.pipeline.clear();
    lock(&state.written).clear();
    *lock(&state.open) = Some(OpenProject { project: project.clone(), _watcher: watcher });
    state.add_recent(&project);
    Ok(view)
}

/// Opens the project at `path`, or the default project when `path` is absent. Answers `None` when
/// there is no default project to open.
#[tauri::command]
pub async fn open_project(
    app: AppHandle,
    state: State<'_, AppState>,
    path: Option<String>,
) -> Answer<Option<ProjectView>> {
    let state = state.inner().clone();
    blocking(&state, move |state| {
        let root = match path.map(PathBuf::from).or_else(|| state.default_project.clone()) {
            Some(root) => root,
            None => return Ok(None),
        };
        open(&app, state, root).map(Some)
    })
    .await
}

/// Asks for a folder with the system dialog and opens it. `None` when the person cancelled.
#[tauri::command]
pub async fn pick_project(app: AppHandle, state: State<'_, AppState>) -> Answer<Option<ProjectView>> {
    let state = state.inner().clone();
    blocking(&state, move |state| {
        let mut dialog = app.dialog().file().set_title("Open a template project");
        if let Ok(project) = state.project()
            && let Some(parent) = project.root.parent()
        {
            dialog = dialog.set_directory(parent);
        }
        let Some(picked) = dialog.blocking_pick_folder() else { return Ok(None) };
        let root = picked
            .into_path()
            .map_err(|e| CommandError::new(ErrorCode::Io, format!("cannot use the chosen folder: {e}")))?;
        open(&app, state, root).map(Some)
    })
    .await
}

#[tauri::command]
pub fn recent_projects(state: State<'_, AppState>) -> Vec<RecentProject> {
    state.recent()
}

#[tauri::command]
pub async fn read_file(state: State<'_, AppState>, path: String) -> Answer<FileText> {
    blocking(state.inner(), move |state| Ok(edit::read_text(&state.project()?.root, &path)?)).await
}

/// Saves `text` to `path` if the file on disk still has `base_hash` (or does not exist, when
/// `base_hash` is absent). Otherwise nothing is written and the error code is `conflict`.
#[tauri::command]
pub async fn save_file(
    state: State<'_, AppState>,
    path: String,
    text: String,
    base_hash: Option<String>,
) -> Answer<Saved> {
    blocking(state.inner(), move |state| {
        let project = state.project()?;
        let absolute = edit::resolve(&project.root, &path)?;
        let expected = base_hash.map_or(Expected::Absent, Expected::Hash);
        let hash = state.own_write(&absolute, edit::content_hash(text.as_bytes()), || {
            edit::save_checked(&absolute, &text, &expected)
        })?;
        state.reload()?;
        Ok(Saved { hash })
    })
    .await
}

/// The editor buffers as a reader over the disk, for one call; paths outside the project are refused.
pub(crate) fn overlay(project: &Project, buffers: Vec<Buffer>) -> Answer<Overlay> {
    Ok(edit::overlay(&project.root, buffers.into_iter().map(|b| (b.path, b.text)))?)
}

/// Compiles and fills a template with the editor buffers layered over the disk.
#[tauri::command]
pub async fn render_preview(state: State<'_, AppState>, request: PreviewRequest) -> Answer<Preview> {
    blocking(state.inner(), move |state| {
        let project = state.project()?;
        let buffers = overlay(&project, request.buffers)?;
        let started = Instant::now();
        let rendered = state.pipeline.render_with(&buffers, &project, &request.template, request.data_set.as_deref());
        let compile_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(Preview::new(rendered?, &project, request.clients, compile_ms))
    })
    .await
}

/// The size of the final HTML of every data set of a template, with the editor buffers.
#[tauri::command]
pub async fn data_set_sizes(state: State<'_, AppState>, request: SizesRequest) -> Answer<Vec<DataSetSize>> {
    blocking(state.inner(), move |state| {
        let project = state.project()?;
        let buffers = overlay(&project, request.buffers)?;
        let sizes = state.pipeline.html_sizes_with(&buffers, &project, &request.template)?;
        Ok(sizes.into_iter().map(DataSetSize::from).collect())
    })
    .await
}

/// The templates whose MJML includes `path`, directly or through other partials.
#[tauri::command]
pub async fn templates_using(state: State<'_, AppState>, path: String) -> Answer<Vec<String>> {
    blocking(state.inner(), move |state| {
        let project = state.project()?;
        Ok(project
            .templates
            .iter()
            .filter(|t| state.pipeline.prepare(&project, t).files.iter().skip(1).any(|f| f.display == path))
            .map(|t| t.name.clone())
            .collect())
    })
    .await
}

/// Creates a template, blank or from the bundled starter named `starter`.
#[tauri::command]
pub async fn create_template(state: State<'_, AppState>, name: String, starter: Option<String>) -> Answer<ProjectView> {
    blocking(state.inner(), move |state| {
        let project = state.project()?;
        let starters = starter.as_ref().map(|_| state.starters().ok_or_else(CommandError::no_starters)).transpose()?;
        let from = match (&starters, &starter) {
            (Some(project), Some(template)) => Starter::Copy { project, template, reader: &DiskReader },
            _ => Starter::Blank,
        };
        let written = edit::create_template(&project.root, &name, from)?;
        state.remember_written(&project.root, &written);
        state.reloaded_view()
    })
    .await
}

#[tauri::command]
pub async fn rename_template(state: State<'_, AppState>, from: String, to: String) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::rename_template(root, &from, &to)).await
}

#[tauri::command]
pub async fn duplicate_template(state: State<'_, AppState>, from: String, to: String) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::duplicate_template(root, &from, &to)).await
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, name: String) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::delete_template(root, &name)).await
}

#[tauri::command]
pub async fn create_data_set(state: State<'_, AppState>, template: String, name: String) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::create_data_set(root, &template, &name, None)).await
}

#[tauri::command]
pub async fn rename_data_set(
    state: State<'_, AppState>,
    template: String,
    from: String,
    to: String,
) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::rename_data_set(root, &template, &from, &to)).await
}

#[tauri::command]
pub async fn duplicate_data_set(
    state: State<'_, AppState>,
    template: String,
    from: String,
    to: String,
) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::create_data_set(root, &template, &to, Some(&from))).await
}

#[tauri::command]
pub async fn delete_data_set(state: State<'_, AppState>, template: String, name: String) -> Answer<ProjectView> {
    change_files(state.inner(), move |root| edit::delete_data_set(root, &template, &name)).await
}

/// Tells the shell whether the front end holds unsaved edits, so closing the window asks first.
#[tauri::command]
pub fn set_unsaved(state: State<'_, AppState>, unsaved: bool) {
    *lock(&state.unsaved) = unsaved;
}

/// Closes the window after the person chose what to do with unsaved edits.
#[tauri::command]
pub fn close_window(app: AppHandle, state: State<'_, AppState>) -> Answer<()> {
    *lock(&state.unsaved) = false;
    if let Some(window) = app.get_webview_window(crate::MAIN_WINDOW) {
        window.destroy().map_err(CommandError::internal)?;
    }
    Ok(())
}

/// Called once by the front end when it is interactive; answers the time since the process started.
#[tauri::command]
pub fn app_ready(state: State<'_, AppState>) -> Ready {
    Ready { since_start_ms: state.started.elapsed().as_secs_f64() * 1000.0 }
}

/// The file that keeps the unsaved edits of the open project, in the app's data folder.
fn journal_path(state: &AppState) -> Answer<PathBuf> {
    let project = state.project()?;
    let key = edit::content_hash(project.root.to_string_lossy().as_bytes());
    Ok(state.data_dir.join("unsaved").join(format!("{}.json", &key[..16])))
}

/// Reads what `write_journal` kept for the open project, if anything.
#[tauri::command]
pub async fn read_journal(state: State<'_, AppState>) -> Answer<Option<String>> {
    blocking(state.inner(), move |state| {
        let path = journal_path(state)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(CommandError::new(ErrorCode::Io, format!("cannot read `{}`: {error}", path.display()))),
        }
    })
    .await
}

/// Keeps the unsaved edits of the open project on disk, so a crash loses none of them; `None`
/// forgets them once they are saved or discarded.
#[tauri::command]
pub async fn write_journal(state: State<'_, AppState>, text: Option<String>) -> Answer<()> {
    blocking(state.inner(), move |state| {
        let path = journal_path(state)?;
        let io = |error: std::io::Error| {
            CommandError::new(ErrorCode::Io, format!("cannot write `{}`: {error}", path.display()))
        };
        match text {
            Some(text) => edit::write_atomic(&path, text.as_bytes()).map_err(io),
            None => match std::fs::remove_file(&path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io(error)),
                _ => Ok(()),
            },
        }
    })
    .await
}
