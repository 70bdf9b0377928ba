#!/usr/bin/env bash
# run.sh's arguments: one mode at a time. Extra arguments and an empty mode are refused with the
# usage on stderr and exit 2, before anything is installed, fetched or built (a copy of run.sh
# runs in a temporary folder with two empty chapters, so a mode that went ahead would fail
# there instead); the summary line reads its fields from results.json. Then its set-up, with
# stand-ins for cmake, dpkg-query and the data sets: run through a symbolic link, after an
# interrupted first configure, two at once, and NN_CMAKE_ARGS with a '*' in it.
# Usage: tests/test_run_script.sh RUN_SH
set -uo pipefail
run_sh=${1:?usage: test_run_script.sh RUN_SH}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$run_sh" "$work/run.sh"
chmod +x "$work/run.sh"
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

# ---- the set-up, with stand-ins ----
# run.sh's own settings as a learner has them (the CI run calls the tests with NN_PRESET=ci,
# which configures at every run.sh by design)
unset NN_PRESET NN_CMAKE_ARGS NN_BUILD_DIR
# cmake configures (slowly, and fails when two configures overlap in one build folder) and
# builds chapters that write a results.json; ninja's own error when build.ninja is missing.
mkdir -p "$work/fake" "$work/datasets" "$work/elsewhere"
printf '#!/bin/sh\nexit 0\n' > "$work/datasets/fetch.sh"
printf '#!/bin/sh\necho "install ok installed"\n' > "$work/fake/dpkg-query"
cat > "$work/fake/cmake" << 'EOF2'
#!/usr/bin/env bash
if [[ $1 == --preset ]]; then
  build=$4
  echo "configure:$(printf ' [%s]' "${@:5}")" >> "$FAKE_LOG"
  mkdir -p "$build"
  if ! mkdir "$build/configuring" 2> /dev/null; then
    echo "cmake: two configures at once in $build" >&2
    exit 1
  fi
  sleep 2
  echo "CMAKE_GENERATOR:INTERNAL=Ninja" > "$build/CMakeCache.txt"
  touch "$build/build.ninja"
  rmdir "$build/configuring"
  exit 0
fi
build=$2
if [[ ! -f $build/build.ninja ]]; then
  echo "ninja: error: loading 'build.ninja': No such file or directory" >&2
  exit 1
fi
shift 5
mkdir -p "$build/bin"
for target in "$@"; do
  printf '#!/bin/sh\nprintf "{\\n  \\"headline\\": \\"ran\\",\\n  \\"seconds\\": 1\\n}\\n" > "$2/results.json"\n' > "$build/bin/$target"
  chmod +x "$build/bin/$target"
done
EOF2
chmod +x "$work/fake/"* "$work/datasets/fetch.sh"
mkdir -p "$work/chapters/03_xor_proof"
export PATH=$work/fake:$PATH FAKE_LOG=$work/cmake.log

fresh_build() { rm -rf "$work/build" "$work/output" "$work/cmake.log"; }

# Through a symbolic link, from another folder: the script's own folder holds the chapters.
fresh_build
ln -s "$work/run.sh" "$work/elsewhere/nn-run"
(cd "$work/elsewhere" && timeout 60 ./nn-run 03 > "$work/out" 2> "$work/err") ||
  fail "a symbolic link to run.sh: $(head -n 1 "$work/err")"
[[ -f $work/output/ch03_xor_proof/results.json ]] || fail "a symbolic link to run.sh ran no chapter"

# A first configure interrupted by Ctrl-C: a cache, but no build.ninja.
fresh_build
mkdir -p "$work/build"
echo "CMAKE_GENERATOR:INTERNAL=Ninja" > "$work/build/CMakeCache.txt"
expect 0 "" 03
grep -q "^configure:" "$work/cmake.log" 2> /dev/null ||
  fail "a half-configured build folder was not configured again"

# Two at once in a fresh clone: one configure, the other waits for it.
fresh_build
timeout 60 bash "$work/run.sh" 03 > "$work/out1" 2> "$work/err1" &
first=$!
timeout 60 bash "$work/run.sh" 03 > "$work/out2" 2> "$work/err2" || fail "the second of two run.sh at once: $(cat "$work/err2")"
wait "$first" || fail "the first of two run.sh at once: $(cat "$work/err1")"
(($(grep -c "^configure:" "$work/cmake.log") == 1)) || fail "two run.sh at once configured $(grep -c "^configure:" "$work/cmake.log") times"

# NN_CMAKE_ARGS is split at spaces and never expanded as file names.
fresh_build
NN_CMAKE_ARGS='-DA=1 *' expect 0 "" 03
grep -qF "configure: [-DA=1] [*]" "$work/cmake.log" ||
  fail "NN_CMAKE_ARGS='-DA=1 *' reached cmake as: $(head -n 1 "$work/cmake.log")"

if ((failures > 0)); then
  echo "$failures failed"
  exit 1
fi
echo "run.sh arguments: all passed"
