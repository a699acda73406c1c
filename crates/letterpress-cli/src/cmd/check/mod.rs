//! `letterpress check`: every diagnostic of every template and data set of a project, and with
//! `--online`, whether the links of the rendered messages answer.

pub mod online;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use letterpress_core::checks::clients::ClientSupport;
use letterpress_core::compile::Place;
use letterpress_core::diagnostic::Code;
use letterpress_core::{Diagnostic, Pipeline, Severity, diagnostic};

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
    /// Print every popular mail client's support score for each template
    #[arg(long)]
    pub clients: bool,
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
    // Each linked URL with the templates whose messages link to it, and where each writes it.
    let mut linked: BTreeMap<String, BTreeMap<String, Place>> = BTreeMap::new();
    let mut scores: Vec<(String, ClientSupport)> = Vec::new();
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
                for (href, place) in rendered.links {
                    if let Some(url) = online::normalise(&href) {
                        linked.entry(url).or_default().entry(template.name.clone()).or_insert(place);
                    }
                }
            }
            if let Some(clients) = rendered.clients
                && scores.last().is_none_or(|(name, _)| *name != template.name)
            {
                scores.push((template.name.clone(), clients));
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
            // Each template that links to it hears about it, where it writes the link.
            for place in linked[url].values() {
                let message = format!("`{url}` {outcome}");
                found.insert(
                    Diagnostic::warning(Code::BrokenLink, place.file.clone(), message).span(place.start, place.end),
                );
            }
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
    if !args.json {
        for (template, clients) in &scores {
            report::note(&client_summary(template, clients, args.clients));
        }
    }
    let count = |severity: Severity| found.iter().filter(|d| d.severity == severity).count();
    let infos = count(Severity::Info);
    report::note(&format!(
        "checked {} and {}: {}, {}{}",
        report::plural(project.templates.len(), "template"),
        report::plural(data_sets, "data set"),
        report::plural(count(Severity::Error), "error"),
        report::plural(count(Severity::Warning), "warning"),
        if infos > 0 { format!(", {}", report::plural(infos, "info")) } else { String::new() },
    ));
    Ok(report::status(&found, !args.allow_warnings))
}

/// A template's client-support scores: the lowest three on one line, or every client with
/// `--clients`.
fn client_summary(template: &str, clients: &ClientSupport, all: bool) -> String {
    let mut rows: Vec<_> = clients.clients.iter().collect();
    rows.sort_by_key(|c| (c.score, c.name.clone()));
    if all {
        let mut text = format!("{template}: client support (caniemail {}, {}):", clients.caniemail, clients.updated);
        for row in &rows {
            text.push_str(&format!("\n  {:>3}%  {}", row.score, row.name));
        }
        text
    } else {
        let lowest: Vec<String> = rows.iter().take(3).map(|c| format!("{} {}%", c.name, c.score)).collect();
        format!(
            "{template}: client support from {}% (lowest: {})",
            rows.first().map_or(100, |c| c.score),
            lowest.join(", ")
        )
    }
}
