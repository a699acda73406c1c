//! Letterpress core: template projects, the MJML compile and Handlebars fill pipeline, and
//! diagnostics. It touches no network and knows nothing of any user interface.

pub mod checks;
pub mod compile;
pub mod config;
pub mod diagnostic;
pub mod edit;
pub mod error_code;
pub mod fill;
pub mod local;
pub mod markup;
pub mod parallel;
pub mod pipeline;
pub mod preview;
pub mod project;
pub mod text;

pub use diagnostic::{Code, Diagnostic, Position, Severity};
pub use error_code::ErrorCode;
pub use pipeline::{Pipeline, PipelineError, Prepared, Rendered};
pub use project::{Project, ProjectError};
