//! `mj-include`: resolved relative to the including file, confined to the project folder, with
//! cycles and depth bounded.

use letterpress_core::{Code, Pipeline, Project};

use crate::support::{TempProject, body};

fn render_codes(temp: &TempProject, template: &str) -> Vec<(Code, String, u32, String)> {
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, template, None).unwrap();
    rendered.diagnostics.iter().map(|d| (d.code, d.file.clone(), d.start.line, d.message.clone())).collect()
}

#[test]
fn includes_resolve_relative_to_the_including_file() {
    let temp = TempProject::new();
    temp.write("partials/outer.mjml", "<mj-include path=\"inner.mjml\" />")
        .write("partials/inner.mjml", "<mj-section><mj-column><mj-text>Inner text</mj-text></mj-column></mj-section>")
        .template("t", &body("<mj-include path=\"../partials/outer.mjml\" />"), "{}");
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, "t", None).unwrap();
    assert!(rendered.diagnostics.is_empty(), "{:?}", rendered.diagnostics);
    assert!(rendered.html.contains("Inner text"));
}

#[test]
fn css_and_html_includes_and_head_includes_work() {
    let temp = TempProject::new();
    temp.write("partials/style.css", ".brand { color: #123456; }")
        .write("partials/snippet.html", "<p class=\"brand\">From HTML</p>")
        .write("partials/head.mjml", "<mjml><mj-head><mj-title>Included title</mj-title></mj-head></mjml>")
        .write("partials/raw-head.html", "<meta name=\"x-letterpress\" content=\"1\">")
        .template(
            "t",
            "<mjml lang=\"en\" dir=\"ltr\"><mj-head><mj-include path=\"../partials/head.mjml\" /><mj-include path=\"../partials/raw-head.html\" type=\"html\" /></mj-head><mj-body>\
             <mj-include path=\"../partials/style.css\" type=\"css\" />\
             <mj-include path=\"../partials/snippet.html\" type=\"html\" /></mj-body></mjml>",
            "{}",
        );
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, "t", None).unwrap();
    assert!(rendered.diagnostics.is_empty(), "{:?}", rendered.diagnostics);
    assert!(rendered.html.contains("<title>Included title</title>"));
    assert!(rendered.html.contains(".brand { color: #123456; }"));
    assert!(rendered.html.contains("<p class=\"brand\">From HTML</p>"));
    assert!(rendered.html.contains("x-letterpress"), "an html include in mj-head no longer hits mrml's todo!");
}

#[test]
fn a_full_document_included_in_the_body_brings_its_head_along() {
    let temp = TempProject::new();
    temp.write(
        "partials/block.mjml",
        "<mjml><mj-head><mj-style>.from-partial { color: red; }</mj-style></mj-head><mj-body><mj-section><mj-column><mj-text>Block</mj-text></mj-column></mj-section></mj-body></mjml>",
    )
    .template("t", &body("<mj-include path=\"../partials/block.mjml\" />"), "{}");
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, "t", None).unwrap();
    assert!(crate::support::problems(&rendered.diagnostics).is_empty(), "{:?}", rendered.diagnostics);
    assert!(rendered.html.contains(".from-partial { color: red; }"));
    assert!(rendered.html.contains("Block"));
}

#[test]
fn parent_paths_that_leave_the_project_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.mjml"), "<mj-text>secret</mj-text>").unwrap();
    let temp = TempProject::new();
    temp.template("t", &body("<mj-include path=\"../../../../../../../../etc/passwd\" />"), "{}");
    let codes = render_codes(&temp, "t");
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0].0, Code::IncludeOutsideRoot);
    assert_eq!((codes[0].1.as_str(), codes[0].2), ("t/template.mjml", 3));
}

#[test]
fn absolute_paths_and_urls_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.mjml");
    std::fs::write(&secret, "<mj-section><mj-column><mj-text>secret</mj-text></mj-column></mj-section>").unwrap();
    let temp = TempProject::new();
    temp.template(
        "t",
        &body(&format!(
            "<mj-include path=\"{}\" />\n<mj-include path=\"https://evil.example/x.mjml\" />",
            secret.display()
        )),
        "{}",
    );
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, "t", None).unwrap();
    let codes: Vec<_> = rendered.diagnostics.iter().map(|d| (d.code, d.start.line)).collect();
    assert_eq!(codes, [(Code::IncludeOutsideRoot, 3), (Code::IncludeOutsideRoot, 4)]);
    assert!(!rendered.html.contains("secret"));
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_project_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.mjml"),
        "<mj-section><mj-column><mj-text>secret</mj-text></mj-column></mj-section>",
    )
    .unwrap();
    let temp = TempProject::new();
    temp.template(
        "t",
        &body("<mj-include path=\"../partials/link/secret.mjml\" />\n<mj-include path=\"../partials/file.mjml\" />"),
        "{}",
    );
    std::fs::create_dir_all(temp.root().join("partials")).unwrap();
    std::os::unix::fs::symlink(outside.path(), temp.root().join("partials/link")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.mjml"), temp.root().join("partials/file.mjml")).unwrap();
    let project = Project::load(temp.root()).unwrap();
    let rendered = Pipeline::default().render(&project, "t", None).unwrap();
    let codes: Vec<_> = rendered.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::IncludeOutsideRoot, Code::IncludeOutsideRoot], "{:?}", rendered.diagnostics);
    assert!(!rendered.html.contains("secret"));
}

#[test]
fn include_cycles_are_reported_with_the_chain() {
    let temp = TempProject::new();
    temp.write("partials/a.mjml", "<mj-include path=\"b.mjml\" />")
        .write(
            "partials/b.mjml",
            "<mj-section><mj-column><mj-text>b</mj-text></mj-column></mj-section>\n<mj-include path=\"a.mjml\" />",
        )
        .template("t", &body("<mj-include path=\"../partials/a.mjml\" />"), "{}");
    let codes = render_codes(&temp, "t");
    assert_eq!(codes.len(), 1, "{codes:?}");
    let (code, file, line, message) = &codes[0];
    assert_eq!((*code, file.as_str(), *line), (Code::IncludeCycle, "partials/b.mjml", 2));
    assert_eq!(message, "include cycle: `partials/a.mjml` → `partials/b.mjml` → `partials/a.mjml`");
}

#[test]
fn a_file_including_itself_is_a_cycle() {
    let temp = TempProject::new();
    temp.template("t", &body("<mj-include path=\"template.mjml\" />"), "{}");
    let codes = render_codes(&temp, "t");
    assert_eq!(codes[0].0, Code::IncludeCycle);
}

#[test]
fn include_depth_is_bounded() {
    let temp = TempProject::new();
    for i in 0..40 {
        temp.write(&format!("partials/p{i}.mjml"), &format!("<mj-include path=\"p{}.mjml\" />", i + 1));
    }
    temp.write("partials/p40.mjml", "<mj-section></mj-section>");
    temp.template("t", &body("<mj-include path=\"../partials/p0.mjml\" />"), "{}");
    let codes = render_codes(&temp, "t");
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0].0, Code::IncludeTooDeep);
}

#[test]
fn exponential_include_fan_out_is_bounded_by_size() {
    let temp = TempProject::new();
    let ten = |next: &str| format!("<mj-include path=\"{next}\" />\n").repeat(10);
    for i in 0..9 {
        temp.write(&format!("partials/f{i}.mjml"), &ten(&format!("f{}.mjml", i + 1)));
    }
    temp.write("partials/f9.mjml", &"<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>".repeat(10));
    temp.template("t", &body("<mj-include path=\"../partials/f0.mjml\" />"), "{}");
    let codes = render_codes(&temp, "t");
    assert!(codes.iter().any(|c| c.0 == Code::TooLarge), "{codes:?}");
}

#[test]
fn a_missing_include_is_reported_where_it_is_written() {
    let temp = TempProject::new();
    temp.template("t", &body("<mj-section></mj-section>\n  <mj-include path=\"../partials/nope.mjml\" />"), "{}");
    let codes = render_codes(&temp, "t");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].0, Code::IncludeNotFound);
    assert_eq!(codes[0].2, 4);
    assert_eq!(codes[0].3, "included file `partials/nope.mjml` does not exist");
}
