//! Sending test messages from the app: the open template (with unsaved edits) to the local outbox
//! or an SMTP profile, re-sending a message from the history, and the recipients remembered per
//! project. Every send is recorded in the history exactly as the CLI records it.

use std::path::PathBuf;

use letterpress_core::ErrorCode;
use letterpress_core::edit;
use letterpress_history::{History, SendId};
use letterpress_mail::{NoFrom, SendReport, TargetChoice};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;
use crate::state::AppState;
use crate::wire::Buffer;

pub(crate) type Answer<T> = Result<T, CommandError>;

/// Runs `work` on a blocking thread with the shared state, so sending never stalls the window.
pub(crate) async fn off_thread<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&AppState) -> Answer<T> + Send + 'static,
) -> Answer<T> {
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || work(&state)).await.map_err(CommandError::internal)?
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    pub template: String,
    pub data_set: Option<String>,
    pub recipients: Vec<String>,
    pub target: TargetChoice,
    /// Unsaved editor buffers: what is sent is what the preview shows.
    #[serde(default)]
    #[ts(as = "Option<Vec<Buffer>>", optional)]
    pub buffers: Vec<Buffer>,
}

/// Renders the template with the editor's buffers, builds the message and sends it.
#[tauri::command]
pub async fn send_test(state: State<'_, AppState>, request: SendRequest) -> Answer<SendReport> {
    off_thread(state.inner(), move |state| {
        let project = state.project()?;
        let recipients = letterpress_mail::clean_recipients(request.recipients)?;
        let buffers = crate::commands::overlay(&project, request.buffers)?;
        let rendered =
            state.pipeline.render_with(&buffers, &project, &request.template, request.data_set.as_deref())?;
        letterpress_mail::check_rendered(&rendered)?;
        let (target, sender) = request.target.resolve(&state.data_dir, None)?;
        let from =
            letterpress_mail::choose_from(None, sender.as_deref(), &project, &target).ok_or(NoFrom { option: None })?;
        let history = History::open_in(&state.data_dir)?;
        Ok(letterpress_mail::send_rendered(&history, &project, &rendered, &from, &recipients, &target)?)
    })
    .await
}

/// Sends a message from the history again, byte for byte, to `recipients` (the original ones
/// when empty) through `target`; the resend gets its own history row.
#[tauri::command]
pub async fn resend(
    state: State<'_, AppState>,
    id: i64,
    recipients: Vec<String>,
    target: TargetChoice,
) -> Answer<SendReport> {
    off_thread(state.inner(), move |state| {
        Ok(letterpress_mail::resend(&state.data_dir, SendId(id), recipients, &target)?)
    })
    .await
}

/// What the send dialog remembers per project: the last recipients, the addresses used before
/// and the last target.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendMemory {
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub recent: Vec<String>,
    #[serde(default)]
    pub target: Option<TargetChoice>,
}

/// How many addresses are kept; the dialog shows only the first few anyway.
const MEMORY_LIMIT: usize = 30;

fn memory_path(state: &AppState) -> Answer<PathBuf> {
    let project = state.project()?;
    let key = edit::content_hash(project.root.to_string_lossy().as_bytes());
    Ok(state.data_dir.join("send-memory").join(format!("{}.json", &key[..16])))
}

#[tauri::command]
pub async fn read_send_memory(state: State<'_, AppState>) -> Answer<SendMemory> {
    off_thread(state.inner(), move |state| {
        let path = memory_path(state)?;
        // A missing or damaged file only means nothing is remembered yet.
        Ok(std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default())
    })
    .await
}

#[tauri::command]
pub async fn write_send_memory(state: State<'_, AppState>, memory: SendMemory) -> Answer<()> {
    off_thread(state.inner(), move |state| {
        let path = memory_path(state)?;
        let keep = |list: Vec<String>| -> Vec<String> {
            list.into_iter()
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty() && a.len() <= 320 && !a.contains(['\r', '\n']))
                .take(MEMORY_LIMIT)
                .collect()
        };
        let memory =
            SendMemory { recipients: keep(memory.recipients), recent: keep(memory.recent), target: memory.target };
        let io = |error: std::io::Error| {
            CommandError::new(ErrorCode::Io, format!("cannot write `{}`: {error}", path.display()))
        };
        let bytes = serde_json::to_vec_pretty(&memory).map_err(CommandError::internal)?;
        edit::write_atomic(&path, &bytes).map_err(io)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_cross_the_boundary_as_tagged_objects() {
        let outbox: TargetChoice = serde_json::from_str(r#"{"kind":"outbox"}"#).unwrap();
        assert_eq!(outbox, TargetChoice::Outbox);
        let profile: TargetChoice = serde_json::from_str(r#"{"kind":"profile","name":"work"}"#).unwrap();
        assert_eq!(profile, TargetChoice::Profile { name: "work".into() });
    }

    #[test]
    fn an_unknown_profile_is_a_clear_error() {
        let data = tempfile::tempdir().unwrap();
        let error =
            CommandError::from(TargetChoice::Profile { name: "nope".into() }.resolve(data.path(), None).unwrap_err());
        assert_eq!(error.code, ErrorCode::ProfileNotFound);
        assert!(error.message.contains("`nope`"), "{}", error.message);
    }
}
