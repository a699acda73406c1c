//! The pipeline on the bundled `templates/` project: compiling each template (cold, no cache),
//! and filling it with a data set once compiled (what switching data sets in the preview costs).

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use letterpress_core::compile::DiskReader;
use letterpress_core::{Pipeline, Project};

fn project_dir() -> PathBuf {
    std::env::var_os("LETTERPRESS_BENCH_PROJECT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates"))
}

fn pipeline(c: &mut Criterion) {
    let project = Project::load(&project_dir()).expect("the bundled project loads");
    let mut compile = c.benchmark_group("compile");
    for template in &project.templates {
        compile.bench_function(&template.name, |b| {
            b.iter(|| {
                let pipeline = Pipeline::new(Arc::new(DiskReader));
                pipeline.prepare(&project, template)
            })
        });
    }
    compile.finish();
    let mut fill = c.benchmark_group("fill");
    let pipeline = Pipeline::default();
    for template in &project.templates {
        let data_set = template.data_sets.first().map(|d| d.name.clone());
        let warm = pipeline.render(&project, &template.name, data_set.as_deref()).expect("the template renders");
        assert!(!warm.has_errors(), "{}: {:?}", template.name, warm.diagnostics);
        fill.bench_function(&template.name, |b| {
            b.iter(|| pipeline.render(&project, &template.name, data_set.as_deref()))
        });
    }
    fill.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = pipeline
}
criterion_main!(benches);
