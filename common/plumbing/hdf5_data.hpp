// Reading data sets from HDF5 files (the deeplearning.ai "cat vs non-cat" images) with the
// HDF5 C++ API. Every failure, HDF5's own included, becomes a DataError naming file and dataset.
#pragma once
#include <H5public.h>  // hsize_t

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <armadillo>

namespace nn {

// An n-dimensional array of bytes in C order (last index fastest).
struct Hdf5Bytes {
  std::vector<hsize_t> shape;
  std::vector<unsigned char> values;
};

// Reads an integer dataset of rank `expected_rank` as bytes. Throws DataError when the file or
// dataset is missing, the rank differs, the type is not an integer type, a value does not fit
// in 0..255, or the data exceeds 1 GiB.
Hdf5Bytes read_hdf5_uint8(const std::filesystem::path& file, const std::string& dataset,
                          std::size_t expected_rank);

// Reads an integer dataset of rank `expected_rank` as int64 values in C order; throws as
// read_hdf5_uint8 does.
std::vector<std::int64_t> read_hdf5_int64(const std::filesystem::path& file,
                                          const std::string& dataset, std::size_t expected_rank);

// Reads a rank-1 dataset of fixed-length strings (e.g. list_classes, numpy dtype S7), with the
// padding removed. Throws DataError for other types, variable-length strings included.
std::vector<std::string> read_hdf5_strings(const std::filesystem::path& file,
                                           const std::string& dataset);

// The deeplearning.ai "cat vs non-cat" set.
struct CatData {
  // 12288 x m: column j holds image j's bytes in C order (row, column, channel), exactly
  // numpy's x.reshape(m, -1).T.
  arma::Mat<unsigned char> train_images, test_images;
  arma::rowvec train_labels, test_labels;  // 1 x m, values 0 (non-cat) or 1 (cat)
  std::vector<std::string> classes;        // {"non-cat", "cat"}
};

// Reads dir/train_catvnoncat.h5 (train_set_x, train_set_y, list_classes) and
// dir/test_catvnoncat.h5 (test_set_x, test_set_y, list_classes). Throws DataError unless x is
// m x 64 x 64 x 3 integers, y holds m labels that are all 0 or 1, and both files list the same
// two classes.
CatData load_catvnoncat(const std::filesystem::path& dir);

// The cat pictures as the course prepares them (chapters 01 and 08).
struct CatSet {
  arma::mat X_train, X_test;             // X: n_x × m, n_x = 64·64·3 = 12288, bytes / 255
  arma::rowvec Y_train, Y_test;          // Y: 1 × m, 1 = cat, 0 = non-cat
  arma::Mat<unsigned char> test_images;  // 12288 × m_test bytes, for the figures
  std::vector<std::string> classes;      // {"non-cat", "cat"}
};

// load_catvnoncat(dir) with the bytes scaled to [0, 1]: X = x.reshape(m, −1).T / 255, numpy's
// order and rounding.
CatSet load_cat_set(const std::filesystem::path& dir);

}  // namespace nn
