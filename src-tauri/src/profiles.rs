//! SMTP profiles in the app: listing, saving, deleting and testing them. Passwords travel one way
//! only, from the form to the system keyring; replies say whether a password is stored, never
//! what it is.

use std::path::PathBuf;

use letterpress_core::ErrorCode;
use letterpress_mail::{KeyringError, Profile, ProfileStore, Secret, Security, SmtpSettings};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::CommandError;
use crate::sending::{Answer, off_thread};
use crate::state::AppState;

/// A profile as the front end sees it: everything but the password.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "Profile")]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub sender: Option<String>,
    #[ts(type = "number")]
    pub timeout_secs: u64,
    pub ca_file: Option<String>,
    /// A server certificate trusted exactly, as `SHA256:AB:CD:…`.
    pub trust_fingerprint: Option<String>,
    /// The server as an SMTP URL without any password.
    pub url: String,
    /// Whether the keyring holds a password for this profile's account.
    pub has_password: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesView {
    pub profiles: Vec<ProfileView>,
    /// Why passwords cannot be stored on this system, when they cannot.
    pub keyring_problem: Option<String>,
}

/// The settings a form holds; `Profile` without the name's history.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub sender: Option<String>,
    #[ts(type = "number")]
    pub timeout_secs: u64,
    pub ca_file: Option<String>,
    /// Absent from older front ends, hence the default.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub trust_fingerprint: Option<String>,
}

impl ProfileInput {
    fn profile(&self) -> Profile {
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
#[derive(Clone, Deserialize, TS)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum PasswordChange {
    /// Leave the stored password as it is (moving it along if the account changed).
    Keep,
    Set {
        password: String,
    },
    Clear,
}

fn view(profile: &Profile, keyring_problem: &mut Option<String>) -> ProfileView {
    let settings = profile.settings();
    let has_password = match profile.username {
        None => false,
        Some(_) => match letterpress_mail::load_password(&settings) {
            Ok(found) => found.is_some(),
            Err(error) => {
                keyring_problem.get_or_insert_with(|| error.to_string());
                false
            }
        },
    };
    ProfileView {
        name: profile.name.clone(),
        host: profile.host.clone(),
        port: profile.port,
        security: profile.security,
        username: profile.username.clone(),
        sender: profile.sender.clone(),
        timeout_secs: profile.timeout_secs,
        ca_file: profile.ca_file.as_ref().map(|p| p.display().to_string()),
        trust_fingerprint: profile.trust_fingerprint.clone(),
        url: settings.redacted_url(),
        has_password,
    }
}

fn list(store: &ProfileStore) -> Answer<ProfilesView> {
    let mut keyring_problem = None;
    let profiles = store.list()?.iter().map(|p| view(p, &mut keyring_problem)).collect();
    Ok(ProfilesView { profiles, keyring_problem })
}

#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Answer<ProfilesView> {
    off_thread(state.inner(), |state| list(&ProfileStore::in_data_dir(&state.data_dir))).await
}

/// Saves `input`, replacing the profile called `original` (for a rename) or one of the same
/// name. The password goes to the keyring first: a profile is only saved once its password is
/// safe, and where no keyring exists nothing is written anywhere.
#[tauri::command]
pub async fn save_profile(
    state: State<'_, AppState>,
    original: Option<String>,
    input: ProfileInput,
    password: PasswordChange,
) -> Answer<ProfilesView> {
    off_thread(state.inner(), move |state| {
        let store = ProfileStore::in_data_dir(&state.data_dir);
        let profile = input.profile();
        let settings = profile.settings();
        profile.check(matches!(password, PasswordChange::Set { .. }))?;
        let existing = store.list()?;
        if original.as_deref() != Some(profile.name.as_str()) && existing.iter().any(|p| p.name == profile.name) {
            return Err(CommandError::new(
                ErrorCode::AlreadyExists,
                format!("there is already an SMTP profile named `{}`", profile.name),
            ));
        }
        let before = original.as_deref().and_then(|name| existing.iter().find(|p| p.name == name)).cloned();
        let moved = before.as_ref().map(Profile::settings).filter(|old| old.account() != settings.account());
        match &password {
            PasswordChange::Set { password } => {
                letterpress_mail::store_password(&settings, &Secret::new(password.clone()))?;
            }
            PasswordChange::Clear => {
                if settings.username.is_some() {
                    letterpress_mail::delete_password(&settings)?;
                }
            }
            PasswordChange::Keep => {
                // The keyring knows passwords by user, host and port; follow a changed account.
                if let Some(old) = &moved
                    && old.username.is_some()
                    && settings.username.is_some()
                    && let Ok(Some(secret)) = letterpress_mail::load_password(old)
                {
                    letterpress_mail::store_password(&settings, &secret)?;
                }
            }
        }
        store.save(&profile)?;
        if let Some(old) = original.filter(|old| *old != profile.name) {
            store.remove(&old)?;
        }
        if let Some(old) = moved.filter(|old| old.username.is_some()) {
            // The old entry is a leftover now; failing to remove it loses nothing.
            let _ = letterpress_mail::delete_password(&old);
        }
        list(&store)
    })
    .await
}

/// Deletes a profile and its password in the keyring.
#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, name: String) -> Answer<ProfilesView> {
    off_thread(state.inner(), move |state| {
        let store = ProfileStore::in_data_dir(&state.data_dir);
        let removed = store.remove(&name)?;
        if removed.username.is_some() {
            match letterpress_mail::delete_password(&removed.settings()) {
                // Without a keyring there was no password to remove.
                Ok(()) | Err(KeyringError::Unavailable { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        list(&store)
    })
    .await
}

/// What a connection test found.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "ConnectionResult")]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub ok: bool,
    pub url: String,
    pub encrypted: bool,
    pub logged_in: bool,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// The server's reply to QUIT on success, or the failing reply.
    pub reply: Option<letterpress_mail::Reply>,
    /// A stable code for the failure, when the test failed.
    pub code: Option<ErrorCode>,
    pub headline: String,
    pub detail: Option<String>,
}

/// Connects with the settings in the form, secures the connection and logs in, then quits
/// without sending anything. A password typed into the form is used as it is; otherwise the
/// stored one.
#[tauri::command]
pub async fn test_profile(
    state: State<'_, AppState>,
    input: ProfileInput,
    password: PasswordChange,
) -> Answer<ConnectionView> {
    off_thread(state.inner(), move |_| {
        let settings: SmtpSettings = input.profile().settings();
        settings.check().map_err(|error| CommandError::new(ErrorCode::InvalidProfile, error.to_string()))?;
        let secret = match password {
            PasswordChange::Set { password } => Some(Secret::new(password)),
            PasswordChange::Clear => None,
            // Without a stored password, test anyway: the server then says what it thinks.
            PasswordChange::Keep => letterpress_mail::resolve_password(&settings).unwrap_or_default(),
        };
        let url = settings.redacted_url();
        Ok(match letterpress_mail::test_connection_blocking(&settings, secret.as_ref()) {
            Ok(report) => ConnectionView {
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
            Err(error) => ConnectionView {
                ok: false,
                url,
                encrypted: false,
                logged_in: false,
                duration_ms: 0,
                reply: error.reply().cloned(),
                code: Some(error.code()),
                headline: error.headline(),
                detail: Some(letterpress_mail::error_chain(&error)),
            },
        })
    })
    .await
}

/// Asks for a CA certificate file with the system dialog. `None` when the person cancelled.
#[tauri::command]
pub async fn pick_ca_file(app: AppHandle, state: State<'_, AppState>) -> Answer<Option<String>> {
    off_thread(state.inner(), move |_| {
        let picked = app
            .dialog()
            .file()
            .set_title("Choose a CA certificate (PEM)")
            .add_filter("PEM certificates", &["pem", "crt", "cer"])
            .blocking_pick_file();
        match picked {
            None => Ok(None),
            Some(path) => path
                .into_path()
                .map(|p| Some(p.display().to_string()))
                .map_err(|e| CommandError::new(ErrorCode::Io, format!("cannot use the chosen file: {e}"))),
        }
    })
    .await
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
    }

    #[test]
    fn profiles_without_a_user_list_without_asking_the_keyring() {
        let data = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_data_dir(data.path());
        store.save(&input("local", "127.0.0.1", Security::None).profile()).unwrap();
        let listed = list(&store).unwrap();
        assert_eq!(listed.profiles.len(), 1);
        assert!(!listed.profiles[0].has_password);
        assert_eq!(listed.profiles[0].url, "smtp://127.0.0.1:2525");
        assert_eq!(listed.keyring_problem, None);
        let json = serde_json::to_value(&listed).unwrap();
        assert_eq!(json["profiles"][0]["hasPassword"], false);
        assert!(json["profiles"][0].get("password").is_none());
    }
}
