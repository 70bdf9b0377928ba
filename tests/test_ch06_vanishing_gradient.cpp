#define BOOST_TEST_MODULE ch06_vanishing_gradient
#include <boost/test/unit_test.hpp>

#include "chapters/06_vanishing_gradient/lesson.hpp"
#include "chapters/06_vanishing_gradient/report.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/one_hot.hpp"
#include "common/plumbing/mnist.hpp"
#include "common/plumbing/parallel.hpp"
#include "tests/chapter_test.hpp"

namespace nt = nn::testing;
namespace tt = boost::test_tools;

namespace {

const std::string kName = "ch06_vanishing_gradient";

// The first `m` MNIST training images and their one-hot labels, as the chapter reads them.
void first_images(arma::uword m, arma::mat& X, arma::mat& Y) {
  const nn::Mnist mnist = nn::load_mnist(std::filesystem::path(NN_SOURCE_DIR) / "datasets/mnist");
  X = nn::scale_pixels<double>(mnist.train.pixels).head_cols(m);
  Y = nn::one_hot<double>(mnist.train_labels, 10).head_cols(m);
}

// The lesson's results.json for `options` and `seed`, made once by run() as main makes it (BLAS
// on one thread) and shared by the test cases.
const nn::Json& lesson(const ch06::Options& o, std::uint32_t seed) {
  const std::string key = nn::Json{o.seeds,  o.samples, o.steps,         o.learning_rate, o.lambda,
                                   o.epochs, o.batch,   o.train_samples, o.xavier_gain,   seed}
                              .dump();
  return nt::shared_run<nn::Json>(key, [&] {
    const nn::SingleThreadedBlas one_thread;
    nn::NoProgress quiet;
    const ch06::Results r =
        ch06::run(o, seed, std::filesystem::path(NN_SOURCE_DIR) / "datasets", quiet);
    return ch06::to_json(r, o);
  });
}

std::vector<double> as_vector(const nn::Json& j) {
  return j.get<std::vector<double>>();
}

}  // namespace

// A chain of single sigmoid units with w = 1 and biases that keep every z at 0, where σ' is at
// its maximum 1/4: δ = a − y = 1/2 at the output, and each layer back multiplies by exactly 1/4.
BOOST_AUTO_TEST_CASE(hand_set_chain_attains_the_quarter_bound) {
  const ch06::Variant sigmoid = ch06::variants().front();
  nn::Mlp net = ch06::make_network({1, 1, 1, 1}, sigmoid, 0);
  for (arma::uword l = 1; l <= 3; ++l) net.W[l].fill(1.0);
  net.b[1].fill(0.0);   // z1 = 1·0 + 0 = 0, a1 = 1/2
  net.b[2].fill(-0.5);  // z2 = 1/2 − 1/2 = 0, a2 = 1/2
  net.b[3].fill(-0.5);  // z3 = 0, a3 = 1/2
  const arma::vec speeds = ch06::layer_speeds(net, arma::mat(1, 1, arma::fill::zeros),
                                              arma::mat(1, 1, arma::fill::zeros));
  BOOST_TEST(speeds.n_elem == 2u);
  BOOST_TEST(speeds(1) == 0.5 * 0.25, tt::tolerance(1e-15));         // δ2 = σ'(0)·1·δ3
  BOOST_TEST(speeds(0) == 0.5 * 0.25 * 0.25, tt::tolerance(1e-15));  // δ1 = σ'(0)·1·δ2
}

// The networks and the speeds are those of Nielsen's own code: nielsen_numpy.py draws
// network2.Network(sizes) after np.random.seed(0) and backpropagates image by image.
BOOST_AUTO_TEST_CASE(speeds_match_nielsens_code_in_numpy) {
  arma::mat X, Y;
  first_images(1000, X, Y);
  const nn::Json oracle = nt::expected(kName)["numpy_network2_seed0"];
  for (const auto& [name, speeds] : oracle.items()) {
    std::vector<arma::uword> sizes;
    for (std::size_t at = 0; at != std::string::npos;) {
      const std::size_t dash = name.find('-', at);
      sizes.push_back(std::stoul(name.substr(at, dash - at)));
      at = dash == std::string::npos ? dash : dash + 1;
    }
    const ch06::Speeds ours = ch06::measure_at_init(sizes, ch06::variants().front(), X, Y, 0, 1);
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(arma::conv_to<std::vector<double>>::from(ours.mean) == as_vector(speeds),
                 tt::tolerance(1e-9) << tt::per_element());
    }
  }
}

// The constant guess p_k costs −Σ p ln p + (1 − p) ln(1 − p), and gradient descent on the
// output biases alone can only reach it from above.
BOOST_AUTO_TEST_CASE(prior_cost_is_the_cost_of_the_frequencies) {
  // labels 0, 0, 1, 2: p = (1/2, 1/4, 1/4, 0, …)
  const arma::mat Y = nn::one_hot<double>(arma::uvec{0, 0, 1, 2}, 10);
  const double h_half = std::log(2.0), h_quarter = -0.25 * std::log(0.25) - 0.75 * std::log(0.75);
  BOOST_TEST(nn::prior_cost(Y) == h_half + 2 * h_quarter, tt::tolerance(1e-14));
  // the same as the cross-entropy of logits ln(p / (1 − p)) wherever 0 < p < 1
  const arma::mat Z = arma::repmat(arma::vec{0.0, std::log(1.0 / 3.0), std::log(1.0 / 3.0)}, 1, 4);
  BOOST_TEST(nn::prior_cost(Y) == nn::binary_cross_entropy(Z, arma::mat(Y.head_rows(3))),
             tt::tolerance(1e-14));
}

// The chapter at its defaults: the numbers of results.json, and the shape of the lesson.
BOOST_AUTO_TEST_CASE(default_run_shows_vanishing_gradients) {
  const nn::Json& r = lesson({}, 0);
  const nn::Json want = nt::expected(kName);
  for (const auto& [name, norms] : want["init_norms"].items()) {
    BOOST_TEST_CONTEXT(name) {
      const auto mean = as_vector(r["init_norms"][name]);
      BOOST_TEST(mean.size() == norms.size());
      // each hidden layer learns strictly faster than the one before it
      for (std::size_t l = 1; l < mean.size(); ++l) BOOST_TEST(mean[l - 1] < mean[l]);
      // within a factor 1.5 of Nielsen's published numbers (his are one network each)
      const auto published = as_vector(r["published_norms"][name]);
      for (std::size_t l = 0; l < mean.size(); ++l) {
        BOOST_TEST(mean[l] > published[l] / 1.5);
        BOOST_TEST(mean[l] < published[l] * 1.5);
      }
    }
  }
  BOOST_TEST(r["first_to_last_ratio"]["784-30-30-30-30-10"].get<double>() <= 1.0 / 20);
  // training: the 2-hidden-layer net gets below the frequency guess, the deeper ones do not
  const double guess = r["training_prior_cost"].get<double>();
  BOOST_TEST(guess == want["training_prior_cost"].get<double>(), tt::tolerance(1e-12));
  BOOST_TEST(r["training"]["784-30-30-10"]["cost_end"].get<double>() < guess - 0.3);
  BOOST_TEST(r["training"]["784-30-30-30-30-10"]["cost_end"].get<double>() > guess - 0.01);
  // Nielsen's track, with L2 weight decay (λ = 5): after 500 steps the first hidden layer of the
  // deepest net still learns at least 20 times slower than the last. Without the decay the
  // layers' speeds draw together (within a factor 2), a different experiment.
  BOOST_TEST(r["training_lambda"].get<double>() == 5.0);
  BOOST_TEST(r["training"]["784-30-30-30-30-10"]["first_to_last_end"].get<double>() <= 1.0 / 20);
  BOOST_TEST(r["training_no_penalty"]["784-30-30-30-30-10"]["first_to_last_end"].get<double>() >
             0.5);
  // the remedies: tanh and ReLU keep the first layer within a small factor of the last; Xavier
  // alone does not rescue the sigmoid; ReLU trains to a better test accuracy than the sigmoid
  const nn::Json& remedies = r["remedies"];
  BOOST_TEST(remedies.size() == want["remedies"].size());
  BOOST_TEST(remedies["relu_he"]["first_to_last_ratio"].get<double>() > 0.5);
  BOOST_TEST(remedies["tanh"]["first_to_last_ratio"].get<double>() > 0.1);
  BOOST_TEST(remedies["sigmoid_xavier"]["first_to_last_ratio"].get<double>() < 1.0 / 20);
  BOOST_TEST(remedies["relu_he"]["test_accuracy"].get<double>() >
             remedies["sigmoid"]["test_accuracy"].get<double>() + 3);
  BOOST_TEST(r.contains("headline"));
  BOOST_TEST(r.contains("seconds"));
  // every number all processor types print alike (the initial speeds, the training tracks, the
  // remedies' speeds and accuracies), to those digits
  nt::check_default_run(r, kName);
}

// The program on a quick configuration: exit 0, its summary, its figures; the same numbers run
// after run, on one core or one BLAS thread (the speeds were the machine's before BLAS was held
// to one thread: the products of the 1000-image batch rounded differently when OpenBLAS split
// them between two threads), and as the lesson's run in-process.
BOOST_AUTO_TEST_CASE(quick_run_of_the_program) {
  ch06::Options quick;
  quick.seeds = 2;
  quick.steps = 3;
  quick.epochs = 1;
  quick.train_samples = 500;
  quick.batch = 50;
  nt::check_program(
      kName, "--seeds 2 --steps 3 --epochs 1 --train-samples 500 --batch 50 --no-plots --seed 5",
      {"init_norms.gp", "training_norms.gp", "remedies.gp", "derivatives.gp",
       "training_784-30-30-30-30-10_l2.csv", "training_784-30-30-30-30-10_none.csv",
       "init_norms.csv"},
      lesson(quick, 5));
}
