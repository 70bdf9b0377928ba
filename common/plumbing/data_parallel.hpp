// One step of gradient descent on two cores (data parallelism, chapter 05): each core sends half
// of the batch through the lesson's gradient function, and the whole batch's gradient is the
// halves' mean gradients weighted by their sizes. A lesson calls it in one line, as it would
// call its own serial step.
#pragma once
#include <armadillo>
#include <array>
#include <cmath>
#include <tuple>
#include <utility>

#include "common/plumbing/parallel.hpp"

namespace nn {

// One core's half of the step: the samples it took and the cost over them.
struct Half {
  arma::uword m = 0;
  double J = 0.0;
};

// Applies P −= α Σ_k (m_k / m) dP_k to this core's share of the columns of every block, where
// `params` and each `grads[k]` are std::tie-d blocks in the same order (W1, b1, W2, …). The
// halves are applied one after the other, so no number is written by both cores.
template <typename Params, typename Grads>
void descend_share(Params params, const std::array<Grads, TwoCores::count>& grads,
                   const std::array<Half, TwoCores::count>& halves, float alpha, int core) {
  const auto m = static_cast<float>(halves[0].m + halves[1].m);
  const auto block = [&]<std::size_t i>(std::integral_constant<std::size_t, i>) {
    // [book:descend_share]
    arma::fmat& P = std::get<i>(params);
    const Share mine = share(P.n_cols, core, TwoCores::count);
    if (mine.count == 0) return;
    const arma::span cols(mine.first, mine.first + mine.count - 1);
    for (int k = 0; k < TwoCores::count; ++k)
      if (halves[k].m > 0)
        P.cols(cols) -= alpha * (halves[k].m / m) * std::get<i>(grads[k]).cols(cols);
    // [/book:descend_share]
  };
  [&]<std::size_t... i>(std::index_sequence<i...>) {
    (block(std::integral_constant<std::size_t, i>{}), ...);
  }
  (std::make_index_sequence<std::tuple_size_v<Params>>{});
}

// The step on `batch` (indices of samples): core k runs gradient(half_k, work[k]), which must
// leave the half's mean gradient in work[k] and return its mean cost; then both cores update
// `model` from the weighted mean. Returns the whole batch's cost J; when J is not finite the
// parameters are left as they were. `model.blocks()` and `work[k].gradient_blocks()` list the
// parameter blocks and their gradients in the same order.
template <typename Model, typename Work, typename Gradient>
double data_parallel_step(TwoCores& cores, Model& model, const arma::uvec& batch, float alpha,
                          std::array<Work, TwoCores::count>& work, Gradient&& gradient) {
  std::array<Half, TwoCores::count> halves;
  double J = 0.0;
  // [book:data_parallel_step]
  cores.run([&](int core) {
    const Share mine = share(batch.n_elem, core, TwoCores::count);
    halves[core].m = mine.count;
    if (mine.count > 0)  // (a batch of one sample has an empty half)
      halves[core].J = gradient(batch.subvec(mine.first, mine.first + mine.count - 1), work[core]);
    cores.sync();  // both halves' gradients are ready
    double sum = 0.0;
    for (const Half& h : halves)
      if (h.m > 0) sum += h.J * static_cast<double>(h.m);
    const double J_batch = sum / static_cast<double>(batch.n_elem);
    if (core == 0) J = J_batch;
    if (!std::isfinite(J_batch)) return;  // diverged: the caller reports it
    descend_share(model.blocks(), std::array{work[0].gradient_blocks(), work[1].gradient_blocks()},
                  halves, alpha, core);
  });
  // [/book:data_parallel_step]
  return J;
}

}  // namespace nn
