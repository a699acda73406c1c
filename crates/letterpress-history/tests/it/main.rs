//! Integration tests of the send history against real SQLite files.
mod migrations;
mod pending;
mod records;
mod support;
