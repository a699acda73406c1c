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
    assert_eq!(pragma::<i64>(&conn, "user_version"), 2);
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
    assert!(matches!(error, HistoryError::NewerSchema { found: 7, supported: 2, .. }), "{error:?}");
    assert!(error.to_string().contains("has schema version 7, newer than the 2"));
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

/// The database as version 1 of the schema wrote it, with a row for every form its target
/// text took.
const VERSION_1: &str = "CREATE TABLE sends (
        id INTEGER PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'interrupted')),
        owner TEXT NOT NULL,
        template TEXT NOT NULL,
        data_set TEXT,
        data_json TEXT,
        recipients TEXT NOT NULL,
        subject TEXT NOT NULL,
        target TEXT NOT NULL,
        message_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        raw BLOB NOT NULL,
        reply_code INTEGER,
        reply_text TEXT,
        failure TEXT CHECK (failure IN ('transient', 'permanent')),
        error TEXT,
        duration_ms INTEGER,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
    );
    CREATE INDEX sends_by_template ON sends (template, id);
    CREATE INDEX sends_by_status ON sends (status);
    PRAGMA user_version = 1;";

#[test]
fn version_1_targets_become_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let targets = [
        "outbox",
        "profile `work` (smtps://me@mail.example.test:465)",
        "profile `odd` (name)` (smtp://127.0.0.1:2525)",
        "smtp://tester@127.0.0.1:1025?tls=required",
    ];
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(VERSION_1).unwrap();
        for (n, target) in targets.iter().enumerate() {
            conn.execute(
                "INSERT INTO sends (status, owner, template, recipients, subject, target, message_id, size, raw,
                    started_at, finished_at)
                 VALUES ('sent', 'gone', 'welcome', '[\"ada@example.test\"]', ?1, ?2, '<m@x>', 3, x'616263', ?3, ?3)",
                rusqlite::params![format!("send {n}"), target, 1_780_000_000_000_i64 + n as i64],
            )
            .unwrap();
        }
    }
    let history = History::open(&path).unwrap();
    let mut found: Vec<(String, SendTarget)> =
        history.list(&Query::default()).unwrap().into_iter().map(|s| (s.subject, s.target)).collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let profile = |name: &str, url: &str| SendTarget::Profile { name: name.into(), url: url.into() };
    assert_eq!(
        found,
        [
            ("send 0".to_owned(), SendTarget::Outbox),
            ("send 1".to_owned(), profile("work", "smtps://me@mail.example.test:465")),
            ("send 2".to_owned(), profile("odd` (name)", "smtp://127.0.0.1:2525")),
            ("send 3".to_owned(), SendTarget::Url { url: "smtp://tester@127.0.0.1:1025?tls=required".into() }),
        ]
    );
    // Each target prints as version 1 stored it.
    for (subject, target) in &found {
        let n: usize = subject["send ".len()..].parse().unwrap();
        assert_eq!(target.to_string(), targets[n]);
    }
    // The search still finds sends by profile name and by server.
    let search = |text: &str| history.list(&Query { search: Some(text.into()), ..Query::default() }).unwrap().len();
    assert_eq!(search("work"), 1);
    assert_eq!(search("127.0.0.1"), 2);
    assert_eq!(search("outbox"), 1);
    drop(history);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(pragma::<i64>(&conn, "user_version"), 2);
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('sends')")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!columns.iter().any(|c| c == "target"), "{columns:?}");
    assert_eq!(integrity(&path), "ok");
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
