//! Sending with a history record, resending stored messages, and viewing sent HTML.
use std::time::Duration;

use letterpress_history::{History, Query, Status};
use letterpress_mail::{
    ImageRoots, Message, Origin, Outbox, Security, SendReport, SmtpSettings, SmtpTarget, Target, TargetChoice, build,
    html_for_viewing, send_recorded,
};

use crate::support::smtp_server::closed_port;
use crate::support::{built, draft, fixed_date, message_id, parse};

fn origin() -> Origin {
    Origin {
        template: "receipt".into(),
        data_set: Some("default".into()),
        data: Some(serde_json::json!({ "name": "Ada" })),
    }
}

#[test]
fn a_send_to_the_outbox_is_recorded_as_sent_with_the_exact_bytes() {
    let data = tempfile::tempdir().unwrap();
    let history = History::open_in(data.path()).unwrap();
    let target = Target::Outbox(Outbox::in_data_dir(data.path()));
    let message = built(&draft());
    let recorded = send_recorded(&history, &target, &message, &origin(), fixed_date()).unwrap();
    let id = recorded.id;
    let report = SendReport::new(recorded, &message, &origin(), &target);
    assert!(report.ok && report.failure.is_none() && report.reply.is_none());
    assert_eq!(report.history_id, id.0);
    assert_eq!(report.target, letterpress_history::SendTarget::Outbox);
    let file = report.outbox_file.clone().expect("the outbox file");
    assert_eq!(std::fs::read(&file).unwrap(), message.raw());
    assert_eq!(report.outbox_name.as_deref(), file.file_name().and_then(|n| n.to_str()));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["target"], serde_json::json!({ "kind": "outbox" }));
    assert!(json.get("outboxFile").is_none(), "the full path stays in the process");
    let recorded_id = id;

    let record = history.get(recorded_id).unwrap();
    assert_eq!(record.summary.status, Status::Sent);
    assert_eq!(record.summary.template, "receipt");
    assert_eq!(record.summary.data_set.as_deref(), Some("default"));
    assert_eq!(record.summary.target, letterpress_history::SendTarget::Outbox);
    assert_eq!(record.summary.recipients, ["ada@example.test", "Bob <bob@example.test>"]);
    assert_eq!(record.raw, message.raw());
    assert_eq!(record.data, Some(serde_json::json!({ "name": "Ada" })));
}

#[test]
fn a_refused_connection_is_recorded_as_failed_with_the_reason() {
    let data = tempfile::tempdir().unwrap();
    let history = History::open_in(data.path()).unwrap();
    let settings = SmtpSettings {
        host: "127.0.0.1".into(),
        port: closed_port(),
        security: Security::None,
        username: None,
        timeout: Duration::from_secs(10),
        ca_file: None,
        trust_fingerprint: None,
    };
    let target = Target::Smtp(SmtpTarget { label: "closed".into(), settings, password: None });
    let message = built(&draft());
    let recorded = send_recorded(&history, &target, &message, &origin(), fixed_date()).unwrap();
    let failure = recorded.result.as_ref().expect_err("nothing listens on the port");
    let failure_text = letterpress_mail::error_chain(failure);
    let summary = &history.list(&Query::default()).unwrap()[0];
    assert_eq!(summary.id, recorded.id);
    assert_eq!(summary.status, Status::Failed);
    assert_eq!(summary.failure, Some(letterpress_history::FailureKind::Transient));
    assert_eq!(summary.failure_code.map(|code| code.as_str()), Some("network"));
    let error = summary.error.as_deref().unwrap();
    assert_eq!(error, failure_text);
    assert!(error.to_lowercase().contains("refused"), "{error}");

    let report = SendReport::new(recorded, &message, &origin(), &target);
    assert!(!report.ok);
    let url = format!("smtp://127.0.0.1:{}", target_port(&target));
    assert_eq!(report.target, letterpress_history::SendTarget::Profile { name: "closed".into(), url });
    let failure = report.failure.expect("a failure");
    assert_eq!((failure.code.as_str(), failure.headline.as_str()), ("network", "Could not connect to the server"));
    assert_eq!(summary.failure_headline.as_deref(), Some(failure.headline.as_str()), "the history keeps the headline");
    assert_eq!(failure.detail, failure_text);
    assert!(failure.transient);
}

fn target_port(target: &Target) -> u16 {
    match target {
        Target::Smtp(smtp) => smtp.settings.port,
        Target::Outbox(_) => unreachable!("an SMTP target"),
    }
}

#[test]
fn targets_resolve_to_the_outbox_or_a_checked_profile() {
    let data = tempfile::tempdir().unwrap();
    let (outbox, sender) = TargetChoice::Outbox.resolve(data.path(), None).unwrap();
    assert!(matches!(outbox, Target::Outbox(_)) && sender.is_none());

    let error = TargetChoice::Profile { name: "nope".into() }.resolve(data.path(), None).unwrap_err();
    assert_eq!(error.code().as_str(), "profile-not-found");
    assert!(error.to_string().starts_with("no SMTP profile named `nope` in `"), "{error}");

    std::fs::write(
        data.path().join("profiles.toml"),
        "[[profile]]\nname = \"local\"\nhost = \"127.0.0.1\"\nport = 2525\nsecurity = \"none\"\nsender = \"T <t@example.test>\"\n\n\
         [[profile]]\nname = \"open\"\nhost = \"mail.example.com\"\nport = 25\nsecurity = \"none\"\n",
    )
    .unwrap();
    let choice = TargetChoice::Profile { name: "local".into() };
    let (local, sender) = choice.resolve(data.path(), Some(Duration::from_secs(7))).unwrap();
    assert_eq!(sender.as_deref(), Some("T <t@example.test>"));
    match &local {
        Target::Smtp(smtp) => {
            assert_eq!((smtp.label.as_str(), smtp.settings.timeout), ("local", Duration::from_secs(7)))
        }
        Target::Outbox(_) => panic!("the profile's server"),
    }
    // Settings that would send in clear text over a network are refused before anything is sent.
    let error = TargetChoice::Profile { name: "open".into() }.resolve(data.path(), None).unwrap_err();
    assert_eq!(error.code().as_str(), "invalid-profile");
    assert!(error.to_string().starts_with("SMTP profile `open`: security `none`"), "{error}");
}

#[test]
fn a_resend_to_the_same_recipients_keeps_the_bytes_and_takes_a_new_date() {
    let original = built(&draft());
    let later = fixed_date() + Duration::from_secs(3600);
    let to = vec!["Bob <BOB@example.test>".to_owned(), "ada@example.test".to_owned()];
    let again = Message::resend(original.raw().to_vec(), &to, later).unwrap();
    assert_eq!(again.raw(), original.raw());
    assert_eq!(again.message_id(), original.message_id());
    assert_eq!(again.date(), later, "the outbox files a resend under the time it was sent again");

    // Stored in the outbox, the resend is a second message beside the first.
    let data = tempfile::tempdir().unwrap();
    let outbox = Outbox::in_data_dir(data.path());
    outbox.store(&original).unwrap();
    outbox.store(&again).unwrap();
    assert_eq!(outbox.list().unwrap().len(), 2);
}

#[test]
fn a_resend_to_other_recipients_says_so_in_resent_fields_above_the_original() {
    let original = built(&draft());
    let later = fixed_date() + Duration::from_secs(60);
    let to = vec!["carol@example.test".to_owned()];
    let again = Message::resend(original.raw().to_vec(), &to, later).unwrap();
    assert!(again.raw().ends_with(original.raw()), "the original bytes follow unchanged");
    let added = std::str::from_utf8(&again.raw()[..again.raw().len() - original.raw().len()]).unwrap();
    assert!(added.starts_with("Resent-Date: Thu, 28 May 2026 20:27:40 +0000\r\n"), "{added}");
    assert!(added.contains("Resent-From: sender@example.test\r\n"), "{added}");
    assert!(added.contains("Resent-To: carol@example.test\r\n"), "{added}");
    assert!(added.contains("Resent-Message-ID: <"), "{added}");
    assert_eq!(again.recipients(), ["carol@example.test"]);
    let parsed = parse(again.raw());
    assert_eq!(parsed.subject(), Some("Your receipt — order #1024"));

    // The outbox lists a resend with the recipients it was sent again to.
    let data = tempfile::tempdir().unwrap();
    let outbox = Outbox::in_data_dir(data.path());
    outbox.store(&again).unwrap();
    let entry = &outbox.list().unwrap()[0];
    assert_eq!(entry.envelope.resent_to.as_deref(), Some("carol@example.test"));
    assert_eq!(entry.envelope.to, ["ada@example.test", "Bob <bob@example.test>"]);

    let bad = Message::resend(original.raw().to_vec(), &["not an address".to_owned()], later);
    assert!(bad.is_err());
    assert!(Message::resend(original.raw().to_vec(), &[], later).is_err());
}

#[test]
fn viewing_html_shows_embedded_images_as_data_uris() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("logo.png"), b"\x89PNG\r\n\x1a\nlogo").unwrap();
    let mut d = draft();
    d.html = r#"<p>Hello</p><img src="logo.png" alt="Logo">"#.into();
    d.images = Some(ImageRoots { base: dir.path().to_owned(), root: dir.path().to_owned() });
    let message = build(&d, fixed_date(), &message_id(7)).unwrap();
    assert!(!String::from_utf8_lossy(message.raw()).contains("data:image"));
    let html = html_for_viewing(message.raw()).unwrap();
    assert!(html.contains(r#"<img src="data:image/png;base64,iVBORw0KGgpsb2dv" alt="Logo">"#), "{html}");
    assert!(!html.contains("cid:"), "{html}");
}
