//! Where a compile's time goes, over the whole reference corpus at once: preparing the MJML for
//! mrml, mrml's parse, mrml's render, and the repairs of its HTML. Each stage gets the previous
//! stage's output, made once before measuring.
//!
//! The corpus folder comes from `LETTERPRESS_CORPUS`, else `../shared/corpus/mjml-email-templates`
//! beside the repository; without it the benchmark says so and measures nothing.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use letterpress_core::compile::source::normalize_line_endings;
use letterpress_core::compile::{self, compat};
use mrml::prelude::parser::ParserOptions;
use mrml::prelude::render::RenderOptions;

fn stages(c: &mut Criterion) {
    let Some((_, files)) = common::corpus("stages") else { return };
    let texts: Vec<(std::path::PathBuf, String)> =
        files.into_iter().map(|(path, raw)| (path, normalize_line_endings(&raw))).collect();
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
