//! The `letterpress` binary: argument parsing plus glue over the core.

mod cmd;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Design, preview, check, send and export MJML email templates.
#[derive(Debug, Parser)]
#[command(name = "letterpress", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile MJML files to HTML, like the `mjml` command
    Compile(cmd::compile::CompileArgs),
    /// List the templates of a project and their data sets
    List(cmd::list::ListArgs),
    /// Render a template filled with a data set
    Render(cmd::render::RenderArgs),
    /// Report every problem in every template and data set of a project
    Check(cmd::check::CheckArgs),
    /// Send a template to the local outbox or through an SMTP server, and record it
    Send(cmd::send::SendArgs),
    /// Show the recorded sends, newest first
    History(cmd::history::HistoryArgs),
    /// Manage the saved SMTP profiles used by `send --profile`
    Profile(cmd::profile::ProfileArgs),
    /// Export compiled templates to folders, in plain files or an ESP's layout
    Build(cmd::build::BuildArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Compile(args) => cmd::compile::run(args),
        Command::List(args) => cmd::list::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Send(args) => cmd::send::run(args),
        Command::History(args) => cmd::history::run(args),
        Command::Profile(args) => cmd::profile::run(args),
        Command::Build(args) => cmd::build::run(args),
    };
    result.unwrap_or_else(|error| report::failure(&error))
}
