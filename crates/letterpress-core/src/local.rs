//! Local files that a template refers to by URL, such as images: finding every image reference
//! in compiled HTML, telling local files from remote URLs, and keeping them inside the project
//! folder.
//!
//! The preview inlines these files, sending a test embeds them and exporting publishes them; all
//! three find them with [`image_references`], so they agree on what a template's images are, and
//! none reads a file outside the project.
//!
//! [`confine_path`] is the one check that keeps reads inside a folder; templates, subjects, text
//! parts, data sets, the project file, includes and images all go through it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::markup::{Token, Tokens};

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

/// An attribute value with its character references decoded, as a browser reads it.
pub fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every URL in `html` that a mail client loads as an image, as byte ranges of the value and its
/// text: `src` and `background` attributes of any element (Outlook's VML `v:fill` and `v:image`
/// included, inside conditional comments), and CSS `url(…)` in `style` attributes and `<style>`
/// blocks.
///
/// Read with the markup reader rather than an HTML parser: compiled email HTML is regular, and
/// rewriting in place keeps every other byte of the compiled output as it was.
pub fn image_references(html: &str) -> Vec<(Range<usize>, &str)> {
    let mut found = Vec::new();
    references_in(html, 0, &mut found);
    found
}

/// The image references of `html[from..]`.
fn references_in<'a>(html: &'a str, from: usize, found: &mut Vec<(Range<usize>, &'a str)>) {
    let mut tokens = Tokens::new(html);
    tokens.skip_to(from);
    while let Some(token) = tokens.next() {
        match token {
            // Outlook's conditional comments hold real markup.
            Token::Comment(range) => {
                let inner_end = if html[range.clone()].ends_with("-->") { range.end - 3 } else { range.end };
                references_in(&html[..inner_end.max(range.start + 4)], range.start + 4, found);
            }
            Token::Start(tag) => {
                for attribute in &tag.attributes {
                    let Some(value) = attribute.value_range() else { continue };
                    if attribute.name.eq_ignore_ascii_case("src") || attribute.name.eq_ignore_ascii_case("background") {
                        found.push((value.clone(), &html[value]));
                    } else if attribute.name.eq_ignore_ascii_case("style") {
                        css_urls(html, value, found);
                    }
                }
                if tag.name.eq_ignore_ascii_case("style") && !tag.self_closing {
                    let content_end = tokens.skip_content(&tag).unwrap_or(html.len());
                    css_urls(html, tag.end..content_end, found);
                }
            }
            _ => {}
        }
    }
}

/// The values of CSS `url(…)` functions in `html[range]`, quoted with `'`, `"` or an encoded quote
/// (inside an HTML attribute), or unquoted.
fn css_urls<'a>(html: &'a str, range: Range<usize>, found: &mut Vec<(Range<usize>, &'a str)>) {
    let mut at = range.start;
    while let Some(start) = find_ignore_case(html, at, "url(").filter(|&s| s < range.end) {
        let mut j = start + 4;
        while j < range.end && html.as_bytes()[j].is_ascii_whitespace() {
            j += 1;
        }
        let rest = &html[j..range.end];
        let quote = ["&quot;", "&#39;", "&#x27;", "\"", "'"].into_iter().find(|q| rest.starts_with(q));
        let (value_start, end) = match quote {
            Some(quote) => {
                let value_start = j + quote.len();
                (value_start, html[value_start..range.end].find(quote).map(|e| value_start + e))
            }
            None => (j, html[j..range.end].find(')').map(|e| j + e)),
        };
        let Some(value_end) = end else {
            break;
        };
        let value = &html[value_start..value_end];
        let trimmed = value.trim();
        let lead = value.len() - value.trim_start().len();
        found.push((value_start + lead..value_start + lead + trimmed.len(), trimmed));
        at = value_end;
    }
}

fn find_ignore_case(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    (from..bytes.len().saturating_sub(needle.len() - 1))
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The media type of an image file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
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

    #[test]
    fn finds_images_in_attributes_styles_and_style_blocks() {
        let html = concat!(
            "<style type=\"text/css\">.x { background: URL( ../a/p.png ) } .y{background:url(\"q.png\")}</style>",
            "<!--[if mso]><v:fill src=\"bg.png\" /><![endif]-->",
            "<td background='bg.png' style=\"background:url('bg.png') center;x:url(&quot;e.png&quot;)\">",
            "<IMG alt=\"a>b\" SRC=logo.png><img data-src=\"no.png\" src = \"{{avatar}}\" />",
            "<p>url(text.png) is text</p>",
        );
        let values: Vec<&str> = image_references(html).into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, ["../a/p.png", "q.png", "bg.png", "bg.png", "bg.png", "e.png", "logo.png", "{{avatar}}"]);
        for (range, value) in image_references(html) {
            assert_eq!(&html[range], value);
        }
    }
}
