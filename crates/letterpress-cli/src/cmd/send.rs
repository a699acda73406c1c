//! `letterpress send`: render a template, send it to the outbox or an SMTP server, and record it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use letterpress_core::Pipeline;
use letterpress_history::History;
use letterpress_mail::{
    NoFrom, ProfileError, SendReport, SmtpTarget, Target, TargetChoice, TargetError, TestSendError,
};

use super::ProjectArg;
use crate::report::{self, UsageError};

#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The template to send
    pub template: String,
    /// Recipient addresses; repeat the option or separate them with commas
    #[arg(long, required = true, value_name = "ADDR", value_delimiter = ',', num_args = 1..)]
    pub to: Vec<String>,
    /// The data set to fill the template with [default: the template's first]
    #[arg(long, short = 'd', value_name = "NAME", conflicts_with = "all_data")]
    pub data: Option<String>,
    /// Send one message for every data set of the template
    #[arg(long)]
    pub all_data: bool,
    #[command(flatten)]
    pub project: ProjectArg,
    /// Send through this SMTP profile from `profiles.toml` [default: the local outbox]
    #[arg(long, value_name = "NAME", conflicts_with = "smtp_url")]
    pub profile: Option<String>,
    /// Send through this SMTP server, e.g. `smtp://user@host:587?tls=required`; the password comes
    /// from `LETTERPRESS_SMTP_PASSWORD` or the system keyring
    #[arg(long, value_name = "URL")]
    pub smtp_url: Option<String>,
    /// An extra CA certificate (PEM) to trust for `--smtp-url`, for private certificates
    #[arg(long, value_name = "FILE", requires = "smtp_url")]
    pub smtp_ca: Option<PathBuf>,
    /// Trust exactly the server certificate with this SHA-256 fingerprint (`SHA256:AB:CD:…`),
    /// e.g. a self-signed one, for `--smtp-url`
    #[arg(long, value_name = "FINGERPRINT", requires = "smtp_url")]
    pub smtp_trust_fingerprint: Option<String>,
    /// Seconds allowed for each whole SMTP exchange [default: the profile's, else 30]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// The From address [default: the profile's sender, else `mail.from` of the project]
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
}

pub fn run(args: &SendArgs) -> anyhow::Result<ExitCode> {
    // A mistyped address is a mistake in the command, found before anything is rendered,
    // recorded or sent.
    for to in &args.to {
        letterpress_mail::check_address("To", to).map_err(|error| UsageError(error.to_string()))?;
    }
    if let Some(from) = &args.from {
        letterpress_mail::check_address("From", from).map_err(|error| UsageError(error.to_string()))?;
    }
    let project = args.project.load()?;
    report::diagnostics(&project.diagnostics);
    let template = project
        .template(&args.template)
        .ok_or_else(|| UsageError(format!("no template named `{}` in the project", args.template)))?;
    let data_sets: Vec<Option<String>> = if args.all_data {
        template.data_sets.iter().map(|set| Some(set.name.clone())).collect()
    } else {
        vec![args.data.clone()]
    };

    let data_dir = letterpress_history::data_dir()?;
    let (target, sender) = target(args, &data_dir)?;
    let from = letterpress_mail::choose_from(args.from.as_deref(), sender.as_deref(), &project, &target)
        .ok_or_else(|| UsageError(NoFrom { option: Some("--from") }.to_string()))?;
    let history = History::open_in(&data_dir)?;
    let pipeline = Pipeline::default();

    let mut all_sent = true;
    for data_set in &data_sets {
        let rendered = pipeline.render(&project, &args.template, data_set.as_deref())?;
        report::diagnostics(&rendered.diagnostics);
        let report = match letterpress_mail::send_rendered(&history, &project, &rendered, &from, &args.to, &target) {
            Ok(report) => report,
            Err(error @ TestSendError::TemplateErrors { .. }) => {
                report::note(&format!("error: {error}"));
                all_sent = false;
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        all_sent &= show(args, &letterpress_mail::label(&rendered), &report)?;
    }
    Ok(ExitCode::from(if all_sent { report::OK } else { report::PROBLEMS }))
}

/// The target the options name, and the profile's sender if any.
fn target(args: &SendArgs, data_dir: &std::path::Path) -> anyhow::Result<(Target, Option<String>)> {
    let timeout = args.timeout.map(Duration::from_secs);
    if let Some(url) = &args.smtp_url {
        let mut settings = letterpress_mail::parse_smtp_url(url, timeout.unwrap_or(letterpress_mail::DEFAULT_TIMEOUT))
            .map_err(|error| UsageError(error.to_string()))?;
        settings.ca_file = args.smtp_ca.clone();
        settings.trust_fingerprint = args.smtp_trust_fingerprint.clone();
        settings.check().map_err(|error| UsageError(error.to_string()))?;
        check_ca_file(&settings)?;
        let password = letterpress_mail::resolve_password(&settings)?;
        let label = settings.redacted_url();
        return Ok((Target::Smtp(SmtpTarget { label, settings, password }), None));
    }
    let choice = match &args.profile {
        Some(name) => TargetChoice::Profile { name: name.clone() },
        None => TargetChoice::Outbox,
    };
    let (target, sender) = choice.resolve(data_dir, timeout).map_err(target_error)?;
    if let Target::Smtp(smtp) = &target {
        check_ca_file(&smtp.settings)?;
    }
    Ok((target, sender))
}

/// A target that cannot be used: naming a profile that does not exist or cannot work, or one
/// without its password, is a mistake in the command; a profiles file that cannot be read is not.
pub(crate) fn target_error(error: TargetError) -> anyhow::Error {
    match error {
        TargetError::Password(error) => anyhow::Error::new(error),
        TargetError::Profiles(
            error @ (ProfileError::Read { .. } | ProfileError::Parse { .. } | ProfileError::Write { .. }),
        ) => anyhow::Error::new(error),
        usage => anyhow::Error::new(UsageError(usage.to_string())),
    }
}

/// Reads the CA file now, so that a missing or wrong file is a usage error named before
/// anything is recorded, rather than a failed handshake.
pub(crate) fn check_ca_file(settings: &letterpress_mail::SmtpSettings) -> anyhow::Result<()> {
    if let Some(path) = &settings.ca_file {
        letterpress_mail::read_ca_file(path).map_err(|error| UsageError(error.to_string()))?;
    }
    Ok(())
}

/// Prints how one send went; true when it was sent.
fn show(args: &SendArgs, label: &str, report: &SendReport) -> anyhow::Result<bool> {
    match &report.failure {
        None => {
            let outcome = match (&report.reply, &report.outbox_file) {
                (Some(reply), _) => reply.to_string(),
                (None, Some(file)) => format!("stored in `{}`", file.display()),
                (None, None) => "done".to_owned(),
            };
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "sent {label} to {} via {} in {} ms: {outcome}",
                args.to.join(", "),
                report.target,
                report.duration_ms
            )
            .context("cannot write to standard output")?;
            Ok(true)
        }
        Some(failure) => {
            let retry = if failure.transient { "transient, worth retrying" } else { "permanent" };
            report::note(&format!("error: sending {label} via {} failed ({retry}): {}", report.target, failure.detail));
            Ok(false)
        }
    }
}
