//! Fills compiled HTML, the subject and the text part with a data set through Handlebars, and
//! checks the data against what the templates use.

pub mod json;
pub mod vars;

use handlebars::Handlebars;
use handlebars::template::Template;
use serde_json::Value;

use crate::compile::SourceFile;
use crate::diagnostic::{Code, Diagnostic, Position};

const HTML: &str = "html";
const SUBJECT: &str = "subject";
const TEXT: &str = "text";

/// The three parts of a message as Handlebars templates, parsed once and filled many times.
pub struct Filler {
    /// HTML: values are HTML-escaped.
    html: Handlebars<'static>,
    /// Subject and plain text: values are written as they are.
    plain: Handlebars<'static>,
}

/// Which part of the message a Handlebars problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Html,
    Subject,
    Text,
}

impl Filler {
    pub fn new(html: &str, subject: &str, text: &str) -> Result<Self, (Part, handlebars::TemplateError)> {
        let mut html_registry = Handlebars::new();
        html_registry.register_template_string(HTML, html).map_err(|e| (Part::Html, e))?;
        let mut plain = Handlebars::new();
        plain.register_escape_fn(handlebars::no_escape);
        plain.register_template_string(SUBJECT, subject).map_err(|e| (Part::Subject, e))?;
        plain.register_template_string(TEXT, text).map_err(|e| (Part::Text, e))?;
        Ok(Filler { html: html_registry, plain })
    }

    pub fn html(&self, data: &Value) -> Result<String, handlebars::RenderError> {
        self.html.render(HTML, data)
    }

    /// The subject on one line: a header cannot hold line breaks.
    pub fn subject(&self, data: &Value) -> Result<String, handlebars::RenderError> {
        let subject = self.plain.render(SUBJECT, data)?;
        Ok(subject.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    pub fn text(&self, data: &Value) -> Result<String, handlebars::RenderError> {
        Ok(crate::text::tidy(&self.plain.render(TEXT, data)?))
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

/// A Handlebars source file and its parsed template, for checking variables.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file's path as shown to the user.
    pub file: String,
    pub template: Template,
}

/// Parses the Handlebars in each source file, reporting syntax errors at their position.
pub fn parse_sources<'a>(
    files: impl IntoIterator<Item = &'a SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Checked> {
    let mut out = Vec::new();
    for file in files {
        match Template::compile(&file.text) {
            Ok(template) => out.push(Checked { file: file.display.clone(), template }),
            Err(error) => {
                let reason = lowercase_first(&error.reason().to_string());
                let position = error.pos().map_or(Position::WHOLE_FILE, |(l, c)| Position::new(l as u32, c as u32));
                diagnostics.push(
                    Diagnostic::error(
                        Code::HandlebarsSyntax,
                        file.display.clone(),
                        format!("invalid Handlebars: {reason}"),
                    )
                    .at(position),
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
    data: &Value,
    data_text: &str,
    data_file: &str,
    data_set: &str,
) -> Vec<Diagnostic> {
    let mut used = std::collections::BTreeSet::new();
    let mut diagnostics = Vec::new();
    for source in sources {
        let mut local = vars::Usage::default();
        vars::analyze(&source.template, data, &mut local);
        used.append(&mut local.used);
        for missing in local.missing {
            let start = Position::new(missing.line as u32, missing.column as u32);
            let end_column = missing.column + missing.expression.chars().count() + 4;
            diagnostics.push(
                Diagnostic::warning(
                    Code::MissingVariable,
                    source.file.clone(),
                    format!("`{}` is not in data set `{data_set}`", missing.expression),
                )
                .span(start, Position::new(missing.line as u32, end_column as u32)),
            );
        }
    }
    let index = crate::diagnostic::LineIndex::new(data_text);
    for path in vars::unused(data, &used) {
        let position = json::locate(data_text, &path).map_or(Position::WHOLE_FILE, |at| index.position(data_text, at));
        diagnostics.push(
            Diagnostic::warning(Code::UnusedData, data_file, format!("`{path}` is not used by the template"))
                .at(position),
        );
    }
    diagnostics
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
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
        let filler = Filler::new("<p>{{name}}</p>", "Hi {{name}}\n", "Hi {{name}}").unwrap();
        let data = json!({"name": "O'Brien & <Sons>"});
        assert_eq!(filler.html(&data).unwrap(), "<p>O&#x27;Brien &amp; &lt;Sons&gt;</p>");
        assert_eq!(filler.subject(&data).unwrap(), "Hi O'Brien & <Sons>");
        assert_eq!(filler.text(&data).unwrap(), "Hi O'Brien & <Sons>\n");
    }
}
