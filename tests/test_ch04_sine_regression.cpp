#define BOOST_TEST_MODULE ch04_sine_regression
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "chapters/04_sine_regression/lesson.hpp"
#include "chapters/04_sine_regression/report.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/numpy_random.hpp"
#include "tests/chapter_test.hpp"

namespace tt = boost::test_tools;
using namespace nn::testing;

namespace {
const std::string kName = "ch04_sine_regression";

// The lesson's results.json for the options of the command line `args` (changed by `set` from
// the defaults), from seed 1 (the program's default), made once by run() and shared by the test
// cases.
const nn::Json& lesson(
    const std::string& args,
    const std::function<void(ch04::Options&)>& set = [](ch04::Options&) {}) {
  return shared_run<nn::Json>(args, [&] {
    ch04::Options o;
    set(o);
    nn::NoProgress quiet;
    return ch04::to_json(ch04::run(o, 1, quiet), o);
  });
}
}  // namespace

// ---- unit tests of the chapter's functions ----------------------------------------------

BOOST_AUTO_TEST_CASE(validation_is_the_last_tenth_of_the_training_points) {
  const nn::SineData data = nn::make_sine(1);
  const ch04::Split s = ch04::split_validation(data);
  BOOST_TEST(s.train.X.n_cols == 450u);
  BOOST_TEST(s.validation.X.n_cols == 50u);
  BOOST_TEST(s.test.X.n_cols == 100u);
  BOOST_TEST(arma::approx_equal(s.validation.X, data.train.X.cols(450, 499), "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(s.validation.Y, data.train.Y.cols(450, 499), "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(s.train.Y, data.train.Y.cols(0, 449), "absdiff", 0.0));
}

// Hand-set weights: with w1 = 0 every σ is ½, so ŷ = ½ Σ w2_j + b2 whatever x is.
BOOST_AUTO_TEST_CASE(forward_with_hand_set_weights) {
  ch04::Network net{arma::zeros(2, 1), arma::zeros(2, 1), arma::mat{{3.0, -1.0}},
                    arma::mat(1, 1, arma::fill::value(0.25))};
  const arma::mat y_hat = ch04::predict(net, arma::mat{{-2.0, 0.0, 5.0}});
  BOOST_TEST(arma::approx_equal(y_hat, arma::mat{{1.25, 1.25, 1.25}}, "absdiff", 1e-15));
  // σ(ln 3) = 3/4: one unit with w1 = 1, b1 = ln 3 at x = 0 gives 2·¾ − 1 = ½
  ch04::Network one{
      arma::mat(1, 1, arma::fill::ones), arma::mat(1, 1, arma::fill::value(std::log(3.0))),
      arma::mat(1, 1, arma::fill::value(2.0)), arma::mat(1, 1, arma::fill::value(-1.0))};
  BOOST_TEST(ch04::predict(one, arma::zeros(1, 1))(0, 0) == 0.5, tt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(contributions_sum_to_the_prediction) {
  nn::NumpyRandom rng(7);
  const ch04::Network net = ch04::initialize(3, rng);
  const arma::mat X = nn::linspace(0.0, 1.0, 25);
  const arma::mat C = ch04::hidden_contributions(net, X);
  BOOST_TEST(C.n_rows == 3u);
  const arma::mat sum = arma::sum(C, 0) + net.b2(0, 0);
  BOOST_TEST(arma::approx_equal(sum, ch04::predict(net, X), "absdiff", 1e-14));
}

BOOST_AUTO_TEST_CASE(backward_matches_central_differences) {
  nn::NumpyRandom rng(3);
  ch04::Network net = ch04::initialize(3, rng);
  net.b1 = rng.randn(3, 1);  // nonzero biases, so their gradients are tested too
  net.b2 = rng.randn(1, 1);
  const arma::mat X = rng.rand(1, 12);
  const arma::mat Y = arma::sin(2.0 * arma::datum::pi * X);
  const ch04::Gradients g = ch04::backward(net, ch04::forward(net, X), X, Y);
  const auto J = [&] { return nn::squared_error_cost(ch04::predict(net, X), Y); };
  const nn::GradientReport report = nn::check_gradients(J, {{"W1", &net.W1, g.dW1},
                                                            {"b1", &net.b1, g.db1},
                                                            {"W2", &net.W2, g.dW2},
                                                            {"b2", &net.b2, g.db2}});
  for (const auto& [name, error] : report.errors) BOOST_TEST_MESSAGE(name << ": " << error);
  BOOST_TEST(report.max_error < 1e-7);
  BOOST_TEST(report.errors.size() == 4u);
}

// ŷ = (1/m) Σ over the 4 samples: MAE ¼, SSE 1, MSE ¼, RMSE ½, R² = 1 − 1/5, MAPE ¼/4 = 6.25 %.
BOOST_AUTO_TEST_CASE(metrics_by_hand) {
  const ch04::Metrics t = ch04::evaluate(arma::mat{{1, 2, 3, 4}}, arma::mat{{1, 2, 3, 5}});
  BOOST_TEST(t.mae == 0.25, tt::tolerance(1e-15));
  BOOST_TEST(t.sse == 1.0, tt::tolerance(1e-15));
  BOOST_TEST(t.mse == 0.25, tt::tolerance(1e-15));
  BOOST_TEST(t.rmse == 0.5, tt::tolerance(1e-15));
  BOOST_TEST(t.r2 == 0.8, tt::tolerance(1e-15));
  BOOST_TEST(t.mape == 6.25, tt::tolerance(1e-13));
  // MAPE leaves out a true value of 0: only |2 − 3|/2 counts
  BOOST_TEST(ch04::evaluate(arma::mat{{0, 2}}, arma::mat{{1, 3}}).mape == 50.0,
             tt::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(polynomial_fit_recovers_an_exact_cubic) {
  nn::NumpyRandom rng(11);
  const arma::mat X = rng.rand(1, 40);
  const arma::vec c_true{2.0, -3.0, 0.5, 4.0};  // 2 − 3x + ½x² + 4x³
  const arma::mat Y = 2.0 - 3.0 * X + 0.5 * arma::square(X) + 4.0 * arma::pow(X, 3);
  const arma::vec c = ch04::fit_polynomial(X, Y, 3);
  BOOST_TEST(arma::approx_equal(c, c_true, "absdiff", 1e-10));
  // a higher degree finds the same cubic: its extra coefficients vanish
  const arma::vec c5 = ch04::fit_polynomial(X, Y, 5);
  BOOST_TEST(arma::approx_equal(c5.head(4), c_true, "absdiff", 1e-7));
  BOOST_TEST(arma::abs(c5.tail(2)).max() < 1e-7);
  BOOST_TEST(arma::approx_equal(ch04::predict_polynomial(c, X), Y, "absdiff", 1e-12));
  const arma::mat V = ch04::vandermonde(arma::mat(1, 1, arma::fill::value(2.0)), 3);
  BOOST_TEST(arma::approx_equal(V, arma::mat{{1, 2, 4, 8}}, "absdiff", 0.0));
}

BOOST_AUTO_TEST_CASE(search_candidates) {
  const std::vector<ch04::Trial> grid = ch04::grid_candidates(ch04::lesson_grid_rates());
  BOOST_TEST(grid.size() == static_cast<std::size_t>(ch04::kTrials));
  std::set<std::pair<int, double>> distinct;
  for (const ch04::Trial& t : grid) distinct.insert({t.hidden, t.learning_rate});
  BOOST_TEST(distinct.size() == grid.size());
  BOOST_TEST(grid.front().learning_rate == 0.01, tt::tolerance(1e-12));
  BOOST_TEST(grid.back().learning_rate == 10.0, tt::tolerance(1e-12));
  nn::NumpyRandom a(5), b(5);
  const std::vector<ch04::Trial> random = ch04::random_candidates(a);
  BOOST_TEST(random.size() == static_cast<std::size_t>(ch04::kTrials));
  std::set<int> hidden;
  for (const ch04::Trial& t : random) {
    BOOST_TEST(t.learning_rate >= ch04::kMinRate);
    BOOST_TEST(t.learning_rate < ch04::kMaxRate);
    BOOST_TEST(t.hidden >= ch04::kMinHidden);
    BOOST_TEST(t.hidden <= ch04::kMaxHidden);
    hidden.insert(t.hidden);
  }
  BOOST_TEST(hidden.size() > 4u);  // random search tries more distinct n_h than the grid's 4
  BOOST_TEST(ch04::random_candidates(b).front().learning_rate == random.front().learning_rate);
}

// A step far too large diverges; the search records it as +inf and picks the other trial.
BOOST_AUTO_TEST_CASE(search_survives_a_diverging_trial) {
  const ch04::Split s = ch04::split_validation(nn::make_sine(1));
  const ch04::TrainConfig config{0.5, 10, 20, 1e-9};
  const ch04::SearchResult r = ch04::search({{3, 1000.0, 0.0, 0}, {3, 0.5, 0.0, 0}}, s, config, 2);
  BOOST_TEST(r.trials.size() == 2u);
  BOOST_TEST(std::isinf(r.trials[0].validation_loss));
  BOOST_TEST(std::isfinite(r.trials[1].validation_loss));
  BOOST_TEST(r.best.learning_rate == 0.5);
  BOOST_TEST(r.trials[1].epochs == 20);
  BOOST_TEST(r.best_net.hidden() == 3u);
}

BOOST_AUTO_TEST_CASE(training_stops_at_the_validation_target) {
  const ch04::Split s = ch04::split_validation(nn::make_sine(1));
  nn::NumpyRandom rng(2);
  ch04::Network net = ch04::initialize(3, rng);
  nn::NoProgress quiet;
  const ch04::Training t = ch04::train(net, s.train, s.validation, {0.5, 10, 50, 10.0}, rng, quiet);
  BOOST_TEST(t.history.epochs() == 1);  // J ≤ 10 after the first epoch already
  BOOST_TEST(t.history.validation_loss.size() == 1u);
  BOOST_TEST(!arma::approx_equal(t.net.W1, net.W1, "absdiff", 0.0));  // one epoch of steps
}

// ---- the program ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(default_run_fits_the_sine) {
  const nn::Json& r = lesson("");
  const nn::Json e = expected(kName);

  // the target of the issue, independent of the expected file
  const nn::Json& t = r["test"];
  BOOST_TEST(t["r2"].get<double>() >= 0.99);
  BOOST_TEST(r["hidden_units"].get<int>() == 3);

  // each metric agrees with the others: RMSE = √MSE, SSE = m·MSE, R² = 1 − MSE/Var(y)
  const arma::mat y = nn::make_sine(1).test.Y;
  const double variance = arma::mean(arma::square(arma::vectorise(y) - arma::mean(y.row(0))));
  const double mse = t["mse"].get<double>();
  BOOST_TEST(t["rmse"].get<double>() == std::sqrt(mse), tt::tolerance(1e-12));
  BOOST_TEST(t["sse"].get<double>() == 100.0 * mse, tt::tolerance(1e-12));
  BOOST_TEST(t["r2"].get<double>() == 1.0 - mse / variance, tt::tolerance(1e-12));
  BOOST_TEST(t["mae"].get<double>() <= t["rmse"].get<double>());  // mean |e| ≤ √(mean e²)

  // the validation cost that stopped training sits above the noise floor (1/2)·Var(noise)
  BOOST_TEST(r["validation_loss"].get<double>() <= 0.002);
  BOOST_TEST(r["noise_floor"].get<double>() == 0.1 * 0.1 / 6.0, tt::tolerance(1e-12));

  // the facts of the expected file (which the book quotes)
  BOOST_TEST(std::abs(r["epochs_run"].get<int>() - e["epochs_run"].get<int>()) <= 20);
  for (const char* key : {"mae", "mape", "sse", "mse", "rmse", "r2"}) {
    BOOST_TEST_CONTEXT(key) {
      BOOST_TEST(t[key].get<double>() == e["test"][key].get<double>(), tt::tolerance(0.02));
      BOOST_TEST(r["polynomial_degree3_test"][key].get<double>() ==
                     e["polynomial_degree3_test"][key].get<double>(),
                 tt::tolerance(1e-9));
    }
  }
  const nn::Json& poly = r["polynomial_baseline"];
  BOOST_TEST_REQUIRE(poly.size() == 9u);
  for (std::size_t k = 0; k < poly.size(); ++k) {
    BOOST_TEST(poly[k]["degree"].get<int>() == static_cast<int>(k) + 1);
    BOOST_TEST(
        poly[k]["test_r2"].get<double>() == e["polynomial_baseline"][k]["test_r2"].get<double>(),
        tt::tolerance(1e-9));
  }
  // the cubic is the lesson's "single-layer" baseline; the network beats it
  BOOST_TEST(t["r2"].get<double>() > poly[2]["test_r2"].get<double>());

  for (const char* search : {"grid_search", "random_search"}) {
    BOOST_TEST_CONTEXT(search) {
      const nn::Json &s = r[search], &es = e[search];
      BOOST_TEST(s["trials"].get<int>() == 16);
      BOOST_TEST(s["best_params"] == es["best_params"]);
      BOOST_TEST(s["diverged"] == es["diverged"]);
      BOOST_TEST(
          s["best_validation_loss"].get<double>() == es["best_validation_loss"].get<double>(),
          tt::tolerance(0.02));
      BOOST_TEST(s["test_r2"].get<double>() == es["test_r2"].get<double>(), tt::tolerance(0.002));
    }
  }
  // every number all processor types print alike, to those digits
  check_default_run(r, kName);
}

// Exercise 3: a grid over {0.1, 0.3, 1, 3} keeps the lesson grid's winner (the same trial, from
// the same seed), and its four trials at α = 3 are the ones that diverge.
BOOST_AUTO_TEST_CASE(a_narrower_grid_keeps_its_winner) {
  const nn::Json& r = lesson("--grid-rates 0.1,0.3,1,3", [](ch04::Options& o) {
    o.grid_rates = {0.1, 0.3, 1, 3};
  });
  const nn::Json& grid = r["grid_search"];
  const nn::Json want = expected(kName);
  const nn::Json& lesson = want["grid_search"];
  BOOST_TEST(grid["best_params"]["hidden_units"] == lesson["best_params"]["hidden_units"]);
  BOOST_TEST(grid["best_params"]["learning_rate"].get<double>() == 1.0);
  BOOST_TEST(
      grid["best_validation_loss"].get<double>() == lesson["best_validation_loss"].get<double>(),
      tt::tolerance(1e-9));
  BOOST_REQUIRE(grid["each_trial"].size() == 16u);
  for (const nn::Json& trial : grid["each_trial"])
    BOOST_TEST(trial["validation_loss"].is_null() == (trial["learning_rate"].get<double>() == 3.0));
  check_recorded_tree(r, kName, "/exercises/grid_rates_0_1_to_3", "");
}

// The program on a short run, at the largest batch it accepts (the whole training set): exit 0,
// its summary, every figure's data and script; the same numbers run after run, on one core or
// one BLAS thread, and as the lesson's run in-process.
BOOST_AUTO_TEST_CASE(the_largest_batch_is_accepted) {
  const ChapterRun run =
      check_program(kName, "--no-plots --batch 450 --epochs 3 --search-epochs 2",
                    {"train.csv", "validation.csv", "hidden_units.csv", "hidden_units.gp",
                     "loss.csv", "loss.gp", "polynomial.csv", "polynomial_degrees.csv",
                     "polynomial.gp", "search_winners.csv", "search.gp"},
                    lesson("--batch 450 --epochs 3 --search-epochs 2", [](ch04::Options& o) {
                      o.batch = 450;
                      o.epochs = 3;
                      o.search_epochs = 2;
                    }));
  BOOST_TEST(run.results["epochs_run"].get<int>() == 3);
}
