//! `letterpress render`: one template filled with one data set.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use letterpress_core::Pipeline;
use serde_json::json;

use super::ProjectArg;
use crate::report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    Html,
    Text,
    Subject,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The template to render
    pub template: String,
    #[command(flatten)]
    pub project: ProjectArg,
    /// The data set to fill it with [default: the template's first, usually `default`]
    #[arg(long, short = 'd', value_name = "NAME")]
    pub data: Option<String>,
    /// Which part of the message to print
    #[arg(long, value_enum, default_value = "html")]
    pub part: Part,
    /// Print every part and the diagnostics as one JSON object
    #[arg(long, conflicts_with = "part")]
    pub json: bool,
}

pub fn run(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let project = args.project.load()?;
    let pipeline = Pipeline::default();
    let rendered = pipeline.render(&project, &args.template, args.data.as_deref())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = json!({
            "template": rendered.template,
            "dataSet": rendered.data_set,
            "subject": rendered.subject,
            "html": rendered.html,
            "text": rendered.text,
            "diagnostics": rendered.diagnostics,
        });
        serde_json::to_writer_pretty(&mut out, &value).context("cannot write to standard output")?;
        writeln!(out).context("cannot write to standard output")?;
    } else {
        report::diagnostics(&rendered.diagnostics);
        let body = match args.part {
            Part::Html => &rendered.html,
            Part::Text => &rendered.text,
            Part::Subject => &rendered.subject,
        };
        out.write_all(body.as_bytes()).context("cannot write to standard output")?;
        if !body.ends_with('\n') {
            writeln!(out).context("cannot write to standard output")?;
        }
    }
    Ok(report::status(&rendered.diagnostics, false))
}
