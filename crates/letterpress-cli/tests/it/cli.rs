//! `compile`, `list`, `render` and `check` on real files: output on stdout, messages on stderr,
//! exit 0 when all is well, 1 when problems were found, 2 on a usage error.

use crate::support::{SIMPLE, corpus, fixture_project, problems, run, run_in, write};

#[test]
fn compile_one_file_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.mjml", SIMPLE);
    let out = run(&["compile", file.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let header = format!("<!-- FILE: {} -->\n<!doctype html>", file.display());
    assert!(out.stdout.starts_with(&header), "{}", &out.stdout[..80.min(out.stdout.len())]);
    assert!(out.stdout.contains("Hello from the CLI"));
    assert_eq!(out.stderr, "");
}

#[test]
fn compile_several_files_into_a_folder_and_one_into_a_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.mjml", SIMPLE);
    write(dir.path(), "b.mjml", &SIMPLE.replace("Hello", "Bye"));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = run_in(dir.path(), &["compile", "a.mjml", "b.mjml", "-o", "out"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::read_to_string(dir.path().join("out/a.html")).unwrap().contains("Hello from"));
    assert!(std::fs::read_to_string(dir.path().join("out/b.html")).unwrap().contains("Bye from"));
    assert_eq!(out.stdout, "");
    let out = run_in(dir.path(), &["compile", "a.mjml", "-o", "single.html"], None);
    assert_eq!(out.code, 0);
    assert!(std::fs::read_to_string(dir.path().join("single.html")).unwrap().contains("Hello from"));
    let out = run_in(dir.path(), &["compile", "a.mjml", "b.mjml", "-o", "single.html"], None);
    assert_eq!(out.code, 1, "several inputs cannot go into one file, as with mjml");
    assert!(out.stderr.contains("is not an existing folder, and several inputs need one"), "{}", out.stderr);
    let out = run_in(dir.path(), &["compile", "a.mjml", "b.mjml", "-o", "missing"], None);
    assert_eq!(out.code, 1);
    assert!(!dir.path().join("missing").exists(), "like mjml, no folder is created");
}

#[test]
fn compile_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["compile", "-i"], Some(SIMPLE));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Hello from the CLI"));
    let out = run_in(dir.path(), &["compile", "-"], Some(SIMPLE));
    assert!(out.stdout.contains("Hello from the CLI"));
}

#[test]
fn compile_reports_errors_with_positions_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.mjml", "<mjml>\n<mj-body>\n  <mj-sektion>\n  </mj-sektion>\n</mj-body>\n</mjml>\n");
    write(dir.path(), "good.mjml", SIMPLE);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = run_in(dir.path(), &["compile", "bad.mjml", "good.mjml", "-o", "out"], None);
    assert_eq!(out.code, 0, "like mjml in soft mode, an unknown element does not fail the file");
    assert_eq!(
        out.stderr,
        "bad.mjml:3:3: error[mjml-invalid]: `<mj-sektion>` is not an MJML element and is left out of the output; did you mean `<mj-section>`?\n"
    );
    assert!(dir.path().join("out/good.html").is_file(), "the other file is still compiled");
    assert!(dir.path().join("out/bad.html").is_file(), "like mjml in soft mode, what compiled is written");
}

#[test]
fn compile_strict_validation_fails_on_warnings_and_skip_hides_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "w.mjml", &SIMPLE.replace("<mj-text>", "<mj-text colour=\"red\">"));
    let soft = run_in(dir.path(), &["compile", "w.mjml"], None);
    assert_eq!(soft.code, 0);
    assert!(
        soft.stderr.contains("warning[mjml-invalid]: attribute `colour` is not allowed on `<mj-text>`"),
        "{}",
        soft.stderr
    );
    let strict = run_in(dir.path(), &["compile", "--config.validationLevel", "strict", "w.mjml"], None);
    assert_eq!(strict.code, 1);
    assert_eq!(strict.stdout, "");
    let skip = run_in(dir.path(), &["compile", "--config.validationLevel=skip", "w.mjml"], None);
    assert_eq!((skip.code, skip.stderr.as_str()), (0, ""));
}

#[test]
fn compile_includes_are_confined_to_the_root() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "secret.mjml", "<mj-section><mj-column><mj-text>secret</mj-text></mj-column></mj-section>");
    let project = dir.path().join("project");
    write(&project, "letterpress.toml", "");
    write(&project, "partials/ok.mjml", "<mj-section><mj-column><mj-text>partial</mj-text></mj-column></mj-section>");
    write(
        &project,
        "t/template.mjml",
        "<mjml><mj-body><mj-include path=\"../partials/ok.mjml\" /><mj-include path=\"../../secret.mjml\" /></mj-body></mjml>",
    );
    let out = run_in(dir.path(), &["compile", "project/t/template.mjml"], None);
    assert!(!out.stdout.contains("partial"), "like mjml 5, includes are off by default");
    assert!(out.stderr.contains("--config.allowIncludes true"), "{}", out.stderr);
    let out = run_in(dir.path(), &["compile", "project/t/template.mjml", "--config.allowIncludes", "true"], None);
    assert_eq!(out.code, 0, "soft mode still writes the output");
    assert!(out.stdout.contains("partial"), "the project root is found through letterpress.toml");
    assert!(out.stderr.contains("`--root DIR`"), "the refusal says how to allow it: {}", out.stderr);
    assert!(!out.stdout.contains("secret"));
    assert!(
        out.stderr
            .contains("error[include-outside-root]: include `../../secret.mjml` points outside the project folder"),
        "{}",
        out.stderr
    );
}

#[test]
fn compile_a_missing_file_or_garbage_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["compile", "nope.mjml"], None);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("`nope.mjml` names no file"), "{}", out.stderr);
    assert!(out.stderr.contains("error: no input files found"), "{}", out.stderr);
    std::fs::write(dir.path().join("bin.mjml"), [0u8, 159, 146, 150, 255]).unwrap();
    let out = run_in(dir.path(), &["compile", "bin.mjml"], None);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("not valid UTF-8"), "{}", out.stderr);
    let out = run_in(dir.path(), &["compile", "."], None);
    assert_eq!(out.code, 1);
    for garbage in ["<", ">", "<mjml", "<<<>>>", "<mjml><mj-body><mj-text>’></mj-text></mj-body></mjml>", "\u{0}"] {
        let out = run_in(dir.path(), &["compile", "-i"], Some(garbage));
        assert!(out.code == 0 || out.code == 1, "{garbage:?}: {out:?}");
        assert!(!out.stderr.contains("panicked"), "{garbage:?}: {}", out.stderr);
    }
}

#[test]
fn compile_handles_every_corpus_template() {
    let Some(corpus) = corpus() else {
        eprintln!("the MJML corpus is not beside this repository; skipping");
        return;
    };
    let files: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mjml"))
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(files.len(), 25);
    let out_dir = tempfile::tempdir().unwrap();
    let mut args = vec!["compile"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", out_dir.path().to_str().unwrap()]);
    let out = run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 25);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&[]).code, 2);
    assert_eq!(run(&["compile"]).code, 1, "mjml exits 1 without input");
    assert_eq!(run(&["render"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    let out = run(&["list", "--project", "/definitely/not/here"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("project folder `/definitely/not/here` does not exist"), "{}", out.stderr);
}

#[test]
fn list_shows_templates_and_data_sets() {
    let project = fixture_project();
    let out = run(&["list", "--project", project.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "notice   default\nreceipt  default, empty\nwelcome  default, tricky\n");
    let out = run(&["list", "--project", project.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json[1]["name"], "receipt");
    assert_eq!(json[1]["dataSets"], serde_json::json!(["default", "empty"]));
    assert_eq!(json[0]["hasText"], true);
}

#[test]
fn render_prints_each_part() {
    let project = fixture_project();
    let p = project.to_str().unwrap();
    let subject = run(&["render", "welcome", "--project", p, "--data", "tricky", "--part", "subject"]);
    assert_eq!((subject.code, subject.stdout.as_str()), (0, "Welcome aboard, O'Brien & <Sons>\n"));
    let html = run(&["render", "welcome", "--project", p]);
    assert!(html.stdout.contains("Hello Ada,"));
    let text = run(&["render", "receipt", "--project", p, "--part", "text"]);
    assert!(text.stdout.contains("2 × Pen"), "{}", text.stdout);
    let json = run(&["render", "receipt", "--project", p, "--data", "empty", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["subject"], "Receipt for order 1043");
    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["severity"] == "info"), "{diagnostics:?}");
}

#[test]
fn render_unknown_names_are_usage_errors() {
    let project = fixture_project();
    let p = project.to_str().unwrap();
    let out = run(&["render", "nope", "--project", p]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, "error: template `nope` does not exist in this project\n");
    let out = run(&["render", "welcome", "--project", p, "--data", "fr"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, "error: template `welcome` has no data set `fr`\n");
}

#[test]
fn check_passes_a_clean_project() {
    let project = fixture_project();
    let out = run(&["check", "--project", project.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(problems(&out.stderr), "checked 3 templates and 5 data sets: 0 errors, 0 warnings\n");
}

#[test]
fn check_reports_every_problem_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "a/template.mjml",
        "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>A</mj-title></mj-head>\n<mj-body><mj-section><mj-column><mj-text>{{name}} {{city}}</mj-text></mj-column></mj-section></mj-body></mjml>",
    );
    write(root, "a/subject.hbs", "Hi");
    write(root, "a/data/default.json", "{\"name\": \"Ada\"}");
    write(root, "a/data/es.json", "{\"name\": \"Ana\",\n \"city\": }");
    let out = run_in(root, &["check"], None);
    assert_eq!(out.code, 1);
    assert_eq!(
        problems(&out.stderr),
        "a/data/es.json:2:10: error[json-syntax]: invalid JSON: expected value\n\
         a/template.mjml:2:51: warning[missing-variable]: `city` is not in data set `default`\n\
         checked 1 template and 2 data sets: 1 error, 1 warning\n"
    );
    let json = run_in(root, &["check", "--json"], None);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let value: Vec<&serde_json::Value> = value.as_array().unwrap().iter().filter(|d| d["severity"] != "info").collect();
    assert_eq!(value[0]["code"], "json-syntax");
    assert_eq!(value[0]["start"], serde_json::json!({"line": 2, "column": 10}));
    assert_eq!(value[1]["severity"], "warning");
}

#[test]
fn check_can_let_warnings_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "a/template.mjml",
        "<mjml><mj-body><mj-section><mj-column><mj-text>{{name}}</mj-text></mj-column></mj-section></mj-body></mjml>",
    );
    write(root, "a/subject.hbs", "Hi");
    write(root, "a/data/default.json", "{\"name\": \"Ada\", \"spare\": 1}");
    assert_eq!(run_in(root, &["check"], None).code, 1);
    assert_eq!(run_in(root, &["check", "--allow-warnings"], None).code, 0);
}

#[test]
fn compile_stays_quiet_about_lints_like_mjml_but_check_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t/template.mjml",
        "<mjml><mj-body><mj-section><mj-column><mj-image src=\"https://x.example/a.png\" /></mj-column></mj-section></mj-body></mjml>",
    );
    write(dir.path(), "t/subject.hbs", "Hi");
    write(dir.path(), "t/data/default.json", "{}");
    let compile = run_in(dir.path(), &["compile", "t/template.mjml"], None);
    assert_eq!((compile.code, compile.stderr.as_str()), (0, ""));
    let check = run_in(dir.path(), &["check"], None);
    assert_eq!(check.code, 1);
    for code in ["missing-lang", "missing-title", "image-alt"] {
        assert!(check.stderr.contains(&format!("warning[{code}]")), "{code}: {}", check.stderr);
    }
}

#[test]
fn the_bundled_project_checks_clean() {
    let out = run(&["check", "--project", "templates"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(problems(&out.stderr), "checked 7 templates and 21 data sets: 0 errors, 0 warnings\n");
    // Each template's client-support scores are summed up in a line of their own.
    assert_eq!(out.stderr.matches(": client support from ").count(), 7, "{}", out.stderr);
}

/// Waits up to ten seconds for `path` to hold `text`.
fn wait_for(path: &std::path::Path, text: &str) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if std::fs::read_to_string(path).is_ok_and(|html| html.contains(text)) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

#[test]
fn compile_watch_recompiles_after_a_save_by_rename_and_an_include_change() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "partials/footer.mjml",
        "<mj-section><mj-column><mj-text>footer one</mj-text></mj-column></mj-section>",
    );
    let template = |word: &str| {
        format!(
            "<mjml><mj-body><mj-section><mj-column><mj-text>{word}</mj-text></mj-column></mj-section>\
             <mj-include path=\"./partials/footer.mjml\" /></mj-body></mjml>"
        )
    };
    write(dir.path(), "mail.mjml", &template("first"));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_letterpress"))
        .current_dir(dir.path())
        .args(["compile", "-w", "mail.mjml", "-o", "out/", "--config.allowIncludes", "true"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let output = dir.path().join("out/mail.html");
    let compiled_first = wait_for(&output, "first");
    // Give the watcher time to start before the first change.
    std::thread::sleep(std::time::Duration::from_millis(500));
    // An editor's atomic save: a temporary file renamed over the original.
    write(dir.path(), ".mail.mjml.swp-save", &template("second"));
    std::fs::rename(dir.path().join(".mail.mjml.swp-save"), dir.path().join("mail.mjml")).unwrap();
    let compiled_second = wait_for(&output, "second");
    write(
        dir.path(),
        "partials/footer.mjml",
        "<mj-section><mj-column><mj-text>footer two</mj-text></mj-column></mj-section>",
    );
    let compiled_include = wait_for(&output, "footer two");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(compiled_first, "the file is compiled once at the start");
    assert!(compiled_second, "a save by rename is compiled again");
    assert!(compiled_include, "a change to an include compiles the file that includes it");
}
