//! The SMTP exchange: connect, TLS, login, send and quit, all inside one overall timeout.
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use letterpress_core::ErrorCode;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::extension::{ClientId, Extension};
use lettre::transport::smtp::response::Response;

use crate::message::Message;
use crate::secret::Secret;
use crate::settings::{Security, SettingsError, SmtpSettings};
use crate::tls::{CaFileError, Presented, Verifier, read_ca_file};

/// A server's reply: the three-digit code and its text, the same type the history records.
pub use letterpress_history::Reply;

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
    #[error(transparent)]
    CaFile(#[from] CaFileError),
    #[error(
        "the certificate of server `{host}:{port}` is not trusted: {}; its subject is `{}` and its SHA-256 fingerprint is `{}`. If you know this is the server's certificate, trust exactly this one with `--smtp-trust-fingerprint {}` (`trust_fingerprint` in a profile)",
        presented.reason, presented.subject, presented.fingerprint, presented.fingerprint
    )]
    Untrusted { host: String, port: u16, presented: Presented },
    #[error("server `{host}:{port}` does not speak TLS on connect; it probably wants STARTTLS: use `{suggestion}`")]
    NotTlsOnConnect { host: String, port: u16, suggestion: String },
    #[error("the TLS handshake with server `{host}:{port}` failed while {}: {reason}", stage.describe())]
    Tls { host: String, port: u16, stage: Stage, reason: String },
    #[error(
        "server `{host}:{port}` offers no login on an unencrypted connection; it probably wants STARTTLS first: use `{suggestion}`"
    )]
    LoginNeedsTls { host: String, port: u16, suggestion: String },
    #[error("server `{host}:{port}` does not offer a login this client supports (PLAIN or LOGIN)")]
    LoginNotOffered { host: String, port: u16 },
    #[error("{} `{host}:{port}` failed: {source}", stage.describe())]
    Network {
        host: String,
        port: u16,
        stage: Stage,
        #[source]
        source: std::io::Error,
    },
    #[error("server `{host}:{port}` answered something that is not SMTP while {}", stage.describe())]
    NotSmtp { host: String, port: u16, stage: Stage },
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
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            SmtpError::Settings(_) => ErrorCode::SmtpSettings,
            SmtpError::CaFile(_) => ErrorCode::CaFile,
            SmtpError::Untrusted { .. } => ErrorCode::UntrustedCertificate,
            SmtpError::NotTlsOnConnect { .. } => ErrorCode::NotTlsOnConnect,
            SmtpError::Tls { .. } => ErrorCode::Tls,
            SmtpError::LoginNeedsTls { .. } => ErrorCode::LoginNeedsTls,
            SmtpError::LoginNotOffered { .. } => ErrorCode::LoginNotOffered,
            SmtpError::Network { .. } => ErrorCode::Network,
            SmtpError::NotSmtp { .. } => ErrorCode::NotSmtp,
            SmtpError::StarttlsNotOffered { .. } => ErrorCode::StarttlsNotOffered,
            SmtpError::NoPassword { .. } => ErrorCode::NoPassword,
            SmtpError::Timeout { .. } => ErrorCode::Timeout,
            SmtpError::Rejected { .. } => ErrorCode::Rejected,
            SmtpError::Exchange { .. } => ErrorCode::Exchange,
        }
    }

    /// A headline a person understands; the error's own message keeps the exact reason.
    pub fn headline(&self) -> String {
        match self {
            SmtpError::Settings(_) => "These SMTP settings cannot work".into(),
            SmtpError::CaFile(_) => "The CA certificate file cannot be used".into(),
            SmtpError::Untrusted { .. } => "The server's certificate is not trusted, so nothing was sent".into(),
            SmtpError::NotTlsOnConnect { .. } => {
                "The server does not speak TLS on connect; it probably wants STARTTLS".into()
            }
            SmtpError::Tls { .. } => "The secure connection to the server failed".into(),
            SmtpError::LoginNeedsTls { .. } => "The server wants encryption before logging in".into(),
            SmtpError::LoginNotOffered { .. } => "The server offers no login this app supports".into(),
            SmtpError::Network { .. } => "Could not connect to the server".into(),
            SmtpError::NotSmtp { .. } => "The server does not answer like an SMTP server".into(),
            SmtpError::StarttlsNotOffered { .. } => {
                "The server does not offer encryption (STARTTLS), so nothing was sent".into()
            }
            SmtpError::NoPassword { .. } => "This profile needs a password".into(),
            SmtpError::Timeout { .. } => "The server did not answer in time".into(),
            SmtpError::Rejected { stage, reply, .. } => match stage {
                Stage::Connect => format!("The server turned the connection away ({})", reply.code),
                Stage::Starttls => format!("The server refused to start encryption ({})", reply.code),
                Stage::Login => format!("The server refused the user name or password ({})", reply.code),
                Stage::Send => format!("The server refused the message ({})", reply.code),
            },
            SmtpError::Exchange { stage, cause, .. } => match stage {
                Stage::Connect if cause.is_tls() => "The secure connection to the server failed".into(),
                Stage::Connect => "Could not connect to the server".into(),
                Stage::Starttls => "Encryption could not be set up with the server".into(),
                Stage::Login => "Logging in to the server failed".into(),
                Stage::Send => "The connection broke while sending the message".into(),
            },
        }
    }

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
            SmtpError::Timeout { .. } | SmtpError::Network { .. } => FailureKind::Transient,
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

impl ConnectionReport {
    /// What the test found, in plain words, worded here beside `SmtpError::headline`.
    pub fn headline(&self) -> &'static str {
        match (self.encrypted, self.logged_in) {
            (true, true) => "Connected, encrypted and logged in",
            (true, false) => "Connected and encrypted",
            (false, true) => "Connected and logged in, without encryption",
            (false, false) => "Connected, without encryption",
        }
    }
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

/// A TLS client set up with [`Verifier`], and where it keeps a refused certificate.
type TlsClient = (TlsConnector, Arc<Mutex<Option<Presented>>>);

/// Sets up TLS, reading the CA file; done before connecting, so a wrong file is reported as
/// such and not as a failed connection.
fn tls_client(settings: &SmtpSettings) -> Result<TlsClient, SmtpError> {
    let ca = match &settings.ca_file {
        Some(path) => read_ca_file(path)?,
        None => Vec::new(),
    };
    let verifier = Verifier::new(&ca, settings.fingerprint()?).map_err(|error| SmtpError::Tls {
        host: settings.host.clone(),
        port: settings.port,
        stage: Stage::Connect,
        reason: error.to_string(),
    })?;
    let refused = verifier.refused();
    let config = rustls::ClientConfig::builder_with_provider(verifier.provider())
        .with_safe_default_protocol_versions()
        .map_err(|error| SmtpError::Tls {
            host: settings.host.clone(),
            port: settings.port,
            stage: Stage::Connect,
            reason: error.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok((TlsConnector::from(Arc::new(config)), refused))
}

/// The URL of these settings with STARTTLS, for messages that suggest it.
fn with_starttls(settings: &SmtpSettings) -> String {
    SmtpSettings { security: Security::Starttls, ..settings.clone() }.redacted_url()
}

/// Runs the TLS handshake over `tcp`, turning its failures into errors people can act on.
async fn handshake(
    settings: &SmtpSettings,
    (connector, refused): TlsClient,
    stage: Stage,
    tcp: TcpStream,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, SmtpError> {
    let name = ServerName::try_from(settings.host.clone()).map_err(|_| SmtpError::Tls {
        host: settings.host.clone(),
        port: settings.port,
        stage,
        reason: format!("`{}` is not a valid host name", settings.host),
    })?;
    let host = settings.host.clone();
    let port = settings.port;
    connector.connect(name, tcp).await.map_err(|error| {
        if let Some(presented) = refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
            return SmtpError::Untrusted { host, port, presented };
        }
        match error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
            // Plain text where a TLS record should be: the server greeted in clear text.
            Some(rustls::Error::InvalidMessage(_)) if stage == Stage::Connect => {
                SmtpError::NotTlsOnConnect { host, port, suggestion: with_starttls(settings) }
            }
            Some(tls) => SmtpError::Tls { host, port, stage, reason: plain_tls_error(tls) },
            None => SmtpError::Network { host, port, stage, source: error },
        }
    })
}

/// rustls's errors print type names (`AlertReceived(HandshakeFailure)`); these say what happened.
fn plain_tls_error(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidMessage(_) => "the server sent something that is not TLS".to_owned(),
        rustls::Error::AlertReceived(_) => "the server refused the handshake".to_owned(),
        rustls::Error::PeerIncompatible(_) => {
            "the server and Letterpress have no TLS version or cipher in common".to_owned()
        }
        rustls::Error::NoCertificatesPresented => "the server presented no certificate".to_owned(),
        _ => "the connection could not be secured".to_owned(),
    }
}

/// One SMTP reply read from a plain connection, for the steps before STARTTLS.
async fn read_reply(
    reader: &mut BufReader<TcpStream>,
    settings: &SmtpSettings,
    stage: Stage,
) -> Result<(Reply, Vec<String>), SmtpError> {
    let not_smtp = || SmtpError::NotSmtp { host: settings.host.clone(), port: settings.port, stage };
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        let read = reader.read_until(b'\n', &mut line).await.map_err(|source| SmtpError::Network {
            host: settings.host.clone(),
            port: settings.port,
            stage,
            source,
        })?;
        if read == 0 {
            return Err(SmtpError::Network {
                host: settings.host.clone(),
                port: settings.port,
                stage,
                source: std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the server closed the connection"),
            });
        }
        let line = String::from_utf8(line).map_err(|_| not_smtp())?;
        let line = line.trim_end();
        let code: u16 = line.get(..3).and_then(|code| code.parse().ok()).ok_or_else(not_smtp)?;
        lines.push(line.get(4..).unwrap_or_default().to_owned());
        if line.as_bytes().get(3) != Some(&b'-') {
            let reply = Reply { code, text: lines.join(" ") };
            return Ok((reply, lines));
        }
    }
}

/// Connects in clear text, asks for STARTTLS and secures the connection. lettre's own
/// STARTTLS cannot use [`Verifier`], so these first steps are done here; lettre then takes the
/// secured stream as a new connection, with a greeting standing in for the one the server
/// gave before STARTTLS.
async fn starttls(settings: &SmtpSettings, tls: TlsClient, hello: &ClientId) -> Result<Secured, SmtpError> {
    let tcp = tcp_connect(settings).await?;
    let mut reader = BufReader::new(tcp);
    let rejected =
        |stage, reply| SmtpError::Rejected { host: settings.host.clone(), port: settings.port, stage, reply };
    let network =
        |stage, source| SmtpError::Network { host: settings.host.clone(), port: settings.port, stage, source };
    let (greeting, _) = read_reply(&mut reader, settings, Stage::Connect).await?;
    if greeting.code != 220 {
        return Err(rejected(Stage::Connect, greeting));
    }
    reader.get_mut().write_all(format!("EHLO {hello}\r\n").as_bytes()).await.map_err(|e| network(Stage::Connect, e))?;
    let (ehlo, lines) = read_reply(&mut reader, settings, Stage::Connect).await?;
    if ehlo.code != 250 {
        return Err(rejected(Stage::Connect, ehlo));
    }
    if !lines.iter().any(|line| line.trim().eq_ignore_ascii_case("STARTTLS")) {
        let _ = reader.get_mut().write_all(b"QUIT\r\n").await;
        return Err(SmtpError::StarttlsNotOffered { host: settings.host.clone(), port: settings.port });
    }
    reader.get_mut().write_all(b"STARTTLS\r\n").await.map_err(|e| network(Stage::Starttls, e))?;
    let (ready, _) = read_reply(&mut reader, settings, Stage::Starttls).await?;
    if ready.code != 220 {
        return Err(rejected(Stage::Starttls, ready));
    }
    // Bytes after the 220 reply and before the handshake would be injected by someone in
    // the middle (RFC 3207, section 6); refuse them rather than read them as TLS.
    if !reader.buffer().is_empty() {
        return Err(SmtpError::NotSmtp { host: settings.host.clone(), port: settings.port, stage: Stage::Starttls });
    }
    let tls = handshake(settings, tls, Stage::Starttls, reader.into_inner()).await?;
    Ok(Secured { greeting: b"220 secured with STARTTLS\r\n".to_vec(), read: 0, tls })
}

async fn tcp_connect(settings: &SmtpSettings) -> Result<TcpStream, SmtpError> {
    TcpStream::connect((settings.host.as_str(), settings.port)).await.map_err(|source| SmtpError::Network {
        host: settings.host.clone(),
        port: settings.port,
        stage: Stage::Connect,
        source,
    })
}

/// Connects, secures the connection as the settings demand and logs in.
async fn open(settings: &SmtpSettings, password: Option<&Secret>) -> Result<Session, SmtpError> {
    settings.check()?;
    let hello = ClientId::default();
    let stream: Box<dyn AsyncTokioStream> = match settings.security {
        Security::None => Box::new(tcp_connect(settings).await?),
        Security::Tls => {
            let tls = tls_client(settings)?;
            let tcp = tcp_connect(settings).await?;
            Box::new(Secured {
                greeting: Vec::new(),
                read: 0,
                tls: handshake(settings, tls, Stage::Connect, tcp).await?,
            })
        }
        Security::Starttls => {
            let tls = tls_client(settings)?;
            Box::new(starttls(settings, tls, &hello).await?)
        }
    };
    let stage = if settings.security == Security::Starttls { Stage::Starttls } else { Stage::Connect };
    let conn = AsyncSmtpConnection::connect_with_transport(stream, &hello)
        .await
        .map_err(|source| fail(&settings.host, settings.port, stage, source))?;
    let mut session = Session { conn, host: settings.host.clone(), port: settings.port };
    if let Some(user) = &settings.username {
        let Some(password) = password else {
            session.conn.abort().await;
            return Err(SmtpError::NoPassword { user: user.clone() });
        };
        let mechanisms = [Mechanism::Plain, Mechanism::Login];
        if session.conn.server_info().get_auth_mechanism(&mechanisms).is_none() {
            let starttls_offered = session.conn.server_info().supports_feature(Extension::StartTls);
            session.conn.abort().await;
            return Err(if settings.security == Security::None && starttls_offered {
                SmtpError::LoginNeedsTls {
                    host: settings.host.clone(),
                    port: settings.port,
                    suggestion: with_starttls(settings),
                }
            } else {
                SmtpError::LoginNotOffered { host: settings.host.clone(), port: settings.port }
            });
        }
        let credentials = Credentials::new(user.clone(), password.expose().to_owned());
        if let Err(source) = session.conn.auth(&mechanisms, &credentials).await {
            session.conn.abort().await;
            return Err(session.fail(Stage::Login, source));
        }
    }
    Ok(session)
}

/// A TLS stream handed to lettre, optionally preceded by a greeting for lettre to read first.
#[derive(Debug)]
struct Secured {
    greeting: Vec<u8>,
    read: usize,
    tls: tokio_rustls::client::TlsStream<TcpStream>,
}

impl AsyncTokioStream for Secured {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.tls.get_ref().0.peer_addr()
    }
}

impl AsyncRead for Secured {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if self.read < self.greeting.len() {
            let count = buf.remaining().min(self.greeting.len() - self.read);
            let start = self.read;
            buf.put_slice(&self.greeting[start..start + count]);
            self.read += count;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.tls).poll_read(cx, buf)
    }
}

impl AsyncWrite for Secured {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tls).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tls).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tls).poll_shutdown(cx)
    }
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
        let encrypted = settings.security != Security::None;
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
