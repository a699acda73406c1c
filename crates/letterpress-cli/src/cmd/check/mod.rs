//! `letterpress check`: every diagnostic of every template and data set of a project.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
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
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let project = args.project.load()?;
    let pipeline = Pipeline::default();
    let mut found: BTreeSet<Diagnostic> = project.diagnostics.iter().cloned().collect();
    let mut data_sets = 0;
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
        }
    }
    let mut found: Vec<Diagnostic> = found.into_iter().collect();
    diagnostic::sort(&mut found);
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &found).context("cannot write to standard output")?;
        writeln!(out).context("cannot write to standard output")?;
    } else {
        report::diagnostics(&found);
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
