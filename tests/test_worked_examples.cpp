// The two worked examples of backpropagation on a computational graph in the book's front
// part, computed stage by stage and checked against central differences (common/).
#define BOOST_TEST_MODULE worked_examples
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "common/nn/gradient_check.hpp"
#include "tests/chapter_test.hpp"

namespace {

const nn::Json kExpected = nn::testing::expected("worked_examples");

double expected(const std::string& pointer) {
  return kExpected[nn::Json::json_pointer(pointer)].get<double>();
}

}  // namespace

BOOST_AUTO_TEST_CASE(sum_then_product) {
  arma::mat v{{-2.0, 5.0, -4.0}};  // x, y, z
  // [book:graph-add-mul]
  // forward: one node at a time
  const double x = v(0), y = v(1), z = v(2);
  const double q = x + y;  // q = 3
  const double f = q * z;  // f = −12
  // backward: each node multiplies the gradient arriving from above by its local derivative
  const double df_dq = z;          // ∂(q·z)/∂q = z
  const double df_dz = q;          // ∂(q·z)/∂z = q
  const double df_dx = df_dq * 1;  // ∂(x + y)/∂x = 1: an add gate passes the gradient on
  const double df_dy = df_dq * 1;
  // [/book:graph-add-mul]
  const auto J = [&] { return (v(0) + v(1)) * v(2); };
  const arma::mat numeric = nn::numerical_gradient(J, v);
  BOOST_TEST(nn::relative_error(arma::mat{{df_dx, df_dy, df_dz}}, numeric) < 1e-9);
  BOOST_TEST(f == expected("/add_mul/f"));
  BOOST_TEST(df_dx == expected("/add_mul/df_dx"));
  BOOST_TEST(df_dy == expected("/add_mul/df_dy"));
  BOOST_TEST(df_dz == expected("/add_mul/df_dz"));
}

BOOST_AUTO_TEST_CASE(one_sigmoid_neuron) {
  arma::mat w{{2.0, -3.0, -3.0}};  // w0, w1, w2 (the bias)
  arma::mat x{{-1.0, -2.0}};       // x0, x1
  // [book:graph-neuron]
  // forward
  const double dot = w(0) * x(0) + w(1) * x(1) + w(2);  // 1
  const double f = 1.0 / (1.0 + std::exp(-dot));        // σ(1) ≈ 0.73
  // backward: σ' = σ(1 − σ) at the sigmoid gate, then the multiply gates swap their inputs
  const double ddot = (1 - f) * f;  // ≈ 0.20
  const arma::mat dw{{x(0) * ddot, x(1) * ddot, 1.0 * ddot}};
  const arma::mat dx{{w(0) * ddot, w(1) * ddot}};
  // [/book:graph-neuron]
  const auto J = [&] { return 1.0 / (1.0 + std::exp(-(w(0) * x(0) + w(1) * x(1) + w(2)))); };
  BOOST_TEST(nn::relative_error(dw, nn::numerical_gradient(J, w)) < 1e-9);
  BOOST_TEST(nn::relative_error(dx, nn::numerical_gradient(J, x)) < 1e-9);
  const auto close = [](double a, double b) { return std::abs(a - b) < 1e-15; };
  BOOST_TEST(close(f, expected("/neuron/f")));
  BOOST_TEST(close(dw(0), expected("/neuron/dw0")));
  BOOST_TEST(close(dw(1), expected("/neuron/dw1")));
  BOOST_TEST(close(dw(2), expected("/neuron/dw2")));
  BOOST_TEST(close(dx(0), expected("/neuron/dx0")));
  BOOST_TEST(close(dx(1), expected("/neuron/dx1")));
}
