//! Passwords in a real Secret Service (GNOME Keyring on a private D-Bus), and the clear error
//! when no keyring exists.
//!
//! The keyring crate picks its store once per process, so each case runs this test binary
//! again as a child process with the D-Bus address it should see.
use std::process::Command;
use std::time::Duration;

use letterpress_mail::{
    KeyringError, PASSWORD_ENV, PasswordError, Secret, Security, SmtpSettings, delete_password, load_password,
    resolve_password, store_password,
};

use crate::support::smtp_server::SecretService;

const CHILD_ENV: &str = "LETTERPRESS_TEST_KEYRING_CHILD";
const CANARY: &str = "canary-keyring-3b7d1e";

fn account() -> SmtpSettings {
    SmtpSettings {
        host: "mail.example.test".into(),
        port: 587,
        security: Security::Starttls,
        username: Some("keyring-user@example.test".into()),
        timeout: Duration::from_secs(5),
        ca_file: None,
        trust_fingerprint: None,
    }
}

/// Runs one test of this binary in a child process with the given environment.
fn run_child(test: &str, env: &[(&str, &std::ffi::OsStr)]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([test, "--exact", "--nocapture", "--test-threads=1"]).env(CHILD_ENV, "1").env_remove(PASSWORD_ENV);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(!stdout.contains(CANARY) && !stderr.contains(CANARY));
    stdout
}

#[test]
fn passwords_round_trip_through_a_real_secret_service() {
    if std::env::var_os(CHILD_ENV).is_some() {
        let settings = account();
        assert_eq!(load_password(&settings).unwrap(), None);
        store_password(&settings, &Secret::new(CANARY)).unwrap();
        assert_eq!(load_password(&settings).unwrap(), Some(Secret::new(CANARY)));
        let resolved = resolve_password(&settings).unwrap().unwrap();
        assert_eq!(resolved.expose(), CANARY);
        delete_password(&settings).unwrap();
        assert_eq!(load_password(&settings).unwrap(), None);
        delete_password(&settings).unwrap();
        println!("keyring round trip done");
        return;
    }
    let service = SecretService::start();
    let stdout = run_child(
        "keyring::passwords_round_trip_through_a_real_secret_service",
        &[("DBUS_SESSION_BUS_ADDRESS", service.address.as_ref())],
    );
    assert!(stdout.contains("keyring round trip done"), "{stdout}");
}

#[test]
fn without_a_keyring_the_error_says_so_and_nothing_is_written() {
    if std::env::var_os(CHILD_ENV).is_some() {
        let settings = account();
        let error = store_password(&settings, &Secret::new(CANARY)).unwrap_err();
        assert!(matches!(error, KeyringError::Unavailable { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.starts_with("no system keyring is available (the Secret Service could not be reached: "),
            "{message}"
        );
        assert!(matches!(load_password(&settings), Err(KeyringError::Unavailable { .. })));
        let missing = resolve_password(&settings).unwrap_err();
        assert!(matches!(missing, PasswordError::Keyring { .. }), "{missing:?}");
        println!("{missing}");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let no_bus = format!("unix:path={}", home.path().join("no-bus").display());
    let stdout = run_child(
        "keyring::without_a_keyring_the_error_says_so_and_nothing_is_written",
        &[
            ("DBUS_SESSION_BUS_ADDRESS", no_bus.as_ref()),
            ("HOME", home.path().as_os_str()),
            ("XDG_DATA_HOME", home.path().as_os_str()),
            ("XDG_RUNTIME_DIR", home.path().as_os_str()),
        ],
    );
    assert!(
        stdout.contains(
            "no password for `keyring-user@example.test@mail.example.test:587`: `LETTERPRESS_SMTP_PASSWORD` is not set and no system keyring is available (the Secret Service could not be reached: "
        ),
        "{stdout}"
    );
    // The password went nowhere: the child's home is as empty as it started.
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0);
}
