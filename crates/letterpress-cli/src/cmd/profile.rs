//! `letterpress profile`: the saved SMTP profiles that `send --profile` uses. Passwords go to the
//! system keyring, read from standard input or `LETTERPRESS_SMTP_PASSWORD`, never from arguments.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use letterpress_mail::{PasswordChange, Profile, ProfileStore, TestRefused};

use crate::report::{self, UsageError};

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List the saved profiles
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Save a profile, replacing one of the same name
    Add {
        /// The profile's name
        name: String,
        /// The server, as `smtp://user@host:587?tls=required`, `smtps://user@host:465` or
        /// `smtp://localhost:1025` (a password in the URL is refused)
        #[arg(long, value_name = "URL")]
        url: String,
        /// The From address used with this profile
        #[arg(long, value_name = "ADDRESS")]
        sender: Option<String>,
        /// An extra CA certificate (PEM) for a server with a private certificate
        #[arg(long, value_name = "FILE")]
        ca: Option<PathBuf>,
        /// Trust exactly the server certificate with this SHA-256 fingerprint (`SHA256:AB:CD:…`),
        /// e.g. a self-signed one
        #[arg(long, value_name = "FINGERPRINT")]
        trust_fingerprint: Option<String>,
        /// Seconds allowed for each whole SMTP exchange
        #[arg(long, value_name = "SECS", default_value_t = letterpress_mail::DEFAULT_TIMEOUT.as_secs())]
        timeout: u64,
        /// Read the password from standard input and store it in the system keyring
        #[arg(long)]
        password_stdin: bool,
    },
    /// Delete a profile and its password in the keyring
    Remove { name: String },
    /// Connect, upgrade to TLS and log in, then report what happened
    Test { name: String },
}

fn store() -> anyhow::Result<ProfileStore> {
    let data_dir = letterpress_history::data_dir()?;
    Ok(ProfileStore::in_data_dir(&data_dir))
}

fn get(store: &ProfileStore, name: &str) -> anyhow::Result<Profile> {
    letterpress_mail::find_profile(store, name).map_err(super::send::target_error)
}

pub fn run(args: &ProfileArgs) -> anyhow::Result<ExitCode> {
    let store = store()?;
    let mut out = std::io::stdout().lock();
    match &args.action {
        Action::List { json } => {
            let profiles = store.list()?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &profiles).context("cannot write to standard output")?;
                writeln!(out).context("cannot write to standard output")?;
            } else {
                let width = profiles.iter().map(|p| p.name.len()).max().unwrap_or(0);
                for profile in &profiles {
                    let sender = profile.sender.as_deref().unwrap_or("-");
                    writeln!(out, "{:width$}  {}  {sender}", profile.name, profile.settings().redacted_url())
                        .context("cannot write to standard output")?;
                }
            }
        }
        Action::Add { name, url, sender, ca, trust_fingerprint, timeout, password_stdin } => {
            let mut settings = letterpress_mail::parse_smtp_url(url, Duration::from_secs(*timeout))
                .map_err(|error| UsageError(error.to_string()))?;
            settings.ca_file = ca.clone();
            settings.trust_fingerprint = trust_fingerprint.clone();
            let profile = Profile {
                name: name.clone(),
                host: settings.host.clone(),
                port: settings.port,
                security: settings.security,
                username: settings.username.clone(),
                sender: sender.clone(),
                timeout_secs: *timeout,
                ca_file: ca.clone(),
                trust_fingerprint: settings.fingerprint().ok().flatten().map(|f| f.to_string()),
            };
            let from_env = std::env::var(letterpress_mail::PASSWORD_ENV).ok().filter(|p| !p.is_empty());
            profile.check(*password_stdin || from_env.is_some()).map_err(|error| UsageError(error.to_string()))?;
            super::send::check_ca_file(&settings)?;
            let password = if *password_stdin { Some(read_password()?) } else { from_env };
            let stored = if password.is_some() { ", password stored in the system keyring" } else { "" };
            let change = match password {
                Some(password) => PasswordChange::Set { password },
                None => PasswordChange::Keep,
            };
            // As the app saves it: the password goes in first, and one of the same name is replaced.
            letterpress_mail::save_profile(&store, Some(name), &profile, &change)?;
            report::note(&format!("saved SMTP profile `{name}` ({}){stored}", settings.redacted_url()));
        }
        Action::Remove { name } => {
            get(&store, name)?;
            if let Some(leftover) = letterpress_mail::remove_profile(&store, name)? {
                report::note(&format!("warning: {leftover}"));
            }
            report::note(&format!("removed SMTP profile `{name}`"));
        }
        Action::Test { name } => {
            let profile = get(&store, name)?;
            profile.check(false).map_err(|error| UsageError(error.to_string()))?;
            let settings = profile.settings();
            super::send::check_ca_file(&settings)?;
            let result = match letterpress_mail::test_profile(&settings, PasswordChange::Keep) {
                Ok(result) => result,
                Err(TestRefused::Password(error)) => return Err(error.into()),
                Err(TestRefused::Settings(error)) => return Err(UsageError(error.to_string()).into()),
            };
            if !result.ok {
                report::note(&format!("error: {}", result.detail.as_deref().unwrap_or(&result.headline)));
                return Ok(ExitCode::from(report::PROBLEMS));
            }
            writeln!(
                out,
                "connected to {} in {} ms: {}, {}",
                result.url,
                result.duration_ms,
                if result.encrypted { "encrypted" } else { "not encrypted" },
                if result.logged_in { "logged in" } else { "no login" },
            )
            .context("cannot write to standard output")?;
        }
    }
    Ok(ExitCode::from(report::OK))
}

/// Reads one line from standard input, prompting only on a terminal.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        report::note("password (input is shown; pipe it in to keep it off the screen):");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(UsageError("no password on standard input".into()).into());
    }
    Ok(password)
}
