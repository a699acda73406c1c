#!/usr/bin/env bash
# Starts Letterpress on the bundled example project. Until the desktop app lands, this lists the
# bundled templates and checks them with the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p letterpress-cli
target/release/letterpress list --project templates
target/release/letterpress check --project templates
