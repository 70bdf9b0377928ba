#!/usr/bin/env bash
# The repository's commands. Each does its own set-up: installs missing Debian packages,
# fetches and verifies the data sets, configures and builds.
#   ./run.sh          build every chapter and run them all in order; figures and results.json
#                     go to output/<chapter>/, and one summary line per chapter is printed
#   ./run.sh test     build and run the whole test suite (CTest)
#   ./run.sh book     render book.md to book.html (pandoc, math as MathML, figures embedded)
#   ./run.sh bench    the benchmarks against numpy and PyTorch (see README)
# Environment: NN_DATASETS_MIRROR (copy the data from this folder instead of downloading),
# NN_BUILD_DIR (default build), NN_CMAKE_ARGS (extra arguments for cmake's configure step).
set -euo pipefail
cd "$(dirname "$0")"
build=${NN_BUILD_DIR:-build}
mode=${1:-run}

packages=(build-essential cmake ninja-build libarmadillo-dev libopenblas-dev libboost-test-dev
  libcli11-dev nlohmann-json3-dev libhdf5-dev zlib1g-dev gnuplot-nox fonts-dejavu-core clang-format
  curl ca-certificates)
case $mode in
  book) packages+=(pandoc) ;;
  bench) packages+=(python3-numpy python3-torch) ;;
esac

install_packages() {  # install_packages PACKAGE...: the ones not yet installed
  local missing=() p
  if ! command -v dpkg-query > /dev/null; then
    echo "run.sh: not a Debian/Ubuntu system; install by hand: ${packages[*]}" >&2
    return 1
  fi
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "run.sh: installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo > /dev/null; then sudo=(sudo); else
      echo "run.sh: these packages are missing and I am neither root nor have sudo:" >&2
      echo "  apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q > /dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" > /dev/null
}

configure_and_build() {
  local generator=()
  command -v ninja > /dev/null && generator=(-G Ninja)
  if [[ ! -f $build/CMakeCache.txt ]]; then
    # shellcheck disable=SC2086
    cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release ${NN_CMAKE_ARGS:-} > /dev/null
  fi
  cmake --build "$build" -j "$(nproc)" "$@"
}

json_field() {  # json_field FILE KEY: a top-level string or number of results.json
  sed -n "s/^  \"$2\": \"\{0,1\}\([^\"]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -n 1
}

run_chapters() {
  local -A extra=([ch05_mnist_three_layer]="--study")
  local exe name status=0 start
  start=$(date +%s.%N)
  for exe in "$build"/bin/ch[0-9][0-9]_*; do
    name=$(basename "$exe")
    mkdir -p "output/$name"
    # shellcheck disable=SC2086
    if "$exe" --out "output/$name" ${extra[$name]:-} > "output/$name/log.txt" 2>&1; then
      printf '%-26s %-52s %7.1f s\n' "$name" "$(json_field "output/$name/results.json" headline)" \
        "$(json_field "output/$name/results.json" seconds)"
      # The book shows the figures of the latest full run, committed beside each chapter.
      mkdir -p "chapters/${name#ch}/figures"
      cp output/"$name"/*.png "chapters/${name#ch}/figures/" 2> /dev/null || true
    else
      status=1
      printf '%-26s FAILED, last lines of output/%s/log.txt:\n' "$name" "$name"
      tail -n 5 "output/$name/log.txt" | sed 's/^/    /'
    fi
  done
  printf '%-26s %-52s %7.1f s\n' "all chapters" "" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
  return $status
}

install_packages "${packages[@]}"
datasets/fetch.sh
case $mode in
  run)
    configure_and_build
    run_chapters
    ;;
  test)
    configure_and_build
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
    ;;
  book)
    configure_and_build --target book
    ;;
  bench)
    configure_and_build --target bench_cpp
    bench/run_bench.sh "$build"
    ;;
  *)
    echo "usage: ./run.sh [test|book|bench]" >&2
    exit 2
    ;;
esac
