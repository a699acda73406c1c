//! SMTP profiles in the app: listing, saving, deleting and testing them through the mail
//! crate's profile editing. Passwords travel one way only, from the form to the system keyring;
//! replies say whether a password is stored, never what it is.

use letterpress_core::ErrorCode;
use letterpress_mail::{ConnectionResult, PasswordChange, ProfileInput, ProfileStore, ProfilesView};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;
use crate::sending::{Answer, off_thread};
use crate::state::AppState;

fn list(store: &ProfileStore) -> Answer<ProfilesView> {
    Ok(letterpress_mail::list_profiles(store)?)
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
        letterpress_mail::save_profile(&store, original.as_deref(), &input.profile(), &password)?;
        list(&store)
    })
    .await
}

/// Deletes a profile and its password in the keyring. A password the keyring kept is the list's
/// notice; the profile is gone either way.
#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, name: String) -> Answer<ProfilesView> {
    off_thread(state.inner(), move |state| {
        let store = ProfileStore::in_data_dir(&state.data_dir);
        let leftover = letterpress_mail::remove_profile(&store, &name)?;
        let mut view = list(&store)?;
        view.notice = leftover.map(|leftover| leftover.to_string());
        Ok(view)
    })
    .await
}

/// Connects with the settings in the form, secures the connection and logs in, then quits
/// without sending anything. A password typed into the form is used as it is; otherwise the
/// stored one.
#[tauri::command]
pub async fn test_profile(
    state: State<'_, AppState>,
    input: ProfileInput,
    password: PasswordChange,
) -> Answer<ConnectionResult> {
    off_thread(state.inner(), move |_| Ok(letterpress_mail::test_profile(&input.profile().settings(), password)?)).await
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
