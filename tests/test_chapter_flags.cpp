// Every chapter's command line, tested once and in one place: for each chapter, a bad value of
// each kind of flag it has (out of range, not a number, an empty or misshapen list, a choice it
// does not offer, an unknown flag, a combination it forbids). Each is refused before anything is
// computed: exit 2, one line naming the flag (or the file), and no results.json. The chapters'
// own tests hold their numbers in-process; this is the only place their flags are refused.
#define BOOST_TEST_MODULE chapter_flags
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/chapter_test.hpp"

namespace {

struct Refusal {
  std::string program;  // the chapter's executable
  std::string args;     // a bad command line
  std::string needle;   // what its one line must name
};

// clang-format off
const std::vector<Refusal> kRefusals = {
    // the shared validators, each kind in some chapter: positive, count, list, choice, unknown
    {"ch01_logistic_neuron", "--lr 0", "--lr"},
    {"ch01_logistic_neuron", "--lr fast", "--lr"},
    {"ch01_logistic_neuron", "--iterations 1.5", "--iterations"},
    {"ch01_logistic_neuron", "--hidden 4", "--hidden"},
    {"ch01_logistic_neuron", "--data-dir /nonexistent/nowhere", "catvnoncat"},
    {"ch02_shallow_tanh", "--lr nan", "--lr"},
    {"ch02_shallow_tanh", "--hidden 0", "--hidden"},
    {"ch02_shallow_tanh", "--iterations 0", "--iterations"},
    {"ch02_shallow_tanh", "--study-sizes 3,0", "--study-sizes"},
    {"ch02_shallow_tanh", "--study-sizes 3,,4", "--study-sizes"},
    {"ch02_shallow_tanh", "--study-iterations -5", "--study-iterations"},
    {"ch02_shallow_tanh", "--init-scale -1", "--init-scale"},
    {"ch02_shallow_tanh", "--activation identity", "--activation"},
    {"ch02_shallow_tanh", "--no-such-flag", "no-such-flag"},
    {"ch03_xor_proof", "--lr -1", "--lr"},
    {"ch03_xor_proof", "--epochs 0", "--epochs"},
    {"ch03_xor_proof", "--tolerance 0.7", "--tolerance"},
    {"ch03_xor_proof", "--grid-step 0.01", "--grid-step"},
    {"ch03_xor_proof", "--grid-step 50", "--grid-step"},
    {"ch03_xor_proof", "--hidden 3", "--hidden"},
    {"ch04_sine_regression", "--lr 0", "--lr"},
    {"ch04_sine_regression", "--hidden 0", "--hidden"},
    {"ch04_sine_regression", "--batch 451", "--batch"},
    {"ch04_sine_regression", "--epochs 0", "--epochs"},
    {"ch04_sine_regression", "--stop-loss 0", "--stop-loss"},
    {"ch04_sine_regression", "--search-epochs 0", "--search-epochs"},
    {"ch04_sine_regression", "--grid-rates 0.1,0.3,1", "--grid-rates"},
    {"ch04_sine_regression", "--grid-rates 0.1,0.3,1,3,10", "--grid-rates"},
    {"ch04_sine_regression", "--grid-rates 0.1,0,1,3", "--grid-rates"},
    {"ch04_sine_regression", "--grid-rates 0.1,0.3,1,inf", "--grid-rates"},
    {"ch04_sine_regression", "--no-such-flag", "no-such-flag"},
    {"ch05_mnist_three_layer", "--lr -1", "--lr"},
    {"ch05_mnist_three_layer", "--batch 0", "--batch"},
    {"ch05_mnist_three_layer", "--batch 60000", "larger than the 55000 training samples"},
    {"ch05_mnist_three_layer", "--epochs 0", "--epochs"},
    {"ch05_mnist_three_layer", "--seeds 0", "--seeds"},
    {"ch05_mnist_three_layer", "--hidden 32", "--hidden"},
    {"ch06_vanishing_gradient", "--seeds 0", "--seeds"},
    {"ch06_vanishing_gradient", "--steps 0", "--steps"},
    {"ch06_vanishing_gradient", "--lambda -1", "--lambda"},
    {"ch06_vanishing_gradient", "--lr -1", "--lr"},
    {"ch06_vanishing_gradient", "--epochs 0", "--epochs"},
    {"ch06_vanishing_gradient", "--xavier-gain 0", "--xavier-gain"},
    {"ch06_vanishing_gradient", "--batch 0", "--batch"},
    {"ch06_vanishing_gradient", "--samples 70000", "--samples"},
    {"ch06_vanishing_gradient", "--batch 200 --train-samples 100", "--batch"},
    {"ch06_vanishing_gradient", "--hidden 3", "--hidden"},
    {"ch07_gradient_clipping", "--threshold 0", "--threshold"},
    {"ch07_gradient_clipping", "--lr -1", "--lr"},
    {"ch07_gradient_clipping", "--cliff-lr nan", "--cliff-lr"},
    {"ch07_gradient_clipping", "--layers 1", "--layers"},
    {"ch07_gradient_clipping", "--iterations 0", "--iterations"},
    {"ch07_gradient_clipping", "--activation tanh", "--activation"},
    {"ch07_gradient_clipping", "--clip-everything", "--clip-everything"},
    {"ch08_deep_network", "--layers 100,5,1", "--layers"},
    {"ch08_deep_network", "--layers 12288,5,2", "--layers"},
    {"ch08_deep_network", "--layers 12288", "--layers"},
    {"ch08_deep_network", "--lr -1", "--lr"},
    {"ch08_deep_network", "--iterations 0", "--iterations"},
    {"ch08_deep_network", "--init zero", "--init"},
    {"ch09_spiral_classes", "--hidden 0", "--hidden"},
    {"ch09_spiral_classes", "--lr -1", "--lr"},
    {"ch09_spiral_classes", "--reg nan", "--reg"},
    {"ch09_spiral_classes", "--points 5", "--points"},
    {"ch09_spiral_classes", "--keep-every 0", "--keep-every"},
    {"ch09_spiral_classes", "--iterations 1.5", "--iterations"},
    {"ch09_spiral_classes", "--hidden 10000 --points 100000", "--hidden"},
    {"ch10_regularization", "--penalty l3", "--penalty"},
    {"ch10_regularization", "--init zero", "--init"},
    {"ch10_regularization", "--lambda -1", "--lambda"},
    {"ch10_regularization", "--lr 0", "--lr"},
    {"ch10_regularization", "--epochs 0", "--epochs"},
    {"ch10_regularization", "--patience 0", "--patience"},
    {"ch10_regularization", "--batch 0", "--batch"},
    {"ch10_regularization", "--train-images 55000", "--train-images"},
    {"ch10_regularization", "--batch 2000", "--batch"},
    {"ch10_regularization", "--stop-early", "--stop-early"},
};
// clang-format on

}  // namespace

BOOST_AUTO_TEST_CASE(bad_flags_are_refused_in_one_line) {
  for (const Refusal& refusal : kRefusals)
    nn::testing::check_rejected(refusal.program, refusal.args, refusal.needle);
}
