//! Sending a built message to a target, the outbox or an SMTP server, and reporting the outcome.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use letterpress_core::ErrorCode;
use letterpress_history::SendTarget;

use crate::message::Message;
use crate::outbox::{Outbox, OutboxError};
use crate::secret::Secret;
use crate::settings::SmtpSettings;
use crate::smtp::{FailureKind, Reply, SmtpError, deliver};

/// An SMTP server to send through, with its password if it needs one.
#[derive(Debug, Clone)]
pub struct SmtpTarget {
    /// How the target is shown to people and in the history: a profile name or an SMTP URL.
    pub label: String,
    pub settings: SmtpSettings,
    pub password: Option<Secret>,
}

/// Where a message goes.
#[derive(Debug, Clone)]
pub enum Target {
    Outbox(Outbox),
    Smtp(SmtpTarget),
}

impl Target {
    /// Where the message goes, as the history records it: never a password.
    pub fn record(&self) -> SendTarget {
        match self {
            Target::Outbox(_) => SendTarget::Outbox,
            Target::Smtp(smtp) => {
                let url = smtp.settings.redacted_url();
                if smtp.label == url {
                    SendTarget::Url { url }
                } else {
                    SendTarget::Profile { name: smtp.label.clone(), url }
                }
            }
        }
    }

    /// A description without secrets: `outbox`, `profile `work` (smtps://me@host:465)` or the URL.
    pub fn describe(&self) -> String {
        self.record().to_string()
    }
}

/// A message that reached its target.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The server's reply to the message; `None` for the outbox.
    pub reply: Option<Reply>,
    /// The outbox file; `None` for SMTP.
    pub outbox_file: Option<PathBuf>,
    pub duration: Duration,
    pub message_id: String,
    pub size: u64,
    /// The exact bytes handed to the target.
    pub raw: Vec<u8>,
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Smtp(#[from] SmtpError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl SendError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            SendError::Smtp(error) => error.code(),
            SendError::Outbox(_) => ErrorCode::Outbox,
        }
    }

    /// A headline a person understands; the error's own message keeps the exact reason.
    pub fn headline(&self) -> String {
        match self {
            SendError::Smtp(error) => error.headline(),
            SendError::Outbox(_) => "The message could not be written to the outbox".into(),
        }
    }
}

/// A message that did not reach its target. It displays as its error, whose causes follow
/// as the source chain.
#[derive(Debug)]
pub struct SendFailure {
    pub kind: FailureKind,
    /// The server's last reply, when the failure was a reply.
    pub reply: Option<Reply>,
    pub duration: Duration,
    pub message_id: String,
    pub size: u64,
    /// The exact bytes that were to be sent.
    pub raw: Vec<u8>,
    pub error: SendError,
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for SendFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// Sends `message` to `target`, bounded by the target's timeout.
pub async fn send(target: &Target, message: &Message) -> Result<Sent, SendFailure> {
    let started = Instant::now();
    let result = match target {
        Target::Outbox(outbox) => outbox.store(message).map(|entry| (None, Some(entry.path))).map_err(SendError::from),
        Target::Smtp(smtp) => deliver(&smtp.settings, smtp.password.as_ref(), message)
            .await
            .map(|reply| (Some(reply), None))
            .map_err(SendError::from),
    };
    let duration = started.elapsed();
    match result {
        Ok((reply, outbox_file)) => Ok(Sent {
            reply,
            outbox_file,
            duration,
            message_id: message.message_id().to_string(),
            size: message.size(),
            raw: message.raw().to_vec(),
        }),
        Err(error) => {
            let (kind, reply) = match &error {
                SendError::Smtp(smtp) => (smtp.kind(), smtp.reply().cloned()),
                // A full disk or a permission problem does not go away by retrying.
                SendError::Outbox(_) => (FailureKind::Permanent, None),
            };
            Err(SendFailure {
                kind,
                reply,
                duration,
                message_id: message.message_id().to_string(),
                size: message.size(),
                raw: message.raw().to_vec(),
                error,
            })
        }
    }
}

/// [`send`] for callers without an async runtime, such as the CLI.
#[expect(clippy::result_large_err, reason = "the failure report is the point of the call")]
pub fn send_blocking(target: &Target, message: &Message) -> Result<Sent, SendFailure> {
    runtime().block_on(send(target, message))
}

/// [`crate::test_connection`] for callers without an async runtime.
pub fn test_connection_blocking(
    settings: &SmtpSettings,
    password: Option<&Secret>,
) -> Result<crate::ConnectionReport, SmtpError> {
    runtime().block_on(crate::test_connection(settings, password))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded runtime can always be built")
}
