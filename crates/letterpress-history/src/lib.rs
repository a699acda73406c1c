//! Letterpress send history: every test send recorded in one SQLite database, plus the data folder.
//!
//! A send is written as `pending` before the message leaves and updated to `sent` or `failed`
//! afterwards, so a crash in between leaves a trace that the next open turns into `interrupted`.
//! Passwords never reach this crate: callers pass a target description without secrets.

mod data_dir;
mod migrate;
mod owner;
mod store;
mod time;

pub use data_dir::{DATA_DIR_ENV, DataDirError, data_dir};
pub use store::{
    FailureKind, History, HistoryError, NewSend, Outcome, Query, Reply, SendId, SendRecord, SendSummary, SendTarget,
    Status, TemplateStats,
};
pub use time::format_time;

/// The file name of the history database inside the data folder.
pub const DATABASE_FILE: &str = "history.sqlite3";
