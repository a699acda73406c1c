//! Runs the real binary and captures what it prints.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `letterpress` with `args` in `dir`, optionally feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_letterpress"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the letterpress binary starts");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Output {
        code: output.status.code().expect("the binary exits rather than being killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Output {
    run_in(&repo_root(), args, None)
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf()
}

/// The core's fixture project, shared by the core's and the CLI's tests.
pub fn fixture_project() -> PathBuf {
    repo_root().join("crates/letterpress-core/tests/fixtures/project")
}

/// The reference corpus of MJML templates beside the repository, when present.
pub fn corpus() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/corpus/mjml-email-templates");
    dir.is_dir().then_some(dir)
}

pub fn write(dir: &Path, relative: &str, content: &str) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

pub const SIMPLE: &str = "<mjml><mj-body><mj-section><mj-column><mj-text>Hello from the CLI</mj-text></mj-column></mj-section></mj-body></mjml>";

/// Every file under `dir` with its bytes, by path relative to `dir` with `/` separators.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A run's standard error without the client-support notes that every project gets (`info`
/// lines, the per-template score lines and the count in the summary), for tests about the rest.
pub fn problems(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        if line.contains(": info[") || line.contains(": client support from ") {
            continue;
        }
        let line = match line.rfind(", ").filter(|_| line.starts_with("checked ") && line.ends_with(" infos")) {
            Some(at) => &line[..at],
            None => line.strip_suffix(", 1 info").unwrap_or(line),
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}
