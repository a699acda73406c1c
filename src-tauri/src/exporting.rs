//! Exporting from the app: the targets configured in `letterpress.toml` or a folder picked with
//! the system dialog, a plan shown before anything is written, and applying exactly that plan.
//! Progress goes to the main window as `export-progress` events.

use std::path::Path;
use std::sync::Mutex;

use letterpress_core::ErrorCode;
use letterpress_core::Pipeline;
use letterpress_export::{Applied, ExportChoices, Format, Plan, Progress, Review, Target};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::CommandError;
use crate::sending::{Answer, off_thread};
use crate::state::{AppState, lock};

pub const EXPORT_PROGRESS: &str = "export-progress";

/// The last plan shown, kept so that applying writes exactly what the person reviewed.
#[derive(Default)]
pub struct Plans {
    last: Mutex<Option<(u64, Plan)>>,
    next: Mutex<u64>,
}

#[tauri::command]
pub async fn export_targets(state: State<'_, AppState>) -> Answer<ExportChoices> {
    off_thread(state.inner(), |state| Ok(letterpress_export::choices(&*state.project()?))).await
}

/// Asks for the folder to export into. `None` when the person cancelled.
#[tauri::command]
pub async fn export_pick_folder(app: AppHandle, state: State<'_, AppState>) -> Answer<Option<String>> {
    off_thread(state.inner(), move |state| {
        let mut dialog = app.dialog().file().set_title("Export compiled templates to…");
        if let Ok(project) = state.project() {
            dialog = dialog.set_directory(&project.root);
        }
        match dialog.blocking_pick_folder() {
            None => Ok(None),
            Some(path) => path
                .into_path()
                .map(|p| Some(p.display().to_string()))
                .map_err(|e| CommandError::new(ErrorCode::Io, format!("cannot use the chosen folder: {e}"))),
        }
    })
    .await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub format: Format,
    /// Absolute, or relative to the project folder.
    pub out: String,
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub minify: bool,
    /// Replace files in the folder that no export wrote, taking them over.
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub force: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "ExportProgress")]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent<'a> {
    pub step: ProgressStep,
    pub done: usize,
    pub total: usize,
    /// The template compiled or the file written.
    pub name: &'a str,
}

/// The step of an export that a progress event reports.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ProgressStep {
    Compiling,
    Writing,
}

fn emit_progress(app: &AppHandle, step: Progress<'_>) {
    let event = match step {
        Progress::Compiling { done, total, template } => {
            ProgressEvent { step: ProgressStep::Compiling, done, total, name: template }
        }
        Progress::Writing { done, total, path } => {
            ProgressEvent { step: ProgressStep::Writing, done, total, name: path }
        }
    };
    let _ = app.emit_to(crate::MAIN_WINDOW, EXPORT_PROGRESS, event);
}

/// Compiles every template and compares the export with the target folder; writes nothing.
/// Export reads the saved files, as the CLI and CI do, not unsaved editor buffers.
#[tauri::command]
pub async fn export_plan(app: AppHandle, state: State<'_, AppState>, request: ExportRequest) -> Answer<Review> {
    off_thread(state.inner(), move |state| {
        let project = state.project()?;
        // The project's `[assets] base_url` applies, as it does to `letterpress build --out`.
        let mut target = Target::in_folder(request.format, Path::new(request.out.trim()), &project.root)?;
        target.minify = request.minify;
        target.force = request.force;
        let plan = letterpress_export::plan(&project, &Pipeline::default(), &target, |step| emit_progress(&app, step))?;
        let plans = app.state::<Plans>();
        let id = {
            let mut next = lock(&plans.next);
            *next += 1;
            *next
        };
        let review = plan.review(id);
        *lock(&plans.last) = Some((id, plan));
        Ok(review)
    })
    .await
}

/// Writes the plan `id` that `export_plan` answered with, and nothing else.
#[tauri::command]
pub async fn export_apply(app: AppHandle, state: State<'_, AppState>, id: u64) -> Answer<Applied> {
    off_thread(state.inner(), move |_| {
        let plans = app.state::<Plans>();
        let plan = match lock(&plans.last).take() {
            Some((planned, plan)) if planned == id => plan,
            _ => {
                return Err(CommandError::new(
                    ErrorCode::StalePlan,
                    "this export was planned before another one; review the changes again",
                ));
            }
        };
        Ok(letterpress_export::apply(&plan, |step| emit_progress(&app, step))?)
    })
    .await
}
