// ch02_shallow_tanh: a hidden layer of tanh units separates the planar flower.
#include "common/plumbing/cli.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch02::Options o;
  nn::ChapterCli cli("ch02_shallow_tanh",
                     "A hidden layer of tanh units separates the planar flower, which one "
                     "neuron cannot.\n--seed S draws the flower with seed S and the initial "
                     "weights with seed S + 1;\nthe default 1 gives the lesson's seeds 1 and 2.",
                     "Chapter 2 — A hidden layer: the planar flower", ch02::kDefaultSeed);
  cli.add_count("--hidden", o.hidden_units, "Hidden units n_h", 1, 10000);
  cli.add_positive("--lr", o.learning_rate, "Learning rate α (also for the baseline neuron)");
  cli.add_count("--iterations", o.iterations, "Gradient-descent iterations (network, baseline)");
  cli.add_counts("--study-sizes", o.study_sizes, "Hidden sizes of the study, comma separated", 1,
                 10000);
  cli.add_count("--study-iterations", o.study_iterations, "Iterations per network of the study");
  cli.add_positive("--init-scale", o.init_scale,
                   "Scale of the initial weights: W = scale · standard normal (every network)");
  cli.add_choice(
      "--activation", o.g1, "Hidden units g1 (the chapter's are tanh)",
      std::vector<std::pair<std::string, nn::Activation>>{{"tanh", nn::Activation::tanh},
                                                          {"sigmoid", nn::Activation::sigmoid},
                                                          {"relu", nn::Activation::relu}});
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}, {nn::Cause::initial_scale, "--init-scale"}});
  cli.uses_seeds(2);  // the flower from --seed, the weights from --seed + 1
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    nn::ProgressLine progress;
    const ch02::Results results = ch02::run(o, common.seed, progress);
    progress.finish();  // the report starts on a fresh line
    ch02::report(results, o, common);
  });
}
