//! Integration tests of the core, in one binary to keep link times down.

mod compat;
mod fuzz;
