#!/usr/bin/env bash
# Builds every release artifact of dispute-rules into dist/:
#
#   dispute-rules-VERSION.crate                          the Rust crate (cargo package)
#   dispute_rules-VERSION.tar.gz                         Python sdist
#   dispute_rules-VERSION-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#                                                        Python wheel: CPython >= 3.10, glibc >= 2.17
#   dispute_rules-VERSION-x86_64-linux-gnu.tar.gz        C library: header, .so (SONAME
#                                                        libdispute_rules.so.0), .a, pkg-config,
#                                                        CMake package, Makefile (make install)
#   SHA256SUMS
#
# Every artifact carries LICENSE-MIT, LICENSE-APACHE and docs/rules.md from
# the repository root; a missing one stops the build (DR_DIST_ALLOW_MISSING=1
# builds test artifacts with marked placeholders instead, loudly).
#
# Needs cargo, python3 (for a virtualenv of maturin, zig and auditwheel:
# scripts/tools-venv.sh), gcc and binutils. Environment: DR_DIST_DIR (default
# dist), CARGO_TARGET_DIR (default target).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"

dist="${DR_DIST_DIR:-$root/dist}"
c_name="dispute_rules-$version-x86_64-linux-gnu"
started=$(date +%s)

step "files every artifact carries: ${dist_docs[*]}"
placeholders=()
cleanup() { if [ ${#placeholders[@]} -gt 0 ]; then (cd "$root" && rm -f "${placeholders[@]}"); fi; }
trap cleanup EXIT
for f in "${dist_docs[@]}"; do
  if [ -f "$root/$f" ] && ! is_placeholder "$root/$f"; then
    echo "  $f: $(wc -c <"$root/$f") bytes"
  elif [ "${DR_DIST_ALLOW_MISSING:-0}" = 1 ]; then
    warn_loud "$f is missing at the repository root: building with a PLACEHOLDER in its place." \
      "These artifacts are NOT releasable (dist/NOT-RELEASABLE lists why)."
    mkdir -p "$(dirname "$root/$f")"
    printf '%s: %s was missing when this artifact was built. Not for release.\n' \
      "$placeholder_mark" "$f" > "$root/$f"
    placeholders+=("$f")
  else
    die "$f is missing at the repository root. Every artifact ships LICENSE-MIT, LICENSE-APACHE and docs/rules.md; add it (or set DR_DIST_ALLOW_MISSING=1 for test artifacts with placeholders)."
  fi
done
rm -rf "$dist"
mkdir -p "$dist"
if [ ${#placeholders[@]} -gt 0 ]; then
  printf 'placeholder instead of %s\n' "${placeholders[@]}" > "$dist/NOT-RELEASABLE"
fi

step "tools: maturin, zig, auditwheel (virtualenv)"
tools="$("$root/scripts/tools-venv.sh")"
export PATH="$tools:$PATH"
echo "  $(maturin --version), zig $(python -m ziglang version), auditwheel $(auditwheel --version | head -n 1 | awk '{print $2}')"

step "Rust crate: cargo package -p dispute-rules (built and tested as packaged)"
cargo package -p dispute-rules --allow-dirty --quiet
crate="$CARGO_TARGET_DIR/package/dispute-rules-$version.crate"
cp "$crate" "$dist/"
listing="$(tar tzf "$crate")"
for f in "${dist_docs[@]}" README.md src/lib.rs; do
  grep -qx "dispute-rules-$version/$f" <<<"$listing" || die "the crate lacks $f"
done
echo "  $(basename "$crate"): $(wc -l <<<"$listing") files"

step "Python sdist (maturin sdist)"
maturin sdist --manifest-path bindings-py/Cargo.toml --out "$dist" 2>&1 | grep -v '^$' | sed 's/^/  /'
sdist="$dist/dispute_rules-$version.tar.gz"
[ -f "$sdist" ] || die "no sdist at $sdist"

step "Python wheel: abi3, manylinux2014 (zig), stripped (maturin build --release)"
maturin build --release --strip --zig --compatibility manylinux2014 \
  --manifest-path bindings-py/Cargo.toml --out "$dist" 2>&1 | grep -E '📦|🔗|Built wheel|warning|error' | sed 's/^/  /' || true
wheel="$(ls "$dist"/dispute_rules-"$version"-*.whl 2>/dev/null | head -n 1)"
[ -n "$wheel" ] || die "maturin built no wheel"
case "$(basename "$wheel")" in
  *-cp310-abi3-*manylinux_2_17_x86_64*.whl) ;;
  *) die "unexpected wheel tags: $(basename "$wheel") (want cp310-abi3, manylinux_2_17 = manylinux2014)" ;;
esac
# auditwheel reads the binary: symbols and libraries must fit manylinux2014.
auditwheel show "$wheel" | tee "$dist/.auditwheel" | sed 's/^/  /'
# (auditwheel wraps its lines: read them as one.)
tr -s '\n ' '  ' <"$dist/.auditwheel" |
  grep -q 'is consistent with the following platform tag: "manylinux_2_17_x86_64"' ||
  die "auditwheel: the wheel does not fit manylinux_2_17 (manylinux2014)"
rm -f "$dist/.auditwheel"

step "C library: cargo build --release, stage, tarball"
cargo build -p dispute-rules-c --release --quiet
stage_root="$CARGO_TARGET_DIR/c-dist"
mkdir -p "$stage_root"
"$root/scripts/c-stage.sh" "$CARGO_TARGET_DIR/release" "$stage_root/$c_name" --strip | sed 's/^/  /'
so="$stage_root/$c_name/lib/libdispute_rules.so.$version"
if output_has dr_test_panic nm -D --defined-only "$so"; then
  die "the release library exports dr_test_panic (the testing feature leaked into the release build)"
fi
if output_has '\.debug_info' readelf -S "$so" "$stage_root/$c_name/lib/libdispute_rules.a"; then
  die "debug information left in the C libraries"
fi
tar -czf "$dist/$c_name.tar.gz" -C "$stage_root" --owner=0 --group=0 "$c_name"

step "checksums"
(cd "$dist" && sha256sum -- *.crate *.tar.gz *.whl > SHA256SUMS)
wheel_so_size="$(python - "$wheel" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(i.file_size for i in z.infolist() if i.filename.endswith('.so')))
PY
)"
ls -l "$dist" | sed 's/^/  /'
printf '  compiled Python module (in the wheel): %s bytes\n' "$wheel_so_size"
printf '  C: %s bytes (.so), %s bytes (.a)\n' "$(stat -c %s "$so")" \
  "$(stat -c %s "$stage_root/$c_name/lib/libdispute_rules.a")"
steps_report "scripts/dist.sh: $(( $(date +%s) - started ))s"
