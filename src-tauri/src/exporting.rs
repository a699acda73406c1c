//! Exporting from the app: the targets configured in `letterpress.toml` or a folder picked with
//! the system dialog, a plan shown before anything is written, and applying exactly that plan.
//! Progress goes to the main window as `export-progress` events.

use std::path::PathBuf;
use std::sync::Mutex;

use letterpress_core::ErrorCode;
use letterpress_core::{Diagnostic, Pipeline};
use letterpress_export::{Change, Format, Plan, Progress, Target};
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

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "ExportTarget")]
#[serde(rename_all = "camelCase")]
pub struct TargetView {
    pub format: Format,
    /// The folder, absolute.
    pub out: String,
    /// The folder as written in `letterpress.toml`, or relative to the project when inside it.
    pub label: String,
    pub minify: bool,
}

/// A format the export dialog offers, worded as the table of formats words it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FormatChoice {
    pub format: Format,
    pub label: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportChoices {
    pub formats: Vec<FormatChoice>,
    pub configured: Vec<TargetView>,
    /// Why the configured targets cannot be read, when they cannot.
    pub problem: Option<String>,
    pub project_root: String,
}

#[tauri::command]
pub async fn export_targets(state: State<'_, AppState>) -> Answer<ExportChoices> {
    off_thread(state.inner(), |state| {
        let project = state.project()?;
        let (configured, problem) = match letterpress_export::configured_targets(&project) {
            Ok(targets) => (targets, None),
            Err(error) => (Vec::new(), Some(format!("`{}`: {error}", letterpress_core::config::FILE_NAME))),
        };
        let configured = configured
            .into_iter()
            .map(|t| TargetView {
                format: t.format,
                label: t
                    .out
                    .strip_prefix(&project.root)
                    .map_or_else(|_| t.out.display().to_string(), |p| p.display().to_string()),
                out: t.out.display().to_string(),
                minify: t.minify,
            })
            .collect();
        Ok(ExportChoices {
            formats: letterpress_export::FORMATS
                .iter()
                .map(|f| FormatChoice { format: f.format, label: f.label, description: f.description })
                .collect(),
            configured,
            problem,
            project_root: project.root.display().to_string(),
        })
    })
    .await
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
#[ts(rename = "PlanFile")]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    pub path: String,
    pub change: Change,
    #[ts(type = "number")]
    pub bytes: u64,
    pub template: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "PlanTemplate")]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub name: String,
    pub exported: bool,
    pub data_set: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "ExportPlan")]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    #[ts(type = "number")]
    pub id: u64,
    pub format: Format,
    /// The target folder, absolute and with links resolved.
    pub root: String,
    pub minify: bool,
    pub files: Vec<FileView>,
    pub templates: Vec<TemplateView>,
    /// True when local images keep anything from being written; `templates` says why.
    pub blocked: bool,
    /// Files the export would replace that no export wrote, or that changed since; nothing is
    /// written while there are any, unless the plan was made with `force`.
    pub conflicts: Vec<String>,
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
pub async fn export_plan(app: AppHandle, state: State<'_, AppState>, request: ExportRequest) -> Answer<PlanView> {
    off_thread(state.inner(), move |state| {
        let project = state.project()?;
        if request.out.trim().is_empty() {
            return Err(CommandError::new(ErrorCode::NoFolder, "choose a folder to export into"));
        }
        let out = PathBuf::from(request.out.trim());
        let out = if out.is_absolute() { out } else { project.root.join(out) };
        // The project's `[assets] base_url` applies, as it does to `letterpress build --out`.
        let mut target = Target::new(request.format, out);
        target.minify = request.minify;
        target.force = request.force;
        let plan = letterpress_export::plan(&project, &Pipeline::default(), &target, |step| emit_progress(&app, step))?;
        let plans = app.state::<Plans>();
        let id = {
            let mut next = lock(&plans.next);
            *next += 1;
            *next
        };
        let view = PlanView {
            id,
            format: plan.target.format,
            root: plan.root.display().to_string(),
            minify: plan.target.minify,
            files: plan
                .files
                .iter()
                .map(|f| FileView {
                    path: f.path.clone(),
                    change: f.change,
                    bytes: f.bytes,
                    template: f.template.clone(),
                })
                .collect(),
            templates: plan
                .templates
                .iter()
                .map(|t| TemplateView {
                    name: t.name.clone(),
                    exported: t.exported,
                    data_set: t.data_set.clone(),
                    diagnostics: t.diagnostics.clone(),
                    notes: t.notes.clone(),
                })
                .collect(),
            blocked: plan.blocked,
            conflicts: plan.conflicts.clone(),
            force: plan.target.force,
        };
        *lock(&plans.last) = Some((id, plan));
        Ok(view)
    })
    .await
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "ExportApplied")]
#[serde(rename_all = "camelCase")]
pub struct AppliedView {
    pub root: String,
    pub written: Vec<String>,
    pub unchanged: usize,
}

/// Writes the plan `id` that `export_plan` answered with, and nothing else.
#[tauri::command]
pub async fn export_apply(app: AppHandle, state: State<'_, AppState>, id: u64) -> Answer<AppliedView> {
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
        let applied = letterpress_export::apply(&plan, |step| emit_progress(&app, step))?;
        Ok(AppliedView {
            root: plan.root.display().to_string(),
            written: applied.written,
            unchanged: applied.unchanged,
        })
    })
    .await
}
