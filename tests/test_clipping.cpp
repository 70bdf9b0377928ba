// The two clipping rules of common/nn/clipping.hpp (chapter 07), on hand-made gradients.
#define BOOST_TEST_MODULE clipping
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>

#include "common/nn/clipping.hpp"

namespace {

// Two blocks whose joint norm is known by hand: ‖(3, 4, 0, 12)‖ = 13.
struct TwoBlocks {
  arma::mat A{{3.0, 4.0}};
  arma::mat B = arma::vec{0.0, 12.0};  // a column
  std::vector<arma::mat*> blocks() { return {&A, &B}; }
  arma::vec flat() const { return arma::join_cols(arma::vectorise(A), arma::vectorise(B)); }
};

// cos of the angle between u and v: 1 when they point the same way.
double cosine(const arma::vec& u, const arma::vec& v) {
  return arma::dot(u, v) / (arma::norm(u) * arma::norm(v));
}

}  // namespace

BOOST_AUTO_TEST_CASE(global_norm_covers_every_block) {
  TwoBlocks g;
  BOOST_TEST(nn::global_norm(g.blocks()) == 13.0, boost::test_tools::tolerance(1e-15));
  // components whose squares would overflow a double still give a finite norm
  arma::mat huge{{3e200, 4e200}};
  BOOST_TEST(nn::global_norm({&huge}) == 5e200, boost::test_tools::tolerance(1e-15));
  arma::mat zero(2, 2, arma::fill::zeros);
  BOOST_TEST(nn::global_norm({&zero}) == 0.0);
}

BOOST_AUTO_TEST_CASE(norm_after_clipping_equals_threshold_and_direction_is_kept) {
  TwoBlocks g;
  const arma::vec before = g.flat();
  const nn::ClipReport report = nn::clip_by_norm(g.blocks(), 6.5);
  BOOST_TEST(report.clipped);
  BOOST_TEST(report.norm == 13.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(arma::norm(g.flat()) == 6.5, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(cosine(before, g.flat()) == 1.0, boost::test_tools::tolerance(1e-14));
  // every block is scaled by the same θ/‖g‖ = 1/2: A = (1.5, 2), B = (0, 6)
  BOOST_TEST(arma::approx_equal(g.A, arma::mat{{1.5, 2.0}}, "absdiff", 1e-14));
  BOOST_TEST(arma::approx_equal(g.B, arma::mat(arma::vec{0.0, 6.0}), "absdiff", 1e-14));
}

BOOST_AUTO_TEST_CASE(nothing_changes_at_or_below_threshold) {
  for (double threshold : {13.0, 20.0}) {
    TwoBlocks g;
    const nn::ClipReport report = nn::clip_by_norm(g.blocks(), threshold);
    BOOST_TEST(!report.clipped);
    BOOST_TEST(arma::all(g.flat() == TwoBlocks().flat()));
  }
  TwoBlocks g;
  BOOST_TEST(!nn::clip_by_value(g.blocks(), 12.0).clipped);
  BOOST_TEST(arma::all(g.flat() == TwoBlocks().flat()));
}

BOOST_AUTO_TEST_CASE(clip_by_value_bounds_each_component_and_turns_the_direction) {
  TwoBlocks g;
  const arma::vec before = g.flat();
  const nn::ClipReport report = nn::clip_by_value(g.blocks(), 3.5);
  BOOST_TEST(report.clipped);
  BOOST_TEST(report.norm == 13.0, boost::test_tools::tolerance(1e-15));
  // (3, 4, 0, 12) → (3, 3.5, 0, 3.5): the small component is untouched, the large ones capped
  BOOST_TEST(arma::all(g.flat() == arma::vec{3.0, 3.5, 0.0, 3.5}));
  BOOST_TEST(arma::abs(g.flat()).max() <= 3.5);
  // the direction changed: cos = (9 + 14 + 42) / (13 · √(9 + 12.25 + 12.25)) ≈ 0.864
  BOOST_TEST(cosine(before, g.flat()) == 65.0 / (13.0 * std::sqrt(33.5)),
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(cosine(before, g.flat()) < 0.9);
  // negative components are capped at −c
  arma::mat n{{-10.0, 0.5}};
  nn::clip_by_value({&n}, 1.0);
  BOOST_TEST(arma::all(arma::vectorise(n) == arma::vec{-1.0, 0.5}));
}

BOOST_AUTO_TEST_CASE(mlp_gradients_are_clipped_as_one_vector) {
  nn::Mlp net({3, 4, 2}, nn::Activation::tanh, nn::Output::sigmoid);
  nn::MlpGradients grads{
      {arma::mat(), arma::mat(4, 3, arma::fill::ones), arma::mat(2, 4, arma::fill::ones)},
      {arma::mat(), arma::mat(4, 1, arma::fill::ones), arma::mat(2, 1, arma::fill::ones)}};
  // 12 + 8 + 4 + 2 = 26 ones: ‖g‖ = √26
  const nn::Blocks blocks = nn::blocks(net, grads);
  BOOST_TEST(nn::global_norm(nn::gradients(blocks)) == std::sqrt(26.0),
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(nn::gradients(blocks).size() == 4u);
  const nn::ClipReport report = nn::clip_by_norm(blocks, 1.0);
  BOOST_TEST(report.norm == std::sqrt(26.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(nn::global_norm(nn::gradients(blocks)) == 1.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(grads.dW[1](0, 0) == 1.0 / std::sqrt(26.0), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(grads.db[2](1, 0) == grads.dW[1](3, 2));
}

BOOST_AUTO_TEST_CASE(non_finite_gradients_are_reported_not_hidden) {
  arma::mat g{{1.0, arma::datum::nan}};
  const nn::ClipReport report = nn::clip_by_norm({&g}, 1.0);
  BOOST_TEST(std::isnan(report.norm));
  BOOST_TEST(!report.clipped);
  arma::mat h{{1.0, arma::datum::inf}};
  BOOST_TEST(std::isinf(nn::clip_by_norm({&h}, 1.0).norm));
}

BOOST_AUTO_TEST_CASE(thresholds_must_be_positive) {
  TwoBlocks g;
  BOOST_CHECK_THROW(nn::clip_by_norm(g.blocks(), 0.0), std::invalid_argument);
  BOOST_CHECK_THROW(nn::clip_by_norm(g.blocks(), -1.0), std::invalid_argument);
  BOOST_CHECK_THROW(nn::clip_by_value(g.blocks(), 0.0), std::invalid_argument);
  BOOST_CHECK_THROW(nn::clip_by_value(g.blocks(), arma::datum::nan), std::invalid_argument);
}
