//! The inbox checks, each on a fixture template in `tests/checks/<check id>/` that triggers
//! exactly that check, at the place its comment points at. The golden file beside each fixture
//! (`expect_txt.snap.txt`, an insta snapshot) is what the check reports.
//!
//! Client-support notes come with any markup (the `lang` every template should have is one), so
//! fixtures other than `client-support` are held to exactly one check besides them.

use std::collections::BTreeSet;
use std::path::Path;

use letterpress_core::checks::CHECKS;
use letterpress_core::{Code, Diagnostic, Pipeline, Project, Severity};

use letterpress_test_golden::assert_golden;

use crate::support::{TempProject, body};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checks")
}

/// The findings of the registry's checks for every data set of `template`, without repeats.
fn findings(project: &Project, pipeline: &Pipeline, template: &str) -> Vec<Diagnostic> {
    let sets: Vec<Option<String>> = match project.template(template) {
        Some(t) if !t.data_sets.is_empty() => t.data_sets.iter().map(|d| Some(d.name.clone())).collect(),
        _ => vec![None],
    };
    let mut found = BTreeSet::new();
    for set in sets {
        let rendered = pipeline.render(project, template, set.as_deref()).unwrap();
        found.extend(rendered.diagnostics.into_iter().filter(|d| CHECKS.iter().any(|c| c.code == d.code)));
    }
    found.into_iter().collect()
}

#[test]
fn every_check_has_a_fixture_that_triggers_exactly_it() {
    let project = Project::load(&fixtures()).unwrap();
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let pipeline = Pipeline::default();
    let mut covered = BTreeSet::new();
    for template in &project.templates {
        let found = findings(&project, &pipeline, &template.name);
        let codes: BTreeSet<&str> = found
            .iter()
            .map(|d| d.code.as_str())
            .filter(|code| *code == template.name || *code != Code::ClientSupport.as_str())
            .collect();
        assert_eq!(codes, BTreeSet::from([template.name.as_str()]), "{}: {found:#?}", template.name);
        let report: String =
            found.iter().filter(|d| d.code.as_str() == template.name).map(|d| format!("{d}\n")).collect();
        assert_golden(&fixtures().join(&template.name), "expect.txt", report.as_bytes());
        covered.insert(template.name.clone());
    }
    // `broken-link` needs a server that answers; the CLI's `online` tests run one.
    for check in CHECKS.iter().filter(|c| c.code != Code::BrokenLink) {
        assert!(covered.contains(check.code.as_str()), "no fixture for `{}`", check.code.as_str());
    }
}

#[test]
fn findings_sit_on_the_line_after_their_fixtures_comment() {
    // Each fixture's comment sits right above the element the finding is about, except for
    // findings about the document as a whole, which are at `<mjml>` (line 2, after its comment).
    let project = Project::load(&fixtures()).unwrap();
    let pipeline = Pipeline::default();
    for template in &project.templates {
        let source = std::fs::read_to_string(template.mjml_path()).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for finding in findings(&project, &pipeline, &template.name).iter().filter(|d| d.code.as_str() == template.name)
        {
            if template.name == "message-size" {
                continue;
            }
            let line = finding.start.line as usize;
            // Attributes of the root (`lang`, which every template has) are where `<mjml>` is.
            if lines[line - 1].starts_with("<mjml") && template.name == "client-support" {
                continue;
            }
            assert!(line >= 2, "{}: {finding}", template.name);
            assert!(lines[line - 2].trim_start().starts_with("<!--"), "{}: {finding}\n{source}", template.name);
        }
    }
}

#[test]
fn a_project_turns_checks_off_or_changes_their_level() {
    let temp = TempProject::new();
    let text = "<mj-section><mj-column><mj-text color=\"#999999\">Hi, <a href=\"https://x.example\">here</a></mj-text></mj-column></mj-section>";
    temp.template("t", &body(text), "{}");
    let codes = |temp: &TempProject| -> Vec<(Code, Severity)> {
        let project = Project::load(temp.root()).unwrap();
        let mut found: Vec<(Code, Severity)> = findings(&project, &Pipeline::default(), "t")
            .into_iter()
            .filter(|d| d.code != Code::ClientSupport)
            .map(|d| (d.code, d.severity))
            .collect();
        found.sort();
        found.dedup();
        found
    };
    assert_eq!(codes(&temp), [(Code::LinkText, Severity::Warning), (Code::Contrast, Severity::Warning)]);
    temp.write("letterpress.toml", "[checks]\ncontrast = \"off\"\nlink-text = \"error\"\nclient-support = \"off\"\n");
    assert_eq!(codes(&temp), [(Code::LinkText, Severity::Error)]);
    let project = Project::load(temp.root()).unwrap();
    let all = Pipeline::default().render(&project, "t", None).unwrap().diagnostics;
    assert!(all.iter().all(|d| d.code != Code::ClientSupport), "{all:?}");
}

#[test]
fn the_bundled_templates_pass_every_check() {
    let project = Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates")).unwrap();
    let pipeline = Pipeline::default();
    for template in &project.templates {
        let found = findings(&project, &pipeline, &template.name);
        let problems: Vec<&Diagnostic> = found.iter().filter(|d| d.severity != Severity::Info).collect();
        assert!(problems.is_empty(), "{}: {problems:#?}", template.name);
    }
}

#[test]
fn the_readme_lists_every_check_with_its_default_level() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    for check in CHECKS {
        let row = format!("| `{}` | {} |", check.code.as_str(), check.severity);
        assert!(readme.contains(&row), "README.md has no row `{row}`");
    }
}

#[test]
fn findings_in_the_html_point_into_the_partial_that_wrote_the_element() {
    let temp = TempProject::new();
    temp.write(
        "partials/footer.mjml",
        "<mj-section>\n  <mj-column>\n    <mj-text>\n      <a href=\"https://alder.example/help\">here</a>\n    </mj-text>\n  </mj-column>\n</mj-section>\n",
    )
    .template("t", &body("<mj-include path=\"../partials/footer.mjml\" />"), "{}");
    let project = Project::load(temp.root()).unwrap();
    let found = findings(&project, &Pipeline::default(), "t");
    let link_text: Vec<&Diagnostic> = found.iter().filter(|d| d.code == Code::LinkText).collect();
    assert_eq!(link_text.len(), 1, "{found:#?}");
    assert_eq!(link_text[0].file, "partials/footer.mjml");
    assert_eq!((link_text[0].start.line, link_text[0].start.column), (4, 7));
}

#[test]
fn markers_never_reach_the_html_that_is_sent_exported_or_compiled() {
    let project = Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates")).unwrap();
    let pipeline = Pipeline::default();
    for template in &project.templates {
        let rendered = pipeline.render(&project, &template.name, None).unwrap();
        assert!(!rendered.html.contains("lp-src"), "{}", template.name);
        let prepared = pipeline.prepare(&project, template);
        assert!(!prepared.html.as_deref().unwrap_or_default().contains("lp-src"), "{}", template.name);
        let marked = prepared.marked.as_ref().expect("the marked copy compiles");
        assert!(!marked.places.is_empty());
    }
}

/// Every marker of every fidelity fixture and official template stands as a comment of its own
/// in the compiled HTML: none fell inside an Outlook conditional comment, which it would end
/// early and break the document.
#[test]
fn every_marker_survives_compilation_as_its_own_comment() {
    use letterpress_core::compile::{self, DiskReader, Limits, SourceFile, markers};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("fidelity/fixtures")];
    let corpus = root.join("../shared/corpus/mjml-email-templates");
    if corpus.is_dir() {
        dirs.push(corpus);
    }
    let mut checked = 0;
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "mjml"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let compiled = compile::compile_with(
                SourceFile::new(name.clone(), path.clone(), &text),
                &dir,
                &DiskReader,
                Limits::default(),
                true,
            );
            let Some(marked) = compiled.marked else { continue };
            let doc = scraper::Html::parse_document(&marked.html);
            let mut seen: Vec<usize> = doc
                .tree
                .root()
                .descendants()
                .filter_map(|n| n.value().as_comment().and_then(|c| markers::marker_number(c.trim())))
                .collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen, (0..marked.places.len()).collect::<Vec<_>>(), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked}");
}
