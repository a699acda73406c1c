//! The fill engine against handlebars.js: every case of `tests/handlebars/reference.json` (our
//! cases and the Mustache specification's), whose outputs the real `handlebars` package wrote.
//! The test command checks that the committed file is exactly what handlebars.js gives.

use std::path::PathBuf;

use letterpress_core::fill::{Part, Settings, fill_str};
use serde_json::Value;

fn reference() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/handlebars/reference.json");
    let text = std::fs::read_to_string(&path).expect("tests/handlebars/reference.json is in the repository");
    serde_json::from_str(&text).expect("reference.json is JSON")
}

#[test]
fn every_reference_case_fills_as_handlebars_js_does() {
    let cases = reference();
    assert!(cases.len() > 400, "only {} cases", cases.len());
    let settings = Settings::default();
    let mut failures = Vec::new();
    let (mut spec_cases, mut spec_passed) = (0, 0);
    for case in &cases {
        let suite = case["suite"].as_str().unwrap();
        let name = case["name"].as_str().unwrap();
        let template = case["template"].as_str().unwrap();
        let part = if case["escape"].as_bool().unwrap_or(true) { Part::Html } else { Part::Text };
        let ours = fill_str(template, &case["data"], &settings, part);
        let theirs = &case["handlebars"];
        match (&ours, theirs.get("output").and_then(Value::as_str), theirs.get("error")) {
            (Ok(out), Some(expected), _) if out == expected => {}
            (Err(_), None, Some(_)) => {}
            _ => failures.push(format!(
                "{suite} / {name}\n  template: {template:?}\n  handlebars.js: {theirs}\n  letterpress:   {ours:?}"
            )),
        }
        if let Some(expected) = case["mustache_expected"].as_str() {
            spec_cases += 1;
            spec_passed += usize::from(ours.as_deref() == Ok(expected));
        }
    }
    eprintln!(
        "handlebars.js reference: {} of {} cases identical; Mustache specification: {spec_passed} of {spec_cases} passed",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{} cases differ from handlebars.js:\n{}", failures.len(), failures.join("\n"));
    // handlebars.js fails four `sections` cases by design (no context-stack lookup); so must we.
    assert_eq!(spec_cases - spec_passed, 4, "the Mustache cases handlebars.js fails are the only ones we fail");
}
