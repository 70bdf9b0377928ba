#define BOOST_TEST_MODULE ch05_mnist_three_layer
#include <algorithm>
#include <array>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>

#include "chapters/05_mnist_three_layer/lesson.hpp"
#include "chapters/05_mnist_three_layer/report.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/one_hot.hpp"
#include "common/plumbing/data_parallel.hpp"
#include "common/plumbing/files.hpp"
#include "common/plumbing/mnist.hpp"
#include "common/plumbing/model_file.hpp"
#include "common/plumbing/parallel.hpp"
#include "tests/chapter_test.hpp"

namespace tt = boost::test_tools;
using namespace nn::testing;

namespace {

const std::string kName = "ch05_mnist_three_layer";

// The lesson's run of `options` from seed 1 (the program's default) and its results.json, made
// once as main makes it (BLAS on one thread, each batch's halves on two cores) and shared by the
// test cases.
struct Lesson {
  ch05::Options options;
  ch05::Results results;
  nn::Json json;
};
const Lesson& lesson(const ch05::Options& o) {
  const std::string key =
      nn::Json{o.epochs, o.learning_rate, o.batch_size, o.target_loss, o.study, o.seeds}.dump();
  return shared_run<Lesson>(key, [&] {
    const nn::SingleThreadedBlas one_thread;
    nn::NoProgress quiet;
    const nn::TwoCoreTeam cores;
    Lesson l{o, ch05::run(o, 1, fs::path(NN_SOURCE_DIR) / "datasets", quiet, cores), {}};
    l.json = ch05::to_json(l.results, o, 1);
    return l;
  });
}
ch05::Options with_epochs(int epochs, int seeds = 1, bool study = false) {
  ch05::Options o;
  o.epochs = epochs;
  o.seeds = seeds;
  o.study = study;
  return o;
}

// A network of the lesson's layers with every weight zero and hand-set output biases.
ch05::Parameters<double> zero_network(arma::uword n_in) {
  ch05::Parameters<double> p;
  p.W1 = arma::zeros(4, n_in);
  p.b1 = arma::zeros(4, 1);
  p.W2 = arma::zeros(3, 4);
  p.b2 = arma::zeros(3, 1);
  p.W3 = arma::zeros(3, 3);
  p.b3 = arma::vec{0.0, std::log(2.0), std::log(3.0)};
  return p;
}

}  // namespace

// Hand oracle: with zero weights A1 = σ(0) = ½, A2 = tanh(0) = 0, and A3 = softmax(b3) in every
// column: softmax(0, ln 2, ln 3) = (1, 2, 3) / 6.
BOOST_AUTO_TEST_CASE(forward_with_hand_set_weights) {
  const ch05::Parameters<double> p = zero_network(5);
  nn::NumpyRandom rng(0);
  const arma::mat X = rng.rand(5, 4);
  const ch05::Cache<double> c = ch05::forward(p, X);
  BOOST_TEST(arma::approx_equal(c.A1, arma::mat(4, 4, arma::fill::value(0.5)), "absdiff", 1e-15));
  BOOST_TEST(arma::approx_equal(c.A2, arma::mat(3, 4, arma::fill::zeros), "absdiff", 1e-15));
  const arma::vec column = {1.0 / 6, 2.0 / 6, 3.0 / 6};
  for (arma::uword j = 0; j < 4; ++j)
    BOOST_TEST(arma::approx_equal(c.A3.col(j), column, "absdiff", 1e-15));
  // J = −ln A3(label): labels 0, 1, 2, 2 give (ln 6 + ln 3 + 2 ln 2) / 4
  const arma::mat Y = nn::one_hot<double>(arma::uvec{0, 1, 2, 2}, 3);
  BOOST_TEST(ch05::cost(c, Y) == (std::log(6.0) + std::log(3.0) + 2 * std::log(2.0)) / 4,
             tt::tolerance(1e-14));
  // Backward: dZ3 = A3 − Y, and with A2 = 0 the only non-zero output gradient is db3.
  const ch05::Gradients<double> g = ch05::backward(p, c, X, Y);
  const arma::vec db3 = arma::mean(c.A3 - Y, 1);
  BOOST_TEST(arma::approx_equal(g.db3, db3, "absdiff", 1e-15));
  BOOST_TEST(arma::abs(g.dW3).max() == 0.0);
}

// Backprop agrees with central differences for all six blocks; a gradient that is wrong by
// 1 % in one block is caught by the same measure.
BOOST_AUTO_TEST_CASE(gradient_check_passes_and_can_fail) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    const nn::GradientReport report = ch05::gradient_check(seed, {28, 9, 6, 10}, 5);
    BOOST_TEST(report.errors.size() == 6u);
    BOOST_TEST(report.max_error < 1e-7);
  }
  nn::NumpyRandom rng(1);
  ch05::Parameters<double> p = ch05::initialize(rng, {7, 5, 4, 3});
  const arma::mat X = rng.rand(7, 6);
  const arma::mat Y = nn::one_hot<double>(arma::uvec{0, 1, 2, 0, 1, 2}, 3);
  const ch05::Gradients<double> g = ch05::backward(p, ch05::forward(p, X), X, Y);
  const auto J = [&] { return ch05::cost(ch05::forward(p, X), Y); };
  BOOST_TEST(nn::check_gradients(J, {{"W2", &p.W2, g.dW2}}).max_error < 1e-7);
  BOOST_TEST(nn::check_gradients(J, {{"W2", &p.W2, 1.01 * g.dW2}}).max_error > 1e-3);
}

BOOST_AUTO_TEST_CASE(saved_model_round_trip_and_bad_files) {
  const fs::path dir = fresh_dir("ch05-model");
  nn::NumpyRandom rng(3);
  const auto p = ch05::convert<float>(ch05::initialize(rng, {784, 64, 16, 10}));
  ch05::save_model(p, dir / "model.bin");
  const auto q = ch05::load_model(dir / "model.bin");
  BOOST_TEST(arma::approx_equal(p.W1, q.W1, "absdiff", 0.0f));
  BOOST_TEST(arma::approx_equal(p.b3, q.b3, "absdiff", 0.0f));
  BOOST_TEST(!fs::exists(dir / "model.bin.tmp"));
  // Six matrices of the wrong shapes; a text file.
  arma::field<arma::fmat> wrong(6);
  for (auto& M : wrong) M.zeros(3, 3);
  wrong.save((dir / "wrong.bin").string(), arma::arma_binary);
  BOOST_CHECK_THROW(ch05::load_model(dir / "wrong.bin"), nn::DataError);
  nn::write_file_atomic(dir / "text.bin", "not a model\n");
  BOOST_CHECK_THROW(ch05::load_model(dir / "text.bin"), nn::DataError);
}

// The lesson's run with its defaults: 40 epochs of the 784-64-16-10 network.
BOOST_AUTO_TEST_CASE(default_run_reads_97_5_percent) {
  const nn::Json want = expected(kName);
  const nn::Json& r = lesson({}).json;
  // The target, independent of any earlier run.
  BOOST_TEST(r["test_accuracy"].get<double>() >= 97.5);
  BOOST_TEST(r["gradient_check_max_rel_error"].get<double>() < 1e-6);
  // The recorded values, to the digits every processor type prints alike (the float products
  // of another type's BLAS kernels flip a few images, and the late losses move with them).
  BOOST_TEST(r["epochs_run"] == want["epochs_run"]);
  BOOST_TEST(r["learning_rate"] == want["learning_rate"]);
  BOOST_TEST(r["batch_size"] == want["batch_size"]);
  for (const char* key : {"/gradient_check", "/train_loss", "/validation_loss", "/train_accuracy",
                          "/validation_accuracy_per_epoch", "/validation_accuracy",
                          "/test_accuracy", "/test_loss", "/test_errors", "/confusion_matrix"})
    nn::testing::check_recorded_tree(r, kName, key);
  const auto train_loss = r["train_loss"].get<std::vector<double>>();
  const auto validation_loss = r["validation_loss"].get<std::vector<double>>();
  BOOST_TEST(train_loss.size() == r["epochs_run"].get<std::size_t>());
  BOOST_TEST(validation_loss.size() == train_loss.size());
  // Trained far below the first epoch's loss.
  BOOST_TEST(train_loss.back() < 0.02 * train_loss.front());
  // The validation loss is lowest at epoch 12, where the book says and the curves figure marks
  // it (the figure finds the epoch from the run).
  const long lowest = std::distance(
      validation_loss.begin(), std::min_element(validation_loss.begin(), validation_loss.end()));
  BOOST_TEST(lowest == 11);
  // The confusion matrix counts every test image once, and its diagonal is the accuracy.
  const auto rows = r["confusion_matrix"].get<std::vector<std::vector<std::size_t>>>();
  BOOST_REQUIRE(rows.size() == 10u);
  std::size_t images = 0, right = 0;
  for (std::size_t t = 0; t < rows.size(); ++t) {
    BOOST_REQUIRE(rows[t].size() == 10u);
    for (std::size_t k = 0; k < rows[t].size(); ++k) images += rows[t][k];
    right += rows[t][t];
  }
  BOOST_TEST(images == 10000u);
  BOOST_TEST(100.0 * static_cast<double>(right) / 10000.0 == r["test_accuracy"].get<double>(),
             tt::tolerance(1e-12));
  BOOST_TEST(r["test_errors"].get<std::size_t>() == images - right);
}

// The program on one epoch: exit 0, its summary, its figures and model.bin. Training splits
// every batch between two cores and multiplies with BLAS on one thread, so the numbers are the
// machine's no more: BLAS told to use one thread, or the whole program held to one core, gives
// the very numbers of a free run, run after run, and the lesson's in-process. The saved model,
// loaded again, gives the same test accuracy.
BOOST_AUTO_TEST_CASE(one_epoch_of_the_program_and_its_saved_model) {
  const ChapterRun trained = check_program(
      kName, "--epochs 1 --no-plots",
      {"model.bin", "curves.csv", "curves.gp", "confusion.csv", "confusion.gp", "misclassified.gp"},
      lesson(with_epochs(1)).json);
  const fs::path model = trained.out_dir / "model.bin";
  const ChapterRun loaded = run_chapter(kName, "--load '" + model.string() + "' --no-plots");
  BOOST_TEST_INFO("output: " << loaded.output);
  BOOST_REQUIRE(loaded.exit_code == 0);
  BOOST_TEST(loaded.results["test_accuracy"] == trained.results["test_accuracy"]);
}

// One step with the two cores' halves is the whole batch's step: each half's gradient is its
// own mean, and the halves are weighted by their sizes (7 samples: 4 and 3; 1 sample: 1 and
// none).
BOOST_AUTO_TEST_CASE(a_step_on_two_halves_is_the_whole_batch_step) {
  for (arma::uword m : {7u, 1u}) {
    BOOST_TEST_CONTEXT("batch of " << m) {
      nn::NumpyRandom rng(5);
      const auto p0 = ch05::convert<float>(ch05::initialize(rng, {784, 64, 16, 10}));
      ch05::Split s;
      s.X = arma::conv_to<arma::fmat>::from(rng.rand(784, m));
      s.labels.set_size(m);
      for (arma::uword j = 0; j < m; ++j) s.labels(j) = j % 10;
      s.Y = nn::one_hot<float>(s.labels, 10);
      const ch05::Data d{s, s, s};
      // one epoch of one batch: the whole set, in the epoch's order, split between the cores
      nn::NoProgress quiet;
      const nn::TwoCoreTeam cores;
      const auto p = ch05::train(p0, d, 1, 0.5f, m, 0.0, rng, quiet, cores).model;
      // the same step on one core, from the full-batch gradient
      const ch05::Gradients<float> g = ch05::backward(p0, ch05::forward(p0, s.X), s.X, s.Y);
      const auto check = [](const arma::fmat& P, const arma::fmat& P0, const arma::fmat& dP) {
        const arma::fmat want = P0 - 0.5f * dP;
        // float rounding only: far below the step itself
        BOOST_TEST(arma::abs(P - want).max() <= 1e-4f * arma::abs(0.5f * dP).max() + 1e-7f);
      };
      check(p.W1, p0.W1, g.dW1);
      check(p.b1, p0.b1, g.db1);
      check(p.W2, p0.W2, g.dW2);
      check(p.b2, p0.b2, g.db2);
      check(p.W3, p0.W3, g.dW3);
      check(p.b3, p0.b3, g.db3);
    }
  }
}

// --seeds 2: the first seed is the run itself, the second a fresh one.
BOOST_AUTO_TEST_CASE(seeds_report_mean_and_spread) {
  const nn::Json& r = lesson(with_epochs(1, 2)).json;
  const auto accuracies = r["seeds"]["test_accuracy"].get<std::vector<double>>();
  BOOST_REQUIRE(accuracies.size() == 2u);
  BOOST_TEST(accuracies[0] == r["test_accuracy"].get<double>());
  BOOST_TEST(accuracies[1] != accuracies[0]);
  BOOST_TEST(r["seeds"]["mean"].get<double>() == (accuracies[0] + accuracies[1]) / 2,
             tt::tolerance(1e-12));
}

// After one epoch at batch 128 a bold learning rate has learnt more than a timid one (the
// study's bottom-to-top trend).
BOOST_AUTO_TEST_CASE(study_grid_one_epoch) {
  const ch05::Data d = ch05::load_data(fs::path(NN_SOURCE_DIR) / "datasets");
  nn::NoProgress quiet;
  const auto points = ch05::study(d, 1, 1, {0.05, 0.5}, {128}, quiet, nn::TwoCoreTeam{});
  BOOST_REQUIRE(points.size() == 2u);
  BOOST_TEST(points[0].learning_rate == 0.05);
  BOOST_TEST(points[1].validation_accuracy > points[0].validation_accuracy + 2.0);
}

// Several steps of the two-core training and of the serial step (gather → forward → cost →
// backward on the whole batch, then update) from the same start, on the same batches, give the
// same parameters. Only float rounding separates them: the halves' gradients are averaged in
// another order than one sum over the batch's columns.
BOOST_AUTO_TEST_CASE(two_cores_train_as_the_serial_step_does) {
  nn::NumpyRandom rng(7);
  const arma::uword m = 200, batch_size = 64;  // three full batches and one of 8
  ch05::Split s;
  s.X = arma::conv_to<arma::fmat>::from(rng.rand(784, m));
  s.labels.set_size(m);
  for (arma::uword j = 0; j < m; ++j) s.labels(j) = rng.interval(9);
  s.Y = nn::one_hot<float>(s.labels, 10);
  const ch05::Data d{s, s, s};
  const auto p0 = ch05::convert<float>(ch05::initialize(rng, {784, 64, 16, 10}));
  // two epochs on two cores
  nn::NumpyRandom order_rng(11);
  nn::NoProgress quiet;
  const nn::TwoCoreTeam cores;
  const auto parallel = ch05::train(p0, d, 2, 0.5f, batch_size, 0.0, order_rng, quiet, cores).model;
  // the same epochs, step by step on one core, in the same orders
  auto serial = p0;
  nn::NumpyRandom serial_rng(11);
  ch05::Workspace w;
  for (int epoch = 0; epoch < 2; ++epoch) {
    const arma::uvec order = serial_rng.permutation(m);
    for (arma::uword first = 0; first < m; first += batch_size) {
      ch05::gradient(serial, s, order.subvec(first, std::min(first + batch_size, m) - 1), w);
      ch05::update(serial, w.grads, 0.5);
    }
  }
  const auto close = [](const arma::fmat& A, const arma::fmat& B) {
    // float rounding over 8 steps: far below the parameters' own size
    return arma::abs(A - B).max() <= 1e-5f * std::max(1.0f, arma::abs(B).max());
  };
  BOOST_TEST(close(parallel.W1, serial.W1));
  BOOST_TEST(close(parallel.b1, serial.b1));
  BOOST_TEST(close(parallel.W2, serial.W2));
  BOOST_TEST(close(parallel.b2, serial.b2));
  BOOST_TEST(close(parallel.W3, serial.W3));
  BOOST_TEST(close(parallel.b3, serial.b3));
  // … and training did move them: the comparison can fail
  BOOST_TEST(!close(serial.W3, p0.W3));
}

// A sample with a NaN pixel makes one half's cost NaN: both cores stop at that step, the
// parameters are not updated with it, and training reports divergence at the step.
BOOST_AUTO_TEST_CASE(a_nan_in_one_half_stops_both_cores) {
  nn::NumpyRandom rng(3);
  const arma::uword m = 64;
  ch05::Split s;
  s.X = arma::conv_to<arma::fmat>::from(rng.rand(784, m));
  s.labels.set_size(m);
  for (arma::uword j = 0; j < m; ++j) s.labels(j) = j % 10;
  s.Y = nn::one_hot<float>(s.labels, 10);
  s.X(5, 63) = arma::datum::nan;
  const ch05::Data d{s, s, s};
  auto p = ch05::convert<float>(ch05::initialize(rng, {784, 64, 16, 10}));
  nn::NoProgress quiet;
  const nn::TwoCoreTeam cores;
  try {
    ch05::train(p, d, 3, 0.5f, 16, 0.0, rng, quiet, cores);
    BOOST_FAIL("training with a NaN sample did not report divergence");
  } catch (const nn::DivergedError& e) {
    BOOST_TEST(e.iteration >= 0);
    BOOST_TEST(e.iteration < 4);  // within the first epoch's four steps
  }
  // The gradient itself, on a batch whose second half holds the NaN sample: both cores come
  // back (no hang), that half's cost is NaN and so is the batch's, the other half's is finite.
  std::array<ch05::Workspace, nn::TwoCores::count> work;
  const nn::Halves h = nn::gradient_on_two_cores(cores, arma::regspace<arma::uvec>(48, 63), work,
                                                 [&](const arma::uvec& half, ch05::Workspace& w) {
                                                   ch05::gradient(p, s, half, w);
                                                   return w.J;
                                                 });
  BOOST_TEST(std::isnan(h.cost()));
  BOOST_TEST(std::isfinite(h.J[0]));
  BOOST_TEST(std::isnan(h.J[1]));
}

// --study end to end: the lesson trains the whole grid for its few epochs, the report draws it,
// and the cells the book quotes are there and hold the expected numbers.
BOOST_AUTO_TEST_CASE(study_end_to_end) {
  const nn::Json want = expected(kName);
  const Lesson& study_run = lesson(with_epochs(3, 1, true));
  const nn::Json& results = study_run.json;
  const nn::Json& study = results["study"];
  BOOST_REQUIRE(study.size() == want["study"].size());
  BOOST_TEST(results["study_epochs"] == want["study_epochs"]);
  // every cell of the grid, in order, as the expected file (and the book) has it, to the
  // digits every processor type prints alike: another type's BLAS kernels round the float
  // products differently and flip some of the 5000 validation images in a few cells
  for (std::size_t i = 0; i < study.size(); ++i) {
    BOOST_TEST(study[i]["learning_rate"] == want["study"][i]["learning_rate"]);
    BOOST_TEST(study[i]["batch_size"] == want["study"][i]["batch_size"]);
  }
  nn::testing::check_recorded_tree(results, kName, "/study");
  // the cell (α 0.5, batch 128) trains exactly as the first three epochs of the default run
  bool found = false;
  for (const auto& cell : study)
    if (cell["learning_rate"] == 0.5 && cell["batch_size"] == 128) {
      found = true;
      BOOST_TEST(cell["validation_accuracy"].get<double>() ==
                 results["validation_accuracy_per_epoch"][2].get<double>());
    }
  BOOST_TEST(found);
  // the report of that run draws the grid and writes the same results.json
  const fs::path out = fresh_dir("ch05-study");
  ch05::report(study_run.results, study_run.options,
               {fs::path(NN_SOURCE_DIR) / "datasets", out, out, 1, false});
  BOOST_TEST(fs::exists(out / "study.gp"));
  nn::Json published = nn::read_results(out / "results.json");
  BOOST_TEST(published["blas_kernel"] == nn::blas_kernel());
  published.erase("blas_kernel");
  BOOST_TEST(published.dump() == results.dump());
}
