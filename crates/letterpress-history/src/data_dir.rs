//! Where Letterpress keeps its data: the outbox, SMTP profiles and the send history.
use std::path::PathBuf;

/// The environment variable that overrides the data folder, for tests and portable setups.
pub const DATA_DIR_ENV: &str = "LETTERPRESS_DATA_DIR";

/// The data folder could not be determined.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a data folder: no home folder is known; set `{DATA_DIR_ENV}`")]
pub struct DataDirError;

/// The data folder: `LETTERPRESS_DATA_DIR` when set and not empty, else the platform's
/// per-user data folder (for example `~/.local/share` on Linux) followed by `letterpress`.
///
/// The folder is not created here; each writer creates what it needs.
pub fn data_dir() -> Result<PathBuf, DataDirError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().join("letterpress")).ok_or(DataDirError)
}
