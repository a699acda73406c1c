//! `send` and `history` on the real binary: the outbox, a real SMTP server, failures recorded
//! with the server's reply, a password that never leaks, and `kill -9` in the middle of a send.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use letterpress_history::{FailureKind, History, Query, Status};

use letterpress_test_smtp as smtp_server;

use smtp_server::{PASSWORD, SmtpServer, USER, closed_port};

use crate::support::write;

/// A canary password: it must never show up in output, files or the database.
const CANARY: &str = "canary-pw-9d2e7f41";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A project with one template that shows a local image, and a data folder of its own.
struct Setup {
    _dir: tempfile::TempDir,
    project: PathBuf,
    data: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let data = dir.path().join("data");
    write(
        &project,
        "letterpress.toml",
        "[mail]\nfrom = \"Shop <shop@example.test>\"\nreply_to = \"help@example.test\"\n\n[mail.headers]\nList-Unsubscribe = \"<https://example.test/u/1>\"\n",
    );
    write(
        &project,
        "receipt/template.mjml",
        r#"<mjml><mj-body><mj-section><mj-column>
  <mj-image src="../assets/logo.png" alt="Shop" />
  <mj-text>Thanks, {{name}}. Total: {{total}}</mj-text>
</mj-column></mj-section></mj-body></mjml>"#,
    );
    write(&project, "receipt/subject.hbs", "Receipt for {{name}}\n");
    write(&project, "receipt/data/default.json", r#"{ "name": "Ada", "total": "12.00 EUR" }"#);
    write(&project, "receipt/data/es.json", r#"{ "name": "Inés", "total": "12,00 EUR" }"#);
    std::fs::create_dir_all(project.join("assets")).unwrap();
    std::fs::write(project.join("assets/logo.png"), b"\x89PNG\r\n\x1a\nshop logo").unwrap();
    Setup { _dir: dir, project, data }
}

impl Setup {
    fn command(&self, args: &[&str], password: Option<&str>) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_letterpress"));
        command
            .args(args)
            .env("NO_COLOR", "1")
            .env("LETTERPRESS_DATA_DIR", &self.data)
            .env_remove("LETTERPRESS_SMTP_PASSWORD")
            // Never reach a real keyring from tests: this bus does not exist.
            .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", self.data.join("no-bus").display()))
            .stdin(Stdio::null());
        if let Some(password) = password {
            command.env("LETTERPRESS_SMTP_PASSWORD", password);
        }
        command
    }

    fn run(&self, args: &[&str], password: Option<&str>) -> Run {
        let output = self.command(args, password).output().expect("the letterpress binary runs");
        Run {
            code: output.status.code().expect("an exit code"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn send(&self, extra: &[&str], password: Option<&str>) -> Run {
        let project = self.project.to_str().unwrap();
        let mut args = vec!["send", "receipt", "--project", project];
        args.extend_from_slice(extra);
        self.run(&args, password)
    }

    fn history(&self) -> History {
        History::open_in(&self.data).unwrap()
    }
}

fn url(server: &SmtpServer) -> String {
    format!("smtp://{USER}@127.0.0.1:{}?tls=required", server.port)
}

#[test]
fn send_goes_to_the_outbox_by_default_and_is_recorded() {
    let setup = setup();
    let run = setup.send(&["--to", "ada@example.test", "--to", "bob@example.test"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("sent receipt/default to ada@example.test, bob@example.test via outbox"),
        "{}",
        run.stdout
    );

    let files: Vec<_> = std::fs::read_dir(setup.data.join("outbox")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let raw = std::fs::read(&files[0]).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(parsed.subject(), Some("Receipt for Ada"));
    assert_eq!(parsed.from().unwrap().first().unwrap().address(), Some("shop@example.test"));
    assert_eq!(parsed.header_raw("List-Unsubscribe").map(str::trim), Some("<https://example.test/u/1>"));
    let html = parsed.body_html(0).unwrap().into_owned();
    assert!(html.contains("Thanks, Ada. Total: 12.00 EUR"), "{html}");
    assert!(html.contains("src=\"cid:"), "the local image is embedded: {html}");
    assert!(!html.contains("../assets/logo.png"));
    assert!(
        parsed.parts.iter().any(|part| {
            use mail_parser::MimeHeaders;
            part.content_id().is_some() && part.contents() == b"\x89PNG\r\n\x1a\nshop logo"
        }),
        "the image is an inline part"
    );

    let history = setup.history();
    let sends = history.list(&Query::default()).unwrap();
    assert_eq!(sends.len(), 1);
    let record = history.get(sends[0].id).unwrap();
    assert_eq!(record.summary.status, Status::Sent);
    assert_eq!(record.summary.target, letterpress_history::SendTarget::Outbox);
    assert_eq!(record.summary.template, "receipt");
    assert_eq!(record.summary.data_set.as_deref(), Some("default"));
    assert_eq!(record.summary.recipients, ["ada@example.test", "bob@example.test"]);
    assert_eq!(record.summary.subject, "Receipt for Ada");
    assert_eq!(record.raw, raw, "the history keeps the exact message");
    assert_eq!(record.data, Some(serde_json::json!({ "name": "Ada", "total": "12.00 EUR" })));
}

#[test]
fn send_all_data_sets_over_smtp_and_show_them_in_the_history() {
    let setup = setup();
    let server = SmtpServer::start(&[]);
    let url = url(&server);
    let ca = server.ca.to_str().unwrap();
    let run =
        setup.send(&["--to", "ada@example.test", "--all-data", "--smtp-url", &url, "--smtp-ca", ca], Some(PASSWORD));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("250 2.0.0 Ok: queued as LP0001"), "{}", run.stdout);

    let received = server.received();
    assert_eq!(received.len(), 2);
    let history = setup.history();
    let mut sends = history.list(&Query::default()).unwrap();
    sends.reverse();
    for (send, got) in sends.iter().zip(&received) {
        assert_eq!(send.status, Status::Sent);
        assert_eq!(send.reply.as_ref().unwrap().code, 250);
        assert_eq!(
            send.target,
            letterpress_history::SendTarget::Url {
                url: format!("smtp://{USER}@127.0.0.1:{}?tls=required", server.port)
            }
        );
        assert_eq!(history.get(send.id).unwrap().raw, got.raw, "recorded bytes are the bytes received");
    }
    assert_eq!(sends[1].subject, "Receipt for Inés");

    let json = setup.run(&["history", "--json", "--template", "receipt", "--search", "Inés"], None);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let list = value.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["dataSet"], "es");
    assert_eq!(list[0]["reply"]["code"], 250);
    assert_eq!(list[0]["status"], "sent");
    let url = format!("smtp://{USER}@127.0.0.1:{}?tls=required", server.port);
    assert_eq!(list[0]["target"], serde_json::json!({ "kind": "url", "url": url }), "the target is data");

    let table = setup.run(&["history", "--limit", "1"], None);
    assert_eq!(table.stdout.lines().count(), 1);
    assert!(table.stdout.contains("sent         receipt/es  to ada@example.test"), "{}", table.stdout);
    assert!(table.stdout.contains(&format!("via {url}")), "{}", table.stdout);
}

#[test]
fn a_wrong_password_is_recorded_as_535_and_the_password_never_leaks() {
    let setup = setup();
    let server = SmtpServer::start(&[]);
    write(
        &setup.data,
        "profiles.toml",
        &format!(
            "[[profile]]\nname = \"test\"\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"starttls\"\nusername = \"{USER}\"\nsender = \"Tests <tests@example.test>\"\nca_file = \"{}\"\n",
            server.port,
            server.ca.display()
        ),
    );
    let run = setup.send(&["--to", "ada@example.test", "--profile", "test"], Some(CANARY));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("replied 535 5.7.8 Authentication credentials invalid"), "{}", run.stderr);
    assert!(run.stderr.contains("(permanent)"), "{}", run.stderr);
    assert!(server.received().is_empty());

    let history = setup.history();
    let send = &history.list(&Query::default()).unwrap()[0];
    assert_eq!(send.status, Status::Failed);
    assert_eq!(send.failure, Some(FailureKind::Permanent));
    assert_eq!(send.reply.as_ref().unwrap().code, 535);
    assert_eq!(
        send.target,
        letterpress_history::SendTarget::Profile {
            name: "test".into(),
            url: format!("smtp://{USER}@127.0.0.1:{}?tls=required", server.port)
        }
    );
    drop(history);

    // Another send to the outbox and a history listing, so every kind of file exists.
    let outbox = setup.send(&["--to", "ada@example.test"], Some(CANARY));
    assert_eq!(outbox.code, 0, "{}", outbox.stderr);
    let listing = setup.run(&["history", "--json"], Some(CANARY));
    for output in [&run.stdout, &run.stderr, &outbox.stdout, &outbox.stderr, &listing.stdout, &listing.stderr] {
        assert!(!output.contains(CANARY), "the password was printed: {output}");
    }
    let leaks = files_containing(&setup.data, CANARY.as_bytes());
    assert!(leaks.is_empty(), "the password was written to {leaks:?}");
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    let mut seen_files = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                seen_files += 1;
                let bytes = std::fs::read(&path).unwrap();
                if bytes.windows(needle.len()).any(|window| window == needle) {
                    found.push(path);
                }
            }
        }
    }
    assert!(seen_files >= 3, "the database, the profiles and an outbox message were searched");
    found
}

#[test]
fn a_refused_recipient_fails_with_the_reply_on_stderr() {
    let setup = setup();
    let server = SmtpServer::start(&["--reject-rcpt", "nobody@example.test"]);
    let run = setup.send(
        &[
            "--to",
            "ada@example.test,nobody@example.test",
            "--smtp-url",
            &url(&server),
            "--smtp-ca",
            server.ca.to_str().unwrap(),
        ],
        Some(PASSWORD),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("550 5.1.1 <nobody@example.test>: Recipient address rejected"), "{}", run.stderr);
    let send = &setup.history().list(&Query::default()).unwrap()[0];
    assert_eq!((send.status, send.reply.as_ref().map(|r| r.code)), (Status::Failed, Some(550)));
    // The listing carries the cause as a code and in the words the send's report used.
    let json = setup.run(&["history", "--json"], None);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value[0]["failureCode"], "rejected");
    assert_eq!(value[0]["failureHeadline"], "The server refused the message (550)");
}

#[test]
fn an_unreachable_server_is_a_transient_failure() {
    let setup = setup();
    let url = format!("smtp://127.0.0.1:{}", closed_port());
    let run = setup.send(&["--to", "ada@example.test", "--smtp-url", &url], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("(transient, worth retrying)"), "{}", run.stderr);
    let send = &setup.history().list(&Query::default()).unwrap()[0];
    assert_eq!((send.status, send.failure, send.reply.clone()), (Status::Failed, Some(FailureKind::Transient), None));
}

#[test]
fn a_profile_without_a_password_and_without_a_keyring_says_so() {
    let setup = setup();
    write(
        &setup.data,
        "profiles.toml",
        "[[profile]]\nname = \"work\"\nhost = \"mail.example.test\"\nport = 587\nsecurity = \"starttls\"\nusername = \"me\"\n",
    );
    let run = setup.send(&["--to", "ada@example.test", "--profile", "work"], None);
    assert_eq!(run.code, 2, "a missing password is a usage error: {}", run.stderr);
    assert!(
        run.stderr.contains(
            "no password for `me@mail.example.test:587`: `LETTERPRESS_SMTP_PASSWORD` is not set and no system keyring is available (the Secret Service could not be reached: "
        ),
        "{}",
        run.stderr
    );
    assert!(setup.history().list(&Query::default()).unwrap().is_empty(), "nothing was attempted");
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let setup = setup();
    let cases: &[(&[&str], &str)] = &[
        (&["--to", "a@example.test", "--profile", "nope"], "no SMTP profile named `nope`"),
        (&["--to", "a@example.test", "--smtp-url", "smtp://mail.example.com:25"], "only allowed for localhost"),
        (&["--to", "a@example.test", "--smtp-url", "smtps://me:secret@mail.example.com"], "must not hold a password"),
        (&["--to", "a@example.test", "--smtp-ca", "ca.pem"], "--smtp-url"),
        (&["--to", "a@example.test", "--data", "missing"], "missing"),
        (&["--to", "a@example.test", "--timeout", "0"], "--timeout"),
        (&["--to", "a@example.test", "--data", "es", "--all-data"], "cannot be used with"),
        (&[], "--to"),
        (&["--to", "not an address"], "invalid To address `not an address`: expected `name@example.com`"),
        (&["--to", "a@example.test", "--from", "shop@@example"], "invalid From address `shop@@example`"),
        (&["--to", "a@example.test", "--smtp-url", "smtp://me:secret@mail.example.com:99999"], "invalid port"),
    ];
    for (args, expected) in cases {
        let run = setup.send(args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("secret@"), "{}", run.stderr);
    }
    let run = setup.run(&["history", "--status", "delivered"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown status `delivered`"), "{}", run.stderr);
    assert!(!setup.data.join("outbox").exists());
}

/// `kill -9` of `letterpress send` at many moments, most of them while it waits on a server that
/// never answers: the database stays intact and no send stays `pending` once it is opened again.
#[test]
fn killing_send_mid_exchange_leaves_a_sound_history() {
    const RUNS: usize = 20;
    let setup = setup();
    let server = SmtpServer::start(&["--silent"]);
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let project = setup.project.to_str().unwrap().to_owned();
    let args =
        ["send", "receipt", "--project", &project, "--to", "ada@example.test", "--smtp-url", &url, "--timeout", "120"];
    let rows = |setup: &Setup| -> i64 {
        let path = setup.data.join("history.sqlite3");
        if !path.exists() {
            return 0;
        }
        let conn = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        conn.query_row("SELECT count(*) FROM sends", [], |row| row.get(0)).unwrap_or(0)
    };

    let mut mid_send = 0;
    for run in 0..RUNS {
        let before = rows(&setup);
        let mut child = setup
            .command(&args, None)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("letterpress send starts");
        if run % 4 == 3 {
            // Some kills land early, during start-up or while the database is written.
            std::thread::sleep(Duration::from_millis((run as u64 * 13) % 40));
        } else {
            // Most land once the pending row is committed and the process waits on the server.
            let deadline = Instant::now() + Duration::from_secs(60);
            while rows(&setup) == before {
                assert!(Instant::now() < deadline, "run {run}: no pending row appeared");
                assert!(child.try_wait().unwrap().is_none(), "run {run}: send ended on its own");
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(50));
            mid_send += 1;
        }
        child.kill().expect("SIGKILL"); // `kill -9` on Unix.
        child.wait().unwrap();
    }

    let path = setup.data.join("history.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);

    let history = setup.history();
    let all = history.list(&Query { limit: 1000, ..Query::default() }).unwrap();
    assert!(all.len() >= mid_send, "{} rows for {mid_send} kills mid-send", all.len());
    let pending: Vec<_> = all.iter().filter(|s| s.status == Status::Pending).collect();
    assert!(pending.is_empty(), "still pending: {pending:?}");
    assert!(all.iter().all(|s| s.status == Status::Interrupted), "{all:?}");
    assert!(server.received().is_empty());
}

#[test]
fn profiles_are_saved_tested_used_and_removed_from_the_cli() {
    let setup = setup();
    let server = SmtpServer::start(&[]);
    let url = format!("smtp://{USER}@127.0.0.1:{}?tls=required", server.port);
    let ca = server.ca.display().to_string();
    let add = setup
        .run(&["profile", "add", "local", "--url", &url, "--ca", &ca, "--sender", "Tests <tests@example.test>"], None);
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert_eq!(add.stderr, format!("saved SMTP profile `local` ({url})\n"));

    let list = setup.run(&["profile", "list"], None);
    assert_eq!(list.stdout, format!("local  {url}  Tests <tests@example.test>\n"));
    let stored = std::fs::read_to_string(setup.data.join("profiles.toml")).unwrap();
    assert!(!stored.contains(PASSWORD));

    let test = setup.run(&["profile", "test", "local"], Some(PASSWORD));
    assert_eq!(test.code, 0, "{}", test.stderr);
    assert!(test.stdout.contains(": encrypted, logged in"), "{}", test.stdout);
    let wrong = setup.run(&["profile", "test", "local"], Some(CANARY));
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("535"), "{}", wrong.stderr);
    assert!(!wrong.stderr.contains(CANARY));

    let send = setup.send(&["--to", "ada@example.test", "--profile", "local"], Some(PASSWORD));
    assert_eq!(send.code, 0, "{}", send.stderr);
    assert_eq!(server.received().len(), 1);
    assert!(String::from_utf8_lossy(&server.received()[0].raw).contains("From: Tests <tests@example.test>"));

    let remove = setup.run(&["profile", "remove", "local"], None);
    assert_eq!(remove.code, 0, "{}", remove.stderr);
    assert_eq!(setup.run(&["profile", "list"], None).stdout, "");
    assert_eq!(setup.run(&["profile", "test", "local"], None).code, 2);
}

#[test]
fn a_profile_password_is_never_kept_when_no_keyring_is_available() {
    let setup = setup();
    let mut command = setup.command(
        &["profile", "add", "remote", "--url", "smtps://user@mail.example.test:465", "--password-stdin"],
        None,
    );
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(format!("{CANARY}\n").as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no system keyring is available"), "{stderr}");
    assert!(!stderr.contains(CANARY));
    assert!(!setup.data.join("profiles.toml").exists(), "the profile is not saved without its password");
    let url_with_password = setup.run(&["profile", "add", "x", "--url", "smtp://user:secret@localhost:25"], None);
    assert_eq!(url_with_password.code, 2, "{}", url_with_password.stderr);
}

/// A history row count by status, read straight from the database file.
fn statuses(setup: &Setup) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(setup.data.join("history.sqlite3")).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let mut statement = conn.prepare("SELECT status, count(*) FROM sends GROUP BY status ORDER BY status").unwrap();
    statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Concurrent sends on one fresh data folder while `history --json` runs in a loop: every send
/// succeeds and is recorded `sent` exactly once, and no open of the history misfiles a live
/// send as `interrupted` or fails with `database is locked`.
#[test]
fn concurrent_sends_and_readers_on_one_data_folder() {
    const SENDS: usize = 30;
    let setup = setup();
    let project = setup.project.to_str().unwrap().to_owned();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            let mut command = setup.command(&["history", "--json", "--limit", "5"], None);
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            std::thread::spawn(move || {
                let mut runs = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let output = command.output().unwrap();
                    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
                    runs += 1;
                }
                runs
            })
        })
        .collect();
    let children: Vec<_> = (0..SENDS)
        .map(|n| {
            let to = format!("reader-{n}@example.test");
            setup
                .command(&["send", "receipt", "--project", &project, "--to", &to], None)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for reader in readers {
        assert!(reader.join().unwrap() > 0);
    }
    assert_eq!(statuses(&setup), [("sent".to_owned(), SENDS as i64)]);
    let all = setup.history().list(&Query { limit: 1000, ..Query::default() }).unwrap();
    let mut recipients: Vec<_> = all.iter().map(|send| send.recipients[0].clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), SENDS, "one row per send");
    assert_eq!(std::fs::read_dir(setup.data.join("outbox")).unwrap().count(), SENDS);
}

#[test]
fn concurrent_smtp_sends_are_each_delivered_and_recorded_sent() {
    const SENDS: usize = 10;
    let setup = setup();
    let server = SmtpServer::start(&[]);
    let url = url(&server);
    let ca = server.ca.to_str().unwrap().to_owned();
    let project = setup.project.to_str().unwrap().to_owned();
    let children: Vec<_> = (0..SENDS)
        .map(|n| {
            let to = format!("smtp-{n}@example.test");
            let args = ["send", "receipt", "--project", &project, "--to", &to, "--smtp-url", &url, "--smtp-ca", &ca];
            setup.command(&args, Some(PASSWORD)).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert_eq!(server.received().len(), SENDS);
    assert_eq!(statuses(&setup), [("sent".to_owned(), SENDS as i64)]);
}

#[cfg(unix)]
#[test]
fn the_history_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let setup = setup();
    let run = setup.send(&["--to", "ada@example.test"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mode = std::fs::metadata(setup.data.join("history.sqlite3")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// A thousand recipients and a 3,000-character subject reach a real server, folded.
#[test]
fn a_thousand_recipients_and_a_long_subject_are_delivered_folded() {
    let setup = setup();
    let subject = "A very long subject line for folding ".repeat(82).trim_end().to_owned();
    assert!(subject.len() >= 3000);
    write(&setup.project, "receipt/subject.hbs", &format!("{subject}\n"));
    let server = SmtpServer::start(&[]);
    let recipients: Vec<String> = (0..1000).map(|n| format!("r{n}@example.com")).collect();
    let to = recipients.join(",");
    let ca = server.ca.to_str().unwrap();
    let run = setup.send(&["--to", &to, "--smtp-url", &url(&server), "--smtp-ca", ca], Some(PASSWORD));
    assert_eq!(run.code, 0, "{}", run.stderr);

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_to, recipients);
    let raw = &received[0].raw;
    let text = String::from_utf8_lossy(raw);
    assert!(text.split("\r\n").all(|line| line.len() <= 998), "no line over 998 characters");
    let head = text.split("\r\n\r\n").next().unwrap();
    assert!(head.split("\r\n").all(|line| line.len() <= 78), "header lines are folded");
    let parsed = mail_parser::MessageParser::default().parse(raw).unwrap();
    let got: Vec<_> = parsed.to().unwrap().iter().map(|a| a.address().unwrap().to_owned()).collect();
    assert_eq!(got, recipients);
    assert_eq!(parsed.subject(), Some(subject.as_str()));
}

/// Every TLS mistake is explained with what to do, and no type name reaches the user.
#[test]
fn tls_mistakes_are_explained_with_the_remedy() {
    let setup = setup();
    let server = SmtpServer::start(&[]);
    let port = server.port;
    let smtps = setup
        .send(&["--to", "ada@example.test", "--smtp-url", &format!("smtps://{USER}@127.0.0.1:{port}")], Some(PASSWORD));
    assert_eq!(smtps.code, 1);
    assert!(
        smtps.stderr.contains(&format!(
            "does not speak TLS on connect; it probably wants STARTTLS: use `smtp://{USER}@127.0.0.1:{port}?tls=required`"
        )),
        "{}",
        smtps.stderr
    );
    let plain = setup
        .send(&["--to", "ada@example.test", "--smtp-url", &format!("smtp://{USER}@127.0.0.1:{port}")], Some(PASSWORD));
    assert_eq!(plain.code, 1);
    assert!(plain.stderr.contains("offers no login on an unencrypted connection"), "{}", plain.stderr);

    let not_pem = write(&setup.data, "ca.der", "\u{30}\u{82} binary, not PEM");
    let bad_ca = setup.send(
        &["--to", "ada@example.test", "--smtp-url", &url(&server), "--smtp-ca", not_pem.to_str().unwrap()],
        Some(PASSWORD),
    );
    assert_eq!(bad_ca.code, 2, "{}", bad_ca.stderr);
    assert!(
        bad_ca.stderr.contains("holds no PEM certificate") && bad_ca.stderr.contains("ca.der"),
        "{}",
        bad_ca.stderr
    );

    for run in [&smtps, &plain, &bad_ca] {
        assert!(!run.stderr.contains("Other(") && !run.stderr.contains("InvalidContentType"), "{}", run.stderr);
    }
}

/// The usual self-signed certificate (`CA:TRUE`): refused with its fingerprint, accepted once
/// that fingerprint is trusted on the command line or in a profile, refused for another one.
#[test]
fn a_self_signed_certificate_is_trusted_by_its_fingerprint() {
    let setup = setup();
    let server = SmtpServer::start(&["--self-signed"]);
    let url = format!("smtp://{USER}@localhost:{}?tls=required", server.port);
    let output = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(&server.ca)
        .output()
        .unwrap();
    let fingerprint =
        format!("SHA256:{}", String::from_utf8(output.stdout).unwrap().trim().rsplit('=').next().unwrap());

    let refused = setup.send(&["--to", "ada@example.test", "--smtp-url", &url], Some(PASSWORD));
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("is not trusted"), "{}", refused.stderr);
    assert!(refused.stderr.contains(&format!("--smtp-trust-fingerprint {fingerprint}")), "{}", refused.stderr);
    assert!(refused.stderr.contains("`CN=localhost`"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("CaUsedAsEndEntity"), "{}", refused.stderr);

    let pinned = setup.send(
        &["--to", "ada@example.test", "--smtp-url", &url, "--smtp-trust-fingerprint", &fingerprint],
        Some(PASSWORD),
    );
    assert_eq!(pinned.code, 0, "{}", pinned.stderr);
    let as_ca = setup.send(
        &["--to", "ada@example.test", "--smtp-url", &url, "--smtp-ca", server.ca.to_str().unwrap()],
        Some(PASSWORD),
    );
    assert_eq!(as_ca.code, 0, "{}", as_ca.stderr);

    let add =
        setup.run(&["profile", "add", "self", "--url", &url, "--trust-fingerprint", &fingerprint.to_lowercase()], None);
    assert_eq!(add.code, 0, "{}", add.stderr);
    let via_profile = setup.send(&["--to", "ada@example.test", "--profile", "self"], Some(PASSWORD));
    assert_eq!(via_profile.code, 0, "{}", via_profile.stderr);
    assert_eq!(server.received().len(), 3);

    let other = SmtpServer::start(&["--self-signed"]);
    let other_url = format!("smtp://{USER}@localhost:{}?tls=required", other.port);
    let wrong = setup.send(
        &["--to", "ada@example.test", "--smtp-url", &other_url, "--smtp-trust-fingerprint", &fingerprint],
        Some(PASSWORD),
    );
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("is not trusted"), "{}", wrong.stderr);
    assert!(other.received().is_empty());

    let bad =
        setup.send(&["--to", "ada@example.test", "--smtp-url", &url, "--smtp-trust-fingerprint", "SHA256:12"], None);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}
