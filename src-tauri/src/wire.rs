//! The shapes that cross the IPC boundary. Domain types stay in the core; these are their views
//! for the front end, in camelCase.

use letterpress_core::Diagnostic;
use letterpress_core::pipeline::HtmlSize;
use letterpress_watch::ChangeKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectView {
    /// The absolute path of the project folder.
    pub root: String,
    /// The folder's name, for titles.
    pub name: String,
    pub templates: Vec<TemplateView>,
    /// Files in the partials folder, project-relative.
    pub partials: Vec<String>,
    /// Problems found while loading the project.
    pub diagnostics: Vec<Diagnostic>,
    /// Names of the bundled templates a new template can start from.
    pub starters: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub name: String,
    pub data_sets: Vec<String>,
    pub has_text: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub hash: String,
}

/// An editor buffer with unsaved edits; previews read it instead of the file on disk.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct Buffer {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRequest {
    pub template: String,
    pub data_set: Option<String>,
    #[serde(default)]
    #[ts(as = "Option<Vec<Buffer>>", optional)]
    pub buffers: Vec<Buffer>,
    /// Whether to carry the client-support table, which only the Clients tab shows: it is the
    /// largest part of the answer, and every keystroke would pay for carrying it.
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub clients: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SizesRequest {
    pub template: String,
    #[serde(default)]
    #[ts(as = "Option<Vec<Buffer>>", optional)]
    pub buffers: Vec<Buffer>,
}

/// The size of one data set's final HTML.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DataSetSize {
    /// `None` for a template without data sets.
    pub data_set: Option<String>,
    /// `None` when the template does not compile.
    pub html_bytes: Option<usize>,
}

impl From<HtmlSize> for DataSetSize {
    fn from(size: HtmlSize) -> Self {
        DataSetSize { data_set: size.data_set, html_bytes: size.bytes }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangedFile {
    pub path: String,
    pub kind: ChangeKind,
    /// The hash of the content now on disk; `None` when the file is gone or is a folder.
    pub hash: Option<String>,
}

/// Sent as the `project-changed` event when files change outside the app.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectChanged {
    pub changes: Vec<ChangedFile>,
    /// Events were lost and everything should be read again.
    pub rescan: bool,
    pub project: ProjectView,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentProject {
    pub path: String,
    pub name: String,
    #[serde(default)]
    pub exists: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Ready {
    /// Milliseconds from process start until the front end said it was ready.
    pub since_start_ms: f64,
}
