//! Tests of the real `letterpress` binary, one test binary for the crate.

mod cli;
mod support;
