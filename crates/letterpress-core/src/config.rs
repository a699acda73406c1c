//! `letterpress.toml`: the optional project file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, LineIndex};

pub const FILE_NAME: &str = "letterpress.toml";

/// Project settings. Every field has a default, so an absent file is a valid project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// A human name for the project.
    pub name: Option<String>,
    /// The folder holding shared files for `mj-include`, relative to the project root.
    pub partials: String,
    /// What fills the templates in production: `handlebars` (handlebars.js, the default),
    /// `postmark`, `sendgrid`, `mailgun` or `ses`. The preview and `check` follow it.
    pub dialect: crate::fill::DialectName,
    /// Helpers the project's own code registers with handlebars.js, from Letterpress's extra ones
    /// (`eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `and`, `or`, `not`, `len`).
    pub helpers: Vec<String>,
    pub mail: MailConfig,
    pub assets: AssetsConfig,
    /// Levels of the inbox checks (`contrast = "off"`) and their budgets.
    pub checks: crate::checks::ChecksConfig,
    /// Export targets that `letterpress build` writes when given no arguments.
    pub export: Vec<ExportTarget>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            name: None,
            partials: "partials".to_owned(),
            dialect: crate::fill::DialectName::default(),
            helpers: Vec::new(),
            mail: MailConfig::default(),
            assets: AssetsConfig::default(),
            checks: crate::checks::ChecksConfig::default(),
            export: Vec::new(),
        }
    }
}

/// Defaults for messages sent from this project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    pub from: Option<String>,
    pub reply_to: Option<String>,
    /// Extra headers added to every message, such as `List-Unsubscribe`.
    pub headers: BTreeMap<String, String>,
}

/// Where exported templates find the local images they use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssetsConfig {
    /// The absolute URL that the `assets/` folder of an export is published under; exported
    /// templates refer to local images below it.
    pub base_url: Option<String>,
}

/// One configured export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportTarget {
    /// `plain`, `postmark`, `sendgrid`, `mailgun` or `ses`.
    pub format: String,
    /// The folder to write, relative to the project root.
    pub out: String,
    #[serde(default)]
    pub minify: bool,
    /// Overrides `[assets] base_url` for this target.
    #[serde(default)]
    pub base_url: Option<String>,
}

/// Parses `letterpress.toml`, reporting errors at their position.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let config = parse_toml(text)?;
    // Only Letterpress's own extra helpers can be declared: any other name would be a helper the
    // preview cannot run.
    if let Some(unknown) = config.helpers.iter().find(|h| !crate::fill::dialect::EXTRA_HELPERS.contains(&h.as_str())) {
        let mut diagnostic = Diagnostic::error(
            Code::Config,
            FILE_NAME,
            format!(
                "unknown helper `{unknown}` in `helpers`; Letterpress has {}",
                crate::fill::dialect::EXTRA_HELPERS.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
            ),
        );
        if let Some(at) = text.find(&format!("\"{unknown}\"")) {
            let index = LineIndex::new(text);
            diagnostic = diagnostic.span(index.position(text, at), index.position(text, at + unknown.len() + 2));
        }
        return Err(diagnostic);
    }
    if let Some(unknown) = config.checks.unknown_check() {
        let ids: Vec<&str> = crate::checks::CHECKS.iter().map(|c| c.code.as_str()).collect();
        let mut message = format!("`{unknown}` in `[checks]` is not a check");
        if let Some(close) = ids
            .iter()
            .min_by_key(|id| strsim::levenshtein(id, unknown))
            .filter(|id| strsim::levenshtein(id, unknown) <= 3)
        {
            message.push_str(&format!("; did you mean `{close}`?"));
        } else {
            message.push_str(&format!(
                "; the checks are {}",
                ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        let mut diagnostic = Diagnostic::error(Code::Config, FILE_NAME, message);
        if let Some(at) = text
            .lines()
            .scan(0, |offset, line| {
                let start = *offset;
                *offset += line.len() + 1;
                Some((start, line))
            })
            .find_map(|(start, line)| {
                line.trim_start().starts_with(unknown).then(|| start + line.len() - line.trim_start().len())
            })
        {
            let index = LineIndex::new(text);
            diagnostic = diagnostic.span(index.position(text, at), index.position(text, at + unknown.len()));
        }
        return Err(diagnostic);
    }
    Ok(config)
}

fn parse_toml(text: &str) -> Result<Config, Diagnostic> {
    toml::from_str::<Config>(text).map_err(|error| {
        let message = error.message().trim_end_matches('.').to_owned();
        let mut diagnostic = Diagnostic::error(Code::Config, FILE_NAME, format!("invalid project file: {message}"));
        if let Some(span) = error.span() {
            let index = LineIndex::new(text);
            diagnostic = diagnostic.span(index.position(text, span.start), index.position(text, span.end));
        }
        diagnostic
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors_with_positions() {
        assert_eq!(parse("").unwrap(), Config::default());
        let config = parse(
            "name = \"x\"\n[mail]\nfrom = \"A <a@x.example>\"\n[[export]]\nformat = \"postmark\"\nout = \"dist\"\n",
        )
        .unwrap();
        assert_eq!(config.export[0].format, "postmark");
        let config = parse(
            "[assets]\nbase_url = \"https://cdn.example.com/a/\"\n[[export]]\nformat = \"ses\"\nout = \"d\"\nbase_url = \"https://b.example/\"\n",
        )
        .unwrap();
        assert_eq!(config.assets.base_url.as_deref(), Some("https://cdn.example.com/a/"));
        assert_eq!(config.export[0].base_url.as_deref(), Some("https://b.example/"));
        let error = parse("name = \"x\"\nparials = \"p\"\n").unwrap_err();
        assert_eq!(error.start.line, 2);
        assert!(error.message.contains("parials"), "{}", error.message);
        let config = parse("dialect = \"sendgrid\"\nhelpers = [\"eq\"]\n").unwrap();
        assert_eq!(config.dialect, crate::fill::DialectName::Sendgrid);
        let error = parse("helpers = [\"eq\", \"formatMoney\"]\n").unwrap_err();
        assert_eq!((error.start.line, error.start.column), (1, 18));
        assert!(error.message.starts_with("unknown helper `formatMoney`"), "{}", error.message);
        let config = parse("[checks]\ncontrast = \"off\"\n[checks.budget]\nimages-kb = 300\n").unwrap();
        assert_eq!(config.checks.levels["contrast"], crate::checks::Level::Off);
        assert_eq!(config.checks.budget.images_kb, 300);
        let error = parse("name = \"x\"\n[checks]\ncontrst = \"off\"\n").unwrap_err();
        assert_eq!((error.start.line, error.start.column), (3, 1));
        assert!(error.message.ends_with("did you mean `contrast`?"), "{}", error.message);
        let error = parse("[checks]\ncontrast = \"loud\"\n").unwrap_err();
        assert!(error.message.contains("loud") || error.message.contains("variant"), "{}", error.message);
        let error = parse("dialect = \"mustache\"\n").unwrap_err();
        assert!(error.message.contains("mustache"), "{}", error.message);
    }
}
