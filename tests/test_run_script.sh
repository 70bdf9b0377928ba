#!/usr/bin/env bash
# run.sh's arguments: one mode at a time. Extra arguments and an empty mode are refused with the
# usage on stderr and exit 2, before anything is installed, fetched or built (a copy of run.sh
# runs in a temporary folder with two empty chapters, so a mode that went ahead would fail
# there instead); the summary line reads its fields from results.json. Usage: tests/test_run_script.sh RUN_SH
set -uo pipefail
run_sh=${1:?usage: test_run_script.sh RUN_SH}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$run_sh" "$work/run.sh"
mkdir -p "$work/chapters/03_xor_proof" "$work/chapters/05_mnist_three_layer"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS WORDS ARGS...: run.sh ARGS exits with STATUS, and its stderr holds WORDS (if any).
expect() {
  local want=$1 words=$2 status
  shift 2
  timeout 60 bash "$work/run.sh" "$@" > "$work/out" 2> "$work/err"
  status=$?
  ((status == want)) || fail "./run.sh $(printf "'%s' " "$@")exited $status, expected $want"
  [[ -z $words ]] || grep -qF -- "$words" "$work/err" || fail "./run.sh $(printf "'%s' " "$@")did not say '$words'"
}

expect 2 "run.sh: one mode at a time, got 3 arguments: help 03 bogus" help 03 bogus
expect 2 "run.sh: one mode at a time, got 2 arguments: 03 05" 03 05
expect 2 "usage: ./run.sh [MODE]" 03 05
expect 2 "run.sh: the mode is empty" ""
expect 2 "run.sh: unknown mode or chapter 'bogus'" bogus
expect 0 "" help
grep -q "05_mnist_three_layer" "$work/out" || fail "./run.sh help does not list the chapters"

# The summary line's fields, read from a results.json as the chapters write it: a string with a
# comma in it, a number followed by more keys, and the last key.
cat > "$work/results.json" << 'EOF2'
{
  "headline": "cost 0.25, accuracy 90 %",
  "seconds": 5.529685924,
  "blas_kernel": "SkylakeX"
}
EOF2
eval "$(sed -n '/^json_field() {/,/^}/p' "$run_sh")"
for pair in "headline=cost 0.25, accuracy 90 %" "seconds=5.529685924" "blas_kernel=SkylakeX"; do
  got=$(json_field "$work/results.json" "${pair%%=*}")
  [[ $got == "${pair#*=}" ]] || fail "json_field ${pair%%=*} read '$got', expected '${pair#*=}'"
done

if ((failures > 0)); then
  echo "$failures failed"
  exit 1
fi
echo "run.sh arguments: all passed"
