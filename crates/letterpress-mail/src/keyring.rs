//! SMTP passwords in the operating system's keyring (Secret Service on Linux), never in files.
use crate::secret::Secret;
use crate::settings::SmtpSettings;
use letterpress_core::ErrorCode;

/// The keyring service name under which Letterpress keeps SMTP passwords.
pub const KEYRING_SERVICE: &str = "letterpress-smtp";

/// The environment variable read for the SMTP password before the keyring is asked.
pub const PASSWORD_ENV: &str = "LETTERPRESS_SMTP_PASSWORD";

/// A keyring that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// There is no keyring on this system (for example no Secret Service on the session bus).
    /// The password is then not stored anywhere.
    #[error("no system keyring is available (the Secret Service could not be reached: {reason})")]
    Unavailable { reason: String },
    #[error("the system keyring refused access to the password of `{account}`: {reason}")]
    Denied { account: String, reason: String },
    #[error("the system keyring failed for `{account}`: {reason}")]
    Failed { account: String, reason: String },
}

impl KeyringError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            KeyringError::Unavailable { .. } => ErrorCode::NoKeyring,
            KeyringError::Denied { .. } => ErrorCode::KeyringDenied,
            KeyringError::Failed { .. } => ErrorCode::Keyring,
        }
    }
}

fn entry(account: &str) -> Result<keyring::Entry, KeyringError> {
    if let Err(error) = keyring::Entry::store_status() {
        return Err(KeyringError::Unavailable { reason: innermost(error) });
    }
    keyring::Entry::new(KEYRING_SERVICE, account).map_err(|error| classify(account, error))
}

fn classify(account: &str, error: keyring::Error) -> KeyringError {
    let reason = innermost(&error);
    match error {
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) => KeyringError::Unavailable { reason },
        keyring::Error::NoStorageAccess(_) => KeyringError::Denied { account: account.to_owned(), reason },
        _ => KeyringError::Failed { account: account.to_owned(), reason },
    }
}

/// What actually went wrong in a keyring error, said once. The outer layers only name the
/// layers it went through (`Platform failure: zbus error: …`) and each repeats the text of
/// its cause, so the deepest cause that still says what was being done is kept: the one just
/// above an operating-system error (`Failed to connect to address …: No such file or
/// directory`), or the innermost.
fn innermost(error: &keyring::Error) -> String {
    let mut parent: Option<&dyn std::error::Error> = None;
    let mut last: &dyn std::error::Error = error;
    while let Some(source) = last.source() {
        parent = Some(last);
        last = source;
    }
    match parent {
        // An operating-system error (`No such file or directory (os error 2)`) does not say
        // what was being done; its parent does.
        Some(parent) if last.is::<std::io::Error>() || last.to_string().contains("(os error") => parent.to_string(),
        _ => last.to_string(),
    }
}

/// Stores the password of the account in `settings` (user, host and port).
pub fn store_password(settings: &SmtpSettings, password: &Secret) -> Result<(), KeyringError> {
    let account = settings.account();
    entry(&account)?.set_password(password.expose()).map_err(|error| classify(&account, error))
}

/// The stored password, or `None` when the keyring has none for this account.
pub fn load_password(settings: &SmtpSettings) -> Result<Option<Secret>, KeyringError> {
    let account = settings.account();
    match entry(&account)?.get_password() {
        Ok(password) => Ok(Some(Secret::new(password))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(error) => Err(classify(&account, error)),
    }
}

/// Deletes the stored password; deleting one that does not exist is not an error.
pub fn delete_password(settings: &SmtpSettings) -> Result<(), KeyringError> {
    let account = settings.account();
    match entry(&account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(error) => Err(classify(&account, error)),
    }
}

/// Where a password could not be found.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error(
        "no password for `{account}`: enter it in the profile (the app keeps it in the system keyring), store it with `letterpress profile add --password-stdin`, or set `{PASSWORD_ENV}`"
    )]
    Missing { account: String },
    // The keyring's error is part of this message rather than its source, so that printing
    // the chain says it once.
    #[error("no password for `{account}`: `{PASSWORD_ENV}` is not set and {keyring}")]
    Keyring { account: String, keyring: KeyringError },
}

impl PasswordError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            PasswordError::Missing { .. } => ErrorCode::NoPassword,
            PasswordError::Keyring { keyring, .. } => keyring.code(),
        }
    }
}

/// The password for `settings`: `LETTERPRESS_SMTP_PASSWORD` when set, else the keyring.
/// Settings without a user name need no password and get `None`.
pub fn resolve_password(settings: &SmtpSettings) -> Result<Option<Secret>, PasswordError> {
    if settings.username.is_none() {
        return Ok(None);
    }
    if let Some(password) = std::env::var_os(PASSWORD_ENV) {
        return Ok(Some(Secret::new(password.to_string_lossy().into_owned())));
    }
    let account = settings.account();
    match load_password(settings) {
        Ok(Some(password)) => Ok(Some(password)),
        Ok(None) => Err(PasswordError::Missing { account }),
        Err(keyring) => Err(PasswordError::Keyring { account, keyring }),
    }
}
