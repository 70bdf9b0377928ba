#include "common/nn/sgd.hpp"

#include <algorithm>

#include "common/nn/errors.hpp"
#include "common/nn/numpy_random.hpp"

namespace nn {

// [book:sgd]
Mlp train_sgd(Mlp net, const arma::mat& X, const arma::mat& Y, const SgdSettings& settings,
              const EpochHook& after_epoch) {
  NumpyRandom rng(settings.seed);
  const arma::uword m = X.n_cols, batch = static_cast<arma::uword>(settings.batch);
  long iteration = 0;
  for (int epoch = 1; epoch <= settings.epochs; ++epoch) {
    const arma::uvec order = rng.permutation(m);  // a fresh shuffle every epoch
    double cost = 0;
    for (arma::uword start = 0; start < m; start += batch, ++iteration) {
      const arma::uvec pick = order.subvec(start, std::min(start + batch, m) - 1);
      const arma::mat X_batch = X.cols(pick), Y_batch = Y.cols(pick);
      // forward → cost → backward → update
      const MlpCache cache = forward(net, X_batch);
      cost = nn::cost(net, cache, Y_batch);
      check_cost(cost, iteration, saturated_cost(net));
      // W[l] −= η ∂C_batch/∂W[l] (+ the penalty's step), b[l] −= η ∂C_batch/∂b[l]
      update(net, backward(net, cache, X_batch, Y_batch), settings.learning_rate, settings.penalty);
    }
    if (after_epoch(epoch, net, cost) == AfterEpoch::stop) break;
  }
  return net;
}
// [/book:sgd]

}  // namespace nn
