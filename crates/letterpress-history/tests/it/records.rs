//! Recording sends and reading them back: get, list, search, filters and statistics.
use std::time::Duration;

use letterpress_core::ErrorCode;
use letterpress_history::{FailureKind, History, HistoryError, Outcome, Query, Reply, SendTarget, Status, format_time};

use crate::support::{at, new_send};

#[test]
fn a_send_is_pending_then_sent_with_everything_kept() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    let send = new_send("welcome", "Welcome, Ada", 0);
    let id = history.begin(&send).unwrap();

    let pending = history.get(id).unwrap();
    assert_eq!(pending.summary.status, Status::Pending);
    assert_eq!(pending.summary.finished_at, None);
    assert_eq!(pending.raw, send.raw, "the message is stored before it is sent");

    history
        .finish(
            id,
            &Outcome::Sent {
                reply: Some(Reply { code: 250, text: "2.0.0 Ok: queued as 4B2F".to_owned() }),
                duration: Duration::from_millis(1234),
                finished_at: at(2),
            },
        )
        .unwrap();

    let record = history.get(id).unwrap();
    let summary = &record.summary;
    assert_eq!(summary.status, Status::Sent);
    assert_eq!(summary.template, "welcome");
    assert_eq!(summary.data_set.as_deref(), Some("default"));
    assert_eq!(summary.recipients, send.recipients);
    assert_eq!(summary.subject, "Welcome, Ada");
    assert_eq!(summary.target, letterpress_history::SendTarget::Outbox);
    assert_eq!(summary.message_id, send.message_id);
    assert_eq!(summary.size, send.raw.len() as u64);
    assert_eq!(summary.reply.as_ref().map(|r| r.code), Some(250));
    assert_eq!((summary.failure, summary.failure_code, summary.failure_headline.as_deref()), (None, None, None));
    assert_eq!(summary.duration, Some(Duration::from_millis(1234)));
    assert_eq!(summary.started_at, at(0));
    assert_eq!(summary.finished_at, Some(at(2)));
    assert_eq!(record.data, send.data);
    assert_eq!(record.raw, send.raw);
    assert_eq!(format_time(summary.started_at), "2026-05-28T20:26:40.000Z");
}

#[test]
fn a_failure_keeps_the_reply_and_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    let id = history.begin(&new_send("reset", "Reset", 0)).unwrap();
    history
        .finish(
            id,
            &Outcome::Failed {
                kind: FailureKind::Permanent,
                code: ErrorCode::Rejected,
                headline: "The server refused the login".to_owned(),
                reply: Some(Reply { code: 535, text: "5.7.8 Authentication credentials invalid".to_owned() }),
                error: "authentication failed".to_owned(),
                duration: Duration::from_millis(80),
                finished_at: at(1),
            },
        )
        .unwrap();
    let summary = history.get(id).unwrap().summary;
    assert_eq!(summary.status, Status::Failed);
    assert_eq!(summary.failure, Some(FailureKind::Permanent));
    assert_eq!(summary.failure_code, Some(ErrorCode::Rejected));
    assert_eq!(summary.failure_headline.as_deref(), Some("The server refused the login"));
    assert_eq!(summary.reply, Some(Reply { code: 535, text: "5.7.8 Authentication credentials invalid".to_owned() }));
    assert_eq!(summary.error.as_deref(), Some("authentication failed"));

    // An outcome is recorded once.
    let again = history.finish(id, &Outcome::Sent { reply: None, duration: Duration::ZERO, finished_at: at(3) });
    assert!(matches!(again, Err(HistoryError::NotPending(_))), "{again:?}");
}

fn sent(history: &History, template: &str, subject: &str, started: u64) {
    let id = history.begin(&new_send(template, subject, started)).unwrap();
    history
        .finish(id, &Outcome::Sent { reply: None, duration: Duration::from_millis(5), finished_at: at(started + 1) })
        .unwrap();
}

fn failed(history: &History, template: &str, subject: &str, started: u64) {
    let id = history.begin(&new_send(template, subject, started)).unwrap();
    history
        .finish(
            id,
            &Outcome::Failed {
                kind: FailureKind::Transient,
                code: ErrorCode::Rejected,
                headline: "The server rejected the message".to_owned(),
                reply: Some(Reply { code: 451, text: "4.3.0 try again later".to_owned() }),
                error: "greylisted".to_owned(),
                duration: Duration::from_millis(5),
                finished_at: at(started + 1),
            },
        )
        .unwrap();
}

#[test]
fn list_searches_filters_and_limits_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    sent(&history, "welcome", "Welcome, Ada", 10);
    failed(&history, "welcome", "Welcome, Bob", 20);
    sent(&history, "receipt", "Your receipt 100%_done", 30);
    sent(&history, "welcome", "Welcome, Cleo", 40);

    let subjects =
        |query: Query| -> Vec<String> { history.list(&query).unwrap().into_iter().map(|s| s.subject).collect() };

    assert_eq!(subjects(Query::default()), ["Welcome, Cleo", "Your receipt 100%_done", "Welcome, Bob", "Welcome, Ada"]);
    assert_eq!(
        subjects(Query { template: Some("welcome".into()), status: Some(Status::Sent), ..Query::default() }),
        ["Welcome, Cleo", "Welcome, Ada"]
    );
    assert_eq!(subjects(Query { search: Some("WELCOME, b".into()), ..Query::default() }), ["Welcome, Bob"]);
    // LIKE wildcards in the search text match only themselves.
    assert_eq!(subjects(Query { search: Some("100%_".into()), ..Query::default() }), ["Your receipt 100%_done"]);
    assert!(
        subjects(Query { search: Some("%".into()), template: Some("welcome".into()), ..Query::default() }).is_empty()
    );
    // The server's reply text is searchable too.
    assert_eq!(subjects(Query { search: Some("try again".into()), ..Query::default() }), ["Welcome, Bob"]);
    // So is the headline the history shows for a failure.
    assert_eq!(subjects(Query { search: Some("rejected the message".into()), ..Query::default() }), ["Welcome, Bob"]);
    assert_eq!(subjects(Query { limit: 2, ..Query::default() }), ["Welcome, Cleo", "Your receipt 100%_done"]);
}

#[test]
fn statistics_per_template() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    sent(&history, "welcome", "a", 10);
    failed(&history, "welcome", "b", 20);
    sent(&history, "welcome", "c", 30);
    failed(&history, "receipt", "d", 40);

    let stats = history.template_stats().unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[0].template, "receipt");
    assert_eq!((stats[0].sent, stats[0].failed, stats[0].last_sent), (0, 1, None));
    assert_eq!(stats[1].template, "welcome");
    assert_eq!((stats[1].sent, stats[1].failed), (2, 1));
    assert_eq!(stats[1].last_sent, Some(at(31)));
    let json = serde_json::to_value(&stats).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            { "template": "receipt", "sent": 0, "failed": 1, "lastSent": null },
            { "template": "welcome", "sent": 2, "failed": 1, "lastSent": format_time(at(31)) },
        ])
    );

    let never = history.stats_for("shipping").unwrap();
    assert_eq!((never.sent, never.failed, never.last_sent), (0, 0, None));
}

#[test]
fn status_names_round_trip() {
    for status in Status::ALL {
        assert_eq!(status.as_str().parse::<Status>(), Ok(status));
    }
    let error = "delivered".parse::<Status>().unwrap_err();
    assert_eq!(error, "unknown status `delivered`; expected one of pending, sent, failed, interrupted");
}

#[test]
fn get_of_a_missing_send_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    let error = history.get(letterpress_history::SendId(42)).unwrap_err();
    assert_eq!(error.to_string(), "send #42 does not exist");
}

#[test]
fn a_summary_is_given_to_front_ends_with_its_times_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in(dir.path()).unwrap();
    failed(&history, "reset", "Reset", 10);
    let pending = history.begin(&new_send("welcome", "Welcome", 20)).unwrap();
    let rows = history.list(&Query::default()).unwrap();
    let items: Vec<serde_json::Value> = rows.iter().map(|row| serde_json::to_value(row).unwrap()).collect();

    let [open, failure] = &items[..] else { panic!("{items:?}") };
    assert_eq!(open["id"], pending.0);
    assert_eq!(open["status"], "pending");
    assert!(open["durationMs"].is_null() && open["finishedAt"].is_null(), "{open}");
    assert_eq!(failure["startedAt"], format_time(at(10)));
    assert_eq!(failure["finishedAt"], format_time(at(11)));
    assert_eq!(failure["durationMs"], 5);

    let keys: Vec<&str> = failure.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "status",
            "template",
            "dataSet",
            "recipients",
            "subject",
            "target",
            "messageId",
            "size",
            "reply",
            "failure",
            "failureCode",
            "failureHeadline",
            "error",
            "durationMs",
            "startedAt",
            "finishedAt"
        ]
    );
    assert_eq!(failure["status"], "failed");
    assert_eq!(failure["failure"], "transient");
    assert_eq!(failure["failureCode"], "rejected");
    assert_eq!(failure["reply"], serde_json::json!({ "code": 451, "text": "4.3.0 try again later" }));
    assert_eq!(failure["target"], serde_json::to_value(SendTarget::Outbox).unwrap());
}
