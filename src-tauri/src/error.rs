//! Errors as the front end receives them: a stable `code` to branch on and a sentence to show.

use letterpress_core::edit::EditError;
use letterpress_core::{PipelineError, ProjectError};
use serde::Serialize;

/// A failed command. The UI decides what to do from `code`, never from `message`.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CommandError { code, message: message.into() }
    }

    pub fn no_project() -> Self {
        CommandError::new("no-project", "no project is open")
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        CommandError::new("internal", format!("{error:#}"))
    }
}

impl From<ProjectError> for CommandError {
    fn from(error: ProjectError) -> Self {
        let code = match &error {
            ProjectError::NotFound { .. } => "project-not-found",
            ProjectError::NotAFolder { .. } => "not-a-folder",
            ProjectError::Io { .. } => "io",
        };
        CommandError::new(code, error_chain(&error))
    }
}

impl From<PipelineError> for CommandError {
    fn from(error: PipelineError) -> Self {
        let code = match &error {
            PipelineError::UnknownTemplate { .. } => "unknown-template",
            PipelineError::UnknownDataSet { .. } => "unknown-data-set",
        };
        CommandError::new(code, error.to_string())
    }
}

impl From<EditError> for CommandError {
    fn from(error: EditError) -> Self {
        let code = match &error {
            EditError::InvalidName { .. } => "invalid-name",
            EditError::AlreadyExists { .. } => "already-exists",
            EditError::NotFound { .. } => "not-found",
            EditError::Conflict { .. } => "conflict",
            EditError::OutsideProject { .. } => "outside-project",
            EditError::Io { .. } => "io",
        };
        CommandError::new(code, error_chain(&error))
    }
}

/// The message of an error followed by its causes, as one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
