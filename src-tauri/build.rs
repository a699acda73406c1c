//! Build script: generates the Tauri context and the permissions of the app's own commands. Only
//! the commands in `src/command_names.rs` can ever be granted to a window; anything else is
//! refused by the IPC.

include!("src/command_names.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/command_names.rs");
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("cannot prepare the Tauri build: {error:#}");
    }
}
