//! Shared helpers: a fresh data folder and a sample send.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use letterpress_history::{NewSend, SendTarget};

/// A fixed point in time so that tests never depend on the clock.
pub fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_780_000_000 + seconds)
}

pub fn new_send(template: &str, subject: &str, started: u64) -> NewSend {
    NewSend {
        template: template.to_owned(),
        data_set: Some("default".to_owned()),
        data: Some(serde_json::json!({ "name": "Ada", "items": [1, 2] })),
        recipients: vec!["ada@example.test".to_owned(), "bob@example.test".to_owned()],
        subject: subject.to_owned(),
        target: SendTarget::Outbox,
        message_id: format!("<{template}-{started}@letterpress.test>"),
        raw: format!("Subject: {subject}\r\n\r\nbody of {template}\r\n").into_bytes(),
        started_at: at(started),
    }
}

pub fn integrity(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap()
}
