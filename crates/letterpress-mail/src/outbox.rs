//! The local outbox: sent messages kept as `.eml` files in `<data dir>/outbox/`, no server needed.
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use letterpress_core::ErrorCode;

use crate::message::Message;
use crate::parsed::{Envelope, ParsedMessage};

/// A failure of the outbox folder.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("cannot write to the outbox `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the outbox `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{0}` is not a message in the outbox")]
    BadName(String),
    #[error("outbox message `{0}` cannot be parsed")]
    Unparsable(String),
}

impl OutboxError {
    /// A stable code for front ends to branch on: a message that is not there is `not-found`.
    pub fn code(&self) -> ErrorCode {
        match self {
            OutboxError::BadName(_) => ErrorCode::NotFound,
            OutboxError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ErrorCode::NotFound,
            _ => ErrorCode::Outbox,
        }
    }
}

/// A message file in the outbox, as the inbox lists it (its path stays on this side).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutboxItem"))]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    /// The file name, `<timestamp>-<id>.eml`; names sort by time.
    pub name: String,
    #[serde(skip)]
    pub path: PathBuf,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    #[serde(flatten)]
    pub envelope: Envelope,
}

/// A message read back from the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub name: String,
    pub parsed: ParsedMessage,
    pub raw: Vec<u8>,
}

/// The outbox folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    pub fn new(dir: impl Into<PathBuf>) -> Outbox {
        Outbox { dir: dir.into() }
    }

    /// The outbox inside a data folder: `<data dir>/outbox`.
    pub fn in_data_dir(data_dir: &Path) -> Outbox {
        Outbox::new(data_dir.join("outbox"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the message's exact bytes to a new file, atomically: readers see the whole
    /// file or none.
    pub fn store(&self, message: &Message) -> Result<OutboxEntry, OutboxError> {
        let name = file_name(message.date(), message.message_id().as_str());
        let path = self.dir.join(&name);
        letterpress_core::edit::write_atomic(&path, message.raw())
            .map_err(|source| OutboxError::Write { path: path.clone(), source })?;
        Ok(entry(name, path, message.raw()))
    }

    /// The messages in the outbox, newest first.
    pub fn list(&self) -> Result<Vec<OutboxEntry>, OutboxError> {
        let read_error = |source| OutboxError::Read { path: self.dir.clone(), source };
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(read_error(error)),
        };
        let mut list = Vec::new();
        for dir_entry in entries {
            let dir_entry = dir_entry.map_err(read_error)?;
            let Some(name) = dir_entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !is_message_name(&name) {
                continue;
            }
            let raw = match std::fs::read(dir_entry.path()) {
                Ok(raw) => raw,
                // Removed by someone else since the listing.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => return Err(read_error(error)),
            };
            list.push(entry(name, dir_entry.path(), &raw));
        }
        list.sort_by(|a, b| b.name.cmp(&a.name));
        Ok(list)
    }

    /// Reads one message back by its file name.
    pub fn read(&self, name: &str) -> Result<OutboxMessage, OutboxError> {
        if !is_message_name(name) {
            return Err(OutboxError::BadName(name.to_owned()));
        }
        let path = self.dir.join(name);
        let raw = std::fs::read(&path).map_err(|source| OutboxError::Read { path, source })?;
        let parsed = ParsedMessage::parse(&raw).ok_or_else(|| OutboxError::Unparsable(name.to_owned()))?;
        Ok(OutboxMessage { name: name.to_owned(), parsed, raw })
    }
}

/// Only plain `.eml` names made of safe characters, so a name can never reach outside the folder.
fn is_message_name(name: &str) -> bool {
    name.ends_with(".eml")
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn entry(name: String, path: PathBuf, raw: &[u8]) -> OutboxEntry {
    let envelope = Envelope::of(ParsedMessage::parse(raw).as_ref());
    OutboxEntry { name, path, size: raw.len() as u64, envelope }
}

/// `20260528T202640.123Z-<id>.eml`: the time first so names sort by it, then the local part
/// of the Message-ID so two messages of the same millisecond never collide.
fn file_name(date: SystemTime, message_id: &str) -> String {
    let stamp = humantime::format_rfc3339_millis(date).to_string().replace(['-', ':'], "");
    let id: String = message_id
        .trim_start_matches('<')
        .split('@')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    format!("{stamp}-{id}.eml")
}
