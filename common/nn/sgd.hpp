// Mini-batch stochastic gradient descent as Nielsen's network2.py runs it (chapters 06 and 10):
// every epoch a fresh shuffle of the m samples, then one step per mini-batch of `batch` of them,
// along the mean gradient over the batch, with an optional weight penalty (common/penalty).
#pragma once
#include <armadillo>
#include <cstdint>
#include <functional>

#include "common/nn/mlp.hpp"
#include "common/nn/penalty.hpp"

namespace nn {

struct SgdSettings {
  int epochs = 1;              // passes over the training set
  int batch = 10;              // samples per step (the last batch of an epoch may be smaller)
  double learning_rate = 0.1;  // η (α)
  Penalty penalty;             // none by default; its n is usually the training-set size m
  std::uint32_t seed = 0;      // the shuffles follow np.random.seed(seed)'s permutations
};

// What the caller decides after each epoch.
enum class AfterEpoch { go_on, stop };

// Called after epoch `epoch` (1-based) with the network as it is then, and the cost C₀ of the
// epoch's last mini-batch (without the penalty). Evaluation, progress lines, early stopping.
using EpochHook = std::function<AfterEpoch(int epoch, const Mlp& net, double last_batch_cost)>;

// `settings.epochs` passes over (X, Y) (X: n_x × m, Y: n_y × m, one sample per column), or fewer
// when `after_epoch` says stop. Returns the network after the last step. Throws DivergedError
// when a batch's cost is not finite.
Mlp train_sgd(Mlp net, const arma::mat& X, const arma::mat& Y, const SgdSettings& settings,
              const EpochHook& after_epoch);

}  // namespace nn
