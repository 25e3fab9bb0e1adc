#!/usr/bin/env bash
# Builds the `dispute_rules` Python package and runs its checks:
#   1. a release wheel (maturin), installed into a virtualenv that sees the
#      system site-packages (so installed tools are reused, nothing global is
#      touched);
#   2. the Rust engine's own answers on the shared samples
#      (examples/rust_answers.rs), for the Python-equals-Rust test;
#   3. pytest (tests/; the Arrow tests with pyarrow, polars, pandas and
#      duckdb, the Spark test with pyspark in local mode: it needs Java 17);
#   4. mypy.stubtest: the committed stubs against the compiled module;
#   5. mypy --strict on the package, tests and benchmark.
#
# Needs Rust (cargo), Python >= 3.10 and Java 17 (for Spark); installs
# maturin, pytest, mypy, pyarrow, polars, pandas, duckdb and pyspark (a
# 450 MB download, once) into the virtualenv if they are missing. Reuses
# $CARGO_TARGET_DIR (default <repo>/target) so rebuilds are incremental.
#
# Usage: bindings-py/run-tests.sh [pytest args...]
# Environment: PYTHON (default python3), CARGO_TARGET_DIR, DR_WHEEL (a built
# wheel to test instead of building one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
python="${PYTHON:-python3}"
venv="$CARGO_TARGET_DIR/py-venv"

step() { printf '\n== %s\n' "$*"; }

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    { echo "dispute_rules needs Python >= 3.10 ($python is $("$python" -V 2>&1))" >&2; exit 1; }

if [ ! -x "$venv/bin/python" ]; then
    step "virtualenv $venv"
    "$python" -m venv --system-site-packages "$venv"
fi
py="$venv/bin/python"

maturin="$(command -v "$venv/bin/maturin" maturin 2>/dev/null | head -n1 || true)"
missing=()
[ -n "$maturin" ] || missing+=(maturin)
"$py" -c 'import pytest' 2>/dev/null || missing+=(pytest)
"$py" -c 'import mypy.stubtest' 2>/dev/null || missing+=(mypy)
# The Arrow tables' tests: every input flavour, and Spark's mapInArrow.
for module in pyarrow polars pandas duckdb pyspark; do
    "$py" -c "import $module" 2>/dev/null || missing+=("$module")
done
if [ ${#missing[@]} -gt 0 ]; then
    step "pip install ${missing[*]}"
    "$py" -m pip install --quiet "${missing[@]}"
    maturin="${maturin:-$venv/bin/maturin}"
fi

if [ -n "${DR_WHEEL:-}" ]; then
    # ./run-tests.sh passes the release wheel scripts/dist.sh just built.
    step "install the release wheel $(basename "$DR_WHEEL")"
    "$py" -m pip install --quiet --force-reinstall --no-deps "$DR_WHEEL"
else
    step "build and install the wheel (release)"
    wheels="$CARGO_TARGET_DIR/wheels"
    rm -f "$wheels"/dispute_rules-*.whl
    "$maturin" build --release --quiet --interpreter "$py" --out "$wheels" \
        --manifest-path "$here/Cargo.toml"
    "$py" -m pip install --quiet --force-reinstall --no-deps "$wheels"/dispute_rules-*.whl
fi

step "Rust answers on the shared samples"
answers="$CARGO_TARGET_DIR/rust_answers.jsonl"
# A debug build: it shares the core's artifacts with `cargo test`, and its
# pyo3 build does not collide with maturin's (release, other settings).
(cd "$root" && PYO3_PYTHON="$py" cargo run --quiet -p dispute-rules-py --example rust_answers \
    -- "$root/dispute-rules/tests/data" >"$answers")
export DISPUTE_RULES_RUST_ANSWERS="$answers"

cd "$here"
step "pytest"
"$py" -m pytest tests "$@"

step "stubtest (committed stubs vs the compiled module)"
"$py" -m mypy.stubtest dispute_rules --allowlist stubtest-allowlist.txt

step "mypy --strict (package, tests, benchmark)"
"$py" -m mypy

echo
echo "bindings-py: all checks passed"
