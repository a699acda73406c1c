//! Shared helpers: sample drafts, a fixed clock and the SMTP test server.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use letterpress_mail::{Draft, Message, MessageId, build};

pub use letterpress_test_smtp as smtp_server;

/// A fixed point in time: 2026-05-28T20:26:40Z.
pub fn fixed_date() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

pub fn draft() -> Draft {
    Draft {
        from: "Letterpress Tests <sender@example.test>".to_owned(),
        reply_to: Some("support@example.test".to_owned()),
        to: vec!["ada@example.test".to_owned(), "Bob <bob@example.test>".to_owned()],
        subject: "Your receipt — order #1024".to_owned(),
        html: "<html><body><h1>Thanks, Ada</h1><p>Total: 12,00 €</p></body></html>".to_owned(),
        text: "Thanks, Ada\n\nTotal: 12,00 €\n".to_owned(),
        headers: vec![("List-Unsubscribe".to_owned(), "<https://example.test/unsubscribe?u=1>".to_owned())],
        images: None,
    }
}

pub fn message_id(n: u32) -> MessageId {
    MessageId::parse(&format!("<test-{n}@example.test>")).unwrap()
}

pub fn built(draft: &Draft) -> Message {
    build(draft, fixed_date(), &message_id(1)).expect("the draft builds")
}

pub fn parse(raw: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default().parse(raw).expect("a parsable message")
}
