#!/usr/bin/env bash
# The repository's commands (./run.sh help lists them). Each does its own set-up: installs
# missing Debian packages, fetches and verifies the data sets, configures (the CMake preset
# `release`) and builds only what it runs.
# Environment: NN_DATASETS_MIRROR (copy the data from this folder instead of downloading),
# NN_BUILD_DIR (default build), NN_PRESET (default release; CI uses ci), NN_CMAKE_ARGS (extra
# arguments for cmake's configure step).
set -euo pipefail
# The repository is the folder of the script itself, also when it is run through a symbolic link.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
build=${NN_BUILD_DIR:-build}
preset=${NN_PRESET:-release}
mode=${1-run}

chapter_dirs=(chapters/[0-9][0-9]_*/)
chapter_dirs=("${chapter_dirs[@]%/}")

usage() {
  local dir
  cat << EOF
usage: ./run.sh [MODE]   (one mode: ./run.sh 03, not ./run.sh 03 05)

  ./run.sh          build every chapter and run them all in order; figures and results.json
                    go to output/<chapter>/, one summary line per chapter is printed
  ./run.sh NN       build and run chapter NN only (./run.sh 03 or ./run.sh 3)
  ./run.sh figures  run every chapter, then copy its PNGs into chapters/*/figures/ (the
                    committed figures the book shows)
  ./run.sh test     build and run the whole test suite (CTest)
  ./run.sh book     build the web book: build/book/index.html, a page per chapter (pandoc),
                    with the playground on the pages of chapters 2, 3 and 9 (the lessons
                    compiled to WebAssembly by em++), and build/book/book.pdf to print or read
                    offline (headless Chromium)
  ./run.sh bench    build and run the benchmarks against numpy and PyTorch
  ./run.sh help     this text

chapters:
EOF
  for dir in "${chapter_dirs[@]}"; do
    echo "  ${dir#chapters/}"
  done
}

# One mode at a time: `./run.sh 03 05` or `./run.sh help 03` would otherwise run or print only
# the first, and `./run.sh ""` everything.
if (($# > 1)) || [[ -z $mode ]]; then
  if (($# > 1)); then
    echo "run.sh: one mode at a time, got $# arguments: $*" >&2
  else
    echo "run.sh: the mode is empty" >&2
  fi
  usage >&2
  exit 2
fi

# The chapter executables a mode runs: every chapter, or the one NN names.
chapters=()
case $mode in
  run | figures | test | book | bench) ;;
  help | -h | --help)
    usage
    exit 0
    ;;
  *)
    if [[ $mode =~ ^[0-9]{1,2}$ ]]; then
      number=$(printf '%02d' "$((10#$mode))")
      for dir in "${chapter_dirs[@]}"; do
        [[ ${dir#chapters/} == "${number}"_* ]] && chapters=("ch${dir#chapters/}")
      done
    fi
    if ((${#chapters[@]} == 0)); then
      echo "run.sh: unknown mode or chapter '$mode'" >&2
      usage >&2
      exit 2
    fi
    mode=chapter
    ;;
esac
if [[ $mode == run || $mode == figures ]]; then
  for dir in "${chapter_dirs[@]}"; do
    chapters+=("ch${dir#chapters/}")
  done
fi

packages=(build-essential cmake ninja-build libarmadillo-dev libopenblas-dev libboost-test-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libhdf5-dev zlib1g-dev gnuplot-nox fonts-dejavu-core
  clang-format curl ca-certificates)
# The web book: pandoc, the math font, Chromium to print the PDF, em++ for the playground's engine.
book_packages=(pandoc fonts-dejavu-extra chromium emscripten nodejs)
case $mode in
  book) packages+=("${book_packages[@]}") ;;
  # the book's render checks (cmark-gfm), and the playground's tests: Node.js runs the engine,
  # and drives Chromium through npm's puppeteer-core
  test) packages+=("${book_packages[@]}" cmark-gfm) ;;
  bench) packages+=(python3-numpy python3-torch emscripten nodejs) ;;  # peers; the engine
esac
# npm comes with Node.js from some sources, as Debian's own package from others
if [[ $mode == test ]] && ! command -v npm > /dev/null; then packages+=(npm); fi

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

# One run.sh at a time sets up a build folder: two at once in a fresh clone would configure and
# build into the same files. The lock (a file in the build folder) is held until the build is
# done; the chapters then run side by side.
lock_build() {
  mkdir -p "$build"
  exec {build_lock}> "$build/.run.sh.lock"
  if ! flock -n "$build_lock"; then
    echo "run.sh: another run.sh is setting up $build; waiting for it"
    flock "$build_lock"
  fi
}

# Configures through the preset when there is no build yet, when asked to (NN_PRESET other
# than release, NN_CMAKE_ARGS), and when the build folder no longer fits: made by another
# generator, configured only halfway (a cache but no build.ninja: the first configure was
# interrupted), or configured before a tool it looks for (pandoc, clang-format) was installed.
configure() {
  local cache=$build/CMakeCache.txt again=no generator variable tool cmake_args=()
  if [[ -f $cache ]]; then
    generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$cache")
    if [[ $generator != Ninja ]]; then
      echo "run.sh: $build was configured for '$generator'; configuring it again for Ninja"
      rm -rf "$cache" "$build/CMakeFiles"
    fi
  fi
  [[ -f $cache && -f $build/build.ninja && $preset == release && -z ${NN_CMAKE_ARGS:-} ]] ||
    again=yes
  if [[ $again == no ]]; then
    # PANDOC_EXECUTABLE-NOTFOUND → pandoc, CLANG_FORMAT_EXECUTABLE-NOTFOUND → clang-format,
    # EMXX_EXECUTABLE-NOTFOUND → em++
    for variable in $(sed -n 's/^\([A-Z_]*\)_EXECUTABLE:FILEPATH=.*-NOTFOUND$/\1/p' "$cache"); do
      tool=$(tr 'A-Z_' 'a-z-' <<< "$variable")
      [[ $tool == emxx ]] && tool=em++
      command -v "$tool" > /dev/null && again=yes
    done
  fi
  if [[ $again == yes ]]; then
    # split at spaces, never expanded as file names (NN_CMAKE_ARGS='-DX=*')
    read -ra cmake_args <<< "${NN_CMAKE_ARGS:-}"
    cmake --preset "$preset" -B "$build" "${cmake_args[@]}" > /dev/null
  fi
}

build_targets() {  # build_targets TARGET...
  configure
  cmake --build "$build" -j "$(nproc)" --target "$@"
  exec {build_lock}>&-
}

json_field() {  # json_field FILE KEY: a top-level string or number of results.json
  sed -n -e "s/^  \"$2\": \"\(.*\)\",\{0,1\}$/\1/p" -e "s/^  \"$2\": \([^\",]*\),\{0,1\}$/\1/p" "$1" |
    head -n 1
}

run_chapters() {  # run_chapters NAME...: each one's summary line, then the total time
  local -A extra=([ch05_mnist_three_layer]="--study")
  local name out status=0 start
  start=$(date +%s.%N)
  for name in "$@"; do
    out=output/$name
    mkdir -p "$out"
    # shellcheck disable=SC2086
    if "$build/bin/$name" --out "$out" ${extra[$name]:-} > "$out/log.txt" 2>&1; then
      printf '%-26s %-52s %7.1f s\n' "$name" "$(json_field "$out/results.json" headline)" \
        "$(json_field "$out/results.json" seconds)"
    else
      status=1
      printf '%-26s FAILED, last lines of %s/log.txt:\n' "$name" "$out"
      tail -n 5 "$out/log.txt" | sed 's/^/    /'
    fi
  done
  if (($# > 1)); then
    printf '%-26s %-52s %7.1f s\n' "all chapters" "" \
      "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
  fi
  return $status
}

# The book shows the figures of the latest full run, committed beside each chapter.
copy_figures() {
  local name
  for name in "${chapters[@]}"; do
    mkdir -p "chapters/${name#ch}/figures"
    cp output/"$name"/*.png "chapters/${name#ch}/figures/" 2> /dev/null || true
  done
  echo "figures copied into chapters/*/figures/ (see git status)"
}

lock_build
install_packages "${packages[@]}"
# The book needs pandoc and the committed figures, not the data sets.
[[ $mode == book ]] || datasets/fetch.sh
case $mode in
  run)
    build_targets "${chapters[@]}"
    run_chapters "${chapters[@]}"
    ;;
  chapter)
    build_targets "${chapters[@]}"
    run_chapters "${chapters[@]}"
    pngs=(output/"${chapters[0]}"/*.png)
    echo "figures: ${#pngs[@]} PNGs (with their CSV data and gnuplot scripts) in" \
      "output/${chapters[0]}/, beside results.json and log.txt"
    ;;
  figures)
    build_targets "${chapters[@]}"
    run_chapters "${chapters[@]}"
    copy_figures
    ;;
  test)
    build_targets all_tests
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
    ;;
  book)
    build_targets book
    ;;
  bench)
    build_targets bench_cpp playground
    bench/run_bench.sh "$build"
    ;;
esac
