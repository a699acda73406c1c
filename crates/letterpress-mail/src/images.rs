//! Local images of a message: found as the preview and the export find them (`src`, `background`
//! and CSS `url()`), confined to the project, read and given a CID.
use std::ops::Range;
use std::path::{Path, PathBuf};

use letterpress_core::local::{self, LocalFileError};
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

/// Finds every local image reference, reads the file and rewrites the reference to its CID, so
/// the message shows what the preview showed. Remote (`https:`, `//host`), `data:` and `cid:`
/// sources stay as they are.
pub(crate) fn embed(html: &str, roots: &ImageRoots) -> Result<Embedded, BuildError> {
    let root =
        roots.root.canonicalize().map_err(|source| BuildError::ImageRoot { path: roots.root.clone(), source })?;
    let mut images: Vec<(PathBuf, InlineImage)> = Vec::new();
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    for (range, raw_src) in local::image_references(html) {
        let src = local::decode_entities(raw_src);
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
                        content_type: local::content_type(&path).to_owned(),
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

fn cid_safe(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}
