//! Errors as the front end receives them: a stable `code` to branch on and a sentence to show.

use letterpress_core::edit::EditError;
use letterpress_core::{ErrorCode, PipelineError, ProjectError};
use letterpress_export::ExportError;
use letterpress_history::HistoryError;
use letterpress_mail::{
    BuildError, KeyringError, NoFrom, OutboxError, ProfileError, SaveError, SettingsError, TargetError, TestRefused,
    TestSendError,
};
use serde::Serialize;
use ts_rs::TS;

/// A failed command. The UI decides what to do from `code`, never from `message`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CommandError { code, message: message.into() }
    }

    pub fn no_project() -> Self {
        CommandError::new(ErrorCode::NoProject, "no project is open")
    }

    pub fn no_starters() -> Self {
        CommandError::new(ErrorCode::NotFound, "the bundled starter templates are not available")
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        CommandError::new(ErrorCode::Internal, format!("{error:#}"))
    }
}

/// Every error type a command can meet carries its own stable `code()` where it is defined;
/// here each becomes a `CommandError` with that code and its message with causes.
macro_rules! from_coded {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for CommandError {
            fn from(error: $error) -> Self {
                CommandError::new(error.code(), letterpress_mail::error_chain(&error))
            }
        })*
    };
}

from_coded!(
    ProjectError,
    PipelineError,
    EditError,
    HistoryError,
    BuildError,
    NoFrom,
    ProfileError,
    KeyringError,
    SaveError,
    SettingsError,
    TestRefused,
    TargetError,
    TestSendError,
    OutboxError,
    ExportError,
);

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn each_error_brings_its_own_code_and_its_causes() {
        let missing = ProjectError::NotFound { path: PathBuf::from("nowhere") };
        assert_eq!(CommandError::from(missing).code, ErrorCode::ProjectNotFound);
        let conflict = EditError::Conflict { path: PathBuf::from("t/template.mjml"), disk_hash: None };
        assert_eq!(CommandError::from(conflict).code, ErrorCode::Conflict);
        assert_eq!(
            CommandError::from(PipelineError::UnknownTemplate { name: "x".into() }).code,
            ErrorCode::UnknownTemplate
        );
        assert_eq!(CommandError::from(BuildError::MissingFrom).code, ErrorCode::NoSender);
        let unreadable = ProjectError::Io {
            path: PathBuf::from("p"),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied"),
        };
        let error = CommandError::from(unreadable);
        assert_eq!(
            (error.code, error.message.as_str()),
            (ErrorCode::Io, "cannot read project folder `p`: permission denied")
        );
    }
}
