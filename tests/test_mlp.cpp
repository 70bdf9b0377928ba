// common/nn/mlp: the deep network that chapters 06, 07, 09 and 10 train. Its backward pass
// against central differences, for every pairing of hidden activation and output layer the
// chapters use, with and without per-sample weights.
#define BOOST_TEST_MODULE mlp
#include <boost/test/unit_test.hpp>
#include <utility>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/mlp.hpp"
#include "common/nn/numpy_random.hpp"

BOOST_AUTO_TEST_CASE(deep_network_gradients_match_central_differences) {
  const std::vector<std::pair<nn::Activation, nn::Output>> kinds{
      {nn::Activation::sigmoid, nn::Output::sigmoid},
      {nn::Activation::tanh, nn::Output::softmax},
      {nn::Activation::leaky_relu, nn::Output::identity},
      {nn::Activation::relu, nn::Output::sigmoid}};
  nn::NumpyRandom rng(4);
  const arma::mat X = rng.randn(3, 5);
  for (const auto& [hidden, output] : kinds) {
    nn::Mlp net({3, 4, 4, 2}, hidden, output);
    for (arma::uword l = 1; l <= net.layers(); ++l) {
      net.W[l] = rng.randn(net.sizes[l], net.sizes[l - 1]);
      net.b[l] = rng.randn(net.sizes[l], 1);
    }
    arma::mat Y = output == nn::Output::softmax ? arma::mat{{1, 0, 1, 0, 0}, {0, 1, 0, 1, 1}}
                                                : arma::mat(rng.rand(2, 5));
    BOOST_TEST_CONTEXT(nn::activation_name(hidden)) {
      BOOST_TEST(nn::check_gradients(net, X, Y).max_error < 1e-7);
    }
  }
}

// With per-sample weights w, backward is the gradient of (1/m) Σ_j w_j 𝓛(j) for every output;
// weights of 1 give the unweighted cost and gradients to the last bit.
BOOST_AUTO_TEST_CASE(weighted_gradients_match_central_differences) {
  nn::NumpyRandom rng(6);
  const arma::mat X = rng.randn(3, 5);
  const arma::rowvec w{0.5, 2.0, 1.0, 3.0, 0.25};
  for (const nn::Output output : {nn::Output::sigmoid, nn::Output::softmax, nn::Output::identity}) {
    nn::Mlp net({3, 4, 2}, nn::Activation::tanh, output);
    for (arma::uword l = 1; l <= net.layers(); ++l) {
      net.W[l] = rng.randn(net.sizes[l], net.sizes[l - 1]);
      net.b[l] = rng.randn(net.sizes[l], 1);
    }
    const arma::mat Y = output == nn::Output::softmax ? arma::mat{{1, 0, 1, 0, 0}, {0, 1, 0, 1, 1}}
                                                      : arma::mat(rng.rand(2, 5));
    const nn::MlpGradients g = nn::backward(net, nn::forward(net, X), X, Y, w);
    std::vector<nn::GradientBlock> blocks;
    for (arma::uword l = 1; l <= net.layers(); ++l) {
      blocks.push_back({"W", &net.W[l], g.dW[l]});
      blocks.push_back({"b", &net.b[l], g.db[l]});
    }
    const auto J = [&] { return nn::cost(net, nn::forward(net, X), Y, w); };
    BOOST_TEST(nn::check_gradients(J, blocks).max_error < 1e-7);
    const arma::rowvec ones(5, arma::fill::ones);
    const nn::MlpCache cache = nn::forward(net, X);
    BOOST_TEST(nn::cost(net, cache, Y, ones) == nn::cost(net, cache, Y));
    const nn::MlpGradients plain = nn::backward(net, cache, X, Y),
                           unit = nn::backward(net, cache, X, Y, ones);
    for (arma::uword l = 1; l <= net.layers(); ++l) {
      BOOST_TEST(arma::approx_equal(plain.dW[l], unit.dW[l], "absdiff", 0.0));
      BOOST_TEST(arma::approx_equal(plain.db[l], unit.db[l], "absdiff", 0.0));
    }
  }
}

// A penalised step is a gradient step on C₀ + penalty: with dW = ∂C₀/∂W, the weights move by
// −α (dW + ∂penalty/∂W), the penalty's derivative taken by central differences of penalty_cost.
BOOST_AUTO_TEST_CASE(penalized_step_descends_the_penalised_cost) {
  nn::NumpyRandom rng(7);
  const arma::mat W = rng.randn(3, 4), dW = rng.randn(3, 4);
  const double alpha = 0.3, epsilon = 1e-6;
  for (const auto kind : {nn::Penalty::Kind::none, nn::Penalty::Kind::l2, nn::Penalty::Kind::l1}) {
    const nn::Penalty penalty{kind, 5.0, 1000.0};
    arma::mat stepped = W;
    nn::penalized_step(stepped, dW, alpha, penalty);
    arma::mat dPenalty(arma::size(W));
    for (arma::uword i = 0; i < W.n_elem; ++i) {
      arma::mat plus = W, minus = W;
      plus(i) += epsilon;
      minus(i) -= epsilon;
      dPenalty(i) =
          (nn::penalty_cost(penalty, {plus}) - nn::penalty_cost(penalty, {minus})) / (2 * epsilon);
    }
    BOOST_TEST_CONTEXT(nn::penalty_name(kind)) {
      BOOST_TEST(arma::abs(stepped - (W - alpha * (dW + dPenalty))).max() < 1e-9);
    }
  }
  // the penalty pulls every weight towards zero: a step with no data gradient shrinks |W|
  for (const auto kind : {nn::Penalty::Kind::l2, nn::Penalty::Kind::l1}) {
    arma::mat shrunk = W;
    nn::penalized_step(shrunk, arma::zeros(arma::size(W)), alpha, {kind, 5.0, 1000.0});
    BOOST_TEST(arma::all(arma::vectorise(arma::abs(shrunk) < arma::abs(W))));
  }
}
