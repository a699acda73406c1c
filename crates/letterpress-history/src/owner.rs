//! Liveness of the processes that own `pending` rows, through advisory file locks.
//!
//! Each open `History` holds an exclusive lock on its own file in a folder next to the database,
//! taken before it can write any row. The operating system drops that lock when the process
//! ends, however it ends (even `kill -9`), so another process can tell a send that is still
//! running from one whose sender died.
//!
//! The decision is made per owner, never from a list made earlier: an owner whose lock file is
//! gone or whose lock can be taken is dead, and a dead owner never comes back, because owner
//! ids are fresh random ids. So a row is only ever marked `interrupted` after its own owner was
//! seen dead, and an owner that appears while another process looks cannot be misfiled.
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
    /// The file is locked under a temporary name and renamed afterwards, so no process ever
    /// finds an unlocked owner file under the name of a live owner.
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
        // file that still has this owner's name while this owner is still alive.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether the owner `id` in `dir` is a live process.
///
/// A missing lock file means the owner closed its history or was found dead before; a lock
/// that can be taken means its process is gone, and its file is removed on the way. Callers
/// hold the database's write lock, so two processes never test the same owner at once (one
/// holding the lock for a moment would make the other see a dead owner as alive).
pub(crate) fn is_alive(dir: &Path, id: &str) -> io::Result<bool> {
    let path = dir.join(format!("{id}{LOCK_SUFFIX}"));
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error),
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = fs::remove_file(&path);
            Ok(false)
        }
        Err(TryLockError::WouldBlock) => Ok(true),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

/// Removes the lock files in `dir` of owners that died without rows to finish, for example
/// after `kill -9` before their first send. Only housekeeping: no row depends on it.
pub(crate) fn remove_dead(dir: &Path, me: &OwnerLock) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|name| name.strip_suffix(LOCK_SUFFIX)) else {
            continue;
        };
        if id != me.id {
            is_alive(dir, id)?;
        }
    }
    Ok(())
}
