//! A rendered template as a preview shows it. Templates refer to images in the project
//! (`../assets/logo.png`); a preview frame has no file access, so such references are replaced
//! by `data:` URIs. They are found with `local.rs`, the search sending and export use, so the
//! preview shows the images a test send embeds. Only files inside the project are read;
//! anything else is left as written and shows as a missing image.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine;
use serde::Serialize;

use crate::checks::clients::ClientSupport;
use crate::compile::Place;
use crate::diagnostic::Diagnostic;
use crate::local;
use crate::pipeline::Rendered;
use crate::project::Project;

/// The largest image inlined into a preview; bigger files are left out rather than slowing typing.
const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;

/// What a preview shows of one rendered template.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PreviewResult"))]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub template: String,
    pub data_set: Option<String>,
    /// The filled HTML, local images inlined.
    pub html: String,
    pub text: String,
    pub subject: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The size of the final HTML in bytes as it will be sent, images not inlined: what
    /// Gmail's clipping looks at.
    pub html_bytes: usize,
    /// Time spent compiling and filling, in milliseconds.
    pub compile_ms: f64,
    /// The MJML files that took part, project-relative: the template first, then its partials.
    pub files: Vec<String>,
    /// How the popular mail clients support what the template uses; `None` when it did not
    /// compile, or when it was not asked for.
    pub clients: Option<ClientSupport>,
    /// The same email with source markers (`<!--lp-src:N-->` before the element `places[N]`
    /// wrote), images inlined, for the preview only; never sent or exported.
    pub marked_html: Option<String>,
    /// Where in the MJML each marker's element starts.
    pub places: Vec<Place>,
}

impl Preview {
    /// The preview of `rendered`, a template of `project`, which took `compile_ms` to render;
    /// the client-support table only when `clients` asks for it.
    pub fn new(rendered: Rendered, project: &Project, clients: bool, compile_ms: f64) -> Preview {
        let base = project.template(&rendered.template).map_or_else(|| project.root.clone(), |t| t.dir.clone());
        let html = inline_local_images(&rendered.html, &base, &project.root);
        // The marked copy refers to the same images; without any to inline, it is left as it is.
        let marked_html = if html == rendered.html {
            rendered.marked_html
        } else {
            rendered.marked_html.map(|m| inline_local_images(&m, &base, &project.root))
        };
        Preview {
            template: rendered.template,
            data_set: rendered.data_set,
            html_bytes: rendered.html.len(),
            html,
            text: rendered.text,
            subject: rendered.subject,
            diagnostics: rendered.diagnostics,
            compile_ms,
            files: rendered.files,
            clients: if clients { rendered.clients } else { None },
            marked_html,
            places: rendered.places,
        }
    }
}

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
    use crate::pipeline::Pipeline;

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

    #[test]
    fn a_preview_inlines_images_in_both_copies_and_counts_the_html_as_sent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let files: [(&str, &[u8]); 3] = [
            (
                "welcome/template.mjml",
                b"<mjml><mj-body><mj-section><mj-column><mj-image src=\"../assets/logo.png\" alt=\"Logo\" /><mj-text>Hi {{name}}</mj-text></mj-column></mj-section></mj-body></mjml>\n",
            ),
            ("welcome/data/default.json", b"{\"name\": \"Ada\"}\n"),
            ("assets/logo.png", b"png"),
        ];
        for (path, contents) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        let project = Project::load(&root).unwrap();
        let pipeline = Pipeline::default();
        let rendered = pipeline.render(&project, "welcome", None).unwrap();
        let sent_bytes = rendered.html.len();
        assert!(rendered.html.contains("../assets/logo.png"));
        assert!(rendered.marked_html.as_deref().is_some_and(|m| m.contains("../assets/logo.png")));

        let preview = Preview::new(rendered.clone(), &project, false, 12.5);
        assert_eq!((preview.template.as_str(), preview.data_set.as_deref()), ("welcome", Some("default")));
        assert_eq!(preview.html_bytes, sent_bytes, "the size is of the HTML as sent");
        assert!(preview.html.contains("data:image/png;base64,cG5n") && !preview.html.contains("../assets/"));
        let marked = preview.marked_html.as_deref().unwrap();
        assert!(marked.contains("data:image/png;base64,cG5n") && !marked.contains("../assets/"));
        assert!(preview.html.contains("Hi Ada"));
        assert_eq!(preview.compile_ms, 12.5);
        assert!(preview.clients.is_none(), "not asked for");
        assert!(rendered.clients.is_some());
        assert!(Preview::new(rendered, &project, true, 0.0).clients.is_some(), "asked for");
        let json = serde_json::to_value(&preview).unwrap();
        assert_eq!(json["htmlBytes"], sent_bytes);
        assert!(json.get("markedHtml").is_some() && json.get("dataSet").is_some(), "{json}");
    }
}
