//! Compile time of each template of the reference MJML corpus, for side-by-side comparison with
//! the `mjml` package (`bench/compare-mjml.sh` reads the results criterion writes).
//!
//! The corpus folder comes from `LETTERPRESS_CORPUS`, else `../shared/corpus/mjml-email-templates`
//! beside the repository; without it the benchmark says so and measures nothing.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use letterpress_core::compile::{self, DiskReader, Limits, SourceFile};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LETTERPRESS_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mjml-email-templates")
    });
    dir.is_dir().then_some(dir)
}

fn corpus(c: &mut Criterion) {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus: no MJML corpus found (set LETTERPRESS_CORPUS); nothing measured");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mjml"))
        .collect();
    files.sort();
    let mut group = c.benchmark_group("corpus");
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let raw = std::fs::read_to_string(&path).expect("corpus files are UTF-8");
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
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = corpus
}
criterion_main!(benches);
