//! Local images in exported templates: found in the compiled HTML, kept inside the project,
//! published under the target's base URL with content-hashed names, and written with the export.
//!
//! The preview and test sends read local images from the project folder, but recipients of an
//! exported template only ever see its URLs, so an export must either point every local image at
//! a published copy or say loudly that it cannot.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use letterpress_core::compile::source::SourceFile;
use letterpress_core::local::{self, LocalFileError};
use letterpress_core::project::Template;
use letterpress_core::{Code, Diagnostic, Position};

use crate::ExportError;
use crate::format::sha256_hex;

/// The folder of the target that local images are written to.
pub const ASSETS_DIR: &str = "assets";

/// How many hex digits of the SHA-256 of an image go into its exported name.
const HASH_DIGITS: usize = 8;

/// A local image as the export publishes it.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The image in the project, relative to the project root with `/` separators.
    pub source: String,
    /// The exported copy, relative to the target folder: `assets/…/<stem>.<hash>.<extension>`.
    pub path: String,
    /// Where exported templates load it from: the base URL followed by the part of `path` after
    /// `assets/`.
    pub url: String,
    pub contents: Arc<[u8]>,
}

/// What to do with a local image, fixed for one export target.
pub struct Publisher {
    /// The project folder, canonical, which images may not leave.
    root: PathBuf,
    /// The base URL, ending with `/`; `None` when no base URL applies.
    base_url: Option<String>,
    /// Whether local images without a base URL are an error (ESP formats) or a warning.
    strict: bool,
    /// Whether local images without a base URL are accepted without a word.
    allow_local: bool,
    /// Images read so far, by their canonical path, so a logo shared by every template is read
    /// and hashed once.
    read: HashMap<PathBuf, Result<Asset, String>>,
}

/// One template's HTML after publishing its images.
pub struct Published {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The images the template uses, by their path in the target.
    pub assets: Vec<Asset>,
}

impl Publisher {
    /// `base_url` must have been checked with [`base_url`].
    pub fn new(project_root: &Path, base_url: Option<String>, strict: bool, allow_local: bool) -> Publisher {
        let root = project_root.canonicalize().unwrap_or_else(|_| project_root.to_path_buf());
        Publisher { root, base_url, strict, allow_local, read: HashMap::new() }
    }

    /// Finds every local image `html` refers to and, with a base URL, rewrites each reference to
    /// its published copy. References are resolved against the template's folder, as the preview
    /// and test sends resolve them. `files` are the MJML files the HTML came from, to place
    /// diagnostics where the reference is written.
    pub fn publish(&mut self, template: &Template, html: &str, files: &[SourceFile]) -> Published {
        let mut published = Published { html: String::new(), diagnostics: Vec::new(), assets: Vec::new() };
        let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
        let mut reported: Vec<String> = Vec::new();
        for (range, raw) in local::image_references(html) {
            let value = local::decode_entities(raw);
            let value = value.trim();
            // Placeholders are filled by the ESP or the production code, which knows the URL.
            if value.contains("{{") {
                continue;
            }
            let outcome = if has_scheme(value, "file") {
                Err((
                    Code::ImageOutsideProject,
                    format!(
                        "the image `{value}` is a `file:` URL, which no recipient can load; write its path relative to the template"
                    ),
                ))
            } else {
                match local::local_path(value) {
                    Ok(None) => continue,
                    Ok(Some(relative)) => self.asset(template, value, &relative),
                    Err(error) => Err((Code::ImageOutsideProject, outside_message(&error))),
                }
            };
            match outcome {
                Ok(asset) => match &self.base_url {
                    Some(_) => {
                        replacements.push((range, asset.url.clone()));
                        if !published.assets.iter().any(|a| a.path == asset.path) {
                            published.assets.push(asset);
                        }
                    }
                    None if self.allow_local && !self.strict => {}
                    None => {
                        if reported.iter().any(|r| r == value) {
                            continue;
                        }
                        reported.push(value.to_owned());
                        let message = if self.strict {
                            format!(
                                "`{value}` is a local image, which recipients cannot load, and no base URL is set to publish it; set `base_url` under `[assets]` in `letterpress.toml`"
                            )
                        } else {
                            format!(
                                "`{value}` is a local image, which recipients cannot load; set `base_url` under `[assets]` in `letterpress.toml` to publish it, or pass `--allow-local-images`"
                            )
                        };
                        let severity = if self.strict { Diagnostic::error } else { Diagnostic::warning };
                        published.diagnostics.push(locate(
                            severity(Code::LocalImage, "", message),
                            template,
                            files,
                            raw,
                            html,
                            range.start,
                        ));
                    }
                },
                Err((code, message)) => {
                    if reported.iter().any(|r| r == value) {
                        continue;
                    }
                    reported.push(value.to_owned());
                    published.diagnostics.push(locate(
                        Diagnostic::error(code, "", message),
                        template,
                        files,
                        raw,
                        html,
                        range.start,
                    ));
                }
            }
        }
        let mut rewritten = html.to_owned();
        for (range, url) in replacements.into_iter().rev() {
            rewritten.replace_range(range, &url);
        }
        published.html = rewritten;
        published.assets.sort_by(|a, b| a.path.cmp(&b.path));
        published
    }

    /// The published copy of one local image, read once per export.
    fn asset(&mut self, template: &Template, value: &str, relative: &str) -> Result<Asset, (Code, String)> {
        let real = match local::confine(&template.dir, &self.root, value, relative) {
            Ok(real) => real,
            Err(error @ (LocalFileError::Absolute { .. } | LocalFileError::Outside { .. })) => {
                return Err((Code::ImageOutsideProject, outside_message(&error)));
            }
            Err(LocalFileError::NotFound { .. }) => {
                return Err((Code::ImageNotFound, format!("the image `{value}` does not exist")));
            }
            Err(LocalFileError::NotAFile { .. }) => {
                return Err((Code::ImageNotFound, format!("the image `{value}` is not a file")));
            }
            Err(LocalFileError::Io { source, .. }) => {
                return Err((Code::ImageNotFound, format!("cannot read the image `{value}`: {source}")));
            }
        };
        if !self.read.contains_key(&real) {
            let read = self.read_asset(&real, value);
            self.read.insert(real.clone(), read);
        }
        self.read[&real].clone().map_err(|message| (Code::ImageNotFound, message))
    }

    fn read_asset(&self, real: &Path, value: &str) -> Result<Asset, String> {
        let contents = std::fs::read(real).map_err(|error| format!("cannot read the image `{value}`: {error}"))?;
        let source = real
            .strip_prefix(&self.root)
            .unwrap_or(real)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let name = hashed_name(&source, &sha256_hex(&contents)[..HASH_DIGITS]);
        let url = format!("{}{}", self.base_url.as_deref().unwrap_or_default(), url_path(&name));
        Ok(Asset { source, path: format!("{ASSETS_DIR}/{name}"), url, contents: contents.into() })
    }
}

/// The message for a reference that leaves the project.
fn outside_message(error: &LocalFileError) -> String {
    match error {
        LocalFileError::Absolute { reference } => {
            format!(
                "the image `{reference}` is an absolute path; write it relative to the template, inside the project"
            )
        }
        LocalFileError::Outside { reference } => format!("the image `{reference}` leads outside the project folder"),
        other => other.to_string(),
    }
}

/// Checks a base URL from `letterpress.toml` and gives it a final `/`, so asset paths can be
/// appended to it.
pub fn base_url(url: &str) -> Result<String, ExportError> {
    let invalid = || ExportError::InvalidBaseUrl { url: url.to_owned() };
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or_else(invalid)?;
    let host = rest.split('/').next().unwrap_or_default();
    // The URL goes into HTML attributes and CSS `url()` as it is, so it may hold nothing that
    // would end either early.
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || "\"'()<>\\`{}".contains(c);
    if host.is_empty() || url.contains(unsafe_char) || url.contains(['?', '#']) {
        return Err(invalid());
    }
    Ok(if url.ends_with('/') { url.to_owned() } else { format!("{url}/") })
}

/// The exported name of an image, relative to `assets/`: its path inside the project's `assets/`
/// folder when it is there, else inside the project, with the hash before the extension.
fn hashed_name(source: &str, hash: &str) -> String {
    let inside = source.strip_prefix("assets/").unwrap_or(source);
    let (folder, file) = match inside.rsplit_once('/') {
        Some((folder, file)) => (format!("{folder}/"), file),
        None => (String::new(), inside),
    };
    let file = match file.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{stem}.{hash}.{extension}"),
        _ => format!("{file}.{hash}"),
    };
    format!("{folder}{file}")
}

/// A path for a URL: every byte outside the unreserved set and `/` percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn has_scheme(value: &str, scheme: &str) -> bool {
    value.len() > scheme.len()
        && value.as_bytes()[scheme.len()] == b':'
        && value[..scheme.len()].eq_ignore_ascii_case(scheme)
}

/// Places a diagnostic where the reference is written: in the template's MJML or one of its
/// partials when the value appears there as written, else in the template's MJML file as a whole,
/// with the place in the compiled HTML in the message.
fn locate(
    mut diagnostic: Diagnostic,
    template: &Template,
    files: &[SourceFile],
    raw: &str,
    html: &str,
    offset: usize,
) -> Diagnostic {
    for file in files {
        if let Some(at) = file.text.find(raw) {
            diagnostic.file = file.display.clone();
            return diagnostic.span(file.position(at), file.position(at + raw.len()));
        }
    }
    let compiled = letterpress_core::diagnostic::LineIndex::new(html).position(html, offset);
    diagnostic.file = files.first().map_or_else(|| format!("{}/template.mjml", template.name), |f| f.display.clone());
    diagnostic.message.push_str(&format!(" (line {}, column {} of the compiled HTML)", compiled.line, compiled.column));
    diagnostic.at(Position::WHOLE_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls() {
        assert_eq!(hashed_name("assets/logo.png", "0123abcd"), "logo.0123abcd.png");
        assert_eq!(hashed_name("assets/icons/a.b.svg", "0123abcd"), "icons/a.b.0123abcd.svg");
        assert_eq!(hashed_name("welcome/hero", "0123abcd"), "welcome/hero.0123abcd");
        assert_eq!(hashed_name("assets/.hidden", "0123abcd"), ".hidden.0123abcd");
        assert_eq!(url_path("my logo/é.png"), "my%20logo/%C3%A9.png");
        assert_eq!(base_url("https://cdn.example.com/email").unwrap(), "https://cdn.example.com/email/");
        assert_eq!(base_url("https://cdn.example.com/email/").unwrap(), "https://cdn.example.com/email/");
        for bad in ["cdn.example.com/", "file:///srv/", "https://", "https://x.example/a b/", "https://x.example/?v=1"]
        {
            assert!(base_url(bad).is_err(), "{bad}");
        }
    }
}
