//! Where a compile's time goes, over the whole reference corpus at once: preparing the MJML for
//! mrml, mrml's parse, mrml's render, and the repairs of its HTML. Each stage gets the previous
//! stage's output, made once before measuring.
//!
//! The corpus folder comes from `LETTERPRESS_CORPUS`, else `../shared/corpus/mjml-email-templates`
//! beside the repository; without it the benchmark says so and measures nothing.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use letterpress_core::compile::source::normalize_line_endings;
use letterpress_core::compile::{self, compat};
use mrml::prelude::parser::ParserOptions;
use mrml::prelude::render::RenderOptions;

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LETTERPRESS_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mjml-email-templates")
    });
    dir.is_dir().then_some(dir)
}

fn stages(c: &mut Criterion) {
    let Some(dir) = corpus_dir() else {
        eprintln!("stages: no MJML corpus found (set LETTERPRESS_CORPUS); nothing measured");
        return;
    };
    let mut texts: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .expect("the corpus folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mjml"))
        .map(|p| {
            let raw = std::fs::read_to_string(&p).expect("corpus files are UTF-8");
            (p, normalize_line_endings(&raw))
        })
        .collect();
    texts.sort();
    let prepared: Vec<compat::Prepared> = texts.iter().map(|(_, text)| compat::prepare(text)).collect();
    let parse = |text: &str| mrml::parse_with_options(text, &ParserOptions::default()).expect("mrml parses the corpus");
    let rendered: Vec<String> = prepared
        .iter()
        .map(|p| parse(&p.text).element.render(&RenderOptions::default()).expect("mrml renders the corpus"))
        .collect();

    let mut group = c.benchmark_group("stages");
    group.bench_function("validate", |b| {
        b.iter(|| texts.iter().map(|(_, t)| compile::validate::validate(t).len()).sum::<usize>())
    });
    group.bench_function("prepare", |b| {
        b.iter(|| texts.iter().map(|(_, t)| compat::prepare(t).text.len()).sum::<usize>())
    });
    group.bench_function("mrml-parse", |b| {
        b.iter(|| prepared.iter().map(|p| parse(&p.text).warnings.len()).sum::<usize>())
    });
    let parsed: Vec<_> = prepared.iter().map(|p| parse(&p.text)).collect();
    group.bench_function("mrml-render", |b| {
        b.iter(|| {
            parsed.iter().map(|p| p.element.render(&RenderOptions::default()).map_or(0, |h| h.len())).sum::<usize>()
        })
    });
    group.bench_function("repair", |b| {
        b.iter(|| prepared.iter().zip(&rendered).map(|(p, html)| p.repair(html.clone()).len()).sum::<usize>())
    });
    group.bench_function("clone-html", |b| b.iter(|| rendered.iter().map(|html| html.clone().len()).sum::<usize>()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
