//! Pending rows: those of a process that is gone become `interrupted`, a live one's stay.
use std::time::Duration;

use letterpress_history::{History, Outcome, Query, Status};

use crate::support::{at, integrity, new_send};

#[test]
fn pending_rows_of_a_closed_history_become_interrupted_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let first = History::open_in(dir.path()).unwrap();
    let id = first.begin(&new_send("welcome", "Hello", 0)).unwrap();
    // Closing releases the owner lock, as the end of a process does.
    drop(first);

    let second = History::open_in(dir.path()).unwrap();
    let summary = second.get(id).unwrap().summary;
    assert_eq!(summary.status, Status::Interrupted);
    assert_eq!(summary.finished_at, None, "the end of an interrupted send is unknown");
    assert_eq!(summary.error.as_deref(), Some("the sending process ended before the outcome was recorded"));
    let pending = Query { status: Some(Status::Pending), ..Query::default() };
    assert!(second.list(&pending).unwrap().is_empty());
    assert_eq!(integrity(second.path()), "ok");
}

#[test]
fn pending_rows_of_a_live_history_stay_pending() {
    let dir = tempfile::tempdir().unwrap();
    let sender = History::open_in(dir.path()).unwrap();
    let id = sender.begin(&new_send("welcome", "Hello", 0)).unwrap();

    // A second reader, like the app opening while the CLI sends, must not steal the row.
    let reader = History::open_in(dir.path()).unwrap();
    assert_eq!(reader.get(id).unwrap().summary.status, Status::Pending);

    sender.finish(id, &Outcome::Sent { reply: None, duration: Duration::from_millis(3), finished_at: at(1) }).unwrap();
    assert_eq!(reader.get(id).unwrap().summary.status, Status::Sent);
}

#[test]
fn stale_owner_files_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let owners = dir.path().join("history.sqlite3-owners");
    let live = History::open_in(dir.path()).unwrap();
    // A lock file left behind by a process that could not remove it, e.g. after `kill -9`.
    std::fs::write(owners.join("0123456789abcdef0123456789abcdef.lock"), b"").unwrap();
    let again = History::open_in(dir.path()).unwrap();
    let mut names: Vec<_> =
        std::fs::read_dir(&owners).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names.len(), 2, "only the two live owners remain: {names:?}");
    assert!(!names.contains(&"0123456789abcdef0123456789abcdef.lock".to_owned()));
    drop((live, again));
    assert_eq!(std::fs::read_dir(&owners).unwrap().count(), 0);
}
