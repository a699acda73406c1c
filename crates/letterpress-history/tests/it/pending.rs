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

/// Many histories opening while others record sends, as concurrent processes do: a send whose
/// owner is alive is never marked `interrupted`, however the opens and inserts interleave.
#[test]
fn a_live_send_is_never_misfiled_by_a_concurrent_open() {
    const THREADS: usize = 8;
    const SENDS: usize = 15;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let workers: Vec<_> = (0..THREADS)
        .map(|n| {
            let path = path.clone();
            std::thread::spawn(move || {
                for i in 0..SENDS {
                    // Each open tests the owners of every pending row it finds.
                    let history = History::open_in(&path).unwrap();
                    let id = history.begin(&new_send("welcome", &format!("{n}-{i}"), i as u64)).unwrap();
                    let outcome = Outcome::Sent { reply: None, duration: Duration::from_millis(1), finished_at: at(1) };
                    history.finish(id, &outcome).expect("a live send stays pending until finished");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let history = History::open_in(dir.path()).unwrap();
    let all = history.list(&Query { limit: 1000, ..Query::default() }).unwrap();
    assert_eq!(all.len(), THREADS * SENDS);
    assert!(all.iter().all(|send| send.status == Status::Sent));
    assert_eq!(integrity(history.path()), "ok");
}

#[cfg(unix)]
#[test]
fn the_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
    let history = History::open_in(dir.path()).unwrap();
    history.begin(&new_send("welcome", "Hello", 0)).unwrap();
    for name in ["history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"] {
        assert_eq!(mode(name), 0o600, "{name}");
    }
    drop(history);

    // A database made readable to others by an older version is narrowed when opened.
    for name in ["history.sqlite3", "history.sqlite3-wal"] {
        let path = dir.path().join(name);
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let history = History::open_in(dir.path()).unwrap();
    assert_eq!(mode("history.sqlite3"), 0o600);
    assert_eq!(history.list(&Query::default()).unwrap().len(), 1);
}
