//! Sending with a record: every send gets a `pending` row in the history before the message
//! leaves and its outcome afterwards, the same way whichever front end sends it.

use std::time::SystemTime;

use letterpress_history::{History, HistoryError, NewSend, Outcome, SendId};

use crate::message::Message;
use crate::send::{SendFailure, Sent, Target, send_blocking};
use crate::smtp::FailureKind;

/// What a message was made from, for the history.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub template: String,
    pub data_set: Option<String>,
    /// The data the template was filled with.
    pub data: Option<serde_json::Value>,
}

/// A recorded send: its history row and how it went.
#[derive(Debug)]
pub struct Recorded {
    pub id: SendId,
    pub result: Result<Sent, SendFailure>,
}

/// Records `message` as pending, sends it to `target` (blocking, bounded by the target's
/// timeout) and records the outcome. A history that cannot be written stops the send before
/// the message leaves; a failed send is an `Ok` whose `result` holds the failure.
pub fn send_recorded(
    history: &History,
    target: &Target,
    message: &Message,
    origin: &Origin,
    started_at: SystemTime,
) -> Result<Recorded, HistoryError> {
    let id = history.begin(&NewSend {
        template: origin.template.clone(),
        data_set: origin.data_set.clone(),
        data: origin.data.clone(),
        recipients: message.recipients().to_vec(),
        subject: message.subject().to_owned(),
        target: target.record(),
        message_id: message.message_id().to_string(),
        raw: message.raw().to_vec(),
        started_at,
    })?;
    let result = send_blocking(target, message);
    let finished_at = SystemTime::now();
    let outcome = match &result {
        Ok(sent) => Outcome::Sent { reply: sent.reply.clone(), duration: sent.duration, finished_at },
        Err(failure) => Outcome::Failed {
            kind: match failure.kind {
                FailureKind::Transient => letterpress_history::FailureKind::Transient,
                FailureKind::Permanent => letterpress_history::FailureKind::Permanent,
            },
            code: failure.error.code(),
            headline: failure.error.headline(),
            reply: failure.reply.clone(),
            error: error_chain(failure),
            duration: failure.duration,
            finished_at,
        },
    };
    history.finish(id, &outcome)?;
    Ok(Recorded { id, result })
}

/// An error followed by its causes, joined by `: `, as one line for people and the history.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Some errors repeat their cause in their own message; saying it twice helps no one.
        if !message.ends_with(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
