//! Keeps every write inside the target folder: file names must be plain relative paths, and no
//! symbolic link inside the target may lead a write elsewhere.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::ExportError;

/// Checks that `name` is a relative path of plain components separated by `/`: no `..`, no `.`,
/// no empty parts, no absolute or drive prefix, no backslash.
pub fn check_name(name: &str) -> Result<(), ExportError> {
    let invalid = || ExportError::InvalidPath { path: name.to_owned() };
    if name.is_empty() || name.contains('\\') || name.contains('\0') {
        return Err(invalid());
    }
    for part in name.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains(':') {
            return Err(invalid());
        }
    }
    let path = Path::new(name);
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(invalid());
    }
    Ok(())
}

/// The target folder as an absolute path without links: canonical if it exists, otherwise its
/// nearest existing ancestor made canonical with the missing part appended. The target itself
/// may be reached through a link; only links inside it are held to the target.
pub fn root(out: &Path) -> Result<PathBuf, ExportError> {
    let absolute = std::path::absolute(out).map_err(|source| ExportError::Io { path: out.to_path_buf(), source })?;
    let mut missing: Vec<&std::ffi::OsStr> = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        match existing.canonicalize() {
            Ok(canonical) => {
                if missing.is_empty() && !canonical.is_dir() {
                    return Err(ExportError::NotAFolder { path: out.to_path_buf() });
                }
                let mut path = canonical;
                for part in missing.iter().rev() {
                    path.push(part);
                }
                return Ok(path);
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ExportError::Io { path: existing.to_path_buf(), source });
            }
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name);
                existing = parent;
            }
            // `..` at the end or the root itself: let the later write report what is wrong.
            _ => return Ok(absolute),
        }
    }
}

/// The path of the file `name` inside `root` (from [`root`]), after checking that every part of
/// it that exists is a folder or file reached without leaving `root`. Parts that do not exist
/// yet will be created as plain folders, which cannot leave it either.
pub fn resolve(root: &Path, name: &str) -> Result<PathBuf, ExportError> {
    check_name(name)?;
    let parts: Vec<&str> = name.split('/').collect();
    let mut path = root.to_path_buf();
    for (index, part) in parts.iter().enumerate() {
        path.push(part);
        let last = index + 1 == parts.len();
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(error) if error.kind() == io::ErrorKind::NotFound => break,
            Err(source) => return Err(ExportError::Io { path, source }),
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        if last {
            // Replacing the link would be surprising and writing through it could leave the
            // target, so a link where a file belongs is refused.
            return Err(ExportError::Link { path: name.to_owned() });
        }
        match path.canonicalize() {
            Ok(target) if target.starts_with(root) => {}
            // A dangling link counts as leading out: creating folders through it would put
            // them wherever it points.
            _ => {
                return Err(ExportError::OutsideTarget { path: name.to_owned() });
            }
        }
    }
    Ok(root.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_stay_relative_and_plain() {
        for good in ["a.json", "welcome/template.html", "_layouts/x/meta.json", "test-data/a.json"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/.", "a\\b", "C:x", "a/", "a\0b"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
