//! `-w`/`--watch`: compiles the files once, then again whenever one of them or a file it includes
//! changes, like `mjml -w`. Editor saves that write a temporary file and rename it over the
//! original arrive from the watcher as a change to the original.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use anyhow::Context;
use letterpress_watch::{ChangeKind, DEFAULT_DEBOUNCE, ProjectWatcher, WatchEvent};

use super::args::{CommandLineError, Invocation, Output};
use super::{command_line_error, compile_for_watch, expand, includes};
use crate::report;

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

pub fn run(patterns: &[String], invocation: &Invocation) -> anyhow::Result<ExitCode> {
    let files = expand(patterns);
    let several_need_folder = match &invocation.output {
        Output::Path(path) => !path.is_empty() && !Path::new(path).is_dir(),
        Output::Stdout => true,
    };
    if files.len() > 1 && several_need_folder {
        return Ok(command_line_error(&CommandLineError(
            "watching several files needs `-o` naming an existing folder".into(),
        )));
    }
    // Each input with the files it read last time (itself and its includes).
    let mut watched: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    let compile = |file: &str, watched: &mut BTreeMap<String, BTreeSet<PathBuf>>| -> anyhow::Result<()> {
        let outcome = compile_for_watch(file, invocation)?;
        if outcome.written {
            report::note(&format!("{file} - successfully compiled"));
        } else {
            report::note(&format!("{file} - error while compiling the file"));
        }
        let mut read: BTreeSet<PathBuf> = outcome.files.iter().map(|p| absolute(p)).collect();
        read.insert(absolute(Path::new(file)));
        watched.insert(file.to_owned(), read);
        Ok(())
    };
    for file in &files {
        compile(file, &mut watched)?;
    }

    let roots: BTreeSet<PathBuf> = if files.is_empty() {
        [std::env::current_dir().context("cannot find the current folder")?].into()
    } else {
        files
            .iter()
            .map(|file| includes::root(Path::new(file), invocation.root.as_deref(), &invocation.config))
            .collect()
    };
    let (sender, receiver) = mpsc::channel();
    let mut watchers: Vec<ProjectWatcher> = Vec::new();
    for root in &roots {
        let sender = sender.clone();
        let watcher = ProjectWatcher::start(root, DEFAULT_DEBOUNCE, move |event| {
            let _ = sender.send(event);
        })
        .with_context(|| format!("cannot watch `{}`", root.display()))?;
        report::note(&format!("watching `{}`", root.display()));
        watchers.push(watcher);
    }
    drop(sender);

    for event in receiver {
        let changed: Vec<PathBuf> = match event {
            WatchEvent::Changes(changes) => changes
                .into_iter()
                .filter(|change| change.kind != ChangeKind::Removed)
                .map(|change| change.path)
                .collect(),
            // Events were lost: everything may have changed.
            WatchEvent::Rescan => watched.values().flatten().cloned().collect(),
            WatchEvent::Error(message) => {
                report::note(&format!("warning: the file watcher reported a problem: {message}"));
                continue;
            }
        };
        // A pattern may now match a new file.
        for file in expand_quietly(patterns) {
            if !watched.contains_key(&file) && changed.contains(&absolute(Path::new(&file))) {
                watched.insert(file, BTreeSet::new());
            }
        }
        let due: Vec<String> = watched
            .iter()
            .filter(|(file, read)| {
                changed.iter().any(|path| read.contains(path) || *path == absolute(Path::new(file.as_str())))
            })
            .map(|(file, _)| file.clone())
            .collect();
        for file in due {
            report::note(&format!("{file} - change detected"));
            compile(&file, &mut watched)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The files patterns match now, without the warnings for names that match nothing.
fn expand_quietly(patterns: &[String]) -> Vec<String> {
    let mut files = Vec::new();
    for pattern in patterns {
        if pattern.contains(['*', '?', '[']) {
            if let Ok(paths) = glob::glob(pattern) {
                files.extend(paths.flatten().filter(|p| p.is_file()).map(|p| p.display().to_string()));
            }
        } else if Path::new(pattern).is_file() {
            files.push(pattern.clone());
        }
    }
    files
}
