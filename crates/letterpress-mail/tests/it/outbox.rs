//! The local outbox: atomic writes, listing and reading messages back.
use letterpress_mail::{Outbox, OutboxError, build};

use crate::support::{built, draft, fixed_date, message_id};

#[test]
fn stored_messages_read_back_exactly() {
    let data = tempfile::tempdir().unwrap();
    let outbox = Outbox::in_data_dir(data.path());
    assert!(outbox.list().unwrap().is_empty(), "a missing outbox is empty");

    let message = built(&draft());
    let entry = outbox.store(&message).unwrap();
    assert_eq!(entry.name, "20260528T202640.000Z-test-1.eml");
    assert_eq!(entry.path, data.path().join("outbox").join(&entry.name));
    assert_eq!(std::fs::read(&entry.path).unwrap(), message.raw());

    let read = outbox.read(&entry.name).unwrap();
    assert_eq!(read.raw, message.raw());
    let parsed = &read.parsed;
    assert_eq!(parsed.subject.as_deref(), Some("Your receipt — order #1024"));
    assert_eq!(parsed.from.as_deref(), Some("Letterpress Tests <sender@example.test>"));
    assert_eq!(parsed.to, ["ada@example.test", "Bob <bob@example.test>"]);
    assert_eq!(parsed.message_id.as_deref(), Some("test-1@example.test"));
    assert_eq!(parsed.date.as_deref(), Some("2026-05-28T20:26:40Z"));
    let text = parsed.text.as_deref().unwrap().replace("\r\n", "\n");
    assert_eq!(text.trim_end(), "Thanks, Ada\n\nTotal: 12,00 €");
    assert!(parsed.html.as_deref().unwrap().contains("<h1>Thanks, Ada</h1>"));
    assert_eq!(parsed.header("list-unsubscribe"), Some("<https://example.test/unsubscribe?u=1>"));
    assert!(parsed.headers.iter().any(|(name, _)| name == "MIME-Version"));

    // No temporary files are left beside the message.
    let files: Vec<_> = std::fs::read_dir(outbox.dir()).unwrap().collect();
    assert_eq!(files.len(), 1);
}

#[test]
fn list_is_newest_first() {
    let data = tempfile::tempdir().unwrap();
    let outbox = Outbox::in_data_dir(data.path());
    for (n, seconds) in [(1, 0), (2, 60), (3, 30)] {
        let mut d = draft();
        d.subject = format!("message {n}");
        let message = build(&d, fixed_date() + std::time::Duration::from_secs(seconds), &message_id(n)).unwrap();
        outbox.store(&message).unwrap();
    }
    let subjects: Vec<_> = outbox.list().unwrap().into_iter().map(|entry| entry.envelope.subject.unwrap()).collect();
    assert_eq!(subjects, ["message 2", "message 3", "message 1"]);
}

#[test]
fn names_that_leave_the_outbox_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let outbox = Outbox::in_data_dir(data.path());
    std::fs::write(data.path().join("elsewhere.eml"), b"Subject: x\r\n\r\nx").unwrap();
    for name in ["../elsewhere.eml", "/etc/passwd", "a/b.eml", ".hidden.eml", "notes.txt"] {
        let error = outbox.read(name).unwrap_err();
        assert!(matches!(error, OutboxError::BadName(_)), "{name}: {error:?}");
    }
    let missing = outbox.read("20260101T000000.000Z-none.eml").unwrap_err();
    assert!(missing.to_string().starts_with("cannot read the outbox"), "{missing}");
}
