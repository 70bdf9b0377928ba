// ch10_regularization: a small network overfits 1000 MNIST images; L2, L1 and early stopping
// (book.md, chapter 10).
#include "common/nn/errors.hpp"
#include "common/plumbing/cli.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch10::Options options;
  nn::ChapterCli cli("ch10_regularization",
                     "Overfitting on 1000 MNIST images, and three cures: L2, L1, early stopping",
                     "Chapter 10 — Overfitting: L2, L1 and stopping early", 0);
  cli.add_count("--train-images", options.train_images,
                "The first N images of the training file to learn from", 10, 59000);
  cli.add_count("--validation-images", options.validation_images,
                "Images held out from the end of the training file to choose by", 100, 50000);
  cli.add_count("--hidden", options.hidden, "Hidden units", 1, 1000);
  cli.add_choice("--init", options.init,
                 "Weights: large = N(0, 1) (Nielsen's experiment), scaled = N(0, 1/n_in)",
                 ch10::init_names());
  cli.add_count("--epochs", options.epochs, "Epochs of mini-batch SGD", 1, 10000);
  cli.add_count("--batch", options.batch, "Mini-batch size", 1, 59000);
  cli.add_positive("--lr", options.learning_rate, "Learning rate η");
  using Kind = nn::Penalty::Kind;
  cli.add_choice<std::optional<Kind>>(
      "--penalty", options.penalty,
      "compare: the four variants; none, l2 or l1: one network with that penalty",
      {{"compare", std::nullopt},
       {nn::penalty_name(Kind::none), Kind::none},
       {nn::penalty_name(Kind::l2), Kind::l2},
       {nn::penalty_name(Kind::l1), Kind::l1}});
  cli.add_positive("--lambda", options.lambda, "λ of L2 and L1 (each step uses λ/n, n = images)");
  cli.add_count("--patience", options.patience,
                "Early stopping: epochs without a better validation accuracy before stopping", 1,
                10000);
  cli.add_switch("--stop-early", options.stop_early,
                 "With --penalty none|l2|l1: stop early too, keeping the best-validation network");
  cli.add_switch("--full", options.full,
                 "Also train on all 50000 non-validation images: none against L2 (slow)");
  cli.add_count("--full-epochs", options.full_epochs, "Epochs of the --full run", 1, 1000);
  cli.add_positive("--full-lambda", options.full_lambda, "λ of the --full run's L2");
  cli.add_only("--stop-early",
               "with --penalty none|l2|l1 (the comparison has its own early-stopping run)",
               [&] { return options.penalty.has_value(); });
  cli.add_only("--lambda", "with --penalty l2, l1 or compare (--penalty none has no λ)",
               [&] { return options.penalty != Kind::none; });
  for (const char* const flag : {"--full-epochs", "--full-lambda"})
    cli.add_only(flag, "with --full (they set its run)", [&] { return options.full; });
  cli.add_rule([&]() -> std::string {
    if (options.batch > options.train_images)
      return "--batch: " + std::to_string(options.batch) + " is more than the " +
             std::to_string(options.train_images) + " training images (--train-images)";
    return "";
  });
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}, {nn::Cause::penalty, "--lambda or --lr"}});
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    if (options.penalty != Kind::none)
      nn::check_penalty_step(options.learning_rate, options.lambda, options.train_images);
    if (options.full) {
      cli.blame({{nn::Cause::penalty, "--full-lambda or --lr"}});  // the --full run's λ
      nn::check_penalty_step(options.learning_rate, options.full_lambda,
                             60000.0 - options.validation_images);
    }
    // the images as doubles (784 each), and a copy of as many in the forward passes' caches
    const double images = options.train_images + options.validation_images + 10000.0 +
                          (options.full ? 60000.0 - options.validation_images : 0.0);
    nn::check_memory(2 * 8.0 * 784 * images, "--train-images/--validation-images/--full");
    nn::reuse_freed_memory();  // every epoch's evaluation frees and rebuilds the same matrices
    nn::ProgressLine progress;
    const ch10::Results results =
        ch10::run(options, common.seed, common.data_dir, progress, nn::TwoCoreJobs{});
    progress.finish();  // the report starts on a fresh line
    ch10::report(results, options, common);
  });
}
