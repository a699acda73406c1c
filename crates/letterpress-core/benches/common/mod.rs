//! The reference MJML corpus the benchmarks compile.
//!
//! The folder comes from `LETTERPRESS_CORPUS`, else `../shared/corpus/mjml-email-templates` beside
//! the repository.

use std::path::PathBuf;

/// The corpus folder and its `.mjml` files in name order, each with its text; `None`, after
/// saying so, when there is no corpus.
pub fn corpus(bench: &str) -> Option<(PathBuf, Vec<(PathBuf, String)>)> {
    let dir = std::env::var_os("LETTERPRESS_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mjml-email-templates")
    });
    if !dir.is_dir() {
        eprintln!("{bench}: no MJML corpus found (set LETTERPRESS_CORPUS); nothing measured");
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mjml"))
        .collect();
    files.sort();
    let files = files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("corpus files are UTF-8");
            (path, text)
        })
        .collect();
    Some((dir, files))
}
