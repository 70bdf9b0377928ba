// common/mlp: the deep network that chapters 06 and 07 (and later ones) build on. Its backward
// pass against central differences, for every pairing of hidden activation and output layer the
// chapters use.
#define BOOST_TEST_MODULE mlp
#include <boost/test/unit_test.hpp>
#include <utility>
#include <vector>

#include "common/gradient_check.hpp"
#include "common/mlp.hpp"
#include "common/numpy_random.hpp"

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
