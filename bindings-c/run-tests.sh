#!/usr/bin/env bash
# Tests of the dispute-rules C library, run from anywhere:
#
#   bindings-c/run-tests.sh
#
# 1. the committed header is what cbindgen 0.29.4 generates today (a Rust test
#    using cbindgen as a pinned library: no install needed), plus the Rust-side
#    tests of the C ABI (answers equal api::call byte for byte);
# 2. builds the static and shared library (DR_C_PROFILE=debug|release, default
#    debug, which reuses the artifacts of `cargo test`);
# 3. compiles every C and C++ test and example with -Wall -Wextra -Werror
#    (static and shared linking, and through the pkg-config file);
# 4. runs them;
# 5. runs them again under valgrind (zero errors, zero definite or indirect
#    leaks), or AddressSanitizer when valgrind cannot be had (or when
#    DR_C_CHECKER=asan).
#
# Prints `N passed, M failed` for the C and C++ tests last (a program failing
# under valgrind, or an example failing, counts as a failed test) and exits
# non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

profile="${DR_C_PROFILE:-debug}"
case "$profile" in
  debug) cargo_profile=() ;;
  release) cargo_profile=(--release) ;;
  *) echo "DR_C_PROFILE must be debug or release" >&2; exit 2 ;;
esac
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
lib_dir="$target_dir/$profile"
out="$target_dir/c-tests/$profile"
data="$root/dispute-rules/tests/data"
mkdir -p "$out"
# The panic test prints one line, not a backtrace.
export RUST_BACKTRACE=0

step() { printf "\n== bindings-c: %s (at %ss)\n" "$*" "$(( $(date +%s) - start ))"; }
start=$(date +%s)

step "1/5 header is current (cbindgen 0.29.4) and Rust tests of the C ABI"
cargo test -p dispute-rules-c "${cargo_profile[@]}"
if command -v cbindgen >/dev/null 2>&1 && [ "$(cbindgen --version)" = "cbindgen 0.29.4" ]; then
  # Belt and braces: the installed CLI agrees too.
  (cd "$here" && cbindgen --quiet --config cbindgen.toml --output "$out/dispute_rules.h")
  diff -u "$here/include/dispute_rules.h" "$out/dispute_rules.h"
  echo "cbindgen 0.29.4 CLI: header is current"
fi

step "2/5 build libdispute_rules_c.a and libdispute_rules_c.so ($profile)"
cargo build -p dispute-rules-c "${cargo_profile[@]}"
ls -l "$lib_dir/libdispute_rules_c.a" "$lib_dir/libdispute_rules_c.so"

step "3/5 compile C and C++ tests and examples (-Wall -Wextra -Werror)"
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -g -I"$here/include" -I"$here/tests")
cxxflags=(-std=c++17 -Wall -Wextra -Werror -pedantic -g -I"$here/include" -I"$here/tests")
static_libs=("$lib_dir/libdispute_rules_c.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)
shared_libs=(-L"$lib_dir" -ldispute_rules_c -Wl,-rpath,"$lib_dir")
sanitize=()
checker="${DR_C_CHECKER:-}"  # valgrind or asan; default: valgrind when it can be had
if [ -z "$checker" ] && ! command -v valgrind >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "valgrind is missing: installing it"
  (apt-get install -y -qq valgrind >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq valgrind; }) || true
fi
if [ -z "$checker" ] && command -v valgrind >/dev/null 2>&1; then
  checker=valgrind
elif [ "$checker" != valgrind ]; then
  checker=asan
  sanitize=(-fsanitize=address -fno-omit-frame-pointer)
  echo "step 5 uses AddressSanitizer with LeakSanitizer (valgrind unavailable or DR_C_CHECKER=asan)"
fi
tests=()     # name
examples=()  # name
jobs_max="$(nproc 2>/dev/null || echo 2)"
throttle() { while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 0.2; done; }
build_pids=()
build() {  # name compiler flags... sources and libs... (in the background)
  local name="$1"; shift
  echo "  $name"
  (
    "$@" -o "$out/$name"
    if [ "$checker" = asan ]; then
      "$@" "${sanitize[@]}" -o "$out/$name.asan"
    fi
  ) &
  build_pids+=($!)
  throttle
}
for src in "$here"/tests/*.c; do
  name="$(basename "$src" .c)"
  build "$name" gcc "${cflags[@]}" "$src" "${static_libs[@]}"
  tests+=("$name")
done
for src in "$here"/tests/*.cpp; do
  name="$(basename "$src" .cpp)"
  build "$name" g++ "${cxxflags[@]}" "$src" "${static_libs[@]}"
  tests+=("$name")
done
# The shared library, too.
build test_api_shared gcc "${cflags[@]}" "$here/tests/test_api.c" "${shared_libs[@]}"
tests+=(test_api_shared)
for src in "$here"/examples/*.c; do
  name="example_$(basename "$src" .c)"
  build "$name" gcc "${cflags[@]}" "$src" "${static_libs[@]}"
  examples+=("$name")
done
for src in "$here"/examples/*.cpp; do
  name="example_$(basename "$src" .cpp)_cpp"
  build "$name" g++ "${cxxflags[@]}" "$src" "${static_libs[@]}"
  examples+=("$name")
done
# The C blocks of every README (this one's included) are compiled, run and
# checked under valgrind by scripts/check_docs.py snippets (run-tests.sh).
# Through the pkg-config file, as an installed copy would be linked.
if command -v pkg-config >/dev/null 2>&1; then
  mkdir -p "$out/pkgconfig"
  version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
  sed -e "s|@PREFIX@|$root|" -e "s|@LIBDIR@|$lib_dir|" -e "s|@INCLUDEDIR@|$here/include|" \
      -e "s|@VERSION@|$version|" "$here/dispute_rules.pc.in" > "$out/pkgconfig/dispute_rules.pc"
  read -r -a pc_static <<<"$(PKG_CONFIG_PATH="$out/pkgconfig" pkg-config --static --cflags --libs dispute_rules)"
  # --static would still pick the .so when both exist: name the archive.
  pc_static=("${pc_static[@]/-ldispute_rules_c/$lib_dir/libdispute_rules_c.a}")
  build example_assess_pkgconfig gcc "${cflags[@]}" "$here/examples/assess.c" "${pc_static[@]}"
  examples+=(example_assess_pkgconfig)
else
  echo "  (pkg-config not installed: the .pc link check is skipped)"
fi
for pid in "${build_pids[@]}"; do
  wait "$pid" || { echo "bindings-c: a C/C++ program does not compile" >&2; exit 1; }
done

passed=0
failed=0
count() {  # add the "N passed, M failed" of a test's output
  local line p f
  line="$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 || true)"
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    return
  fi
  p="$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")"
  f="$(sed -E 's/.*passed, ([0-9]+) failed.*/\1/' <<<"$line")"
  passed=$((passed + p))
  failed=$((failed + f))
}

step "4/5 run"
for t in "${tests[@]}"; do
  if "$out/$t" "$data" >"$out/$t.log" 2>&1; then
    status=ok
  else
    status=FAILED
  fi
  count "$out/$t.log"
  grep -E '^(FAIL|skip)|check failed|failed:' "$out/$t.log" || true
  echo "  $t: $status ($(grep -E '^[a-z_]+: [0-9]+ passed' "$out/$t.log" | tail -n 1 | sed 's/^[a-z_]*: //'))"
  if [ "$status" = FAILED ] && ! grep -qE ' [1-9][0-9]* failed' "$out/$t.log"; then
    failed=$((failed + 1))  # a crash or a non-zero exit without a failed test
  fi
done
for e in "${examples[@]}"; do
  if "$out/$e" "$data/not_received.json" >"$out/$e.log" 2>&1; then
    echo "  $e: ok ($(head -c 60 "$out/$e.log")...)"
  else
    echo "  $e: FAILED"; cat "$out/$e.log"
    failed=$((failed + 1))
  fi
done

step "5/5 run under $checker: zero errors, zero leaks"
# One checked run per program, several at a time (valgrind mostly waits on
# loading debug information).
check_one() {  # prog arg -> writes $out/$prog.check (0 or 1)
  local prog="$1" arg="$2" rc=0
  if [ "$checker" = valgrind ]; then
    valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --show-leak-kinds=definite,indirect "$out/$prog" "$arg" >"$out/$prog.check.log" 2>&1 || rc=1
  else
    ASAN_OPTIONS=detect_leaks=1 "$out/$prog.asan" "$arg" >"$out/$prog.check.log" 2>&1 || rc=1
  fi
  echo "$rc" >"$out/$prog.check"
}
for prog in "${tests[@]}" "${examples[@]}"; do
  arg="$data"
  case "$prog" in example_*) arg="$data/not_received.json" ;; esac
  rm -f "$out/$prog.check"
  check_one "$prog" "$arg" &
  throttle
done
wait
for prog in "${tests[@]}" "${examples[@]}"; do
  if [ "$(cat "$out/$prog.check" 2>/dev/null || echo 1)" = 0 ]; then
    echo "  $prog: clean"
  else
    echo "  $prog: FAILED under $checker"
    grep -E '==[0-9]+==|FAIL|failed|ERROR|SUMMARY' "$out/$prog.check.log" | head -n 40 || true
    failed=$((failed + 1))
  fi
done

echo
echo "bindings-c: C/C++ tests, examples and $checker in $(( $(date +%s) - start ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
