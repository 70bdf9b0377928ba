// Chapter 8: the L-layer network. Its backward against central differences, the network against
// common/nn/mlp; the picture-space training against the pixels; the program against a numpy run
// of the course's algorithm (tests/expected/reference/ch08_deep_numpy.py).
#define BOOST_TEST_MODULE ch08_deep_network
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <functional>

#include "common/nn/gradient_check.hpp"
#include "common/nn/mlp.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/plumbing/parallel.hpp"
#include "lesson.hpp"
#include "report.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;
namespace nt = nn::testing;
namespace tt = boost::test_tools;

namespace {

const std::string kName = "ch08_deep_network";
const std::string kShort = "--iterations 200 --symmetry-iterations 100 --no-plots";

// The lesson's results.json for the options of the command line `args` (changed by `set` from
// the defaults), from seed 1 (the program's default), made once by run() as main makes it (every
// product on one BLAS thread) and shared by the test cases.
const nn::Json& lesson(
    const std::string& args,
    const std::function<void(ch08::Options&)>& set = [](ch08::Options&) {}) {
  return nt::shared_run<nn::Json>(args, [&] {
    ch08::Options o;
    set(o);
    const nn::SingleThreadedBlas one_thread;
    nn::NoProgress quiet;
    return ch08::to_json(ch08::run(o, 1, fs::path(NN_SOURCE_DIR) / "datasets", quiet), o);
  });
}

nn::Json reference() {
  return nn::read_results(fs::path(NN_TESTS_DIR) / "expected" / "reference" /
                          "ch08_deep_numpy.json");
}

// A small random problem: X 5 × 6, Y 1 × 6 of 0/1 labels.
struct Problem {
  arma::mat X;
  arma::rowvec Y;
};
Problem small_problem() {
  nn::NumpyRandom rng(3);
  Problem p{rng.randn(5, 6), {}};
  p.Y = arma::conv_to<arma::rowvec>::from(rng.rand(1, 6) > 0.5);
  return p;
}

}  // namespace

// L_model_backward's dW[l], db[l] against central differences of compute_cost.
BOOST_AUTO_TEST_CASE(backward_matches_central_differences) {
  const Problem problem = small_problem();
  ch08::Parameters p = ch08::initialize_parameters_deep({5, 4, 3, 1}, ch08::Init::sqrt, 1);
  for (arma::uword l = 1; l <= p.L(); ++l) p.b[l] = nn::NumpyRandom(l).randn(p.b[l].n_rows, 1);
  const ch08::Gradients grads =
      ch08::L_model_backward(p, ch08::L_model_forward(p, problem.X), problem.X, problem.Y);
  std::vector<nn::GradientBlock> blocks;
  for (arma::uword l = 1; l <= p.L(); ++l) {
    const std::string layer = std::to_string(l);  // (not "W" + …: GCC 12 warns falsely there)
    blocks.push_back({std::string("W").append(layer), &p.W[l], grads.dW[l]});
    blocks.push_back({std::string("b").append(layer), &p.b[l], grads.db[l]});
  }
  const auto J = [&] { return ch08::compute_cost(ch08::L_model_forward(p, problem.X), problem.Y); };
  const nn::GradientReport report = nn::check_gradients(J, blocks);
  for (const auto& [block, error] : report.errors) BOOST_TEST_MESSAGE(block << " " << error);
  BOOST_TEST(report.max_error < 1e-7);
}

// The chapter's network and common/nn/mlp's (chapters 6, 7, 9, 10) are one algorithm written
// two ways: the same cost, gradients and step.
BOOST_AUTO_TEST_CASE(network_agrees_with_common_mlp) {
  const Problem problem = small_problem();
  ch08::Parameters p = ch08::initialize_parameters_deep({5, 4, 3, 1}, ch08::Init::sqrt, 1);
  nn::Mlp net({5, 4, 3, 1}, nn::Activation::relu, nn::Output::sigmoid);
  net.W = p.W, net.b = p.b;
  const nn::MlpCache cache = nn::forward(net, problem.X);
  const nn::MlpGradients theirs = nn::backward(net, cache, problem.X, problem.Y);
  const ch08::Caches caches = ch08::L_model_forward(p, problem.X);
  BOOST_TEST(ch08::compute_cost(caches, problem.Y) == nn::cost(net, cache, problem.Y),
             tt::tolerance(1e-14));
  const ch08::Gradients ours = ch08::L_model_backward(p, caches, problem.X, problem.Y);
  for (arma::uword l = 1; l <= p.L(); ++l) {
    BOOST_TEST(arma::approx_equal(ours.dW[l], theirs.dW[l], "absdiff", 1e-14));
    BOOST_TEST(arma::approx_equal(ours.db[l], theirs.db[l], "absdiff", 1e-14));
  }
  ch08::update_parameters(p, ours, 0.1);
  nn::update(net, theirs, 0.1);
  for (arma::uword l = 1; l <= p.L(); ++l) {
    BOOST_TEST(arma::approx_equal(p.W[l], net.W[l], "absdiff", 1e-14));
    BOOST_TEST(arma::approx_equal(p.b[l], net.b[l], "absdiff", 1e-14));
  }
}

// L_layer_model run on R with W̃1 = W1 Q, mapped back, is L_layer_model run on the pixels.
BOOST_AUTO_TEST_CASE(picture_space_is_the_same_training) {
  nn::NumpyRandom rng(5);
  const arma::mat X = rng.rand(40, 6);  // n_x = 40 > m = 6
  const arma::rowvec Y{1, 0, 0, 1, 1, 0};
  const ch08::PictureSpace space = ch08::picture_space(X);
  BOOST_TEST(space.R.n_rows == 6u);
  const ch08::Parameters p = ch08::initialize_parameters_deep({40, 3, 1}, ch08::Init::sqrt, 1);
  nn::NoProgress quiet;
  const ch08::Trained pixels = ch08::L_layer_model(p, X, Y, 0.1, 20, quiet);
  const ch08::Trained coords = ch08::L_layer_model_in_picture_space(p, space, Y, 0.1, 20, quiet);
  BOOST_TEST(pixels.costs == coords.costs, tt::tolerance(1e-13) << tt::per_element());
  for (arma::uword l = 1; l <= p.L(); ++l) {
    BOOST_TEST(
        arma::approx_equal(pixels.parameters.W[l], coords.parameters.W[l], "absdiff", 1e-13));
    BOOST_TEST(
        arma::approx_equal(pixels.parameters.b[l], coords.parameters.b[l], "absdiff", 1e-13));
  }
}

// Symmetric starts stay symmetric: zeros and equal weights give one distinct unit per layer.
BOOST_AUTO_TEST_CASE(symmetric_start_counts_one_unit) {
  const ch08::Parameters equal =
      ch08::initialize_parameters_deep({6, 4, 3, 1}, ch08::Init::equal, 1);
  const ch08::Symmetry s = ch08::symmetry_of(equal);
  BOOST_TEST(s.distinct_units == (std::vector<arma::uword>{1, 1}), tt::per_element());
  const ch08::Symmetry r =
      ch08::symmetry_of(ch08::initialize_parameters_deep({6, 4, 3, 1}, ch08::Init::sqrt, 1));
  BOOST_TEST(r.distinct_units == (std::vector<arma::uword>{4, 3}), tt::per_element());
}

// The lesson's run: the course's costs to 1e-6 at every printed iteration, its accuracies,
// and the symmetry facts.
BOOST_AUTO_TEST_CASE(default_run_reproduces_the_course) {
  const nn::Json& r = lesson("");
  const nn::Json want = nt::expected(kName), numpy = reference();
  const char* names[] = {"two_layer", "five_layer"};
  for (std::size_t k = 0; k < 2; ++k) {
    const nn::Json& got = r["models"][k];
    const nn::Json& oracle = numpy[names[k]];
    BOOST_TEST_CONTEXT(names[k]) {
      BOOST_TEST(got["layers"] == oracle["layers"]);
      const auto costs = got["costs"].get<std::vector<double>>();
      const auto theirs = oracle["costs_every_100"].get<std::vector<double>>();
      BOOST_TEST_REQUIRE(costs.size() == 25u);
      BOOST_TEST_REQUIRE(theirs.size() == 25u);
      for (std::size_t i = 0; i < costs.size(); ++i)
        BOOST_TEST(std::abs(costs[i] - theirs[i]) < 1e-6, "iteration " << 100 * i);
      BOOST_TEST(got["train_accuracy"].get<double>() == oracle["train_accuracy"].get<double>(),
                 tt::tolerance(1e-12));
      BOOST_TEST(got["test_accuracy"].get<double>() == oracle["test_accuracy"].get<double>(),
                 tt::tolerance(1e-12));
      BOOST_TEST(costs == want["models"][k]["costs"].get<std::vector<double>>(),
                 tt::tolerance(1e-12) << tt::per_element());
    }
  }
  BOOST_TEST(r["models"][1]["test_accuracy"].get<double>() == 80.0);
  BOOST_TEST(r["parameters"].get<int>() == 245973);
  BOOST_TEST(r["wrong_test_pictures"] == want["wrong_test_pictures"]);
  // symmetry: W = 0 and W = 1/n keep one unit per hidden layer, to the last bit
  const nn::Json& s = r["symmetry"];
  for (const char* start : {"zeros", "equal"}) {
    BOOST_TEST_CONTEXT(start) {
      BOOST_TEST(s[start]["distinct_units"] == nn::Json::array({1, 1, 1}));
      BOOST_TEST(s[start]["max_row_difference"] == nn::Json::array({0.0, 0.0, 0.0}));
      // the cost stalls near that of always answering the share of cats
      BOOST_TEST(s[start]["final_cost"].get<double>() > r["label_entropy"].get<double>());
      BOOST_TEST(s[start]["final_cost"].get<double>() < r["label_entropy"].get<double>() + 0.01);
    }
  }
  BOOST_TEST(s["small"]["distinct_units"] == nn::Json::array({20, 7, 5}));
  // randn · 0.01 in the deep net learns no more than W = 0 did in the same iterations, while
  // randn / √n is far below both
  BOOST_TEST(s["small"]["final_cost"].get<double>() > r["label_entropy"].get<double>());
  BOOST_TEST(r["models"][1]["costs"][5].get<double>() <
             s["small"]["final_cost"].get<double>() - 0.1);
  const nn::Json bare = nt::without_timings(want);
  for (auto it = bare.begin(); it != bare.end(); ++it)
    if (!it.key().starts_with("commands") && it.key() != "exercises")
      BOOST_TEST(r.contains(it.key()), it.key());
  // every number all processor types print alike, to those digits
  nt::check_default_run(r, kName);
}

// Exercise 4: the 5-layer net from randn · 0.01 never leaves the plateau in 2500 iterations. Its
// cost creeps down towards that of answering the share of cats and stays above it, and the net
// answers "non-cat" to every picture.
BOOST_AUTO_TEST_CASE(deep_net_at_small_scale_stays_on_the_plateau) {
  const nn::Json& r =
      lesson("--layers 12288,20,7,5,1 --init 0.01 --iterations 2500", [](ch08::Options& o) {
        o.layers = {12288, 20, 7, 5, 1};
        o.init = ch08::Init::small;
        o.iterations = 2500;
      });
  const double plateau = r["label_entropy"].get<double>();
  const auto costs = r["models"][0]["costs"].get<std::vector<double>>();
  for (std::size_t i = 1; i < costs.size(); ++i) {
    BOOST_TEST(costs[i] < costs[i - 1], "iteration " << 100 * i);
    BOOST_TEST(costs[i] > plateau, "iteration " << 100 * i);
  }
  BOOST_TEST(r["models"][0]["final_cost"].get<double>() < plateau + 1e-4);
  // every training picture answered "non-cat": the accuracy is the share q of non-cats, and
  // the plateau is the cross-entropy of that share, −q ln q − (1 − q) ln(1 − q)
  const double q = r["models"][0]["train_accuracy"].get<double>() / 100.0;
  BOOST_TEST(-q * std::log(q) - (1 - q) * std::log(1 - q) == plateau, tt::tolerance(1e-12));
  nt::check_recorded_tree(r, kName, "/exercises/deep_small_init", "");
}

BOOST_AUTO_TEST_CASE(one_model_from_the_layers_flag) {
  const nn::Json& r = lesson("--layers 12288,5,3,1 --iterations 150 --symmetry-iterations 50",
                             [](ch08::Options& o) {
                               o.layers = {12288, 5, 3, 1};
                               o.iterations = 150;
                               o.symmetry_iterations = 50;
                             });
  BOOST_TEST(r["models"].size() == 1u);
  BOOST_TEST(r["models"][0]["costs"].size() == 2u);
  BOOST_TEST(r["symmetry"]["equal"]["distinct_units"] == nn::Json::array({1, 1}));
}

// The program on a short run: exit 0, its summary, every figure's data and script; the same
// numbers run after run, on one core or one BLAS thread, and as the lesson's run in-process.
BOOST_AUTO_TEST_CASE(short_run_of_the_program) {
  nt::check_program(kName, kShort,
                    {"costs.gp", "costs.csv", "mistakes.gp", "mistakes.csv", "symmetry.gp",
                     "units_equal.csv", "symmetry_costs.csv"},
                    lesson(kShort, [](ch08::Options& o) {
                      o.iterations = 200;
                      o.symmetry_iterations = 100;
                    }));
}
