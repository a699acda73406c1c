//! Liveness of the processes that own `pending` rows, through advisory file locks.
//!
//! Each open `History` holds an exclusive lock on its own file in a folder next to the database.
//! The operating system drops that lock when the process ends, however it ends (even `kill -9`),
//! so another process can tell a send that is still running from one whose sender died: only
//! rows of owners whose lock can be taken are marked `interrupted`.
use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

const LOCK_SUFFIX: &str = ".lock";

/// The lock held by this process for as long as its `History` is open.
#[derive(Debug)]
pub(crate) struct OwnerLock {
    id: String,
    path: PathBuf,
    file: File,
}

impl OwnerLock {
    /// Creates and locks a fresh owner file in `dir`.
    ///
    /// The file is locked under a temporary name and renamed afterwards, so a concurrent scan
    /// never sees an unlocked owner file that belongs to a live process.
    pub(crate) fn acquire(dir: &Path) -> io::Result<OwnerLock> {
        fs::create_dir_all(dir)?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let temp = dir.join(format!("{id}.tmp"));
        let file = File::create(&temp)?;
        file.lock()?;
        let path = dir.join(format!("{id}{LOCK_SUFFIX}"));
        fs::rename(&temp, &path)?;
        Ok(OwnerLock { id, path, file })
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for OwnerLock {
    fn drop(&mut self) {
        // Removing first and unlocking second means no other process can take the lock of a
        // file that still has this owner's name and then find our rows unfinished.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The owners in `dir` whose lock is held by a live process (including `me`).
///
/// Lock files of owners that died are removed on the way.
pub(crate) fn live_owners(dir: &Path, me: &OwnerLock) -> io::Result<Vec<String>> {
    let mut live = vec![me.id.clone()];
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(live),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|name| name.strip_suffix(LOCK_SUFFIX)) else {
            continue;
        };
        if id == me.id {
            continue;
        }
        let file = match File::open(entry.path()) {
            Ok(file) => file,
            // Its owner closed it between the listing and now.
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = fs::remove_file(entry.path());
            }
            Err(TryLockError::WouldBlock) => live.push(id.to_owned()),
            Err(TryLockError::Error(error)) => return Err(error),
        }
    }
    Ok(live)
}
