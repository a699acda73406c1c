//! The TypeScript side of the IPC boundary: every type a command takes or answers with, and every
//! event's payload, declared in `ui/src/bindings/` from the Rust types by ts-rs. The files there
//! are generated and committed; the test below fails when they differ from what the types give,
//! and with `LETTERPRESS_BLESS=1` writes them instead (`scripts/bindings.sh`).
//!
//! ts-rs declares `u64` and `i64` as `bigint`, but serde_json writes them as plain JSON numbers,
//! which `JSON.parse` reads as `number`. Each such field is marked `number` where it is declared,
//! and only where its values stay far below 2^53, past which a `number` loses digits: history
//! row ids, byte sizes, milliseconds, seconds and counts.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use ts_rs::{Config, ExportError, TS};

    use crate::{error, exporting, mailbox, sending, wire};

    /// The command that writes the declarations again after a boundary type changed.
    const REGENERATE: &str = "scripts/bindings.sh";

    /// Writes the declaration of every boundary type, and of the types they use, into `cfg`'s folder.
    fn export(cfg: &Config) -> Result<(), ExportError> {
        macro_rules! export {
            ($($ty:ty),* $(,)?) => {
                $(<$ty as TS>::export_all(cfg)?;)*
            };
        }
        export!(
            error::CommandError,
            letterpress_core::ErrorCode,
            wire::ProjectView,
            letterpress_core::edit::FileText,
            wire::Saved,
            wire::PreviewRequest,
            letterpress_core::preview::Preview,
            wire::SizesRequest,
            wire::DataSetSize,
            wire::ProjectChanged,
            wire::RecentProject,
            wire::Ready,
            sending::SendRequest,
            sending::SendMemory,
            letterpress_mail::SendReport,
            letterpress_mail::TargetChoice,
            letterpress_mail::ProfilesView,
            letterpress_mail::ProfileInput,
            letterpress_mail::PasswordChange,
            letterpress_mail::ConnectionResult,
            letterpress_mail::OutboxEntry,
            letterpress_mail::MessageView,
            mailbox::HistoryQuery,
            letterpress_history::SendSummary,
            mailbox::HistoryEntry,
            letterpress_history::TemplateStats,
            letterpress_export::ExportChoices,
            exporting::ExportRequest,
            letterpress_export::Review,
            letterpress_export::Applied,
            exporting::ProgressEvent<'static>,
        );
        Ok(())
    }

    /// The `.ts` files of a folder by name.
    fn read_folder(folder: &Path) -> BTreeMap<String, String> {
        let Ok(entries) = std::fs::read_dir(folder) else { return BTreeMap::new() };
        entries
            .map(|entry| entry.expect("folder entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "ts"))
            .map(|path| {
                let name = path.file_name().expect("file name").to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).expect("readable declaration"))
            })
            .collect()
    }

    fn committed_folder() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
    }

    #[test]
    fn bindings_match_the_rust_types() {
        let fresh = tempfile::tempdir().expect("temporary folder");
        export(&Config::new().with_out_dir(fresh.path())).expect("declarations export");
        let generated = read_folder(fresh.path());
        assert!(generated.contains_key("ProjectView.ts"), "nothing was generated");
        let folder = committed_folder();
        let committed = read_folder(&folder);
        if std::env::var_os("LETTERPRESS_BLESS").is_some() {
            std::fs::create_dir_all(&folder).expect("bindings folder");
            for name in committed.keys().filter(|name| !generated.contains_key(*name)) {
                std::fs::remove_file(folder.join(name)).expect("stale declaration removed");
            }
            for (name, text) in &generated {
                std::fs::write(folder.join(name), text).expect("declaration written");
            }
            return;
        }
        let mut problems = Vec::new();
        for (name, text) in &generated {
            match committed.get(name) {
                None => problems.push(format!("missing: {name}")),
                Some(old) if old != text => problems.push(format!("out of date: {name}")),
                Some(_) => {}
            }
        }
        problems.extend(
            committed.keys().filter(|n| !generated.contains_key(*n)).map(|n| format!("no longer generated: {n}")),
        );
        assert!(
            problems.is_empty(),
            "ui/src/bindings/ does not match the Rust types; run `{REGENERATE}` from the repository root and commit the result:\n  {}",
            problems.join("\n  ")
        );
    }
}
