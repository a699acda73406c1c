//! Build script: generates the Tauri context and the permissions of the app's own commands. Only
//! the commands listed here can ever be granted to a window; anything else is refused by the IPC.

/// Every command the front end may call. Keep in step with `generate_handler!` in `main.rs` and
/// with `capabilities/main.json`.
const COMMANDS: &[&str] = &[
    "open_project",
    "pick_project",
    "recent_projects",
    "read_file",
    "save_file",
    "render_preview",
    "data_set_sizes",
    "templates_using",
    "create_template",
    "rename_template",
    "duplicate_template",
    "delete_template",
    "create_data_set",
    "rename_data_set",
    "duplicate_data_set",
    "delete_data_set",
    "set_unsaved",
    "close_window",
    "app_ready",
    "read_journal",
    "write_journal",
    // Sending, profiles, the inbox and history, and export.
    "send_test",
    "resend",
    "read_send_memory",
    "write_send_memory",
    "list_profiles",
    "save_profile",
    "delete_profile",
    "test_profile",
    "pick_ca_file",
    "outbox_list",
    "outbox_message",
    "history_list",
    "history_entry",
    "history_stats",
    "export_targets",
    "export_pick_folder",
    "export_plan",
    "export_apply",
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("cannot prepare the Tauri build: {error:#}");
    }
}
