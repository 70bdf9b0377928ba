// A network's parameters as one list of blocks, micrograd's parameters() for matrices: each
// block is a name as in the formulas ("W1", "b1", …), the parameter P and its gradient dP, in
// a fixed order (W1, b1, W2, b2, …). A network type writes its list once, in its own blocks()
// function (nn::blocks for nn::Mlp, ch05::blocks for chapter 5's network, …); the update,
// gradient checking, clipping, saving and loading walk the list instead of naming the
// matrices again, and so will an optimizer that keeps state per block (momentum, Adam).
#pragma once
#include <armadillo>
#include <string>
#include <vector>

namespace nn {

template <typename eT>
struct BlockOf {
  std::string name;   // "W1", "b1", …
  arma::Mat<eT>* P;   // the parameter
  arma::Mat<eT>* dP;  // ∂J/∂P, P's shape; nullptr in a list of parameters alone
};
using Block = BlockOf<double>;

template <typename eT>
using BlocksOf = std::vector<BlockOf<eT>>;
using Blocks = BlocksOf<double>;

// Gradient descent's step on every block: P −= α dP (α rounded to the blocks' precision).
template <typename eT>
void update(const BlocksOf<eT>& blocks, double learning_rate) {
  for (const BlockOf<eT>& block : blocks) *block.P -= learning_rate * *block.dP;
}

}  // namespace nn
