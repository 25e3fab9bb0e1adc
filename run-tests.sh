#!/usr/bin/env bash
# Runs every test of dispute-rules: Rust (unit, integration, property, doc,
# clippy), the release artifacts (scripts/dist.sh builds them, then
# scripts/test-dist.sh installs and uses each as a user would), Python
# (pytest + stubtest, on the release wheel) and C/C++ (under valgrind).
# Prints the time of each step; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
started=$(date +%s)
# The Python tools (maturin, zig, auditwheel, pytest, mypy) in a virtualenv.
export PATH="$(scripts/tools-venv.sh):$PATH"
# Until LICENSE-MIT, LICENSE-APACHE and docs/rules.md exist at the root, the
# artifacts are built with marked placeholders and the checks that compare
# them say so loudly; once the files exist this changes nothing.
export DR_DIST_ALLOW_MISSING=1

step "Rust: cargo test --workspace (unit, integration, property, doctests)"
cargo test --workspace --exclude dispute-rules-py

step "Rust: clippy (core lints: no unwrap/expect/panic/indexing, no unsafe)"
cargo clippy -p dispute-rules --all-targets -- -D warnings

step "release artifacts: scripts/dist.sh (crate, sdist, abi3 manylinux2014 wheel, C tarball)"
scripts/dist.sh

step "release artifacts as a user: scripts/test-dist.sh"
scripts/test-dist.sh

step "bindings-py (on the release wheel)"
DR_WHEEL="$(ls dist/dispute_rules-*.whl | head -n 1)" bindings-py/run-tests.sh

step "bindings-c"
bindings-c/run-tests.sh

steps_report "./run-tests.sh: $(( $(date +%s) - started ))s"
echo "== all tests passed"
