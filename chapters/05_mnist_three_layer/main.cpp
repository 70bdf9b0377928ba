// ch05_mnist_three_layer: reads the flags, runs the lesson (lesson.hpp) and reports it.
#include "common/plumbing/cli.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "lesson.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch05::Options options;
  nn::ChapterCli cli("ch05_mnist_three_layer",
                     "A 784-64-16-10 network (sigmoid, tanh, softmax) learns to read MNIST digits",
                     "Chapter 5 — Three layers read handwritten digits", 1);
  cli.add_count("--epochs", options.epochs, "Passes over the 55000 training images (at most)");
  cli.add_positive("--lr", options.learning_rate, "Learning rate α of gradient descent");
  cli.add_count("--batch", options.batch_size, "Samples per mini-batch");
  cli.add_switch("--study", options.study,
                 "Also train a grid of learning rates × batch sizes for a few epochs each");
  cli.add_seed_count("--seeds", options.seeds,
                     "Train with this many seeds (--seed, --seed + 1, …); report mean and spread");
  cli.add_existing_file("--load", options.load,
                        "Evaluate a saved model (model.bin of an earlier run) without training",
                        "model.bin");
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}});
  for (const char* const flag : {"--seeds", "--study"})
    cli.add_only(flag, "when training, not with --load (which evaluates a saved model)",
                 [&] { return options.load.empty(); });
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    // Every product on one BLAS thread: the numbers are the same on any machine.
    const nn::SingleThreadedBlas one_thread;
    nn::ProgressLine progress;
    const nn::TwoCoreTeam cores;  // each step's two halves of the batch, one per core
    const ch05::Results results = ch05::run(options, common.seed, common.data_dir, progress, cores);
    progress.finish();  // the report starts on a fresh line
    ch05::report(results, options, common);
  });
}
