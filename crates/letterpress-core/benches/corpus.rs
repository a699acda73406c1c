//! Compile time of each template of the reference MJML corpus, for side-by-side comparison with
//! the `mjml` package (`bench/compare-mjml.sh` reads the results criterion writes). Beside the
//! whole compile (`corpus`), `corpus-mrml` times mrml alone, parsing and rendering the text the
//! pipeline hands it: the floor under what the pipeline can reach.
//!
//! The corpus folder comes from `LETTERPRESS_CORPUS`, else `../shared/corpus/mjml-email-templates`
//! beside the repository; without it the benchmark says so and measures nothing.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use letterpress_core::compile::source::normalize_line_endings;
use letterpress_core::compile::{self, DiskReader, Limits, SourceFile, compat};
use mrml::prelude::parser::ParserOptions;
use mrml::prelude::render::RenderOptions;

fn corpus(c: &mut Criterion) {
    let Some((dir, files)) = common::corpus("corpus") else { return };
    let mut group = c.benchmark_group("corpus");
    for (path, raw) in &files {
        let (path, raw) = (path.clone(), raw.clone());
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let compiled = compile::compile_source(
            SourceFile::new(stem.clone(), path.clone(), &raw),
            &dir,
            &DiskReader,
            Limits::default(),
        );
        assert!(compiled.html.is_some(), "{stem} compiles: {:?}", compiled.diagnostics);
        group.bench_function(&stem, |b| {
            b.iter(|| {
                let file = SourceFile::new(stem.clone(), path.clone(), &raw);
                compile::compile_source(file, &dir, &DiskReader, Limits::default())
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("corpus-mrml");
    for (path, raw) in &files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let prepared = compat::prepare(&normalize_line_endings(raw)).text;
        group.bench_function(&stem, |b| {
            b.iter(|| {
                let parsed = mrml::parse_with_options(&prepared, &ParserOptions::default()).expect("mrml parses");
                parsed.element.render(&RenderOptions::default()).expect("mrml renders")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = corpus
}
criterion_main!(benches);
