#!/usr/bin/env bash
# Runs every test of dispute-rules: Rust (unit, integration, property, doc),
# Python (pytest + stubtest) and C/C++ (under valgrind). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

echo "== Rust: cargo test --workspace (unit, integration, property, doctests)"
cargo test --workspace --exclude dispute-rules-py

echo "== Rust: clippy (core lints: no unwrap/expect/panic/indexing, no unsafe)"
cargo clippy -p dispute-rules --all-targets -- -D warnings

echo "== Rust: cargo package -p dispute-rules (ready for cargo add)"
cargo package -p dispute-rules --allow-dirty --quiet

for part in bindings-py bindings-c; do
  if [ -x "$part/run-tests.sh" ]; then
    echo "== $part"
    "$part/run-tests.sh"
  fi
done
echo "== all tests passed"
