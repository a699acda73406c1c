//! `letterpress list`: the templates of a project and their data sets.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use super::ProjectArg;
use crate::report;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub project: ProjectArg,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    name: &'a str,
    data_sets: Vec<&'a str>,
    has_text: bool,
}

pub fn run(args: &ListArgs) -> anyhow::Result<ExitCode> {
    let project = args.project.load()?;
    report::diagnostics(&project.diagnostics);
    let entries: Vec<Entry> = project
        .templates
        .iter()
        .map(|t| Entry {
            name: &t.name,
            data_sets: t.data_sets.iter().map(|d| d.name.as_str()).collect(),
            has_text: t.has_text,
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &entries).context("cannot write to standard output")?;
        writeln!(out).context("cannot write to standard output")?;
    } else {
        let width = entries.iter().map(|e| e.name.len()).max().unwrap_or(0);
        for entry in &entries {
            writeln!(out, "{:width$}  {}", entry.name, entry.data_sets.join(", "))
                .context("cannot write to standard output")?;
        }
    }
    Ok(report::status(&project.diagnostics, false))
}
