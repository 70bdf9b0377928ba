#!/usr/bin/env bash
# Puts the real data sets in place and verifies them against datasets/SHA256SUMS:
#   datasets/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz   (MNIST, as distributed)
#   datasets/catvnoncat/{train,test}_catvnoncat.h5                   (cat vs non-cat, HDF5)
# With NN_DATASETS_MIRROR=/some/folder (relative to where you run this) the files are copied
# from that folder (same layout); otherwise they are downloaded, trying several public mirrors.
# A file already here with the right checksum is left alone. A file is only ever replaced by a
# copy whose checksum matches, and never deleted: a wrong one stays until a good copy arrives.
# Without SHA256SUMS (or without a file's line in it) nothing is fetched or replaced.
# One line on stderr per problem; exit code 0 only when every file is in place and verified.
set -euo pipefail
if [[ -n ${NN_DATASETS_MIRROR:-} && $NN_DATASETS_MIRROR != /* ]]; then
  NN_DATASETS_MIRROR=$PWD/$NN_DATASETS_MIRROR  # relative to the caller, not to datasets/
fi
cd "$(dirname "$0")"

mnist_mirrors=(
  "https://ossci-datasets.s3.amazonaws.com/mnist"
  "https://storage.googleapis.com/cvdf-datasets/mnist"
  "http://yann.lecun.com/exdb/mnist"
)
# The course's files, as published in public repositories (see the README's data section).
cat_mirrors=(
  "https://raw.githubusercontent.com/Hiren2002/Logistic-Regression/a6139a838a0e624f4ab923377df0c5d3386fdf1f/datasets"
  "https://raw.githubusercontent.com/giuseppefutia/word2vec/2f0ad160c2ced88384f21f337d8c4bdf105e07fd/datasets"
)

problem() { echo "fetch: $*" >&2; }

if [[ ! -f SHA256SUMS ]]; then
  problem "$PWD/SHA256SUMS: not found: nothing can be verified, so nothing was fetched or changed"
  exit 1
fi

expected_sum() { awk -v f="$1" '$2 == f { print $1 }' SHA256SUMS; }
actual_sum() { sha256sum "$1" | awk '{ print $1 }'; }

tmp_files=()
trap 'rm -f "${tmp_files[@]}"' EXIT

download() {  # download URL FILE
  if command -v curl > /dev/null; then
    curl --fail --silent --show-error --location --retry 2 --connect-timeout 20 -o "$2" "$1"
  elif command -v wget > /dev/null; then
    wget --quiet --tries=2 --timeout=20 -O "$2" "$1"
  else
    echo "neither curl nor wget is installed" >&2
    return 1
  fi
}

# Puts a copy of RELATIVE_PATH into TMP (from the mirror folder or the first URL that works);
# on failure prints the reason on stdout.
get_copy() {  # get_copy RELATIVE_PATH TMP MIRROR...
  local file=$1 tmp=$2 base
  shift 2
  if [[ -n ${NN_DATASETS_MIRROR:-} ]]; then
    if [[ ! -f $NN_DATASETS_MIRROR/$file ]]; then
      echo "$NN_DATASETS_MIRROR/$file: no such file (NN_DATASETS_MIRROR)"
      return 1
    fi
    cp "$NN_DATASETS_MIRROR/$file" "$tmp" 2>&1 | tr '\n' ' '
    return "${PIPESTATUS[0]}"
  fi
  for base in "$@"; do
    echo "fetch: downloading $(basename "$file") from $base" >&2
    if download "$base/$(basename "$file")" "$tmp" 2> /dev/null; then return 0; fi
  done
  echo "every mirror failed; download it by hand or set NN_DATASETS_MIRROR"
  return 1
}

fetch() {  # fetch RELATIVE_PATH MIRROR...
  local file=$1 want why tmp
  shift
  want=$(expected_sum "$file")
  if [[ -z $want ]]; then
    problem "$file: no checksum for it in SHA256SUMS: left as it is"
    return 1
  fi
  if [[ -e $file && ! -f $file ]]; then
    problem "$file: is not a regular file (a folder?): left as it is; move it away and run again"
    return 1
  fi
  local had=""
  if [[ -f $file ]]; then
    if [[ $(actual_sum "$file") == "$want" ]]; then return 0; fi
    had="wrong checksum; "
  fi
  mkdir -p "$(dirname "$file")"
  tmp=$file.tmp.$$
  tmp_files+=("$tmp")
  if ! why=$(get_copy "$file" "$tmp" "$@"); then
    problem "$file: ${had}no good copy found (${had:+the wrong one was kept}${had:+; }$why)"
    return 1
  fi
  if [[ $(actual_sum "$tmp") != "$want" ]]; then
    problem "$file: ${had}the new copy's checksum does not match SHA256SUMS either: not used"
    return 1
  fi
  mv -f "$tmp" "$file"
  echo "fetch: $file ${had:+replaced (it had the wrong checksum) and }verified"
}

status=0
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
         t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  fetch "mnist/$f" "${mnist_mirrors[@]}" || status=1
done
for f in train_catvnoncat.h5 test_catvnoncat.h5; do
  fetch "catvnoncat/$f" "${cat_mirrors[@]}" || status=1
done
exit $status
