// A trained model on disk: float matrices in Armadillo's field format (arma::field<fmat>::save
// with arma_binary), so that model.bin files written before this reader existed still load:
//   ARMA_FLD_BIN\n1\n<count>\n
//   then per matrix  ARMA_MAT_BIN_FN004\n<rows> <cols>\n  and rows × cols floats, column by
//   column, in the machine's byte order (little-endian on every machine we build on).
// Introduced with chapter 5's --load.
#pragma once
#include <armadillo>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/nn/blocks.hpp"

namespace nn {

// One matrix the file must hold: its name (W1) and shape.
struct MatrixShape {
  std::string name;
  arma::uword rows = 0, cols = 0;
};

// Writes the matrices whole or not at all (nn::write_file_atomic; OutputError on failure).
void save_matrices(const std::filesystem::path& file, const std::vector<arma::fmat>& matrices);

// Reads exactly the matrices `expected` describes. Throws DataError naming the file, and the
// matrix concerned, unless the file is a regular file whose size is what the shapes imply
// (checked before reading: a device or a 4 GB file is refused at once), every header is the
// one the shapes imply, nothing follows the last matrix and every value is finite. `holds`
// says what the file should be, for the message ("chapter 5's model.bin").
std::vector<arma::fmat> load_matrices(const std::filesystem::path& file,
                                      const std::vector<MatrixShape>& expected,
                                      const std::string& holds);

// A network's parameter blocks (common/nn/blocks.hpp) as one file, in the list's order, and back:
// load_blocks reads the matrices of the blocks' names and present shapes (load_matrices' checks)
// into the blocks.
void save_blocks(const std::filesystem::path& file, const BlocksOf<float>& blocks);
void load_blocks(const std::filesystem::path& file, const BlocksOf<float>& blocks,
                 const std::string& holds);

// The same reader over bytes in memory (the fuzz target); `name` stands for the file.
std::vector<arma::fmat> parse_matrices(std::span<const unsigned char> bytes,
                                       const std::vector<MatrixShape>& expected,
                                       const std::string& holds, const std::string& name);

}  // namespace nn
