#!/usr/bin/env bash
# The test suite's cost against the lessons' own: the wall time of running every chapter once at
# its defaults (what ./run.sh runs: chapter 5 with --study), then of `ctest -j2` on the same
# build, and their ratio. The suite should cost no more than the lessons (ratio ≤ 1). A
# measurement, not a test: run it on a quiet machine, with the chapters and all_tests built.
# Usage: bench/suite_ratio.sh [BUILD_DIR]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { date +%s.%N; }
declare -A extra=([ch05_mnist_three_layer]="--study")

start=$(now)
for dir in chapters/[0-9][0-9]_*/; do
  name=ch${dir#chapters/}
  name=${name%/}
  # shellcheck disable=SC2086
  "$build/bin/$name" --out "$out/$name" ${extra[$name]:-} > "$out/$name.log" 2>&1 ||
    { tail -n 5 "$out/$name.log" >&2; echo "suite_ratio: $name failed" >&2; exit 1; }
done
chapters=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

start=$(now)
status=0
ctest --test-dir "$build" -j2 --output-on-failure > "$out/ctest.log" 2>&1 || status=$?
suite=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
# the suite's verdict; on a failure its whole output is kept beside ctest's own logs
if ((status != 0)); then
  mkdir -p "$build/Testing"
  cp "$out/ctest.log" "$build/Testing/suite_ratio_ctest.log"
  sed -n '/The following tests FAILED/,$p' "$out/ctest.log"
  echo "suite_ratio: ctest failed, its output: $build/Testing/suite_ratio_ctest.log" >&2
fi
grep -E "tests passed|Total Test time" "$out/ctest.log"

awk -v c="$chapters" -v s="$suite" 'BEGIN {
  printf "every chapter once at its defaults  %7.1f s\n", c
  printf "ctest -j2                           %7.1f s\n", s
  printf "suite / chapters                    %7.2f\n", s / c
}'
exit $status
