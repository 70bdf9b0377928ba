// libFuzzer target for the saved-model reader: any input must either parse or throw
// nn::DataError. Anything else (another exception, a crash, a sanitizer report) is a bug.
// Seed corpus: NN_FUZZ_CORPUS=DIR tests/test_faults --run_test=writes_model_fuzz_seed_corpus
// Run: fuzz_model_file DIR -runs=100000 -max_len=4096
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/nn/errors.hpp"
#include "common/plumbing/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Small shapes, so that a valid file fits in -max_len: a 3×2 matrix and a 3×1 vector.
  static const std::vector<nn::MatrixShape> shapes = {{"W", 3, 2}, {"b", 3, 1}};
  try {
    nn::parse_matrices(std::span<const unsigned char>(data, size), shapes, "a 3×2 W and a 3×1 b",
                       "fuzz");
  } catch (const nn::DataError&) {
  }
  return 0;
}
