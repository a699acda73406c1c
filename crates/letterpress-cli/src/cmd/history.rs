//! `letterpress history`: the recorded sends, newest first, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use letterpress_history::{History, Query, SendSummary, Status, format_time};

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Show at most this many sends
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// Only sends of this template
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// Only sends with this status: pending, sent, failed or interrupted
    #[arg(long, value_name = "STATUS", value_parser = parse_status)]
    pub status: Option<Status>,
    /// Only sends whose subject, recipients, template, data set, target, Message-ID, server reply
    /// or failure (its headline or full text) contain this text
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

fn parse_status(text: &str) -> Result<Status, String> {
    text.parse()
}

pub fn run(args: &HistoryArgs) -> anyhow::Result<ExitCode> {
    let data_dir = letterpress_history::data_dir()?;
    let history = History::open_in(&data_dir)?;
    let sends = history.list(&Query {
        search: args.search.clone(),
        template: args.template.clone(),
        status: args.status,
        limit: args.limit,
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &sends).context("cannot write to standard output")?;
        writeln!(out).context("cannot write to standard output")?;
    } else {
        for send in &sends {
            writeln!(out, "{}", line(send)).context("cannot write to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One send on one line: when, status, what, to whom, how and the server's answer.
fn line(send: &SendSummary) -> String {
    let what = match &send.data_set {
        Some(set) => format!("{}/{set}", send.template),
        None => send.template.clone(),
    };
    let outcome = match (&send.reply, &send.error) {
        (Some(reply), _) => format!("{} {}", reply.code, reply.text),
        (None, Some(error)) => error.clone(),
        (None, None) => String::new(),
    };
    format!(
        "#{:<5} {}  {:<11}  {what}  to {}  via {}  {}",
        send.id.0,
        format_time(send.started_at),
        send.status.as_str(),
        send.recipients.join(", "),
        send.target,
        outcome
    )
    .trim_end()
    .to_owned()
}
