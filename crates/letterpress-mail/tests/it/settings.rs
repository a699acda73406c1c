//! SMTP URLs, security rules and the profiles file.
use std::path::PathBuf;
use std::time::Duration;

use letterpress_mail::{
    Profile, ProfileError, ProfileStore, Secret, Security, SettingsError, SmtpSettings, SmtpTarget, Target,
    parse_smtp_url,
};

const TIMEOUT: Duration = Duration::from_secs(9);

#[test]
fn smtp_urls_in_lettre_form() {
    let starttls = parse_smtp_url("smtp://me%40example.com@mail.example.com:2587?tls=required", TIMEOUT).unwrap();
    assert_eq!(
        starttls,
        SmtpSettings {
            host: "mail.example.com".into(),
            port: 2587,
            security: Security::Starttls,
            username: Some("me@example.com".into()),
            timeout: TIMEOUT,
            ca_file: None,
            trust_fingerprint: None,
        }
    );
    assert_eq!(starttls.redacted_url(), "smtp://me%40example.com@mail.example.com:2587?tls=required");

    let tls = parse_smtp_url("smtps://me@mail.example.com", TIMEOUT).unwrap();
    assert_eq!((tls.security, tls.port), (Security::Tls, 465));
    assert_eq!(tls.redacted_url(), "smtps://me@mail.example.com:465");

    let default_submission = parse_smtp_url("smtp://me@mail.example.com?tls=required", TIMEOUT).unwrap();
    assert_eq!(default_submission.port, 587);

    let local = parse_smtp_url("smtp://localhost:1025", TIMEOUT).unwrap();
    assert_eq!((local.security, local.username), (Security::None, None));
    let loopback = parse_smtp_url("smtp://127.0.0.1:1025", TIMEOUT).unwrap();
    assert_eq!(loopback.host, "127.0.0.1");
    let v6 = parse_smtp_url("smtp://[::1]:1025", TIMEOUT).unwrap();
    assert_eq!(v6.host, "::1");
    assert_eq!(v6.redacted_url(), "smtp://[::1]:1025");
}

#[test]
fn plain_smtp_is_refused_beyond_this_machine() {
    let error = parse_smtp_url("smtp://mail.example.com:25", TIMEOUT).unwrap_err();
    assert_eq!(error, SettingsError::PlainTextNotLocal { host: "mail.example.com".into() });
    assert_eq!(
        error.to_string(),
        "security `none` sends the password and message unencrypted and is only allowed for localhost, not `mail.example.com`; use `tls` or `starttls`"
    );
    let error = parse_smtp_url("smtp://10.0.0.8:25", TIMEOUT).unwrap_err();
    assert!(matches!(error, SettingsError::PlainTextNotLocal { .. }));
}

#[test]
fn bad_urls_are_explained_and_passwords_never_echoed() {
    let error = parse_smtp_url("smtp://me:hunter2-canary@mail.example.com?tls=required", TIMEOUT).unwrap_err();
    assert_eq!(error, SettingsError::PasswordInUrl);
    assert!(!error.to_string().contains("hunter2-canary"));

    let error = parse_smtp_url("smtp://mail.example.com?tls=opportunistic", TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("`tls=opportunistic` is not supported"), "{error}");
    let error = parse_smtp_url("http://mail.example.com", TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("unknown scheme `http`"), "{error}");
    let error = parse_smtp_url("not a url", TIMEOUT).unwrap_err();
    assert!(error.to_string().starts_with("invalid SMTP URL `not a url`"), "{error}");
}

fn profile(name: &str) -> Profile {
    Profile {
        name: name.into(),
        host: "mail.example.com".into(),
        port: 587,
        security: Security::Starttls,
        username: Some("me@example.com".into()),
        sender: Some("Me <me@example.com>".into()),
        timeout_secs: 20,
        ca_file: Some(PathBuf::from("certs/private-ca.pem")),
        trust_fingerprint: None,
    }
}

#[test]
fn profiles_are_saved_without_passwords_and_read_back() {
    let data = tempfile::tempdir().unwrap();
    let store = ProfileStore::in_data_dir(data.path());
    assert!(store.list().unwrap().is_empty());
    store.save(&profile("work")).unwrap();
    let mut home = profile("home");
    home.security = Security::Tls;
    home.port = 465;
    home.ca_file = None;
    store.save(&home).unwrap();
    let mut work = profile("work");
    work.timeout_secs = 45;
    store.save(&work).unwrap();

    let names: Vec<_> = store.list().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["work", "home"], "saving again replaces in place");
    assert_eq!(store.get("work").unwrap(), work);
    assert_eq!(store.get("work").unwrap().settings().timeout, Duration::from_secs(45));

    let text = std::fs::read_to_string(data.path().join("profiles.toml")).unwrap();
    assert!(!text.to_lowercase().contains("password"), "{text}");

    store.remove("home").unwrap();
    assert!(matches!(store.get("home"), Err(ProfileError::NotFound(_))));
}

#[test]
fn a_password_written_into_the_profiles_file_is_rejected() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("profiles.toml"),
        "[[profile]]\nname = \"x\"\nhost = \"localhost\"\nport = 25\nsecurity = \"none\"\npassword = \"hunter2\"\n",
    )
    .unwrap();
    let error = ProfileStore::in_data_dir(data.path()).list().unwrap_err();
    assert!(matches!(error, ProfileError::Parse { .. }), "{error:?}");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("unknown field `password`"), "{source}");
}

#[test]
fn profiles_that_send_in_clear_text_over_a_network_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut open = profile("open");
    open.security = Security::None;
    let error = ProfileStore::in_data_dir(data.path()).save(&open).unwrap_err();
    assert_eq!(
        error.to_string(),
        "SMTP profile `open`: security `none` sends the password and message unencrypted and is only allowed for localhost, not `mail.example.com`; use `tls` or `starttls`"
    );
}

#[test]
fn secrets_never_print() {
    let canary = "canary-5f1c9e-never-print";
    let secret = Secret::new(canary);
    assert_eq!(format!("{secret}"), "****");
    assert_eq!(format!("{secret:?}"), "****");
    assert_eq!(secret.expose(), canary);

    let target =
        Target::Smtp(SmtpTarget { label: "work".into(), settings: profile("work").settings(), password: Some(secret) });
    let debug = format!("{target:?} {target:#?}");
    assert!(!debug.contains(canary), "{debug}");
    assert!(debug.contains("****"));
    assert_eq!(target.describe(), "profile `work` (smtp://me%40example.com@mail.example.com:587?tls=required)");
}

#[test]
fn a_password_in_a_malformed_url_is_never_echoed() {
    let cases = [
        "smtp://me:hunter2-secret@mail.example.com:99999",
        "smtps://me:hunter2-secret@mail example.com",
        "smtp://me:hunter2-secret@[::1:2525",
        "me:hunter2-secret@mail.example.com:587",
        "smtp://me:hunter2-secret@mail.example.com:587?tls=maybe",
        "smtp://me:hunter2/secret@mail.example.com:x",
    ];
    for url in cases {
        let error = parse_smtp_url(url, TIMEOUT).unwrap_err().to_string();
        assert!(!error.contains("hunter2"), "{url}: {error}");
        assert!(!error.contains("secret"), "{url}: {error}");
    }
    let error = parse_smtp_url("smtp://me:hunter2-secret@mail.example.com:99999", TIMEOUT).unwrap_err();
    assert_eq!(error.to_string(), "invalid SMTP URL `smtp://me:****@mail.example.com:99999`: invalid port number");
}
