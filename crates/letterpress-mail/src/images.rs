//! Local images referenced by `<img src>`: found, confined to the project, read and given a CID.
use std::ops::Range;
use std::path::{Path, PathBuf};

use letterpress_core::local::LocalFileError;
use sha2::{Digest, Sha256};

use crate::message::{BuildError, ImageRoots};

/// An image embedded into the message as an inline part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineImage {
    /// The `src` as it was written in the HTML.
    pub src: String,
    /// The Content-ID without angle brackets; the HTML refers to it as `cid:<content_id>`.
    pub content_id: String,
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The HTML with local image sources rewritten to `cid:` and the images to embed.
pub(crate) struct Embedded {
    pub html: String,
    pub images: Vec<InlineImage>,
}

/// Finds every local `<img src>`, reads the file and rewrites the reference to its CID.
/// Remote (`https:`, `//host`), `data:` and `cid:` sources stay as they are.
pub(crate) fn embed(html: &str, roots: &ImageRoots) -> Result<Embedded, BuildError> {
    let root =
        roots.root.canonicalize().map_err(|source| BuildError::ImageRoot { path: roots.root.clone(), source })?;
    let mut images: Vec<(PathBuf, InlineImage)> = Vec::new();
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    for (range, raw_src) in img_sources(html) {
        let src = decode_entities(raw_src);
        let Some(relative) = local_path(&src)? else {
            continue;
        };
        let path = confine(&roots.base, &root, &src, &relative)?;
        let content_id = match images.iter().find(|(known, _)| *known == path) {
            Some((_, image)) => image.content_id.clone(),
            None => {
                let bytes = std::fs::read(&path).map_err(|source| BuildError::ImageRead {
                    src: src.clone(),
                    path: path.clone(),
                    source,
                })?;
                let digest = Sha256::digest(&bytes);
                let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
                // The file name keeps the CID readable; the hash keeps it unique.
                let content_id = format!("{hex}.{}@letterpress", cid_safe(&file_name));
                images.push((
                    path.clone(),
                    InlineImage {
                        src: src.clone(),
                        content_id: content_id.clone(),
                        content_type: content_type(&path).to_owned(),
                        file_name,
                        bytes,
                    },
                ));
                content_id
            }
        };
        replacements.push((range, format!("cid:{content_id}")));
    }
    let mut rewritten = html.to_owned();
    for (range, value) in replacements.into_iter().rev() {
        rewritten.replace_range(range, &value);
    }
    Ok(Embedded { html: rewritten, images: images.into_iter().map(|(_, image)| image).collect() })
}

/// The path part of a local `src`, or `None` for sources that are not local files. The rules
/// are the core's, shared with export, so a test send and an export agree on what is local.
fn local_path(src: &str) -> Result<Option<String>, BuildError> {
    letterpress_core::local::local_path(src).map_err(|error| image_error(error, src, Path::new("")))
}

/// Resolves `relative` against the base folder and checks that the real file, after following
/// `..` and symbolic links, lies inside the root folder.
fn confine(base: &Path, root: &Path, src: &str, relative: &str) -> Result<PathBuf, BuildError> {
    letterpress_core::local::confine(base, root, src, relative).map_err(|error| image_error(error, src, root))
}

/// The mail crate's error for a local image that cannot be used.
fn image_error(error: LocalFileError, src: &str, root: &Path) -> BuildError {
    let src = src.to_owned();
    match error {
        LocalFileError::Absolute { .. } => BuildError::ImageAbsolute { src },
        LocalFileError::Outside { .. } => BuildError::ImageOutside { src, root: root.to_owned() },
        LocalFileError::NotFound { path, .. } => BuildError::ImageRead {
            src,
            path,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        },
        LocalFileError::NotAFile { path, .. } => BuildError::ImageRead {
            src,
            path,
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file"),
        },
        LocalFileError::Io { path, source, .. } => BuildError::ImageRead { src, path, source },
    }
}

fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().map(|ext| ext.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "ico" => "image/x-icon",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    }
}

fn cid_safe(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

fn decode_entities(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The byte range and text of every `src` attribute value of an `img` element.
///
/// A small scanner rather than an HTML parser: email HTML is regular enough, and rewriting in
/// place keeps every other byte of the compiled output untouched.
pub(crate) fn img_sources(html: &str) -> Vec<(Range<usize>, &str)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset + 1;
        i = start;
        let is_img = bytes.len() >= start + 3
            && bytes[start..start + 3].eq_ignore_ascii_case(b"img")
            && bytes.get(start + 3).is_none_or(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>');
        if !is_img {
            continue;
        }
        let mut j = start + 3;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let name_start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let name = &html[name_start..j];
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] != b'=' {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let value_start = j + 1;
                    let value_end =
                        html[value_start..].find(quote as char).map_or(bytes.len(), |end| value_start + end);
                    j = (value_end + 1).min(bytes.len());
                    value_start..value_end
                }
                Some(_) => {
                    let value_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value_start..j
                }
                None => break,
            };
            if name.eq_ignore_ascii_case("src") {
                found.push((value.clone(), &html[value]));
            }
        }
        i = j.max(i);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sources_in_all_quoting_styles() {
        let html = r#"<p><IMG alt="a>b" SRC="one.png"><img src='two.png'/><img width=3 src=three.png>
            <image src="no.png"><img data-src="no.png" src = "four.png" /></p>"#;
        let srcs: Vec<&str> = img_sources(html).into_iter().map(|(_, s)| s).collect();
        assert_eq!(srcs, ["one.png", "two.png", "three.png", "four.png"]);
        for (range, src) in img_sources(html) {
            assert_eq!(&html[range], src);
        }
    }

    #[test]
    fn tells_local_from_remote() {
        let local = |s: &str| local_path(s).unwrap();
        assert_eq!(local("../assets/logo.png"), Some("../assets/logo.png".into()));
        assert_eq!(local("a%20b.png?v=2#x"), Some("a b.png".into()));
        assert_eq!(local("https://example.com/a.png"), None);
        assert_eq!(local("//cdn.example.com/a.png"), None);
        assert_eq!(local("data:image/png;base64,AAAA"), None);
        assert_eq!(local("cid:logo@x"), None);
        assert!(local_path("/etc/passwd").is_err());
        assert!(local_path("C:\\Windows\\a.png").is_err());
    }
}
