//! Local images in previews. Templates refer to images in the project (`../assets/logo.png`);
//! the preview frame has no file access, so such references are replaced by `data:` URIs. They
//! are found with the core's scanner, the one sending and export use, so the preview shows the
//! images a test send embeds. Only files inside the project are read; anything else is left as
//! written and shows as a missing image.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine;
use letterpress_core::local;

/// The largest image inlined into a preview; bigger files are left out rather than slowing typing.
const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;

/// Replaces the local image references of `html` (`src`, `background`, CSS `url()`) with `data:`
/// URIs. Relative paths resolve against `base` (the template's folder) and must stay inside
/// `root`.
pub fn inline_local_images(html: &str, base: &Path, root: &Path) -> String {
    let Ok(root) = root.canonicalize() else { return html.to_owned() };
    let mut cache: HashMap<&str, Option<String>> = HashMap::new();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (range, raw) in local::image_references(html) {
        let replacement = cache.entry(raw).or_insert_with(|| data_uri(raw, base, &root)).clone();
        if let Some(uri) = replacement {
            out.push_str(&html[at..range.start]);
            out.push_str(&uri);
            at = range.end;
        }
    }
    out.push_str(&html[at..]);
    out
}

fn data_uri(raw: &str, base: &Path, root: &Path) -> Option<String> {
    let reference = local::decode_entities(raw);
    let relative = local::local_path(&reference).ok()??;
    let path = local::confine(base, root, &reference, &relative).ok()?;
    if std::fs::metadata(&path).ok()?.len() > MAX_IMAGE_BYTES {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    Some(format!(
        "data:{};base64,{}",
        local::content_type(&path),
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_images_inside_the_project_become_data_uris() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::create_dir_all(root.join("welcome")).unwrap();
        std::fs::write(root.join("assets/logo.png"), b"png").unwrap();
        std::fs::write(dir.path().join("outside.png"), b"no").unwrap();
        let html = r#"<img src="../assets/logo.png" alt=""><img src="https://x.example/a.png"><td background='../assets/logo.png' style="background:url('../assets/logo.png')"><img src="../../outside.png"><img data-src="../assets/logo.png">"#;
        let out = inline_local_images(html, &root.join("welcome"), &root);
        assert_eq!(
            out,
            r#"<img src="data:image/png;base64,cG5n" alt=""><img src="https://x.example/a.png"><td background='data:image/png;base64,cG5n' style="background:url('data:image/png;base64,cG5n')"><img src="../../outside.png"><img data-src="../assets/logo.png">"#
        );
    }
}
