//! Local images in previews. Templates refer to images in the project (`../assets/logo.png`);
//! the preview frame has no file access, so such sources are replaced by `data:` URIs. Only files
//! inside the project are read; anything else is left as written and shows as a missing image.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The largest image inlined into a preview; bigger files are left out rather than slowing typing.
const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;

/// Replaces the local `src` and `background` attributes of `html` with `data:` URIs. Relative
/// paths resolve against `base` (the template's folder) and must stay inside `root`.
pub fn inline_local_images(html: &str, base: &Path, root: &Path) -> String {
    let mut out = String::with_capacity(html.len());
    let mut cache: HashMap<String, Option<String>> = HashMap::new();
    let mut rest = html;
    while let Some((before, quote, value, after)) = next_attribute(rest) {
        out.push_str(before);
        let replacement = if is_local(value) {
            cache.entry(value.to_owned()).or_insert_with(|| data_uri(value, base, root)).clone()
        } else {
            None
        };
        out.push_str(replacement.as_deref().unwrap_or(value));
        out.push(quote);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Finds the next ` src="…"` or ` background="…"` and splits the text around its value.
fn next_attribute(text: &str) -> Option<(&str, char, &str, &str)> {
    let mut from = 0;
    loop {
        let at = ["src=", "background="]
            .iter()
            .filter_map(|name| text[from..].find(name).map(|i| (from + i, name.len())))
            .min()?;
        let (start, len) = at;
        let preceded = text[..start].chars().next_back().is_some_and(|c| c.is_whitespace());
        let value_start = start + len;
        let quote = text[value_start..].chars().next().filter(|c| *c == '"' || *c == '\'');
        match (preceded, quote) {
            (true, Some(quote)) => {
                let open = value_start + 1;
                let close = open + text[open..].find(quote)?;
                return Some((&text[..open], quote, &text[open..close], &text[close + 1..]));
            }
            _ => from = value_start,
        }
    }
}

fn is_local(src: &str) -> bool {
    let src = src.trim();
    !(src.is_empty()
        || src.starts_with("//")
        || src.starts_with('#')
        || src.starts_with('{')
        || src.contains(':')
            && src
                .split(':')
                .next()
                .is_some_and(|scheme| scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))))
}

fn data_uri(src: &str, base: &Path, root: &Path) -> Option<String> {
    let relative = src.split(['?', '#']).next()?;
    let mut path: PathBuf = base.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::ParentDir => {
                path.pop();
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    let canonical = path.canonicalize().ok()?;
    if !canonical.starts_with(root.canonicalize().ok()?) || std::fs::metadata(&canonical).ok()?.len() > MAX_IMAGE_BYTES
    {
        return None;
    }
    let bytes = std::fs::read(&canonical).ok()?;
    Some(format!("data:{};base64,{}", content_type(&canonical), base64(&bytes)))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn local_images_inside_the_project_become_data_uris() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::create_dir_all(root.join("welcome")).unwrap();
        std::fs::write(root.join("assets/logo.png"), b"png").unwrap();
        std::fs::write(dir.path().join("../outside.png"), b"no").ok();
        let html = r#"<img src="../assets/logo.png" alt=""><img src="https://x.example/a.png"><td background='../assets/logo.png'><img src="../../outside.png"><img data-src="../assets/logo.png">"#;
        let out = inline_local_images(html, &root.join("welcome"), root);
        assert_eq!(
            out,
            r#"<img src="data:image/png;base64,cG5n" alt=""><img src="https://x.example/a.png"><td background='data:image/png;base64,cG5n'><img src="../../outside.png"><img data-src="../assets/logo.png">"#
        );
    }
}
