//! `letterpress check`: every diagnostic of every template and data set of a project, and with
//! `--online`, whether the links of the rendered messages answer.

pub mod online;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use letterpress_core::diagnostic::Code;
use letterpress_core::{Diagnostic, Pipeline, diagnostic};

use super::ProjectArg;
use crate::report;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArg,
    /// Print the diagnostics as JSON on standard output
    #[arg(long)]
    pub json: bool,
    /// Exit 0 when only warnings were found
    #[arg(long)]
    pub allow_warnings: bool,
    /// Also check that every http(s) link of the rendered messages answers (makes requests)
    #[arg(long)]
    pub online: bool,
    /// With --online, how long one link may take to answer, redirects included
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    pub online_timeout: Duration,
    /// With --online, how many links are asked at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub online_concurrency: u16,
}

/// A positive number of seconds, possibly with a fraction: `10`, `0.5`.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>().ok().and_then(|s| Duration::try_from_secs_f64(s).ok()) {
        Some(duration) if !duration.is_zero() => Ok(duration),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let project = args.project.load()?;
    let pipeline = Pipeline::default();
    let mut found: BTreeSet<Diagnostic> = project.diagnostics.iter().cloned().collect();
    let mut data_sets = 0;
    // Each linked URL with the templates (name, then MJML file) whose messages link to it.
    let mut linked: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for template in &project.templates {
        let names: Vec<Option<&str>> = if template.data_sets.is_empty() {
            vec![None]
        } else {
            template.data_sets.iter().map(|d| Some(d.name.as_str())).collect()
        };
        for name in names {
            let rendered = pipeline.render(&project, &template.name, name)?;
            data_sets += usize::from(name.is_some());
            found.extend(rendered.diagnostics);
            if args.online {
                for url in online::links(&rendered.html) {
                    let file = project.display(&template.mjml_path());
                    linked.entry(url).or_default().insert((template.name.clone(), file));
                }
            }
        }
    }
    let online_summary = args.online.then(|| {
        let urls: Vec<String> = linked.keys().cloned().collect();
        let options =
            online::Options { concurrency: usize::from(args.online_concurrency), timeout: args.online_timeout };
        let outcomes = online::probe(&urls, &options);
        let mut broken = 0;
        for (url, outcome) in &outcomes {
            if outcome.is_ok() {
                continue;
            }
            broken += 1;
            let templates = &linked[url];
            let (_, file) = templates.first().expect("a linked URL has a template");
            let names: Vec<String> = templates.iter().map(|(name, _)| format!("`{name}`")).collect();
            let message = format!("`{url}` {outcome}; linked from {}", list(&names));
            found.insert(Diagnostic::warning(Code::BrokenLink, file.clone(), message));
        }
        format!("checked {} online: {broken} broken", report::plural(outcomes.len(), "link"))
    });
    let mut found: Vec<Diagnostic> = found.into_iter().collect();
    diagnostic::sort(&mut found);
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &found).context("cannot write to standard output")?;
        writeln!(out).context("cannot write to standard output")?;
    } else {
        report::diagnostics(&found);
    }
    if let Some(summary) = online_summary {
        report::note(&summary);
    }
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    report::note(&format!(
        "checked {} and {}: {}, {}",
        report::plural(project.templates.len(), "template"),
        report::plural(data_sets, "data set"),
        report::plural(errors, "error"),
        report::plural(warnings, "warning"),
    ));
    Ok(report::status(&found, !args.allow_warnings))
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
