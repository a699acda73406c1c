//! Editing SMTP profiles as a front end does: a form's settings tidied into a profile, saving it
//! with what to do about its password, the list shown with whether each has a password, and a
//! connection test's outcome. Passwords travel one way only, into the keyring; what comes back
//! says whether one is stored, never what it is.

use std::path::PathBuf;

use letterpress_core::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::keyring::{KeyringError, PasswordError, delete_password, load_password, resolve_password, store_password};
use crate::record::error_chain;
use crate::secret::Secret;
use crate::settings::{Profile, ProfileError, ProfileStore, Security, SettingsError, SmtpSettings};
use crate::smtp::Reply;

/// The settings a profile form holds, and shows for a saved profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub sender: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub timeout_secs: u64,
    pub ca_file: Option<String>,
    /// A server certificate trusted exactly, as `SHA256:AB:CD:…`.
    pub trust_fingerprint: Option<String>,
}

impl From<&Profile> for ProfileInput {
    fn from(profile: &Profile) -> Self {
        ProfileInput {
            name: profile.name.clone(),
            host: profile.host.clone(),
            port: profile.port,
            security: profile.security,
            username: profile.username.clone(),
            sender: profile.sender.clone(),
            timeout_secs: profile.timeout_secs,
            ca_file: profile.ca_file.as_ref().map(|p| p.display().to_string()),
            trust_fingerprint: profile.trust_fingerprint.clone(),
        }
    }
}

impl ProfileInput {
    /// The profile the form describes: text trimmed, blank fields as none, and the timeout
    /// between one second and ten minutes.
    pub fn profile(&self) -> Profile {
        let text =
            |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        Profile {
            name: self.name.trim().to_owned(),
            host: self.host.trim().to_owned(),
            port: self.port,
            security: self.security,
            username: text(&self.username),
            sender: text(&self.sender),
            timeout_secs: self.timeout_secs.clamp(1, 600),
            ca_file: text(&self.ca_file).map(PathBuf::from),
            trust_fingerprint: text(&self.trust_fingerprint),
        }
    }
}

/// What to do with the password when saving. Deliberately not `Debug`: it may hold one.
#[derive(Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum PasswordChange {
    /// Leave the stored password as it is (moving it along if the account changed).
    Keep,
    Set {
        password: String,
    },
    Clear,
}

impl PasswordChange {
    /// The password a connection test with `settings` logs in with: the one typed, else the
    /// one a send would use (`LETTERPRESS_SMTP_PASSWORD`, else the keyring). A profile with a
    /// user name and no password anywhere is refused, as a send with it would be, rather than
    /// tested without logging in.
    fn for_test(self, settings: &SmtpSettings) -> Result<Option<Secret>, PasswordError> {
        match self {
            PasswordChange::Set { password } => Ok(Some(Secret::new(password))),
            PasswordChange::Clear => Ok(None),
            PasswordChange::Keep => resolve_password(settings),
        }
    }
}

/// A profile as a front end shows it: everything but the password.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "Profile"))]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    #[serde(flatten)]
    pub settings: ProfileInput,
    /// The server as an SMTP URL without any password.
    pub url: String,
    /// Whether the keyring holds a password for this profile's account.
    pub has_password: bool,
}

/// The saved profiles, and whether passwords can be stored at all.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesView {
    pub profiles: Vec<ProfileView>,
    /// Why passwords cannot be stored on this system, when they cannot.
    pub keyring_problem: Option<String>,
    /// What the change that returned this list could not finish, to tell the person.
    pub notice: Option<String>,
}

fn view(profile: &Profile, keyring_problem: &mut Option<String>) -> ProfileView {
    let settings = profile.settings();
    let has_password = match profile.username {
        None => false,
        Some(_) => match load_password(&settings) {
            Ok(found) => found.is_some(),
            Err(error) => {
                keyring_problem.get_or_insert_with(|| error.to_string());
                false
            }
        },
    };
    ProfileView { settings: ProfileInput::from(profile), url: settings.redacted_url(), has_password }
}

/// The profiles of `store`, each with whether the keyring holds its password; profiles without
/// a user name are listed without asking the keyring.
pub fn list_profiles(store: &ProfileStore) -> Result<ProfilesView, ProfileError> {
    let mut keyring_problem = None;
    let profiles = store.list()?.iter().map(|p| view(p, &mut keyring_problem)).collect();
    Ok(ProfilesView { profiles, keyring_problem, notice: None })
}

/// Why a profile was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
}

impl SaveError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            SaveError::Profile(error) => error.code(),
            SaveError::Keyring(error) => error.code(),
        }
    }
}

/// Saves `profile` in `store`, replacing the profile called `original` (a rename, or the same
/// name) and refusing to take the name of another. The password goes to the keyring first, so a
/// profile is only saved once its password is safe, and where no keyring exists nothing is
/// written anywhere. The keyring knows passwords by user, host and port: when they change,
/// [`PasswordChange::Keep`] moves the stored password along, and the old entry is removed.
pub fn save_profile(
    store: &ProfileStore,
    original: Option<&str>,
    profile: &Profile,
    password: &PasswordChange,
) -> Result<(), SaveError> {
    let settings = profile.settings();
    profile.check(matches!(password, PasswordChange::Set { .. }))?;
    let existing = store.list()?;
    if original != Some(profile.name.as_str()) && existing.iter().any(|p| p.name == profile.name) {
        return Err(ProfileError::Exists(profile.name.clone()).into());
    }
    let before = original.and_then(|name| existing.iter().find(|p| p.name == name));
    let moved = before.map(Profile::settings).filter(|old| old.account() != settings.account());
    match password {
        PasswordChange::Set { password } => store_password(&settings, &Secret::new(password.clone()))?,
        PasswordChange::Clear => {
            if settings.username.is_some() {
                delete_password(&settings)?;
            }
        }
        PasswordChange::Keep => {
            if let Some(old) = &moved
                && old.username.is_some()
                && settings.username.is_some()
                && let Ok(Some(secret)) = load_password(old)
            {
                store_password(&settings, &secret)?;
            }
        }
    }
    store.save(profile)?;
    if let Some(old) = original.filter(|old| *old != profile.name) {
        store.remove(old)?;
    }
    if let Some(old) = moved.filter(|old| old.username.is_some()) {
        // The old entry is a leftover now; failing to remove it loses nothing.
        let _ = delete_password(&old);
    }
    Ok(())
}

/// A password the keyring kept when its profile was removed: worth telling, not a failure.
#[derive(Debug, thiserror::Error)]
#[error("`{name}` is removed, but its password stays in the system keyring: {keyring}")]
pub struct PasswordLeftover {
    pub name: String,
    pub keyring: KeyringError,
}

/// Removes the profile called `name` from `store`, and its password from the keyring. The
/// profile is gone once this returns `Ok`; a password the keyring would not give up is returned
/// as a leftover to mention. Where no keyring exists there was no password.
pub fn remove_profile(store: &ProfileStore, name: &str) -> Result<Option<PasswordLeftover>, ProfileError> {
    let removed = store.remove(name)?;
    if removed.username.is_none() {
        return Ok(None);
    }
    Ok(match delete_password(&removed.settings()) {
        Ok(()) | Err(KeyringError::Unavailable { .. }) => None,
        Err(keyring) => Some(PasswordLeftover { name: removed.name, keyring }),
    })
}

/// Why a connection test did not start.
#[derive(Debug, thiserror::Error)]
pub enum TestRefused {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Password(#[from] PasswordError),
}

impl TestRefused {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            TestRefused::Settings(error) => error.code(),
            TestRefused::Password(error) => error.code(),
        }
    }
}

/// What a connection test found, for people: on failure a stable code, a headline in plain
/// words and the full reason.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ConnectionResult"))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionResult {
    pub ok: bool,
    pub url: String,
    pub encrypted: bool,
    pub logged_in: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub duration_ms: u64,
    /// The server's reply to QUIT on success, or the failing reply.
    pub reply: Option<Reply>,
    /// A stable code for the failure, when the test failed.
    pub code: Option<ErrorCode>,
    pub headline: String,
    pub detail: Option<String>,
}

/// Connects with `settings`, secures the connection and logs in, then quits without sending
/// anything; `password` says which password to log in with (a password typed into the form, or
/// else the one a send would use). Settings that cannot work, and an account without a password,
/// are refused before anything else.
pub fn test_profile(settings: &SmtpSettings, password: PasswordChange) -> Result<ConnectionResult, TestRefused> {
    settings.check()?;
    let secret = password.for_test(settings)?;
    let url = settings.redacted_url();
    Ok(match crate::send::test_connection_blocking(settings, secret.as_ref()) {
        Ok(report) => ConnectionResult {
            ok: true,
            url,
            encrypted: report.encrypted,
            logged_in: report.logged_in,
            duration_ms: u64::try_from(report.duration.as_millis()).unwrap_or(u64::MAX),
            headline: report.headline().into(),
            reply: report.reply,
            code: None,
            detail: None,
        },
        Err(error) => ConnectionResult {
            ok: false,
            url,
            encrypted: false,
            logged_in: false,
            duration_ms: 0,
            reply: error.reply().cloned(),
            code: Some(error.code()),
            headline: error.headline(),
            detail: Some(error_chain(&error)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, host: &str, security: Security) -> ProfileInput {
        ProfileInput {
            name: format!(" {name} "),
            host: host.into(),
            port: 2525,
            security,
            username: Some("  ".into()),
            sender: Some("Team <team@example.test>".into()),
            timeout_secs: 0,
            ca_file: None,
            trust_fingerprint: None,
        }
    }

    #[test]
    fn form_input_is_tidied_into_a_profile() {
        let profile = input("local", "localhost", Security::None).profile();
        assert_eq!(profile.name, "local");
        assert_eq!(profile.username, None, "a blank user name means none");
        assert_eq!(profile.timeout_secs, 1, "the timeout is at least a second");
        let slow = ProfileInput { timeout_secs: 86_400, ..input("slow", "localhost", Security::None) };
        assert_eq!(slow.profile().timeout_secs, 600, "and at most ten minutes");
    }

    #[test]
    fn profiles_without_a_user_list_without_asking_the_keyring() {
        let data = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_data_dir(data.path());
        store.save(&input("local", "127.0.0.1", Security::None).profile()).unwrap();
        let listed = list_profiles(&store).unwrap();
        assert_eq!(listed.profiles.len(), 1);
        assert!(!listed.profiles[0].has_password);
        assert_eq!(listed.profiles[0].url, "smtp://127.0.0.1:2525");
        assert_eq!(listed.keyring_problem, None);
        let json = serde_json::to_value(&listed).unwrap();
        assert_eq!(json["profiles"][0]["hasPassword"], false);
        assert!(json["profiles"][0].get("password").is_none());
        assert_eq!(json["profiles"][0]["name"], "local", "the settings sit beside the URL: {json}");
        assert_eq!(json["profiles"][0]["timeoutSecs"], 1);
        assert!(json["profiles"][0]["trustFingerprint"].is_null());
    }

    #[test]
    fn a_form_may_leave_out_what_it_does_not_set() {
        let form = r#"{"name":"local","host":"localhost","port":1025,"security":"none","timeoutSecs":30}"#;
        let input: ProfileInput = serde_json::from_str(form).unwrap();
        let profile = input.profile();
        assert_eq!((profile.username, profile.ca_file, profile.trust_fingerprint), (None, None, None));
    }

    #[test]
    fn saving_renames_replaces_and_refuses_to_take_another_profiles_name() {
        let data = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_data_dir(data.path());
        let local = input("local", "localhost", Security::None).profile();
        let other = input("other", "127.0.0.1", Security::None).profile();
        save_profile(&store, None, &local, &PasswordChange::Keep).unwrap();
        save_profile(&store, None, &other, &PasswordChange::Keep).unwrap();

        let error = save_profile(&store, None, &local, &PasswordChange::Keep).unwrap_err();
        assert_eq!(error.code(), ErrorCode::AlreadyExists);
        assert_eq!(error.to_string(), "there is already an SMTP profile named `local`");
        let error = save_profile(&store, Some("other"), &local, &PasswordChange::Keep).unwrap_err();
        assert_eq!(error.code(), ErrorCode::AlreadyExists, "a rename onto another profile is refused too");

        let moved = Profile { port: 2626, ..local.clone() };
        save_profile(&store, Some("local"), &moved, &PasswordChange::Keep).unwrap();
        let renamed = Profile { name: "loopback".into(), ..other.clone() };
        save_profile(&store, Some("other"), &renamed, &PasswordChange::Keep).unwrap();
        let names: Vec<(String, u16)> = store.list().unwrap().into_iter().map(|p| (p.name, p.port)).collect();
        assert_eq!(names, [("local".to_owned(), 2626), ("loopback".to_owned(), 2525)]);
    }

    #[test]
    fn a_profile_that_cannot_work_is_refused_before_anything_is_written() {
        let data = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_data_dir(data.path());
        let clear_text = input("work", "smtp.example.com", Security::None).profile();
        let error = save_profile(&store, None, &clear_text, &PasswordChange::Keep).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidProfile);
        let no_user = input("local", "localhost", Security::None).profile();
        let error = save_profile(&store, None, &no_user, &PasswordChange::Set { password: "pw".into() }).unwrap_err();
        assert_eq!(error.to_string(), "SMTP profile `local`: a password needs a user name");
        assert!(!store.path().exists(), "nothing was saved");
        let error = test_profile(&clear_text.settings(), PasswordChange::Keep).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidProfile);
    }

    #[test]
    fn a_test_of_an_account_without_a_password_is_refused_as_a_send_would_be() {
        let with_user =
            Profile { username: Some("ada".into()), ..input("local", "127.0.0.1", Security::None).profile() };
        // With no password in the environment, the keyring is asked; whatever it says, no
        // password comes back, and the test does not go ahead without logging in.
        let error = test_profile(&with_user.settings(), PasswordChange::Keep).unwrap_err();
        let TestRefused::Password(reason) = &error else { panic!("{error:?}") };
        assert!(error.to_string().starts_with("no password for `ada@127.0.0.1:2525`"), "{error}");
        assert_eq!(error.code(), reason.code());
    }

    #[test]
    fn a_removed_profile_is_gone_and_an_unknown_one_is_not_found() {
        let data = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_data_dir(data.path());
        store.save(&input("local", "127.0.0.1", Security::None).profile()).unwrap();
        store.save(&input("other", "localhost", Security::None).profile()).unwrap();
        assert!(remove_profile(&store, "local").unwrap().is_none(), "no user, so no password to remove");
        let names: Vec<String> = store.list().unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["other"]);
        assert_eq!(remove_profile(&store, "local").unwrap_err().code(), ErrorCode::ProfileNotFound);
    }

    #[test]
    fn a_connection_test_that_fails_says_why_with_a_code_and_a_headline() {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let profile = Profile { port, ..input("local", "127.0.0.1", Security::None).profile() };
        let result = test_profile(&profile.settings(), PasswordChange::Clear).unwrap();
        assert!(!result.ok);
        assert_eq!(result.url, format!("smtp://127.0.0.1:{port}"));
        let code = result.code.expect("a failure has a code");
        assert!(!result.headline.is_empty() && result.detail.is_some(), "{result:?}");
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["code"], serde_json::to_value(code).unwrap());
        assert_eq!(json["loggedIn"], false);
    }
}
