//! Integration tests of the `letterpress` binary, run as a real process on temporary projects.

mod build;
