//! What both front ends do around a send, in one place: which target a send goes to, and how
//! its outcome is reported. The CLI prints these and the app returns them; neither words a
//! failure again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use letterpress_core::ErrorCode;
use letterpress_history::SendTarget;
use serde::{Deserialize, Serialize};

use crate::keyring::{PasswordError, resolve_password};
use crate::message::Message;
use crate::outbox::Outbox;
use crate::record::{Origin, Recorded, error_chain};
use crate::send::{SmtpTarget, Target};
use crate::settings::{Profile, ProfileError, ProfileStore};
use crate::smtp::{FailureKind, Reply};

/// Where a message goes, as a front end names it: the outbox or a saved profile.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TargetChoice {
    Outbox,
    Profile { name: String },
}

/// Why the target a front end names cannot be sent to.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("no SMTP profile named `{name}` in `{}`", store.display())]
    UnknownProfile { name: String, store: PathBuf },
    #[error(transparent)]
    Profiles(ProfileError),
    #[error(transparent)]
    Password(#[from] PasswordError),
}

impl From<ProfileError> for TargetError {
    fn from(error: ProfileError) -> Self {
        TargetError::Profiles(error)
    }
}

impl TargetError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            TargetError::UnknownProfile { .. } => ErrorCode::ProfileNotFound,
            TargetError::Profiles(error) => error.code(),
            TargetError::Password(error) => error.code(),
        }
    }
}

impl TargetChoice {
    /// The target this choice names in the data folder `data_dir`, with the profile's sender.
    /// A profile's settings are checked and its password found (`LETTERPRESS_SMTP_PASSWORD`,
    /// else the keyring) before anything is recorded; `timeout` replaces the profile's own.
    pub fn resolve(&self, data_dir: &Path, timeout: Option<Duration>) -> Result<(Target, Option<String>), TargetError> {
        let name = match self {
            TargetChoice::Outbox => return Ok((Target::Outbox(Outbox::in_data_dir(data_dir)), None)),
            TargetChoice::Profile { name } => name,
        };
        let profile = find_profile(&ProfileStore::in_data_dir(data_dir), name)?;
        let mut settings = profile.settings();
        if let Some(timeout) = timeout {
            settings.timeout = timeout;
        }
        settings.check().map_err(|source| ProfileError::Invalid { name: name.clone(), source })?;
        let password = resolve_password(&settings)?;
        Ok((Target::Smtp(SmtpTarget { label: profile.name.clone(), settings, password }), profile.sender))
    }
}

/// The profile called `name`, or an error naming the file it is missing from.
pub fn find_profile(store: &ProfileStore, name: &str) -> Result<Profile, TargetError> {
    store.get(name).map_err(|error| match error {
        ProfileError::NotFound(_) => {
            TargetError::UnknownProfile { name: name.to_owned(), store: store.path().to_owned() }
        }
        other => TargetError::Profiles(other),
    })
}

/// Why a send failed, for people: a stable code, a headline in plain words and the full reason.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "Failure"))]
#[serde(rename_all = "camelCase")]
pub struct FailureReport {
    pub code: ErrorCode,
    pub headline: String,
    pub detail: String,
    /// Whether trying again later could work (a 4xx reply, a timeout, a network problem).
    pub transient: bool,
}

/// How one send went: what the CLI prints and the app shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    pub ok: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub history_id: i64,
    pub template: String,
    pub data_set: Option<String>,
    pub recipients: Vec<String>,
    pub subject: String,
    /// The target as recorded, never a password.
    pub target: SendTarget,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub duration_ms: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub message_id: String,
    /// The server's last reply, when there was one.
    pub reply: Option<Reply>,
    /// The outbox file's name, for opening the message in the inbox.
    pub outbox_name: Option<String>,
    /// The outbox file.
    #[serde(skip)]
    pub outbox_file: Option<PathBuf>,
    pub failure: Option<FailureReport>,
}

impl SendReport {
    pub fn new(recorded: Recorded, message: &Message, origin: &Origin, target: &Target) -> SendReport {
        let millis = |duration: Duration| u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
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
            outbox_file: None,
            failure: None,
        };
        match recorded.result {
            Ok(sent) => {
                report.ok = true;
                report.duration_ms = millis(sent.duration);
                report.reply = sent.reply;
                report.outbox_name =
                    sent.outbox_file.as_deref().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
                report.outbox_file = sent.outbox_file;
            }
            Err(failure) => {
                report.duration_ms = millis(failure.duration);
                report.reply = failure.reply.clone();
                report.failure = Some(FailureReport {
                    code: failure.error.code(),
                    headline: failure.error.headline(),
                    detail: error_chain(&failure),
                    transient: failure.kind == FailureKind::Transient,
                });
            }
        }
        report
    }
}
