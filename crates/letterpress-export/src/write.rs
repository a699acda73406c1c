//! Applying a plan: each changed file written atomically (a temporary file in the same folder,
//! flushed to disk, then renamed over the old one), nothing else touched.
//!
//! An export can be killed at any moment, so the order matters. The ownership record first
//! announces the writes to come, then the files are written, then the manifest, which lists
//! them, and last the record of what was written. Whatever moment the export dies at, the
//! manifest lists only files that exist, every file is one the record vouches for, and the next
//! export removes the temporary files left behind and finishes the job.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::format;
use crate::owned::{self, Record};
use crate::plan::{FileChange, Plan, Progress};
use crate::{ExportError, confine};

/// What applying a plan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ExportApplied"))]
#[serde(rename_all = "camelCase")]
pub struct Applied {
    /// The target folder, absolute and with links resolved.
    pub root: String,
    /// The files written, relative to the target folder.
    pub written: Vec<String>,
    /// The files left alone because they already held the right bytes.
    pub unchanged: usize,
}

/// Writes the created and updated files of `plan`. Each file is checked again just before it is
/// written, so a plan made a while ago neither rewrites a file that has meanwhile become right
/// nor writes through a link that has meanwhile appeared.
pub fn apply(plan: &Plan, mut progress: impl FnMut(Progress<'_>)) -> Result<Applied, ExportError> {
    let mut pending: Vec<_> = plan.pending().collect();
    let mut applied = Applied {
        root: plan.root.display().to_string(),
        written: Vec::new(),
        unchanged: plan.files.len() - pending.len(),
    };
    if plan.is_up_to_date() {
        return Ok(applied);
    }
    if !plan.conflicts.is_empty() && !plan.target.force {
        return Err(ExportError::NotOwned { paths: plan.conflicts.clone() });
    }
    fs::create_dir_all(&plan.target.out).map_err(|source| ExportError::Io { path: plan.target.out.clone(), source })?;
    let root = confine::root(&plan.target.out)?;
    if root != plan.root {
        // The target folder was moved or relinked since planning; the plan no longer describes it.
        return Err(ExportError::TargetMoved { path: plan.target.out.clone() });
    }
    let _lock = owned::Lock::acquire(&root)?;
    let record = Record::read(&root)?;
    // With the lock held no other export is writing here, so every temporary file of an export
    // is a leftover of one that was killed.
    let folders = std::iter::once("")
        .chain(plan.files.iter().map(|f| owned::folder_of(&f.path)))
        .chain(record.files.keys().chain(record.pending.keys()).map(|p| owned::folder_of(p)));
    for leftover in owned::leftovers(&root, folders) {
        let path = root.join(&leftover);
        fs::remove_file(&path).map_err(|source| ExportError::Io { path, source })?;
    }
    // Every file is checked before any is written, so a refusal leaves the folder as it was.
    let mut foreign = Vec::new();
    let mut current: Vec<(&FileChange, PathBuf)> = Vec::new();
    for file in pending.drain(..) {
        let path = confine::resolve(&root, &file.path)?;
        match fs::read(&path) {
            Ok(existing) if existing == file.contents() => applied.unchanged += 1,
            Ok(existing) => {
                if !plan.target.force && !record.owns(&file.path, &owned::sha256_hex(&existing)) {
                    foreign.push(file.path.clone());
                }
                current.push((file, path));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => current.push((file, path)),
            Err(source) => return Err(ExportError::Io { path, source }),
        }
    }
    if !foreign.is_empty() {
        return Err(ExportError::NotOwned { paths: foreign });
    }
    // The manifest lists the other files and the record vouches for all of them, so they come
    // last, in that order.
    current.sort_by_key(|(file, _)| match file.path.as_str() {
        owned::RECORD => 2,
        format::MANIFEST => 1,
        _ => 0,
    });
    if current.iter().any(|(file, _)| file.path != owned::RECORD) {
        // Announcing the writes changes the record, so the final record is written afterwards
        // even when it ends up holding the bytes it held before.
        if !current.iter().any(|(file, _)| file.path == owned::RECORD)
            && let Some(final_record) = plan.files.iter().find(|f| f.path == owned::RECORD)
        {
            current.push((final_record, confine::resolve(&root, owned::RECORD)?));
            applied.unchanged = applied.unchanged.saturating_sub(1);
        }
        let mut announced = record.clone();
        announced.foreign = false;
        for (file, _) in current.iter().filter(|(file, _)| file.path != owned::RECORD) {
            announced.pending.entry(file.path.clone()).or_default().insert(owned::sha256_hex(file.contents()));
        }
        write_atomically(&root.join(owned::RECORD), &announced.contents())?;
    }
    let total = current.len();
    for (done, (file, path)) in current.into_iter().enumerate() {
        progress(Progress::Writing { done, total, path: &file.path });
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| ExportError::Io { path: parent.to_path_buf(), source })?;
        }
        // Creating folders may have raced with someone placing a link; check once more.
        confine::resolve(&root, &file.path)?;
        write_atomically(&path, file.contents())?;
        applied.written.push(file.path.clone());
    }
    Ok(applied)
}

/// Replaces `path` with `contents` so that readers see either the old file or the new one, never
/// a part, through temporary files the export recognises as its own.
fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), ExportError> {
    letterpress_core::edit::write_atomic_as(path, contents, &owned::temp_name)
        .map_err(|source| ExportError::Io { path: path.to_path_buf(), source })
}
