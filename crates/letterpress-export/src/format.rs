//! The export formats and the files each one writes for a set of templates.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::assets::Asset;
use letterpress_core::config::Config;
use letterpress_core::fill::{DialectName, Settings};
use letterpress_core::project::Template;
use letterpress_core::{Code, Diagnostic, Prepared};

use crate::json;

/// Where exported templates are meant to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ExportFormat"))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain files and a manifest, for a production repository.
    Plain,
    /// The folder layout of `postmark-cli templates push`.
    Postmark,
    /// SendGrid dynamic template versions.
    Sendgrid,
    /// Mailgun stored templates.
    Mailgun,
    /// Amazon SES (API v2) email templates.
    Ses,
}

/// Everything said of one format, in one place: the names, messages, engines and upload notes of
/// the command line, `letterpress.toml` and the app all come from [`FORMATS`].
#[derive(Debug)]
pub struct FormatInfo {
    pub format: Format,
    /// Its name on the command line, in `letterpress.toml` and over IPC.
    pub name: &'static str,
    /// How people call it.
    pub label: &'static str,
    /// What it is for, in a sentence.
    pub description: &'static str,
    /// The engine that fills its templates: the provider's, or `None` for the project's own.
    pub engine: Option<DialectName>,
    /// What to know when uploading its files, where the provider needs more than the files say.
    pub upload_note: Option<&'static str>,
}

/// The formats, in the order they are offered.
pub const FORMATS: [FormatInfo; 5] = [
    FormatInfo {
        format: Format::Plain,
        name: "plain",
        label: "Plain files",
        description: "HTML, text and subject per template, with a manifest — for a production repository",
        engine: None,
        upload_note: None,
    },
    FormatInfo {
        format: Format::Postmark,
        name: "postmark",
        label: "Postmark",
        description: "The folder layout `postmark-cli templates push` reads",
        engine: Some(DialectName::Postmark),
        upload_note: None,
    },
    FormatInfo {
        format: Format::Sendgrid,
        name: "sendgrid",
        label: "SendGrid",
        description: "Dynamic template versions, one JSON file per template",
        engine: Some(DialectName::Sendgrid),
        upload_note: Some(
            "create each SendGrid template with `generation: \"dynamic\"` before adding these versions: a legacy template does not run Handlebars",
        ),
    },
    FormatInfo {
        format: Format::Mailgun,
        name: "mailgun",
        label: "Mailgun",
        description: "Stored templates with the handlebars engine",
        engine: Some(DialectName::Mailgun),
        upload_note: Some(
            "Mailgun keeps the subject as a stored header; send the subject with each message when it has placeholders",
        ),
    },
    FormatInfo {
        format: Format::Ses,
        name: "ses",
        label: "Amazon SES",
        description: "CreateEmailTemplate input, with test data beside it",
        engine: Some(DialectName::Ses),
        upload_note: None,
    },
];

impl Format {
    /// Every format, in the order of [`FORMATS`].
    pub const ALL: [Format; 5] = {
        let mut all = [Format::Plain; 5];
        let mut i = 0;
        while i < FORMATS.len() {
            all[i] = FORMATS[i].format;
            i += 1;
        }
        all
    };
    /// The names accepted on the command line and in `letterpress.toml`, in the order of [`ALL`](Self::ALL).
    pub const NAMES: [&'static str; 5] = {
        let mut names = [""; 5];
        let mut i = 0;
        while i < FORMATS.len() {
            names[i] = FORMATS[i].name;
            i += 1;
        }
        names
    };

    /// What [`FORMATS`] says of this format.
    pub fn info(self) -> &'static FormatInfo {
        FORMATS.iter().find(|info| info.format == self).unwrap_or(&FORMATS[0])
    }

    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// The engine that fills this format's templates: the provider's, or for plain files the
    /// project's own.
    pub fn dialect(self, project: DialectName) -> DialectName {
        self.info().engine.unwrap_or(project)
    }

    /// What to know when uploading this format's files, where the provider needs more than the
    /// files say.
    pub fn upload_note(self) -> Option<&'static str> {
        self.info().upload_note
    }

    /// How templates exported in this format are filled and checked.
    pub fn settings(self, config: &Config) -> Settings {
        let mut settings = Settings::new(self.dialect(config.dialect), &config.helpers);
        // The export writes `{{this}}` as Mustachio's `{{.}}` (see [`respell`]).
        settings.rewrites_this = self == Format::Postmark;
        settings
    }
}

/// A part of a template in the spelling of the format's engine, where an exact rewrite exists:
/// Postmark's Mustachio writes the current item `{{.}}`, not `{{this}}`. `None` when nothing
/// changes.
pub fn respell(format: Format, part: &str) -> Option<String> {
    match format {
        Format::Postmark => letterpress_core::fill::rewrite::this_to_dot(part),
        _ => None,
    }
}

/// What a provider requires of a template beyond its engine: names it accepts, where it takes
/// the subject from.
pub fn provider_rules(format: Format, template: &Template, prepared: &Prepared) -> Vec<Diagnostic> {
    let file = prepared.files.first().map_or_else(|| format!("{}/template.mjml", template.name), |f| f.display.clone());
    let mut found = Vec::new();
    if format == Format::Postmark && !template.name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        found.push(Diagnostic::error(
            Code::ProviderLimit,
            file.clone(),
            format!(
                "Postmark template aliases must start with a letter, and this template's alias would be `{}`; rename its folder, for example to `code-{}`",
                template.name, template.name
            ),
        ));
    }
    if format == Format::Mailgun && prepared.subject.contains("{{") {
        let subject_file = format!("{}/subject.hbs", template.name);
        found.push(Diagnostic::warning(
            Code::DialectUndocumented,
            subject_file,
            "Mailgun stores the subject as a template header and does not document filling its placeholders; send the subject filled by your code with each message (the `subject` parameter overrides the stored one)",
        ));
    }
    found
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format `{0}`; use {names}", names = names_in_words())]
pub struct UnknownFormat(pub String);

/// The format names as a sentence says them: `plain, postmark, sendgrid, mailgun or ses`.
fn names_in_words() -> String {
    let (last, rest) = Format::NAMES.split_last().expect("formats");
    format!("{} or {last}", rest.join(", "))
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Format::ALL[i])
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// One template ready to be written: its parts with placeholders kept, and its sample data.
#[derive(Debug, Clone)]
pub struct Exported {
    pub name: String,
    pub html: String,
    pub text: String,
    pub subject: String,
    /// The template's default data set, or an empty object when it has none.
    pub data: Value,
    /// The published images the HTML refers to, by their paths in the target.
    pub assets: Vec<String>,
}

/// A file a format writes, named relative to the target folder with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    pub contents: Vec<u8>,
    /// The template the file belongs to; `None` for files about the whole export.
    pub template: Option<String>,
}

/// The name of the plain format's manifest.
pub const MANIFEST: &str = "manifest.json";

/// Every file `format` writes for `templates` and the images they use, sorted by path.
pub fn files(format: Format, templates: &[Exported], images: &[Asset]) -> Vec<OutFile> {
    let mut out: Vec<OutFile> = images
        .iter()
        .map(|image| OutFile { path: image.path.clone(), contents: image.contents.to_vec(), template: None })
        .collect();
    for template in templates {
        let file = |path: String, contents: Vec<u8>| OutFile { path, contents, template: Some(template.name.clone()) };
        let name = &template.name;
        match format {
            Format::Plain => {
                out.push(file(format!("{name}/template.html"), text_file(&template.html)));
                out.push(file(format!("{name}/template.txt"), text_file(&template.text)));
                out.push(file(format!("{name}/subject.txt"), text_file(&template.subject)));
            }
            Format::Postmark => {
                out.push(file(format!("{name}/content.html"), text_file(&template.html)));
                out.push(file(format!("{name}/content.txt"), text_file(&template.text)));
                out.push(file(format!("{name}/meta.json"), json::file(&postmark_meta(template))));
            }
            Format::Sendgrid => out.push(file(format!("{name}.json"), json::file(&sendgrid_version(template)))),
            Format::Mailgun => out.push(file(format!("{name}.json"), json::file(&mailgun_template(template)))),
            Format::Ses => {
                out.push(file(format!("{name}.json"), json::file(&ses_template(template))));
                out.push(file(format!("test-data/{name}.json"), json::file(&ses_test_render(template))));
            }
        }
    }
    if format == Format::Plain {
        let manifest = manifest(&out, templates, images);
        out.push(OutFile { path: MANIFEST.to_owned(), contents: json::file(&manifest), template: None });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A text part as a file: its contents followed by a line break, unless they already end with
/// one. Compiled HTML never does, so readers that want the exact HTML drop the last byte.
fn text_file(contents: &str) -> Vec<u8> {
    let mut bytes = contents.as_bytes().to_vec();
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    bytes
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The plain format's `manifest.json`: each template's files by role, with their hashes, and the
/// images it uses; and every image with its source in the project, its URL and its hash.
fn manifest(files: &[OutFile], exported: &[Exported], images: &[Asset]) -> Value {
    let mut templates = serde_json::Map::new();
    for template in exported {
        templates.insert(template.name.clone(), json!({ "assets": template.assets }));
    }
    for file in files {
        let Some(template) = &file.template else {
            continue;
        };
        let role = match file.path.rsplit('/').next() {
            Some("template.html") => "html",
            Some("template.txt") => "text",
            Some("subject.txt") => "subject",
            _ => continue,
        };
        let entry = templates.entry(template.clone()).or_insert_with(|| json!({}));
        entry[role] = json!({ "path": file.path, "sha256": sha256_hex(&file.contents), "bytes": file.contents.len() });
    }
    let assets: serde_json::Map<String, Value> = images
        .iter()
        .map(|image| {
            let entry = json!({
                "source": image.source,
                "url": image.url,
                "sha256": sha256_hex(&image.contents),
                "bytes": image.contents.len(),
            });
            (image.path.clone(), entry)
        })
        .collect();
    json!({ "version": 1, "format": "plain", "templates": templates, "assets": assets })
}

/// A display name from a template name: `password-reset` becomes `Password reset`.
pub fn display_name(name: &str) -> String {
    let spaced = name.replace('-', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `meta.json` as `postmark-cli` reads it; the HTML and text parts sit next to it in
/// `content.html` and `content.txt`.
fn postmark_meta(template: &Exported) -> Value {
    json!({
        "Name": display_name(&template.name),
        "Alias": template.name,
        "Subject": template.subject,
        "TemplateType": "Standard",
        "TestRenderModel": template.data,
    })
}

/// The body of SendGrid's "create a dynamic template version" request, less the template id,
/// which only the SendGrid account knows.
fn sendgrid_version(template: &Exported) -> Value {
    json!({
        "name": template.name,
        "subject": template.subject,
        "html_content": template.html,
        "plain_content": template.text,
        // SendGrid would otherwise replace the text part with one made from the HTML.
        "generate_plain_content": false,
        "test_data": json::compact(&template.data),
        "editor": "code",
        "active": 1,
    })
}

/// The form fields of Mailgun's "create a template" request. Mailgun stores no text part and no
/// sample data with a template; the subject goes in the stored headers.
fn mailgun_template(template: &Exported) -> Value {
    let headers = json!({ "Subject": template.subject });
    // The version tag names the content, so pushing unchanged content again can be recognised.
    let fingerprint = sha256_hex(format!("{}\0{}", template.html, json::compact(&headers)).as_bytes());
    json!({
        "name": template.name,
        "description": display_name(&template.name),
        "template": template.html,
        "engine": "handlebars",
        "tag": format!("v-{}", &fingerprint[..12]),
        "headers": json::compact(&headers),
    })
}

/// The input of SES v2 `CreateEmailTemplate`, as `aws sesv2 create-email-template
/// --cli-input-json` reads it.
fn ses_template(template: &Exported) -> Value {
    json!({
        "TemplateName": template.name,
        "TemplateContent": { "Subject": template.subject, "Html": template.html, "Text": template.text },
    })
}

/// The input of SES v2 `TestRenderEmailTemplate` with the default data set.
fn ses_test_render(template: &Exported) -> Value {
    json!({ "TemplateName": template.name, "TemplateData": json::compact(&template.data) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>().unwrap(), format);
        }
        assert_eq!(
            "Postmark".parse::<Format>().unwrap_err().to_string(),
            "unknown export format `Postmark`; use plain, postmark, sendgrid, mailgun or ses"
        );
        assert_eq!(display_name("password-reset"), "Password reset");
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_its_name_parses_back() {
        for format in Format::ALL {
            assert_eq!(FORMATS.iter().filter(|info| info.format == format).count(), 1, "{format:?}");
            assert_eq!(format.info().format, format);
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            let json = serde_json::to_string(&format).unwrap();
            assert_eq!(json, format!("\"{}\"", format.as_str()), "serde writes the table's name");
        }
    }
}
