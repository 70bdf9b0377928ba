// numpy's rounding, reproduced: np.sum's order and np.exp's last bits, against numbers numpy
// itself printed.
#define BOOST_TEST_MODULE numpy_math
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "common/numpy_math.hpp"
#include "common/numpy_random.hpp"
#include "common/results.hpp"

namespace {

double from_hex(const nn::Json& text) {
  return std::strtod(text.get<std::string>().c_str(), nullptr);
}

// Distance between a and b in units in the last place.
double ulps(double a, double b) {
  return std::abs(a - b) / (std::nextafter(std::abs(b), HUGE_VAL) - std::abs(b));
}

}  // namespace

// np.sum's order: eight running sums then a tree. Values from numpy 1.24.
BOOST_AUTO_TEST_CASE(pairwise_sum_adds_in_numpys_order) {
  std::vector<double> a(16, 1.0);
  a[0] = 1e16;  // added one by one, every 1 would be lost: 1e16 + 1 rounds back to 1e16
  BOOST_TEST(nn::pairwise_sum(a.data(), a.size()) == 1.0000000000000014e16);
  std::vector<double> b(209);  // the cat training set's size: two halves of 104 and 105
  for (std::size_t i = 0; i < b.size(); ++i)
    b[i] = (i % 2 ? -1.0 : 1.0) * std::pow(10.0, static_cast<double>(i % 7)) /
           static_cast<double>(i + 1);
  BOOST_TEST(nn::pairwise_sum(b.data(), b.size()) == 91072.90552109806);
  const std::vector<double> few{0.5, 0.25, 0.125};
  BOOST_TEST(nn::pairwise_sum(few.data(), few.size()) == 0.875);
}

// Bit for bit what numpy printed, including 64 arguments where the C library's exp differs.
BOOST_AUTO_TEST_CASE(exp_matches_numpy_bit_for_bit) {
  const nn::Json reference =
      nn::read_results(std::string(NN_TESTS_DIR) + "/expected/reference/numpy_exp.json");
  const nn::Json& x = reference.at("x");
  const nn::Json& want = reference.at("exp");
  BOOST_TEST_REQUIRE(x.size() == want.size());
  int differs_from_libm = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double xi = from_hex(x[i]);
    BOOST_TEST_CONTEXT("x = " << x[i].get<std::string>()) {
      BOOST_TEST(nn::numpy_exp(xi) == from_hex(want[i]));
    }
    if (std::exp(xi) != from_hex(want[i])) ++differs_from_libm;
  }
  BOOST_TEST(differs_from_libm >= 64);  // the test would be empty if numpy rounded like libm
}

// Over its whole range it is an accurate exp: within one unit in the last place.
BOOST_AUTO_TEST_CASE(exp_is_within_one_ulp) {
  nn::NumpyRandom rng(7);
  for (int i = 0; i < 100000; ++i) {
    const double x = rng.uniform(-707.0, 707.0);
    BOOST_TEST_REQUIRE(ulps(nn::numpy_exp(x), std::exp(x)) <= 1.0, "x = " << x);
  }
}

BOOST_AUTO_TEST_CASE(exp_special_values) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(nn::numpy_exp(0.0) == 1.0);
  BOOST_TEST(nn::numpy_exp(800.0) == inf);
  BOOST_TEST(nn::numpy_exp(-800.0) == 0.0);
  BOOST_TEST(nn::numpy_exp(inf) == inf);
  BOOST_TEST(nn::numpy_exp(-inf) == 0.0);
  BOOST_TEST(std::isnan(nn::numpy_exp(std::nan(""))));
  const arma::mat E = nn::numpy_exp(arma::mat{{0.0, 1.0}, {-1.0, 2.0}});
  BOOST_TEST(E(1, 1) == nn::numpy_exp(2.0));
  BOOST_TEST(E(1, 0) == nn::numpy_exp(-1.0));
}
