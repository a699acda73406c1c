//! What a front end shows around an export, decided once for both: the folder a person named,
//! the configured targets and formats to choose from, and a plan as it is reviewed before
//! anything is written.

use std::path::Path;

use letterpress_core::Project;
use serde::Serialize;

use crate::plan::{FileChange, Plan, Target, TemplateReport};
use crate::{ExportError, FORMATS, Format, configured_targets};

impl Target {
    /// A target in the folder `out` as a person named it: taken relative to `base` unless it
    /// is absolute (the app passes the project folder, the command line the current folder).
    /// An empty name names no folder.
    pub fn in_folder(format: Format, out: &Path, base: &Path) -> Result<Target, ExportError> {
        if out.as_os_str().is_empty() {
            return Err(ExportError::NoFolder);
        }
        let out = if out.is_absolute() { out.to_path_buf() } else { base.join(out) };
        Ok(Target::new(format, out))
    }
}

/// Why the export targets of `letterpress.toml` cannot be read: the error, worded with the
/// file's name.
#[derive(Debug, thiserror::Error)]
#[error("`{file}`: {0}", file = letterpress_core::config::FILE_NAME)]
pub struct ConfigError(#[source] pub ExportError);

/// The targets configured in the project's `letterpress.toml`, or why they cannot be read.
pub fn configured(project: &Project) -> Result<Vec<Target>, ConfigError> {
    configured_targets(project).map_err(ConfigError)
}

/// A target configured in `letterpress.toml`, as the export dialog lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ExportTarget"))]
#[serde(rename_all = "camelCase")]
pub struct ConfiguredTarget {
    pub format: Format,
    /// The folder, absolute.
    pub out: String,
    /// The folder as written in `letterpress.toml`, or relative to the project when inside it.
    pub label: String,
    pub minify: bool,
}

/// A format the export dialog offers, worded as the table of formats words it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FormatChoice {
    pub format: Format,
    pub label: &'static str,
    pub description: &'static str,
}

/// What an export can go to: every format, and the targets the project configures.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExportChoices {
    pub formats: Vec<FormatChoice>,
    pub configured: Vec<ConfiguredTarget>,
    /// Why the configured targets cannot be read, when they cannot.
    pub problem: Option<String>,
    pub project_root: String,
}

/// The formats and the configured targets of `project`; a configuration that cannot be read
/// is a `problem`, with no configured targets.
pub fn choices(project: &Project) -> ExportChoices {
    let (targets, problem) = match configured(project) {
        Ok(targets) => (targets, None),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let configured = targets
        .into_iter()
        .map(|t| ConfiguredTarget {
            format: t.format,
            label: t.out.strip_prefix(&project.root).unwrap_or(&t.out).display().to_string(),
            out: t.out.display().to_string(),
            minify: t.minify,
        })
        .collect();
    ExportChoices {
        formats: FORMATS
            .iter()
            .map(|f| FormatChoice { format: f.format, label: f.label, description: f.description })
            .collect(),
        configured,
        problem,
        project_root: project.root.display().to_string(),
    }
}

/// A plan as it is shown for review, under the `id` that applying it names.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ExportPlan"))]
#[serde(rename_all = "camelCase")]
pub struct Review {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: u64,
    pub format: Format,
    /// The target folder, absolute and with links resolved.
    pub root: String,
    pub minify: bool,
    pub files: Vec<FileChange>,
    pub templates: Vec<TemplateReport>,
    /// True when local images keep anything from being written; `templates` says why.
    pub blocked: bool,
    /// Files the export would replace that no export wrote, or that changed since; nothing is
    /// written while there are any, unless the plan was made with `force`.
    pub conflicts: Vec<String>,
    pub force: bool,
}

impl Plan {
    /// The plan as shown for review under `id`.
    pub fn review(&self, id: u64) -> Review {
        Review {
            id,
            format: self.target.format,
            root: self.root.display().to_string(),
            minify: self.target.minify,
            files: self.files.clone(),
            templates: self.templates.clone(),
            blocked: self.blocked,
            conflicts: self.conflicts.clone(),
            force: self.target.force,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use letterpress_core::{ErrorCode, Pipeline};

    use super::*;

    /// A project of one template, `welcome`, with `config` as its `letterpress.toml`.
    fn project(config: &str) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let files = [
            ("letterpress.toml", config),
            ("welcome/template.mjml", "<mjml><mj-body><mj-text>Hi {{name}}</mj-text></mj-body></mjml>\n"),
            ("welcome/subject.hbs", "Welcome\n"),
            ("welcome/data/default.json", "{\"name\": \"Ada\"}\n"),
        ];
        for (path, contents) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        let project = Project::load(&root).unwrap();
        (dir, project)
    }

    #[test]
    fn a_named_folder_is_taken_from_the_base_unless_absolute_and_none_is_refused() {
        let base = PathBuf::from("/projects/news");
        let relative = Target::in_folder(Format::Postmark, Path::new("dist/postmark"), &base).unwrap();
        assert_eq!(relative.out, base.join("dist/postmark"));
        assert_eq!(relative.format, Format::Postmark);
        assert!(!relative.minify && !relative.force && relative.base_url.is_none());
        let elsewhere = std::env::temp_dir().join("exports");
        assert_eq!(Target::in_folder(Format::Plain, &elsewhere, &base).unwrap().out, elsewhere);
        let error = Target::in_folder(Format::Plain, Path::new(""), &base).unwrap_err();
        assert_eq!(error.code(), ErrorCode::NoFolder);
        assert_eq!(error.to_string(), "choose a folder to export into");
    }

    #[test]
    fn choices_list_every_format_and_the_configured_targets_labelled_from_the_project() {
        let outside = tempfile::tempdir().unwrap();
        let config = format!(
            "[[export]]\nformat = \"sendgrid\"\nout = \"dist/sendgrid\"\nminify = true\n\n[[export]]\nformat = \"plain\"\nout = {:?}\n",
            outside.path().display().to_string()
        );
        let (_dir, project) = project(&config);
        let choices = choices(&project);
        assert_eq!(choices.problem, None);
        assert_eq!(choices.formats.len(), FORMATS.len());
        assert_eq!(choices.formats[0].label, FORMATS[0].label);
        assert_eq!(choices.project_root, project.root.display().to_string());
        let [inside, other] = &choices.configured[..] else { panic!("{:?}", choices.configured) };
        assert_eq!((inside.format, inside.minify), (Format::Sendgrid, true));
        assert_eq!(inside.label, "dist/sendgrid");
        assert_eq!(inside.out, project.root.join("dist/sendgrid").display().to_string());
        assert_eq!(other.label, outside.path().display().to_string(), "a folder outside shows in full");
        let json = serde_json::to_value(&choices).unwrap();
        assert_eq!(json["configured"][0]["format"], "sendgrid");
        assert!(json.get("projectRoot").is_some(), "{json}");
    }

    #[test]
    fn an_unreadable_configuration_is_a_problem_worded_with_the_file_name() {
        let (_dir, project) = project("[[export]]\nformat = \"carrier-pigeon\"\nout = \"dist\"\n");
        let choices = choices(&project);
        assert!(choices.configured.is_empty());
        let problem = choices.problem.unwrap();
        assert!(problem.starts_with("`letterpress.toml`: "), "{problem}");
        assert!(problem.contains("carrier-pigeon"), "{problem}");
        assert_eq!(configured(&project).unwrap_err().to_string(), problem);
    }

    #[test]
    fn a_review_carries_the_plan_with_its_target_settings_flattened() {
        let (_dir, project) = project("");
        let out = project.root.join("dist");
        let mut target = Target::in_folder(Format::Plain, Path::new("dist"), &project.root).unwrap();
        target.minify = true;
        let plan = crate::plan(&project, &Pipeline::default(), &target, |_| {}).unwrap();
        let review = plan.review(7);
        assert_eq!((review.id, review.format, review.minify, review.force), (7, Format::Plain, true, false));
        assert_eq!(
            review.root,
            std::fs::canonicalize(project.root.parent().unwrap()).unwrap().join("project/dist").display().to_string()
        );
        assert!(!out.exists(), "planning writes nothing");
        assert_eq!(review.files.len(), plan.files.len());
        assert!(review.files.iter().any(|f| f.path == "welcome/template.html"), "{:?}", review.files);
        let json = serde_json::to_value(&review).unwrap();
        let file = &json["files"][0];
        assert!(file.get("contents").is_none(), "{file}");
        assert_eq!(file["change"], "created");
        assert_eq!(json["templates"][0]["name"], "welcome");
        assert_eq!(json["templates"][0]["dataSet"], "default");
        assert_eq!(json["minify"], true);

        let applied = crate::apply(&plan, |_| {}).unwrap();
        assert_eq!(applied.root, review.root, "what was written names the folder the review showed");
        assert_eq!(applied.written.len(), plan.files.len());
        let json = serde_json::to_value(&applied).unwrap();
        assert_eq!((json["root"].as_str(), json["unchanged"].as_u64()), (Some(review.root.as_str()), Some(0)));
    }
}
