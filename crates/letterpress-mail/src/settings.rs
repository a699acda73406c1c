//! SMTP connection settings: security levels, SMTP URLs, and named profiles in `profiles.toml`.
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use letterpress_core::ErrorCode;

use crate::tls::Fingerprint;

/// The default time allowed for a whole SMTP exchange.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// A plain connection upgraded with STARTTLS, which the server must offer (usually port 587).
    Starttls,
    /// No encryption at all; only allowed for a server on this machine.
    None,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::None => "none",
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything needed to reach and log in to an SMTP server, except the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    /// The time allowed for the whole exchange, from connecting to the server's last reply.
    pub timeout: Duration,
    /// An extra CA certificate (PEM) trusted in addition to the built-in roots, for servers
    /// with private certificates.
    pub ca_file: Option<PathBuf>,
    /// The SHA-256 fingerprint of a server certificate trusted exactly, e.g. a self-signed
    /// one, as `SHA256:AB:CD:…`.
    pub trust_fingerprint: Option<String>,
}

/// A setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "security `none` sends the password and message unencrypted and is only allowed for localhost, not `{host}`; use `tls` or `starttls`"
    )]
    PlainTextNotLocal { host: String },
    #[error("invalid SMTP URL `{url}`: {reason}")]
    Url { url: String, reason: String },
    #[error("the SMTP URL must not hold a password; set `{}` or store it in the system keyring", crate::PASSWORD_ENV)]
    PasswordInUrl,
    #[error("the host name is empty")]
    EmptyHost,
    #[error("`{text}` is not a SHA-256 fingerprint; expected `SHA256:` and 32 hex pairs, e.g. `SHA256:3F:A2:…`")]
    Fingerprint { text: String },
}

impl SettingsError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidProfile
    }
}

/// True for `localhost` and loopback addresses, where an unencrypted connection never leaves
/// the machine.
pub fn is_local_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl SmtpSettings {
    /// Refuses settings that would send a password or message in clear text over a network.
    pub fn check(&self) -> Result<(), SettingsError> {
        if self.host.trim().is_empty() {
            return Err(SettingsError::EmptyHost);
        }
        if self.security == Security::None && !is_local_host(&self.host) {
            return Err(SettingsError::PlainTextNotLocal { host: self.host.clone() });
        }
        self.fingerprint()?;
        Ok(())
    }

    /// The pinned certificate fingerprint, checked.
    pub fn fingerprint(&self) -> Result<Option<Fingerprint>, SettingsError> {
        self.trust_fingerprint
            .as_deref()
            .map(|text| Fingerprint::parse(text).ok_or_else(|| SettingsError::Fingerprint { text: text.to_owned() }))
            .transpose()
    }

    /// The settings as an SMTP URL without any password, for display and the history.
    pub fn redacted_url(&self) -> String {
        let scheme = match self.security {
            Security::Tls => "smtps",
            Security::Starttls | Security::None => "smtp",
        };
        let user = self.username.as_deref().map(|user| format!("{}@", encode_userinfo(user))).unwrap_or_default();
        let host = if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let query = if self.security == Security::Starttls { "?tls=required" } else { "" };
        format!("{scheme}://{user}{host}:{}{query}", self.port)
    }

    /// The key under which the password of this account is kept in the keyring.
    pub fn account(&self) -> String {
        format!("{}@{}:{}", self.username.as_deref().unwrap_or_default(), self.host, self.port)
    }
}

fn encode_userinfo(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '.' | '_' | '~' => c.to_string(),
            _ => {
                let mut buf = [0; 4];
                c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect()
}

/// Parses an SMTP URL in lettre's form:
/// `smtp://user@host:587?tls=required` (STARTTLS), `smtps://user@host:465` (TLS), or
/// `smtp://localhost:2525` (unencrypted, local servers only).
pub fn parse_smtp_url(text: &str, timeout: Duration) -> Result<SmtpSettings, SettingsError> {
    let invalid = |reason: &str| SettingsError::Url { url: redact_url_text(text), reason: reason.to_owned() };
    let url = url::Url::parse(text).map_err(|error| invalid(&error.to_string()))?;
    if url.password().is_some() {
        return Err(SettingsError::PasswordInUrl);
    }
    let mut tls_required = false;
    for (key, value) in url.query_pairs() {
        match (key.as_ref(), value.as_ref()) {
            ("tls", "required") => tls_required = true,
            ("tls", other) => {
                return Err(invalid(&format!("`tls={other}` is not supported; use `tls=required` or `smtps://`")));
            }
            (other, _) => return Err(invalid(&format!("unknown parameter `{other}`"))),
        }
    }
    let security = match (url.scheme(), tls_required) {
        ("smtps", _) => Security::Tls,
        ("smtp", true) => Security::Starttls,
        ("smtp", false) => Security::None,
        (other, _) => {
            return Err(invalid(&format!("unknown scheme `{other}`; use `smtp` or `smtps`")));
        }
    };
    let host = url
        .host_str()
        .filter(|host| !host.is_empty())
        .ok_or_else(|| invalid("no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port().unwrap_or(match security {
        Security::Tls => 465,
        Security::Starttls => 587,
        Security::None => 25,
    });
    let username = (!url.username().is_empty()).then(|| letterpress_core::local::percent_decode(url.username()));
    let settings = SmtpSettings { host, port, security, username, timeout, ca_file: None, trust_fingerprint: None };
    settings.check()?;
    Ok(settings)
}

/// The URL text with any password replaced, for error messages. This works on the text
/// rather than a parsed URL, because the URLs that need it are the ones that do not parse.
pub(crate) fn redact_url_text(text: &str) -> String {
    // A password may hold any character, `/`, `?` and `@` included when the user did not
    // percent-encode them, so everything from the first `:` of the user info to the last `@`
    // is hidden: hiding too much is harmless, showing a password is not.
    let authority_start = text.find("://").map_or(0, |index| index + 3);
    let rest = &text[authority_start..];
    let Some(at) = rest.rfind('@') else {
        return text.to_owned();
    };
    let Some(colon) = rest[..at].find(':') else {
        return text.to_owned();
    };
    format!("{}****{}", &text[..authority_start + colon + 1], &text[authority_start + at..])
}

/// A named SMTP profile as stored in `profiles.toml`. There is deliberately no password field:
/// passwords live in the system keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The From address used with this profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// A server certificate trusted exactly, by its SHA-256 fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_fingerprint: Option<String>,
}

fn default_timeout_secs() -> u64 {
    DEFAULT_TIMEOUT.as_secs()
}

impl Profile {
    /// Refuses a profile that cannot be saved or sent through: a name that is empty or holds a
    /// line break, settings that would send in clear text over a network, or a password
    /// (`with_password`) without a user name. Both front ends check a profile here before
    /// saving it, and the store checks again.
    pub fn check(&self, with_password: bool) -> Result<(), ProfileError> {
        if self.name.trim().is_empty() || self.name.contains(['\r', '\n']) {
            return Err(ProfileError::BadName(self.name.clone()));
        }
        let settings = self.settings();
        settings.check().map_err(|source| ProfileError::Invalid { name: self.name.clone(), source })?;
        if with_password && settings.username.is_none() {
            return Err(ProfileError::PasswordWithoutUser { name: self.name.clone() });
        }
        Ok(())
    }

    pub fn settings(&self) -> SmtpSettings {
        SmtpSettings {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            username: self.username.clone(),
            timeout: Duration::from_secs(self.timeout_secs),
            ca_file: self.ca_file.clone(),
            trust_fingerprint: self.trust_fingerprint.clone(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfilesFile {
    #[serde(default, rename = "profile")]
    profiles: Vec<Profile>,
}

/// A failure reading or writing `profiles.toml`.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read SMTP profiles `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("SMTP profiles `{}` are not valid", path.display())]
    Parse {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("cannot write SMTP profiles `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no SMTP profile named `{0}`")]
    NotFound(String),
    #[error("SMTP profile `{name}`: {source}")]
    Invalid {
        name: String,
        #[source]
        source: SettingsError,
    },
    #[error("SMTP profile name `{0}` is empty or holds a line break")]
    BadName(String),
    #[error("SMTP profile `{name}`: a password needs a user name")]
    PasswordWithoutUser { name: String },
    #[error("there is already an SMTP profile named `{0}`")]
    Exists(String),
}

impl ProfileError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            ProfileError::NotFound(_) => ErrorCode::ProfileNotFound,
            ProfileError::Exists(_) => ErrorCode::AlreadyExists,
            ProfileError::Invalid { .. } | ProfileError::BadName(_) | ProfileError::PasswordWithoutUser { .. } => {
                ErrorCode::InvalidProfile
            }
            ProfileError::Read { .. } | ProfileError::Parse { .. } | ProfileError::Write { .. } => ErrorCode::Profiles,
        }
    }
}

/// The SMTP profiles file, `<data dir>/profiles.toml`.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    path: PathBuf,
}

impl ProfileStore {
    pub fn new(path: impl Into<PathBuf>) -> ProfileStore {
        ProfileStore { path: path.into() }
    }

    pub fn in_data_dir(data_dir: &Path) -> ProfileStore {
        ProfileStore::new(data_dir.join("profiles.toml"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// All profiles, in file order; none when the file does not exist yet.
    pub fn list(&self) -> Result<Vec<Profile>, ProfileError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(ProfileError::Read { path: self.path.clone(), source });
            }
        };
        let file: ProfilesFile =
            toml::from_str(&text).map_err(|source| ProfileError::Parse { path: self.path.clone(), source })?;
        Ok(file.profiles)
    }

    pub fn get(&self, name: &str) -> Result<Profile, ProfileError> {
        self.list()?
            .into_iter()
            .find(|profile| profile.name == name)
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()))
    }

    /// Adds the profile, or replaces the one with the same name.
    pub fn save(&self, profile: &Profile) -> Result<(), ProfileError> {
        profile.check(false)?;
        let mut profiles = self.list()?;
        match profiles.iter_mut().find(|p| p.name == profile.name) {
            Some(existing) => *existing = profile.clone(),
            None => profiles.push(profile.clone()),
        }
        self.write(profiles)
    }

    /// Removes a profile; its keyring password is left for the caller to delete.
    pub fn remove(&self, name: &str) -> Result<Profile, ProfileError> {
        let mut profiles = self.list()?;
        let index =
            profiles.iter().position(|p| p.name == name).ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        let removed = profiles.remove(index);
        self.write(profiles)?;
        Ok(removed)
    }

    fn write(&self, profiles: Vec<Profile>) -> Result<(), ProfileError> {
        let write_error = |source| ProfileError::Write { path: self.path.clone(), source };
        let text = toml::to_string_pretty(&ProfilesFile { profiles })
            .map_err(|error| write_error(std::io::Error::other(error)))?;
        letterpress_core::edit::write_atomic(&self.path, text.as_bytes()).map_err(write_error)
    }
}
