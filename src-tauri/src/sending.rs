//! Sending test messages from the app: the open template (with unsaved edits) to the local outbox
//! or an SMTP profile, re-sending a message from the history, and the recipients remembered per
//! project. Every send is recorded in the history exactly as the CLI records it.

use std::path::PathBuf;
use std::time::SystemTime;

use letterpress_core::ErrorCode;
use letterpress_core::edit;
use letterpress_history::{History, SendId};
use letterpress_mail::{Message, MessageId, Origin, SendReport, TargetChoice};
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

/// The most recipients one send may have; a test goes to a few people, not a mailing list.
const MAX_RECIPIENTS: usize = 50;

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

/// Trims the recipients and refuses an empty or overlong list; addresses themselves are checked
/// when the message is built.
fn clean_recipients(recipients: Vec<String>) -> Answer<Vec<String>> {
    let list: Vec<String> = recipients.into_iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
    if list.is_empty() {
        return Err(CommandError::new(ErrorCode::NoRecipients, "add at least one recipient"));
    }
    if list.len() > MAX_RECIPIENTS {
        return Err(CommandError::new(
            ErrorCode::TooManyRecipients,
            format!("a test goes to at most {MAX_RECIPIENTS} recipients"),
        ));
    }
    Ok(list)
}

/// Renders the template with the editor's buffers, builds the message and sends it.
#[tauri::command]
pub async fn send_test(state: State<'_, AppState>, request: SendRequest) -> Answer<SendReport> {
    off_thread(state.inner(), move |state| {
        let project = state.project()?;
        let recipients = clean_recipients(request.recipients)?;
        let buffers = crate::commands::overlay(&project, request.buffers)?;
        let rendered =
            state.pipeline.render_with(&buffers, &project, &request.template, request.data_set.as_deref())?;
        let label = match &rendered.data_set {
            Some(set) => format!("{}/{set}", rendered.template),
            None => rendered.template.clone(),
        };
        if rendered.has_errors() {
            return Err(CommandError::new(
                ErrorCode::TemplateErrors,
                format!("`{label}` has errors and was not sent; fix the problems listed under the editor"),
            ));
        }
        let (target, sender) = request.target.resolve(&state.data_dir, None)?;
        let from = letterpress_mail::choose_from(None, sender.as_deref(), &project, &target).ok_or_else(|| {
            CommandError::new(
                ErrorCode::NoSender,
                "no From address: set the profile's sender, or `mail.from` in `letterpress.toml`",
            )
        })?;
        let draft = letterpress_mail::draft(&project, &rendered, &from, &recipients);
        let started_at = SystemTime::now();
        let message = letterpress_mail::build(&draft, started_at, &MessageId::random(&from))?;
        let origin = Origin {
            template: rendered.template.clone(),
            data_set: rendered.data_set.clone(),
            data: Some(rendered.data.clone()),
        };
        let history = History::open_in(&state.data_dir)?;
        let recorded = letterpress_mail::send_recorded(&history, &target, &message, &origin, started_at)?;
        Ok(SendReport::new(recorded, &message, &origin, &target))
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
        let history = History::open_in(&state.data_dir)?;
        let record = history.get(SendId(id))?;
        let recipients = if recipients.iter().all(|r| r.trim().is_empty()) {
            record.summary.recipients.clone()
        } else {
            clean_recipients(recipients)?
        };
        let (target, _) = target.resolve(&state.data_dir, None)?;
        let started_at = SystemTime::now();
        let message = Message::resend(record.raw, &recipients, started_at)?;
        let origin = Origin {
            template: record.summary.template.clone(),
            data_set: record.summary.data_set.clone(),
            data: record.data.clone(),
        };
        let recorded = letterpress_mail::send_recorded(&history, &target, &message, &origin, started_at)?;
        Ok(SendReport::new(recorded, &message, &origin, &target))
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
    fn recipients_are_trimmed_and_must_not_be_empty() {
        assert_eq!(clean_recipients(vec![" a@x.test ".into(), "".into()]).unwrap(), ["a@x.test"]);
        assert_eq!(clean_recipients(vec![" ".into()]).unwrap_err().code, ErrorCode::NoRecipients);
        let many = (0..=MAX_RECIPIENTS).map(|n| format!("r{n}@x.test")).collect();
        assert_eq!(clean_recipients(many).unwrap_err().code, ErrorCode::TooManyRecipients);
    }

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
