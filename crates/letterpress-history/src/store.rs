//! The send history database: opening, recording sends and reading them back.
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use letterpress_core::ErrorCode;

use rusqlite::{
    Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params, params_from_iter, types::Value,
};

use crate::migrate::{MIGRATIONS, MigrateError, migrate};
use crate::owner::{OwnerLock, is_alive, remove_dead};
use crate::time::{from_millis, to_millis};

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The reason recorded on rows whose sending process ended without recording an outcome.
const INTERRUPTED_REASON: &str = "the sending process ended before the outcome was recorded";

/// A failure of the history database.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot create the data folder `{}`", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the send history `{}`", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "the send history `{}` has schema version {found}, newer than the {supported} this version understands; update Letterpress",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },
    #[error("cannot lock the owner file of the send history in `{}`", path.display())]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot make the send history `{}` private to its owner", path.display())]
    Permissions {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("send #{0} does not exist")]
    NotFound(SendId),
    #[error("send #{0} is no longer pending")]
    NotPending(SendId),
    #[error("send history query failed")]
    Sqlite(#[from] rusqlite::Error),
}

impl HistoryError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            HistoryError::NotFound(_) => ErrorCode::NotFound,
            HistoryError::CreateDir { .. }
            | HistoryError::Open { .. }
            | HistoryError::NewerSchema { .. }
            | HistoryError::Lock { .. }
            | HistoryError::Permissions { .. }
            | HistoryError::NotPending(_)
            | HistoryError::Sqlite(_) => ErrorCode::History,
        }
    }
}

/// The state of one recorded send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "SendStatus"))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Recorded before sending; no outcome yet.
    Pending,
    Sent,
    Failed,
    /// The sending process ended while the row was pending.
    Interrupted,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Sent, Status::Failed, Status::Interrupted];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown status `{s}`; expected one of pending, sent, failed, interrupted"))
    }
}

/// Whether retrying a failed send could succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum FailureKind {
    /// A 4xx reply, a timeout or a connection problem.
    Transient,
    /// A 5xx reply or a problem that repeats on every try (bad TLS setup, wrong password).
    Permanent,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Transient => "transient",
            FailureKind::Permanent => "permanent",
        }
    }

    fn parse(s: &str) -> Option<FailureKind> {
        match s {
            "transient" => Some(FailureKind::Transient),
            "permanent" => Some(FailureKind::Permanent),
            _ => None,
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The row id of a recorded send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct SendId(pub i64);

impl fmt::Display for SendId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A server's reply: the three-digit code and its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

/// Where a send went, as data; never a password.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SendTarget {
    /// The local outbox.
    Outbox,
    /// A saved SMTP profile, with its server's URL at the time of the send.
    Profile { name: String, url: String },
    /// An SMTP server named by its URL alone.
    Url { url: String },
}

impl SendTarget {
    /// The kind, profile name and URL, as the database keeps them.
    pub(crate) fn columns(&self) -> (&'static str, Option<&str>, Option<&str>) {
        match self {
            SendTarget::Outbox => ("outbox", None, None),
            SendTarget::Profile { name, url } => ("profile", Some(name), Some(url)),
            SendTarget::Url { url } => ("url", None, Some(url)),
        }
    }

    fn from_columns(kind: &str, profile: Option<String>, url: Option<String>) -> SendTarget {
        match (kind, profile) {
            ("outbox", _) => SendTarget::Outbox,
            ("profile", Some(name)) => SendTarget::Profile { name, url: url.unwrap_or_default() },
            _ => SendTarget::Url { url: url.unwrap_or_default() },
        }
    }

    /// Reads the display text schema version 1 kept: `outbox`, `profile `name` (url)`, or the
    /// URL. A profile name may hold a backtick; the URL holds no space, so it starts after the
    /// last "` (".
    pub(crate) fn from_version_1(text: &str) -> SendTarget {
        if text == "outbox" {
            return SendTarget::Outbox;
        }
        if let Some(rest) = text.strip_prefix("profile `").and_then(|rest| rest.strip_suffix(')'))
            && let Some((name, url)) = rest.rsplit_once("` (")
        {
            return SendTarget::Profile { name: name.to_owned(), url: url.to_owned() };
        }
        SendTarget::Url { url: text.to_owned() }
    }
}

/// The target in one line, for the CLI and logs: `outbox`, `profile `work` (smtps://me@host:465)`
/// or the URL.
impl fmt::Display for SendTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendTarget::Outbox => f.write_str("outbox"),
            SendTarget::Profile { name, url } => write!(f, "profile `{name}` ({url})"),
            SendTarget::Url { url } => f.write_str(url),
        }
    }
}

/// What is known about a send before the message leaves.
#[derive(Debug, Clone)]
pub struct NewSend {
    pub template: String,
    pub data_set: Option<String>,
    /// The data the template was filled with, as it was at the time.
    pub data: Option<serde_json::Value>,
    pub recipients: Vec<String>,
    pub subject: String,
    pub target: SendTarget,
    pub message_id: String,
    /// The exact message bytes handed to the target.
    pub raw: Vec<u8>,
    pub started_at: SystemTime,
}

/// How a send ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent {
        /// The server's reply to the message data; `None` for the outbox.
        reply: Option<Reply>,
        duration: Duration,
        finished_at: SystemTime,
    },
    Failed {
        kind: FailureKind,
        /// The cause, for front ends to branch on.
        code: ErrorCode,
        /// The cause in plain words, as the sender worded it for the send's report.
        headline: String,
        /// The server's last reply when there was one.
        reply: Option<Reply>,
        /// The full error, for people.
        error: String,
        duration: Duration,
        finished_at: SystemTime,
    },
}

/// One recorded send without its message bytes and data, for lists: the app's history list and
/// `letterpress history --json` give it as it is, its times as RFC 3339 text and its duration in
/// milliseconds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "HistoryItem"))]
#[serde(rename_all = "camelCase")]
pub struct SendSummary {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: SendId,
    pub status: Status,
    pub template: String,
    pub data_set: Option<String>,
    pub recipients: Vec<String>,
    pub subject: String,
    pub target: SendTarget,
    pub message_id: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub reply: Option<Reply>,
    /// Whether trying again could work, for failed sends.
    pub failure: Option<FailureKind>,
    /// The cause of a failure; `None` for sends recorded before causes were kept as codes.
    pub failure_code: Option<ErrorCode>,
    /// The cause in plain words, as the send's report showed it; `None` for sends recorded
    /// before headlines were kept.
    pub failure_headline: Option<String>,
    pub error: Option<String>,
    #[serde(rename = "durationMs", with = "crate::time::millis_or_null")]
    #[cfg_attr(feature = "ts", ts(rename = "durationMs", type = "number | null"))]
    pub duration: Option<Duration>,
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub started_at: SystemTime,
    /// `None` while pending, and for interrupted sends whose end is unknown.
    #[serde(with = "crate::time::rfc3339_or_null")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub finished_at: Option<SystemTime>,
}

/// One recorded send in full.
#[derive(Debug, Clone, PartialEq)]
pub struct SendRecord {
    pub summary: SendSummary,
    pub data: Option<serde_json::Value>,
    pub raw: Vec<u8>,
}

/// Which sends to list, newest first.
#[derive(Debug, Clone)]
pub struct Query {
    /// Case-insensitive text looked for in the subject, recipients, template, data set,
    /// target, Message-ID, server reply and error.
    pub search: Option<String>,
    pub template: Option<String>,
    pub status: Option<Status>,
    pub limit: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query { search: None, template: None, status: None, limit: 100 }
    }
}

/// Sending statistics of one template.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TemplateStats {
    pub template: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sent: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub failed: u64,
    /// RFC 3339 over the boundary.
    #[serde(with = "crate::time::rfc3339_or_null")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub last_sent: Option<SystemTime>,
}

/// An open send history.
#[derive(Debug)]
pub struct History {
    conn: Connection,
    path: PathBuf,
    owner: OwnerLock,
}

const SUMMARY_COLUMNS: &str = "id, status, template, data_set, recipients, subject, target_kind, \
     message_id, size, reply_code, reply_text, failure, error, duration_ms, started_at, finished_at, \
     target_profile, target_url, failure_code, failure_headline";

impl History {
    /// Opens `<data_dir>/history.sqlite3`, creating the folder and the database as needed.
    pub fn open_in(data_dir: &Path) -> Result<History, HistoryError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| HistoryError::CreateDir { path: data_dir.to_owned(), source })?;
        History::open(&data_dir.join(crate::DATABASE_FILE))
    }

    /// Opens (or creates) the database at `path`, migrates it, and marks the `pending` rows of
    /// processes that are gone as `interrupted`.
    ///
    /// The database and its `-wal` and `-shm` files hold every message sent, so they are made
    /// readable by their owner only, also when an older version created them more widely.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let open_error = |source| HistoryError::Open { path: path.to_owned(), source };
        private_files(path).map_err(|source| HistoryError::Permissions { path: path.to_owned(), source })?;
        let mut conn = Connection::open(path).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // WAL lets the app read while the CLI writes; FULL makes every committed send survive
        // a power cut, which matters more here than write speed.
        retry_busy(|| conn.pragma_update_and_check(None, "journal_mode", "wal", |_| Ok(()))).map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(open_error)?;
        match migrate(&mut conn, MIGRATIONS) {
            Ok(_) => {}
            Err(MigrateError::Newer { found, supported }) => {
                return Err(HistoryError::NewerSchema { path: path.to_owned(), found, supported });
            }
            Err(MigrateError::Sqlite(source)) => return Err(open_error(source)),
        }

        // The owner lock is taken before this process can write any row, so every `pending`
        // row's owner held its lock from before the row existed until it ended.
        let owners_dir = owners_dir(path);
        let owner = OwnerLock::acquire(&owners_dir)
            .map_err(|source| HistoryError::Lock { path: owners_dir.clone(), source })?;
        let history = History { conn, path: path.to_owned(), owner };
        history.interrupt_orphans(&owners_dir)?;
        Ok(history)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Marks the `pending` rows of owners that are gone as `interrupted`.
    ///
    /// Each owner with pending rows is tested on its own, inside one write transaction: a row
    /// is only marked after its own owner was found dead, and a dead owner stays dead (ids are
    /// never reused), so a send that starts meanwhile is never misfiled. The write transaction
    /// also keeps two processes from testing the same owner's lock at the same moment.
    fn interrupt_orphans(&self, owners_dir: &Path) -> Result<(), HistoryError> {
        let lock_error = |source| HistoryError::Lock { path: owners_dir.to_owned(), source };
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let owners: Vec<String> = {
            let mut statement =
                tx.prepare("SELECT DISTINCT owner FROM sends WHERE status = 'pending' AND owner != ?1")?;
            statement.query_map([self.owner.id()], |row| row.get(0))?.collect::<Result<_, _>>()?
        };
        for owner in owners {
            if !is_alive(owners_dir, &owner).map_err(lock_error)? {
                tx.execute(
                    "UPDATE sends SET status = 'interrupted', error = ?1 WHERE status = 'pending' AND owner = ?2",
                    params![INTERRUPTED_REASON, owner],
                )?;
            }
        }
        remove_dead(owners_dir, &self.owner).map_err(lock_error)?;
        tx.commit()?;
        Ok(())
    }

    /// Records a send as `pending`; call this before the message leaves.
    pub fn begin(&self, send: &NewSend) -> Result<SendId, HistoryError> {
        let recipients = serde_json::to_string(&send.recipients).expect("strings serialize");
        let data = send.data.as_ref().map(|data| data.to_string());
        let (kind, profile, url) = send.target.columns();
        self.conn.execute(
            "INSERT INTO sends (status, owner, template, data_set, data_json, recipients, subject,
                target_kind, target_profile, target_url, message_id, size, raw, started_at)
             VALUES ('pending', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                self.owner.id(),
                send.template,
                send.data_set,
                data,
                recipients,
                send.subject,
                kind,
                profile,
                url,
                send.message_id,
                i64::try_from(send.raw.len()).unwrap_or(i64::MAX),
                send.raw,
                to_millis(send.started_at),
            ],
        )?;
        Ok(SendId(self.conn.last_insert_rowid()))
    }

    /// Records how a pending send ended.
    pub fn finish(&self, id: SendId, outcome: &Outcome) -> Result<(), HistoryError> {
        let (status, kind, code, headline, reply, error, duration, finished_at) = match outcome {
            Outcome::Sent { reply, duration, finished_at } => {
                (Status::Sent, None, None, None, reply, None, duration, finished_at)
            }
            Outcome::Failed { kind, code, headline, reply, error, duration, finished_at } => (
                Status::Failed,
                Some(kind.as_str()),
                Some(code.as_str()),
                Some(headline.as_str()),
                reply,
                Some(error.as_str()),
                duration,
                finished_at,
            ),
        };
        let changed = self.conn.execute(
            "UPDATE sends SET status = ?2, failure = ?3, reply_code = ?4, reply_text = ?5,
                error = ?6, duration_ms = ?7, finished_at = ?8, failure_code = ?9, failure_headline = ?10
             WHERE id = ?1 AND status = 'pending'",
            params![
                id.0,
                status.as_str(),
                kind,
                reply.as_ref().map(|reply| reply.code),
                reply.as_ref().map(|reply| reply.text.as_str()),
                error,
                i64::try_from(duration.as_millis()).unwrap_or(i64::MAX),
                to_millis(*finished_at),
                code,
                headline,
            ],
        )?;
        if changed == 1 {
            Ok(())
        } else if self.exists(id)? {
            Err(HistoryError::NotPending(id))
        } else {
            Err(HistoryError::NotFound(id))
        }
    }

    fn exists(&self, id: SendId) -> Result<bool, HistoryError> {
        Ok(self.conn.query_row("SELECT 1 FROM sends WHERE id = ?1", [id.0], |_| Ok(())).optional()?.is_some())
    }

    /// Lists sends matching `query`, newest first.
    pub fn list(&self, query: &Query) -> Result<Vec<SendSummary>, HistoryError> {
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(search) = query.search.as_deref().filter(|s| !s.is_empty()) {
            let pattern = format!("%{}%", escape_like(search));
            let columns = [
                "subject",
                "recipients",
                "template",
                "data_set",
                "target_kind",
                "target_profile",
                "target_url",
                "message_id",
                "reply_text",
                "error",
                "failure_headline",
            ];
            let any =
                columns.iter().map(|column| format!("{column} LIKE ? ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
            conditions.push(format!("({any})"));
            values.extend(columns.iter().map(|_| Value::Text(pattern.clone())));
        }
        if let Some(template) = &query.template {
            conditions.push("template = ?".to_owned());
            values.push(Value::Text(template.clone()));
        }
        if let Some(status) = query.status {
            conditions.push("status = ?".to_owned());
            values.push(Value::Text(status.as_str().to_owned()));
        }
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        values.push(Value::Integer(i64::try_from(query.limit).unwrap_or(i64::MAX)));
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM sends {filter} ORDER BY id DESC LIMIT ?");
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), summary_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One send in full, with its data and exact message bytes.
    pub fn get(&self, id: SendId) -> Result<SendRecord, HistoryError> {
        let sql = format!("SELECT {SUMMARY_COLUMNS}, data_json, raw FROM sends WHERE id = ?1");
        self.conn
            .query_row(&sql, [id.0], |row| {
                let summary = summary_from_row(row)?;
                let data: Option<String> = row.get("data_json")?;
                Ok(SendRecord {
                    summary,
                    data: data.and_then(|data| serde_json::from_str(&data).ok()),
                    raw: row.get("raw")?,
                })
            })
            .optional()?
            .ok_or(HistoryError::NotFound(id))
    }

    /// Sent and failed counts and the last successful send of every template, by name.
    pub fn template_stats(&self) -> Result<Vec<TemplateStats>, HistoryError> {
        let mut statement = self.conn.prepare(
            "SELECT template,
                    COALESCE(SUM(status = 'sent'), 0),
                    COALESCE(SUM(status = 'failed'), 0),
                    MAX(CASE WHEN status = 'sent' THEN finished_at END)
             FROM sends GROUP BY template ORDER BY template",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(TemplateStats {
                template: row.get(0)?,
                sent: unsigned(row.get(1)?),
                failed: unsigned(row.get(2)?),
                last_sent: row.get::<_, Option<i64>>(3)?.map(from_millis),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The statistics of one template; zero counts when it was never sent.
    pub fn stats_for(&self, template: &str) -> Result<TemplateStats, HistoryError> {
        Ok(self
            .template_stats()?
            .into_iter()
            .find(|stats| stats.template == template)
            .unwrap_or_else(|| TemplateStats { template: template.to_owned(), sent: 0, failed: 0, last_sent: None }))
    }
}

/// Creates the database file readable and writable by its owner only, and narrows the mode of
/// an existing database and its `-wal` and `-shm` files. SQLite gives the files it creates
/// later the database file's mode, so they follow.
#[cfg(unix)]
fn private_files(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        match std::fs::metadata(file) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(file, std::fs::Permissions::from_mode(meta.permissions().mode() & 0o700))?;
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Other platforms keep their per-user data folders private already.
#[cfg(not(unix))]
fn private_files(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Runs `step` again while SQLite reports the database busy, up to [`BUSY_TIMEOUT`]. Switching
/// a new database to WAL can be refused without waiting while another process does the same,
/// since SQLite does not call the busy handler there.
fn retry_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match step() {
            Err(rusqlite::Error::SqliteFailure(error, _))
                if matches!(error.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// The folder of owner lock files that belongs to the database at `path`.
fn owners_dir(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push("-owners");
    path.with_file_name(name)
}

/// SQLite integers are signed; counts and sizes are never negative.
fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<SendSummary> {
    let status: String = row.get(1)?;
    let recipients: String = row.get(4)?;
    let reply_code: Option<u16> = row.get(9)?;
    let reply_text: Option<String> = row.get(10)?;
    let failure: Option<String> = row.get(11)?;
    let duration: Option<i64> = row.get(13)?;
    Ok(SendSummary {
        id: SendId(row.get(0)?),
        // The CHECK constraints keep these columns to known values.
        status: status.parse().unwrap_or(Status::Failed),
        template: row.get(2)?,
        data_set: row.get(3)?,
        recipients: serde_json::from_str(&recipients).unwrap_or_default(),
        subject: row.get(5)?,
        target: SendTarget::from_columns(&row.get::<_, String>(6)?, row.get(16)?, row.get(17)?),
        message_id: row.get(7)?,
        size: unsigned(row.get(8)?),
        reply: reply_code.map(|code| Reply { code, text: reply_text.unwrap_or_default() }),
        failure: failure.as_deref().and_then(FailureKind::parse),
        failure_code: row.get::<_, Option<String>>(18)?.as_deref().and_then(ErrorCode::parse),
        failure_headline: row.get(19)?,
        error: row.get(12)?,
        duration: duration.map(|ms| Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
        started_at: from_millis(row.get(14)?),
        finished_at: row.get::<_, Option<i64>>(15)?.map(from_millis),
    })
}
