# Shared helpers of scripts/*.sh (sourced, never run).

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The workspace version (Cargo.toml, [workspace.package]).
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"

# Files every artifact carries, from the repository root.
dist_docs=(LICENSE-MIT LICENSE-APACHE docs/rules.md)

# step NAME: starts a timed step (and ends the previous one).
_step_name=""
_step_start=0
_steps_report=()
step() {
  step_end
  _step_name="$*"
  _step_start=$(date +%s)
  printf '\n== %s\n' "$*"
}
step_end() {
  if [ -n "$_step_name" ]; then
    local took=$(( $(date +%s) - _step_start ))
    _steps_report+=("$(printf '%5ss  %s' "$took" "$_step_name")")
    printf -- '-- %s: %ss\n' "$_step_name" "$took"
    _step_name=""
  fi
}
# Prints the time of every step so far.
steps_report() {
  step_end
  printf '\n== timings (%s)\n' "$1"
  printf '%s\n' "${_steps_report[@]}"
}

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# A loud warning block (stderr).
warn_loud() {
  {
    printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
    printf '!! WARNING: %s\n' "$@"
    printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n'
  } >&2
}

# The placeholder text written for a missing file in degraded mode.
placeholder_mark="PLACEHOLDER written by scripts/dist.sh"
is_placeholder() { grep -q "$placeholder_mark" "$1" 2>/dev/null; }

# output_has PATTERN CMD...: whether CMD's output matches PATTERN (grep -E).
# Unlike `CMD | grep -q`, no SIGPIPE can turn a match into a failure under
# pipefail; a failing CMD stops the script.
output_has() {
  local pattern="$1" out
  shift
  out="$("$@")" || die "failed: $*"
  grep -qE -- "$pattern" <<<"$out"
}
