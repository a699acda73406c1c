//! Reading what was sent: the local outbox (the inbox view) and the send history, each message
//! with its headers, text part, viewable HTML and raw source. The HTML is untrusted and only ever
//! shown in the sandboxed preview frame.

use letterpress_core::ErrorCode;
use letterpress_history::{History, Query, SendId, SendSummary, Status, TemplateStats};
use letterpress_mail::{MessageView, Outbox, OutboxEntry};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;
use crate::sending::{Answer, off_thread};
use crate::state::AppState;

/// How many sends a history list shows at most.
const LIST_LIMIT: usize = 500;

/// The messages in the local outbox, newest first.
#[tauri::command]
pub async fn outbox_list(state: State<'_, AppState>) -> Answer<Vec<OutboxEntry>> {
    off_thread(state.inner(), |state| Ok(Outbox::in_data_dir(&state.data_dir).list()?)).await
}

#[tauri::command]
pub async fn outbox_message(state: State<'_, AppState>, name: String) -> Answer<MessageView> {
    off_thread(state.inner(), move |state| {
        let message = Outbox::in_data_dir(&state.data_dir).read(&name)?;
        Ok(MessageView::of(&message.raw))
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
pub async fn history_list(state: State<'_, AppState>, query: HistoryQuery) -> Answer<Vec<SendSummary>> {
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
        Ok(sends)
    })
    .await
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub send: SendSummary,
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
            message: MessageView::of(&record.raw),
            send: record.summary,
        })
    })
    .await
}

#[tauri::command]
pub async fn history_stats(state: State<'_, AppState>) -> Answer<Vec<TemplateStats>> {
    off_thread(state.inner(), |state| Ok(History::open_in(&state.data_dir)?.template_stats()?)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_outbox_are_not_found() {
        let data = tempfile::tempdir().unwrap();
        let error = Outbox::in_data_dir(data.path()).read("../history.sqlite3").unwrap_err();
        assert_eq!(CommandError::from(error).code, ErrorCode::NotFound);
    }
}
