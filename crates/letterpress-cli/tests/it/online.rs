//! `check --online` against a real HTTP server on the loopback interface (`http_server.py`).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::{Output, write};

/// How long the test server's `/slow` path sleeps; far longer than the timeouts used here.
const SLOW_SECONDS: &str = "30";

/// The test server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Server {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/http_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(SLOW_SECONDS)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the test HTTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("the server prints its port, not {line:?}"));
        Server { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// How many requests each path has had, `/count` aside.
    fn counts(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut response = ureq::get(self.url("/count")).call().expect("the test server answers");
        let mut body = String::new();
        response.body_mut().as_reader().read_to_string(&mut body).unwrap();
        serde_json::from_str(&body).unwrap()
    }

    fn count(&self, path: &str) -> u64 {
        self.counts().get(path).and_then(serde_json::Value::as_u64).unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `letterpress` in `dir` like `support::run_in`, without any proxy from the environment,
/// so requests to the loopback server go straight to it.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_letterpress"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1").stdin(Stdio::null());
    for name in ["http_proxy", "https_proxy", "all_proxy", "no_proxy"] {
        command.env_remove(name).env_remove(name.to_uppercase());
    }
    let output = command.output().expect("the letterpress binary starts");
    Output {
        code: output.status.code().expect("the binary exits rather than being killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A template named `name` whose message links to each of `hrefs`, with one data set.
fn template(root: &Path, name: &str, hrefs: &[&str], data: &str) {
    let links: String = hrefs.iter().map(|href| format!("<a href=\"{href}\">the offer page</a> ")).collect();
    write(
        root,
        &format!("{name}/template.mjml"),
        &format!(
            "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>T</mj-title></mj-head><mj-body><mj-section><mj-column>\
             <mj-text>{links}</mj-text></mj-column></mj-section></mj-body></mjml>"
        ),
    );
    write(root, &format!("{name}/subject.hbs"), "Hi");
    write(root, &format!("{name}/data/default.json"), data);
}

/// The `broken-link` lines of a run.
fn broken_lines(out: &Output) -> Vec<&str> {
    out.stderr.lines().filter(|line| line.contains("[broken-link]")).collect()
}

/// `file:line:column` of the link to `href` in the template `name`, written on its first line.
fn at(root: &Path, name: &str, href: &str) -> String {
    let file = format!("{name}/template.mjml");
    let text = std::fs::read_to_string(root.join(&file)).unwrap();
    let offset = text.find(&format!("<a href=\"{href}\"")).expect("the link is written");
    format!("{file}:1:{}", text[..offset].chars().count() + 1)
}

#[test]
fn online_check_reports_broken_and_unreachable_links_in_words() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let paths = ["/ok", "/missing", "/error", "/moved", "/no-head", "/slow", "/limited"];
    let mut hrefs: Vec<String> = paths.iter().map(|path| server.url(path)).collect();
    // The same page again, with entities and a fragment: still one URL.
    hrefs.push(server.url("/ok?a=1&amp;b=2#top"));
    hrefs.push(server.url("/ok?a=1&b=2"));
    // Filled with a data set whose value holds a placeholder of its own, left for production.
    hrefs.push("{{link}}".into());
    let hrefs: Vec<&str> = hrefs.iter().map(String::as_str).collect();
    let data = format!("{{\"link\": \"{}\"}}", server.url("/placeholder/{{id}}"));
    template(dir.path(), "a", &hrefs, &data);

    let out = run(dir.path(), &["check", "--online", "--online-timeout", "3"]);
    let url = |path: &str| server.url(path);
    let at = |path: &str| at(dir.path(), "a", &url(path));
    assert_eq!(
        broken_lines(&out),
        [
            format!("{}: warning[broken-link]: `{}` answered 404 Not Found", at("/missing"), url("/missing")),
            format!("{}: warning[broken-link]: `{}` answered 500 Internal Server Error", at("/error"), url("/error")),
            format!(
                "{}: warning[broken-link]: `{}` did not answer: timed out after 3 seconds",
                at("/slow"),
                url("/slow")
            ),
        ],
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("\nchecked 8 links online: 3 broken\n"), "{}", out.stderr);
    assert_eq!(out.code, 1, "broken links are warnings, which fail a check by default");

    let counts = server.counts();
    assert!(!counts.keys().any(|path| path.starts_with("/placeholder")), "{counts:?}");
    // HEAD alone where it is answered; GET after a refused HEAD; a redirect followed to its end.
    assert_eq!(server.count("/limited"), 1);
    assert_eq!(server.count("/no-head"), 2);
    assert_eq!(server.count("/missing"), 2);
    assert_eq!(server.count("/error"), 1);
    assert_eq!(server.count("/moved"), 1);
    assert_eq!(server.count("/ok"), 3, "`/ok`, `/ok?a=1&b=2` and the end of `/moved`");
}

#[test]
fn online_check_asks_each_link_once_for_the_whole_project_even_one_at_a_time() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let shared = server.url("/shared");
    let missing = server.url("/missing");
    let only_b = server.url("/only-b");
    template(dir.path(), "a", &[&shared, &missing], "{}");
    write(dir.path(), "a/data/es.json", "{}");
    template(dir.path(), "b", &[&missing, &shared, &only_b], "{}");

    let out = run(dir.path(), &["check", "--online", "--online-concurrency", "1", "--json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let broken: Vec<&serde_json::Value> = found.iter().filter(|d| d["code"] == "broken-link").collect();
    // Asked once, reported in each template that links to it, where it writes the link.
    assert_eq!(broken.len(), 2, "{found:?}");
    for (diagnostic, name) in broken.iter().zip(["a", "b"]) {
        assert_eq!(diagnostic["severity"], "warning");
        let place = at(dir.path(), name, &missing);
        let (file, column) = place.rsplit_once(":1:").unwrap();
        assert_eq!(diagnostic["file"], file);
        assert_eq!(diagnostic["start"], serde_json::json!({"line": 1, "column": column.parse::<u32>().unwrap()}));
        assert_eq!(diagnostic["message"], format!("`{missing}` answered 404 Not Found"));
    }
    assert!(out.stderr.contains("checked 3 links online: 1 broken\n"), "{}", out.stderr);
    assert_eq!(server.count("/shared"), 1, "three messages link to it");
    assert_eq!(server.count("/only-b"), 1);
    assert_eq!(server.count("/missing"), 2, "HEAD, then GET");
}

#[test]
fn without_online_no_request_is_made() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    template(dir.path(), "a", &[&server.url("/ok"), &server.url("/missing")], "{}");
    let out = run(dir.path(), &["check"]);
    assert!(!out.stderr.contains("broken-link") && !out.stderr.contains("online"), "{}", out.stderr);
    assert!(server.counts().is_empty(), "{:?}", server.counts());
}

#[test]
fn a_closed_port_is_reported_as_refused() {
    // A port that was free a moment ago: nothing listens on it once the listener is dropped.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/page");
    template(dir.path(), "a", &[&url], "{}");
    let out = run(dir.path(), &["check", "--online", "--allow-warnings"]);
    assert_eq!(out.code, 0, "--allow-warnings lets broken links pass: {}", out.stderr);
    assert_eq!(
        broken_lines(&out),
        [format!("{}: warning[broken-link]: `{url}` did not answer: connection refused", at(dir.path(), "a", &url))],
        "{}",
        out.stderr
    );
}

#[test]
fn online_flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    template(dir.path(), "a", &[], "{}");
    for args in [["--online-concurrency", "0"], ["--online-timeout", "0"], ["--online-timeout", "soon"]] {
        let out = run(dir.path(), &["check", "--online", args[0], args[1]]);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    }
    let out = run(dir.path(), &["check", "--online", "--online-timeout", "0.5"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("checked 0 links online: 0 broken\n"), "{}", out.stderr);
    assert!(!out.stderr.contains("warning["), "{}", out.stderr);
}
