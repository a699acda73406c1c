//! Fills compiled HTML, the subject and the text part with a data set as the project's production
//! engine will (handlebars.js by default, or an email provider's dialect), and checks the
//! templates and the data against that engine.
//!
//! The engine is Letterpress's own (`syntax` + `render`), not the handlebars crate: the crate
//! differs from handlebars.js in ways a recipient sees (`3.0` printed as `3.0`, no `.length`,
//! `{}` taken as false, other standalone-line rules), and the dialects need every construct's
//! position to say where a template cannot work at its provider.

pub mod check;
pub mod dialect;
pub mod helpers;
pub mod json;
pub mod render;
pub mod rewrite;
pub mod syntax;
pub mod value;

use serde_json::Value;

pub use dialect::{Dialect, DialectName, Escape};
pub use render::{Missing, RenderError, Usage};
pub use syntax::{Program, Span, SyntaxError};

use crate::compile::SourceFile;
use crate::diagnostic::{Code, Diagnostic, LineIndex, Position};

/// Which part of the message a template fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Html,
    Subject,
    Text,
}

impl Part {
    pub fn describe(self) -> &'static str {
        match self {
            Part::Html => "HTML",
            Part::Subject => "subject",
            Part::Text => "text part",
        }
    }
}

/// What fills a project's templates in production: the dialect, and the extra helpers the
/// project's own code registers (handlebars dialect only).
#[derive(Debug, Clone)]
pub struct Settings {
    pub dialect: &'static Dialect,
    pub helpers: Vec<String>,
    /// The export rewrites `{{this}}` into the dialect's spelling, so it is no problem.
    pub rewrites_this: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { dialect: &dialect::HANDLEBARS, helpers: Vec::new(), rewrites_this: false }
    }
}

impl Settings {
    pub fn new(dialect: DialectName, helpers: &[String]) -> Self {
        // Only an application's own handlebars.js can register helpers; a provider cannot.
        let helpers = if dialect == DialectName::Handlebars { helpers.to_vec() } else { Vec::new() };
        Settings { dialect: dialect.dialect(), helpers, rewrites_this: false }
    }

    /// The project's own setting.
    pub fn of_project(config: &crate::config::Config) -> Self {
        Settings::new(config.dialect, &config.helpers)
    }

    pub fn escape(&self, part: Part) -> Escape {
        match part {
            Part::Html => self.dialect.escape_html,
            Part::Subject => self.dialect.escape_subject,
            Part::Text => self.dialect.escape_text,
        }
    }
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    pub program: Program,
}

impl Template {
    pub fn parse(source: &str) -> Result<Template, SyntaxError> {
        Ok(Template { program: syntax::parse(source)? })
    }

    /// Fills the template with `data` as `part` of a message.
    pub fn fill(&self, data: &Value, settings: &Settings, part: Part) -> Result<String, RenderError> {
        render::Renderer::new(settings.dialect, settings.escape(part), &settings.helpers, data).render(&self.program)
    }

    /// What filling the template with `data` reads, and which variables it lacks.
    pub fn trace(&self, data: &Value, settings: &Settings, part: Part) -> Usage {
        let mut usage = Usage::default();
        let _ = render::Renderer::new(settings.dialect, settings.escape(part), &settings.helpers, data)
            .tracing(&mut usage)
            .render(&self.program);
        usage
    }
}

/// Fills a template string once: for tests and one-off uses.
pub fn fill_str(source: &str, data: &Value, settings: &Settings, part: Part) -> Result<String, String> {
    let template = Template::parse(source).map_err(|e| e.message)?;
    template.fill(data, settings, part).map_err(|e| e.message)
}

/// The three parts of a message as templates, parsed once and filled many times, with whatever
/// engine's settings the caller fills for.
pub struct Filler {
    html: Template,
    subject: Template,
    text: Template,
}

impl Filler {
    pub fn new(html: &str, subject: &str, text: &str) -> Result<Self, (Part, SyntaxError)> {
        Ok(Filler {
            html: Template::parse(html).map_err(|e| (Part::Html, e))?,
            subject: Template::parse(subject).map_err(|e| (Part::Subject, e))?,
            text: Template::parse(text).map_err(|e| (Part::Text, e))?,
        })
    }

    pub fn html(&self, data: &Value, settings: &Settings) -> Result<String, RenderError> {
        self.html.fill(data, settings, Part::Html)
    }

    /// The subject on one line: a header cannot hold line breaks, so each run of them (and the
    /// spaces around it) becomes one space. A subject without line breaks is exactly as filled.
    pub fn subject(&self, data: &Value, settings: &Settings) -> Result<String, RenderError> {
        let subject = self.subject.fill(data, settings, Part::Subject)?;
        if !subject.contains(['\r', '\n']) {
            return Ok(subject);
        }
        Ok(subject.split(['\r', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" "))
    }

    /// The plain-text part exactly as the template fills it, as the provider will.
    pub fn text(&self, data: &Value, settings: &Settings) -> Result<String, RenderError> {
        self.text.fill(data, settings, Part::Text)
    }

    /// What filling the generated plain-text part reads; used to check it, since it has no file.
    pub fn trace_text(&self, data: &Value, settings: &Settings) -> Usage {
        self.text.trace(data, settings, Part::Text)
    }
}

/// Parses a data set, reporting invalid JSON at its line and column.
pub fn parse_data(text: &str, file: &str) -> Result<Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Value>(text) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(Diagnostic::error(
            Code::DataNotObject,
            file,
            "a data set must be a JSON object (`{ … }`) at the top level",
        )
        .at(Position::new(1, 1))),
        Err(error) => {
            let message = error.to_string();
            // serde_json appends " at line L column C"; the position is carried separately.
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            let (mut line, mut column) = (error.line(), column_in_chars(text, error.line(), error.column()));
            if error.column() == 0 && line > 1 {
                // serde_json has already read the line break after the culprit; point at the
                // end of the line the culprit is on instead.
                line -= 1;
                column = text.split('\n').nth(line - 1).map_or(1, |l| l.chars().count() + 1);
            }
            Err(Diagnostic::error(Code::JsonSyntax, file, format!("invalid JSON: {message}"))
                .at(Position::new(line as u32, column as u32)))
        }
    }
}

/// serde_json counts columns in bytes; diagnostics count characters.
fn column_in_chars(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else { return byte_column };
    let mut end = byte_column.min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count().max(1)
}

/// A source file's Handlebars, parsed, for checking the dialect and the data.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file's path as shown to the user.
    pub file: String,
    pub template: Template,
    pub part: Part,
    source: SourceFile,
}

impl Checked {
    pub fn position(&self, offset: usize) -> Position {
        self.source.position(offset)
    }
}

/// Parses the Handlebars in each source file, reporting syntax errors at their position.
pub fn parse_sources<'a>(
    files: impl IntoIterator<Item = (&'a SourceFile, Part)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Checked> {
    let mut out = Vec::new();
    for (file, part) in files {
        match Template::parse(&file.text) {
            Ok(template) => out.push(Checked { file: file.display.clone(), template, part, source: file.clone() }),
            Err(error) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::HandlebarsSyntax,
                        file.display.clone(),
                        format!("invalid Handlebars: {}", error.message),
                    )
                    .span(file.position(error.span.start), file.position(error.span.end)),
                );
            }
        }
    }
    out
}

/// Checks a data set against the templates: variables they use that it lacks, and keys in it that
/// none of them use.
pub fn check_data(
    sources: &[Checked],
    settings: &Settings,
    data: &Value,
    data_set: &str,
) -> (Vec<Diagnostic>, std::collections::BTreeSet<String>) {
    let mut used = std::collections::BTreeSet::new();
    let mut diagnostics = Vec::new();
    for source in sources {
        let mut usage = source.template.trace(data, settings, source.part);
        used.append(&mut usage.used);
        for missing in usage.missing {
            diagnostics.push(
                missing_diagnostic(settings, &source.file, &missing.expression, data_set)
                    .span(source.position(missing.span.start), source.position(missing.span.end)),
            );
        }
    }
    (diagnostics, used)
}

/// A variable the data set lacks: a warning, or an error where the provider refuses to send.
pub fn missing_diagnostic(settings: &Settings, file: &str, expression: &str, data_set: &str) -> Diagnostic {
    if settings.dialect.missing_is_error {
        Diagnostic::error(
            Code::MissingVariable,
            file,
            format!(
                "`{expression}` is not in data set `{data_set}`, and {} does not send a message with a missing variable",
                settings.dialect.engine
            ),
        )
    } else {
        Diagnostic::warning(Code::MissingVariable, file, format!("`{expression}` is not in data set `{data_set}`"))
    }
}

/// Reports the data keys that nothing used.
pub fn report_unused(
    data: &Value,
    used: &std::collections::BTreeSet<String>,
    data_text: &str,
    data_file: &str,
) -> Vec<Diagnostic> {
    let index = LineIndex::new(data_text);
    check::unused(data, used)
        .into_iter()
        .map(|path| {
            let position =
                json::locate(data_text, &path).map_or(Position::WHOLE_FILE, |at| index.position(data_text, at));
            Diagnostic::warning(Code::UnusedData, data_file, format!("`{path}` is not used by the template"))
                .at(position)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_json_is_reported_at_its_position() {
        let error = parse_data("{\n  \"a\": 1,\n  \"é\": tru\n}", "data/x.json").unwrap_err();
        assert_eq!(error.code, Code::JsonSyntax);
        assert_eq!(error.start.line, 3);
        assert!(error.message.starts_with("invalid JSON: "), "{}", error.message);
        let error = parse_data("[1]", "d.json").unwrap_err();
        assert_eq!(error.code, Code::DataNotObject);
    }

    #[test]
    fn html_is_escaped_and_plain_parts_are_not() {
        let filler = Filler::new("<p>{{name}}</p>", "Hi {{name}}", "Hi {{name}}\n").unwrap();
        let data = json!({"name": "O'Brien & <Sons>"});
        let settings = Settings::default();
        assert_eq!(filler.html(&data, &settings).unwrap(), "<p>O&#x27;Brien &amp; &lt;Sons&gt;</p>");
        assert_eq!(filler.subject(&data, &settings).unwrap(), "Hi O'Brien & <Sons>");
        assert_eq!(filler.text(&data, &settings).unwrap(), "Hi O'Brien & <Sons>\n");
    }

    #[test]
    fn each_dialect_escapes_its_own_way() {
        let data = json!({"v": "<a & 'b'>"});
        let fill = |d: DialectName, part: Part| fill_str("{{v}}", &data, &Settings::new(d, &[]), part).unwrap();
        assert_eq!(fill(DialectName::Ses, Part::Html), "<a & 'b'>");
        assert_eq!(fill(DialectName::Postmark, Part::Html), "&lt;a &amp; &#39;b&#39;&gt;");
        assert_eq!(fill(DialectName::Mailgun, Part::Html), "&lt;a &amp; &apos;b&apos;&gt;");
        assert_eq!(fill(DialectName::Sendgrid, Part::Subject), "&lt;a &amp; &#x27;b&#x27;&gt;");
        assert_eq!(fill(DialectName::Postmark, Part::Subject), "<a & 'b'>");
    }

    #[test]
    fn standalone_blocks_one_after_another() {
        // Outputs of handlebars.js 4.7.8 for the same templates and data.
        let data = json!({"items": []});
        let fill = |t: &str| fill_str(t, &data, &Settings::default(), Part::Text).unwrap();
        assert_eq!(
            fill("A\n{{#each items}}\n\nX\n{{/each}}\n{{^items}}\n\nNone\n{{/items}}\n\nB\n"),
            "A\n\nNone\n\nB\n"
        );
        assert_eq!(fill("A\n{{^items}}\n\nNone\n{{/items}}\n\nB\n"), "A\n\nNone\n\nB\n");
        assert_eq!(fill("A\n{{#each items}}\nX\n{{/each}}\n{{^items}}\nNone\n{{/items}}\nB\n"), "A\nNone\nB\n");
    }

    #[test]
    fn inverse_branches_run_in_the_enclosing_context() {
        // handlebars.js calls `options.inverse(this)`: `{{else}}` of `with` and of a section
        // sees the context around the block, not the empty value.
        let data = json!({"name": "Ada", "user": null, "list": []});
        let fill = |t: &str| fill_str(t, &data, &Settings::default(), Part::Text).unwrap();
        assert_eq!(fill("{{#with user}}x{{else}}{{name}}{{/with}}"), "Ada");
        assert_eq!(fill("{{#user}}x{{else}}{{name}}{{/user}}"), "Ada");
        assert_eq!(fill("{{#each list}}x{{else}}{{name}}{{/each}}"), "Ada");
        assert_eq!(fill("{{^list}}{{name}}{{/list}}"), "Ada");
    }

    #[test]
    fn the_subject_stays_on_one_line() {
        let filler = Filler::new("", "A  {{x}}", "").unwrap();
        let settings = Settings::default();
        assert_eq!(filler.subject(&json!({"x": "b"}), &settings).unwrap(), "A  b");
        assert_eq!(filler.subject(&json!({"x": "b\n  c"}), &settings).unwrap(), "A  b c");
    }
}
