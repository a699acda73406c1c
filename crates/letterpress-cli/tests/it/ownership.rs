//! Exports replace only what exports wrote; outputs never collide; exit statuses and output stay
//! exact for odd targets and odd file names.

use std::path::{Path, PathBuf};

use crate::support::{Output, SIMPLE, run_in, write};

const MJML: &str = "<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}</mj-text></mj-column></mj-section></mj-body></mjml>\n";

/// A project folder `app/templates` with one template `welcome`, inside an application folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("app/templates");
    write(&root, "welcome/template.mjml", MJML);
    write(&root, "welcome/subject.hbs", "Welcome\n");
    write(&root, "welcome/data/default.json", "{\"name\": \"Ada\"}\n");
    (dir, root)
}

fn build(root: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("build").chain(args.iter().copied()).collect();
    run_in(root, &args, None)
}

#[test]
fn a_file_no_export_wrote_is_refused_with_the_list_until_forced() {
    let (dir, root) = project();
    let app = dir.path().join("app");
    // `out = ".."` exports into the application itself, which has a file the export also writes.
    write(&app, "package.json", "{\"name\": \"app\"}\n");
    write(&app, "manifest.json", "{\"name\": \"the app's own manifest\"}\n");
    let run = build(&root, &["--out", ".."]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("nothing was written to `..`: it holds 1 file that no export wrote, or that changed since:\n  manifest.json\n"),
        "{run:?}"
    );
    assert!(run.stderr.contains("pass `--force`"), "{run:?}");
    assert_eq!(std::fs::read_to_string(app.join("manifest.json")).unwrap(), "{\"name\": \"the app's own manifest\"}\n");
    assert!(!app.join("welcome").exists(), "nothing at all is written");
    assert_eq!(std::fs::read_to_string(app.join("package.json")).unwrap(), "{\"name\": \"app\"}\n");

    let run = build(&root, &["--out", "..", "--force"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(std::fs::read_to_string(app.join("manifest.json")).unwrap().contains("\"format\": \"plain\""));
    assert_eq!(std::fs::read_to_string(app.join("package.json")).unwrap(), "{\"name\": \"app\"}\n");
    // Taken over, the files are the export's own from now on.
    std::fs::write(root.join("welcome/subject.hbs"), "Welcome back\n").unwrap();
    assert_eq!(build(&root, &["--out", ".."]).code, 0);
}

#[test]
fn esp_formats_keep_an_ownership_record_too() {
    let (_dir, root) = project();
    write(&root, "../esp/welcome.json", "{\"hand\": \"written\"}\n");
    let run = build(&root, &["--out", "../esp", "--format", "sendgrid"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("  welcome.json\n"), "{run:?}");
    std::fs::remove_file(root.join("../esp/welcome.json")).unwrap();
    assert_eq!(build(&root, &["--out", "../esp", "--format", "sendgrid"]).code, 0);
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("../esp/.letterpress-export.json")).unwrap()).unwrap();
    let hash = record["files"]["welcome.json"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    // What the export wrote, it may replace.
    std::fs::write(root.join("welcome/subject.hbs"), "Welcome back\n").unwrap();
    let run = build(&root, &["--out", "../esp", "--format", "sendgrid"]);
    assert_eq!(run.code, 0, "{run:?}");
    // A hand edit of an exported file makes it someone else's again.
    std::fs::write(root.join("../esp/welcome.json"), "{}\n").unwrap();
    std::fs::write(root.join("welcome/subject.hbs"), "Welcome once more\n").unwrap();
    assert_eq!(build(&root, &["--out", "../esp", "--format", "sendgrid"]).code, 1);
}

#[test]
fn a_target_inside_the_sources_or_naming_a_file_is_a_usage_error() {
    let (_dir, root) = project();
    write(&root, "partials/header.mjml", "<mj-section></mj-section>\n");
    for (out, what) in [
        ("welcome/data", "template folder `welcome`"),
        ("welcome", "template folder `welcome`"),
        ("partials/out", "partials folder `partials`"),
        ("assets", "assets folder `assets`"),
        (".", "root folder"),
    ] {
        let run = build(&root, &["--out", out]);
        assert_eq!(run.code, 2, "{out}: {run:?}");
        assert!(run.stderr.contains(&format!("is inside the project's {what}")), "{out}: {run:?}");
    }
    assert_eq!(std::fs::read_to_string(root.join("welcome/data/default.json")).unwrap(), "{\"name\": \"Ada\"}\n");
    assert!(!root.join("welcome/data/welcome").exists() && !root.join("assets").exists());

    write(&root, "dist-file", "not a folder\n");
    let run = build(&root, &["--out", "dist-file"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("is not a folder"), "{run:?}");
}

#[test]
fn temporary_files_left_by_a_killed_export_are_removed_and_nobody_elses() {
    let (_dir, root) = project();
    assert_eq!(build(&root, &["--out", "../dist"]).code, 0);
    let dist = root.join("../dist");
    let ours = [".template.html.letterpress-export.4242-0.tmp", ".manifest.json.letterpress-export.4242-7.tmp"];
    let theirs = [".template.html.4242-0.tmp", "notes.tmp", ".letterpress-export.1-2.tmp"];
    for name in ours.iter().chain(&theirs) {
        let folder = if name.starts_with(".template") { "welcome/" } else { "" };
        write(&dist, &format!("{folder}{name}"), "partial");
    }
    let run = build(&root, &["--out", "../dist", "--check"]);
    assert_eq!(run.code, 1, "leftovers make the export out of date: {run:?}");
    assert!(run.stdout.contains("leftover: ../dist/welcome/.template.html.letterpress-export.4242-0.tmp"), "{run:?}");
    let run = build(&root, &["--out", "../dist"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!dist.join("welcome").join(ours[0]).exists() && !dist.join(ours[1]).exists());
    assert!(dist.join("welcome").join(theirs[0]).exists(), "an editor's temporary file is not the export's");
    assert!(dist.join(theirs[1]).exists() && dist.join(theirs[2]).exists());
    assert_eq!(build(&root, &["--out", "../dist", "--check"]).code, 0);
}

#[test]
fn compile_refuses_inputs_that_would_overwrite_each_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/template.mjml", SIMPLE);
    write(dir.path(), "b/template.mjml", &SIMPLE.replace("Hello", "Bye"));
    // `-o` names an existing folder, as `mjml` requires; a bad command line exits 1 as in `mjml`.
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = run_in(dir.path(), &["compile", "a/template.mjml", "b/template.mjml", "-o", "out/"], None);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("`a/template.mjml` and `b/template.mjml` would both be written to `out/template.html`"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_dir(dir.path().join("out")).unwrap().count(), 0, "nothing is written");
}

#[test]
fn control_characters_in_file_names_are_escaped_in_diagnostics() {
    let (_dir, root) = project();
    write(&root, "bad\nname/template.mjml", MJML);
    write(&root, "bad\nname/subject.hbs", "x\n");
    let run = run_in(&root, &["check"], None);
    assert_eq!(run.code, 1, "{run:?}");
    let line = run.stderr.lines().find(|l| l.contains("invalid-name")).unwrap();
    assert!(line.starts_with("bad\\nname/template.mjml: error[invalid-name]: template name `bad\\nname`"), "{line}");
    assert!(run.stderr.lines().all(|l| !l.starts_with("name/")), "{run:?}");
    let run = run_in(&root, &["check", "--json"], None);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(diagnostics.as_array().unwrap().iter().any(|d| d["file"] == "bad\nname/template.mjml"));
    assert!(run.stdout.contains("bad\\nname/template.mjml"), "JSON escapes the line break");
}
