#!/usr/bin/env bash
# The whole test suite. Installs and starts whatever the tests need, and stops
# it again; today that is only the Rust toolchain the machine already has.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --locked --all-targets
cargo test --workspace --locked --doc
