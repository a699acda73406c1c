//! Planning and applying exports: determinism, change detection, files left alone, templates
//! with errors, progress.

use std::time::Duration;

use letterpress_core::Pipeline;
use letterpress_export::{Change, Format, Progress, Target};

use crate::util;

#[test]
fn building_twice_gives_the_same_bytes_and_touches_nothing() {
    let project = util::load(&util::fixture());
    for format in Format::ALL {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let (plan, applied) = util::export(&project, format, first.path(), false);
        assert_eq!(plan.counts().created, plan.files.len(), "{format}");
        assert_eq!(applied.written.len(), plan.files.len(), "{format}");
        util::export(&util::load(&util::fixture()), format, second.path(), false);
        assert_eq!(util::read_tree(first.path()), util::read_tree(second.path()), "{format}");

        let before = util::mtimes(first.path());
        // Coarse file-system clocks would hide a rewrite made within the same tick.
        std::thread::sleep(Duration::from_millis(20));
        let (again, applied) = util::export(&project, format, first.path(), false);
        assert!(again.is_up_to_date(), "{format}: {:?}", again.pending().map(|f| &f.path).collect::<Vec<_>>());
        assert_eq!(again.counts().unchanged, again.files.len());
        assert!(applied.written.is_empty());
        assert_eq!(util::mtimes(first.path()), before, "{format}");
    }
}

#[test]
fn every_file_ends_with_a_line_break_and_json_keys_are_sorted() {
    let project = util::load(&util::fixture());
    for format in Format::ALL {
        let out = tempfile::tempdir().unwrap();
        util::export(&project, format, out.path(), false);
        for (path, bytes) in util::read_tree(out.path()) {
            assert!(bytes.ends_with(b"\n") && !bytes.ends_with(b"\n\n"), "{format}: `{path}`");
            if path.ends_with(".json") {
                let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_sorted(&value, &path);
            }
        }
    }
}

fn assert_sorted(value: &serde_json::Value, path: &str) {
    match value {
        serde_json::Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "`{path}`");
            map.values().for_each(|v| assert_sorted(v, path));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| assert_sorted(v, path)),
        _ => {}
    }
}

#[test]
fn only_changed_and_missing_files_are_planned_and_written() {
    let project = util::load(&util::fixture());
    let out = tempfile::tempdir().unwrap();
    util::export(&project, Format::Plain, out.path(), false);
    std::fs::write(out.path().join("welcome/template.html"), "edited by hand\n").unwrap();
    std::fs::remove_file(out.path().join("receipt/subject.txt")).unwrap();
    let before = util::mtimes(out.path());
    std::thread::sleep(Duration::from_millis(20));

    // The hand edit is not the export's to replace: applying refuses and writes nothing.
    let plan = util::plan(&project, Format::Plain, out.path(), false);
    assert_eq!(plan.conflicts, ["welcome/template.html"]);
    let refused = letterpress_export::apply(&plan, |_| {}).unwrap_err();
    assert_eq!(refused.code().as_str(), "not-owned");
    assert!(!out.path().join("receipt/subject.txt").exists());

    // Forced, the export takes the file over.
    let mut target = Target::new(Format::Plain, out.path());
    target.force = true;
    let plan = letterpress_export::plan(&project, &Pipeline::default(), &target, |_| {}).unwrap();
    let pending: Vec<(&str, Change)> = plan.pending().map(|f| (f.path.as_str(), f.change)).collect();
    assert_eq!(pending, [("receipt/subject.txt", Change::Created), ("welcome/template.html", Change::Updated)]);
    let counts = plan.counts();
    assert_eq!((counts.created, counts.updated, counts.unchanged), (1, 1, plan.files.len() - 2));
    let updated = plan.files.iter().find(|f| f.path == "welcome/template.html").unwrap();
    assert_eq!(updated.bytes, updated.contents().len() as u64);
    assert_eq!(updated.template.as_deref(), Some("welcome"));

    let applied = letterpress_export::apply(&plan, |_| {}).unwrap();
    assert_eq!(applied.written, ["receipt/subject.txt", "welcome/template.html", letterpress_export::RECORD]);
    let after = util::mtimes(out.path());
    for (path, time) in &before {
        // The ownership record announces the writes before making them, so it is rewritten.
        if path != "welcome/template.html" && path != letterpress_export::RECORD {
            assert_eq!(after[path], *time, "`{path}` was rewritten");
        }
    }
    assert!(util::plan(&project, Format::Plain, out.path(), false).is_up_to_date());
}

#[test]
fn files_the_export_does_not_produce_are_left_alone() {
    let project = util::load(&util::fixture());
    let out = tempfile::tempdir().unwrap();
    let foreign = [
        ("README.md", "how to deploy\n"),
        ("welcome/notes.txt", "hand-written\n"),
        ("old-template/template.html", "<p>from a template since removed</p>\n"),
        (".git-keep", ""),
    ];
    for (path, contents) in foreign {
        let path = out.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    util::export(&project, Format::Plain, out.path(), false);
    let tree = util::read_tree(out.path());
    for (path, contents) in foreign {
        assert_eq!(tree[path], contents.as_bytes(), "`{path}`");
    }
    assert!(tree.contains_key("welcome/template.html"));
    // No temporary file is left behind.
    assert!(tree.keys().all(|p| !p.ends_with(".tmp")), "{:?}", tree.keys());
}

#[test]
fn a_template_with_errors_is_reported_and_not_exported() {
    let (_dir, root) = util::fixture_copy();
    let out = root.join("dist");
    util::export(&util::load(&root), Format::Postmark, &out, false);
    let old_html = std::fs::read(out.join("welcome/content.html")).unwrap();

    // An unclosed block in the subject, and an edited body that must not reach the export.
    std::fs::write(root.join("welcome/subject.hbs"), "Welcome {{#if first_name}}back\n").unwrap();
    let mjml = std::fs::read_to_string(root.join("welcome/template.mjml")).unwrap();
    std::fs::write(root.join("welcome/template.mjml"), mjml.replace("Sign in", "Log in")).unwrap();
    std::fs::write(root.join("receipt/subject.hbs"), "Your receipt {{order.number}} (updated)\n").unwrap();

    let project = util::load(&root);
    let plan = util::plan(&project, Format::Postmark, &out, false);
    let failed: Vec<&str> = plan.failed().map(|t| t.name.as_str()).collect();
    assert_eq!(failed, ["welcome"]);
    let report = plan.templates.iter().find(|t| t.name == "welcome").unwrap();
    assert!(
        report.diagnostics.iter().any(|d| d.is_error() && d.file == "welcome/subject.hbs"),
        "{:#?}",
        report.diagnostics
    );
    assert!(plan.files.iter().all(|f| f.template.as_deref() != Some("welcome")));
    let pending: Vec<&str> = plan.pending().map(|f| f.path.as_str()).collect();
    assert_eq!(pending, [letterpress_export::RECORD, "receipt/meta.json"]);

    letterpress_export::apply(&plan, |_| {}).unwrap();
    assert_eq!(std::fs::read(out.join("welcome/content.html")).unwrap(), old_html);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("receipt/meta.json")).unwrap()).unwrap();
    assert_eq!(meta["Subject"], "Your receipt {{order.number}} (updated)");
}

#[test]
fn a_data_set_with_invalid_json_stops_the_template() {
    let (_dir, root) = util::fixture_copy();
    std::fs::write(root.join("password-reset/data/default.json"), "{ \"email\": \"a@example.com\",\n}").unwrap();
    let plan = util::plan(&util::load(&root), Format::Sendgrid, &root.join("dist"), false);
    let failed: Vec<&str> = plan.failed().map(|t| t.name.as_str()).collect();
    assert_eq!(failed, ["password-reset"]);
    let paths: Vec<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, [letterpress_export::RECORD, "receipt.json", "welcome.json"]);
}

#[test]
fn each_format_is_checked_as_its_engine_fills_it() {
    let (_dir, root) = util::fixture_copy();
    let mjml = std::fs::read_to_string(root.join("receipt/template.mjml")).unwrap();
    std::fs::write(
        root.join("receipt/template.mjml"),
        mjml.replace("{{#order.discount}}", "{{#if order.discount}}").replace("{{/order.discount}}", "{{/if}}"),
    )
    .unwrap();
    let project = util::load(&root);
    let out = tempfile::tempdir().unwrap();
    // Postmark's Mustachio has no `if`: the template is stopped, at the place it is written,
    // with Mustachio's way of writing it.
    let plan = util::plan(&project, Format::Postmark, out.path(), false);
    let failed: Vec<&str> = plan.failed().map(|t| t.name.as_str()).collect();
    assert_eq!(failed, ["receipt"]);
    let report = plan.templates.iter().find(|t| t.name == "receipt").unwrap();
    let error = report.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(error.code, letterpress_core::Code::DialectUnsupported);
    assert_eq!((error.file.as_str(), error.start.line, error.start.column), ("receipt/template.mjml", 21, 17));
    assert!(error.message.contains("Mustachio has no `{{#if}}`; write `{{#name}}"), "{}", error.message);
    // handlebars.js and SendGrid have `if`; `{{this}}` is written `{{.}}` for Postmark.
    for format in [Format::Plain, Format::Sendgrid, Format::Ses, Format::Mailgun] {
        let plan = util::plan(&project, format, out.path(), false);
        assert!(plan.failed().next().is_none(), "{format}: {:#?}", plan.templates);
    }
    std::fs::write(root.join("receipt/template.mjml"), mjml).unwrap();
    let (_, _) = util::export(&util::load(&root), Format::Postmark, out.path(), false);
    let text = std::fs::read_to_string(out.path().join("receipt/content.txt")).unwrap();
    assert!(text.contains("- {{title}} × {{quantity}}: {{price}}"), "{text}");
    assert!(!text.contains("this"), "{text}");
}

#[test]
fn progress_reports_each_template_and_each_written_file() {
    let project = util::load(&util::fixture());
    let out = tempfile::tempdir().unwrap();
    let target = Target::new(Format::Ses, out.path());
    let mut compiled = Vec::new();
    let plan = letterpress_export::plan(&project, &Pipeline::default(), &target, |step| match step {
        Progress::Compiling { done, total, template } => compiled.push((done, total, template.to_owned())),
        Progress::Writing { .. } => panic!("planning writes nothing"),
    })
    .unwrap();
    assert_eq!(
        compiled,
        [(0, 3, "password-reset".to_owned()), (1, 3, "receipt".to_owned()), (2, 3, "welcome".to_owned())]
    );
    let mut written = Vec::new();
    letterpress_export::apply(&plan, |step| {
        if let Progress::Writing { done, total, path } = step {
            written.push((done, total, path.to_owned()));
        }
    })
    .unwrap();
    // The ownership record is written last, after the files it vouches for.
    let mut order: Vec<&str> =
        plan.files.iter().map(|f| f.path.as_str()).filter(|p| *p != letterpress_export::RECORD).collect();
    order.push(letterpress_export::RECORD);
    let expected: Vec<(usize, usize, String)> =
        order.iter().enumerate().map(|(i, path)| (i, 7, (*path).to_owned())).collect();
    assert_eq!(written, expected);
}

#[test]
fn a_missing_target_folder_is_created_and_a_file_there_is_refused() {
    let project = util::load(&util::fixture());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deep/er/out");
    let (plan, _) = util::export(&project, Format::Mailgun, &out, false);
    assert_eq!(plan.counts().created, 4);
    assert_eq!(util::read_tree(&out).len(), 4);

    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let target = Target::new(Format::Plain, &file);
    let error = letterpress_export::plan(&project, &Pipeline::default(), &target, |_| {}).unwrap_err();
    assert!(matches!(error, letterpress_export::ExportError::NotAFolder { .. }), "{error}");
}

#[test]
fn configured_targets_resolve_against_the_project() {
    let project = util::load(&util::fixture());
    let targets = letterpress_export::configured_targets(&project).unwrap();
    assert_eq!(targets[0], Target::new(Format::Plain, project.root.join("dist/plain")));
    assert_eq!(
        targets[1],
        Target { minify: true, ..Target::new(Format::Postmark, project.root.join("dist/postmark")) }
    );
    let bad = letterpress_core::config::ExportTarget {
        format: "mandrill".into(),
        out: "x".into(),
        minify: false,
        base_url: None,
    };
    let error = Target::from_config(&project, &bad).unwrap_err();
    assert_eq!(error.code().as_str(), "unknown-format");
    assert_eq!(error.to_string(), "unknown export format `mandrill`; use plain, postmark, sendgrid, mailgun or ses");
}
