#!/usr/bin/env bash
# Runs every test of dispute-rules: the documentation checks (links, rule ids,
# licences, MSRV), Rust (unit, integration, property, doc, clippy), a
# bounded run of every fuzz target (DR_FUZZ_SECONDS each, default 10), the
# release artifacts (scripts/dist.sh builds them, then scripts/test-dist.sh
# installs and uses each as a user would), Python (pytest + stubtest, on the
# release wheel), C/C++ (under valgrind) and every code block of the READMEs.
# Prints the time of each step; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
# No incremental caches: every build here starts from a clean checkout in CI.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
started=$(date +%s)
# The Python tools (maturin, zig, auditwheel, pytest, mypy) in a virtualenv.
export PATH="$(scripts/tools-venv.sh):$PATH"

step "Docs: links and paths stay in the repository, rule ids defined, licences and rules reference in the package, MSRV of the dependencies"
python3 scripts/check_docs.py repo

step "Rust: cargo test --workspace (unit, integration, property, doctests incl. the READMEs' Rust blocks, the rules reference against the engine)"
cargo test --workspace --exclude dispute-rules-py

step "Rust: clippy (core lints: no unwrap/expect/panic/indexing, no unsafe; incompatible_msrv against rust-version)"
cargo clippy -p dispute-rules --all-targets -- -D warnings
cargo clippy -p dispute-rules-c -p dispute-rules-examples --lib --bins -- -A clippy::all -D clippy::incompatible_msrv

step "Fuzzing: every cargo-fuzz target of fuzz/ for ${DR_FUZZ_SECONDS:-10} s, failing on any crash (needs nightly and cargo-fuzz; see fuzz/README.md)"
scripts/fuzz.sh "${DR_FUZZ_SECONDS:-10}"

step "release artifacts: scripts/dist.sh (crate, sdist, abi3 manylinux2014 wheel, C tarball)"
scripts/dist.sh

step "Rust: the packaged crate (dist/) with its rust-version toolchain (when installed)"
python3 scripts/check_docs.py msrv

step "release artifacts as a user: scripts/test-dist.sh"
scripts/test-dist.sh

step "bindings-py (on the release wheel)"
DR_WHEEL="$(ls dist/dispute_rules-*.whl | head -n 1)" bindings-py/run-tests.sh

step "bindings-c"
bindings-c/run-tests.sh

step "README snippets: every code block run or compiled as printed (after the Python package and the C library are built)"
python3 scripts/check_docs.py snippets

steps_report "./run-tests.sh: $(( $(date +%s) - started ))s"
echo "== all tests passed"
