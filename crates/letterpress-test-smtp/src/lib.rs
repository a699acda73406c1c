//! Starts `tests/smtp/server.py`, a real SMTP server, on a free loopback port for one test.
//!
//! A crate of its own so that the integration tests of several crates share it as a
//! dev-dependency; no library of the product depends on it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

/// The one user the test server accepts.
pub const USER: &str = "tester";
pub const PASSWORD: &str = "letterpress-test-password";

/// How long the server may take to generate its certificates and start listening. Generous,
/// because two CPU cores are shared with compilers; a healthy start takes well under a second.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The repository root, found from the crate that includes this file.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("tests/smtp/server.py").is_file())
        .expect("the repository holds tests/smtp/server.py")
        .to_owned()
}

/// Installs the server's requirements once per test process when they are missing.
pub fn ensure_requirements() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let ready = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
            && ["openssl", "dbus-daemon", "dbus-send", "gnome-keyring-daemon"].iter().all(|program| on_path(program));
        if !ready {
            let status = Command::new("bash")
                .arg(repo_root().join("tests/smtp/ensure.sh"))
                .status()
                .expect("run tests/smtp/ensure.sh");
            assert!(status.success(), "tests/smtp/ensure.sh failed: {status}");
        }
    });
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// A running test server; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    /// The CA certificate that signed the server's certificate.
    pub ca: PathBuf,
    dir: tempfile::TempDir,
}

/// A message as the server received it.
#[derive(Debug)]
pub struct Received {
    pub raw: Vec<u8>,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
}

impl SmtpServer {
    /// Starts the server with the given mode flags (see `server.py --help`) and waits until it
    /// listens.
    pub fn start(flags: &[&str]) -> SmtpServer {
        ensure_requirements();
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut child = Command::new("python3")
            .arg(repo_root().join("tests/smtp/server.py"))
            .arg("--dir")
            .arg(dir.path())
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tests/smtp/server.py");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) if line.starts_with("READY ") => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the SMTP test server did not start: {other:?}");
            }
        };
        let field = |key: &str| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix(key))
                .unwrap_or_else(|| panic!("no `{key}` in {line:?}"))
                .to_owned()
        };
        SmtpServer { port: field("port=").parse().expect("port number"), ca: PathBuf::from(field("ca=")), child, dir }
    }

    /// The messages received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mail = self.dir.path().join("mail");
        let mut numbers: Vec<u32> = std::fs::read_dir(&mail)
            .map(|entries| {
                entries.filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".eml")?.parse().ok()).collect()
            })
            .unwrap_or_default();
        numbers.sort();
        numbers
            .into_iter()
            .map(|n| {
                let raw = std::fs::read(mail.join(format!("{n}.eml"))).expect("message file");
                let envelope = std::fs::read_to_string(mail.join(format!("{n}.envelope"))).expect("envelope file");
                let mut lines = envelope.lines().map(str::to_owned);
                Received { raw, mail_from: lines.next().unwrap_or_default(), rcpt_to: lines.collect() }
            })
            .collect()
    }

    /// The server's journal, one line per step (`EHLO`, `AUTH`, `MAIL`, `RCPT`, `DATA`, …).
    pub fn events(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("events.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port with nothing listening on it: bound once by the OS, then released.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// A private D-Bus session with a real, unlocked GNOME Keyring as its Secret Service.
/// Everything it stores lives in its own temporary home; both daemons stop when dropped.
pub struct SecretService {
    bus: Child,
    keyring: Child,
    /// The value for `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
    pub home: tempfile::TempDir,
}

impl SecretService {
    pub fn start() -> SecretService {
        ensure_requirements();
        let home = tempfile::tempdir().expect("temporary home");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start dbus-daemon");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("piped stdout")).read_line(&mut address).expect("read the bus address");
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");

        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets", "--unlock"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        {
            // `--unlock` reads the login keyring's password from standard input until it closes.
            use std::io::Write;
            let mut stdin = keyring.stdin.take().expect("piped stdin");
            stdin.write_all(b"test-keyring-password").expect("write the unlock password");
        }
        let service = SecretService { bus, keyring, address, home };
        service.wait_for_name("org.freedesktop.secrets");
        service
    }

    fn wait_for_name(&self, name: &str) {
        for _ in 0..600 {
            let output = Command::new("dbus-send")
                .args([
                    "--session",
                    "--dest=org.freedesktop.DBus",
                    "--print-reply",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    &format!("string:{name}"),
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("run dbus-send");
            if String::from_utf8_lossy(&output.stdout).contains("boolean true") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("`{name}` did not appear on the test session bus");
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
