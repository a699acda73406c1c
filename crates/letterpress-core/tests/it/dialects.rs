//! Each dialect's documented rules, one fixture template per rule under `tests/dialects/`: what
//! Letterpress reports (diagnostics with positions) and fills (subject, text, the HTML of each
//! `<span class="v">`) with the template's data, against the golden file beside it
//! (`expect_txt.snap.txt`, an insta snapshot).

use std::path::Path;

use letterpress_core::{Pipeline, Project};

use letterpress_test_golden::assert_golden;

use crate::support::fixtures;

/// The filled contents of every `<span class="v">…</span>` of the HTML.
fn spans(html: &str) -> Vec<&str> {
    html.match_indices("<span class=\"v\">")
        .filter_map(|(at, open)| {
            let start = at + open.len();
            html[start..].find("</span>").map(|len| &html[start..start + len])
        })
        .collect()
}

fn report(project: &Project, pipeline: &Pipeline, template: &str) -> String {
    let rendered = pipeline.render(project, template, None).unwrap();
    let mut out = String::from("[diagnostics]\n");
    // What the engine says; the inbox checks have fixtures of their own.
    for diagnostic in crate::support::problems(&rendered.diagnostics) {
        out.push_str(&format!("{diagnostic}\n"));
    }
    out.push_str(&format!("[subject]\n{}\n", rendered.subject));
    if project.template(template).is_some_and(|t| t.has_text) {
        out.push_str(&format!("[text]\n{}", rendered.text));
    }
    out.push_str("[html]\n");
    for span in spans(&rendered.html) {
        out.push_str(&format!("{span}\n"));
    }
    out
}

#[test]
fn every_documented_rule_of_every_dialect() {
    let root = fixtures().join("../dialects");
    let mut checked = 0;
    for dialect in ["handlebars", "postmark", "sendgrid", "mailgun", "ses"] {
        let project = Project::load(&root.join(dialect)).unwrap();
        assert!(project.diagnostics.is_empty(), "{dialect}: {:?}", project.diagnostics);
        assert_eq!(project.config.dialect.as_str(), dialect);
        let pipeline = Pipeline::default();
        for template in &project.templates {
            let folder = Path::new(&project.root).join(&template.name);
            assert_golden(&folder, "expect.txt", report(&project, &pipeline, &template.name).as_bytes());
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked}");
}

/// Size limits from the providers' documentation, on templates too large for a fixture file.
#[test]
fn provider_size_limits() {
    use crate::support::{TempProject, body};
    let big = format!("<mj-section><mj-column><mj-text>{}</mj-text></mj-column></mj-section>", "word ".repeat(110_000));
    let limits = |dialect: &str| {
        let project = TempProject::new();
        project.write("letterpress.toml", &format!("dialect = \"{dialect}\"\n")).template("big", &body(&big), "{}");
        let loaded = Project::load(project.root()).unwrap();
        let rendered = Pipeline::default().render(&loaded, "big", None).unwrap();
        rendered
            .diagnostics
            .iter()
            .filter(|d| d.code == letterpress_core::Code::ProviderLimit)
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    // About 550 KB of HTML and as much text: over SES's 500 KB for the whole template, under
    // SendGrid's 1 MiB for each part; handlebars.js has no limit.
    let ses = limits("ses");
    assert_eq!(ses.len(), 1, "{ses:?}");
    assert!(ses[0].contains("Amazon SES takes at most 500 KB"), "{ses:?}");
    assert!(limits("sendgrid").is_empty());
    assert!(limits("handlebars").is_empty());
    let huge =
        format!("<mj-section><mj-column><mj-text>{}</mj-text></mj-column></mj-section>", "word ".repeat(220_000));
    let project = TempProject::new();
    project.write("letterpress.toml", "dialect = \"sendgrid\"\n").template("huge", &body(&huge), "{}");
    let loaded = Project::load(project.root()).unwrap();
    let rendered = Pipeline::default().render(&loaded, "huge", None).unwrap();
    let found: Vec<&str> = rendered
        .diagnostics
        .iter()
        .filter(|d| d.code == letterpress_core::Code::ProviderLimit)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|m| m.contains("SendGrid's Handlebars takes at most 1048576 bytes")), "{found:?}");
}
