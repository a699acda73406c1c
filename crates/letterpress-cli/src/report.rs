//! How the CLI talks to people: diagnostics and errors on stderr, with colour only on a terminal
//! and never when `NO_COLOR` is set. Data goes to stdout elsewhere.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use letterpress_core::{Diagnostic, PipelineError, ProjectError, Severity};

/// Exit status when everything went well.
pub const OK: u8 = 0;
/// Exit status when problems were found in the input.
pub const PROBLEMS: u8 = 1;
/// Exit status when the command was used wrongly: bad arguments, unknown names, missing folders.
pub const USAGE: u8 = 2;

fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints diagnostics to stderr, one per line, in the `file:line:column: severity[code]: message`
/// form that editors and terminals turn into links.
pub fn diagnostics(diagnostics: &[Diagnostic]) {
    let colour = colour();
    let mut err = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let line = diagnostic.to_string();
        if colour {
            let code = match diagnostic.severity {
                Severity::Error => "31",
                Severity::Warning => "33",
            };
            let _ = writeln!(err, "\x1b[{code}m{line}\x1b[0m");
        } else {
            let _ = writeln!(err, "{line}");
        }
    }
}

/// A line of progress or summary on stderr.
pub fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Reports an error that stopped a command and chooses the exit status: naming something that
/// does not exist is a usage error, anything else a failure.
pub fn failure(error: &anyhow::Error) -> ExitCode {
    let usage = error.chain().any(|cause| {
        cause.downcast_ref::<PipelineError>().is_some()
            || matches!(
                cause.downcast_ref::<ProjectError>(),
                Some(ProjectError::NotFound { .. } | ProjectError::NotAFolder { .. })
            )
            || cause.downcast_ref::<UsageError>().is_some()
            // A user name without a password: the command needs `LETTERPRESS_SMTP_PASSWORD`
            // or a stored password, like a missing argument.
            || cause.downcast_ref::<letterpress_mail::PasswordError>().is_some()
    });
    let prefix = if colour() { "\x1b[31merror\x1b[0m" } else { "error" };
    let _ = writeln!(std::io::stderr().lock(), "{prefix}: {error:#}");
    ExitCode::from(if usage { USAGE } else { PROBLEMS })
}

/// A mistake in how the command was called, found after argument parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The exit status for a set of diagnostics: problems if any is an error, or if any is a
/// warning and warnings count.
pub fn status(diagnostics: &[Diagnostic], warnings_count: bool) -> ExitCode {
    let failing = diagnostics.iter().any(|d| d.is_error() || (warnings_count && d.severity == Severity::Warning));
    ExitCode::from(if failing { PROBLEMS } else { OK })
}
