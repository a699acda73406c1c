//! A recorded send as front ends show and print it: the app's history list and
//! `letterpress history --json` give the same object.

use letterpress_core::ErrorCode;
use serde::Serialize;

use crate::store::{FailureKind, Reply, SendSummary, SendTarget, Status};
use crate::time::format_time;

/// A recorded send, with its times as RFC 3339 text and its duration in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HistoryItem {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub status: Status,
    pub template: String,
    pub data_set: Option<String>,
    pub recipients: Vec<String>,
    pub subject: String,
    pub target: SendTarget,
    pub message_id: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub reply: Option<Reply>,
    /// Whether trying again could work, for failed sends.
    pub failure: Option<FailureKind>,
    /// The cause of a failed send, for the window to branch on; `None` for sends recorded before
    /// causes were kept as codes, which have only `error`.
    pub failure_code: Option<ErrorCode>,
    /// The cause in the words the send's report showed; `None` for sends recorded before
    /// headlines were kept.
    pub failure_headline: Option<String>,
    pub error: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub duration_ms: Option<u64>,
    pub started_at: String,
    pub finished_at: Option<String>,
}

impl From<SendSummary> for HistoryItem {
    fn from(send: SendSummary) -> Self {
        HistoryItem {
            id: send.id.0,
            status: send.status,
            template: send.template,
            data_set: send.data_set,
            recipients: send.recipients,
            subject: send.subject,
            target: send.target,
            message_id: send.message_id,
            size: send.size,
            reply: send.reply,
            failure: send.failure,
            failure_code: send.failure_code,
            failure_headline: send.failure_headline,
            error: send.error,
            duration_ms: send.duration.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            started_at: format_time(send.started_at),
            finished_at: send.finished_at.map(format_time),
        }
    }
}
