//! Local images in exports: published under the base URL with hashed names and written with the
//! export, or refused with a positioned diagnostic when recipients could not load them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use letterpress_core::{Code, Pipeline, Position, Severity};
use letterpress_export::{Change, Format, Plan, Target};

use crate::util;

const BASE: &str = "https://cdn.example.com/email/";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nlogo";

/// A project of one template, `welcome`, whose body is `body`, with four images in `assets/`.
fn project(config: &str, body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let mjml = format!(
        "<mjml lang=\"en\" dir=\"ltr\">\n<mj-head><mj-title>Welcome</mj-title></mj-head>\n<mj-body>\n{body}\n</mj-body>\n</mjml>\n"
    );
    let files: [(&str, &[u8]); 8] = [
        ("letterpress.toml", config.as_bytes()),
        ("welcome/template.mjml", mjml.as_bytes()),
        ("welcome/subject.hbs", b"Welcome\n"),
        ("welcome/data/default.json", b"{\"avatar\": \"https://example.com/a.png\"}\n"),
        ("assets/logo.png", PNG),
        ("assets/bg.png", b"background"),
        ("assets/dot.gif", b"dot"),
        ("assets/patterns/paper.png", b"paper"),
    ];
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    (dir, root)
}

fn config_with_base() -> String {
    format!("[assets]\nbase_url = \"{BASE}\"\n")
}

const LOGO: &str =
    "<mj-section><mj-column>\n  <mj-image src=\"../assets/logo.png\" alt=\"Logo\" />\n</mj-column></mj-section>";

fn plan_of(root: &Path, target: &Target) -> Plan {
    letterpress_export::plan(&util::load(root), &Pipeline::default(), target, |_| {}).unwrap()
}

fn exported_html(out: &Path) -> String {
    String::from_utf8(std::fs::read(out.join("welcome/template.html")).unwrap()).unwrap()
}

/// The first eight hex digits of the SHA-256 of `bytes`, as exported names carry them.
fn short_hash(bytes: &[u8]) -> String {
    letterpress_export::format::sha256_hex(bytes)[..8].to_owned()
}

/// Every image URL in `html`, found without the export's own scanner: the values of `src=` and
/// `background=` attributes and of CSS `url(…)`.
fn image_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for marker in ["src=\"", "background=\"", "url('", "url(\"", "url(&quot;"] {
        for (at, _) in html.match_indices(marker) {
            let rest = &html[at + marker.len()..];
            let end = rest.find(['"', '\'', ')', '&']).unwrap_or(rest.len());
            urls.push(rest[..end].to_owned());
        }
    }
    for (at, _) in html.match_indices("url(") {
        let rest = &html[at + 4..];
        if !rest.starts_with(['\'', '"', '&']) {
            urls.push(rest[..rest.find(')').unwrap_or(rest.len())].trim().to_owned());
        }
    }
    urls
}

/// The HTML of every template in an export folder, by format.
fn html_of_export(format: Format, files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    let text = |bytes: &Vec<u8>| String::from_utf8(bytes.clone()).unwrap();
    let json = |bytes: &Vec<u8>| serde_json::from_slice::<serde_json::Value>(bytes).unwrap();
    let mut found = Vec::new();
    for (path, bytes) in files {
        if path == letterpress_export::RECORD {
            continue;
        }
        let html = match format {
            Format::Plain if path.ends_with("/template.html") => text(bytes),
            Format::Postmark if path.ends_with("/content.html") => text(bytes),
            Format::Sendgrid if path.ends_with(".json") => json(bytes)["html_content"].as_str().unwrap().to_owned(),
            Format::Mailgun if path.ends_with(".json") => json(bytes)["template"].as_str().unwrap().to_owned(),
            Format::Ses if path.ends_with(".json") && !path.starts_with("test-data/") => {
                json(bytes)["TemplateContent"]["Html"].as_str().unwrap().to_owned()
            }
            _ => continue,
        };
        found.push((path.clone(), html));
    }
    found
}

#[test]
fn the_bundled_project_exports_every_image_under_its_base_url_in_every_format() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    let project = util::load(&bundled);
    let base = project.config.assets.base_url.clone().expect("the bundled project sets a base URL");
    for format in Format::ALL {
        let out = tempfile::tempdir().unwrap();
        let (plan, _) = util::export(&project, format, out.path(), false);
        assert!(!plan.blocked && plan.failed().next().is_none(), "{format}: {:#?}", plan.templates);
        let files = util::read_tree(out.path());
        let pages = html_of_export(format, &files);
        assert_eq!(pages.len(), project.templates.len(), "{format}");
        let mut published = 0;
        for (path, html) in pages {
            for url in image_urls(&html) {
                let remote = ["https://", "{{", "data:", "cid:"].iter().any(|p| url.starts_with(p));
                assert!(remote, "{format}: `{path}` refers to `{url}`");
                let Some(name) = url.strip_prefix(&base) else {
                    continue;
                };
                let asset = format!("assets/{name}");
                let bytes = files.get(&asset).unwrap_or_else(|| panic!("{format}: `{asset}` is not exported"));
                assert!(name.contains(&format!(".{}.", short_hash(bytes))), "{format}: `{asset}` lacks its hash");
                published += 1;
            }
        }
        assert!(published >= project.templates.len(), "{format}: every template shows the logo");
        assert!(files.keys().filter(|p| p.starts_with("assets/")).count() >= 1, "{format}");
    }
}

#[test]
fn src_background_and_css_urls_are_published_and_other_urls_left_alone() {
    let body = concat!(
        "<mj-raw><style>.paper { background: url(../assets/patterns/paper.png) repeat; }</style></mj-raw>\n",
        "<mj-section background-url=\"../assets/bg.png\" background-size=\"cover\"><mj-column>\n",
        "<mj-image src=\"../assets/logo.png\" alt=\"Logo\" />\n",
        "<mj-image src=\"../assets/logo.png\" alt=\"Logo again\" />\n",
        "<mj-text><div style=\"background-image:url('../assets/dot.gif')\">Hi</div></mj-text>\n",
        "<mj-image src=\"https://example.com/banner.png\" alt=\"Banner\" />\n",
        "<mj-image src=\"{{avatar}}\" alt=\"\" />\n",
        "<mj-image src=\"cid:logo@example\" alt=\"\" />\n",
        "<mj-image src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"\" />\n",
        "</mj-column></mj-section>",
    );
    let (_dir, root) = project(&config_with_base(), body);
    let out = root.join("dist");
    let (plan, _) = util::export(&util::load(&root), Format::Plain, &out, false);
    assert!(!plan.blocked, "{:#?}", plan.templates);
    let html = exported_html(&out);
    assert!(!html.contains("../assets"), "{html}");
    let logo = format!("{BASE}logo.{}.png", short_hash(PNG));
    let bg = format!("{BASE}bg.{}.png", short_hash(b"background"));
    let dot = format!("{BASE}dot.{}.gif", short_hash(b"dot"));
    let paper = format!("{BASE}patterns/paper.{}.png", short_hash(b"paper"));
    assert_eq!(html.matches(&format!("src=\"{logo}\"")).count(), 2, "{html}");
    assert!(html.contains(&format!("background=\"{bg}\"")), "{html}");
    assert!(html.contains(&format!("url('{bg}')")), "inline style: {html}");
    assert!(html.contains(&format!("src=\"{bg}\"")), "Outlook's v:fill: {html}");
    assert!(html.contains(&format!("url('{dot}')")), "{html}");
    assert!(html.contains(&format!("url({paper})")), "`<style>` block: {html}");
    for kept in ["https://example.com/banner.png", "{{avatar}}", "cid:logo@example", "data:image/gif;base64,"] {
        assert!(html.contains(&format!("src=\"{kept}")), "{kept}: {html}");
    }

    let files = util::read_tree(&out);
    let assets: Vec<&str> = files.keys().filter(|p| p.starts_with("assets/")).map(String::as_str).collect();
    let expected = [
        format!("assets/bg.{}.png", short_hash(b"background")),
        format!("assets/dot.{}.gif", short_hash(b"dot")),
        format!("assets/logo.{}.png", short_hash(PNG)),
        format!("assets/patterns/paper.{}.png", short_hash(b"paper")),
    ];
    assert_eq!(assets, expected);
    assert_eq!(files[&expected[2]], PNG);

    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["templates"]["welcome"]["assets"], serde_json::json!(expected));
    let entry = &manifest["assets"][&expected[2]];
    assert_eq!(entry["source"], "assets/logo.png");
    assert_eq!(entry["url"], logo.as_str());
    assert_eq!(entry["bytes"], PNG.len());
    assert_eq!(entry["sha256"], letterpress_export::format::sha256_hex(PNG));
    let planned = plan.files.iter().find(|f| f.path == expected[2]).unwrap();
    assert_eq!(planned.template, None);
}

#[test]
fn every_esp_format_publishes_images_too() {
    let (_dir, root) = project(&config_with_base(), LOGO);
    let logo = format!("{BASE}logo.{}.png", short_hash(PNG));
    for format in [Format::Postmark, Format::Sendgrid, Format::Mailgun, Format::Ses] {
        let out = root.join(format!("dist/{format}"));
        util::export(&util::load(&root), format, &out, false);
        let files = util::read_tree(&out);
        let pages = html_of_export(format, &files);
        assert_eq!(pages.len(), 1, "{format}");
        assert_eq!(image_urls(&pages[0].1), std::slice::from_ref(&logo), "{format}");
        assert_eq!(files[&format!("assets/logo.{}.png", short_hash(PNG))], PNG, "{format}");
    }
}

#[test]
fn a_target_may_override_the_base_url() {
    let config = format!(
        "[assets]\nbase_url = \"{BASE}\"\n\n[[export]]\nformat = \"plain\"\nout = \"dist/a\"\n\n[[export]]\nformat = \"sendgrid\"\nout = \"dist/b\"\nbase_url = \"https://images.example.org/v2\"\n"
    );
    let (_dir, root) = project(&config, LOGO);
    let project = util::load(&root);
    let targets = letterpress_export::configured_targets(&project).unwrap();
    assert_eq!(targets[0].base_url, None);
    assert_eq!(targets[1].base_url.as_deref(), Some("https://images.example.org/v2"));
    let name = format!("logo.{}.png", short_hash(PNG));
    for (target, base) in targets.iter().zip([BASE, "https://images.example.org/v2/"]) {
        let plan = letterpress_export::plan(&project, &Pipeline::default(), target, |_| {}).unwrap();
        let html: String =
            plan.files.iter().map(|f| String::from_utf8_lossy(f.contents()).into_owned()).collect::<String>();
        assert!(html.contains(&format!("{base}{name}")), "{base}: {html}");
    }
    // A base URL that is not an absolute web URL is refused before anything is planned.
    let bad = Target { base_url: Some("cdn.example.com/email".into()), ..Target::new(Format::Plain, root.join("x")) };
    let error = letterpress_export::plan(&project, &Pipeline::default(), &bad, |_| {}).unwrap_err();
    assert_eq!(error.code().as_str(), "invalid-base-url");
    assert_eq!(
        error.to_string(),
        "asset base URL `cdn.example.com/email` is not an absolute `https://` or `http://` URL without a query"
    );
}

#[test]
fn a_changed_image_gets_a_new_name_and_the_old_copy_stays() {
    let (_dir, root) = project(&config_with_base(), LOGO);
    let out = root.join("dist");
    util::export(&util::load(&root), Format::Postmark, &out, false);
    let old = format!("assets/logo.{}.png", short_hash(PNG));
    assert!(out.join(&old).is_file());

    std::fs::write(root.join("assets/logo.png"), b"a new logo").unwrap();
    let new = format!("assets/logo.{}.png", short_hash(b"a new logo"));
    assert_ne!(old, new);
    let plan = util::plan(&util::load(&root), Format::Postmark, &out, false);
    let pending: Vec<(&str, Change)> = plan.pending().map(|f| (f.path.as_str(), f.change)).collect();
    assert_eq!(
        pending,
        [
            (letterpress_export::RECORD, Change::Updated),
            (new.as_str(), Change::Created),
            ("welcome/content.html", Change::Updated)
        ]
    );
    letterpress_export::apply(&plan, |_| {}).unwrap();
    let html = std::fs::read_to_string(out.join("welcome/content.html")).unwrap();
    assert!(html.contains(&format!("{BASE}{}", &new["assets/".len()..])), "{html}");
    // Messages already sent still refer to the old copy, so it is kept.
    assert_eq!(std::fs::read(out.join(&old)).unwrap(), PNG);
}

#[test]
fn a_missing_or_stale_asset_makes_the_export_out_of_date() {
    let (_dir, root) = project(&config_with_base(), LOGO);
    let out = root.join("dist");
    let project = util::load(&root);
    util::export(&project, Format::Ses, &out, false);
    let asset = format!("assets/logo.{}.png", short_hash(PNG));
    assert!(util::plan(&project, Format::Ses, &out, false).is_up_to_date());

    std::fs::write(out.join(&asset), b"edited").unwrap();
    let plan = util::plan(&project, Format::Ses, &out, false);
    let pending: Vec<(&str, Change)> = plan.pending().map(|f| (f.path.as_str(), f.change)).collect();
    assert_eq!(pending, [(asset.as_str(), Change::Updated)]);

    std::fs::remove_file(out.join(&asset)).unwrap();
    let plan = util::plan(&project, Format::Ses, &out, false);
    let pending: Vec<(&str, Change)> = plan.pending().map(|f| (f.path.as_str(), f.change)).collect();
    assert_eq!(pending, [(asset.as_str(), Change::Created)]);
}

/// The one diagnostic about images of the `welcome` template in `plan`.
fn only_diagnostic(plan: &Plan) -> &letterpress_core::Diagnostic {
    let welcome = plan.templates.iter().find(|t| t.name == "welcome").unwrap();
    let images: Vec<_> = welcome.diagnostics.iter().filter(|d| letterpress_export::is_image_problem(d)).collect();
    assert_eq!(images.len(), 1, "{:#?}", welcome.diagnostics);
    images[0]
}

#[test]
fn without_a_base_url_esp_exports_fail_and_plain_exports_warn() {
    let (_dir, root) = project("", LOGO);
    let out = root.join("dist");
    for format in [Format::Postmark, Format::Sendgrid, Format::Mailgun, Format::Ses] {
        let plan = util::plan(&util::load(&root), format, &out, false);
        assert!(plan.blocked && plan.files.is_empty(), "{format}");
        let diagnostic = only_diagnostic(&plan);
        assert_eq!((diagnostic.severity, diagnostic.code), (Severity::Error, Code::LocalImage), "{format}");
        assert_eq!(diagnostic.file, "welcome/template.mjml");
        // Line 5 of the template: `  <mj-image src="../assets/logo.png" …`, the value in quotes.
        assert_eq!((diagnostic.start, diagnostic.end), (Position::new(5, 18), Position::new(5, 36)));
        assert_eq!(
            diagnostic.to_string(),
            "welcome/template.mjml:5:18: error[local-image]: `../assets/logo.png` is a local image, which recipients cannot load, and no base URL is set to publish it; set `base_url` under `[assets]` in `letterpress.toml`"
        );
        letterpress_export::apply(&plan, |_| {}).unwrap();
        assert!(!out.exists(), "{format}: a blocked export writes nothing");
    }

    let (plan, _) = util::export(&util::load(&root), Format::Plain, &out, false);
    assert!(!plan.blocked && plan.failed().next().is_none());
    let diagnostic = only_diagnostic(&plan);
    assert_eq!((diagnostic.severity, diagnostic.code), (Severity::Warning, Code::LocalImage));
    assert!(exported_html(&out).contains("src=\"../assets/logo.png\""));
    assert!(!out.join("assets").exists(), "without a base URL no image is published");

    let target = Target { allow_local_images: true, ..Target::new(Format::Plain, &out) };
    let plan = plan_of(&root, &target);
    let welcome = plan.templates.iter().find(|t| t.name == "welcome").unwrap();
    assert!(welcome.exported, "{:#?}", welcome.diagnostics);
    assert!(!welcome.diagnostics.iter().any(letterpress_export::is_image_problem), "{:#?}", welcome.diagnostics);
    // Accepting local paths is for plain files only; an ESP export still fails.
    let target = Target { allow_local_images: true, ..Target::new(Format::Mailgun, &out) };
    assert!(plan_of(&root, &target).blocked);
}

#[test]
fn an_image_written_in_a_partial_is_reported_there() {
    let (_dir, root) = project("", "<mj-include path=\"../partials/header.mjml\" />");
    std::fs::create_dir_all(root.join("partials")).unwrap();
    std::fs::write(root.join("partials/header.mjml"), format!("<!-- the logo -->\n{LOGO}\n")).unwrap();
    let plan = util::plan(&util::load(&root), Format::Sendgrid, &root.join("dist"), false);
    let diagnostic = only_diagnostic(&plan);
    assert_eq!(diagnostic.file, "partials/header.mjml");
    assert_eq!(diagnostic.start, Position::new(3, 18));
}

#[test]
fn a_missing_image_is_an_error_in_every_format() {
    let body = "<mj-section><mj-column><mj-image src=\"../assets/gone.png\" alt=\"\" /></mj-column></mj-section>";
    for config in [config_with_base(), String::new()] {
        let (_dir, root) = project(&config, body);
        for format in Format::ALL {
            let plan = util::plan(&util::load(&root), format, &root.join("dist"), false);
            assert!(plan.blocked && plan.files.is_empty(), "{format}");
            let diagnostic = only_diagnostic(&plan);
            assert_eq!((diagnostic.severity, diagnostic.code), (Severity::Error, Code::ImageNotFound), "{format}");
            assert_eq!(diagnostic.message, "the image `../assets/gone.png` does not exist");
            assert_eq!(diagnostic.start, Position::new(4, 39));
        }
    }
}

#[test]
fn an_image_outside_the_project_is_refused() {
    let (dir, root) = project(&config_with_base(), "BODY");
    std::fs::write(dir.path().join("secret.png"), b"not for export").unwrap();
    let cases = [
        ("../../secret.png", "the image `../../secret.png` leads outside the project folder"),
        (
            "/etc/hostname",
            "the image `/etc/hostname` is an absolute path; write it relative to the template, inside the project",
        ),
        (
            "file:///etc/hostname",
            "the image `file:///etc/hostname` is a `file:` URL, which no recipient can load; write its path relative to the template",
        ),
    ];
    let mjml = std::fs::read_to_string(root.join("welcome/template.mjml")).unwrap();
    for (src, message) in cases {
        let image = format!("<mj-section><mj-column><mj-image src=\"{src}\" alt=\"\" /></mj-column></mj-section>");
        std::fs::write(root.join("welcome/template.mjml"), mjml.replace("BODY", &image)).unwrap();
        for format in [Format::Plain, Format::Postmark] {
            let plan = util::plan(&util::load(&root), format, &root.join("dist"), false);
            assert!(plan.blocked, "{src}");
            let diagnostic = only_diagnostic(&plan);
            assert_eq!(diagnostic.code, Code::ImageOutsideProject, "{src}");
            assert_eq!(diagnostic.message, message);
        }
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.png"), root.join("assets/linked.png")).unwrap();
        let image =
            "<mj-section><mj-column><mj-image src=\"../assets/linked.png\" alt=\"\" /></mj-column></mj-section>";
        std::fs::write(root.join("welcome/template.mjml"), mjml.replace("BODY", image)).unwrap();
        let plan = util::plan(&util::load(&root), Format::Plain, &root.join("dist"), false);
        assert!(plan.blocked);
        assert_eq!(only_diagnostic(&plan).code, Code::ImageOutsideProject);
        assert!(!root.join("dist").exists());
    }
}
