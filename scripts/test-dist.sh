#!/usr/bin/env bash
# Uses each artifact of dist/ (scripts/dist.sh) the way a user would:
#
# 1. the wheel and the sdist, each installed into a fresh virtualenv by pip,
#    then scripts/smoke_python.py (metadata, licences, one answer);
# 2. the C tarball: unpacked, `make install` into a temporary prefix with no
#    cargo on PATH, then the install-and-link commands of bindings-c/README.md
#    run as written (pkg-config, shared and static) and the README's CMake
#    project (find_package), each program run with no LD_LIBRARY_PATH; a
#    CMake request for another version must fail; `make uninstall` must
#    leave the prefix empty;
# 3. from a checkout: `make -C bindings-c` (build and stage), then
#    `make -C bindings-c install` and `uninstall` with no cargo on PATH;
# 4. the crate: a scratch crate that depends on `dispute-rules` from the
#    unpacked .crate ([patch.crates-io]), built offline and run.
#
# Prints the time of each step. Environment: DR_DIST_DIR (default dist).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"

dist="${DR_DIST_DIR:-$root/dist}"
work="$CARGO_TARGET_DIR/test-dist"
c_name="dispute_rules-$version-x86_64-linux-gnu"
wheel="$(ls "$dist"/dispute_rules-"$version"-*.whl 2>/dev/null | head -n 1)"
sdist="$dist/dispute_rules-$version.tar.gz"
crate="$dist/dispute-rules-$version.crate"
tarball="$dist/$c_name.tar.gz"
for f in "$wheel" "$sdist" "$crate" "$tarball"; do
  [ -n "$f" ] && [ -f "$f" ] || die "missing artifact ${f:-(wheel)}: run scripts/dist.sh first"
done
rm -rf "$work"
mkdir -p "$work"
facts="$root/dispute-rules/tests/data/not_received.json"
started=$(date +%s)
python="${PYTHON:-python3}"

# The licence and rules files inside an artifact equal the repository's
# (skipped, loudly, while a repository file is missing or a placeholder).
same_docs() {  # label dir-with-the-files [file...] (default: all of dist_docs)
  local label="$1" dir="$2" f
  shift 2
  local files=("$@")
  [ ${#files[@]} -gt 0 ] || files=("${dist_docs[@]}")
  for f in "${files[@]}"; do
    if [ ! -f "$root/$f" ] || is_placeholder "$root/$f"; then
      warn_loud "$label: not checking $f: it is missing at the repository root"
      continue
    fi
    cmp -s "$root/$f" "$dir/$(basename "$f")" || cmp -s "$root/$f" "$dir/$f" ||
      die "$label: $f differs from the repository's (or is missing)"
  done
}

step "wheel: pip install into a fresh virtualenv, smoke test"
"$python" -m venv "$work/venv-wheel"
"$work/venv-wheel/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
"$work/venv-wheel/bin/python" "$root/scripts/smoke_python.py" "$version" "$facts"
mkdir -p "$work/wheel" && (cd "$work/wheel" && python3 -m zipfile -e "$wheel" .)
same_docs wheel "$(ls -d "$work"/wheel/*.dist-info/licenses)" LICENSE-MIT LICENSE-APACHE
grep -qx 'Tag: cp310-abi3-manylinux_2_17_x86_64' "$work"/wheel/*.dist-info/WHEEL ||
  die "the wheel's WHEEL file lacks Tag: cp310-abi3-manylinux_2_17_x86_64"
grep -q '^Tag: ' "$work"/wheel/*.dist-info/WHEEL && grep '^Tag: ' "$work"/wheel/*.dist-info/WHEEL | sed 's/^/  /'

step "sdist: pip install (builds from source with maturin), smoke test"
"$python" -m venv "$work/venv-sdist"
# The build reuses the compiled dependencies of target/ (same Cargo.lock and
# release profile).
CARGO_TARGET_DIR="$CARGO_TARGET_DIR" "$work/venv-sdist/bin/pip" install --quiet \
  --disable-pip-version-check "$sdist"
"$work/venv-sdist/bin/python" "$root/scripts/smoke_python.py" "$version" "$facts"
tar -xzf "$sdist" -C "$work"
same_docs sdist "$work/dispute_rules-$version" LICENSE-MIT LICENSE-APACHE

step "C: make install from the tarball (no cargo), README commands, CMake, uninstall"
mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
unpacked="$work/unpacked/$c_name"
so="$unpacked/lib/libdispute_rules.so.$version"
output_has 'Library soname: \[libdispute_rules\.so\.0\]' readelf -d "$so" || die "SONAME is not libdispute_rules.so.0"
[ "$(readlink "$unpacked/lib/libdispute_rules.so.0")" = "libdispute_rules.so.$version" ] || die "bad .so.0 link"
[ "$(readlink "$unpacked/lib/libdispute_rules.so")" = libdispute_rules.so.0 ] || die "bad .so link"
same_docs "C tarball" "$unpacked/share/doc/dispute_rules"
# Install with a PATH that has no cargo (as root after a build elsewhere).
plain_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if env PATH="$plain_path" sh -c 'command -v cargo' >/dev/null; then
  echo "  (cargo is in $plain_path here: the no-cargo install is not proven on this machine)"
fi
# The install-and-link commands of bindings-c/README.md, run as written with
# HOME pointing to a scratch directory ($HOME/.local is the prefix there).
# The README's first C block: the program its install section builds.
awk '/^```c$/ { if (!done) on = 1; next } on && /^```$/ { on = 0; done = 1; next } on' \
    "$root/bindings-c/README.md" > "$work/app.c"
sed -n '/^<!-- test-dist: install -->$/,/^```$/p' "$root/bindings-c/README.md" | sed '1,2d;$d' > "$work/install.sh"
[ -s "$work/install.sh" ] || die "bindings-c/README.md has no install block (<!-- test-dist: install -->)"
prefix="$work/home/.local"
mkdir -p "$work/home"
ln -s "$dist" "$work/dist"
(cd "$work" && env -u LD_LIBRARY_PATH -u PKG_CONFIG_PATH HOME="$work/home" PATH="$plain_path" \
  bash -euxo pipefail "$work/install.sh")
for prog in app app-static; do
  [ -x "$work/$prog" ] || die "the README commands built no $prog"
  env -u LD_LIBRARY_PATH "$work/$prog" "$facts" > "$work/$prog.out" ||
    die "$prog does not run without LD_LIBRARY_PATH"
  grep -q '"status":"eligible"' "$work/$prog.out" || die "$prog: unexpected output: $(head -c 300 "$work/$prog.out")"
done
output_has 'NEEDED.*\[libdispute_rules\.so\.0\]' readelf -d "$work/app" || die "app does not load libdispute_rules.so.0"
if output_has 'NEEDED.*libdispute_rules' readelf -d "$work/app-static"; then
  die "app-static still needs libdispute_rules.so (pkg-config dispute_rules-static)"
fi
echo "  app (shared, rpath) and app-static (no libdispute_rules.so needed) ran"
# The README's CMake project, against the installed package.
mkdir -p "$work/cmake-app"
cp "$work/app.c" "$work/cmake-app/app.c"
sed -n '/^<!-- test-dist: cmake -->$/,/^```$/p' "$root/bindings-c/README.md" | sed '1,2d;$d' \
  > "$work/cmake-app/CMakeLists.txt"
[ -s "$work/cmake-app/CMakeLists.txt" ] || die "bindings-c/README.md has no CMake block (<!-- test-dist: cmake -->)"
cmake -S "$work/cmake-app" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log"; die "cmake: find_package(dispute_rules 0.1) failed"; }
cmake --build "$work/cmake-build" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; die "cmake --build failed"; }
for prog in app app_static; do
  output_has '"status":"eligible"' env -u LD_LIBRARY_PATH "$work/cmake-build/$prog" "$facts" ||
    die "CMake-built $prog gave an unexpected answer"
done
output_has 'NEEDED.*\[libdispute_rules\.so\.0\]' readelf -d "$work/cmake-build/app" || die "CMake app: not linked to the .so"
if output_has 'NEEDED.*libdispute_rules' readelf -d "$work/cmake-build/app_static"; then
  die "CMake app_static needs libdispute_rules.so"
fi
echo "  CMake: find_package(dispute_rules 0.1), both targets built and ran"
# Other versions are refused: 0.2 (0.x minor releases may break) and 1.0.
for want in 0.2 1.0; do
  mkdir -p "$work/cmake-$want"
  printf 'cmake_minimum_required(VERSION 3.16)\nproject(v C)\nfind_package(dispute_rules %s REQUIRED)\n' "$want" \
    > "$work/cmake-$want/CMakeLists.txt"
  if cmake -S "$work/cmake-$want" -B "$work/cmake-$want/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1; then
    die "find_package(dispute_rules $want) accepted version $version"
  fi
done
echo "  CMake: find_package(dispute_rules 0.2) and (1.0) are refused"
env PATH="$plain_path" make -s -C "$unpacked" uninstall PREFIX="$prefix"
left="$(find "$prefix" -type f -o -type l)"
[ -z "$left" ] || die "make uninstall left: $left"
echo "  make uninstall removed everything"

step "C from a checkout: make -C bindings-c, then install and uninstall without cargo"
make -s -C "$root/bindings-c" >/dev/null
checkout_prefix="$work/checkout-prefix"
env PATH="$plain_path" make -s -C "$root/bindings-c" install PREFIX="$checkout_prefix" >/dev/null
for f in include/dispute_rules.h lib/libdispute_rules.so.$version lib/libdispute_rules.a \
  lib/pkgconfig/dispute_rules.pc lib/cmake/dispute_rules/dispute_rules-config.cmake; do
  [ -f "$checkout_prefix/$f" ] || die "make -C bindings-c install did not install $f"
done
env PATH="$plain_path" make -s -C "$root/bindings-c" uninstall PREFIX="$checkout_prefix" >/dev/null
left="$(find "$checkout_prefix" -type f -o -type l)"
[ -z "$left" ] || die "make -C bindings-c uninstall left: $left"
echo "  installed and uninstalled from target/c-dist/stage"

step "crate: a scratch crate that depends on the packaged crate (offline)"
mkdir -p "$work/crate" "$work/scratch/src"
tar -xzf "$crate" -C "$work/crate"
packaged="$work/crate/dispute-rules-$version"
same_docs crate "$packaged"
cat > "$work/scratch/Cargo.toml" <<TOML
[package]
name = "scratch"
version = "0.0.0"
edition = "2021"
publish = false

# Not a member of the repository's workspace (it lives under target/).
[workspace]

[dependencies]
dispute-rules = "$version"

# The crate as it would come from crates.io: the unpacked .crate.
[patch.crates-io]
dispute-rules = { path = "$packaged" }
TOML
cat > "$work/scratch/src/main.rs" <<'RS'
fn main() {
    let facts = include_str!("../facts.json");
    let request = format!(r#"{{"facts": {facts}, "now": "2026-03-20T12:00:00Z"}}"#);
    let answer = dispute_rules::api::call("eligibility", &request);
    println!("{answer}");
    assert!(answer.contains(r#""status":"eligible""#), "unexpected answer");
}
RS
cp "$facts" "$work/scratch/facts.json"
# The workspace's lock file: the same dependency versions, all in the cache;
# target/ as the build directory: the dependencies compiled for `cargo
# package`'s verification are reused.
cp "$root/Cargo.lock" "$work/scratch/Cargo.lock"
(cd "$work/scratch" && cargo run --quiet --offline) > "$work/scratch.out"
grep -q '"status":"eligible"' "$work/scratch.out" || die "the scratch crate gave: $(head -c 300 "$work/scratch.out")"
echo "  built and ran against dispute-rules $version from the .crate"

steps_report "scripts/test-dist.sh: $(( $(date +%s) - started ))s"
