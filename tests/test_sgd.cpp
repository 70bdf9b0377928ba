// common/sgd: Nielsen's mini-batch SGD loop (chapters 06 and 10). Its steps against the
// gradient step spelled out by hand, its shuffles against numpy's permutations, and the hook.
#define BOOST_TEST_MODULE sgd
#include <boost/test/unit_test.hpp>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/nn/mlp.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/sgd.hpp"

namespace {

// A 3-4-2 sigmoid network with random parameters, and 6 samples with 0/1 targets.
struct Problem {
  nn::Mlp net{{3, 4, 2}, nn::Activation::sigmoid, nn::Output::sigmoid};
  arma::mat X, Y;
};
Problem problem() {
  nn::NumpyRandom rng(11);
  Problem p;
  for (arma::uword l = 1; l <= p.net.layers(); ++l) {
    p.net.W[l] = rng.randn(p.net.sizes[l], p.net.sizes[l - 1]);
    p.net.b[l] = rng.randn(p.net.sizes[l], 1);
  }
  p.X = rng.randn(3, 6);
  p.Y = arma::conv_to<arma::mat>::from(rng.rand(2, 6) > 0.5);
  return p;
}

const nn::EpochHook go_on = [](int, const nn::Mlp&, double) { return nn::AfterEpoch::go_on; };

// One step along the mean gradient of the columns `pick`, with `penalty`.
nn::Mlp step(nn::Mlp net, const arma::mat& X, const arma::mat& Y, const arma::uvec& pick,
             double eta, const nn::Penalty& penalty) {
  const arma::mat X_batch = X.cols(pick);
  nn::update(net, nn::backward(net, nn::forward(net, X_batch), X_batch, Y.cols(pick)), eta,
             penalty);
  return net;
}

bool same(const nn::Mlp& a, const nn::Mlp& b) {
  for (arma::uword l = 1; l <= a.layers(); ++l)
    if (!arma::approx_equal(a.W[l], b.W[l], "absdiff", 0.0) ||
        !arma::approx_equal(a.b[l], b.b[l], "absdiff", 0.0))
      return false;
  return true;
}

}  // namespace

// Two epochs in batches of 4 (the last batch of each epoch holds 2): the batches are the
// slices of np.random.permutation(6) after np.random.seed(seed), one per epoch, and each step
// is nn::update with the penalty.
BOOST_AUTO_TEST_CASE(epochs_are_numpy_shuffles_cut_into_batches) {
  const Problem p = problem();
  const nn::Penalty penalty{nn::Penalty::Kind::l2, 0.3, 6.0};
  const nn::Mlp trained = nn::train_sgd(p.net, p.X, p.Y, {2, 4, 0.5, penalty, 9}, go_on);
  nn::NumpyRandom rng(9);
  nn::Mlp want = p.net;
  for (int epoch = 0; epoch < 2; ++epoch) {
    const arma::uvec order = rng.permutation(6);
    want = step(want, p.X, p.Y, order.subvec(0, 3), 0.5, penalty);
    want = step(want, p.X, p.Y, order.subvec(4, 5), 0.5, penalty);
  }
  BOOST_TEST(same(trained, want));
}

// The hook sees every epoch in order with the network after it, and "stop" ends the training.
BOOST_AUTO_TEST_CASE(hook_sees_each_epoch_and_can_stop) {
  const Problem p = problem();
  std::vector<int> seen;
  nn::Mlp after_second = p.net;
  const nn::Mlp trained = nn::train_sgd(
      p.net, p.X, p.Y, {10, 3, 0.1, {}, 1}, [&](int epoch, const nn::Mlp& net, double) {
        seen.push_back(epoch);
        if (epoch == 2) after_second = net;
        return epoch == 3 ? nn::AfterEpoch::stop : nn::AfterEpoch::go_on;
      });
  BOOST_TEST(seen == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(!same(trained, after_second));  // the third epoch did move the network
  BOOST_TEST(same(trained, nn::train_sgd(p.net, p.X, p.Y, {3, 3, 0.1, {}, 1}, go_on)));
}

// A batch whose cost is not finite ends the training with DivergedError.
BOOST_AUTO_TEST_CASE(a_diverging_run_throws) {
  Problem p = problem();
  p.X(0, 0) = arma::datum::nan;
  BOOST_CHECK_THROW(nn::train_sgd(p.net, p.X, p.Y, {1, 6, 0.1, {}, 1}, go_on), nn::DivergedError);
}
