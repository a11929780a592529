#!/usr/bin/env bash
# `make test` phase by phase (issue 21): runs `make <phase>` for each argument in
# order, stops at the first that fails, and prints how long each took — the
# table docs/performance.md records — also written to $CARGO_TARGET_DIR/test-phases.txt.
set -uo pipefail
out="${CARGO_TARGET_DIR:-target}/test-phases.txt"
mkdir -p "$(dirname "$out")"
: > "$out"
start=$(date +%s)
status=0
for phase in "$@"; do
  t0=$(date +%s)
  ${MAKE:-make} --no-print-directory "$phase" || status=$?
  printf '%-10s %5d s\n' "$phase" $(( $(date +%s) - t0 )) >> "$out"
  [ "$status" = 0 ] || { echo "make test: $phase failed" >&2; break; }
done
printf '%-10s %5d s\n' total $(( $(date +%s) - start )) >> "$out"
echo "== make test, by phase ($out)"
cat "$out"
exit "$status"
