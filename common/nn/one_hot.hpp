// Class labels as the columns of Y: the targets of softmax and cross-entropy (chapters 05, 06,
// 09, 10).
#pragma once
#include <armadillo>
#include <cstddef>
#include <string>

#include "common/nn/errors.hpp"

namespace nn {

// One-hot encoding: a classes x n matrix with Y(labels(j), j) = 1 and zeros elsewhere.
// Throws DataError when a label is not below `classes`.
template <typename eT>
arma::Mat<eT> one_hot(const arma::uvec& labels, std::size_t classes) {
  arma::Mat<eT> y(classes, labels.n_elem, arma::fill::zeros);
  for (arma::uword j = 0; j < labels.n_elem; ++j) {
    if (labels(j) >= classes) {
      throw DataError("one_hot: label " + std::to_string(labels(j)) + " at index " +
                      std::to_string(j) + " is not below the class count " +
                      std::to_string(classes));
    }
    y(labels(j), j) = eT(1);
  }
  return y;
}

}  // namespace nn
