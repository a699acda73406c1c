//! `check --online`: whether the http(s) links of the rendered messages answer.
//!
//! Each URL is asked with `HEAD`, then with `GET` when the server refuses `HEAD` (many answer it
//! with 405, 501 or another 4xx), on a few worker threads that share one queue and one agent.
//! Nothing here runs unless `--online` is given.

use std::fmt;
use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How many redirects a link may go through before it counts as broken.
pub const MAX_REDIRECTS: u32 = 5;

/// The `User-Agent` sent with every request, so site owners can tell what asked.
pub const USER_AGENT: &str = "letterpress-check";

/// How to probe links.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many requests may be in flight at once; 0 counts as 1.
    pub concurrency: usize,
    /// The most one request may take, from name lookup to the answer, redirects included.
    pub timeout: Duration,
}

/// What asking for a URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with a success, a redirect that was followed to one, or 429 (it is
    /// there, but limits how often it is asked).
    Ok { status: u16 },
    /// The server answered with a 4xx or 5xx status.
    Broken { status: u16 },
    /// No answer: the name does not resolve, the connection is refused or times out, TLS fails.
    /// The reason is worded for a person.
    Unreachable { reason: String },
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok { .. })
    }
}

impl fmt::Display for Outcome {
    /// "answered 404 Not Found", "did not answer: connection refused".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok { status } | Outcome::Broken { status } => write!(f, "answered {}", status_text(*status)),
            Outcome::Unreachable { reason } => write!(f, "did not answer: {reason}"),
        }
    }
}

/// A status with its standard reason phrase when it has one: "404 Not Found".
fn status_text(status: u16) -> String {
    match ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The URL to request for an `href`: normalised (host in punycode, unsafe characters escaped)
/// and without its `#fragment`; `None` when it is not an absolute http(s) URL or still holds a
/// Handlebars placeholder (`{{`), which only production fills.
pub fn normalise(href: &str) -> Option<String> {
    if href.contains("{{") || href.to_ascii_lowercase().contains("%7b%7b") {
        return None;
    }
    let mut url = url::Url::parse(href.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url.into())
}

/// Asks for every URL, `options.concurrency` at a time, and gives each URL with its outcome in
/// the order of `urls`.
pub fn probe(urls: &[String], options: &Options) -> Vec<(String, Outcome)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .timeout_global(Some(options.timeout))
        .user_agent(USER_AGENT)
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    let workers = options.concurrency.clamp(1, urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(index) else { break };
                    let outcome = ask(&agent, url, options.timeout);
                    outcomes.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(outcome);
                }
            });
        }
    });
    let outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    urls.iter()
        .cloned()
        .zip(outcomes)
        .map(|(url, outcome)| {
            let outcome = outcome.unwrap_or_else(|| Outcome::Unreachable { reason: "it was not asked".into() });
            (url, outcome)
        })
        .collect()
}

/// One URL: `HEAD`, then `GET` if the server refuses `HEAD`.
fn ask(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    let head = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(error) => return Outcome::Unreachable { reason: reason(&error, timeout) },
    };
    let status = if refuses_head(head) {
        match agent.get(url).call() {
            // The body is not read: the status is all that is wanted.
            Ok(response) => response.status().as_u16(),
            Err(error) => return Outcome::Unreachable { reason: reason(&error, timeout) },
        }
    } else {
        head
    };
    if status >= 400 && status != 429 { Outcome::Broken { status } } else { Outcome::Ok { status } }
}

/// Whether an answer to `HEAD` may only mean the server mishandles `HEAD`: 405 and 501 say so,
/// and many servers answer it with some other 4xx. 429 is an answer in itself.
fn refuses_head(status: u16) -> bool {
    status == 501 || ((400..500).contains(&status) && status != 429)
}

/// Why a request got no answer, for a person.
fn reason(error: &ureq::Error, timeout: Duration) -> String {
    match error {
        ureq::Error::Timeout(_) => timed_out(timeout),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::Io(error) => io_reason(error, timeout),
        ureq::Error::ConnectionFailed => "could not connect".into(),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => "not a URL that can be asked for".into(),
        ureq::Error::Protocol(_) => "the answer is not valid HTTP".into(),
        ureq::Error::LargeResponseHeader(..) => "the answer's headers are too large".into(),
        ureq::Error::Rustls(error) => tls_reason(error),
        ureq::Error::Tls(_) | ureq::Error::TlsRequired => "the secure connection failed".into(),
        ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => "the proxy failed".into(),
        other => other.to_string(),
    }
}

fn timed_out(timeout: Duration) -> String {
    format!("timed out after {}", seconds(timeout))
}

/// "10 seconds", "1 second", "0.5 seconds".
fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs == 1.0 { "1 second".into() } else { format!("{secs} seconds") }
}

fn io_reason(error: &io::Error, timeout: Duration) -> String {
    if let Some(tls) = error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        return tls_reason(tls);
    }
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "connection reset".into(),
        io::ErrorKind::ConnectionAborted => "connection aborted".into(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(timeout),
        io::ErrorKind::HostUnreachable => "host unreachable".into(),
        io::ErrorKind::NetworkUnreachable => "network unreachable".into(),
        io::ErrorKind::UnexpectedEof => "the connection closed before an answer".into(),
        _ => {
            let text = error.to_string();
            // The standard library reports a name that does not resolve with the resolver's own
            // words ("failed to lookup address information: Name or service not known").
            if text.starts_with("failed to lookup address") {
                return "host not found".into();
            }
            // "Connection refused (os error 111)" reads better without the number.
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_else(|| "input/output error".into())
        }
    }
}

fn tls_reason(error: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            C::Expired | C::ExpiredContext { .. } => "its TLS certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => "its TLS certificate is not valid yet".into(),
            C::UnknownIssuer => "its TLS certificate is not signed by a known authority".into(),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "its TLS certificate is for another host name".into()
            }
            C::Revoked => "its TLS certificate was revoked".into(),
            _ => "its TLS certificate is not valid".into(),
        },
        rustls::Error::AlertReceived(_) => "the server ended the TLS handshake".into(),
        _ => "the TLS handshake failed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_absolute_http_urls_decoded_and_deduplicated() {
        let hrefs = [
            "https://x.example/a?b=1&c=2#top",
            " HTTPS://X.example/a?b=1&c=2 ",
            "http://y.example/café",
            "mailto:a@x.example",
            "/relative",
            "#top",
            "https://x.example/{{id}}",
            "https://x.example/%7B%7Bid%7D%7D",
        ];
        let urls: Vec<Option<String>> = hrefs.iter().map(|h| normalise(h)).collect();
        assert_eq!(
            urls,
            [
                Some("https://x.example/a?b=1&c=2".to_owned()),
                Some("https://x.example/a?b=1&c=2".to_owned()),
                Some("http://y.example/caf%C3%A9".to_owned()),
                None,
                None,
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn outcomes_read_as_sentences() {
        assert_eq!(Outcome::Broken { status: 404 }.to_string(), "answered 404 Not Found");
        assert_eq!(Outcome::Broken { status: 599 }.to_string(), "answered 599");
        let refused = Outcome::Unreachable { reason: "connection refused".into() };
        assert_eq!(refused.to_string(), "did not answer: connection refused");
    }

    #[test]
    fn reasons_are_worded_for_people() {
        let timeout = Duration::from_secs(10);
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(reason(&ureq::Error::Io(refused), timeout), "connection refused");
        assert_eq!(reason(&ureq::Error::HostNotFound, timeout), "host not found");
        assert_eq!(reason(&ureq::Error::Timeout(ureq::Timeout::Global), timeout), "timed out after 10 seconds");
        assert_eq!(reason(&ureq::Error::TooManyRedirects, Duration::from_millis(500)), "more than 5 redirects");
        let expired = rustls::Error::InvalidCertificate(rustls::CertificateError::Expired);
        assert_eq!(reason(&ureq::Error::Rustls(expired.clone()), timeout), "its TLS certificate has expired");
        let wrapped = io::Error::new(io::ErrorKind::InvalidData, expired);
        assert_eq!(reason(&ureq::Error::Io(wrapped), timeout), "its TLS certificate has expired");
        let lookup = io::Error::other("failed to lookup address information: Name or service not known");
        assert_eq!(reason(&ureq::Error::Io(lookup), timeout), "host not found");
        let other = io::Error::other("Something odd (os error 5)");
        assert_eq!(reason(&ureq::Error::Io(other), timeout), "something odd");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5 seconds");
        assert_eq!(seconds(Duration::from_secs(1)), "1 second");
    }

    #[test]
    fn head_is_retried_as_get_on_refusals_but_not_on_rate_limits() {
        assert!(refuses_head(405) && refuses_head(501) && refuses_head(403) && refuses_head(404));
        assert!(!refuses_head(429) && !refuses_head(200) && !refuses_head(500) && !refuses_head(302));
    }
}
