// libFuzzer target for the IDX parsers: any input must either parse or throw nn::DataError.
// Anything else (another exception, a crash, a sanitizer report, a huge allocation) is a bug.
// Seed corpus: NN_FUZZ_CORPUS=DIR tests/test_loaders --run_test=writes_fuzz_seed_corpus
// Run: fuzz_idx DIR -runs=100000 -max_len=4096
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/nn/errors.hpp"
#include "common/plumbing/mnist.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const unsigned char> bytes(data, size);
  try {
    nn::parse_idx_images(bytes, "fuzz");
  } catch (const nn::DataError&) {
  }
  try {
    nn::parse_idx_labels(bytes, "fuzz");
  } catch (const nn::DataError&) {
  }
  return 0;
}
