//! `letterpress send`: render a template, send it to the outbox or an SMTP server, and record it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use letterpress_core::{Pipeline, Project, Rendered};
use letterpress_history::{History, NewSend, Outcome};
use letterpress_mail::{
    Draft, FailureKind, ImageRoots, MessageId, Outbox, ProfileError, ProfileStore, SmtpTarget, Target,
};

use super::ProjectArg;
use crate::report::{self, UsageError};

/// The From address of outbox messages when neither the project nor the command names one.
const OUTBOX_FROM: &str = "Letterpress <letterpress@localhost>";

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
    /// Seconds allowed for each whole SMTP exchange [default: the profile's, else 30]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// The From address [default: the profile's sender, else `mail.from` of the project]
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
}

pub fn run(args: &SendArgs) -> anyhow::Result<ExitCode> {
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
    let from = args
        .from
        .clone()
        .or(sender)
        .or_else(|| project.config.mail.from.clone())
        .or_else(|| matches!(target, Target::Outbox(_)).then(|| OUTBOX_FROM.to_owned()))
        .ok_or_else(|| {
            UsageError(
                "no From address: pass `--from`, set the profile's `sender`, or set `mail.from` in `letterpress.toml`"
                    .to_owned(),
            )
        })?;
    let history = History::open_in(&data_dir)?;
    let pipeline = Pipeline::default();

    let mut all_sent = true;
    for data_set in &data_sets {
        let rendered = pipeline.render(&project, &args.template, data_set.as_deref())?;
        report::diagnostics(&rendered.diagnostics);
        let label = match &rendered.data_set {
            Some(set) => format!("{}/{set}", rendered.template),
            None => rendered.template.clone(),
        };
        if rendered.has_errors() {
            report::note(&format!("error: `{label}` has errors and was not sent"));
            all_sent = false;
            continue;
        }
        all_sent &= send_one(args, &project, &rendered, &label, &from, &target, &history)?;
    }
    Ok(ExitCode::from(if all_sent { report::OK } else { report::PROBLEMS }))
}

/// The target the options name, and the profile's sender if any.
fn target(args: &SendArgs, data_dir: &std::path::Path) -> anyhow::Result<(Target, Option<String>)> {
    let timeout = args.timeout.map(Duration::from_secs);
    if let Some(name) = &args.profile {
        let store = ProfileStore::in_data_dir(data_dir);
        let profile = store.get(name).map_err(|error| match error {
            ProfileError::NotFound(_) => anyhow::Error::new(UsageError(format!(
                "no SMTP profile named `{name}` in `{}`",
                store.path().display()
            ))),
            other => anyhow::Error::new(other),
        })?;
        let mut settings = profile.settings();
        if let Some(timeout) = timeout {
            settings.timeout = timeout;
        }
        settings.check().map_err(|error| UsageError(format!("SMTP profile `{name}`: {error}")))?;
        let password = letterpress_mail::resolve_password(&settings)?;
        let target = Target::Smtp(SmtpTarget { label: profile.name.clone(), settings, password });
        return Ok((target, profile.sender));
    }
    if let Some(url) = &args.smtp_url {
        let mut settings = letterpress_mail::parse_smtp_url(url, timeout.unwrap_or(letterpress_mail::DEFAULT_TIMEOUT))
            .map_err(|error| UsageError(error.to_string()))?;
        settings.ca_file = args.smtp_ca.clone();
        let password = letterpress_mail::resolve_password(&settings)?;
        let label = settings.redacted_url();
        return Ok((Target::Smtp(SmtpTarget { label, settings, password }), None));
    }
    Ok((Target::Outbox(Outbox::in_data_dir(data_dir)), None))
}

/// Builds, records, sends and records the outcome of one message; true when it was sent.
fn send_one(
    args: &SendArgs,
    project: &Project,
    rendered: &Rendered,
    label: &str,
    from: &str,
    target: &Target,
    history: &History,
) -> anyhow::Result<bool> {
    let template = project.template(&rendered.template).expect("the template was rendered");
    let mail = &project.config.mail;
    let draft = Draft {
        from: from.to_owned(),
        reply_to: mail.reply_to.clone(),
        to: args.to.clone(),
        // A subject file usually ends with a newline that is not part of the subject.
        subject: rendered.subject.trim().to_owned(),
        html: rendered.html.clone(),
        text: rendered.text.clone(),
        headers: mail.headers.iter().map(|(name, value)| (name.clone(), value.clone())).collect(),
        images: Some(ImageRoots { base: template.dir.clone(), root: project.root.clone() }),
    };
    let started_at = SystemTime::now();
    let message = letterpress_mail::build(&draft, started_at, &MessageId::random(from))
        .with_context(|| format!("cannot build the message for `{label}`"))?;

    let id = history.begin(&NewSend {
        template: rendered.template.clone(),
        data_set: rendered.data_set.clone(),
        data: Some(rendered.data.clone()),
        recipients: args.to.clone(),
        subject: message.subject().to_owned(),
        target: target.describe(),
        message_id: message.message_id().to_string(),
        raw: message.raw().to_vec(),
        started_at,
    })?;
    let result = letterpress_mail::send_blocking(target, &message);
    let finished_at = SystemTime::now();
    let reply = |reply: &Option<letterpress_mail::Reply>| {
        reply.as_ref().map(|r| letterpress_history::Reply { code: r.code, text: r.text.clone() })
    };
    match result {
        Ok(sent) => {
            history.finish(id, &Outcome::Sent { reply: reply(&sent.reply), duration: sent.duration, finished_at })?;
            let outcome = match (&sent.reply, &sent.outbox_file) {
                (Some(reply), _) => reply.to_string(),
                (None, Some(file)) => format!("stored in `{}`", file.display()),
                (None, None) => "done".to_owned(),
            };
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "sent {label} to {} via {} in {} ms: {outcome}",
                args.to.join(", "),
                target.describe(),
                sent.duration.as_millis()
            )
            .context("cannot write to standard output")?;
            Ok(true)
        }
        Err(failure) => {
            let kind = match failure.kind {
                FailureKind::Transient => letterpress_history::FailureKind::Transient,
                FailureKind::Permanent => letterpress_history::FailureKind::Permanent,
            };
            let error = format!("{:#}", anyhow::Error::new(failure.error));
            history.finish(
                id,
                &Outcome::Failed {
                    kind,
                    reply: reply(&failure.reply),
                    error: error.clone(),
                    duration: failure.duration,
                    finished_at,
                },
            )?;
            let retry = match failure.kind {
                FailureKind::Transient => "transient, worth retrying",
                FailureKind::Permanent => "permanent",
            };
            report::note(&format!("error: sending {label} via {} failed ({retry}): {error}", target.describe()));
            Ok(false)
        }
    }
}
