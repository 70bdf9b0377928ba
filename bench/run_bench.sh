#!/usr/bin/env bash
# The benchmark (./run.sh bench runs it): the chapters' own training code against numpy and
# PyTorch peers doing the same work, alternately, NN_BENCH_ROUNDS times (default 5), so that
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

for ((r = 1; r <= rounds; r++)); do
  echo "bench: round $r of $rounds" >&2
  # the bound in every round too, so that ours / bound compares moments of the same load
  "$build/bench/bench_cpp" gemm_bound 3 >> "$log"
  "$build/bench/bench_cpp" mnist_epoch 3 >> "$log"
  "$python" "$here/peers.py" mnist_epoch numpy --repeats 3 >> "$log"
  [[ $have_torch == no ]] || "$python" "$here/peers.py" mnist_epoch torch --repeats 3 >> "$log"
  "$build/bench/bench_cpp" logistic_2000 1 >> "$log"
  "$python" "$here/peers.py" logistic_2000 numpy --repeats 1 >> "$log"
done
"$python" "$here/report.py" "$log"
