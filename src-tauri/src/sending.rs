//! Sending test messages from the app: the open template (with unsaved edits) to the local outbox
//! or an SMTP profile, re-sending a message from the history, and the recipients remembered per
//! project. Every send is recorded in the history exactly as the CLI records it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use letterpress_core::edit;
use letterpress_history::{History, HistoryError, SendId};
use letterpress_mail::{
    BuildError, KeyringError, Message, MessageId, Origin, Outbox, PasswordError, ProfileError, ProfileStore, Recorded,
    SendError, SmtpError, SmtpTarget, Stage, Target,
};
use serde::{Deserialize, Serialize};
use tauri::State;

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

/// Where a message goes, as the front end names it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TargetChoice {
    Outbox,
    Profile { name: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    pub template: String,
    pub data_set: Option<String>,
    pub recipients: Vec<String>,
    pub target: TargetChoice,
    /// Unsaved editor buffers: what is sent is what the preview shows.
    #[serde(default)]
    pub buffers: Vec<Buffer>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyView {
    pub code: u16,
    pub text: String,
}

/// Why a send failed, for people: a headline in plain words and the full reason.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureView {
    pub headline: String,
    pub detail: String,
    /// Whether trying again later could work (a 4xx reply, a timeout, a network problem).
    pub transient: bool,
}

/// How one send went.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    pub ok: bool,
    pub history_id: i64,
    pub template: String,
    pub data_set: Option<String>,
    pub recipients: Vec<String>,
    pub subject: String,
    /// The target as recorded: the outbox, or the profile or server with its URL, never a password.
    pub target: letterpress_history::SendTarget,
    pub duration_ms: u64,
    pub size: u64,
    pub message_id: String,
    /// The server's last reply, when there was one.
    pub reply: Option<ReplyView>,
    /// The outbox file name, for opening the message in the inbox.
    pub outbox_name: Option<String>,
    pub failure: Option<FailureView>,
}

/// Trims the recipients and refuses an empty or overlong list; addresses themselves are checked
/// when the message is built.
fn clean_recipients(recipients: Vec<String>) -> Answer<Vec<String>> {
    let list: Vec<String> = recipients.into_iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
    if list.is_empty() {
        return Err(CommandError::new("no-recipients", "add at least one recipient"));
    }
    if list.len() > MAX_RECIPIENTS {
        return Err(CommandError::new(
            "too-many-recipients",
            format!("a test goes to at most {MAX_RECIPIENTS} recipients"),
        ));
    }
    Ok(list)
}

pub(crate) fn history_error(error: HistoryError) -> CommandError {
    let code = match error {
        HistoryError::NotFound(_) => "not-found",
        _ => "history",
    };
    CommandError::new(code, letterpress_mail::error_chain(&error))
}

pub(crate) fn profile_error(error: ProfileError) -> CommandError {
    let code = match &error {
        ProfileError::NotFound(_) => "profile-not-found",
        ProfileError::Invalid { .. } | ProfileError::BadName(_) => "invalid-profile",
        _ => "profiles",
    };
    CommandError::new(code, letterpress_mail::error_chain(&error))
}

pub(crate) fn keyring_error(error: &KeyringError) -> CommandError {
    let code = match error {
        KeyringError::Unavailable { .. } => "no-keyring",
        KeyringError::Denied { .. } => "keyring-denied",
        KeyringError::Failed { .. } => "keyring",
    };
    CommandError::new(code, error.to_string())
}

fn build_error(error: BuildError) -> CommandError {
    let code = match &error {
        BuildError::Address { .. } => "invalid-address",
        BuildError::NoRecipients => "no-recipients",
        BuildError::MissingFrom => "no-sender",
        _ => "build",
    };
    CommandError::new(code, letterpress_mail::error_chain(&error))
}

/// The target a choice names, with the profile's sender. Passwords come from
/// `LETTERPRESS_SMTP_PASSWORD` or the keyring, as for the CLI.
pub(crate) fn resolve_target(data_dir: &Path, choice: &TargetChoice) -> Answer<(Target, Option<String>)> {
    match choice {
        TargetChoice::Outbox => Ok((Target::Outbox(Outbox::in_data_dir(data_dir)), None)),
        TargetChoice::Profile { name } => {
            let profile = ProfileStore::in_data_dir(data_dir).get(name).map_err(profile_error)?;
            let settings = profile.settings();
            settings
                .check()
                .map_err(|error| CommandError::new("invalid-profile", format!("SMTP profile `{name}`: {error}")))?;
            let password = letterpress_mail::resolve_password(&settings).map_err(|error| match &error {
                PasswordError::Missing { .. } => CommandError::new(
                    "no-password",
                    format!("SMTP profile `{name}` has a user name but no password; add the password to the profile"),
                ),
                PasswordError::Keyring { keyring, .. } => {
                    let mut answer = keyring_error(keyring);
                    answer.message = error.to_string();
                    answer
                }
            })?;
            let target = Target::Smtp(SmtpTarget { label: profile.name.clone(), settings, password });
            Ok((target, profile.sender))
        }
    }
}

/// A headline a person understands for an SMTP failure; the detail keeps the exact reason.
pub(crate) fn smtp_headline(error: &SmtpError) -> String {
    match error {
        SmtpError::Settings(_) => "These SMTP settings cannot work".into(),
        SmtpError::CaFile(_) => "The CA certificate file cannot be used".into(),
        SmtpError::Untrusted { .. } => "The server's certificate is not trusted, so nothing was sent".into(),
        SmtpError::NotTlsOnConnect { .. } => {
            "The server does not speak TLS on connect; it probably wants STARTTLS".into()
        }
        SmtpError::Tls { .. } => "The secure connection to the server failed".into(),
        SmtpError::LoginNeedsTls { .. } => "The server wants encryption before logging in".into(),
        SmtpError::LoginNotOffered { .. } => "The server offers no login this app supports".into(),
        SmtpError::Network { .. } => "Could not connect to the server".into(),
        SmtpError::NotSmtp { .. } => "The server does not answer like an SMTP server".into(),
        SmtpError::StarttlsNotOffered { .. } => {
            "The server does not offer encryption (STARTTLS), so nothing was sent".into()
        }
        SmtpError::NoPassword { .. } => "This profile needs a password".into(),
        SmtpError::Timeout { .. } => "The server did not answer in time".into(),
        SmtpError::Rejected { stage, reply, .. } => match stage {
            Stage::Connect => format!("The server turned the connection away ({})", reply.code),
            Stage::Starttls => format!("The server refused to start encryption ({})", reply.code),
            Stage::Login => format!("The server refused the user name or password ({})", reply.code),
            Stage::Send => format!("The server refused the message ({})", reply.code),
        },
        SmtpError::Exchange { stage, cause, .. } => match stage {
            Stage::Connect if cause.is_tls() => "The secure connection to the server failed".into(),
            Stage::Connect => "Could not connect to the server".into(),
            Stage::Starttls => "Encryption could not be set up with the server".into(),
            Stage::Login => "Logging in to the server failed".into(),
            Stage::Send => "The connection broke while sending the message".into(),
        },
    }
}

fn report(recorded: Recorded, message: &Message, origin: &Origin, target: &Target) -> SendReport {
    let mut report = SendReport {
        ok: false,
        history_id: recorded.id.0,
        template: origin.template.clone(),
        data_set: origin.data_set.clone(),
        recipients: message.recipients().to_vec(),
        subject: message.subject().to_owned(),
        target: target.record(),
        duration_ms: 0,
        size: message.size(),
        message_id: message.message_id().to_string(),
        reply: None,
        outbox_name: None,
        failure: None,
    };
    let view = |r: &letterpress_mail::Reply| ReplyView { code: r.code, text: r.text.clone() };
    match recorded.result {
        Ok(sent) => {
            report.ok = true;
            report.duration_ms = u64::try_from(sent.duration.as_millis()).unwrap_or(u64::MAX);
            report.reply = sent.reply.as_ref().map(view);
            report.outbox_name =
                sent.outbox_file.as_deref().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
        }
        Err(failure) => {
            report.duration_ms = u64::try_from(failure.duration.as_millis()).unwrap_or(u64::MAX);
            report.reply = failure.reply.as_ref().map(view);
            let headline = match &failure.error {
                SendError::Smtp(smtp) => smtp_headline(smtp),
                SendError::Outbox(_) => "The message could not be written to the outbox".into(),
            };
            report.failure = Some(FailureView {
                headline,
                detail: letterpress_mail::error_chain(&failure),
                transient: failure.kind == letterpress_mail::FailureKind::Transient,
            });
        }
    }
    report
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
                "template-errors",
                format!("`{label}` has errors and was not sent; fix the problems listed under the editor"),
            ));
        }
        let (target, sender) = resolve_target(&state.data_dir, &request.target)?;
        let from = letterpress_mail::choose_from(None, sender.as_deref(), &project, &target).ok_or_else(|| {
            CommandError::new(
                "no-sender",
                "no From address: set the profile's sender, or `mail.from` in `letterpress.toml`",
            )
        })?;
        let draft = letterpress_mail::draft(&project, &rendered, &from, &recipients);
        let started_at = SystemTime::now();
        let message = letterpress_mail::build(&draft, started_at, &MessageId::random(&from)).map_err(build_error)?;
        let origin = Origin {
            template: rendered.template.clone(),
            data_set: rendered.data_set.clone(),
            data: Some(rendered.data.clone()),
        };
        let history = History::open_in(&state.data_dir).map_err(history_error)?;
        let recorded =
            letterpress_mail::send_recorded(&history, &target, &message, &origin, started_at).map_err(history_error)?;
        Ok(report(recorded, &message, &origin, &target))
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
        let history = History::open_in(&state.data_dir).map_err(history_error)?;
        let record = history.get(SendId(id)).map_err(history_error)?;
        let recipients = if recipients.iter().all(|r| r.trim().is_empty()) {
            record.summary.recipients.clone()
        } else {
            clean_recipients(recipients)?
        };
        let (target, _) = resolve_target(&state.data_dir, &target)?;
        let started_at = SystemTime::now();
        let message = Message::resend(record.raw, &recipients, started_at).map_err(build_error)?;
        let origin = Origin {
            template: record.summary.template.clone(),
            data_set: record.summary.data_set.clone(),
            data: record.data.clone(),
        };
        let recorded =
            letterpress_mail::send_recorded(&history, &target, &message, &origin, started_at).map_err(history_error)?;
        Ok(report(recorded, &message, &origin, &target))
    })
    .await
}

/// What the send dialog remembers per project: the last recipients, the addresses used before
/// and the last target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
        let io = |error: std::io::Error| CommandError::new("io", format!("cannot write `{}`: {error}", path.display()));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
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
        assert_eq!(clean_recipients(vec![" ".into()]).unwrap_err().code, "no-recipients");
        let many = (0..=MAX_RECIPIENTS).map(|n| format!("r{n}@x.test")).collect();
        assert_eq!(clean_recipients(many).unwrap_err().code, "too-many-recipients");
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
        let error = resolve_target(data.path(), &TargetChoice::Profile { name: "nope".into() }).unwrap_err();
        assert_eq!(error.code, "profile-not-found");
        assert!(error.message.contains("`nope`"), "{}", error.message);
    }
}
