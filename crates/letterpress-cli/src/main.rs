//! The `letterpress` binary: argument parsing plus glue over the core.
fn main() {}
