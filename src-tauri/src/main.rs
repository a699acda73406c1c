//! The Letterpress desktop app: opens a template project, edits it, and previews every change.
//! This crate is a thin shell; the work happens in `letterpress-core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod error;
mod exporting;
mod images;
mod mailbox;
mod profiles;
mod sending;
mod state;
mod watching;
mod wire;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::state::{Shared, lock};

/// The only window. Capabilities grant the app's commands to this label alone.
pub const MAIN_WINDOW: &str = "main";

/// The project opened at start: the first argument, else `LETTERPRESS_PROJECT`, else `templates`
/// in the working folder, else the bundled example project next to the sources.
fn default_project() -> Option<PathBuf> {
    if let Some(arg) = std::env::args_os().skip(1).find(|a| !a.to_string_lossy().starts_with('-')) {
        return Some(PathBuf::from(arg));
    }
    if let Some(path) = std::env::var_os("LETTERPRESS_PROJECT").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let local = PathBuf::from("templates");
    if local.is_dir() {
        return Some(local);
    }
    let bundled = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../templates"));
    bundled.is_dir().then_some(bundled)
}

/// Where the starter templates come from: `LETTERPRESS_STARTERS`, else the bundled example project
/// shipped as a resource, else the one next to the sources.
fn starters_dir(app: &tauri::App) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LETTERPRESS_STARTERS").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let resource = app.path().resource_dir().ok().map(|d| d.join("templates")).filter(|d| d.is_dir());
    resource.or_else(|| {
        let bundled = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../templates"));
        bundled.is_dir().then_some(bundled)
    })
}

/// Whether the window may navigate to `url`. The app's own pages and the preview frame's inline
/// documents are fine; anything else (a link clicked in a previewed email) is refused.
fn allowed_navigation(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" | "about" | "data" | "blob" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

fn main() {
    let started = std::time::Instant::now();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::open_project,
            commands::pick_project,
            commands::recent_projects,
            commands::read_file,
            commands::save_file,
            commands::render_preview,
            commands::data_set_sizes,
            commands::templates_using,
            commands::create_template,
            commands::rename_template,
            commands::duplicate_template,
            commands::delete_template,
            commands::create_data_set,
            commands::rename_data_set,
            commands::duplicate_data_set,
            commands::delete_data_set,
            commands::set_unsaved,
            commands::close_window,
            commands::app_ready,
            commands::read_journal,
            commands::write_journal,
            sending::send_test,
            sending::resend,
            sending::read_send_memory,
            sending::write_send_memory,
            profiles::list_profiles,
            profiles::save_profile,
            profiles::delete_profile,
            profiles::test_profile,
            profiles::pick_ca_file,
            mailbox::outbox_list,
            mailbox::outbox_message,
            mailbox::history_list,
            mailbox::history_entry,
            mailbox::history_stats,
            exporting::export_targets,
            exporting::export_pick_folder,
            exporting::export_plan,
            exporting::export_apply,
        ])
        .setup(move |app| {
            // The same data folder as the CLI, so profiles, the outbox and the history are shared.
            let data_dir = match letterpress_history::data_dir() {
                Ok(dir) => dir,
                Err(_) => app.path().app_data_dir()?,
            };
            app.manage(exporting::Plans::default());
            let mut shared = Shared::new(data_dir, default_project(), starters_dir(app));
            shared.started = started;
            app.manage(Arc::new(shared));
            WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
                .title("Letterpress")
                .inner_size(1440.0, 900.0)
                .min_inner_size(960.0, 600.0)
                .on_navigation(allowed_navigation)
                .on_new_window(|_, _| tauri::webview::NewWindowResponse::Deny)
                .disable_drag_drop_handler()
                .build()?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let state = window.state::<state::AppState>();
                if *lock(&state.unsaved) {
                    api.prevent_close();
                    let _ = window.emit("close-requested", ());
                }
            }
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("error: letterpress could not start: {error:#}");
        std::process::exit(1);
    }
}
