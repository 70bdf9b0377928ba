// MNIST in its IDX format: reading image and label files (gzip-compressed or raw), and turning
// the pixels into what the networks consume (scaled to [0,1]; the labels' one-hot matrices are
// nn::one_hot, common/nn/one_hot.hpp).
#pragma once
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

#include <armadillo>

#include "common/nn/errors.hpp"

namespace nn {

// The images of one IDX file. `pixels` is (rows*cols) x n with one image per column; within a
// column the pixels are in row-major order, so pixel (r, c) sits at index r*cols + c.
struct IdxImages {
  arma::Mat<unsigned char> pixels;
  std::size_t rows = 0, cols = 0;
};

// Reads an IDX image file (magic 0x00000803), gzip-compressed or raw. Throws DataError naming
// the file when it is missing, empty, truncated, too large, has trailing bytes or is not an
// IDX image file.
IdxImages read_idx_images(const std::filesystem::path& file);

// Reads an IDX label file (magic 0x00000801), gzip-compressed or raw; values as stored.
// Throws DataError as read_idx_images does.
arma::uvec read_idx_labels(const std::filesystem::path& file);

// The same parsers over bytes already in memory (uncompressed IDX data); `name` stands for the
// file in error messages.
IdxImages parse_idx_images(std::span<const unsigned char> bytes, const std::string& name);
arma::uvec parse_idx_labels(std::span<const unsigned char> bytes, const std::string& name);

// The four MNIST files.
struct Mnist {
  IdxImages train, test;
  arma::uvec train_labels, test_labels;
};

// Reads dir/{train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
// t10k-labels-idx1-ubyte}.gz, falling back to the uncompressed name when the .gz is absent.
// Throws DataError when image and label counts disagree, when train and test images differ in
// size, or when a label is not a digit 0-9; and, when `rows` and `cols` are given, when the
// images are not rows × cols pixels (a chapter's network has that many inputs).
Mnist load_mnist(const std::filesystem::path& dir, std::size_t rows = 0, std::size_t cols = 0);

// Pixels scaled to [0,1]: X(:, j) = pixels(:, j) / 255, as float or double.
template <typename eT>
arma::Mat<eT> scale_pixels(const arma::Mat<unsigned char>& pixels) {
  return arma::conv_to<arma::Mat<eT>>::from(pixels) / eT(255);
}

}  // namespace nn
