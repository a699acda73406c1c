//! Tests of the real `letterpress` binary, one test binary for the crate.

mod build;
mod cli;
mod inputs;
mod online;
mod ownership;
mod sending;
mod stress;
mod support;
