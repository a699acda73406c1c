//! Loading projects: every problem is a diagnostic, nothing panics.

use letterpress_core::project::DEFAULT_DATA_SET;
use letterpress_core::{Code, Position, Project, ProjectError};

use crate::support::{TempProject, body};

#[test]
fn data_sets_are_listed_default_first() {
    let temp = TempProject::new();
    temp.template("t", &body(""), "{}").write("t/data/es.json", "{}").write("t/data/a-long.json", "{}");
    let project = Project::load(temp.root()).unwrap();
    let names: Vec<_> = project.templates[0].data_sets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, [DEFAULT_DATA_SET, "a-long", "es"]);
}

#[test]
fn problems_while_loading_are_diagnostics() {
    let temp = TempProject::new();
    temp.template("good", &body(""), "{}")
        .template("Bad_Name", &body(""), "{}")
        .write("no-subject/template.mjml", &body(""))
        .write("no-subject/data/default.json", "{}")
        .write("no-mjml/subject.hbs", "x")
        .template("sets", &body(""), "{}")
        .write("sets/data/Upper.json", "{}")
        .write("sets/data/default.JSON", "{}")
        .write("assets/logo.png", "not really a png");
    let project = Project::load(temp.root()).unwrap();
    let names: Vec<_> = project.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["good", "no-subject", "sets"]);
    let found: Vec<_> = project.diagnostics.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::InvalidName, "Bad_Name/template.mjml"),
            (Code::MissingFile, "no-mjml/template.mjml"),
            (Code::MissingFile, "no-subject/subject.hbs"),
            (Code::InvalidName, "sets/data/Upper.json"),
            (Code::DuplicateName, "sets/data/default.json"),
        ]
    );
}

#[test]
fn an_invalid_project_file_is_reported_and_defaults_apply() {
    let temp = TempProject::new();
    temp.template("t", &body(""), "{}").write("letterpress.toml", "name = \"x\"\n[mail]\nfrom = 3\n");
    let project = Project::load(temp.root()).unwrap();
    let error = &project.diagnostics[0];
    assert_eq!((error.code, error.file.as_str(), error.start), (Code::Config, "letterpress.toml", Position::new(3, 8)));
    assert_eq!(project.config.partials, "partials");
    assert_eq!(project.templates.len(), 1);
}

#[test]
fn a_missing_folder_is_an_error_not_a_diagnostic() {
    let temp = TempProject::new();
    let missing = temp.root().join("nope");
    assert!(matches!(Project::load(&missing), Err(ProjectError::NotFound { .. })));
    temp.write("file", "x");
    assert!(matches!(Project::load(&temp.root().join("file")), Err(ProjectError::NotAFolder { .. })));
}
