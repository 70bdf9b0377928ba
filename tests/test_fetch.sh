#!/usr/bin/env bash
# datasets/fetch.sh against a fake mirror of small made-up files, in a temporary copy of
# datasets/: it never deletes what it cannot verify, says one line per problem, and fails.
# Usage: tests/test_fetch.sh DATASETS_DIR
set -uo pipefail
src=$(cd "${1:?usage: test_fetch.sh DATASETS_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=(mnist/train-images-idx3-ubyte.gz mnist/train-labels-idx1-ubyte.gz
       mnist/t10k-images-idx3-ubyte.gz mnist/t10k-labels-idx1-ubyte.gz
       catvnoncat/train_catvnoncat.h5 catvnoncat/test_catvnoncat.h5)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A fresh datasets/ copy holding fetch.sh, the fake files and their SHA256SUMS, and the mirror.
setup() {
  rm -rf "$work/datasets" "$work/mirror"
  mkdir -p "$work/datasets" "$work/mirror/mnist" "$work/mirror/catvnoncat"
  cp "$src/fetch.sh" "$work/datasets/"
  for f in "${files[@]}"; do echo "made-up contents of $f" > "$work/mirror/$f"; done
  (cd "$work/mirror" && sha256sum "${files[@]}") > "$work/datasets/SHA256SUMS"
  cp -r "$work/mirror/mnist" "$work/mirror/catvnoncat" "$work/datasets/"
}

# run_fetch [MIRROR]: runs fetch.sh from $work; sets rc and err (stderr).
run_fetch() {
  err=$(cd "$work" && NN_DATASETS_MIRROR=${1-mirror} bash datasets/fetch.sh 2>&1 > /dev/null)
  rc=$?
}

lines() { [[ -z $1 ]] && echo 0 || printf '%s\n' "$1" | wc -l; }

# 1. Everything in place: exit 0, nothing said on stderr.
setup
run_fetch
[[ $rc == 0 && -z $err ]] || fail "good files: exit $rc, stderr '$err'"

# 2. A relative NN_DATASETS_MIRROR is the caller's folder: a missing file is copied from it.
setup
rm "$work/datasets/mnist/t10k-labels-idx1-ubyte.gz"
run_fetch mirror
[[ $rc == 0 && -f $work/datasets/mnist/t10k-labels-idx1-ubyte.gz ]] ||
  fail "relative mirror: exit $rc, stderr '$err'"

# 3. Without SHA256SUMS: every good file stays, one line, non-zero exit.
setup
rm "$work/datasets/SHA256SUMS"
run_fetch
for f in "${files[@]}"; do [[ -f $work/datasets/$f ]] || fail "no SHA256SUMS: $f was deleted"; done
[[ $rc != 0 && $(lines "$err") == 1 && $err == *SHA256SUMS* ]] ||
  fail "no SHA256SUMS: exit $rc, stderr '$err'"

# 4. A data file's path is a folder: left alone (nothing moved inside), one line naming it.
setup
rm "$work/datasets/mnist/train-labels-idx1-ubyte.gz"
mkdir "$work/datasets/mnist/train-labels-idx1-ubyte.gz"
run_fetch
[[ -z $(ls -A "$work/datasets/mnist/train-labels-idx1-ubyte.gz") ]] ||
  fail "folder in the way: something was put inside it"
[[ $rc != 0 && $(lines "$err") == 1 && $err == *train-labels-idx1-ubyte.gz* ]] ||
  fail "folder in the way: exit $rc, stderr '$err'"

# 5. A corrupt file the mirror lacks: kept, and said so in one line.
setup
echo corrupt > "$work/datasets/catvnoncat/test_catvnoncat.h5"
rm "$work/mirror/catvnoncat/test_catvnoncat.h5"
run_fetch
[[ $(cat "$work/datasets/catvnoncat/test_catvnoncat.h5") == corrupt ]] ||
  fail "corrupt file without a mirror copy: it was deleted"
[[ $rc != 0 && $(lines "$err") == 1 && $err == *test_catvnoncat.h5*checksum* ]] ||
  fail "corrupt file without a mirror copy: exit $rc, stderr '$err'"

# 6. A corrupt file the mirror has: replaced by the verified copy; no temporary file left.
setup
echo corrupt > "$work/datasets/mnist/train-images-idx3-ubyte.gz"
run_fetch
cmp -s "$work/datasets/mnist/train-images-idx3-ubyte.gz" \
  "$work/mirror/mnist/train-images-idx3-ubyte.gz" || fail "corrupt file was not replaced"
[[ $rc == 0 && -z $(find "$work/datasets" -name '*.tmp*') ]] ||
  fail "corrupt file replaced: exit $rc, temporary files left"

# 7. A mirror copy with the wrong checksum: not used, the missing file stays missing.
setup
rm "$work/datasets/mnist/train-images-idx3-ubyte.gz"
echo tampered > "$work/mirror/mnist/train-images-idx3-ubyte.gz"
run_fetch
[[ ! -e $work/datasets/mnist/train-images-idx3-ubyte.gz && $rc != 0 && $(lines "$err") == 1 ]] ||
  fail "bad mirror copy: exit $rc, stderr '$err'"

if ((failures > 0)); then
  echo "$failures check(s) of datasets/fetch.sh failed"
  exit 1
fi
echo "datasets/fetch.sh: all checks passed"
