// ch07_gradient_clipping: the cliff of a recurrent unit, a deep network that explodes, and
// the two clipping rules that tame them. See book.md, "Chapter 7 — Gradient clipping".
#include "common/nn/errors.hpp"
#include "common/plumbing/cli.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch07::Options options;
  nn::ChapterCli cli("ch07_gradient_clipping",
                     "Gradient clipping: the cliff, the jump, and the fix",
                     "Chapter 7 — Gradient clipping", 2);
  cli.add_positive("--cliff-lr", options.cliff_lr, "Learning rate on the cliff");
  cli.add_count("--cliff-steps", options.cliff_steps, "Gradient-descent steps on the cliff");
  cli.add_positive("--cliff-threshold", options.cliff_threshold, "θ of clip by norm on the cliff");
  cli.add_count("--layers", options.layers, "Weight layers of the deep network", 2, 1000);
  cli.add_count("--width", options.width, "Units in each hidden layer", 1, 4096);
  cli.add_choice("--activation", options.activation, "Hidden units of the deep network",
                 std::vector<std::pair<std::string, nn::Activation>>{
                     {"leaky_relu", nn::Activation::leaky_relu}, {"relu", nn::Activation::relu}});
  cli.add_positive("--init-gain", options.init_gain, "He initialisation is multiplied by this");
  cli.add_positive("--lr", options.lr, "Learning rate of the deep network");
  cli.add_count("--iterations", options.iterations, "Gradient-descent steps of the deep network");
  cli.add_positive("--threshold", options.threshold,
                   "θ of clip by norm for the deep network (clip by value uses θ/√P)");
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}, {nn::Cause::initial_scale, "--init-gain"}});
  cli.uses_seeds(ch07::kInitialisations);  // the sweep trains from --seed, + 1, + 2
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    // the weights, their gradients and the clipped runs' copies: width² × layers doubles, a few
    // times over
    nn::check_memory(8.0 * 8 * options.width * options.width * options.layers,
                     "--width and --layers");
    nn::ProgressLine progress;
    const ch07::Results results = ch07::run(options, common.seed, progress);
    progress.finish();  // the report starts on a fresh line
    ch07::report(results, options, common);
  });
}
