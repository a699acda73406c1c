//! Local files that a template refers to by URL, such as images: telling them apart from remote
//! URLs, and keeping them inside the project folder.
//!
//! Sending a test embeds these files and exporting publishes them, so both must agree on which
//! references are local and must never read a file outside the project.
//!
//! [`confine_path`] is the one check that keeps reads inside a folder; templates, subjects, text
//! parts, data sets, the project file, includes and images all go through it.

use std::path::{Path, PathBuf};

/// Why a reference to a local file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LocalFileError {
    #[error("`{reference}` is an absolute path; write it relative to the template")]
    Absolute { reference: String },
    #[error("`{reference}` leads outside the project folder")]
    Outside { reference: String },
    #[error("`{reference}` does not exist")]
    NotFound { reference: String, path: PathBuf },
    #[error("`{reference}` is not a file")]
    NotAFile { reference: String, path: PathBuf },
    #[error("cannot read `{reference}`")]
    Io {
        reference: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The path part of a reference to a local file, percent-decoded and without its query or
/// fragment; `None` for references that are not local files: URLs with a scheme (`https:`,
/// `data:`, `cid:`, …), scheme-relative URLs (`//host/…`), fragments and empty values.
/// Absolute paths, including Windows drive paths, are refused: they would read outside the
/// project and mean nothing to a recipient.
pub fn local_path(reference: &str) -> Result<Option<String>, LocalFileError> {
    let reference = reference.trim();
    if reference.is_empty() || reference.starts_with("//") || reference.starts_with('#') {
        return Ok(None);
    }
    let scheme_len = reference
        .find(':')
        .filter(|&end| {
            let scheme = &reference[..end];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
        .map(|end| end + 1);
    match scheme_len {
        // A one-letter "scheme" is a Windows drive such as `C:`, an absolute path.
        Some(2) => return Err(LocalFileError::Absolute { reference: reference.to_owned() }),
        Some(_) => return Ok(None),
        None => {}
    }
    if reference.starts_with('/') || reference.starts_with('\\') {
        return Err(LocalFileError::Absolute { reference: reference.to_owned() });
    }
    let path = reference.split(['?', '#']).next().unwrap_or_default();
    Ok(Some(percent_decode(path)))
}

/// Why a path may not be read as part of a folder.
#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error("the file does not exist")]
    NotFound,
    #[error("the path leads outside the project folder")]
    Outside,
    #[error(transparent)]
    Io(std::io::Error),
}

/// Where `path` really leads once `..` and symbolic links are followed, if that is inside `root`,
/// which must be canonical. A path inside the folder may still be a link to a file elsewhere, so
/// only the resolved path tells whether reading it stays inside.
pub fn confine_path(root: &Path, path: &Path) -> Result<PathBuf, ConfineError> {
    if path.as_os_str().as_encoded_bytes().contains(&0) {
        return Err(ConfineError::Outside);
    }
    let real = path.canonicalize().map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => ConfineError::NotFound,
        _ => ConfineError::Io(error),
    })?;
    if real.starts_with(root) { Ok(real) } else { Err(ConfineError::Outside) }
}

/// Resolves `relative` (from [`local_path`]) against the `base` folder and checks that the real
/// file, after following `..` and symbolic links, is a file inside `root`, which must be
/// canonical. `reference` is the reference as written, for messages.
pub fn confine(base: &Path, root: &Path, reference: &str, relative: &str) -> Result<PathBuf, LocalFileError> {
    let joined = base.join(relative);
    let real = confine_path(root, &joined).map_err(|error| match error {
        ConfineError::NotFound => LocalFileError::NotFound { reference: reference.to_owned(), path: joined.clone() },
        ConfineError::Outside => LocalFileError::Outside { reference: reference.to_owned() },
        ConfineError::Io(source) => {
            LocalFileError::Io { reference: reference.to_owned(), path: joined.clone(), source }
        }
    })?;
    if !real.is_file() {
        return Err(LocalFileError::NotAFile { reference: reference.to_owned(), path: joined });
    }
    Ok(real)
}

/// Decodes `%XX` escapes; invalid escapes stay as written and invalid UTF-8 is replaced.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(hi * 16 + lo);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_local_from_remote() {
        let local = |s: &str| local_path(s).unwrap();
        assert_eq!(local("../assets/logo.png"), Some("../assets/logo.png".into()));
        assert_eq!(local("a%20b.png?v=2#x"), Some("a b.png".into()));
        assert_eq!(local("logo%2Epng"), Some("logo.png".into()));
        assert_eq!(local("https://example.com/a.png"), None);
        assert_eq!(local("//cdn.example.com/a.png"), None);
        assert_eq!(local("data:image/png;base64,AAAA"), None);
        assert_eq!(local("cid:logo@x"), None);
        assert!(matches!(local_path("/etc/passwd"), Err(LocalFileError::Absolute { .. })));
        assert!(matches!(local_path("C:\\Windows\\a.png"), Err(LocalFileError::Absolute { .. })));
    }

    #[test]
    fn confines_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir_all(root.join("welcome")).unwrap();
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::write(root.join("assets/logo.png"), b"png").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"secret").unwrap();
        let root = root.canonicalize().unwrap();
        let base = root.join("welcome");
        let found = confine(&base, &root, "../assets/logo.png", "../assets/logo.png").unwrap();
        assert_eq!(found, root.join("assets/logo.png"));
        let outside = confine(&base, &root, "x", "../../secret.png").unwrap_err();
        assert_eq!(outside.to_string(), "`x` leads outside the project folder");
        let missing = confine(&base, &root, "../assets/gone.png", "../assets/gone.png").unwrap_err();
        assert_eq!(missing.to_string(), "`../assets/gone.png` does not exist");
        assert!(matches!(confine(&base, &root, "..", "..").unwrap_err(), LocalFileError::NotAFile { .. }));
    }
}
