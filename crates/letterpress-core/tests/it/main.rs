//! Integration tests of the core, one binary for the whole crate to keep link times down.

mod checks;
mod compat;
mod diagnostics;
mod dialects;
mod fill_robustness;
mod fuzz;
mod handlebars_js;
mod includes;
mod lints;
mod pipeline;
mod project;
mod scale;
mod support;
