//! The SMTP exchange: connect, TLS, login, send and quit, all inside one overall timeout.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;

use crate::message::Message;
use crate::secret::Secret;
use crate::settings::{Security, SettingsError, SmtpSettings};

/// A server's reply: the three-digit code and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

/// Whether trying again later could succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// A 4xx reply, a timeout or a connection problem.
    Transient,
    /// A 5xx reply or a problem that repeats on every try, such as a missing STARTTLS.
    Permanent,
}

/// The step of the exchange that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Connect,
    Starttls,
    Login,
    Send,
}

impl Stage {
    fn describe(self) -> &'static str {
        match self {
            Stage::Connect => "connecting",
            Stage::Starttls => "starting TLS",
            Stage::Login => "logging in",
            Stage::Send => "sending the message",
        }
    }
}

/// A failed SMTP exchange.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot read the CA certificate `{}`", path.display())]
    CaFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the CA certificate `{}` holds no valid PEM certificate", path.display())]
    CaPem { path: PathBuf },
    #[error(
        "server `{host}:{port}` does not offer STARTTLS, which security `starttls` requires; nothing was sent and no password was given"
    )]
    StarttlsNotOffered { host: String, port: u16 },
    #[error("the user name `{user}` needs a password")]
    NoPassword { user: String },
    #[error("server `{host}:{port}` did not finish within {} s", timeout.as_secs_f32())]
    Timeout { host: String, port: u16, timeout: Duration },
    #[error("server `{host}:{port}` replied {reply} while {}", stage.describe())]
    Rejected { host: String, port: u16, stage: Stage, reply: Reply },
    // lettre's errors repeat their cause in their own message, so the cause is shown here
    // once instead of being chained as a source.
    #[error("{} `{host}:{port}` failed: {cause}", stage.describe())]
    Exchange { host: String, port: u16, stage: Stage, cause: lettre::transport::smtp::Error },
}

impl SmtpError {
    /// The server's reply when the failure was one.
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            SmtpError::Rejected { reply, .. } => Some(reply),
            _ => None,
        }
    }

    /// 4xx replies, timeouts and network trouble are transient; everything else is permanent.
    pub fn kind(&self) -> FailureKind {
        match self {
            SmtpError::Rejected { reply, .. } if reply.code < 500 => FailureKind::Transient,
            SmtpError::Timeout { .. } => FailureKind::Transient,
            SmtpError::Exchange { cause, .. } if is_network_trouble(cause) => FailureKind::Transient,
            _ => FailureKind::Permanent,
        }
    }
}

/// True for failures of the network itself (refused, reset, unreachable, timed out), which can
/// go away; false for TLS verification and protocol errors, which repeat on every try.
fn is_network_trouble(error: &lettre::transport::smtp::Error) -> bool {
    use std::io::ErrorKind;
    if error.is_timeout() {
        return true;
    }
    if error.is_tls() || error.is_client() || error.is_permanent() || error.is_response() {
        return false;
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            // rustls reports certificate and handshake failures as `InvalidData`.
            return !matches!(io.kind(), ErrorKind::InvalidData | ErrorKind::InvalidInput);
        }
        source = cause.source();
    }
    error.is_transient()
}

/// What a successful connection test learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionReport {
    pub encrypted: bool,
    pub logged_in: bool,
    /// The server's reply to QUIT.
    pub reply: Option<Reply>,
    pub duration: Duration,
}

struct Session {
    conn: AsyncSmtpConnection,
    host: String,
    port: u16,
}

impl Session {
    fn fail(&self, stage: Stage, source: lettre::transport::smtp::Error) -> SmtpError {
        fail(&self.host, self.port, stage, source)
    }
}

fn fail(host: &str, port: u16, stage: Stage, source: lettre::transport::smtp::Error) -> SmtpError {
    match source.status() {
        Some(code) => SmtpError::Rejected {
            host: host.to_owned(),
            port,
            stage,
            reply: Reply {
                code: code.into(),
                text: std::error::Error::source(&source).map(|text| text.to_string()).unwrap_or_default(),
            },
        },
        None => SmtpError::Exchange { host: host.to_owned(), port, stage, cause: source },
    }
}

fn reply_of(response: &Response) -> Reply {
    Reply { code: response.code().into(), text: response.message().collect::<Vec<_>>().join(" ") }
}

fn tls_parameters(settings: &SmtpSettings) -> Result<TlsParameters, SmtpError> {
    let mut builder = TlsParameters::builder(settings.host.clone());
    if let Some(path) = &settings.ca_file {
        let pem = std::fs::read(path).map_err(|source| SmtpError::CaFile { path: path.clone(), source })?;
        let certificate = Certificate::from_pem(&pem).map_err(|_| SmtpError::CaPem { path: path.clone() })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|cause| SmtpError::Exchange {
        host: settings.host.clone(),
        port: settings.port,
        stage: Stage::Connect,
        cause,
    })
}

/// Connects, secures the connection as the settings demand and logs in.
async fn open(settings: &SmtpSettings, password: Option<&Secret>) -> Result<Session, SmtpError> {
    settings.check()?;
    let tls = match settings.security {
        Security::None => None,
        Security::Tls | Security::Starttls => Some(tls_parameters(settings)?),
    };
    let hello = ClientId::default();
    let implicit = if settings.security == Security::Tls { tls.clone() } else { None };
    let conn = AsyncSmtpConnection::connect_tokio1(
        (settings.host.as_str(), settings.port),
        Some(settings.timeout),
        &hello,
        implicit,
        None,
    )
    .await
    .map_err(|source| fail(&settings.host, settings.port, Stage::Connect, source))?;
    let mut session = Session { conn, host: settings.host.clone(), port: settings.port };
    if settings.security == Security::Starttls {
        if !session.conn.can_starttls() {
            session.conn.abort().await;
            return Err(SmtpError::StarttlsNotOffered { host: settings.host.clone(), port: settings.port });
        }
        let tls = tls.expect("starttls has TLS parameters");
        if let Err(source) = session.conn.starttls(tls, &hello).await {
            // A failed upgrade leaves lettre without a usable stream, so there is no QUIT to
            // send: dropping the connection closes the socket.
            return Err(session.fail(Stage::Starttls, source));
        }
    }
    if let Some(user) = &settings.username {
        let Some(password) = password else {
            session.conn.abort().await;
            return Err(SmtpError::NoPassword { user: user.clone() });
        };
        let credentials = Credentials::new(user.clone(), password.expose().to_owned());
        if let Err(source) = session.conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).await {
            session.conn.abort().await;
            return Err(session.fail(Stage::Login, source));
        }
    }
    Ok(session)
}

async fn with_timeout<T>(
    settings: &SmtpSettings,
    exchange: impl Future<Output = Result<T, SmtpError>>,
) -> Result<T, SmtpError> {
    // lettre's own timeout covers connecting and each read, not a server that trickles or
    // never answers after accepting the connection; this bounds the whole exchange.
    tokio::time::timeout(settings.timeout, exchange).await.unwrap_or_else(|_| {
        Err(SmtpError::Timeout { host: settings.host.clone(), port: settings.port, timeout: settings.timeout })
    })
}

/// Connects, secures, logs in and quits without sending anything.
pub async fn test_connection(
    settings: &SmtpSettings,
    password: Option<&Secret>,
) -> Result<ConnectionReport, SmtpError> {
    let started = Instant::now();
    with_timeout(settings, async {
        let mut session = open(settings, password).await?;
        let encrypted = session.conn.is_encrypted();
        let reply = session.conn.quit().await.ok().map(|r| reply_of(&r));
        Ok(ConnectionReport { encrypted, logged_in: settings.username.is_some(), reply, duration: started.elapsed() })
    })
    .await
}

/// Sends the message's exact bytes and returns the server's reply to them.
pub(crate) async fn deliver(
    settings: &SmtpSettings,
    password: Option<&Secret>,
    message: &Message,
) -> Result<Reply, SmtpError> {
    with_timeout(settings, async {
        let mut session = open(settings, password).await?;
        // lettre ends the data with CRLF.CRLF itself, so a message that already ends with CRLF
        // would gain an empty line; without it the server receives exactly the recorded bytes.
        let raw = message.raw();
        let data = raw.strip_suffix(b"\r\n").unwrap_or(raw);
        match session.conn.send(message.envelope(), data).await {
            Ok(response) => {
                // The message is accepted at this point; a failing QUIT changes nothing.
                let _ = session.conn.quit().await;
                Ok(reply_of(&response))
            }
            Err(source) => {
                session.conn.abort().await;
                Err(session.fail(Stage::Send, source))
            }
        }
    })
    .await
}
