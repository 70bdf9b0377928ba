// ch04_sine_regression: a 1-3-1 network fits a noisy sine; regression metrics, a polynomial
// baseline and hyperparameter search. See book.md, chapter 4.
#include "common/plumbing/cli.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch04::Options o;
  nn::ChapterCli cli("ch04_sine_regression",
                     "A 1-3-1 network fits sin 2πx: regression metrics, a polynomial baseline "
                     "and hyperparameter search",
                     "Chapter 4 — Regression: a network fits a sine", 1);
  cli.add_count("--hidden", o.hidden, "Hidden units n_h", 1, 10000);
  cli.add_positive("--lr", o.learning_rate, "Learning rate α");
  cli.add_count("--batch", o.batch, "Mini-batch size (at most the 450 training samples)");
  cli.add_count("--epochs", o.epochs, "At most this many epochs");
  cli.add_positive("--stop-loss", o.stop_loss,
                   "Stop when the validation cost J is at or below this");
  cli.add_count("--search-epochs", o.search_epochs, "At most this many epochs per search trial");
  cli.add_positives("--grid-rates", o.grid_rates,
                    "The grid search's 4 learning rates, comma separated");
  cli.add_rule([&]() -> std::string {
    if (o.grid_rates.size() == static_cast<std::size_t>(ch04::kGridRates)) return "";
    return "--grid-rates: the grid crosses 4 learning rates with 4 widths (16 trials, the random "
           "search's budget), got " +
           std::to_string(o.grid_rates.size());
  });
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}, {nn::Cause::searched_rates, "--grid-rates"}});
  cli.uses_seeds(3);  // the data from --seed, training from + 1, the search draws from + 2
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    nn::ProgressLine progress;
    const ch04::Results results = ch04::run(o, common.seed, progress);
    progress.finish();  // the report starts on a fresh line
    ch04::report(results, o, common);
  });
}
