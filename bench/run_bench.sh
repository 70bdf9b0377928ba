#!/usr/bin/env bash
# The benchmark (./run.sh bench runs it): the chapters' own training code against numpy and
# PyTorch peers doing the same work, and the web book's playground engine against the same
# lessons run natively, alternately, NN_BENCH_ROUNDS times (default 5), so that
# a slow moment of the machine hits all of them alike; then the table of medians and ratios.
# Usage: bench/run_bench.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rounds=${NN_BENCH_ROUNDS:-5}
python=/usr/bin/python3  # Debian's, with python3-numpy and python3-torch
log=$(mktemp)
have_torch=$("$python" -c 'import torch' 2> /dev/null && echo yes || echo no)
[[ $have_torch == yes ]] || echo "bench: PyTorch not importable, its column stays empty" >&2
engine=$(cd "$build" && pwd)/web/engine-module.js  # the playground's engine (em++)
have_engine=$([[ -f $engine ]] && command -v node > /dev/null && echo yes || echo no)
[[ $have_engine == yes ]] || echo "bench: no $engine (./run.sh book builds it), no WebAssembly row" >&2

for ((r = 1; r <= rounds; r++)); do
  echo "bench: round $r of $rounds" >&2
  # the bound in every round too, so that ours / bound compares moments of the same load
  "$build/bench/bench_cpp" gemm_bound 3 >> "$log"
  "$build/bench/bench_cpp" mnist_epoch 3 >> "$log"
  "$python" "$here/peers.py" mnist_epoch numpy --repeats 3 >> "$log"
  [[ $have_torch == no ]] || "$python" "$here/peers.py" mnist_epoch torch --repeats 3 >> "$log"
  "$build/bench/bench_cpp" logistic_2000 1 >> "$log"
  "$python" "$here/peers.py" logistic_2000 numpy --repeats 1 >> "$log"
  # the playground's workloads: the native lessons, then the same lessons compiled to WebAssembly
  "$build/bench/bench_cpp" flower_1000 3 >> "$log"
  "$build/bench/bench_cpp" spiral_1000 3 >> "$log"
  [[ $have_engine == no ]] || node "$here/playground.mjs" "$engine" 3 >> "$log"
done
# the playground in a real page, once: the browser test's speeds (chapter 2's page in headless
# Chromium; ./run.sh test sets it up and builds the page)
browser=$build/browser
if [[ -f $browser/playground_test.mjs && -f $build/book/chapter-02.html ]]; then
  echo "bench: the playground in headless Chromium" >&2
  node "$browser/playground_test.mjs" "$build/book/chapter-02.html" "$browser/native.json" \
    "$browser/playground.png" | grep '^{' | sed 's/^{/{"workload": "browser", "impl": "page", /' \
    >> "$log" || echo "bench: the browser test failed; no browser row" >&2
else
  echo "bench: no browser row ($browser/playground_test.mjs: ./run.sh test sets it up)" >&2
fi
"$python" "$here/report.py" "$log"
