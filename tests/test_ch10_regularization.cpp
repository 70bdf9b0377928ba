// Chapter 10: overfitting and its three cures. The early-stopping rule and the two-core
// evaluation on their own; the program's default run held to its expected numbers and to the
// shape of Nielsen's experiment.
#define BOOST_TEST_MODULE ch10_regularization
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <functional>

#include "chapters/10_regularization/lesson.hpp"
#include "chapters/10_regularization/report.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/parallel.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;
namespace nt = nn::testing;
namespace tt = boost::test_tools;

namespace {

const std::string kName = "ch10_regularization";
const std::string kShort = "--epochs 3 --train-images 200 --validation-images 500 --no-plots";

// The lesson's results.json for the options of the command line `args` (changed by `set` from
// the defaults), from seed 0 (the program's default), made once by run() as main makes it (the
// variants' jobs on two cores) and shared by the test cases.
const nn::Json& lesson(
    const std::string& args,
    const std::function<void(ch10::Options&)>& set = [](ch10::Options&) {}) {
  return nt::shared_run<nn::Json>(args, [&] {
    ch10::Options o;
    set(o);
    nn::reuse_freed_memory();  // as main: each step frees and rebuilds the same temporaries
    nn::NoProgress quiet;
    const ch10::Results r =
        ch10::run(o, 0, fs::path(NN_SOURCE_DIR) / "datasets", quiet, nn::TwoCoreJobs{});
    return ch10::to_json(r, o);
  });
}

std::vector<double> numbers(const nn::Json& j) {
  return j.get<std::vector<double>>();
}

}  // namespace

// The rule keeps the first epoch of the best validation accuracy (a tie is no improvement) and
// counts the epochs since it.
BOOST_AUTO_TEST_CASE(early_stopping_rule_keeps_the_first_best) {
  const nn::Mlp net = ch10::make_network(2, ch10::Init::large, 0);
  ch10::BestSoFar best{0, -1.0, net, 0};
  const std::vector<double> validation{80, 82, 82, 81, 83, 83};
  const std::vector<int> kept{1, 2, 2, 2, 5, 5}, since{0, 0, 1, 2, 0, 1};
  for (std::size_t k = 0; k < validation.size(); ++k) {
    nn::Mlp after = net;
    after.b[1](0) = static_cast<double>(k + 1);  // tells the epochs' networks apart
    best = ch10::update_best(best, static_cast<int>(k + 1), validation[k], after);
    BOOST_TEST_CONTEXT("epoch " << k + 1) {
      BOOST_TEST(best.epoch == kept[k]);
      BOOST_TEST(best.epochs_since == since[k]);
      BOOST_TEST(best.net.b[1](0) == static_cast<double>(kept[k]));
      BOOST_TEST(best.validation_accuracy == validation[kept[k] - 1]);
    }
  }
}

// Nielsen's large_weight_initializer after np.random.seed(seed): b1, b2, then W1, W2, all N(0, 1).
BOOST_AUTO_TEST_CASE(network_starts_from_standard_normals_biases_first) {
  const nn::Mlp net = ch10::make_network(30, ch10::Init::large, 7);
  nn::NumpyRandom rng(7);
  const arma::mat b1 = rng.randn(30, 1), b2 = rng.randn(10, 1);
  const arma::mat W1 = rng.randn(30, 784), W2 = rng.randn(10, 30);
  BOOST_TEST(arma::approx_equal(net.b[1], b1, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(net.b[2], b2, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(net.W[1], W1, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(net.W[2], W2, "absdiff", 0.0));
  BOOST_TEST((net.hidden == nn::Activation::sigmoid));
  BOOST_TEST((net.output == nn::Output::sigmoid));
  // network2.py's default_weight_initializer: the same draws, W[l] times 1/√n_in (network2.py
  // divides by √n_in: the same to the last bit or one ulp away)
  const nn::Mlp scaled = ch10::make_network(30, ch10::Init::scaled, 7);
  BOOST_TEST(arma::approx_equal(scaled.b[1], b1, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(scaled.W[1], W1 * (1.0 / std::sqrt(784.0)), "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(scaled.W[2], W2 * (1.0 / std::sqrt(30.0)), "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(scaled.W[1], W1 / std::sqrt(784.0), "reldiff", 1e-15));
}

BOOST_AUTO_TEST_CASE(compare_trains_four_variants_or_the_one_asked_for) {
  ch10::Options o;
  const auto all = ch10::variants(o);
  BOOST_TEST_REQUIRE(all.size() == 4u);
  BOOST_TEST(all[0].key == "none");
  BOOST_TEST((all[1].penalty == nn::Penalty::Kind::l2 && all[1].lambda == 0.1));
  BOOST_TEST((all[2].penalty == nn::Penalty::Kind::l1 && all[2].lambda == 0.1));
  BOOST_TEST((all[3].penalty == nn::Penalty::Kind::none && all[3].patience == 10));
  for (std::size_t k = 0; k < 3; ++k) BOOST_TEST(all[k].patience == 0);
  o.penalty = nn::Penalty::Kind::l1;
  o.stop_early = true;
  const auto one = ch10::variants(o);
  BOOST_TEST_REQUIRE(one.size() == 1u);
  BOOST_TEST((one[0].penalty == nn::Penalty::Kind::l1 && one[0].patience == 10));
}

// The lesson's run: the recorded numbers that travel, and the shape of Nielsen's experiment.
BOOST_AUTO_TEST_CASE(default_run_overfits_and_the_cures_help) {
  const nn::Json& r = lesson("");
  // every number all processor types print alike, to those digits (the late epochs of the
  // curves are chaotic: a last bit rounded otherwise moves them; the claims below hold them)
  nt::check_default_run(r, kName);
  const nn::Json &none = r["variants"]["none"], &l2 = r["variants"]["l2"],
                 &l1 = r["variants"]["l1"], &early = r["variants"]["early_stopping"];
  const double none_test = none["test_accuracy_at_best_validation"].get<double>();
  // without a penalty the net learns its 1000 images by heart, and stalls on the test images
  BOOST_TEST(none["final_train_accuracy"].get<double>() == 100.0);
  BOOST_TEST(none_test < 86.0);
  BOOST_TEST(none["final_test_accuracy"].get<double>() < 86.0);
  // every training image right for the first time, then not always, then for good: the
  // accuracy is 100 % from perfect_from_epoch to the end, and was not at the epoch before
  for (const nn::Json* v : {&none, &l2}) {
    const auto train = numbers((*v)["train_accuracy"]);
    const int first = (*v)["first_perfect_epoch"].get<int>();
    const int from = (*v)["perfect_from_epoch"].get<int>();
    BOOST_TEST_REQUIRE(from > first);
    BOOST_TEST(train[first - 1] == 100.0);
    BOOST_TEST(train[from - 2] < 100.0);
    for (auto k = static_cast<std::size_t>(from - 1); k < train.size(); ++k)
      BOOST_TEST(train[k] == 100.0);
  }
  // L2 gains at least 3 points on the test images, with the same seed and the same shuffles
  BOOST_TEST(l2["test_accuracy_at_best_validation"].get<double>() > none_test + 3.0);
  BOOST_TEST(l2["final_test_accuracy"].get<double>() >
             none["final_test_accuracy"].get<double>() + 3);
  // early stopping keeps an epoch well before the last, within a point of the unregularised best
  const int epochs = r["epochs"].get<int>();
  BOOST_TEST(early["best_validation_epoch"].get<int>() < epochs / 2);
  BOOST_TEST(early["epochs_trained"].get<int>() ==
             early["best_validation_epoch"].get<int>() + r["patience"].get<int>());
  BOOST_TEST(std::abs(early["test_accuracy"].get<double>() - none_test) <= 1.0);
  // L1 leaves many more weights near zero than no penalty does, L2 not
  BOOST_TEST(l1["near_zero_weights_percent"].get<double>() >
             10 * none["near_zero_weights_percent"].get<double>() + 10);
  // early stopping is the unpenalised run, cut short: the same curves up to its stop
  const auto n = early["validation_accuracy"].size();
  const auto none_validation = numbers(none["validation_accuracy"]);
  BOOST_TEST(numbers(early["validation_accuracy"]) ==
                 std::vector<double>(none_validation.begin(), none_validation.begin() + n),
             tt::per_element());
}

// One penalty alone follows the comparison's run of that penalty epoch for epoch.
BOOST_AUTO_TEST_CASE(one_penalty_is_the_comparison_run_of_that_penalty) {
  const nn::Json& r = lesson("--penalty l1 --epochs 3", [](ch10::Options& o) {
    o.penalty = nn::Penalty::Kind::l1;
    o.epochs = 3;
  });
  BOOST_TEST(r["variants"].size() == 1u);
  const nn::Json& l1 = r["variants"]["l1"];
  for (const std::string curve : {"train_cost", "validation_accuracy"}) {
    BOOST_TEST_REQUIRE(l1[curve].size() == 3u);
    for (std::size_t epoch = 0; epoch < 3; ++epoch)
      nt::check_recorded(l1[curve][epoch], kName,
                         "/variants/l1/" + curve + "/" + std::to_string(epoch));
  }
}

// --stop-early with a penalty: the run ends `patience` epochs after its best.
BOOST_AUTO_TEST_CASE(a_penalty_can_stop_early_too) {
  const nn::Json& r = lesson(
      "--penalty l2 --stop-early --patience 1 --epochs 40 --train-images 100 "
      "--validation-images 1000",
      [](ch10::Options& o) {
        o.penalty = nn::Penalty::Kind::l2;
        o.stop_early = true;
        o.patience = 1;
        o.epochs = 40;
        o.train_images = 100;
        o.validation_images = 1000;
      });
  const nn::Json& l2 = r["variants"]["l2"];
  BOOST_TEST(l2["epochs_trained"].get<int>() < 40);
  BOOST_TEST(l2["epochs_trained"].get<int>() == l2["best_validation_epoch"].get<int>() + 1);
  BOOST_TEST(l2["test_accuracy"] == l2["test_accuracy_at_best_validation"]);
}

BOOST_AUTO_TEST_CASE(full_data_run_compares_none_and_l2) {
  const nn::Json& r =
      lesson("--full --full-epochs 1 --epochs 1 --penalty none", [](ch10::Options& o) {
        o.full = true;
        o.full_epochs = 1;
        o.epochs = 1;
        o.penalty = nn::Penalty::Kind::none;
      });
  const nn::Json& full = r["full"];
  BOOST_TEST(full["variants"]["none"]["epochs_trained"].get<int>() == 1);
  BOOST_TEST(full["variants"]["l2"]["lambda"].get<double>() == 5.0);
  // one epoch on 50 000 images beats 1 epoch on 1000 by far
  BOOST_TEST(full["variants"]["none"]["test_accuracy"].get<double>() >
             r["variants"]["none"]["test_accuracy"].get<double>() + 10);
}

// The program on a short run: exit 0, its summary, every figure's data and script; the same
// numbers run after run, on one core or one BLAS thread, and as the lesson's run in-process.
BOOST_AUTO_TEST_CASE(short_run_of_the_program) {
  nt::check_program(kName, kShort,
                    {"cost.gp", "accuracy.gp", "weights.gp", "early_stopping.gp", "curves_none.csv",
                     "curves_early_stopping.csv", "weights.csv"},
                    lesson(kShort, [](ch10::Options& o) {
                      o.epochs = 3;
                      o.train_images = 200;
                      o.validation_images = 500;
                    }));
}
