// Chapter 1: one sigmoid neuron. Unit tests of the lesson's functions against hand-computed
// values and central differences; the program against the numpy course's own numbers.
#define BOOST_TEST_MODULE ch01_logistic_neuron
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "chapters/01_logistic_neuron/lesson.hpp"
#include "chapters/01_logistic_neuron/report.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/plumbing/parallel.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;
using nn::testing::run_chapter;

namespace {

const std::string kName = "ch01_logistic_neuron";

nn::Json reference() {
  return nn::read_results(fs::path(NN_TESTS_DIR) / "expected" / "reference" /
                          "ch01_logistic_numpy.json");
}

fs::path data_dir() {
  return fs::path(NN_SOURCE_DIR) / "datasets";
}

// The lesson's run of `options` and its results.json, made once (as main makes it: every product
// on one BLAS thread) and shared by the test cases.
struct Lesson {
  ch01::Results results;
  nn::Json json;
};
const Lesson& lesson(const ch01::Options& options) {
  const std::string key =
      std::to_string(options.iterations) + " " + nn::Json(options.learning_rate).dump();
  return nn::testing::shared_run<Lesson>(key, [&] {
    const nn::SingleThreadedBlas one_thread;
    nn::NoProgress quiet;
    Lesson l{ch01::run(options, data_dir(), quiet), {}};
    l.json = ch01::to_json(l.results, options);
    return l;
  });
}

// The results.json of `ch01_logistic_neuron --lr <rate>` for the study's rate k, from the
// default run: run() trains the lesson's rate with train(X, Y, {iterations, rate}), exactly as it
// trains that rate in the study (and reuses the lesson's run there), so the study's run at that
// rate is the lesson's run at it.
nn::Json json_at_study_rate(std::size_t k) {
  ch01::Results r = lesson({}).results;
  r.lesson = r.study.at(k);
  r.evaluation = r.study_evaluations.at(k);
  return ch01::to_json(r, {ch01::Options{}.iterations, ch01::study_learning_rates().at(k)});
}

// The values a run printed at iterations 0, 100, … compared with `want`, element by element.
void check_costs(const nn::Json& got, const nn::Json& want, std::size_t count, double tolerance) {
  BOOST_TEST_REQUIRE(got.size() >= count);
  BOOST_TEST_REQUIRE(want.size() >= count);
  for (std::size_t i = 0; i < count; ++i) {
    BOOST_TEST_CONTEXT("cost at iteration " << 100 * i) {
      BOOST_TEST(std::abs(got[i].get<double>() - want[i].get<double>()) < tolerance);
    }
  }
}

}  // namespace

// The course's own check of `propagate`: w = (1, 2), b = 2, three samples.
BOOST_AUTO_TEST_CASE(forward_and_backward_match_the_course_example) {
  const ch01::Neuron neuron{arma::vec{1.0, 2.0}, 2.0};
  const arma::mat X{{1.0, 2.0, -1.0}, {3.0, 4.0, -3.2}};
  const arma::rowvec Y{1.0, 0.0, 1.0};
  const ch01::Forward f = ch01::forward(neuron, X);
  BOOST_TEST(std::abs(nn::binary_cross_entropy<double>(f.Z, Y) - 5.801545319394553) < 1e-12);
  BOOST_TEST(std::abs(ch01::textbook_cost(f.A, Y) - 5.801545319394553) < 1e-12);
  const ch01::Gradients g = ch01::backward(X, f.A, Y);
  BOOST_TEST(std::abs(g.dw(0) - 0.99845601) < 1e-8);
  BOOST_TEST(std::abs(g.dw(1) - 2.39507239) < 1e-8);
  BOOST_TEST(std::abs(g.db - 0.00145557813678) < 1e-12);
}

// From w = 0, b = 0 every a is ½ and J = ln 2 whatever the data: the first printed cost.
BOOST_AUTO_TEST_CASE(zero_neuron_is_undecided) {
  const ch01::Neuron neuron = ch01::initialize_zeros(4);
  const arma::mat X = nn::NumpyRandom(3).randn(4, 5);
  const arma::rowvec Y{1.0, 0.0, 0.0, 1.0, 1.0};
  const ch01::Forward f = ch01::forward(neuron, X);
  BOOST_TEST(arma::all(f.A == 0.5));
  BOOST_TEST(std::abs(nn::binary_cross_entropy<double>(f.Z, Y) - std::log(2.0)) < 1e-15);
}

// backward's dw, db against central differences of J(w, b) on a small random problem.
BOOST_AUTO_TEST_CASE(gradient_matches_central_differences) {
  nn::NumpyRandom random(1);
  const arma::mat X = random.randn(6, 9);
  const arma::rowvec Y = arma::conv_to<arma::rowvec>::from(random.rand(1, 9) > 0.5);
  arma::mat w = random.randn(6, 1);
  arma::mat b = random.randn(1, 1);
  const auto J = [&] {
    const ch01::Forward f = ch01::forward(ch01::Neuron{w, b(0)}, X);
    return nn::binary_cross_entropy<double>(f.Z, Y);
  };
  const ch01::Gradients g = ch01::backward(X, ch01::forward(ch01::Neuron{w, b(0)}, X).A, Y);
  const double error_w = nn::relative_error(g.dw, nn::numerical_gradient(J, w));
  const double error_b = nn::relative_error(arma::mat{g.db}, nn::numerical_gradient(J, b));
  BOOST_TEST_MESSAGE("relative error dw " << error_w << ", db " << error_b);
  BOOST_TEST(error_w < 1e-7);
  BOOST_TEST(error_b < 1e-7);
  BOOST_TEST(arma::norm(g.dw) > 1e-3);  // not a vacuous check
}

// curvature(gram(X), A) is the top eigenvalue of the Hessian of J(w, b), here built column by
// column from central differences of backward's gradient.
BOOST_AUTO_TEST_CASE(curvature_is_the_hessians_top_eigenvalue) {
  nn::NumpyRandom random(2);
  const arma::mat X = random.randn(4, 7);
  const arma::rowvec Y = arma::conv_to<arma::rowvec>::from(random.rand(1, 7) > 0.5);
  const ch01::Neuron neuron{random.randn(4, 1), 0.3};
  const auto gradient = [&](const ch01::Neuron& n) {
    const ch01::Gradients g = ch01::backward(X, ch01::forward(n, X).A, Y);
    return arma::vec(arma::join_cols(g.dw, arma::vec{g.db}));
  };
  const double epsilon = 1e-6;
  arma::mat H(5, 5);
  for (arma::uword i = 0; i < 5; ++i) {
    ch01::Neuron plus = neuron, minus = neuron;
    if (i < 4) {
      plus.w(i) += epsilon;
      minus.w(i) -= epsilon;
    } else {
      plus.b += epsilon;
      minus.b -= epsilon;
    }
    H.col(i) = (gradient(plus) - gradient(minus)) / (2 * epsilon);
  }
  const double lambda_numerical = arma::eig_sym(arma::symmatu(H)).max();
  const double lambda = ch01::curvature(ch01::gram(X), ch01::forward(neuron, X).A);
  BOOST_TEST_MESSAGE("curvature " << lambda << ", from differences " << lambda_numerical);
  BOOST_TEST(std::abs(lambda - lambda_numerical) < 1e-7 * lambda);
  BOOST_TEST(lambda > 0.01);
}

// One step moves the parameters against the gradient, by α times it.
BOOST_AUTO_TEST_CASE(update_steps_downhill) {
  ch01::Neuron neuron{arma::vec{1.0, -1.0}, 0.5};
  ch01::update(neuron, ch01::Gradients{arma::vec{2.0, 4.0}, -1.0}, 0.25);
  BOOST_TEST(neuron.w(0) == 0.5);
  BOOST_TEST(neuron.w(1) == -2.0);
  BOOST_TEST(neuron.b == 0.75);
}

// The pictures become columns exactly as numpy's x.reshape(m, -1).T / 255 (values from h5py).
BOOST_AUTO_TEST_CASE(data_is_flattened_like_numpy) {
  const ch01::CatSet& data = lesson({}).results.data;
  BOOST_TEST(data.X_train.n_rows == 12288u);
  BOOST_TEST(data.X_train.n_cols == 209u);
  BOOST_TEST(data.X_test.n_cols == 50u);
  // train_set_x[0, 0, 0, :] = (17, 31, 56) and train_set_x[3, 10, 20, 1] = 41
  BOOST_TEST(data.X_train(0, 0) == 17.0 / 255.0);
  BOOST_TEST(data.X_train(1, 0) == 31.0 / 255.0);
  BOOST_TEST(data.X_train(2, 0) == 56.0 / 255.0);
  BOOST_TEST(data.X_train((10 * 64 + 20) * 3 + 1, 3) == 41.0 / 255.0);
  BOOST_TEST(std::abs(arma::accu(data.X_train) - 1037419.9098039209) < 1e-6);
  BOOST_TEST(arma::accu(data.Y_train) == 72.0);  // cats among the training pictures
  BOOST_TEST(arma::accu(data.Y_test) == 33.0);
  BOOST_TEST((data.classes == std::vector<std::string>{"non-cat", "cat"}));
}

// The defaults print the course's numbers: 20 costs within 1e-6, 99.04 % and 70 %.
BOOST_AUTO_TEST_CASE(default_run_reproduces_the_course) {
  const nn::Json course = reference()["course_default"];
  const nn::Json& got = lesson({}).json;
  BOOST_TEST(got["iterations"] == 2000);
  BOOST_TEST(got["learning_rate"].get<double>() == 0.005);
  BOOST_TEST_REQUIRE(got["costs"].size() == 20u);
  check_costs(got["costs"], course["costs_every_100"], 20, 1e-6);  // the numpy course
  // our own facts, to the digits every processor type prints alike
  nn::testing::check_recorded_tree(got, kName, "/costs");
  nn::testing::check_recorded(got["final_cost"], kName, "/final_cost");
  BOOST_TEST(std::abs(got["train_accuracy"].get<double>() - 99.04306220095694) < 1e-9);
  BOOST_TEST(got["test_accuracy"].get<double>() == 70.0);
  BOOST_TEST(got["textbook_cost_failures"] == 0);
  // λ at w = 0 from numpy: np.linalg.eigvalsh(S X̃ᵀX̃ S)[-1] with S = ½/√m
  BOOST_TEST(std::abs(got["curvature_start"].get<double>() - 553.598594167715) < 1e-6);
  // The lesson's α is above 2/λ at the start (hence the early zigzag) and below it at the end.
  BOOST_TEST(got["stable_rate_start"].get<double>() < 0.005);
  BOOST_TEST(got["stable_rate_end"].get<double>() > 0.005);
  BOOST_TEST(std::abs(got["costs"][19].get<double>() - 0.140872) < 5e-7);  // printed at 1900
  // The study: the four calm rates end as recorded; the chaotic 0.05 is held by what the book
  // says of it (it fits every training picture, and the textbook cost fails on the way).
  const nn::Json& study = got["lr_study"];
  BOOST_TEST_REQUIRE(study.size() == 5u);
  nn::testing::check_recorded_tree(got, kName, "/lr_study");
  BOOST_TEST(study[0]["learning_rate"].get<double>() == 0.05);
  BOOST_TEST(study[0]["train_accuracy"].get<double>() == 100.0);
  BOOST_TEST(study[0]["textbook_cost_failures"].get<int>() > 0);
  // The study's run at the lesson's own rate is the lesson's run.
  BOOST_TEST(study[2]["final_cost"].get<double>() == got["final_cost"].get<double>());
}

// At α = 0.05 the first steps are far too long: the cost jumps to about 10, the textbook cost
// (from A) becomes inf or NaN while the stable one (from Z) stays finite. From about iteration
// 150 the run is chaotic: a last bit rounded otherwise (another processor's kernels, another
// exp) sends it elsewhere. So the first printed costs are numpy's, and the rest is held by what
// the book says of the run: finite throughout, and every training picture right at the end.
BOOST_AUTO_TEST_CASE(learning_rate_0_05_oscillates_but_stays_finite) {
  BOOST_TEST_REQUIRE(ch01::study_learning_rates().front() == 0.05);
  const nn::Json course = reference()["seed_main"];
  const nn::Json got = json_at_study_rate(0);
  BOOST_TEST_REQUIRE(got["costs"].size() == 20u);
  check_costs(got["costs"], course["costs_every_100"], 2, 1e-6);  // iterations 0 and 100
  for (const auto& J : got["costs"]) BOOST_TEST(std::isfinite(J.get<double>()));
  BOOST_TEST(got["textbook_cost_failures"].get<int>() > 0);  // where numpy prints inf or nan
  BOOST_TEST(got["train_accuracy"].get<double>() == 100.0);
  nn::testing::check_recorded_tree(got, kName, "/lr_0.05", "");
}

// The detour of "Why dZ = A − Y": one step by hand, then what the book says of the four runs.
BOOST_AUTO_TEST_CASE(squared_error_learns_slowly_when_confidently_wrong) {
  // one step of the cross-entropy from w = b = 2: ∂𝓛/∂z = a − 0, and w, b each move by α a
  const ch01::OneInputRun step = ch01::learn_one_input(ch01::Cost::cross_entropy, 2, 2, 0.15, 1);
  const double a0 = 1.0 / (1.0 + std::exp(-4.0));
  BOOST_TEST_REQUIRE(step.outputs.size() == 2u);
  BOOST_TEST(std::abs(step.outputs[0] - a0) < 1e-15);
  BOOST_TEST(std::abs(step.gradients[0] - a0) < 1e-15);
  BOOST_TEST(std::abs(step.outputs[1] - 1.0 / (1.0 + std::exp(-(4.0 - 0.3 * a0)))) < 1e-15);
  BOOST_TEST(std::abs(step.losses[0] + std::log(1.0 - a0)) < 1e-15);
  const std::vector<ch01::OneInputRun> runs = ch01::slowdown_experiment();
  BOOST_TEST_REQUIRE(runs.size() == 4u);
  for (const ch01::OneInputRun& run : runs) BOOST_TEST(run.outputs.size() == 301u);
  const auto below = [&](std::size_t k) { return *nn::first_below(runs[k].outputs, 0.5); };
  // from (2, 2) the squared error's push is smaller than from (0.6, 0.9), though the neuron is
  // more wrong; the cross-entropy's push grows with the error
  BOOST_TEST(runs[2].gradients[0] < runs[0].gradients[0]);
  BOOST_TEST(runs[3].gradients[0] > runs[1].gradients[0]);
  // confidently wrong, the squared error takes ten times as long to cross ½; a little wrong,
  // both cross it within a few dozen iterations
  BOOST_TEST(below(2) > 10 * below(3));
  BOOST_TEST(below(0) < 50u);
  BOOST_TEST(below(1) < below(0));
  BOOST_TEST(!nn::first_below(runs[3].outputs, 0.0).has_value());
}

// At α = 10 the first step overshoots so far that σ saturates (J, computed from Z, is 1051:
// finite, but far past nn::kSaturatedLoss, the cost of outputs at exactly 0 or 1): divergence
// all the same, reported as such (exit 3, the iteration and --lr named), with no results.json.
BOOST_AUTO_TEST_CASE(saturation_on_every_picture_is_divergence) {
  const auto run = run_chapter(kName, "--lr 10 --iterations 20 --no-plots");
  BOOST_TEST(run.exit_code == 3, run.output);
  BOOST_TEST(run.output.find("diverged at iteration 1:") != std::string::npos, run.output);
  BOOST_TEST(run.output.find("(try a smaller --lr)") != std::string::npos, run.output);
  BOOST_TEST(!fs::exists(run.out_dir / "results.json"));
}

// The saturation check itself: one a strictly between 0 and 1 is enough to go on.
BOOST_AUTO_TEST_CASE(saturation_check_needs_every_a_saturated) {
  BOOST_CHECK_NO_THROW(ch01::check_not_saturated(arma::rowvec{0.0, 1.0, 1e-300}, 5));
  try {
    ch01::check_not_saturated(arma::rowvec{0.0, 1.0, 1.0}, 5);
    BOOST_FAIL("a saturated neuron was not reported");
  } catch (const nn::DivergedError& e) {
    BOOST_TEST(e.iteration == 5);
  }
}

// The program itself, on a short run: exit 0, the summary, every figure's data and script, the
// images' labels covering the test set, the one cost printed (ln 2 at iteration 0); the same
// numbers on one core or one BLAS thread (every product runs on one BLAS thread, so the number of
// cores does not change a digit), run after run, and as the lesson's run in-process.
BOOST_AUTO_TEST_CASE(short_run_of_the_program) {
  const auto run = nn::testing::check_program(
      kName, "--iterations 5 --no-plots",
      {"cost.csv", "cost.gp", "learning_rates.csv", "learning_rates.gp", "test_images.csv",
       "test_labels.csv", "test_images.gp", "slowdown.csv", "slowdown.gp"},
      lesson({5, ch01::Options{}.learning_rate}).json);
  BOOST_TEST(run.output.find("Cost after iteration 0: 0.693147") != std::string::npos, run.output);
  std::ifstream labels(run.out_dir / "test_labels.csv");
  const auto lines = std::count(std::istreambuf_iterator<char>(labels), {}, '\n');
  BOOST_TEST(lines == 51);                        // a header and the 50 test images
  BOOST_TEST(run.results["costs"].size() == 1u);  // only iteration 0 is printed
}

// At the course's 1500 iterations the learning-rate study prints the course's own table: train
// accuracy 99.52153110047847 %, 88.99521531100478 % and 68.42105263157895 %, test accuracy 68,
// 64 and 36 % at α = 0.01, 0.001 and 0.0001 (the book quotes the recorded run).
BOOST_AUTO_TEST_CASE(at_1500_iterations_the_course_table_to_every_digit) {
  const nn::Json want = nn::testing::expected(kName)["course_1500"];
  const nn::Json& study = lesson({1500, ch01::Options{}.learning_rate}).json["lr_study"];
  BOOST_REQUIRE(study.size() == want["lr_study"].size());
  for (std::size_t k = 0; k < study.size(); ++k)
    for (const char* key : {"learning_rate", "train_accuracy", "test_accuracy"})
      BOOST_TEST(study[k][key].get<double>() == want["lr_study"][k][key].get<double>(), key);
  // the course's printed values, typed in from its notebook
  BOOST_TEST(study[1]["train_accuracy"].get<double>() == 99.52153110047847);
  BOOST_TEST(study[3]["train_accuracy"].get<double>() == 88.99521531100478);
  BOOST_TEST(study[4]["train_accuracy"].get<double>() == 68.42105263157895);
  BOOST_TEST(study[1]["test_accuracy"].get<double>() == 68.0);
  BOOST_TEST(study[3]["test_accuracy"].get<double>() == 64.0);
  BOOST_TEST(study[4]["test_accuracy"].get<double>() == 36.0);
}
