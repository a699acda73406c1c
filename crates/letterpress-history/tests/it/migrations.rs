//! Opening databases: settings, schema version, and databases from other versions.
use letterpress_history::{History, HistoryError, Query, SendTarget};

use crate::support::{integrity, new_send};

fn pragma<T: rusqlite::types::FromSql>(conn: &rusqlite::Connection, name: &str) -> T {
    conn.pragma_query_value(None, name, |row| row.get(0)).unwrap()
}

#[test]
fn a_new_database_is_versioned_and_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(&dir.path().join("nested/data")).unwrap();
    assert!(history.path().ends_with("nested/data/history.sqlite3"));
    drop(history);

    let conn = rusqlite::Connection::open(dir.path().join("nested/data/history.sqlite3")).unwrap();
    assert_eq!(pragma::<i64>(&conn, "user_version"), 3);
    assert_eq!(pragma::<String>(&conn, "journal_mode"), "wal");
}

#[test]
fn reopening_keeps_rows_and_runs_no_migration_twice() {
    let dir = tempfile::tempdir().unwrap();
    let first = History::open_in(dir.path()).unwrap();
    first.begin(&new_send("welcome", "Hello", 0)).unwrap();
    drop(first);
    for _ in 0..3 {
        let history = History::open_in(dir.path()).unwrap();
        assert_eq!(history.list(&Query::default()).unwrap().len(), 1);
    }
    assert_eq!(integrity(&dir.path().join("history.sqlite3")), "ok");
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 7;").unwrap();
    }
    let error = History::open(&path).unwrap_err();
    assert!(matches!(error, HistoryError::NewerSchema { found: 7, supported: 3, .. }), "{error:?}");
    assert!(error.to_string().contains("has schema version 7, newer than the 3"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(pragma::<i64>(&conn, "user_version"), 7);
}

#[test]
fn a_file_that_is_not_a_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let error = History::open(&path).unwrap_err();
    assert!(matches!(error, HistoryError::Open { .. }), "{error:?}");
    assert!(error.to_string().starts_with("cannot open the send history `"));
}

#[test]
fn targets_are_written_and_read_back_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    let targets = [
        SendTarget::Outbox,
        SendTarget::Profile { name: "team`s".into(), url: "smtp://h:25".into() },
        SendTarget::Url { url: "smtps://h:465".into() },
    ];
    for (n, target) in targets.iter().enumerate() {
        let mut send = new_send("t", &format!("send {n}"), n as u64);
        send.target = target.clone();
        history.begin(&send).unwrap();
    }
    let mut listed: Vec<SendTarget> = history.list(&Query::default()).unwrap().into_iter().map(|s| s.target).collect();
    listed.reverse();
    assert_eq!(listed, targets);
    let json = serde_json::to_value(&targets[1]).unwrap();
    assert_eq!(json, serde_json::json!({ "kind": "profile", "name": "team`s", "url": "smtp://h:25" }));
}
