// One batch's gradient on two cores (data parallelism, chapter 05): each core sends its half of
// the batch through the lesson's own gradient function, into a workspace of its own. A lesson
// calls it in one line where a serial loop would call its gradient function, then updates its
// parameters with the halves' gradients; it never sees a thread. The halves are two jobs of the
// nn::Jobs the lesson was handed: TwoCoreTeam (the program's main) runs them on two cores at
// once, plain nn::Jobs one after the other, with the same numbers.
#pragma once
#include <armadillo>
#include <array>

#include "common/plumbing/parallel.hpp"

namespace nn {

// The two halves of one batch of m = m_0 + m_1 samples: their sizes, and the cost over each.
// Half 0 takes the extra sample of an odd batch, so only half 1 can be empty (a batch of one).
struct Halves {
  std::array<arma::uword, TwoCores::count> m{};
  std::array<double, TwoCores::count> J{};  // the mean cost over each half's samples

  // The halves that hold samples: 0 … used() − 1.
  int used() const { return m[1] > 0 ? 2 : 1; }
  // m_k / m: the half's share of the batch, by which its mean gradient counts in the batch's.
  float weight(int k) const { return static_cast<float>(m[k]) / static_cast<float>(m[0] + m[1]); }
  // The whole batch's cost, J = Σ_k (m_k / m) J_k.
  double cost() const {
    double sum = 0.0;
    for (int k = 0; k < used(); ++k) sum += J[k] * static_cast<double>(m[k]);
    return sum / static_cast<double>(m[0] + m[1]);
  }
};

// Core k runs J_k = gradient(half_k, work[k]) on its half of `batch` (indices of samples), as
// job k of `cores`: `gradient` must leave the half's mean gradient in work[k] and return its mean
// cost, and must not write anything the other core reads. Returns when both halves are done; an
// exception on either core is rethrown here, after both have stopped.
template <typename Work, typename Gradient>
Halves gradient_on_two_cores(const Jobs& cores, const arma::uvec& batch,
                             std::array<Work, TwoCores::count>& work, Gradient&& gradient) {
  Halves h;
  // [book:gradient_on_two_cores]
  cores.run(TwoCores::count, [&](arma::uword core) {
    const Share mine = share(batch.n_elem, static_cast<int>(core), TwoCores::count);
    h.m[core] = mine.count;
    if (mine.count > 0)  // (a batch of one sample has an empty half)
      h.J[core] = gradient(batch.subvec(mine.first, mine.first + mine.count - 1), work[core]);
  });
  // [/book:gradient_on_two_cores]
  return h;
}

}  // namespace nn
