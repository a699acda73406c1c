//! `letterpress build`: the real binary on temporary projects.

use std::path::{Path, PathBuf};

use crate::support::{self, Output};

/// A temporary project with two templates, one looping over items inside `mj-raw`.
struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let files = [
            ("letterpress.toml", config),
            (
                "welcome/template.mjml",
                "<mjml><mj-body><mj-section><mj-column>\n<mj-text>Hello {{name}}</mj-text>\n</mj-column></mj-section></mj-body></mjml>\n",
            ),
            ("welcome/subject.hbs", "Welcome, {{name}}\n"),
            ("welcome/data/default.json", "{\"name\": \"Ada & Co\"}\n"),
            (
                "digest/template.mjml",
                "<mjml><mj-body>\n<mj-raw>{{#each posts}}</mj-raw>\n<mj-section><mj-column><mj-text>{{this.title}}</mj-text></mj-column></mj-section>\n<mj-raw>{{/each}}</mj-raw>\n</mj-body></mjml>\n",
            ),
            ("digest/subject.hbs", "Your weekly digest\n"),
            ("digest/data/default.json", "{\"posts\": [{\"title\": \"One\"}, {\"title\": \"Two\"}]}\n"),
        ];
        for (path, contents) in files {
            support::write(&root, path, contents);
        }
        Project { _dir: dir, root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Runs `letterpress build` in the project folder with `args`.
    fn build(&self, args: &[&str]) -> Output {
        let args: Vec<&str> = std::iter::once("build").chain(args.iter().copied()).collect();
        support::run_in(&self.root, &args, None)
    }
}

const TWO_TARGETS: &str = "[[export]]\nformat = \"plain\"\nout = \"dist/plain\"\n\n[[export]]\nformat = \"postmark\"\nout = \"dist/postmark\"\n";

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn builds_every_configured_target_and_summarizes_before_writing() {
    let project = Project::new(TWO_TARGETS);
    let run = project.build(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        files_under(&project.path("dist/plain")),
        [
            ".letterpress-export.json",
            "digest/subject.txt",
            "digest/template.html",
            "digest/template.txt",
            "manifest.json",
            "welcome/subject.txt",
            "welcome/template.html",
            "welcome/template.txt"
        ]
    );
    assert_eq!(
        files_under(&project.path("dist/postmark")),
        [
            ".letterpress-export.json",
            "digest/content.html",
            "digest/content.txt",
            "digest/meta.json",
            "welcome/content.html",
            "welcome/content.txt",
            "welcome/meta.json"
        ]
    );
    assert!(run.stderr.contains("`dist/plain` (plain): 8 to create, 0 to update, 0 unchanged"), "{run:?}");
    assert!(run.stderr.contains("create    welcome/template.html"), "{run:?}");
    assert!(run.stderr.contains("wrote 7 files to `dist/postmark`"), "{run:?}");
    // The summary comes before the files are written.
    let summary = run.stderr.find("(postmark): 7 to create").unwrap();
    assert!(summary < run.stderr.find("wrote 7 files to `dist/postmark`").unwrap());
    assert!(run.stdout.is_empty(), "{run:?}");
    let html = std::fs::read_to_string(project.path("dist/plain/digest/template.html")).unwrap();
    assert!(html.contains("{{#each posts}}") && html.contains("{{this.title}}"), "{html}");
}

#[test]
fn a_second_build_rewrites_nothing() {
    let project = Project::new(TWO_TARGETS);
    assert_eq!(project.build(&[]).code, 0);
    let file = project.path("dist/postmark/welcome/meta.json");
    let before = (std::fs::read(&file).unwrap(), std::fs::metadata(&file).unwrap().modified().unwrap());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = project.build(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("`dist/plain` (plain) is up to date: 8 files"), "{run:?}");
    assert!(!run.stderr.contains("wrote"), "{run:?}");
    let after = (std::fs::read(&file).unwrap(), std::fs::metadata(&file).unwrap().modified().unwrap());
    assert_eq!(before, after);
}

#[test]
fn without_configured_targets_it_says_so() {
    let project = Project::new("name = \"no exports\"\n");
    let run = project.build(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("configures no export targets"), "{run:?}");
    assert!(run.stderr.contains("[[export]]"), "{run:?}");
    assert!(!project.path("dist").exists());

    let run = Project::new(TWO_TARGETS).build(&["--format", "ses"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("configures no `ses` export"), "{run:?}");
}

#[test]
fn an_unknown_configured_format_is_a_usage_error() {
    let project = Project::new("[[export]]\nformat = \"mandrill\"\nout = \"dist\"\n");
    let run = project.build(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("unknown export format `mandrill`"), "{run:?}");
}

#[test]
fn out_and_format_choose_a_single_target() {
    let project = Project::new(TWO_TARGETS);
    let run = project.build(&["--out", "esp", "--format", "sendgrid"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(files_under(&project.path("esp")), [".letterpress-export.json", "digest.json", "welcome.json"]);
    assert!(!project.path("dist").exists(), "configured targets are not built when `--out` is given");
    let version: serde_json::Value =
        serde_json::from_slice(&std::fs::read(project.path("esp/welcome.json")).unwrap()).unwrap();
    assert_eq!(version["subject"], "Welcome, {{name}}");
    assert_eq!(version["test_data"], "{\"name\":\"Ada & Co\"}");

    // `--format` alone picks the configured target of that format.
    let run = project.build(&["--format", "postmark"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(project.path("dist/postmark/welcome/meta.json").is_file());
    assert!(!project.path("dist/plain").exists());
}

#[test]
fn check_reports_stale_and_missing_files_and_writes_nothing() {
    let project = Project::new(TWO_TARGETS);
    let run = project.build(&["--check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("missing: dist/plain/manifest.json"), "{run:?}");
    assert!(!project.path("dist").exists(), "`--check` wrote files");

    assert_eq!(project.build(&[]).code, 0);
    let run = project.build(&["--check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains("`dist/postmark` (postmark) is up to date: 7 files"), "{run:?}");

    let stale = project.path("dist/postmark/welcome/content.html");
    std::fs::write(&stale, "<p>edited by hand</p>\n").unwrap();
    std::fs::remove_file(project.path("dist/plain/digest/subject.txt")).unwrap();
    let run = project.build(&["--check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "missing: dist/plain/digest/subject.txt\nstale: dist/postmark/welcome/content.html\n");
    assert!(run.stderr.contains("is out of date: 0 missing, 1 stale"), "{run:?}");
    assert_eq!(std::fs::read_to_string(&stale).unwrap(), "<p>edited by hand</p>\n");
    assert!(!project.path("dist/plain/digest/subject.txt").exists());

    // The hand edit is not the export's to replace, until `--force` takes the file over.
    let run = project.build(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("holds 1 file that no export wrote"), "{run:?}");
    assert_eq!(project.build(&["--force"]).code, 0);
    // A template change makes the export stale too.
    std::fs::write(project.path("welcome/subject.hbs"), "Hi {{name}}\n").unwrap();
    let run = project.build(&["--check", "--format", "plain"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "stale: dist/plain/.letterpress-export.json\nstale: dist/plain/manifest.json\nstale: dist/plain/welcome/subject.txt\n"
    );
}

#[test]
fn a_template_with_errors_is_reported_and_the_others_still_export() {
    let project = Project::new(TWO_TARGETS);
    std::fs::write(
        project.path("digest/template.mjml"),
        "<mjml><mj-body>\n<mj-raw>{{#each posts}}</mj-raw>\n<mj-text>{{this.title}}</mj-text>\n</mj-body></mjml>\n",
    )
    .unwrap();
    let run = project.build(&["--format", "plain"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("template `digest` has errors and was not exported"), "{run:?}");
    assert!(run.stderr.contains("digest/template.mjml"), "{run:?}");
    assert_eq!(
        files_under(&project.path("dist/plain")),
        [
            ".letterpress-export.json",
            "manifest.json",
            "welcome/subject.txt",
            "welcome/template.html",
            "welcome/template.txt"
        ]
    );
    // `--check` fails too: the broken template cannot be verified.
    assert_eq!(project.build(&["--format", "plain", "--check"]).code, 1);
}

#[test]
fn files_not_written_by_the_export_are_left_alone() {
    let project = Project::new(TWO_TARGETS);
    let readme = project.path("dist/plain/README.md");
    std::fs::create_dir_all(readme.parent().unwrap()).unwrap();
    std::fs::write(&readme, "deployed by CI\n").unwrap();
    std::fs::create_dir_all(project.path("dist/plain/retired")).unwrap();
    std::fs::write(project.path("dist/plain/retired/template.html"), "<p>old</p>\n").unwrap();
    assert_eq!(project.build(&["--format", "plain"]).code, 0);
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), "deployed by CI\n");
    assert_eq!(std::fs::read_to_string(project.path("dist/plain/retired/template.html")).unwrap(), "<p>old</p>\n");
    assert_eq!(project.build(&["--format", "plain", "--check"]).code, 0);
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_target_leading_out_is_refused() {
    let project = Project::new(TWO_TARGETS);
    let outside = project.path("../outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(project.path("out")).unwrap();
    std::os::unix::fs::symlink(&outside, project.path("out/welcome")).unwrap();
    let run = project.build(&["--out", "out"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("cannot export to `out`"), "{run:?}");
    assert!(run.stderr.contains("leads outside the target folder through a symbolic link"), "{run:?}");
    assert!(files_under(&outside).is_empty());
    assert!(!project.path("out/manifest.json").exists());

    // An `--out` folder outside the project, or reached through a link, is fine.
    let linked = project.path("linked-out");
    std::os::unix::fs::symlink(&outside, &linked).unwrap();
    let run = project.build(&["--out", "linked-out", "--format", "mailgun"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(files_under(&outside), [".letterpress-export.json", "digest.json", "welcome.json"]);
}

#[test]
fn minify_shrinks_the_html_and_keeps_the_placeholders() {
    let project = Project::new(TWO_TARGETS);
    assert_eq!(project.build(&["--out", "full"]).code, 0);
    assert_eq!(project.build(&["--out", "small", "--minify"]).code, 0);
    let full = std::fs::read_to_string(project.path("full/digest/template.html")).unwrap();
    let small = std::fs::read_to_string(project.path("small/digest/template.html")).unwrap();
    assert!(small.len() < full.len(), "{small}");
    for placeholder in ["{{#each posts}}", "{{this.title}}", "{{/each}}"] {
        assert_eq!(small.matches(placeholder).count(), full.matches(placeholder).count(), "{placeholder}");
    }
    // The text part and subject are not HTML and stay as they are.
    assert_eq!(
        std::fs::read(project.path("full/digest/template.txt")).unwrap(),
        std::fs::read(project.path("small/digest/template.txt")).unwrap()
    );
}

/// The test project with a logo in `welcome`, written on line 3 of its MJML at column 23.
fn with_logo(config: &str) -> Project {
    let project = Project::new(config);
    support::write(
        &project.root,
        "welcome/template.mjml",
        "<mjml><mj-body><mj-section><mj-column>\n<mj-text>Hello {{name}}</mj-text>\n<mj-image alt=\"\" src=\"../assets/logo.png\" />\n</mj-column></mj-section></mj-body></mjml>\n",
    );
    support::write(&project.root, "assets/logo.png", "logo");
    project
}

const BASE_URL: &str = "[assets]\nbase_url = \"https://cdn.example.com/email\"\n\n";

#[test]
fn an_esp_export_without_a_base_url_fails_at_the_image_and_writes_nothing() {
    let project = with_logo(TWO_TARGETS);
    let run = project.build(&["--format", "postmark"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("welcome/template.mjml:3:23: error[local-image]: `../assets/logo.png` is a local image, which recipients cannot load, and no base URL is set to publish it; set `base_url` under `[assets]` in `letterpress.toml`"),
        "{run:?}"
    );
    assert!(run.stderr.contains("template `welcome` has errors and was not exported"), "{run:?}");
    assert!(run.stderr.contains("nothing was written to `dist/postmark`"), "{run:?}");
    assert!(!project.path("dist").exists(), "the good template `digest` is not written either");
    let run = project.build(&["--format", "postmark", "--check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("cannot check `dist/postmark`"), "{run:?}");
}

#[test]
fn a_plain_export_without_a_base_url_warns_unless_local_images_are_allowed() {
    let project = with_logo(TWO_TARGETS);
    let run = project.build(&["--format", "plain"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("welcome/template.mjml:3:23: warning[local-image]"), "{run:?}");
    let html = std::fs::read_to_string(project.path("dist/plain/welcome/template.html")).unwrap();
    assert!(html.contains("src=\"../assets/logo.png\""), "{html}");

    let run = project.build(&["--format", "plain", "--allow-local-images"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("local-image"), "{run:?}");
    // The switch does not make an ESP export acceptable.
    assert_eq!(project.build(&["--out", "esp", "--format", "sendgrid", "--allow-local-images"]).code, 1);
}

#[test]
fn images_are_published_with_the_export_and_checked_by_check() {
    let project = with_logo(&format!("{BASE_URL}{TWO_TARGETS}"));
    let run = project.build(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    let hash = &letterpress_export::format::sha256_hex(b"logo")[..8];
    let asset = format!("assets/logo.{hash}.png");
    assert!(run.stderr.contains(&format!("create    {asset} (4 B)")), "{run:?}");
    for target in ["dist/plain", "dist/postmark"] {
        assert_eq!(std::fs::read_to_string(project.path(&format!("{target}/{asset}"))).unwrap(), "logo");
    }
    let html = std::fs::read_to_string(project.path("dist/postmark/welcome/content.html")).unwrap();
    assert!(html.contains(&format!("src=\"https://cdn.example.com/email/logo.{hash}.png\"")), "{html}");
    assert_eq!(project.build(&["--check"]).code, 0);

    std::fs::write(project.path(&format!("dist/plain/{asset}")), "stale").unwrap();
    std::fs::remove_file(project.path(&format!("dist/postmark/{asset}"))).unwrap();
    let run = project.build(&["--check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, format!("stale: dist/plain/{asset}\nmissing: dist/postmark/{asset}\n"));

    // A missing image stops the export in every format, with or without a base URL.
    std::fs::remove_file(project.path("assets/logo.png")).unwrap();
    let run = project.build(&["--out", "elsewhere", "--allow-local-images"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(
            "welcome/template.mjml:3:23: error[image-not-found]: the image `../assets/logo.png` does not exist"
        ),
        "{run:?}"
    );
    assert!(!project.path("elsewhere").exists());
}

#[test]
fn an_invalid_base_url_is_reported_for_the_target() {
    let project = with_logo(&format!("[assets]\nbase_url = \"cdn.example.com\"\n\n{TWO_TARGETS}"));
    let run = project.build(&["--format", "plain"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("error: cannot export to `dist/plain`: asset base URL `cdn.example.com` is not an absolute `https://` or `http://` URL without a query"),
        "{run:?}"
    );
}

/// A template that cannot work at the target's engine stops the build with exit 1, naming the
/// file, the line and the engine's way of writing it; so does a name the provider refuses.
#[test]
fn an_export_to_postmark_refuses_what_mustachio_cannot_fill() {
    let project = support::repo_root().join("crates/letterpress-core/tests/dialects/postmark");
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("postmark");
    let result = support::run(&[
        "build",
        "--project",
        project.to_str().unwrap(),
        "--format",
        "postmark",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("no-if/template.mjml:8:34: error[dialect-unsupported]: Postmark's Mustachio has no `{{#if}}`; write `{{#name}}…{{/name}}`"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("Postmark template aliases must start with a letter"), "{}", result.stderr);
    // What Mustachio can fill is exported, with `{{this}}` written as `{{.}}`.
    let html = std::fs::read_to_string(out_dir.join("sections-render-once-and-scope/content.html")).unwrap();
    assert!(html.contains("{{#user}}Hello {{name}}{{/user}}"), "{html}");
    assert!(!out_dir.join("no-if").exists());
    // `check` holds a Postmark project to the same rules.
    let plain = support::run(&["check", "--project", project.to_str().unwrap()]);
    assert_eq!(plain.code, 1, "postmark checks apply to a postmark project: {}", plain.stderr);
}

/// `build --watch` exports again after an editor saves by renaming over the file, and a new
/// template appears in the export; its own writes into a target inside the project do not set
/// it off again.
#[test]
fn build_watch_exports_again_after_a_save_by_rename() {
    let project = Project::new("");
    let out = project.path("dist");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_letterpress"))
        .args(["build", "--project", project.root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let html = out.join("welcome/template.html");
    let wait_for = |path: &Path, text: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if std::fs::read_to_string(path).is_ok_and(|t| t.contains(text)) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    };
    let first = wait_for(&html, "Hello {{name}}");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let mjml = std::fs::read_to_string(project.path("welcome/template.mjml")).unwrap();
    support::write(&project.root, "welcome/.template.mjml.save", &mjml.replace("Hello", "Welcome back"));
    std::fs::rename(project.path("welcome/.template.mjml.save"), project.path("welcome/template.mjml")).unwrap();
    let second = wait_for(&html, "Welcome back {{name}}");
    support::write(&project.root, "notice/template.mjml", &mjml.replace("Hello", "Notice for"));
    support::write(&project.root, "notice/subject.hbs", "Notice\n");
    support::write(&project.root, "notice/data/default.json", "{\"name\": \"Ada\"}\n");
    let added = wait_for(&out.join("notice/template.html"), "Notice for {{name}}");
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first, "the first build: {stderr}");
    assert!(second, "a save by rename is exported again: {stderr}");
    assert!(added, "a new template is exported: {stderr}");
    // The first build, the save and the new template: three builds, not a loop on its own writes.
    assert_eq!(stderr.matches("to create").count() + stderr.matches("up to date").count(), 3, "{stderr}");
}
