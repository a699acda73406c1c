//! Versioned schema migrations tracked in `PRAGMA user_version`.
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::store::SendTarget;

/// One step of the schema: it upgrades a database by one version, inside the migration's
/// transaction.
pub(crate) type Step = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// The schema, one entry per version: entry `n` upgrades a database from version `n` to `n + 1`.
/// Entries are only ever appended, never edited, because databases in the field were made by them.
pub(crate) const MIGRATIONS: &[Step] = &[create_sends, target_as_data, failure_code];

/// Version 1: the sends table.
fn create_sends(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE sends (
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
    CREATE INDEX sends_by_status ON sends (status);",
    )
}

/// Version 2: the target as data (a kind, the profile's name, the server's URL without a
/// password) in place of the display text version 1 kept, which front ends had to take apart.
fn target_as_data(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE sends ADD COLUMN target_kind TEXT NOT NULL DEFAULT 'outbox'
            CHECK (target_kind IN ('outbox', 'profile', 'url'));
         ALTER TABLE sends ADD COLUMN target_profile TEXT;
         ALTER TABLE sends ADD COLUMN target_url TEXT;",
    )?;
    let rows: Vec<(i64, String)> = {
        let mut statement = tx.prepare("SELECT id, target FROM sends")?;
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?
    };
    let mut update =
        tx.prepare("UPDATE sends SET target_kind = ?2, target_profile = ?3, target_url = ?4 WHERE id = ?1")?;
    for (id, text) in rows {
        let target = SendTarget::from_version_1(&text);
        let (kind, profile, url) = target.columns();
        update.execute(params![id, kind, profile, url])?;
    }
    tx.execute_batch("ALTER TABLE sends DROP COLUMN target;")
}

/// Version 3: a failed send's cause as a stable code (an `ErrorCode` name) and the headline
/// the send's report showed, beside the text. Rows written before have neither and keep only
/// the text.
fn failure_code(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE sends ADD COLUMN failure_code TEXT;
         ALTER TABLE sends ADD COLUMN failure_headline TEXT;",
    )
}

/// What a migration run found.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// The database was written by a newer Letterpress; touching it could lose data.
    Newer {
        found: u32,
        supported: u32,
    },
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(error: rusqlite::Error) -> Self {
        MigrateError::Sqlite(error)
    }
}

/// Brings the database up to `migrations.len()`, all steps in one transaction so a crash
/// half-way leaves the previous version intact.
pub(crate) fn migrate(conn: &mut Connection, migrations: &[Step]) -> Result<u32, MigrateError> {
    let supported = u32::try_from(migrations.len()).expect("fewer than 2^32 migrations");
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > supported {
        return Err(MigrateError::Newer { found, supported });
    }
    for (version, step) in migrations.iter().enumerate().skip(found as usize) {
        step(&tx)?;
        tx.pragma_update(None, "user_version", (version + 1) as i64)?;
    }
    tx.commit()?;
    Ok(supported)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: &[Step] = &[
        |tx| tx.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"),
        |tx| tx.execute_batch("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'nobody';"),
    ];

    /// The first column of every row `sql` selects.
    fn column<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> Vec<T> {
        let mut statement = conn.prepare(sql).unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    fn version(conn: &Connection) -> u32 {
        conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap()
    }

    #[test]
    fn upgrades_step_by_step_and_keeps_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        assert_eq!(migrate(&mut conn, &STEPS[..1]).unwrap(), 1);
        conn.execute("INSERT INTO notes (body) VALUES ('kept')", []).unwrap();
        drop(conn);

        let mut conn = Connection::open(&path).unwrap();
        assert_eq!(migrate(&mut conn, STEPS).unwrap(), 2);
        assert_eq!(version(&conn), 2);
        let row: (String, String) =
            conn.query_row("SELECT body, author FROM notes", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(row, ("kept".to_owned(), "nobody".to_owned()));

        // Running again is a no-op: the ALTER TABLE would fail if it ran twice.
        assert_eq!(migrate(&mut conn, STEPS).unwrap(), 2);
    }

    #[test]
    fn refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, STEPS).unwrap();
        match migrate(&mut conn, &STEPS[..1]) {
            Err(MigrateError::Newer { found: 2, supported: 1 }) => {}
            other => panic!("expected a newer-schema error, got {other:?}"),
        }
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &STEPS[..1]).unwrap();
        let broken: [Step; 3] = [STEPS[0], STEPS[1], |tx| tx.execute_batch("THIS IS NOT SQL")];
        assert!(matches!(migrate(&mut conn, &broken), Err(MigrateError::Sqlite(_))));
        assert_eq!(version(&conn), 1);
        // The second step was rolled back with the third, so it can still run.
        assert_eq!(migrate(&mut conn, STEPS).unwrap(), 2);
    }

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
            // A real database file as version 1 wrote it.
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn, &MIGRATIONS[..1]).unwrap();
            for (n, target) in targets.iter().enumerate() {
                conn.execute(
                    "INSERT INTO sends (status, owner, template, recipients, subject, target, message_id, size, raw,
                        started_at, finished_at)
                     VALUES ('sent', 'gone', 'welcome', '[\"ada@example.test\"]', ?1, ?2, '<m@x>', 3, x'616263', ?3, ?3)",
                    params![format!("send {n}"), target, 1_780_000_000_000_i64 + n as i64],
                )
                .unwrap();
            }
        }
        let history = crate::History::open(&path).unwrap();
        let mut found: Vec<(String, SendTarget)> =
            history.list(&crate::Query::default()).unwrap().into_iter().map(|s| (s.subject, s.target)).collect();
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
        let search = |text: &str| {
            history.list(&crate::Query { search: Some(text.into()), ..crate::Query::default() }).unwrap().len()
        };
        assert_eq!(search("work"), 1);
        assert_eq!(search("127.0.0.1"), 2);
        assert_eq!(search("outbox"), 1);
        drop(history);
        let conn = Connection::open(&path).unwrap();
        assert_eq!(version(&conn), MIGRATIONS.len() as u32);
        let columns: Vec<String> = column(&conn, "SELECT name FROM pragma_table_info('sends')");
        assert!(!columns.iter().any(|c| c == "target"), "{columns:?}");
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }

    #[test]
    fn version_2_failures_stay_readable_and_new_ones_keep_their_code() {
        use std::time::{Duration, UNIX_EPOCH};

        use letterpress_core::ErrorCode;

        use crate::{FailureKind, History, NewSend, Outcome, Query, Status};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        {
            // A real database file as version 2 wrote it, with a failed send in it.
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn, &MIGRATIONS[..2]).unwrap();
            conn.execute(
                "INSERT INTO sends (status, owner, template, recipients, subject, target_kind, target_url, message_id,
                    size, raw, failure, error, duration_ms, started_at, finished_at)
                 VALUES ('failed', 'gone', 'welcome', '[\"ada@example.test\"]', 'old', 'url', 'smtp://127.0.0.1:9',
                    '<old@x>', 3, x'616263', 'transient', 'connecting `127.0.0.1:9` failed: refused', 5,
                    1780000000000, 1780000000005)",
                [],
            )
            .unwrap();
        }
        let history = History::open(&path).unwrap();
        let old = &history.list(&Query::default()).unwrap()[0];
        assert_eq!((old.status, old.failure, old.failure_code), (Status::Failed, Some(FailureKind::Transient), None));
        assert_eq!(old.failure_headline, None);
        assert_eq!(old.error.as_deref(), Some("connecting `127.0.0.1:9` failed: refused"));

        let at = |ms: u64| UNIX_EPOCH + Duration::from_millis(1_780_000_001_000 + ms);
        let id = history
            .begin(&NewSend {
                template: "welcome".into(),
                data_set: None,
                data: None,
                recipients: vec!["ada@example.test".into()],
                subject: "new".into(),
                target: SendTarget::Url { url: "smtp://127.0.0.1:9".into() },
                message_id: "<new@x>".into(),
                raw: b"abc".to_vec(),
                started_at: at(0),
            })
            .unwrap();
        let outcome = Outcome::Failed {
            kind: FailureKind::Transient,
            code: ErrorCode::Network,
            headline: "Could not connect to the server".into(),
            reply: None,
            error: "connecting `127.0.0.1:9` failed: refused".into(),
            duration: Duration::from_millis(5),
            finished_at: at(5),
        };
        history.finish(id, &outcome).unwrap();
        let new = history.get(id).unwrap().summary;
        assert_eq!((new.subject.as_str(), new.failure_code), ("new", Some(ErrorCode::Network)));
        assert_eq!(new.failure_headline.as_deref(), Some("Could not connect to the server"));
        drop(history);

        let conn = Connection::open(&path).unwrap();
        assert_eq!(version(&conn), 3);
        let codes: Vec<Option<String>> = column(&conn, "SELECT failure_code FROM sends ORDER BY id");
        assert_eq!(codes, [None, Some("network".to_owned())]);
        let headlines: Vec<Option<String>> = column(&conn, "SELECT failure_headline FROM sends ORDER BY id");
        assert_eq!(headlines, [None, Some("Could not connect to the server".to_owned())]);
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }
}
