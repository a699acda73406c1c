//! The fill engine under hostile input: generated templates made of Handlebars fragments never
//! make it panic, every syntax error lies inside the template, and fills that would run away
//! (loops over loops, deep nesting) stop with a clear error instead of filling the memory.

use letterpress_core::fill::{Part, Settings, Template};
use proptest::prelude::*;
use serde_json::json;

fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "{{",
        "}}",
        "{{{",
        "}}}",
        "{{#if a}}",
        "{{/if}}",
        "{{#each l}}",
        "{{/each}}",
        "{{else}}",
        "{{^a}}",
        "{{/a}}",
        "{{#with o}}",
        "{{/with}}",
        "{{this}}",
        "{{.}}",
        "{{../a}}",
        "{{@index}}",
        "{{@root.a}}",
        "{{~a~}}",
        "{{!-- c --}}",
        "{{! c }}",
        "{{lookup o \"k\"}}",
        "{{a.b.c}}",
        "{{[x y]}}",
        "\\{{a}}",
        "\\\\{{a}}",
        "(",
        ")",
        "=",
        "\"",
        "'",
        "|",
        "as |x|",
        "~",
        "\n",
        " ",
        "  \n",
        "text",
        "é🌲",
        "{{#each l as |x i|}}{{x}}{{i}}",
        "{{> p}}",
        "{{else if a}}",
        "{{#a}}",
        "{{elsewhere}}",
        "{{1.5}}",
        "{{-1}}",
        "{{true}}",
        "{{null}}",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_template_parses_or_fails_cleanly(parts in prop::collection::vec(fragment(), 0..40)) {
        let source: String = parts.concat();
        let data = json!({"a": 1, "l": [1, {"b": 2}], "o": {"k": "v", "b": {"c": 3}}});
        match Template::parse(&source) {
            Ok(template) => {
                for dialect in letterpress_core::fill::DialectName::ALL {
                    let settings = Settings::new(dialect, &[]);
                    for part in [Part::Html, Part::Text] {
                        let _ = template.fill(&data, &settings, part);
                        let _ = template.trace(&data, &settings, part);
                    }
                }
            }
            Err(error) => {
                prop_assert!(error.span.start <= error.span.end && error.span.end <= source.len(), "{error:?} in {source:?}");
                prop_assert!(source.is_char_boundary(error.span.start), "{error:?}");
                prop_assert!(!error.message.is_empty());
            }
        }
    }
}

#[test]
fn loops_over_loops_stop_with_a_clear_error() {
    let thousand: Vec<u32> = (0..1000).collect();
    let data = json!({"a": thousand, "b": thousand, "c": thousand});
    // A billion steps that print nothing, and a billion that print a character each.
    let template = Template::parse("{{#each a}}{{#each ../b}}{{#each ../../c}}{{/each}}{{/each}}{{/each}}").unwrap();
    let error = template.fill(&data, &Settings::default(), Part::Subject).unwrap_err();
    assert!(error.message.starts_with("filling takes more than"), "{}", error.message);
    let template = Template::parse("{{#each a}}{{#each ../b}}{{#each ../../c}}x{{/each}}{{/each}}{{/each}}").unwrap();
    let error = template.fill(&data, &Settings::default(), Part::Subject).unwrap_err();
    assert!(error.message.starts_with("filling takes more than"), "{}", error.message);
    // Tracing (what `check` runs for every data set) stops at the same bound.
    let usage = template.trace(&data, &Settings::default(), Part::Subject);
    assert!(usage.used.contains("a") && usage.used.contains("c"), "{:?}", usage.used);
    let big = "x".repeat(1 << 20);
    let template = Template::parse("{{#each a}}{{../big}}{{/each}}").unwrap();
    let error = template
        .fill(&json!({"a": (0..20).collect::<Vec<u32>>(), "big": big}), &Settings::default(), Part::Html)
        .unwrap_err();
    assert!(error.message.contains("larger than 16 MiB"), "{}", error.message);
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = "{{#a}}".repeat(5000) + &"{{/a}}".repeat(5000);
    let error = Template::parse(&deep).unwrap_err();
    assert!(error.message.contains("nested more than"), "{}", error.message);
    let subexpressions = "{{x ".to_owned() + &"(a ".repeat(5000) + &")".repeat(5000) + "}}";
    assert!(Template::parse(&subexpressions).unwrap_err().message.contains("nested more than"));
    // A long flat template is fine.
    let long = "{{a}} ".repeat(200_000);
    let filled = Template::parse(&long).unwrap().fill(&json!({"a": 1}), &Settings::default(), Part::Html).unwrap();
    assert_eq!(filled.len(), 400_000);
}
