//! The Letterpress desktop app: opens a template project, edits it, and previews every change.
//! This crate is a thin shell; the work happens in `letterpress-core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
#[cfg(test)]
mod command_names;
mod commands;
mod error;
mod exporting;
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

/// Declares `invoke_handler`, the app's commands for `generate_handler!`, and `HANDLED`, the name
/// of each as the window calls it, from one list.
macro_rules! handlers {
    ($($module:ident::$command:ident),* $(,)?) => {
        /// The name of every command the app answers, in the order of the handler.
        #[cfg(test)]
        const HANDLED: &[&str] = &[$(stringify!($command)),*];

        fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$command),*]
        }
    };
}

handlers![
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
];

fn main() {
    let started = std::time::Instant::now();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(invoke_handler())
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use crate::command_names::COMMANDS;

    fn read(path: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The commands the window calls: the name in each `call<…>("name"` of `ui/src/backend.ts`.
    fn called_by_window() -> BTreeSet<String> {
        let source = read("../ui/src/backend.ts");
        let called: BTreeSet<String> = source
            .split("call<")
            .skip(1)
            .filter_map(|rest| {
                let name = rest[rest.find(">(")? + 2..].strip_prefix('"')?;
                Some(name[..name.find('"')?].to_owned())
            })
            .collect();
        assert!(called.contains("open_project"), "no command call found in backend.ts");
        called
    }

    /// The commands `capabilities/main.json` grants the window (`allow-open-project`, …).
    fn granted() -> BTreeSet<String> {
        let capability: serde_json::Value = serde_json::from_str(&read("capabilities/main.json")).expect("JSON");
        let permissions = capability["permissions"].as_array().expect("a list of permissions");
        permissions
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
            .map(|name| name.replace('-', "_"))
            .collect()
    }

    /// What `list` has that the handler lacks, and the other way round.
    fn differences(list: &str, names: &BTreeSet<String>, handled: &BTreeSet<String>) -> Vec<String> {
        let unknown = names.difference(handled).map(|n| format!("{list} has `{n}`, which the app does not answer"));
        let missing = handled.difference(names).map(|n| format!("{list} lacks `{n}`, which the app answers"));
        unknown.chain(missing).collect()
    }

    #[test]
    fn the_window_calls_exactly_the_commands_the_app_answers() {
        let handled: BTreeSet<String> = crate::HANDLED.iter().map(|n| n.to_string()).collect();
        assert_eq!(handled.len(), crate::HANDLED.len(), "a command is listed twice in `handlers!`");
        let listed = COMMANDS.iter().map(|n| n.to_string()).collect();
        let mut problems = differences("src/command_names.rs", &listed, &handled);
        problems.extend(differences("capabilities/main.json", &granted(), &handled));
        problems.extend(differences("ui/src/backend.ts", &called_by_window(), &handled));
        assert!(
            problems.is_empty(),
            "the command names disagree with `handlers!` in main.rs:\n  {}",
            problems.join("\n  ")
        );
    }
}
