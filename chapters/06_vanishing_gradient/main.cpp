// ch06_vanishing_gradient: why the early layers of a deep sigmoid network learn slowest.
#include "common/plumbing/cli.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch06::Options options;
  nn::ChapterCli cli("ch06_vanishing_gradient",
                     "Vanishing gradients: the speed of learning of each layer of a deep network",
                     "Chapter 6 — Vanishing gradients", 0);
  cli.add_seed_count("--seeds", options.seeds,
                     "Networks drawn per measurement (seeds --seed, +1, …)");
  cli.add_count("--samples", options.samples, "Training images the gradient is averaged over");
  cli.add_count("--steps", options.steps, "Full-batch gradient steps of the training track");
  cli.add_positive("--lr", options.learning_rate, "Learning rate (training track and SGD)");
  cli.add_nonnegative("--lambda", options.lambda,
                      "L2 weight decay λ of the training track, scaled by 1/samples "
                      "(Nielsen's 5; the track also runs without)");
  cli.add_count("--epochs", options.epochs, "Epochs of SGD on MNIST for the remedies");
  cli.add_count("--batch", options.batch, "Mini-batch size of that SGD");
  cli.add_count("--train-samples", options.train_samples, "Training images for that SGD");
  cli.add_positive("--xavier-gain", options.xavier_gain,
                   "Multiplies the weights of the sigmoid + Xavier remedy (try 4: σ'(0) = 1/4)");
  cli.add_rule([&]() -> std::string {
    if (options.batch <= options.train_samples) return "";
    return "--batch: " + std::to_string(options.batch) + " is larger than the " +
           std::to_string(options.train_samples) + " training samples (--train-samples)";
  });
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"},
             {nn::Cause::initial_scale, "--xavier-gain"},
             {nn::Cause::penalty, "--lambda or --lr"}});
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    nn::check_penalty_step(options.learning_rate, options.lambda, options.samples);
    // BLAS on one thread: a product split among threads rounds differently, and these speeds
    // must not depend on the machine's number of cores
    const nn::SingleThreadedBlas one_thread;
    nn::ProgressLine progress;
    const ch06::Results results = ch06::run(options, common.seed, common.data_dir, progress);
    progress.finish();  // the report starts on a fresh line
    ch06::report(results, options, common);
  });
}
