#!/usr/bin/env bash
# Lays out the installable tree of the C library from cargo's output:
#
#   scripts/c-stage.sh CARGO_OUT_DIR STAGE_DIR [--strip]
#
# CARGO_OUT_DIR holds libdispute_rules_c.{so,a} (target/release or
# target/debug); STAGE_DIR becomes (replaced if it exists):
#
#   include/dispute_rules.h
#   lib/libdispute_rules.so.VERSION, .so.SOVERSION -> it, .so -> .so.SOVERSION
#   lib/libdispute_rules.a                   (--strip: without debug info)
#   lib/pkgconfig/dispute_rules{,-static}.pc (prefix relative to the file)
#   lib/cmake/dispute_rules/dispute_rules-config{,-version}.cmake
#   share/doc/dispute_rules/                 README.md, licences, rules.md, examples
#   Makefile                                 make install / uninstall, no cargo
#
# The SONAME is read from the built library (bindings-c/build.rs sets it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: c-stage.sh CARGO_OUT_DIR STAGE_DIR [--strip]"
from="$1"
stage="$2"
strip_debug="${3:-}"
templates="$root/bindings-c/dist"

so="$from/libdispute_rules_c.so"
archive="$from/libdispute_rules_c.a"
[ -f "$so" ] && [ -f "$archive" ] || die "no libdispute_rules_c.{so,a} in $from: build bindings-c first"
soname="$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
case "$soname" in
  libdispute_rules.so.[0-9]*) soversion="${soname#libdispute_rules.so.}" ;;
  *) die "$so has SONAME '$soname', not libdispute_rules.so.N (see bindings-c/build.rs)" ;;
esac
# What the Rust standard library inside the static library links to
# (rustc --print native-static-libs, x86_64-unknown-linux-gnu).
native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
native_cmake="$(sed -e 's/-l//g' -e 's/ /;/g' <<<"$native_libs")"
IFS=. read -r major minor _ <<<"$version"

rm -rf "$stage"
mkdir -p "$stage/include" "$stage/lib/pkgconfig" "$stage/lib/cmake/dispute_rules" \
  "$stage/share/doc/dispute_rules/examples"
cp "$root/bindings-c/include/dispute_rules.h" "$stage/include/"
install -m 755 "$so" "$stage/lib/libdispute_rules.so.$version"
ln -s "libdispute_rules.so.$version" "$stage/lib/$soname"
ln -s "$soname" "$stage/lib/libdispute_rules.so"
install -m 644 "$archive" "$stage/lib/libdispute_rules.a"
if [ "$strip_debug" = --strip ]; then
  # The release profile strips the .so; the archive still carries the debug
  # information of the Rust standard library's objects.
  strip --strip-debug "$stage/lib/libdispute_rules.a"
fi
fill() {  # template output
  sed -e "s|@VERSION@|$version|g" -e "s|@SOVERSION@|$soversion|g" \
      -e "s|@VERSION_MAJOR@|$major|g" -e "s|@VERSION_MINOR@|$minor|g" \
      -e "s|@NATIVE_LIBS@|$native_libs|g" -e "s|@NATIVE_LIBS_CMAKE@|$native_cmake|g" \
      "$templates/$1" > "$2"
}
fill dispute_rules.pc.in "$stage/lib/pkgconfig/dispute_rules.pc"
fill dispute_rules-static.pc.in "$stage/lib/pkgconfig/dispute_rules-static.pc"
fill dispute_rules-config.cmake.in "$stage/lib/cmake/dispute_rules/dispute_rules-config.cmake"
fill dispute_rules-config-version.cmake.in \
  "$stage/lib/cmake/dispute_rules/dispute_rules-config-version.cmake"
fill Makefile.in "$stage/Makefile"
fill README.md.in "$stage/share/doc/dispute_rules/README.md"
cp "$root/bindings-c/examples/assess.c" "$root/bindings-c/examples/assess.cpp" \
  "$root/dispute-rules/tests/data/not_received.json" "$stage/share/doc/dispute_rules/examples/"
for f in "${dist_docs[@]}"; do
  if [ -f "$root/$f" ]; then
    cp "$root/$f" "$stage/share/doc/dispute_rules/"
  fi
done
echo "staged the C library $version (SONAME $soname) in $stage"
