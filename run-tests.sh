#!/usr/bin/env bash
# Runs every test of dispute-rules: the documentation checks (links, rule ids,
# licences, MSRV), Rust (unit, integration, property, doc), a bounded run of
# every fuzz target (DR_FUZZ_SECONDS each, default 20), Python (pytest +
# stubtest), C/C++ (under valgrind) and every code block of the READMEs.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

echo "== Docs: links and paths stay in the repository, rule ids defined, licences and rules reference in the package, MSRV of the dependencies"
python3 scripts/check_docs.py repo

echo "== Rust: cargo test --workspace (unit, integration, property, doctests incl. the READMEs' Rust blocks, the rules reference against the engine)"
cargo test --workspace --exclude dispute-rules-py

echo "== Rust: clippy (core lints: no unwrap/expect/panic/indexing, no unsafe; incompatible_msrv against rust-version)"
cargo clippy -p dispute-rules --all-targets -- -D warnings
cargo clippy -p dispute-rules-c -p dispute-rules-examples --lib --bins -- -A clippy::all -D clippy::incompatible_msrv

echo "== Fuzzing: every cargo-fuzz target of fuzz/ for ${DR_FUZZ_SECONDS:-20} s, failing on any crash (needs nightly and cargo-fuzz; see fuzz/README.md)"
scripts/fuzz.sh "${DR_FUZZ_SECONDS:-20}"

echo "== Rust: cargo package -p dispute-rules (ready for cargo add)"
cargo package -p dispute-rules --allow-dirty --quiet

echo "== Rust: the packaged crate with its rust-version toolchain (when installed)"
python3 scripts/check_docs.py msrv

for part in bindings-py bindings-c; do
  if [ -x "$part/run-tests.sh" ]; then
    echo "== $part"
    "$part/run-tests.sh"
  fi
done
echo "== README snippets: every code block run or compiled as printed (after the Python package and the C library are built)"
python3 scripts/check_docs.py snippets

echo "== all tests passed"
