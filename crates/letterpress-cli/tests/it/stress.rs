//! `letterpress build` killed with SIGKILL at varied moments: the next build must succeed and
//! give exactly what a clean build gives, with no temporary file left and no manifest listing a
//! file that does not exist.
//!
//! `LETTERPRESS_STRESS_TEMPLATES` (default 200) and `LETTERPRESS_STRESS_ROUNDS` (default 20) set
//! the scale; `scripts/stress-build.sh` runs it larger and prints the figures.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{tree, write};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn is_temporary(path: &str) -> bool {
    path.ends_with(".tmp")
}

/// The paths a manifest or ownership record lists.
fn listed(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(path) = map.get("path").and_then(|p| p.as_str()) {
                out.push(path.to_owned());
            }
            map.values().for_each(|v| listed(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| listed(v, out)),
        _ => {}
    }
}

fn build(binary: &Path, project: &Path, out: &str) -> std::process::Child {
    Command::new(binary)
        .args(["build", "--out", out])
        .current_dir(project)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the letterpress binary starts")
}

#[test]
fn builds_killed_at_any_moment_leave_nothing_wrong_behind() {
    let templates = setting("LETTERPRESS_STRESS_TEMPLATES", 200);
    let rounds = setting("LETTERPRESS_STRESS_ROUNDS", 20);
    let dir = tempfile::tempdir().unwrap();
    // The test runs for a while; a copy of the binary keeps a rebuild meanwhile from changing
    // what is being tested halfway through.
    let binary = dir.path().join("letterpress");
    std::fs::copy(env!("CARGO_BIN_EXE_letterpress"), &binary).unwrap();
    let project = dir.path().join("project");
    for i in 0..templates {
        let name = format!("t{i}");
        let mjml = format!(
            "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-title>{name}</mj-title></mj-head><mj-body><mj-section><mj-column>\n<mj-text>Hello {{{{name}}}}, this is template {i}.</mj-text>\n</mj-column></mj-section></mj-body></mjml>\n"
        );
        write(&project, &format!("{name}/template.mjml"), &mjml);
        write(&project, &format!("{name}/subject.hbs"), &format!("Subject {i} for {{{{name}}}}\n"));
        write(&project, &format!("{name}/data/default.json"), "{\"name\": \"Ada\"}\n");
    }

    assert!(build(&binary, &project, "../clean").wait().unwrap().success());
    let clean = tree(&dir.path().join("clean"));
    assert_eq!(clean.len(), templates * 3 + 2, "templates, manifest and ownership record");
    // A second clean build, timed once the files are in the cache, sets the scale of the delays.
    let started = Instant::now();
    assert!(build(&binary, &project, "../clean-again").wait().unwrap().success());
    let clean_time = started.elapsed();
    assert!(tree(&dir.path().join("clean-again")) == clean, "builds are deterministic");

    let out = dir.path().join("killed");
    let mut killed_while_running = 0;
    let mut left_incomplete = 0;
    let mut rebuild_time = Duration::ZERO;
    for round in 0..rounds {
        // Spread the kills over most of a build from an empty folder, in an order
        // that is not monotonic so that each round starts from a different state.
        let fraction = ((round * 37) % rounds.max(1)) as f64 / rounds.max(1) as f64;
        let delay = clean_time.mul_f64(fraction * 0.8);
        if round % 5 == 4 {
            // Now and then, from an empty folder again.
            let _ = std::fs::remove_dir_all(&out);
        }
        let mut child = build(&binary, &project, "../killed");
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        let _ = child.kill();
        let _ = child.wait();

        // What the killed build left: the manifest and the record list only files that exist.
        let left = tree(&out);
        left_incomplete += usize::from(left != clean);
        for listing in ["manifest.json", letterpress_export::RECORD] {
            let Some(bytes) = left.get(listing) else { continue };
            let value: serde_json::Value =
                serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("round {round}: `{listing}` is not JSON: {e}"));
            let mut paths = Vec::new();
            listed(&value, &mut paths);
            if let Some(files) = value.get("files").and_then(|f| f.as_object()) {
                paths.extend(files.keys().cloned());
            }
            for path in paths {
                assert!(left.contains_key(&path), "round {round}: `{listing}` lists `{path}`, which does not exist");
            }
        }

        let started = Instant::now();
        let status = build(&binary, &project, "../killed").wait().unwrap();
        rebuild_time += started.elapsed();
        assert!(status.success(), "round {round}: the build after a kill failed");
        let rebuilt = tree(&out);
        let temporary: Vec<&String> = rebuilt.keys().filter(|p| is_temporary(p)).collect();
        assert!(temporary.is_empty(), "round {round}: temporary files left: {temporary:?}");
        assert!(rebuilt == clean, "round {round}: the rebuilt export differs from a clean build");
    }
    println!(
        "stress: {templates} templates, {rounds} kills ({killed_while_running} while running, {left_incomplete} leaving the export incomplete), clean build {:.2} s, mean rebuild after a kill {:.2} s",
        clean_time.as_secs_f64(),
        rebuild_time.as_secs_f64() / rounds.max(1) as f64
    );
}
