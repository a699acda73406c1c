//! Real sends against `tests/smtp/server.py`: delivery, refusals, STARTTLS, timeouts.
use std::time::Duration;

use letterpress_mail::{
    Draft, FailureKind, ImageRoots, Outbox, Secret, Security, SendError, SmtpError, SmtpSettings, SmtpTarget, Stage,
    Target, build, send_blocking, test_connection_blocking,
};
use mail_parser::MimeHeaders;

use crate::support::smtp_server::{PASSWORD, SmtpServer, USER, closed_port};
use crate::support::{built, draft, fixed_date, message_id, parse};

fn settings(server_port: u16, security: Security, ca: Option<&std::path::Path>) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port: server_port,
        security,
        username: Some(USER.into()),
        timeout: Duration::from_secs(30),
        ca_file: ca.map(ToOwned::to_owned),
        trust_fingerprint: None,
    }
}

fn target(settings: SmtpSettings, password: &str) -> Target {
    Target::Smtp(SmtpTarget { label: "test".into(), settings, password: Some(Secret::new(password)) })
}

/// A draft with an embedded image, so delivery also proves the inline part survives.
fn draft_with_logo(dir: &std::path::Path) -> Draft {
    std::fs::write(dir.join("logo.png"), b"\x89PNG\r\n\x1a\nthe logo").unwrap();
    let mut d = draft();
    d.html = r#"<p>Hello</p><img src="logo.png" alt="Logo">"#.into();
    d.images = Some(ImageRoots { base: dir.to_owned(), root: dir.to_owned() });
    d
}

#[test]
fn delivers_over_starttls_after_login_exactly_as_built() {
    let server = SmtpServer::start(&[]);
    let project = tempfile::tempdir().unwrap();
    let message = build(&draft_with_logo(project.path()), fixed_date(), &message_id(7)).unwrap();
    let target = target(settings(server.port, Security::Starttls, Some(&server.ca)), PASSWORD);

    let sent = send_blocking(&target, &message).expect("delivered");
    let reply = sent.reply.expect("a server reply");
    assert_eq!(reply.code, 250);
    assert!(reply.text.contains("queued as LP0001"), "{reply}");
    assert_eq!(sent.message_id, "<test-7@example.test>");
    assert_eq!(sent.size, message.size());
    assert_eq!(sent.raw, message.raw());

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].raw, message.raw(), "the server got the exact bytes");
    assert_eq!(received[0].mail_from, "sender@example.test");
    assert_eq!(received[0].rcpt_to, ["ada@example.test", "bob@example.test"]);

    let parsed = parse(&received[0].raw);
    assert_eq!(parsed.subject(), Some("Your receipt — order #1024"));
    assert_eq!(parsed.message_id(), Some("test-7@example.test"));
    assert!(parsed.header_raw("List-Unsubscribe").is_some());
    assert_eq!(parsed.body_text(0).unwrap().replace("\r\n", "\n").trim_end(), "Thanks, Ada\n\nTotal: 12,00 €");
    let html = parsed.body_html(0).unwrap().into_owned();
    let cid = &message.inline_images()[0].content_id;
    assert!(html.contains(&format!("src=\"cid:{cid}\"")), "{html}");
    let image =
        parsed.parts.iter().find(|part| part.content_id() == Some(cid.as_str())).expect("the inline image part");
    assert_eq!(image.contents(), b"\x89PNG\r\n\x1a\nthe logo");

    let events = server.events();
    let auth = events.iter().position(|e| e == "AUTH PLAIN tester ok");
    let tls = events.iter().position(|e| e.starts_with("EHLO") && e.ends_with(" tls"));
    assert!(tls.is_some() && auth.is_some() && tls < auth, "{events:?}");
}

#[test]
fn delivers_over_implicit_tls() {
    let server = SmtpServer::start(&["--implicit-tls"]);
    let target = target(settings(server.port, Security::Tls, Some(&server.ca)), PASSWORD);
    let sent = send_blocking(&target, &built(&draft())).expect("delivered");
    assert_eq!(sent.reply.unwrap().code, 250);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn delivers_in_clear_text_to_a_local_server_without_login() {
    let server = SmtpServer::start(&["--no-starttls"]);
    let mut plain = settings(server.port, Security::None, None);
    plain.username = None;
    let target = Target::Smtp(SmtpTarget { label: plain.redacted_url(), settings: plain, password: None });
    let sent = send_blocking(&target, &built(&draft())).expect("delivered");
    assert_eq!(sent.reply.unwrap().code, 250);
    assert_eq!(server.received().len(), 1);
    assert!(!server.events().iter().any(|e| e.starts_with("AUTH")));
}

#[test]
fn a_wrong_password_is_a_permanent_535() {
    let server = SmtpServer::start(&[]);
    let target = target(settings(server.port, Security::Starttls, Some(&server.ca)), "wrong");
    let failure = send_blocking(&target, &built(&draft())).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Permanent);
    let reply = failure.reply.as_ref().expect("the server's reply");
    assert_eq!(reply.code, 535);
    assert!(reply.text.contains("Authentication credentials invalid"), "{reply}");
    assert!(
        matches!(&failure.error, SendError::Smtp(SmtpError::Rejected { stage: Stage::Login, .. })),
        "{:?}",
        failure.error
    );
    assert!(failure.to_string().contains("replied 535"), "{failure}");
    assert_eq!(failure.error.code().as_str(), "rejected");
    assert_eq!(failure.error.headline(), "The server refused the user name or password (535)");
    assert!(server.received().is_empty());
    assert!(server.events().contains(&"AUTH PLAIN tester refused".to_owned()));
}

#[test]
fn a_refused_recipient_is_a_permanent_550() {
    let server = SmtpServer::start(&["--reject-rcpt", "bob@example.test"]);
    let target = target(settings(server.port, Security::Starttls, Some(&server.ca)), PASSWORD);
    let failure = send_blocking(&target, &built(&draft())).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Permanent);
    let reply = failure.reply.expect("the server's reply");
    assert_eq!(reply.code, 550);
    assert!(reply.text.contains("<bob@example.test>: Recipient address rejected"), "{}", reply.text);
    assert!(server.received().is_empty());
}

#[test]
fn required_starttls_that_is_not_offered_stops_before_login() {
    let server = SmtpServer::start(&["--no-starttls"]);
    let target = target(settings(server.port, Security::Starttls, Some(&server.ca)), PASSWORD);
    let failure = send_blocking(&target, &built(&draft())).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Permanent);
    assert!(matches!(failure.error, SendError::Smtp(SmtpError::StarttlsNotOffered { .. })), "{:?}", failure.error);
    let events = server.events();
    assert!(events.iter().any(|e| e.starts_with("EHLO")), "{events:?}");
    assert!(
        !events.iter().any(|e| e.starts_with("AUTH") || e.starts_with("MAIL")),
        "no login and no mail without TLS: {events:?}"
    );
}

#[test]
fn a_server_that_never_answers_fails_by_the_timeout() {
    let server = SmtpServer::start(&["--silent"]);
    let mut quick = settings(server.port, Security::Starttls, Some(&server.ca));
    quick.timeout = Duration::from_secs(2);
    let failure = send_blocking(&target(quick, PASSWORD), &built(&draft())).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Transient);
    assert!(matches!(failure.error, SendError::Smtp(SmtpError::Timeout { .. })), "{:?}", failure.error);
    assert_eq!(failure.reply, None);
    assert!(server.events().contains(&"CONNECT silent".to_owned()));
}

#[test]
fn a_refused_connection_is_transient() {
    let port = closed_port();
    let failure =
        send_blocking(&target(settings(port, Security::Starttls, None), PASSWORD), &built(&draft())).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Transient);
    assert!(
        matches!(failure.error, SendError::Smtp(SmtpError::Network { stage: Stage::Connect, .. })),
        "{:?}",
        failure.error
    );
    let chain = error_chain(&failure);
    assert!(chain.to_lowercase().contains("refused"), "{chain}");
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let server = SmtpServer::start(&[]);
    // Without the test CA the private certificate must not be accepted.
    let target = target(settings(server.port, Security::Starttls, None), PASSWORD);
    let failure = send_blocking(&target, &built(&draft())).unwrap_err();
    let chain = error_chain(&failure);
    assert!(matches!(failure.error, SendError::Smtp(SmtpError::Untrusted { .. })), "{chain}");
    assert!(chain.contains("is not trusted: it is not signed by an authority this computer knows"), "{chain}");
    assert!(chain.contains("its subject is `CN=localhost`"), "{chain}");
    assert!(!chain.contains("UnknownIssuer"), "no type names reach people: {chain}");
    assert_eq!(failure.kind, FailureKind::Permanent, "{chain}");
    assert!(!server.events().iter().any(|e| e.starts_with("AUTH")));
    assert!(server.received().is_empty());
}

#[test]
fn connection_tests_log_in_and_report() {
    let server = SmtpServer::start(&[]);
    let good = settings(server.port, Security::Starttls, Some(&server.ca));
    let report = test_connection_blocking(&good, Some(&Secret::new(PASSWORD))).unwrap();
    assert!(report.encrypted && report.logged_in);
    assert_eq!(report.reply.map(|r| r.code), Some(221));

    let error = test_connection_blocking(&good, Some(&Secret::new("wrong"))).unwrap_err();
    assert_eq!(error.reply().map(|r| r.code), Some(535));
    let missing = test_connection_blocking(&good, None).unwrap_err();
    assert_eq!(missing.to_string(), "the user name `tester` needs a password");
    assert!(server.received().is_empty());
}

#[test]
fn the_outbox_target_stores_the_message() {
    let data = tempfile::tempdir().unwrap();
    let outbox = Outbox::in_data_dir(data.path());
    let message = built(&draft());
    let sent = send_blocking(&Target::Outbox(outbox.clone()), &message).unwrap();
    assert_eq!(sent.reply, None);
    let file = sent.outbox_file.expect("the stored file");
    assert_eq!(std::fs::read(&file).unwrap(), message.raw());
    assert_eq!(outbox.list().unwrap().len(), 1);
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The fingerprint of a PEM certificate as `openssl` computes it, in the `SHA256:AB:…` form.
pub fn openssl_fingerprint(pem: &std::path::Path) -> String {
    let output = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(pem)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    format!("SHA256:{}", text.trim().rsplit('=').next().unwrap())
}

#[test]
fn a_self_signed_ca_certificate_is_trusted_by_fingerprint_or_as_the_ca_file() {
    let server = SmtpServer::start(&["--self-signed"]);
    let localhost = |ca: Option<&std::path::Path>, pin: Option<String>| {
        let mut settings = settings(server.port, Security::Starttls, ca);
        settings.host = "localhost".into();
        settings.trust_fingerprint = pin;
        target(settings, PASSWORD)
    };
    let fingerprint = openssl_fingerprint(&server.ca);

    let failure = send_blocking(&localhost(None, None), &built(&draft())).unwrap_err();
    let chain = error_chain(&failure);
    assert!(chain.contains("self-signed authority certificate (`CA:TRUE`)"), "{chain}");
    assert!(chain.contains(&format!("--smtp-trust-fingerprint {fingerprint}")), "{chain}");
    assert!(!chain.contains("CaUsedAsEndEntity") && !chain.contains("Other("), "{chain}");

    send_blocking(&localhost(None, Some(fingerprint.clone())), &built(&draft())).expect("pinned");
    send_blocking(&localhost(Some(&server.ca), None), &built(&draft())).expect("the certificate as its own CA");
    assert_eq!(server.received().len(), 2);

    // Another certificate, even for the same name, is not the one pinned.
    let other = SmtpServer::start(&["--self-signed"]);
    let mut settings = settings(other.port, Security::Starttls, None);
    settings.host = "localhost".into();
    settings.trust_fingerprint = Some(fingerprint);
    let failure = send_blocking(&target(settings, PASSWORD), &built(&draft())).unwrap_err();
    assert!(matches!(failure.error, SendError::Smtp(SmtpError::Untrusted { .. })), "{failure}");
    assert!(other.received().is_empty());
    assert!(!other.events().iter().any(|e| e.starts_with("AUTH")));
}

#[test]
fn tls_on_the_wrong_port_and_login_without_tls_say_what_to_use() {
    let server = SmtpServer::start(&[]);
    let smtps = settings(server.port, Security::Tls, Some(&server.ca));
    let error = test_connection_blocking(&smtps, Some(&Secret::new(PASSWORD))).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "server `127.0.0.1:{0}` does not speak TLS on connect; it probably wants STARTTLS: use `smtp://tester@127.0.0.1:{0}?tls=required`",
            server.port
        )
    );
    let plain = settings(server.port, Security::None, None);
    let error = test_connection_blocking(&plain, Some(&Secret::new(PASSWORD))).unwrap_err().to_string();
    assert!(
        error.contains("offers no login on an unencrypted connection; it probably wants STARTTLS first"),
        "{error}"
    );
    assert!(!server.events().iter().any(|e| e.starts_with("AUTH")));
}

#[test]
fn a_ca_file_that_is_not_pem_is_named_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ca.der");
    std::fs::write(&path, b"\x30\x82\x01\x0a not a PEM file").unwrap();
    let error = letterpress_mail::read_ca_file(&path).unwrap_err().to_string();
    assert!(error.contains("holds no PEM certificate") && error.contains("ca.der"), "{error}");
    let failure =
        send_blocking(&target(settings(closed_port(), Security::Starttls, Some(&path)), PASSWORD), &built(&draft()))
            .unwrap_err();
    assert!(matches!(failure.error, SendError::Smtp(SmtpError::CaFile(_))), "{failure}");
}
