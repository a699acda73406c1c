//! Compile time against input size: generated documents of 1, 2, 4, 8 and 16 MB, of two shapes —
//! many sections, and one element with very many attributes — each compiled as the `compile`
//! command compiles it. Prints the time per MB for each size; it must not rise with the size.
//!
//! `cargo bench -p letterpress-core --bench scale` (or `bench/scale.sh`). `LETTERPRESS_SCALE_MB`
//! lists other sizes (`1,2,4`); `LETTERPRESS_SCALE_RUNS` sets the rounds (default 10): each round
//! compiles every size once, and the fastest compile of each size is shown. With
//! `LETTERPRESS_SCALE_WRITE=DIR`, the documents are written into DIR instead of compiled.

use std::time::{Duration, Instant};

use letterpress_core::compile::{self, DiskReader, Limits, SourceFile};

const MB: usize = 1 << 20;

/// Makes a document of about the given number of bytes.
type Generator = fn(usize) -> String;

/// A document of about `bytes` bytes made of sections, each with columns, text, an image and a
/// button, as long templates are.
fn sections(bytes: usize) -> String {
    const SECTION: &str = r##"<mj-section background-color="#f4f4f4" padding="10px 0"><mj-column width="50%"><mj-text font-size="14px" color="#333333">Section NUMBER: <b>bold</b> and <a href="https://example.com/NUMBER">a link</a>.</mj-text><mj-image src="https://example.com/NUMBER.png" alt="Picture NUMBER" width="200px" /></mj-column><mj-column width="50%"><mj-button href="https://example.com/buy/NUMBER" background-color="#ff6600">Buy NUMBER</mj-button><mj-divider border-color="#cccccc" /></mj-column></mj-section>
"##;
    let mut body = String::with_capacity(bytes + SECTION.len());
    let mut number = 0;
    while body.len() < bytes {
        body.push_str(&SECTION.replace("NUMBER", &number.to_string()));
        number += 1;
    }
    format!("<mjml><mj-head><mj-title>Scale</mj-title></mj-head><mj-body>\n{body}</mj-body></mjml>\n")
}

/// A document of about `bytes` bytes that is mostly one `mj-text` tag with distinct attributes
/// the element does not know, each of which is a warning.
fn attributes(bytes: usize) -> String {
    let mut tag = String::with_capacity(bytes + 32);
    let mut number = 0;
    while tag.len() < bytes {
        tag.push_str(&format!(" data-a{number}=\"x\""));
        number += 1;
    }
    format!(
        "<mjml><mj-body><mj-section><mj-column><mj-text{tag}>hi</mj-text></mj-column></mj-section></mj-body></mjml>\n"
    )
}

/// The document of `mb` MB that `make` makes: a little under the size, so that 16 MB stays within
/// the compiler's default limit.
fn document(make: Generator, mb: usize) -> String {
    make(mb * MB - 1024)
}

/// How long one compile of `text` takes.
fn time(text: &str) -> Duration {
    let dir = std::env::temp_dir();
    let file = SourceFile::new("scale.mjml".into(), dir.join("scale.mjml"), text);
    let started = Instant::now();
    let compiled = compile::compile_source(file, &dir, &DiskReader, Limits::default());
    let elapsed = started.elapsed();
    assert!(compiled.html.is_some(), "{:?}", compiled.diagnostics.iter().find(|d| d.is_error()));
    elapsed
}

fn main() {
    // `cargo test --benches` runs every bench once in test mode; a quick pass is enough there.
    let quick = std::env::args().any(|arg| arg == "--test");
    let sizes: Vec<usize> = match std::env::var("LETTERPRESS_SCALE_MB") {
        Ok(list) => list.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) if quick => vec![1],
        Err(_) => vec![1, 2, 4, 8, 16],
    };
    let runs = std::env::var("LETTERPRESS_SCALE_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(10);
    let shapes: [(&str, Generator); 2] = [("many sections", sections), ("one element, many attributes", attributes)];
    // `bench/scale.sh` also times the command on the same documents, each compile in a process
    // of its own; this writes them out for it (`<n>-<MB>.mjml`, shapes numbered from 1).
    if let Ok(dir) = std::env::var("LETTERPRESS_SCALE_WRITE") {
        for (number, (_, make)) in shapes.iter().enumerate() {
            for &mb in &sizes {
                let path = std::path::Path::new(&dir).join(format!("{}-{mb}.mjml", number + 1));
                std::fs::write(&path, document(*make, mb)).expect("the generated document can be written");
            }
        }
        return;
    }
    println!("| document | MB | compile | per MB | per MB / per MB at the smallest size |");
    println!("|---|---:|---:|---:|---:|");
    for (name, make) in shapes {
        let texts: Vec<String> = sizes.iter().map(|&mb| document(make, mb)).collect();
        // The sizes take turns, round after round, so that a slow spell of the machine falls on
        // all of them alike rather than on one; the fastest round of each size is shown.
        let mut fastest = vec![Duration::MAX; texts.len()];
        for _ in 0..if quick { 1 } else { runs } {
            for (text, best) in texts.iter().zip(&mut fastest) {
                *best = (*best).min(time(text));
            }
        }
        let mut first = None;
        for ((mb, text), taken) in sizes.iter().zip(&texts).zip(fastest) {
            let per_mb = taken.as_secs_f64() * 1000.0 * MB as f64 / text.len() as f64;
            let base = *first.get_or_insert(per_mb);
            println!(
                "| {name} | {mb} | {:.0} ms | {per_mb:.1} ms | {:.2} |",
                taken.as_secs_f64() * 1000.0,
                per_mb / base
            );
        }
    }
}
