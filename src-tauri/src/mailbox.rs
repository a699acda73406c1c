//! Reading what was sent: the local outbox (the inbox view) and the send history, each message
//! with its headers, text part, viewable HTML and raw source. The HTML is untrusted and only ever
//! shown in the sandboxed preview frame.

use std::time::SystemTime;

use letterpress_core::ErrorCode;
use letterpress_history::{History, HistoryItem, Query, SendId, Status, format_time};
use letterpress_mail::{Outbox, ParsedMessage};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;
use crate::sending::{Answer, off_thread};
use crate::state::AppState;

/// The raw source shown is cut after this many bytes; large embedded images add nothing a person
/// reads, and the full message stays in the outbox file and the history.
const RAW_LIMIT: usize = 2 * 1024 * 1024;

/// How many sends a history list shows at most.
const LIST_LIMIT: usize = 500;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    pub name: String,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    /// RFC 3339, from the Date header.
    pub date: Option<String>,
    #[ts(type = "number")]
    pub size: u64,
    /// The recipients a message was sent again to, from its `Resent-To` field.
    pub resent_to: Option<String>,
}

/// A message taken apart for viewing.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    /// The recipients a message was sent again to, from its `Resent-To` field.
    pub resent_to: Option<String>,
    pub headers: Vec<(String, String)>,
    pub text: Option<String>,
    /// The HTML part with embedded images as `data:` URIs.
    pub html: Option<String>,
    /// Embedded parts: content type and size.
    pub parts: Vec<PartView>,
    pub raw: String,
    pub raw_truncated: bool,
    #[ts(type = "number")]
    pub size: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PartView {
    pub content_id: Option<String>,
    pub content_type: String,
    pub size: usize,
}

fn message_view(raw: &[u8]) -> MessageView {
    let parsed = ParsedMessage::parse(raw);
    let shown = &raw[..raw.len().min(RAW_LIMIT)];
    let mut view = MessageView {
        subject: None,
        from: None,
        to: Vec::new(),
        date: None,
        message_id: None,
        resent_to: None,
        headers: Vec::new(),
        text: None,
        html: letterpress_mail::html_for_viewing(raw),
        parts: Vec::new(),
        raw: String::from_utf8_lossy(shown).into_owned(),
        raw_truncated: shown.len() < raw.len(),
        size: raw.len() as u64,
    };
    if let Some(parsed) = parsed {
        view.parts = parsed
            .inline_parts
            .iter()
            .map(|p| PartView { content_id: p.content_id.clone(), content_type: p.content_type.clone(), size: p.size })
            .collect();
        view.resent_to = parsed.header("Resent-To").map(str::to_owned);
        view.subject = parsed.subject;
        view.from = parsed.from;
        view.to = parsed.to;
        view.date = parsed.date;
        view.message_id = parsed.message_id;
        view.headers = parsed.headers;
        view.text = parsed.text;
    }
    view
}

/// The messages in the local outbox, newest first.
#[tauri::command]
pub async fn outbox_list(state: State<'_, AppState>) -> Answer<Vec<OutboxItem>> {
    off_thread(state.inner(), |state| {
        let entries = Outbox::in_data_dir(&state.data_dir).list()?;
        Ok(entries
            .into_iter()
            .map(|e| OutboxItem {
                name: e.name,
                subject: e.subject,
                from: e.from,
                to: e.to,
                date: e.date,
                size: e.size,
                resent_to: e.resent_to,
            })
            .collect())
    })
    .await
}

#[tauri::command]
pub async fn outbox_message(state: State<'_, AppState>, name: String) -> Answer<MessageView> {
    off_thread(state.inner(), move |state| {
        let message = Outbox::in_data_dir(&state.data_dir).read(&name)?;
        Ok(message_view(&message.raw))
    })
    .await
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    pub search: Option<String>,
    pub template: Option<String>,
    pub status: Option<String>,
    pub limit: Option<usize>,
}

#[tauri::command]
pub async fn history_list(state: State<'_, AppState>, query: HistoryQuery) -> Answer<Vec<HistoryItem>> {
    off_thread(state.inner(), move |state| {
        let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
            Some(text) => Some(text.parse::<Status>().map_err(|e| CommandError::new(ErrorCode::InvalidStatus, e))?),
            None => None,
        };
        let history = History::open_in(&state.data_dir)?;
        let sends = history.list(&Query {
            search: query.search.filter(|s| !s.trim().is_empty()),
            template: query.template.filter(|t| !t.is_empty()),
            status,
            limit: query.limit.unwrap_or(LIST_LIMIT).min(LIST_LIMIT),
        })?;
        Ok(sends.into_iter().map(HistoryItem::from).collect())
    })
    .await
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub send: HistoryItem,
    /// The data the template was filled with, pretty-printed.
    pub data: Option<String>,
    pub message: MessageView,
}

#[tauri::command]
pub async fn history_entry(state: State<'_, AppState>, id: i64) -> Answer<HistoryEntry> {
    off_thread(state.inner(), move |state| {
        let history = History::open_in(&state.data_dir)?;
        let record = history.get(SendId(id))?;
        Ok(HistoryEntry {
            data: record.data.as_ref().and_then(|d| serde_json::to_string_pretty(d).ok()),
            message: message_view(&record.raw),
            send: HistoryItem::from(record.summary),
        })
    })
    .await
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "TemplateStats")]
#[serde(rename_all = "camelCase")]
pub struct TemplateStatsView {
    pub template: String,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub failed: u64,
    pub last_sent: Option<String>,
}

#[tauri::command]
pub async fn history_stats(state: State<'_, AppState>) -> Answer<Vec<TemplateStatsView>> {
    off_thread(state.inner(), |state| {
        let history = History::open_in(&state.data_dir)?;
        let stats = history.template_stats()?;
        Ok(stats
            .into_iter()
            .map(|s| TemplateStatsView {
                template: s.template,
                sent: s.sent,
                failed: s.failed,
                last_sent: s.last_sent.map(|t: SystemTime| format_time(t)),
            })
            .collect())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_view_holds_headers_parts_and_the_source() {
        let raw = b"From: a@x.test\r\nTo: b@x.test\r\nSubject: Hi\r\nMessage-ID: <1@x.test>\r\nContent-Type: text/html\r\n\r\n<p>Hello</p>\r\n";
        let view = message_view(raw);
        assert_eq!(view.subject.as_deref(), Some("Hi"));
        assert_eq!(view.to, ["b@x.test"]);
        assert!(view.html.as_deref().unwrap().contains("<p>Hello</p>"));
        assert_eq!(view.headers[0], ("From".to_owned(), "a@x.test".to_owned()));
        assert_eq!(view.raw.as_bytes(), raw);
        assert!(!view.raw_truncated);
    }

    #[test]
    fn names_outside_the_outbox_are_not_found() {
        let data = tempfile::tempdir().unwrap();
        let error = Outbox::in_data_dir(data.path()).read("../history.sqlite3").unwrap_err();
        assert_eq!(CommandError::from(error).code, ErrorCode::NotFound);
    }
}
