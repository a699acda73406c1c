//! Hostile project files: links leading out of the project and files that are not UTF-8 are
//! errors placed in the file, in `check`, `render` and `build` alike, and never reach an export.

use std::path::{Path, PathBuf};

use crate::support::{Output, run_in, tree, write};

const MJML: &str = "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>T</mj-title></mj-head><mj-body><mj-section><mj-column>\n<mj-text>Hello {{name}}</mj-text>\n</mj-column></mj-section></mj-body></mjml>\n";

/// A project folder with one template `t`, beside a folder `outside` holding a secret.
fn project() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    write(&root, "t/template.mjml", MJML);
    write(&root, "t/subject.hbs", "Hi {{name}}\n");
    write(&root, "t/data/default.json", "{\"name\": \"Ada\"}\n");
    let outside = dir.path().join("outside");
    write(&outside, "secret.txt", "SECRET {{name}}\n");
    write(&outside, "secret.mjml", &MJML.replace("Hello", "SECRET"));
    write(&outside, "data/default.json", "{\"name\": \"SECRET\"}\n");
    (dir, root, outside)
}

fn letterpress(root: &Path, args: &[&str]) -> Output {
    run_in(root, args, None)
}

/// Every file under `dir`, with its contents.
fn contents_under(dir: &Path) -> String {
    tree(dir).values().map(|bytes| String::from_utf8_lossy(bytes).into_owned()).collect()
}

#[cfg(unix)]
#[test]
fn project_files_linked_out_of_the_project_are_refused_and_never_exported() {
    let cases: [(&str, &str); 5] = [
        ("t/text.hbs", "secret.txt"),
        ("t/subject.hbs", "secret.txt"),
        ("t/template.mjml", "secret.mjml"),
        ("t/data/default.json", "data/default.json"),
        ("t/data", "data"),
    ];
    for (link, target) in cases {
        let (_dir, root, outside) = project();
        let path = root.join(link);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            let _ = std::fs::remove_file(&path);
        }
        std::os::unix::fs::symlink(outside.join(target), &path).unwrap();
        let shown = if link == "t/data" { "t/data/default.json" } else { link };

        let check = letterpress(&root, &["check", "--allow-warnings"]);
        assert_eq!(check.code, 1, "{link}: {check:?}");
        let expected = format!(
            "{shown}:1:1: error[file-outside-project]: `{shown}` is a symbolic link to outside the project folder and was not read\n"
        );
        assert!(check.stderr.contains(&expected), "{link}: {}", check.stderr);
        assert!(!check.stdout.contains("SECRET") && !check.stderr.contains("SECRET"), "{link}");

        let render = letterpress(&root, &["render", "t", "--json"]);
        assert!(!render.stdout.contains("SECRET"), "{link}: {}", render.stdout);
        assert!(render.stdout.contains("file-outside-project"), "{link}: {}", render.stdout);

        let build = letterpress(&root, &["build", "--out", "dist"]);
        assert_eq!(build.code, 1, "{link}: {build:?}");
        assert!(build.stderr.contains(&expected), "{link}: {}", build.stderr);
        assert!(build.stderr.contains("template `t` has errors and was not exported"), "{link}: {}", build.stderr);
        assert!(!contents_under(&root.join("dist")).contains("SECRET"), "{link}");
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_project_are_still_followed() {
    let (_dir, root, _outside) = project();
    write(&root, "shared/subject.hbs", "Shared {{name}}\n");
    std::fs::remove_file(root.join("t/subject.hbs")).unwrap();
    std::os::unix::fs::symlink(root.join("shared/subject.hbs"), root.join("t/subject.hbs")).unwrap();
    let render = letterpress(&root, &["render", "t", "--part", "subject"]);
    assert_eq!(render.code, 0, "{render:?}");
    assert_eq!(render.stdout, "Shared Ada\n");
}

#[test]
fn files_that_are_not_utf8_are_errors_at_their_first_invalid_byte() {
    // Each case: the file, its bytes, and the position of the first invalid byte.
    let cases: [(&str, &[u8], &str); 5] = [
        ("t/subject.hbs", b"Hi \xe9t\xe9 {{name}}\n", "1:4"),
        ("t/text.hbs", b"Hello {{name}},\n\ncaf\xc3\xa9 cr\xe8me\n", "3:8"),
        ("t/template.mjml", b"<mjml>\n<mj-body>\xff</mj-body></mjml>\n", "2:10"),
        (
            "partials/footer.mjml",
            b"<mj-section>\n  <mj-column><mj-text>\x80</mj-text></mj-column>\n</mj-section>\n",
            "2:23",
        ),
        ("t/data/default.json", b"{\"name\": \"Ad\xe0\"}\n", "1:13"),
    ];
    for (file, bytes, at) in cases {
        let (_dir, root, _outside) = project();
        if file.starts_with("partials/") {
            write(
                &root,
                "t/template.mjml",
                &MJML.replace("</mj-body>", "<mj-include path=\"../partials/footer.mjml\" /></mj-body>"),
            );
        }
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::write(root.join(file), bytes).unwrap();
        let (line, column) = at.split_once(':').unwrap();
        let expected = format!(
            "{file}:{at}: error[invalid-utf8]: `{file}` is not valid UTF-8: the first invalid byte is at line {line}, column {column}; save it as UTF-8\n"
        );

        let check = letterpress(&root, &["check", "--allow-warnings"]);
        assert_eq!(check.code, 1, "{file}: {check:?}");
        assert!(check.stderr.contains(&expected), "{file}: {}", check.stderr);

        let render = letterpress(&root, &["render", "t", "--part", "subject"]);
        assert_eq!(render.code, 1, "{file}: {render:?}");
        assert!(render.stderr.contains(&expected), "{file}: {}", render.stderr);

        let build = letterpress(&root, &["build", "--out", "dist"]);
        assert_eq!(build.code, 1, "{file}: {build:?}");
        assert!(build.stderr.contains(&expected), "{file}: {}", build.stderr);
        assert!(!root.join("dist/t").exists(), "{file}: the template is left out of the export");
    }
}
