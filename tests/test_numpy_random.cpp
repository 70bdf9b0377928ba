// The numpy-compatible generator against numbers numpy itself printed.
#define BOOST_TEST_MODULE numpy_random
#include <boost/test/unit_test.hpp>

#include "common/nn/grid.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/plumbing/results.hpp"
#include "datasets/synthetic.hpp"

namespace {
nn::Json planar_reference() {
  return nn::read_results(std::string(NN_TESTS_DIR) + "/expected/reference/ch02_planar_numpy.json");
}
}  // namespace

BOOST_AUTO_TEST_CASE(randn_matches_numpy_seed_1) {
  // np.random.seed(1); np.random.randn(5)
  nn::NumpyRandom rng(1);
  const double expected[] = {1.6243453636632417, -0.6117564136500754, -0.5281717522634557,
                             -1.0729686221561705, 0.8654076293246785};
  for (double e : expected) BOOST_TEST(rng.randn() == e);
}

BOOST_AUTO_TEST_CASE(seed_forgets_the_cached_gaussian) {
  nn::NumpyRandom rng(1);
  rng.randn();  // leaves one value cached
  rng.seed(1);
  BOOST_TEST(rng.randn() == 1.6243453636632417);
}

BOOST_AUTO_TEST_CASE(permutation_and_rand_match_numpy) {
  // np.random.seed(3); np.random.permutation(10); np.random.rand(3)
  nn::NumpyRandom rng(3);
  const arma::uvec p = rng.permutation(10);
  const arma::uvec expected{5, 4, 1, 2, 9, 6, 7, 0, 3, 8};
  BOOST_TEST(arma::all(p == expected));
  const arma::mat u = rng.rand(1, 3);
  BOOST_TEST(u(0) == 0.20724287813818676);
  BOOST_TEST(u(1) == 0.05146720330082988);
  BOOST_TEST(u(2) == 0.44080984365063647);
  // np.random.seed(5); np.random.permutation(70000)[:5]
  rng.seed(5);
  const arma::uvec big = rng.permutation(70000);
  const arma::uvec head{6628, 2777, 7414, 63950, 44249};
  BOOST_TEST(arma::all(big.head(5) == head));
}

BOOST_AUTO_TEST_CASE(arrays_fill_in_row_major_order) {
  nn::NumpyRandom a(7), b(7);
  const arma::mat W = a.randn(3, 2);
  for (arma::uword i = 0; i < 3; ++i)
    for (arma::uword j = 0; j < 2; ++j) BOOST_TEST(W(i, j) == b.randn());
}

BOOST_AUTO_TEST_CASE(linspace_matches_numpy) {
  const arma::rowvec v = nn::linspace(0.0, 3.12, 200);
  BOOST_TEST(v(0) == 0.0);
  BOOST_TEST(v(199) == 3.12);
  BOOST_TEST(v(1) == 3.12 / 199.0);
  BOOST_TEST(nn::linspace(2.0, 5.0, 1)(0) == 5.0);
}

BOOST_AUTO_TEST_CASE(planar_initial_weights_are_bit_identical) {
  // The lesson: np.random.seed(2); W1 = randn(4, 2)*0.01; W2 = randn(1, 4)*0.01
  const nn::Json ref = planar_reference();
  nn::NumpyRandom rng(2);
  const arma::mat W1 = rng.randn(4, 2) * 0.01;
  const arma::mat W2 = rng.randn(1, 4) * 0.01;
  for (arma::uword k = 0; k < 8; ++k)
    BOOST_TEST(W1(k / 2, k % 2) == ref["W1_init_row_major"][k].get<double>());
  for (arma::uword k = 0; k < 4; ++k) BOOST_TEST(W2(0, k) == ref["W2_init"][k].get<double>());
}

BOOST_AUTO_TEST_CASE(planar_flower_matches_numpy) {
  const nn::Json ref = planar_reference();
  const nn::Dataset d = nn::make_planar_flower();
  BOOST_TEST(d.X.n_rows == 2u);
  BOOST_TEST(d.X.n_cols == 400u);
  const auto close = [](double a, double b) { return std::abs(a - b) <= 1e-12; };
  for (arma::uword k = 0; k < 5; ++k) {
    BOOST_TEST(close(d.X(0, k), ref["X_first5"]["row0"][k].get<double>()));
    BOOST_TEST(close(d.X(1, k), ref["X_first5"]["row1"][k].get<double>()));
    BOOST_TEST(close(d.X(0, 200 + k), ref["X_class1_first5"]["row0"][k].get<double>()));
    BOOST_TEST(close(d.X(1, 200 + k), ref["X_class1_first5"]["row1"][k].get<double>()));
  }
  BOOST_TEST(close(d.X(0, 399), ref["X_col399"][0].get<double>()));
  BOOST_TEST(close(d.X(1, 399), ref["X_col399"][1].get<double>()));
  BOOST_TEST(arma::accu(d.Y) == 200.0);
  BOOST_TEST(d.Y(0, 199) == 0.0);
  BOOST_TEST(d.Y(0, 200) == 1.0);
}

BOOST_AUTO_TEST_CASE(sine_and_truth_tables) {
  const nn::SineData s = nn::make_sine(1);
  BOOST_TEST(s.train.X.n_cols == 500u);
  BOOST_TEST(s.test.X.n_cols == 100u);
  BOOST_TEST(s.train.X.min() >= 0.0);
  BOOST_TEST(s.train.X.max() < 1.0);
  const arma::mat noise = s.train.Y - arma::sin(2 * arma::datum::pi * s.train.X);
  BOOST_TEST(arma::abs(noise).max() <= 0.1);
  BOOST_TEST(std::abs(s.test.Y(0, 25) - std::sin(2 * arma::datum::pi * 25.0 / 99.0)) < 1e-15);
  const nn::Dataset x = nn::make_truth_table("XOR");
  BOOST_TEST(arma::all(arma::vectorise(x.Y) == arma::vec{0, 1, 1, 0}));
  BOOST_CHECK_THROW(nn::make_truth_table("MAYBE"), std::exception);
}
