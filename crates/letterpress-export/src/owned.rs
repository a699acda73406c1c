//! What an export owns in its target folder: the ownership record listing every file exports
//! wrote with the SHA-256 of its bytes, the temporary files a killed export may leave behind, and
//! the lock that keeps two exports from writing one folder at once.
//!
//! Exporting into a production repository is the point, so the target folder holds files that
//! Letterpress did not write. An export may only replace a file whose bytes are what an earlier
//! export recorded; anything else is someone else's work and is refused unless forced.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::format::{self, Format};
use crate::{ExportError, json};

/// The ownership record, in the target folder, written last by every export.
pub const RECORD: &str = ".letterpress-export.json";

/// What marks a temporary file as an export's own: `.<name>.letterpress-export.<n>.tmp`. Other
/// programs' temporary files, and the editor's own (`.<name>.<pid>-<n>.tmp`), never match.
const TEMP_MARK: &str = ".letterpress-export.";
const TEMP_END: &str = ".tmp";

/// The SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The name of a temporary file for `name`, distinguished by `n`.
pub fn temp_name(name: &str, n: u64) -> String {
    format!(".{name}{TEMP_MARK}{}-{n}{TEMP_END}", std::process::id())
}

/// Whether a file name is one of [`temp_name`]'s.
pub fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|rest| rest.strip_suffix(TEMP_END)) else { return false };
    let Some(at) = rest.rfind(TEMP_MARK) else { return false };
    let tag = &rest[at + TEMP_MARK.len()..];
    at > 0
        && tag.split_once('-').is_some_and(|(pid, n)| {
            !pid.is_empty()
                && !n.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        })
}

/// The files earlier exports wrote into a target folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Each file's path and the hash of the bytes written.
    pub files: BTreeMap<String, String>,
    /// Hashes of writes an export announced before making them. A killed export leaves each of
    /// these files with either its recorded or its announced bytes, and both are its own.
    pub pending: BTreeMap<String, BTreeSet<String>>,
    /// Whether a file stands at the record's path that is not a record, and is not ours.
    pub foreign: bool,
}

impl Record {
    /// The record in `root`. Without one, the hashes in a `plain` export's `manifest.json`
    /// vouch for the files, so exports made before records existed are still recognised.
    pub fn read(root: &Path) -> Result<Record, ExportError> {
        match read_optional(&root.join(RECORD))? {
            Some(bytes) => Ok(Record::parse(&bytes).unwrap_or(Record { foreign: true, ..Record::default() })),
            None => Ok(match read_optional(&root.join(format::MANIFEST))? {
                Some(bytes) => Record::from_manifest(&bytes),
                None => Record::default(),
            }),
        }
    }

    fn parse(bytes: &[u8]) -> Option<Record> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        if value.get("version")?.as_u64()? != 1 {
            return None;
        }
        let files = value
            .get("files")?
            .as_object()?
            .iter()
            .map(|(path, hash)| Some((path.clone(), hash.as_str()?.to_owned())))
            .collect::<Option<_>>()?;
        let mut pending: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        if let Some(announced) = value.get("pending").and_then(Value::as_object) {
            for (path, hashes) in announced {
                let hashes = hashes.as_array()?.iter().map(|h| h.as_str().map(str::to_owned)).collect::<Option<_>>()?;
                pending.insert(path.clone(), hashes);
            }
        }
        Some(Record { files, pending, foreign: false })
    }

    /// The files a `plain` export's manifest lists, and the manifest itself.
    fn from_manifest(bytes: &[u8]) -> Record {
        let mut record = Record::default();
        let Ok(value) = serde_json::from_slice::<Value>(bytes) else { return record };
        if value.get("format").and_then(Value::as_str) != Some(Format::Plain.as_str()) || value.get("version").is_none()
        {
            return record;
        }
        if let Some(templates) = value.get("templates").and_then(Value::as_object) {
            for parts in templates.values().filter_map(Value::as_object) {
                for part in parts.values() {
                    if let (Some(path), Some(hash)) =
                        (part.get("path").and_then(Value::as_str), part.get("sha256").and_then(Value::as_str))
                    {
                        record.files.insert(path.to_owned(), hash.to_owned());
                    }
                }
            }
        }
        if let Some(assets) = value.get("assets").and_then(Value::as_object) {
            for (path, asset) in assets {
                if let Some(hash) = asset.get("sha256").and_then(Value::as_str) {
                    record.files.insert(path.clone(), hash.to_owned());
                }
            }
        }
        record.files.insert(format::MANIFEST.to_owned(), sha256_hex(bytes));
        record
    }

    /// Whether a file at `path` holding bytes with hash `hash` was written by an export.
    pub fn owns(&self, path: &str, hash: &str) -> bool {
        if path == RECORD {
            return !self.foreign;
        }
        self.files.get(path).is_some_and(|h| h == hash) || self.pending.get(path).is_some_and(|set| set.contains(hash))
    }

    /// The record's file. Keys are sorted, so the same files give the same bytes.
    pub fn contents(&self) -> Vec<u8> {
        let mut value = json!({ "version": 1, "files": self.files });
        if !self.pending.is_empty() {
            value["pending"] = json!(self.pending);
        }
        json::file(&value)
    }
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, ExportError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ExportError::Io { path: path.to_path_buf(), source }),
    }
}

/// The temporary files that exports left in `folders` (paths relative to `root`, `""` for the
/// root itself), with their paths relative to `root`.
pub fn leftovers<'a>(root: &Path, folders: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let folders: BTreeSet<&str> = folders.into_iter().collect();
    let mut found = Vec::new();
    for folder in folders {
        let dir = if folder.is_empty() { root.to_path_buf() } else { root.join(folder) };
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_temp_name(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                found.push(if folder.is_empty() { name } else { format!("{folder}/{name}") });
            }
        }
    }
    found.sort();
    found
}

/// The folder part of a path relative to the target, `""` for the target itself.
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Holds the target folder for one export at a time. The lock goes with the process, so a killed
/// export never leaves the folder locked, and whoever holds it knows that every temporary file
/// of an export in the folder is a leftover.
pub struct Lock {
    _file: File,
}

impl Lock {
    pub fn acquire(root: &Path) -> Result<Lock, ExportError> {
        let io = |source| ExportError::Io { path: root.to_path_buf(), source };
        // A folder can be locked itself on Unix, which leaves nothing behind in it; elsewhere a
        // hidden lock file stands in for it.
        #[cfg(unix)]
        let file = File::open(root).map_err(io)?;
        #[cfg(not(unix))]
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join(".letterpress-export.lock"))
            .map_err(io)?;
        file.lock().map_err(io)?;
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_nobody_elses_are() {
        assert!(is_temp_name(&temp_name("template.html", 7)));
        assert!(is_temp_name(&temp_name(RECORD, 0)));
        for other in [
            ".template.html.1234-0.tmp",
            "template.html.letterpress-export.1-2.tmp",
            ".letterpress-export.1-2.tmp",
            ".a.letterpress-export.x-2.tmp",
            ".a.letterpress-export.1-2.tmp.bak",
            RECORD,
            "notes.tmp",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }

    #[test]
    fn records_round_trip_and_vouch_only_for_their_hashes() {
        let mut record = Record::default();
        record.files.insert("a/template.html".into(), "aa".into());
        record.pending.insert("a/template.html".into(), BTreeSet::from(["bb".to_owned()]));
        let parsed = Record::parse(&record.contents()).unwrap();
        assert_eq!(parsed, record);
        assert!(parsed.owns("a/template.html", "aa") && parsed.owns("a/template.html", "bb"));
        assert!(!parsed.owns("a/template.html", "cc") && !parsed.owns("package.json", "aa"));
        assert!(Record::parse(b"{\"name\": \"app\"}").is_none());
    }
}
