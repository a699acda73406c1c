//! The pipeline end to end on the fixture project: every template and data set against golden
//! HTML, text and subject files.

use letterpress_core::{Pipeline, Project};
use serde_json::json;

use letterpress_test_golden::assert_golden;

use crate::support::{fixtures, problems};

#[test]
fn fixture_project_renders_like_its_golden_files() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let names: Vec<_> = project.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["notice", "receipt", "welcome"]);
    let pipeline = Pipeline::default();
    let expected = fixtures().join("expected");
    for template in &project.templates {
        for set in &template.data_sets {
            let rendered = pipeline.render(&project, &template.name, Some(&set.name)).unwrap();
            assert!(
                problems(&rendered.diagnostics).is_empty(),
                "{} {}: {:?}",
                template.name,
                set.name,
                rendered.diagnostics
            );
            let stem = format!("{}.{}", template.name, set.name);
            assert_golden(&expected, &format!("{stem}.html"), rendered.html.as_bytes());
            assert_golden(&expected, &format!("{stem}.txt"), rendered.text.as_bytes());
            assert_golden(&expected, &format!("{stem}.subject"), format!("{}\n", rendered.subject).as_bytes());
        }
    }
}

#[test]
fn values_are_escaped_in_html_but_not_in_subject_or_text() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    let rendered = Pipeline::default().render(&project, "welcome", Some("tricky")).unwrap();
    assert!(rendered.html.contains("Hello O&#x27;Brien &amp; &lt;Sons&gt;,"));
    assert!(!rendered.html.contains("<Sons>"));
    assert!(
        rendered.html.contains("href=\"https://fixture.example/confirm?t&#x3D;x&quot;y\""),
        "attribute values stay quoted"
    );
    assert_eq!(rendered.subject, "Welcome aboard, O'Brien & <Sons>");
    assert!(rendered.text.contains("Hello O'Brien & <Sons>,"));
}

#[test]
fn each_blocks_in_mj_raw_repeat_sections_and_empty_lists_render_none() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    let pipeline = Pipeline::default();
    let full = pipeline.render(&project, "receipt", Some("default")).unwrap();
    assert_eq!(full.html.matches("× Notebook").count(), 1);
    assert_eq!(full.html.matches("× Pen").count(), 1);
    assert!(full.html.contains("Gift wrapped"));
    let empty = pipeline.render(&project, "receipt", Some("empty")).unwrap();
    assert!(!empty.html.contains(" × "));
    assert!(!empty.html.contains("class=\"note\""));
    assert!(problems(&empty.diagnostics).is_empty(), "{:?}", empty.diagnostics);
}

#[test]
fn a_hand_written_text_part_wins_over_the_generated_one() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    let rendered = Pipeline::default().render(&project, "notice", None).unwrap();
    assert_eq!(rendered.text, "Our terms change on 1 March 2027.\n\nRead them at https://fixture.example/terms\n");
    assert_eq!(rendered.data_set.as_deref(), Some("default"));
}

#[test]
fn compiled_html_keeps_placeholders_and_is_cached_until_a_file_changes() {
    let temp = crate::support::TempProject::new();
    temp.template(
        "hello",
        &crate::support::body("<mj-section><mj-column><mj-text>Hi {{name}}</mj-text></mj-column></mj-section>"),
        r#"{"name":"Ada"}"#,
    );
    let project = Project::load(temp.root()).unwrap();
    let pipeline = Pipeline::default();
    let template = project.template("hello").unwrap();
    let first = pipeline.prepare(&project, template);
    assert!(first.html.as_deref().unwrap().contains("Hi {{name}}"));
    let again = pipeline.prepare(&project, template);
    assert!(std::sync::Arc::ptr_eq(&first, &again), "an unchanged template is served from the cache");
    temp.write(
        "hello/template.mjml",
        &crate::support::body("<mj-section><mj-column><mj-text>Bye {{name}}</mj-text></mj-column></mj-section>"),
    );
    let changed = pipeline.prepare(&project, template);
    assert!(!std::sync::Arc::ptr_eq(&first, &changed));
    assert!(changed.html.as_deref().unwrap().contains("Bye {{name}}"));
    let rendered = pipeline.render(&project, "hello", None).unwrap();
    assert!(rendered.html.contains("Bye Ada"));
    assert_eq!(rendered.data, json!({"name": "Ada"}));
}

#[test]
fn crlf_sources_compile_and_report_the_same_lines() {
    let temp = crate::support::TempProject::new();
    let mjml = "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>T</mj-title></mj-head>\r\n<mj-body>\r\n<mj-section><mj-column>\r\n<mj-text>{{greeting}}</mj-text>\r\n</mj-column></mj-section>\r\n</mj-body>\r\n</mjml>\r\n";
    temp.template("crlf", mjml, "{\r\n\"greeting\": \"Hello\"\r\n}");
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, "crlf", None).unwrap();
    assert!(rendered.diagnostics.is_empty(), "{:?}", rendered.diagnostics);
    assert!(rendered.html.contains("Hello"));
}

#[test]
fn unknown_templates_and_data_sets_are_errors_not_panics() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    let pipeline = Pipeline::default();
    let error = pipeline.render(&project, "nope", None).unwrap_err();
    assert_eq!(error.to_string(), "template `nope` does not exist in this project");
    let error = pipeline.render(&project, "welcome", Some("fr")).unwrap_err();
    assert_eq!(error.to_string(), "template `welcome` has no data set `fr`");
}

#[test]
fn the_bundled_project_renders_every_data_set_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    let project = Project::load(&root).unwrap();
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let names: Vec<_> = project.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "account-created",
            "app-error",
            "legal-notice",
            "password-reset",
            "purchase-receipt",
            "shipping-notice",
            "suspicious-sign-in"
        ]
    );
    let pipeline = Pipeline::default();
    for template in &project.templates {
        let sets: Vec<_> = template.data_sets.iter().map(|d| d.name.as_str()).collect();
        assert!(sets.len() >= 2 && sets.contains(&"es"), "{}: {sets:?}", template.name);
        for set in sets {
            let rendered = pipeline.render(&project, &template.name, Some(set)).unwrap();
            assert!(problems(&rendered.diagnostics).is_empty(), "{} {set}: {:?}", template.name, rendered.diagnostics);
            assert!(!rendered.subject.is_empty() && !rendered.subject.contains("{{"), "{} {set}", template.name);
            assert!(
                !rendered.html.contains("{{") && !rendered.text.contains("{{"),
                "{} {set}: placeholders left",
                template.name
            );
        }
    }
    // Line items inside an `mj-table` loop survive into the generated text part.
    let receipt = pipeline.render(&project, "purchase-receipt", Some("default")).unwrap();
    let data_items = receipt.data["items"].as_array().unwrap();
    assert!(data_items.len() >= 2);
    for item in data_items {
        let name = item["name"].as_str().unwrap();
        assert!(receipt.text.contains(name), "`{name}` is missing from the text part:\n{}", receipt.text);
    }
}

/// The words a mail client shows of an HTML body: no head, styles, comments (Outlook's
/// conditional ones hold only layout), hidden preheader or tags; entities decoded. Written here
/// independently of the text converter, so the check below does not grade its own work.
fn visible_words(html: &str) -> Vec<String> {
    let mut text = html.to_owned();
    let cut = |text: &mut String, open: &str, close: &str| {
        while let Some(start) = text.find(open) {
            let Some(len) = text[start..].find(close) else { break };
            text.replace_range(start..start + len + close.len(), " ");
        }
    };
    cut(&mut text, "<head", "</head>");
    cut(&mut text, "<!--", "-->");
    cut(&mut text, "<style", "</style>");
    cut(&mut text, "<div style=\"display:none", "</div>");
    cut(&mut text, "<", ">");
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&amp;", "&");
    words(&decode_numeric(&decoded))
}

/// `&#10003;` and `&#x2713;` as the characters they stand for.
fn decode_numeric(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find(';').filter(|&e| e <= 8);
        let code = end.and_then(|e| match after[..e].strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => after[..e].parse().ok(),
        });
        match (end, code.and_then(char::from_u32)) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[test]
fn every_word_the_html_shows_is_in_the_text_part_for_every_bundled_template_and_data_set() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    let project = Project::load(&root).unwrap();
    let pipeline = Pipeline::default();
    let mut pairs = 0;
    for template in &project.templates {
        for set in &template.data_sets {
            let rendered = pipeline.render(&project, &template.name, Some(&set.name)).unwrap();
            assert!(!rendered.has_errors(), "{:?}", rendered.diagnostics);
            let in_text: std::collections::HashSet<String> = words(&rendered.text).into_iter().collect();
            let shown = visible_words(&rendered.html);
            assert!(shown.len() > 30, "{} {}: {shown:?}", template.name, set.name);
            let lost: Vec<&String> = shown.iter().filter(|w| !in_text.contains(*w)).collect();
            assert!(
                lost.is_empty(),
                "{} [{}]: the text part lacks {lost:?}\n{}",
                template.name,
                set.name,
                rendered.text
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, 21);
}

#[test]
fn html_sizes_measure_every_data_set_as_rendered() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    let pipeline = Pipeline::default();
    let sizes = pipeline.html_sizes(&project, "receipt").unwrap();
    let names: Vec<_> = sizes.iter().map(|s| s.data_set.as_deref()).collect();
    assert_eq!(names, [Some("default"), Some("empty")]);
    for size in &sizes {
        let rendered = pipeline.render(&project, "receipt", size.data_set.as_deref()).unwrap();
        assert_eq!(size.bytes, Some(rendered.html.len()));
    }
    assert!(sizes[0].bytes > sizes[1].bytes, "the full receipt is larger than the empty one");
    assert!(pipeline.html_sizes(&project, "nope").is_err());
}

#[test]
fn renders_with_and_without_buffers_at_the_same_time_each_read_their_own_files() {
    let temp = crate::support::TempProject::new();
    temp.write("partials/block.mjml", "<mj-section><mj-column><mj-text>From disk</mj-text></mj-column></mj-section>")
        .template(
            "t",
            &crate::support::body("<mj-include path=\"../partials/block.mjml\" />\n<mj-text>{{who}}</mj-text>"),
            r#"{"who": "Disk data"}"#,
        );
    let project = Project::load(temp.root()).unwrap();
    // The partial and the data set as an editor holds them, unsaved.
    let buffers = letterpress_core::edit::overlay(
        &project.root,
        [
            (
                "partials/block.mjml".to_owned(),
                "<mj-section><mj-column><mj-text>From the buffer</mj-text></mj-column></mj-section>".to_owned(),
            ),
            ("t/data/default.json".to_owned(), r#"{"who": "Buffer data"}"#.to_owned()),
        ],
    )
    .unwrap();
    let pipeline = Pipeline::default();
    let start = std::sync::Barrier::new(2);
    std::thread::scope(|scope| {
        let with = scope.spawn(|| {
            start.wait();
            for _ in 0..20 {
                let rendered = pipeline.render_with(&buffers, &project, "t", None).unwrap();
                assert!(rendered.html.contains("From the buffer") && rendered.html.contains("Buffer data"));
                assert!(!rendered.html.contains("From disk") && !rendered.html.contains("Disk data"));
            }
        });
        let without = scope.spawn(|| {
            start.wait();
            for _ in 0..20 {
                let rendered = pipeline.render(&project, "t", None).unwrap();
                assert!(rendered.html.contains("From disk") && rendered.html.contains("Disk data"));
                assert!(!rendered.html.contains("From the buffer") && !rendered.html.contains("Buffer data"));
            }
        });
        with.join().unwrap();
        without.join().unwrap();
    });
    // Both versions stay cached: neither call recompiles what the other compiled last.
    let template = project.template("t").unwrap();
    let from_buffers = pipeline.prepare_with(&buffers, &project, template);
    let from_disk = pipeline.prepare(&project, template);
    assert!(std::sync::Arc::ptr_eq(&from_buffers, &pipeline.prepare_with(&buffers, &project, template)));
    assert!(std::sync::Arc::ptr_eq(&from_disk, &pipeline.prepare(&project, template)));
    assert!(!std::sync::Arc::ptr_eq(&from_disk, &from_buffers));
    // Once the disk holds what the buffer held, the buffered version is what the disk gives.
    temp.write(
        "partials/block.mjml",
        "<mj-section><mj-column><mj-text>From the buffer</mj-text></mj-column></mj-section>",
    );
    assert!(std::sync::Arc::ptr_eq(&from_buffers, &pipeline.prepare(&project, template)));
}

#[test]
fn buffers_outside_the_project_are_refused() {
    let project = Project::load(&fixtures().join("project")).unwrap();
    for path in ["../outside.mjml", "/etc/passwd", "welcome/../../x.mjml", ".git/config"] {
        let refused = letterpress_core::edit::overlay(&project.root, [(path.to_owned(), String::new())]);
        assert!(refused.is_err(), "{path}");
    }
}
