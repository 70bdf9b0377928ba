// Activations, their derivatives, the losses and the metrics of common/.
#define BOOST_TEST_MODULE activations_losses
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/mlp.hpp"
#include "common/nn/neuron.hpp"
#include "datasets/synthetic.hpp"

namespace {

const arma::mat kZ{{-3.0, -0.7, -0.2, 0.3, 0.9, 2.5}};  // avoids ReLU's kink at 0

// g'(z) against the central difference of g, element by element.
void check_derivative(nn::Activation g) {
  const double h = 1e-6;
  const arma::mat numeric =
      (nn::activate(g, arma::mat(kZ + h)) - nn::activate(g, arma::mat(kZ - h))) / (2 * h);
  BOOST_TEST_CONTEXT(nn::activation_name(g)) {
    BOOST_TEST(arma::abs(nn::activate_prime(g, kZ) - numeric).max() < 1e-8);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(derivatives_match_central_differences) {
  for (auto g : {nn::Activation::sigmoid, nn::Activation::tanh, nn::Activation::relu,
                 nn::Activation::leaky_relu, nn::Activation::identity})
    check_derivative(g);
}

BOOST_AUTO_TEST_CASE(activation_values) {
  BOOST_TEST(nn::sigmoid(arma::mat(1, 1, arma::fill::zeros))(0) == 0.5);
  BOOST_TEST(nn::relu(arma::mat{{-2.0, 3.0}})(0) == 0.0);
  BOOST_TEST(nn::leaky_relu(arma::mat(1, 1, arma::fill::value(-2.0)))(0) == -0.02);
  BOOST_TEST(nn::sigmoid_prime(arma::mat(1, 1, arma::fill::zeros))(0) ==
             0.25);  // the bound of chapter 06
  BOOST_TEST((nn::activation_from_name("relu") == nn::Activation::relu));
  BOOST_CHECK_THROW(nn::activation_from_name("swish"), nn::UsageError);
}

BOOST_AUTO_TEST_CASE(stable_at_extreme_inputs) {
  const arma::mat Z{{-1000.0, 1000.0}, {1000.0, -1000.0}, {0.0, 0.0}};
  BOOST_TEST(Z.is_finite());
  BOOST_TEST(nn::sigmoid(Z).is_finite());
  BOOST_TEST(nn::sigmoid(Z)(0, 0) == 0.0);
  BOOST_TEST(nn::sigmoid(Z)(0, 1) == 1.0);
  const arma::mat S = nn::softmax(Z);
  BOOST_TEST(S.is_finite());
  BOOST_TEST(S(1, 0) == 1.0);
  BOOST_TEST(arma::abs(arma::sum(S, 0) - 1.0).max() < 1e-15);
  const arma::fmat Sf = nn::softmax(arma::conv_to<arma::fmat>::from(Z));
  BOOST_TEST(Sf.is_finite());
  // Saturated outputs: a confident wrong answer costs |z|, a confident right one nothing.
  const arma::mat Y{{1.0, 0.0}};
  BOOST_TEST(nn::binary_cross_entropy(arma::mat{{-1000.0, 1000.0}}, Y) == 1000.0);
  BOOST_TEST(nn::binary_cross_entropy(arma::mat{{1000.0, -1000.0}}, Y) == 0.0);
  const arma::mat onehot{{0.0, 1.0}, {1.0, 0.0}, {0.0, 0.0}};
  BOOST_TEST(std::abs(nn::categorical_cross_entropy(Z, onehot) - 0.0) < 1e-12);
  BOOST_TEST(
      std::abs(nn::categorical_cross_entropy(Z, arma::mat{{1.0, 0.0}, {0.0, 1.0}, {0.0, 0.0}}) -
               2000.0) < 1e-9);
}

BOOST_AUTO_TEST_CASE(losses_agree_with_their_textbook_forms) {
  const arma::mat Z{{-1.5, 0.2, 2.0, 0.7}};
  const arma::mat Y{{0.0, 1.0, 1.0, 0.0}};
  const arma::mat A = nn::sigmoid(Z);
  const double textbook = -arma::accu(Y % arma::log(A) + (1 - Y) % arma::log(1 - A)) / 4.0;
  BOOST_TEST(std::abs(nn::binary_cross_entropy(Z, Y) - textbook) < 1e-15);
  const arma::mat Z3{{1.0, -2.0}, {0.5, 0.0}, {-1.0, 3.0}};
  const arma::mat Y3{{1.0, 0.0}, {0.0, 0.0}, {0.0, 1.0}};
  const double textbook_ce = -arma::accu(Y3 % arma::log(nn::softmax(Z3))) / 2.0;
  BOOST_TEST(std::abs(nn::categorical_cross_entropy(Z3, Y3) - textbook_ce) < 1e-15);
  BOOST_TEST(nn::squared_error_cost(arma::mat{{1.0, 3.0}}, arma::mat{{0.0, 1.0}}) == 1.25);
}

BOOST_AUTO_TEST_CASE(cross_entropy_gradients_are_a_minus_y) {
  // dJ/dZ = (A − Y)/m for sigmoid + binary and softmax + categorical cross-entropy.
  arma::mat Z{{-1.5, 0.2, 2.0}};
  const arma::mat Y{{0.0, 1.0, 1.0}};
  const arma::mat numeric =
      nn::numerical_gradient([&] { return nn::binary_cross_entropy(Z, Y); }, Z);
  BOOST_TEST(nn::relative_error((nn::sigmoid(Z) - Y) / 3.0, numeric) < 1e-8);
  arma::mat Z3{{1.0, -2.0}, {0.5, 0.0}, {-1.0, 3.0}};
  const arma::mat Y3{{1.0, 0.0}, {0.0, 0.0}, {0.0, 1.0}};
  const arma::mat numeric3 =
      nn::numerical_gradient([&] { return nn::categorical_cross_entropy(Z3, Y3); }, Z3);
  BOOST_TEST(nn::relative_error((nn::softmax(Z3) - Y3) / 2.0, numeric3) < 1e-8);
}

BOOST_AUTO_TEST_CASE(gradient_checker_catches_a_wrong_gradient) {
  // J(W) = Σ W² has gradient 2W; the checker must accept 2W and reject W.
  arma::mat W{{1.0, -2.0}, {0.5, 3.0}};
  const auto J = [&] { return arma::accu(arma::square(W)); };
  const nn::GradientReport right = nn::check_gradients(J, {{"W", &W, 2 * W}});
  const nn::GradientReport wrong = nn::check_gradients(J, {{"W", &W, W}});
  BOOST_TEST(right.max_error < 1e-9);
  BOOST_TEST(wrong.max_error > 0.3);
  BOOST_TEST(wrong.errors.front().first == "W");
  BOOST_TEST(W(1, 1) == 3.0);  // restored after probing
  BOOST_TEST(nn::relative_error(arma::zeros(2, 2), arma::zeros(2, 2)) == 0.0);
}

BOOST_AUTO_TEST_CASE(metrics_against_hand_computed_values) {
  const arma::mat y{{1.0, 2.0, 3.0, 4.0}};
  const arma::mat y_hat{{1.5, 2.0, 2.0, 4.0}};
  // errors 0.5, 0, −1, 0: |e| sums to 1.5, e² to 1.25; Σ(y − ȳ)² = 5
  BOOST_TEST(nn::mae(y, y_hat) == 0.375);
  BOOST_TEST(nn::sse(y, y_hat) == 1.25);
  BOOST_TEST(nn::mse(y, y_hat) == 0.3125);
  BOOST_TEST(nn::rmse(y, y_hat) == std::sqrt(0.3125));
  BOOST_TEST(nn::r2(y, y_hat) == 0.75);
  BOOST_TEST(std::abs(nn::mape(y, y_hat) - 100.0 * (0.5 + 1.0 / 3.0) / 4.0) < 1e-12);
  // A zero truth is left out of MAPE rather than dividing by it.
  BOOST_TEST(std::abs(nn::mape(arma::mat{{0.0, 2.0}}, arma::mat{{1.0, 1.0}}) - 50.0) < 1e-12);
  BOOST_TEST(nn::accuracy(arma::uvec{1, 2, 3, 4}, arma::uvec{1, 2, 0, 4}) == 75.0);
  BOOST_TEST(nn::binary_accuracy(arma::mat{{0.9, 0.4, 0.6}}, arma::mat{{1.0, 0.0, 0.0}}) ==
             200.0 / 3.0);
  BOOST_TEST(arma::all(nn::predict_classes(arma::mat{{0.1, 0.7}, {0.9, 0.3}}) == arma::uvec{1, 0}));
}

// Seven samples of three classes, counted by hand: truth 0 0 0 1 1 2 2, answers 0 1 0 1 1 1 2.
// Class 2 is never answered wrongly but found once in two; class 1 is answered four times and
// right twice. A class nobody predicts has precision 0, not 0/0.
BOOST_AUTO_TEST_CASE(confusion_matrix_and_per_class_scores_by_hand) {
  const arma::uvec truth{0, 0, 0, 1, 1, 2, 2}, predicted{0, 1, 0, 1, 1, 1, 2};
  const arma::umat C = nn::confusion_matrix(predicted, truth, 3);
  BOOST_TEST(arma::all(arma::vectorise(C == arma::umat{{2, 1, 0}, {0, 2, 0}, {0, 1, 1}})));
  const nn::ClassScores s = nn::class_scores(C);
  BOOST_TEST(arma::approx_equal(s.recall, arma::vec{200.0 / 3.0, 100.0, 50.0}, "absdiff", 1e-12));
  BOOST_TEST(arma::approx_equal(s.precision, arma::vec{100.0, 50.0, 100.0}, "absdiff", 1e-12));
  // the accuracy is the diagonal's share, whichever way it is counted
  BOOST_TEST(nn::accuracy(predicted, truth) ==
             100.0 * static_cast<double>(arma::trace(C)) / static_cast<double>(arma::accu(C)));
  const nn::ClassScores never = nn::class_scores(nn::confusion_matrix({0, 0}, {0, 1}, 3));
  BOOST_TEST(arma::approx_equal(never.precision, arma::vec{50.0, 0.0, 0.0}, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(never.recall, arma::vec{100.0, 0.0, 0.0}, "absdiff", 0.0));
}

namespace {
// What nn::check_cost throws for a cost J at an iteration (with the ceiling `saturated`): the
// message and the cause; an empty message when it lets the run go on.
std::pair<std::string, std::optional<nn::Cause>> divergence(double J, long iteration,
                                                            double saturated = nn::kSaturatedLoss) {
  try {
    nn::check_cost(J, iteration, saturated);
  } catch (const nn::DivergedError& e) {
    BOOST_TEST(e.iteration == iteration);
    return {e.what(), e.cause};
  }
  return {"", std::nullopt};
}
}  // namespace

// The one test of divergence: inf, NaN, or a cross-entropy past the point where the outputs
// saturate (a finite cost of 1.2e10, as chapter 2's --init-scale 1e10 gave, once trained on),
// with the initial weights blamed before any step and the steps after. The maths names no flag.
BOOST_AUTO_TEST_CASE(check_cost_catches_overflow_and_saturation) {
  BOOST_TEST(divergence(1.0, 5).first.empty());
  BOOST_TEST(divergence(nn::kSaturatedLoss, 5).first.empty());
  BOOST_TEST(divergence(1e10, 5, nn::kNoCeiling).first.empty());  // the squared error
  const auto [nan, nan_cause] = divergence(std::nan(""), 42);
  BOOST_TEST(nan.find("iteration 42: cost is NaN") != std::string::npos, nan);
  BOOST_TEST((nan_cause == nn::Cause::learning_rate));
  const auto [big, big_cause] = divergence(1.2e10, 0);
  BOOST_TEST(big.find("iteration 0 (before any step): cost is 1.2e+10") != std::string::npos, big);
  BOOST_TEST((big_cause == nn::Cause::initial_scale));
  BOOST_TEST(divergence(INFINITY, 3, nn::kNoCeiling).first.find("cost is inf") !=
             std::string::npos);
  BOOST_TEST(big.find("--") == std::string::npos, big);
  // the ceiling is where σ saturates: a logit of kSaturatedLoss + 1 rounds to exactly 1, one of
  // kSaturatedLoss − 1 does not
  BOOST_TEST(nn::sigmoid(arma::mat{nn::kSaturatedLoss + 1})(0) == 1.0);
  BOOST_TEST(nn::sigmoid(arma::mat{nn::kSaturatedLoss - 1})(0) < 1.0);
  // and per output of a network: n_L sigmoid outputs, one softmax, no ceiling for the identity
  BOOST_TEST(nn::saturated_cost(nn::Mlp({2, 3, 10}, nn::Activation::relu, nn::Output::sigmoid)) ==
             10 * nn::kSaturatedLoss);
  BOOST_TEST(nn::saturated_cost(nn::Mlp({2, 3, 10}, nn::Activation::relu, nn::Output::softmax)) ==
             nn::kSaturatedLoss);
  BOOST_TEST(std::isinf(
      nn::saturated_cost(nn::Mlp({2, 3, 1}, nn::Activation::relu, nn::Output::identity))));
}

// A penalty step that must diverge is blamed on the penalty, and its message names no flag.
BOOST_AUTO_TEST_CASE(check_penalty_step_blames_the_penalty) {
  BOOST_CHECK_NO_THROW(nn::check_penalty_step(1.0, 1.9, 1.0));
  try {
    nn::check_penalty_step(1.0, 1e300, 1000.0);
    BOOST_FAIL("no DivergedError");
  } catch (const nn::DivergedError& e) {
    BOOST_TEST((e.cause == nn::Cause::penalty));
    BOOST_TEST(std::string(e.what()).find("--") == std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(one_neuron_learns_a_separable_gate) {
  const nn::Dataset AND = nn::make_truth_table("AND");
  nn::NeuronLayer neuron{arma::zeros(1, 2), arma::zeros(1, 1)};
  BOOST_TEST(arma::all(arma::vectorise(nn::neuron_output(neuron, AND.X)) == 0.5));
  const double first = nn::train_neuron(neuron, AND.X, AND.Y, 1.0, 1);
  const double last = nn::train_neuron(neuron, AND.X, AND.Y, 1.0, 2000);
  BOOST_TEST(last < first);
  BOOST_TEST(last < 0.05);
  BOOST_TEST(nn::binary_accuracy(nn::neuron_output(neuron, AND.X), AND.Y) == 100.0);
  // A learning rate far too large: the cost overflows to inf and the step is named.
  nn::NeuronLayer wild{arma::zeros(1, 2), arma::zeros(1, 1)};
  const nn::Dataset big{AND.X * 1e300, AND.Y};
  BOOST_CHECK_THROW(nn::train_neuron(wild, big.X, big.Y, 1e300, 5), nn::DivergedError);
}
