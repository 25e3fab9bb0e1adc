#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target of fuzz/ for a bounded time and fails on any
# crash (a panic, a broken invariant, a timeout, running out of memory).
#
#   scripts/fuzz.sh [seconds] [target...]
#
# seconds: per target (default 20); targets: default every one. Builds every
# target once with nightly (`cargo +nightly fuzz build`), then runs each
# from its seed corpus (fuzz/corpus/<target>, read only); the inputs it finds
# go to a working corpus, fuzz/target/corpus/<target>, emptied first unless
# DR_FUZZ_KEEP=1 (then a run goes on from the earlier runs' inputs). A
# crashing input is saved under fuzz/artifacts/<target>/; the message says
# how to replay it. The random seed is fixed (DR_FUZZ_SEED, default 1), so a
# run explores the same inputs in the same order on every machine: the test
# command passes or fails the same way for everyone (set another seed, or
# fuzz longer, to explore further). Environment: DR_FUZZ_SANITIZER (default `none`;
# `address` for ASan, slower), DR_FUZZ_STRICT=1 (the strict checks, on
# by default: see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [seconds] [target...] (seconds: a whole number, at least 1)" >&2
  exit 2
fi
[ "$#" -gt 0 ] && shift

fail() {
  echo >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!! FUZZING CANNOT RUN: $1" >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  exit 1
}

rustup run nightly rustc --version >/dev/null 2>&1 ||
  fail "the nightly Rust toolchain is missing (cargo-fuzz needs it): rustup toolchain install nightly --profile minimal"
cargo +nightly fuzz --version >/dev/null 2>&1 ||
  fail "cargo-fuzz is missing: cargo install cargo-fuzz --locked (.ci/run installs it)"

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi
[ "${#targets[@]}" -gt 0 ] || fail "cargo fuzz list names no target"

sanitizer="${DR_FUZZ_SANITIZER:-none}"
host="$(rustc +nightly -vV | sed -n 's/^host: //p')"
# cargo builds into $CARGO_TARGET_DIR when set (the test command sets it).
bin="${CARGO_TARGET_DIR:-$PWD/fuzz/target}/$host/release"

start=$(date +%s)
echo "building ${#targets[@]} fuzz targets (nightly, sanitizer $sanitizer, debug assertions)"
(cd fuzz && cargo +nightly fuzz build --sanitizer "$sanitizer" --debug-assertions)
echo "built in $(( $(date +%s) - start )) s; fuzzing each target for $seconds s"

failed=()
for t in "${targets[@]}"; do
  [ -x "$bin/$t" ] || fail "no fuzz target \`$t\` (known: $(cd fuzz && cargo +nightly fuzz list | tr '\n' ' '))"
  work="fuzz/target/corpus/$t"
  artifacts="fuzz/artifacts/$t"
  log="fuzz/target/logs/$t.log"
  # Fresh by default, so that the time per target stays bounded (libFuzzer
  # runs every input of its corpora once before its time limit counts).
  [ "${DR_FUZZ_KEEP:-0}" = 1 ] || rm -rf "$work"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  # The working corpus comes first: new inputs go there, the seeds stay as
  # committed.
  status=0
  "$bin/$t" "$work" "fuzz/corpus/$t" \
    -dict=fuzz/dict/json.dict -seed="${DR_FUZZ_SEED:-1}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [ "$status" -eq 0 ]; then
    echo "fuzz $t: ${runs:-?} inputs in $seconds s, no crash"
  else
    failed+=("$t")
    echo "fuzz $t: FAILED after ${runs:-?} inputs (exit $status); the end of its log ($log):"
    # The panic message (without its backtrace) and libFuzzer's verdict.
    awk '/panicked at/ {p = 1} /^stack backtrace:|^note: run with/ {p = 0}
         p || /^==[0-9]+== ERROR|ALARM|out-of-memory|Test unit written|^SUMMARY/' "$log" |
      cut -c1-2000 | sed 's/^/  | /'
    crash="$(ls -t "$artifacts" 2>/dev/null | head -n 1)"
    if [ -n "$crash" ]; then
      echo "  replay: $bin/$t $artifacts/$crash"
      echo "      or: (cd fuzz && cargo +nightly fuzz run --sanitizer $sanitizer --debug-assertions $t artifacts/$t/$crash)"
    fi
  fi
done

echo "fuzzing took $(( $(date +%s) - start )) s in all"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found a crash in: ${failed[*]}" >&2
  exit 1
fi
