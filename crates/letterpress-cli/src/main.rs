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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Compile(args) => cmd::compile::run(args),
        Command::List(args) => cmd::list::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Check(args) => cmd::check::run(args),
    };
    result.unwrap_or_else(|error| report::failure(&error))
}
