//! Export of compiled templates to a folder: plain files for a production repository, or the
//! layouts that Postmark, SendGrid, Mailgun and Amazon SES tooling reads.
//!
//! Every template is written with its Handlebars placeholders kept, so the ESP or the production
//! code fills it exactly as the preview did. Exporting is two steps, so a front end can show what
//! will change before anything does:
//!
//! ```no_run
//! use letterpress_core::{Pipeline, Project};
//! use letterpress_export::{Format, Target};
//!
//! let project = Project::load("templates".as_ref())?;
//! let target = Target::new(Format::Postmark, "dist/postmark");
//! let plan = letterpress_export::plan(&project, &Pipeline::default(), &target, |_| {})?;
//! println!("{:?}", plan.counts());
//! letterpress_export::apply(&plan, |_| {})?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Guarantees
//!
//! - The same project gives the same bytes: JSON keys are sorted, files are listed in path
//!   order, every file ends with a line break, and nothing records a time or a machine.
//! - Only files whose bytes differ are written, each atomically. Files in the target folder that
//!   the export does not produce are never touched or removed.
//! - Writes stay inside the target folder: file names are plain relative paths, and a symbolic
//!   link inside the target that leads out of it (or sits where a file is to be written) stops
//!   the export before anything is written. The target folder itself may be a link.
//! - A template with errors is not exported; its old files stay as they were, and
//!   [`Plan::failed`] lists it with its diagnostics.
//! - No local image path ships silently. Local images (`src`, `background`, CSS `url(…)` in
//!   `style` attributes and `<style>` blocks) are published: copied to `assets/` with a content
//!   hash in their names and referred to by absolute URLs under the base URL, the target's
//!   `base_url` or else the project's `[assets] base_url`. Without a base URL, an ESP export is
//!   an error and a `plain` export a warning (none with [`Target::allow_local_images`]). A
//!   missing image, or one outside the project folder, is an error in every format. Image errors
//!   are diagnostics placed where the image is written, and they block the whole target:
//!   [`Plan::blocked`] is set and nothing is written. Remote, `data:`, `cid:` and placeholder
//!   (`{{…}}`) URLs are left as they are.
//!
//! # Layouts
//!
//! Text files (HTML, plain text, subject) hold the part followed by one line break; compiled
//! HTML never ends with one, so the HTML is the file without its last byte. The text part is
//! `text.hbs` when the template has one, else text generated from the compiled HTML, both with
//! placeholders kept. The sample data is the template's first data set (usually `default`).
//!
//! **`plain`**, for a production repository:
//!
//! ```text
//! <template>/template.html   compiled HTML with placeholders
//! <template>/template.txt    plain-text part with placeholders
//! <template>/subject.txt     subject line with placeholders
//! manifest.json              {"format": "plain", "version": 1, "templates": {"<template>":
//!                              {"html"|"text"|"subject": {"path", "sha256", "bytes"},
//!                               "assets": ["assets/…"]}},
//!                              "assets": {"assets/…": {"source", "url", "sha256", "bytes"}}}
//! ```
//!
//! The hashes in `manifest.json` are the SHA-256 of each file's bytes, in lowercase hex.
//!
//! **Images**, in every format: `assets/<path>.<hash>.<extension>`, a copy of each local image
//! the exported templates use. `<path>` is the image's path inside the project's `assets/`
//! folder, or inside the project when it lies elsewhere; `<hash>` is the first eight hex digits
//! of the SHA-256 of its bytes, so a changed image gets a new name and never meets a stale CDN
//! cache. Templates refer to it as the base URL followed by `<path>.<hash>.<extension>`: deploy
//! the `assets/` folder so that it is served at the base URL. Copies of older versions are left
//! in place, as every file the export no longer produces is, for messages already sent.
//!
//! **`postmark`**, the layout `postmark-cli templates push <folder>` reads:
//!
//! ```text
//! <template>/content.html
//! <template>/content.txt
//! <template>/meta.json       {"Alias", "Name", "Subject", "TemplateType": "Standard",
//!                             "TestRenderModel": <sample data>}
//! ```
//!
//! Every format's templates are filled and checked as its provider's engine will fill them
//! (`letterpress_core::fill::dialect`): a template using a construct or helper the engine lacks
//! is an error at its place in the source and is not exported. Postmark fills with Mustachio,
//! a Mustache dialect without Handlebars' `if`, `unless`, `with` and `else`; `{{this}}` is
//! exported as Mustachio's `{{.}}`. Postmark aliases must start with a letter.
//!
//! **`sendgrid`**: `<template>.json`, the body of a "create dynamic template version" request
//! (`POST /v3/templates/{template_id}/versions`) without the template id: `name`, `subject`,
//! `html_content`, `plain_content`, `generate_plain_content: false` (so SendGrid keeps the text
//! part), `test_data` (the sample data as a JSON string), `editor: "code"`, `active: 1`. The
//! template these versions belong to must be created with `generation: "dynamic"` (SendGrid's
//! default is a legacy template, which does not run Handlebars).
//!
//! **`mailgun`**: `<template>.json`, the form fields of a "create template" request
//! (`POST /v3/{domain}/templates`): `name`, `description`, `template` (the HTML),
//! `engine: "handlebars"`, `tag` (`v-` and the first twelve hex digits of a SHA-256 of the
//! content, so a changed template gets a new version tag), and `headers` (a JSON string holding
//! the `Subject`). Mailgun inserts a stored `Subject` header at delivery unless the message sets
//! its own, and does not document filling placeholders in it: a subject with placeholders gets a
//! warning, since the sending code should send it filled. Mailgun stores neither a text part nor
//! sample data with a template; ask for a text part made from the HTML with `t:text=yes` when
//! sending.
//!
//! **`ses`**: `<template>.json`, the input of SES v2 `CreateEmailTemplate`
//! (`aws sesv2 create-email-template --cli-input-json file://<template>.json`): `TemplateName`
//! and `TemplateContent` with `Subject`, `Html` and `Text`; and `test-data/<template>.json`, the
//! input of `TestRenderEmailTemplate`: `TemplateName` and `TemplateData` (the sample data as a
//! JSON string).

pub mod assets;
mod confine;
pub mod format;
mod json;
pub mod minify;
mod owned;
mod plan;
mod review;
mod write;

use std::path::PathBuf;

use letterpress_core::ErrorCode;

pub use format::{FORMATS, Format, FormatInfo, UnknownFormat};
pub use owned::RECORD;
pub use plan::{
    Change, Counts, FileChange, Plan, Progress, Target, TemplateReport, configured_targets, is_image_problem, plan,
};
pub use review::{ConfigError, ConfiguredTarget, ExportChoices, FormatChoice, Review, choices, configured};
pub use write::{Applied, apply};

/// Why an export could not be planned or applied. Problems in templates are diagnostics in the
/// plan instead.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    UnknownFormat(#[from] UnknownFormat),
    #[error("choose a folder to export into")]
    NoFolder,
    #[error("export target `{}` is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("`{path}` is not a relative path inside the target folder")]
    InvalidPath { path: String },
    #[error("`{path}` leads outside the target folder through a symbolic link")]
    OutsideTarget { path: String },
    #[error("`{path}` is a symbolic link; exports replace files, not links")]
    Link { path: String },
    #[error("asset base URL `{url}` is not an absolute `https://` or `http://` URL without a query")]
    InvalidBaseUrl { url: String },
    #[error("export target `{}` changed since the export was planned; plan it again", path.display())]
    TargetMoved { path: PathBuf },
    #[error("cannot access `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the export would replace {} that no export wrote: {}", plural_files(paths.len()), quoted(paths))]
    NotOwned { paths: Vec<String> },
    #[error("export target `{}` is inside the project's {what}; export to a folder of its own, such as `dist`", path.display())]
    InsideSources { path: PathBuf, what: String },
}

fn plural_files(count: usize) -> String {
    if count == 1 { "1 file".to_owned() } else { format!("{count} files") }
}

fn quoted(paths: &[String]) -> String {
    paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
}

impl ExportError {
    /// A stable name for the kind of error, for front ends to branch on instead of the message.
    pub fn code(&self) -> ErrorCode {
        match self {
            ExportError::UnknownFormat(_) => ErrorCode::UnknownFormat,
            ExportError::NoFolder => ErrorCode::NoFolder,
            ExportError::NotAFolder { .. } => ErrorCode::NotAFolder,
            ExportError::InvalidPath { .. } => ErrorCode::InvalidPath,
            ExportError::OutsideTarget { .. } => ErrorCode::OutsideTarget,
            ExportError::Link { .. } => ErrorCode::Link,
            ExportError::InvalidBaseUrl { .. } => ErrorCode::InvalidBaseUrl,
            ExportError::TargetMoved { .. } => ErrorCode::TargetMoved,
            ExportError::Io { .. } => ErrorCode::Io,
            ExportError::NotOwned { .. } => ErrorCode::NotOwned,
            ExportError::InsideSources { .. } => ErrorCode::InsideSources,
        }
    }
}
