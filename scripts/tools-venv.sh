#!/usr/bin/env bash
# Creates (or reuses) the virtualenv of the Python tools the release and the
# tests need, pinned in scripts/tools-requirements.txt: maturin with zig (the
# manylinux2014 cross-linker, from the `ziglang` package), auditwheel, pytest
# and mypy. Works with a system Python that refuses global installs
# (PEP 668): nothing is installed outside the virtualenv.
#
#   scripts/tools-venv.sh            # prints the virtualenv's bin directory
#   export PATH="$(scripts/tools-venv.sh):$PATH"
#
# Environment: DR_TOOLS_VENV (default target/tools-venv), PYTHON (default
# python3: the interpreter the virtualenv is made from).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

venv="${DR_TOOLS_VENV:-$CARGO_TARGET_DIR/tools-venv}"
req="$root/scripts/tools-requirements.txt"
python="${PYTHON:-python3}"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" >&2 || die "cannot create a virtualenv with $python (on Debian: apt-get install python3-venv)"
fi
if ! cmp -s "$req" "$stamp"; then
  echo "tools-venv: installing $(grep -cv '^#' "$req") pinned tools into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  cp "$req" "$stamp"
fi
echo "$venv/bin"
