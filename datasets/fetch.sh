#!/usr/bin/env bash
# Puts the real data sets in place and verifies them against datasets/SHA256SUMS:
#   datasets/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz   (MNIST, as distributed)
#   datasets/catvnoncat/{train,test}_catvnoncat.h5                   (cat vs non-cat, HDF5)
# With NN_DATASETS_MIRROR=/some/folder the files are copied from that folder (same layout);
# otherwise they are downloaded, trying several public mirrors in turn.
# A file that is already here with the right checksum is left alone; a file with the wrong
# checksum is deleted and reported. Exit code 0 when every file is in place and verified.
set -euo pipefail
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

expected_sum() { awk -v f="$1" '$2 == f { print $1 }' SHA256SUMS; }
actual_sum() { sha256sum "$1" | awk '{ print $1 }'; }

download() {  # download URL FILE
  if command -v curl > /dev/null; then
    curl --fail --silent --show-error --location --retry 2 --connect-timeout 20 -o "$2" "$1"
  elif command -v wget > /dev/null; then
    wget --quiet --tries=2 --timeout=20 -O "$2" "$1"
  else
    echo "fetch: neither curl nor wget is installed" >&2
    return 1
  fi
}

fetch() {  # fetch RELATIVE_PATH MIRROR...
  local file=$1 want
  shift
  want=$(expected_sum "$file")
  if [[ -f $file && $(actual_sum "$file") == "$want" ]]; then return 0; fi
  mkdir -p "$(dirname "$file")"
  rm -f "$file"
  if [[ -n ${NN_DATASETS_MIRROR:-} ]]; then
    if [[ ! -f $NN_DATASETS_MIRROR/$file ]]; then
      echo "fetch: $NN_DATASETS_MIRROR/$file: no such file (NN_DATASETS_MIRROR)" >&2
      return 1
    fi
    cp "$NN_DATASETS_MIRROR/$file" "$file.tmp"
  else
    local base ok=""
    for base in "$@"; do
      echo "fetch: downloading $(basename "$file") from $base"
      if download "$base/$(basename "$file")" "$file.tmp"; then ok=1; break; fi
    done
    if [[ -z $ok ]]; then
      rm -f "$file.tmp"
      echo "fetch: $file: every mirror failed; download it by hand or set NN_DATASETS_MIRROR" >&2
      return 1
    fi
  fi
  if [[ $(actual_sum "$file.tmp") != "$want" ]]; then
    rm -f "$file.tmp"
    echo "fetch: $file: checksum mismatch, the bad copy was deleted" >&2
    return 1
  fi
  mv "$file.tmp" "$file"
  echo "fetch: $file verified"
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
