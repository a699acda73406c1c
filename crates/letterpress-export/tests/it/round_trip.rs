//! Round trips: exported templates, filled with the same data as each format's engine fills them,
//! give exactly what the preview of that engine shows. (That the fill engine is handlebars.js's
//! is proven against the real npm package in `tests/handlebars/`.)

use std::path::Path;

use letterpress_core::fill::{Part, Settings, Template};
use letterpress_core::{Pipeline, Project};
use letterpress_export::Format;
use serde_json::Value;

use crate::util;

/// One exported template read back from the target folder.
struct ReadBack {
    html: String,
    text: Option<String>,
    subject: String,
    /// The sample data the format carries, if it has a place for it.
    data: Option<Value>,
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A text file's contents without the line break the export adds.
fn text_file(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.strip_suffix('\n').unwrap().to_owned()
}

fn read_back(format: Format, out: &Path, name: &str) -> ReadBack {
    match format {
        Format::Plain => ReadBack {
            html: text_file(&out.join(name).join("template.html")),
            text: Some(std::fs::read_to_string(out.join(name).join("template.txt")).unwrap()),
            subject: text_file(&out.join(name).join("subject.txt")),
            data: None,
        },
        Format::Postmark => {
            let meta = json(&out.join(name).join("meta.json"));
            ReadBack {
                html: text_file(&out.join(name).join("content.html")),
                text: Some(std::fs::read_to_string(out.join(name).join("content.txt")).unwrap()),
                subject: meta["Subject"].as_str().unwrap().to_owned(),
                data: Some(meta["TestRenderModel"].clone()),
            }
        }
        Format::Sendgrid => {
            let version = json(&out.join(format!("{name}.json")));
            ReadBack {
                html: version["html_content"].as_str().unwrap().to_owned(),
                text: Some(version["plain_content"].as_str().unwrap().to_owned()),
                subject: version["subject"].as_str().unwrap().to_owned(),
                data: Some(serde_json::from_str(version["test_data"].as_str().unwrap()).unwrap()),
            }
        }
        Format::Mailgun => {
            let template = json(&out.join(format!("{name}.json")));
            let headers: Value = serde_json::from_str(template["headers"].as_str().unwrap()).unwrap();
            ReadBack {
                html: template["template"].as_str().unwrap().to_owned(),
                text: None,
                subject: headers["Subject"].as_str().unwrap().to_owned(),
                data: None,
            }
        }
        Format::Ses => {
            let template = json(&out.join(format!("{name}.json")));
            let test = json(&out.join("test-data").join(format!("{name}.json")));
            assert_eq!(test["TemplateName"], template["TemplateName"]);
            let content = &template["TemplateContent"];
            ReadBack {
                html: content["Html"].as_str().unwrap().to_owned(),
                text: Some(content["Text"].as_str().unwrap().to_owned()),
                subject: content["Subject"].as_str().unwrap().to_owned(),
                data: Some(serde_json::from_str(test["TemplateData"].as_str().unwrap()).unwrap()),
            }
        }
    }
}

fn data_set(project: &Project, template: &str, set: &str) -> Value {
    let path = project.template(template).unwrap().data_set(set).unwrap().path.clone();
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Fills the three parts as the format's engine does.
fn fill(exported: &ReadBack, data: &Value, settings: &Settings) -> (String, Option<String>, String) {
    let fill = |source: &str, part| Template::parse(source).unwrap().fill(data, settings, part).unwrap();
    let html = fill(&exported.html, Part::Html);
    let text = exported.text.as_ref().map(|t| fill(t, Part::Text));
    (html, text, fill(&exported.subject, Part::Subject))
}

#[test]
fn every_format_fills_to_the_preview() {
    let project = util::load(&util::fixture());
    let pipeline = Pipeline::default();
    for format in Format::ALL {
        let out = tempfile::tempdir().unwrap();
        util::export(&project, format, out.path(), false);
        for template in &project.templates {
            let exported = read_back(format, out.path(), &template.name);
            let default = data_set(&project, &template.name, "default");
            if let Some(carried) = &exported.data {
                assert_eq!(carried, &default, "{format}: sample data of `{}`", template.name);
            }
            let settings = format.settings(&project.config);
            let preview = pipeline.render_as(&project, &template.name, None, &settings).unwrap();
            let (html, text, subject) = fill(&exported, &default, &settings);
            assert_eq!(html, preview.html, "{format}: HTML of `{}`", template.name);
            if let Some(text) = text {
                assert_eq!(text, preview.text, "{format}: text of `{}`", template.name);
            }
            assert_eq!(subject, preview.subject, "{format}: subject of `{}`", template.name);
        }
    }
}

#[test]
fn every_data_set_fills_to_its_preview() {
    assert_eq!(fill_every_data_set(&util::fixture()), 5);
}

#[test]
fn every_data_set_of_the_bundled_project_fills_to_its_preview() {
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    assert_eq!(fill_every_data_set(&bundled), 21);
}

/// Exports the project in `root` as plain files, fills each template with each of its data sets
/// and compares with the preview. Returns how many pairs were compared.
fn fill_every_data_set(root: &Path) -> usize {
    let project = util::load(root);
    let pipeline = Pipeline::default();
    let out = tempfile::tempdir().unwrap();
    util::export(&project, Format::Plain, out.path(), false);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let mut checked = 0;
    for template in &project.templates {
        let mut exported = read_back(Format::Plain, out.path(), &template.name);
        // Published images differ from the preview only in their URL. Templates sit one folder
        // below the project root, so each image is `../` and its path in the project there.
        for asset in manifest["assets"].as_object().unwrap().values() {
            let local = format!("../{}", asset["source"].as_str().unwrap());
            exported.html = exported.html.replace(asset["url"].as_str().unwrap(), &local);
        }
        for set in &template.data_sets {
            let preview = pipeline.render(&project, &template.name, Some(&set.name)).unwrap();
            let (html, text, subject) =
                fill(&exported, &data_set(&project, &template.name, &set.name), &Settings::default());
            assert_eq!(html, preview.html, "HTML of `{}` with `{}`", template.name, set.name);
            assert_eq!(text.unwrap(), preview.text, "text of `{}` with `{}`", template.name, set.name);
            assert_eq!(subject, preview.subject, "subject of `{}` with `{}`", template.name, set.name);
            checked += 1;
        }
    }
    checked
}

/// Minifying before or after filling gives the same HTML for the fixture, whose placeholders
/// between tags have no whitespace around them: so minifying lost no text and no placeholder.
#[test]
fn minified_html_fills_like_the_preview_minified() {
    let project = util::load(&util::fixture());
    let pipeline = Pipeline::default();
    let out = tempfile::tempdir().unwrap();
    util::export(&project, Format::Plain, out.path(), true);
    for template in &project.templates {
        let exported = read_back(Format::Plain, out.path(), &template.name);
        let preview = pipeline.render(&project, &template.name, None).unwrap();
        let (html, _, _) = fill(&exported, &data_set(&project, &template.name, "default"), &Settings::default());
        assert_eq!(html, letterpress_export::minify::minify(&preview.html), "`{}`", template.name);
        assert!(html.len() <= preview.html.len());
    }
}
