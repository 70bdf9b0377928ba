// Chapter 2: the shallow tanh network against the numpy lesson (data, initial weights, costs),
// its backward pass against central differences, and the symmetry that random initialisation
// breaks.
#define BOOST_TEST_MODULE ch02_shallow_tanh
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <limits>

#include "chapters/02_shallow_tanh/lesson.hpp"
#include "chapters/02_shallow_tanh/report.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "tests/chapter_test.hpp"

namespace tt = boost::test_tools;
using nn::Json;
using namespace nn::testing;

namespace {

const std::string kName = "ch02_shallow_tanh";

// The numpy run of the lesson: tests/expected/reference/ch02_planar_numpy.json.
Json numpy_reference() {
  return nn::read_results(fs::path(NN_TESTS_DIR) / "expected" / "reference" /
                          "ch02_planar_numpy.json");
}

// The lesson's flower, from the chapter's default seed.
nn::Dataset lesson_data() {
  return nn::make_planar_flower(ch02::seeds_from(1).data);
}

// A progress that prints nothing, for the unit tests' training runs.
nn::Progress& quiet() {
  static nn::NoProgress silent;
  return silent;
}

// The lesson's results.json for the options of the command line `args` (changed by `set` from
// the defaults) and `seed`, made once by run() and shared by the test cases.
const Json& lesson(
    const std::string& args, std::uint32_t seed = ch02::kDefaultSeed,
    const std::function<void(ch02::Options&)>& set = [](ch02::Options&) {}) {
  return shared_run<Json>(args + " --seed " + std::to_string(seed), [&] {
    ch02::Options o;
    set(o);
    return ch02::to_json(ch02::run(o, seed, quiet()), o);
  });
}

// The study cut to one network of 4 units and 1 iteration, for the runs that look elsewhere.
void short_study(ch02::Options& o) {
  o.study_sizes = {4};
  o.study_iterations = 1;
}

}  // namespace

// The book quotes the numpy run from tests/expected/ch02_shallow_tanh.json: the same values.
BOOST_AUTO_TEST_CASE(expected_file_quotes_the_numpy_reference) {
  const Json ref = numpy_reference();
  const Json quoted = expected(kName)["numpy_reference"];
  BOOST_TEST(quoted["costs"] == ref["costs_every_1000"]);
  BOOST_TEST(quoted["final_cost"] == ref["final_cost"]);
  BOOST_TEST(quoted["accuracy"] == ref["accuracy_percent"]);
}

BOOST_AUTO_TEST_CASE(flower_matches_numpy_to_1e_12) {
  const Json ref = numpy_reference();
  const nn::Dataset d = lesson_data();
  BOOST_TEST(d.X.n_rows == 2u);
  BOOST_TEST(d.X.n_cols == 400u);
  for (arma::uword i = 0; i < 5; ++i) {
    BOOST_TEST(std::abs(d.X(0, i) - ref["X_first5"]["row0"][i].get<double>()) < 1e-12);
    BOOST_TEST(std::abs(d.X(1, i) - ref["X_first5"]["row1"][i].get<double>()) < 1e-12);
    BOOST_TEST(std::abs(d.X(0, 200 + i) - ref["X_class1_first5"]["row0"][i].get<double>()) < 1e-12);
    BOOST_TEST(std::abs(d.X(1, 200 + i) - ref["X_class1_first5"]["row1"][i].get<double>()) < 1e-12);
  }
  BOOST_TEST(std::abs(d.X(0, 399) - ref["X_col399"][0].get<double>()) < 1e-12);
  BOOST_TEST(std::abs(d.X(1, 399) - ref["X_col399"][1].get<double>()) < 1e-12);
  // the first 200 points are y = 0, the last 200 y = 1
  BOOST_TEST(arma::accu(d.Y.cols(0, 199)) == 0.0);
  BOOST_TEST(arma::accu(d.Y.cols(200, 399)) == 200.0);
}

BOOST_AUTO_TEST_CASE(initial_weights_equal_numpy_bit_for_bit) {
  const Json ref = numpy_reference();
  const ch02::Parameters p = ch02::initialize_parameters(2, 4, 1, ch02::seeds_from(1).init);
  BOOST_TEST(p.W1.n_rows == 4u);
  BOOST_TEST(p.W1.n_cols == 2u);
  // numpy fills row by row: W1[0,0], W1[0,1], W1[1,0], …
  for (arma::uword r = 0; r < 4; ++r)
    for (arma::uword c = 0; c < 2; ++c)
      BOOST_TEST(p.W1(r, c) == ref["W1_init_row_major"][2 * r + c].get<double>(),
                 tt::tolerance(0.0));
  for (arma::uword c = 0; c < 4; ++c)
    BOOST_TEST(p.W2(0, c) == ref["W2_init"][c].get<double>(), tt::tolerance(0.0));
  BOOST_TEST(arma::accu(arma::abs(p.b1)) == 0.0);
  BOOST_TEST(p.b1.n_rows == 4u);
  BOOST_TEST(arma::accu(arma::abs(p.b2)) == 0.0);
}

// --init-scale multiplies the same standard normal draws: scale 1 gives 100 times the lesson's.
BOOST_AUTO_TEST_CASE(init_scale_scales_the_same_draws) {
  const ch02::Parameters small = ch02::initialize_parameters(2, 4, 1, 2);
  const ch02::Parameters large = ch02::initialize_parameters(2, 4, 1, 2, 1.0);
  BOOST_TEST(arma::approx_equal(large.W1 * 0.01, small.W1, "reldiff", 1e-15));
  BOOST_TEST(arma::approx_equal(large.W2 * 0.01, small.W2, "reldiff", 1e-15));
}

// The first iteration below a level: the lesson's exercise 2 asks for it.
BOOST_AUTO_TEST_CASE(first_below_names_the_first_iteration_under_the_level) {
  const std::vector<double> costs{0.7, 0.6, 0.45, 0.5, 0.29};
  BOOST_TEST(*nn::first_below(costs, 0.5) == 2u);
  BOOST_TEST(*nn::first_below(costs, 0.3) == 4u);
  BOOST_TEST(!nn::first_below(costs, 0.1).has_value());
}

// A hand-set network of one hidden unit on one point: every value by hand.
BOOST_AUTO_TEST_CASE(forward_and_backward_by_hand) {
  const auto scalar = [](double v) { return arma::mat(1, 1).fill(v); };
  const ch02::Parameters p{arma::rowvec{1.0, -2.0}, scalar(0.5), scalar(3.0), scalar(-1.0)};
  const arma::mat X = arma::vec{2.0, 1.0};  // one sample: 2 × 1
  const arma::mat Y = scalar(1.0);
  const ch02::Cache c = ch02::forward(p, X);
  const double a1 = std::tanh(2.0 - 2.0 + 0.5), a2 = 1.0 / (1.0 + std::exp(-(3.0 * a1 - 1.0)));
  BOOST_TEST(c.A1(0, 0) == a1, tt::tolerance(1e-15));
  BOOST_TEST(c.A2(0, 0) == a2, tt::tolerance(1e-15));
  const ch02::Gradients g = ch02::backward(p, c, X, Y);
  const double dz2 = a2 - 1.0, dz1 = 3.0 * dz2 * (1.0 - a1 * a1);
  BOOST_TEST(g.db2(0, 0) == dz2, tt::tolerance(1e-15));
  BOOST_TEST(g.dW2(0, 0) == dz2 * a1, tt::tolerance(1e-15));
  BOOST_TEST(g.db1(0, 0) == dz1, tt::tolerance(1e-15));
  BOOST_TEST(g.dW1(0, 0) == dz1 * 2.0, tt::tolerance(1e-15));
  BOOST_TEST(g.dW1(0, 1) == dz1 * 1.0, tt::tolerance(1e-15));
}

// The chapter's tanh units, and the others --activation (and the web book's playground) offer.
BOOST_AUTO_TEST_CASE(backward_agrees_with_central_differences) {
  const nn::Dataset d = lesson_data();
  for (const nn::Activation g1 :
       {nn::Activation::tanh, nn::Activation::sigmoid, nn::Activation::relu}) {
    // Weights of order 1, so that g1 works in its curved part and every gradient is sizable.
    nn::NumpyRandom rng(7);
    ch02::Parameters p{rng.randn(5, 2), rng.randn(5, 1), rng.randn(1, 5), rng.randn(1, 1), g1};
    const ch02::Gradients g = ch02::backward(p, ch02::forward(p, d.X), d.X, d.Y);
    const auto J = [&] { return ch02::compute_cost(ch02::forward(p, d.X), d.Y); };
    const nn::GradientReport report = nn::check_gradients(
        J,
        {{"W1", &p.W1, g.dW1}, {"b1", &p.b1, g.db1}, {"W2", &p.W2, g.dW2}, {"b2", &p.b2, g.db2}});
    for (const auto& [name, error] : report.errors) {
      BOOST_TEST_CONTEXT(nn::activation_name(g1) << " " << name) {
        BOOST_TEST(error < 1e-7);
      }
    }
    BOOST_TEST(report.max_error > 0.0);  // the check did compare something
  }
}

// tanh′ taken from Z1 is the lesson's 1 − A1², to the last bit.
BOOST_AUTO_TEST_CASE(tanh_prime_of_Z1_is_one_minus_A1_squared) {
  const nn::Dataset d = lesson_data();
  nn::NumpyRandom rng(7);
  const ch02::Parameters p{rng.randn(5, 2), rng.randn(5, 1), rng.randn(1, 5), rng.randn(1, 1)};
  const ch02::Cache c = ch02::forward(p, d.X);
  BOOST_TEST(arma::approx_equal(nn::activate_prime(nn::Activation::tanh, c.Z1),
                                arma::mat(1.0 - arma::square(c.A1)), "absdiff", 0.0));
}

BOOST_AUTO_TEST_CASE(cost_from_logits_equals_the_lessons_cost_from_A2) {
  const nn::Dataset d = lesson_data();
  const ch02::Parameters initial = ch02::initialize_parameters(2, 4, 1, 2);
  const ch02::Training t = ch02::train(d, initial, 1.2, 3000, quiet());
  for (const ch02::Parameters* p : {&initial, &t.parameters}) {
    const ch02::Cache c = ch02::forward(*p, d.X);
    const double from_logits = ch02::compute_cost(c, d.Y),
                 from_A2 = ch02::compute_cost_from_A2(c, d.Y);
    BOOST_TEST_MESSAGE("cost from Z2 " << from_logits << ", from A2 " << from_A2 << ", difference "
                                       << from_logits - from_A2);
    BOOST_TEST(std::abs(from_logits - from_A2) < 1e-14);
  }
}

// All weights zero: A1 = 0, so dW2 = 0 and (with W2 = 0) dZ1 = 0; the balanced flower gives
// db2 = 0 too. Nothing ever moves and the cost stays ln 2.
BOOST_AUTO_TEST_CASE(zero_initialisation_never_learns) {
  const nn::Dataset d = lesson_data();
  const ch02::Parameters zero{arma::zeros(4, 2), arma::zeros(4, 1), arma::zeros(1, 4),
                              arma::zeros(1, 1)};
  const ch02::Training t = ch02::train(d, zero, 1.2, 200, quiet());
  BOOST_TEST(arma::accu(arma::abs(t.parameters.W1)) == 0.0);
  BOOST_TEST(arma::accu(arma::abs(t.parameters.W2)) == 0.0);
  BOOST_TEST(arma::accu(arma::abs(t.parameters.b1)) == 0.0);
  BOOST_TEST(arma::accu(arma::abs(t.parameters.b2)) == 0.0);
  BOOST_TEST(t.costs.back() == std::log(2.0), tt::tolerance(1e-14));
}

// Equal hidden units receive equal gradients and stay equal: the network acts as one unit.
BOOST_AUTO_TEST_CASE(identical_hidden_units_stay_identical) {
  const nn::Dataset d = lesson_data();
  ch02::Parameters same{arma::repmat(arma::rowvec{0.3, -0.2}, 4, 1), arma::mat(4, 1).fill(0.1),
                        arma::mat(1, 4).fill(0.5), arma::zeros(1, 1)};
  const ch02::Training t = ch02::train(d, same, 1.2, 500, quiet());
  const ch02::Parameters& p = t.parameters;
  BOOST_TEST(arma::abs(p.W1.row(0) - arma::rowvec{0.3, -0.2}).max() > 1e-3);  // it did move
  for (arma::uword r = 1; r < 4; ++r) {
    BOOST_TEST(arma::abs(p.W1.row(r) - p.W1.row(0)).max() < 1e-12);
    BOOST_TEST(std::abs(p.b1(r, 0) - p.b1(0, 0)) < 1e-12);
    BOOST_TEST(std::abs(p.W2(0, r) - p.W2(0, 0)) < 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(baseline_neuron_is_no_better_than_chance) {
  const nn::Dataset d = lesson_data();
  nn::NeuronLayer neuron{arma::zeros(1, 2), arma::zeros(1, 1)};
  const double final_cost = nn::train_neuron(neuron, d.X, d.Y, 1.2, 10000);
  const double accuracy = nn::binary_accuracy(nn::neuron_output(neuron, d.X), d.Y);
  BOOST_TEST(accuracy == 47.0, tt::tolerance(1e-12));  // the course's 47 %
  BOOST_TEST(final_cost < std::log(2.0));
}

BOOST_AUTO_TEST_CASE(grid_covers_the_data_first_coordinate_fastest) {
  const arma::mat X{{0.0, 2.0}, {-1.0, 3.0}};
  const arma::mat G = ch02::grid_over(X, 3);
  BOOST_TEST(G.n_cols == 9u);
  BOOST_TEST(G(0, 0) == -1.0);  // x1 from min − 1 …
  BOOST_TEST(G(0, 2) == 3.0);   // … to max + 1
  BOOST_TEST(G(1, 0) == -2.0);
  BOOST_TEST(G(0, 1) == 1.0);  // x1 varies first
  BOOST_TEST(G(1, 1) == -2.0);
  BOOST_TEST(G(1, 8) == 4.0);
}

BOOST_AUTO_TEST_CASE(default_run_matches_numpy_and_expected) {
  const Json ref = numpy_reference();
  const Json& r = lesson("");
  // the defaults are the course's settings (its seeds: the flower and the initial weights above)
  for (const char* setting : {"hidden_units", "learning_rate", "iterations"})
    BOOST_TEST(r[setting] == ref[setting], setting);
  BOOST_REQUIRE(r["costs"].size() == 10u);
  // numpy's run is one more machine: its costs are held by the tolerance rule (tests/
  // tolerance.json) as another kernel's would be. From about 7000 on, learning rate 1.2
  // amplifies rounding and the kernels part (a chaotic stretch): those costs are held by what
  // the book says of them, as are the accuracy and the first rise.
  for (std::size_t k = 0; k < r["costs"].size(); ++k) {
    const double tolerance = portable_tolerance(kName, "/costs/" + std::to_string(k));
    BOOST_TEST_CONTEXT("cost at iteration " << 1000 * k << " within " << tolerance) {
      if (tolerance >= 0)
        BOOST_TEST(std::abs(r["costs"][k].get<double>() -
                            ref["costs_every_1000"][k].get<double>()) <= tolerance);
    }
  }
  // the book: by iteration 8000 the cost is back above its value at 7000, then falls again
  BOOST_TEST(r["first_cost_rise"].get<int>() > 7000);
  BOOST_TEST(r["costs"][8].get<double>() > r["costs"][7].get<double>());
  BOOST_TEST(r["final_cost"].get<double>() < r["costs"][8].get<double>());
  // the book: with three hidden units or more the accuracy jumps to about 90 % (one unit, two
  // units: no better than the boundary's two petals allow)
  BOOST_TEST(r["accuracy"].get<double>() >= 90.0);
  for (const Json& size : r["hidden_size_study"])
    BOOST_TEST((size["accuracy"].get<double>() >= 90.0) == (size["hidden_units"].get<int>() >= 3),
               size.dump());
  BOOST_TEST(r["headline"].get<std::string>().find("accuracy") != std::string::npos);
  // every number all processor types print alike, to those digits
  check_default_run(r, kName);
}

// The seed code's own default learning rate: 200 times smaller, and the network is still on
// the plateau near ln 2 after 10000 steps. Nothing chaotic here: every number is held to the
// digits the kernels share.
BOOST_AUTO_TEST_CASE(learning_rate_0005_stays_on_the_plateau) {
  const Json& r = lesson("--lr 0.005 --study-sizes 4 --study-iterations 1", ch02::kDefaultSeed,
                         [](ch02::Options& o) {
                           o.learning_rate = 0.005;
                           short_study(o);
                         });
  BOOST_TEST(r["first_cost_rise"].is_null());
  BOOST_TEST(check_recorded_tree(r, kName, "/lr_0005", "") == 0);
}

// Exercise 3: weights a hundred times larger start far above ln 2 and still leave 0.5 behind
// sooner than the lesson's; the recorded run to the digits every processor prints alike.
BOOST_AUTO_TEST_CASE(large_initial_weights_start_high_and_fall_fast) {
  const Json& r = lesson("--init-scale 1 --study-sizes 4 --study-iterations 1", ch02::kDefaultSeed,
                         [](ch02::Options& o) {
                           o.init_scale = 1;
                           short_study(o);
                         });
  BOOST_TEST(r["costs"][0].get<double>() > std::log(2.0));
  BOOST_TEST(r["first_cost_below"]["0.5"].get<int>() <
             expected(kName)["first_cost_below"]["0.5"].get<int>());
  nn::testing::check_recorded_tree(r, kName, "/exercises/init_scale_1", "");
}

BOOST_AUTO_TEST_CASE(seed_flag_seeds_data_and_weights) {
  const Json& r =
      lesson("--iterations 50 --study-sizes 2 --study-iterations 10", 5, [](ch02::Options& o) {
        o.iterations = 50;
        o.study_sizes = {2};
        o.study_iterations = 10;
      });
  BOOST_TEST(r["data_seed"] == 5);
  BOOST_TEST(r["init_seed"] == 6);
  // other data and weights: another first cost than the lesson's
  const double lesson_cost0 = expected(kName)["costs"][0].get<double>();
  BOOST_TEST(std::abs(r["costs"][0].get<double>() - lesson_cost0) > 1e-9);
}

// The program on a short run: exit 0, its summary, every figure's data and script; the same
// numbers run after run, on one core or one BLAS thread, and as the lesson's run in-process.
BOOST_AUTO_TEST_CASE(short_run_of_the_program) {
  check_program(kName,
                "--iterations 300 --hidden 3 --study-sizes 1,5 --study-iterations 200 --seed 3 "
                "--no-plots",
                {"flower.csv", "boundary.csv", "hidden_sizes.csv", "cost.csv", "flower.gp",
                 "boundary.gp", "logistic_boundary.gp", "hidden_sizes.gp", "cost.gp"},
                lesson("--iterations 300 --hidden 3 --study-sizes 1,5 --study-iterations 200", 3,
                       [](ch02::Options& o) {
                         o.iterations = 300;
                         o.hidden_units = 3;
                         o.study_sizes = {1, 5};
                         o.study_iterations = 200;
                       }));
}
