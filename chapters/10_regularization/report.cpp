// What chapter 10 shows: the table of the variants, the figures and results.json, from the
// Results of run().
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/plot.hpp"

namespace ch10 {

namespace {

// "L2, λ = 0.1": a variant's name in the printout and the figures.
std::string label(const Variant& v) {
  const std::string penalty = v.penalty == nn::Penalty::Kind::l2   ? "L2"
                              : v.penalty == nn::Penalty::Kind::l1 ? "L1"
                                                                   : "no penalty";
  std::string text =
      v.penalty == nn::Penalty::Kind::none ? penalty : fmt::format("{}, λ = {}", penalty, v.lambda);
  if (v.patience > 0)
    text = (v.penalty == nn::Penalty::Kind::none ? "early stopping" : text + ", early stopping") +
           fmt::format(" (patience {})", v.patience);
  return text;
}

std::vector<double> curve(const Run& run, double Epoch::*value) {
  std::vector<double> v;
  for (const Epoch& e : run.epochs) v.push_back(e.*value);
  return v;
}

// The epoch (1-based) of the highest test accuracy, the first on a tie.
int peak_test_epoch(const Run& run) {
  const std::vector<double> test = curve(run, &Epoch::test_accuracy);
  return static_cast<int>(std::max_element(test.begin(), test.end()) - test.begin()) + 1;
}

const Epoch& at(const Run& run, int epoch) {
  return run.epochs[epoch - 1];
}

nn::Json run_json(const Run& run) {
  const int peak = peak_test_epoch(run);
  nn::Json j = {{"penalty", nn::penalty_name(run.variant.penalty)},
                {"lambda", run.variant.lambda},
                {"patience", run.variant.patience},
                {"epochs_trained", run.epochs.size()},
                {"train_cost", curve(run, &Epoch::train_cost)},
                {"train_accuracy", curve(run, &Epoch::train_accuracy)},
                {"test_accuracy", curve(run, &Epoch::test_accuracy)},
                {"final_train_accuracy", run.epochs.back().train_accuracy},
                {"final_test_accuracy", run.epochs.back().test_accuracy},
                {"peak_test_accuracy", at(run, peak).test_accuracy},
                {"peak_test_epoch", peak}};
  if (run.variant.patience > 0) {
    j["validation_accuracy"] = curve(run, &Epoch::validation_accuracy);
    j["best_validation_epoch"] = run.best.epoch;
    j["best_validation_accuracy"] = run.best.validation_accuracy;
    j["test_accuracy_at_best_validation"] = at(run, run.best.epoch).test_accuracy;
  }
  j["near_zero_weights_percent"] = share_below(run.delivered(), kNearZero);
  return j;
}

const Run* find(const std::vector<Run>& runs, const std::string& key) {
  for (const Run& run : runs)
    if (run.variant.key == key) return &run;
  return nullptr;
}

std::string headline(const Results& r) {
  std::string text = "best test accuracy:";
  for (const Run& run : r.runs)
    text += fmt::format(" {} {:.2f} %;", label(run.variant),
                        run.variant.patience > 0 ? at(run, run.best.epoch).test_accuracy
                                                 : at(run, peak_test_epoch(run)).test_accuracy);
  text.pop_back();
  return text;
}

void print_runs(const std::vector<Run>& runs) {
  fmt::print("  {:<34}{:>10}{:>22}{:>14}{:>14}\n", "variant", "train %", "peak test % (epoch)",
             "final test %", "|w| < 1e-3");
  for (const Run& run : runs) {
    const int peak = peak_test_epoch(run);
    fmt::print("  {:<34}{:>10.1f}{:>15.2f} ({:>4}){:>14.2f}{:>13.2f}%\n", label(run.variant),
               run.epochs.back().train_accuracy, at(run, peak).test_accuracy, peak,
               run.epochs.back().test_accuracy, share_below(run.delivered(), kNearZero));
    if (run.variant.patience > 0)
      fmt::print(
          "  {:<34}stopped after epoch {}, kept epoch {} (validation {:.2f} %): test "
          "accuracy {:.2f} %\n",
          "", run.epochs.size(), run.best.epoch, run.best.validation_accuracy,
          at(run, run.best.epoch).test_accuracy);
  }
}

// ---- figures --------------------------------------------------------------------------------

// curves_<key>.csv: epoch, train cost, train accuracy, test accuracy (and validation accuracy).
void write_curves(const nn::Figures& figures, const Run& run, const std::string& file) {
  std::vector<std::string> header{"epoch", "train_cost", "train_accuracy", "test_accuracy"};
  std::vector<arma::vec> columns{
      arma::regspace<arma::vec>(1, static_cast<double>(run.epochs.size())),
      nn::to_vec(curve(run, &Epoch::train_cost)), nn::to_vec(curve(run, &Epoch::train_accuracy)),
      nn::to_vec(curve(run, &Epoch::test_accuracy))};
  if (run.variant.patience > 0) {
    header.push_back("validation_accuracy");
    columns.push_back(nn::to_vec(curve(run, &Epoch::validation_accuracy)));
  }
  figures.csv(file, header, columns);
}

// `plot` clauses, one per run, of column `column` of <prefix>curves_<key>.csv.
std::string clauses(const std::vector<Run>& runs, const std::string& prefix, int column,
                    const std::string& style, const std::string& suffix = "") {
  std::string text;
  for (std::size_t k = 0; k < runs.size(); ++k)
    text += fmt::format("{}'{}curves_{}.csv' every ::1 using 1:{} with lines lt {} {} title '{}{}'",
                        k ? ", \\\n     " : "", prefix, runs[k].variant.key, column, k + 1, style,
                        label(runs[k].variant), suffix);
  return text;
}

void plot_curves(const nn::Figures& figures, const std::vector<Run>& runs,
                 const std::string& prefix, const std::string& title) {
  for (const Run& run : runs)
    write_curves(figures, run, prefix + "curves_" + run.variant.key + ".csv");
  figures.draw(prefix + "cost",
               fmt::format("set title '{}: the training cost C = C₀ + penalty'\n"
                           "set xlabel 'epoch'\nset ylabel 'cost on the training images'\n"
                           "set logscale y\nset grid\nset key top right\nplot {}\n",
                           title, clauses(runs, prefix, 2, "lw 2")));
  figures.draw(prefix + "accuracy",
               fmt::format("set title '{}: accuracy on the training images (thin) and on the "
                           "test images (thick)'\nset xlabel 'epoch'\nset ylabel 'accuracy (%)'\n"
                           "set grid\nset key bottom right\nset yrange [70:101]\n"
                           "plot {}, \\\n     {}\n",
                           title, clauses(runs, prefix, 4, "lw 2"),
                           clauses(runs, prefix, 3, "lw 1", " (training)")),
               900, 560);
}

// The weights of every layer of the none, L2 and L1 networks, binned by gnuplot.
void plot_weights(const nn::Figures& figures, const std::vector<Run>& runs) {
  std::vector<std::string> header;
  std::vector<arma::vec> columns;
  for (const Run& run : runs) {
    if (run.variant.patience > 0) continue;
    arma::vec w;
    for (arma::uword l = 1; l <= run.last.layers(); ++l)
      w = arma::join_cols(w, arma::vectorise(run.last.W[l]));
    header.push_back(label(run.variant));
    columns.push_back(w);
  }
  if (columns.empty()) return;
  figures.csv("weights.csv", header, columns);
  figures.draw("weights",
               fmt::format("set title 'The weights after training: L2 shrinks them all, L1 sets "
                           "many to about 0'\nset xlabel 'weight w'\nset ylabel 'number of weights "
                           "per bin of 0.05'\nset logscale y\nset grid\n"
                           "bin(x) = 0.05 * floor(x / 0.05 + 0.5)\nset xrange [-4:4]\n"
                           "plot for [c=1:{}] 'weights.csv' every ::1 using (bin(column(c))):(1) "
                           "smooth frequency with steps lw 2 title columnhead(c)\n",
                           columns.size()),
               900, 520);
}

// The early-stopping run's validation and test curves over the unpenalised run's test curve,
// and the epochs it kept and stopped at.
void plot_early_stopping(const nn::Figures& figures, const Run& early) {
  figures.draw(
      "early_stopping",
      fmt::format("set title 'Early stopping: the validation accuracy decides which epoch to "
                  "keep'\nset xlabel 'epoch'\nset ylabel 'accuracy (%)'\nset grid\n"
                  "set key bottom right\nset yrange [70:90]\n"
                  "set arrow from {0},graph 0 to {0},graph 1 nohead dt 2 lc rgb '#d00000'\n"
                  "set label 'kept: epoch {0}' at {0},graph 0.08 offset -11,0\n"
                  "set arrow from {1},graph 0 to {1},graph 1 nohead dt 3 lc rgb '#606060'\n"
                  "set label 'stopped: epoch {1}' at {1},graph 0.16 offset 1,0\n"
                  "plot 'curves_none.csv' every ::1 using 1:4 with lines lw 1 lc rgb '#a0a0a0' "
                  "title 'test, no penalty, every epoch', \\\n"
                  "     'curves_{2}.csv' every ::1 using 1:5 with lines lw 2 "
                  "title 'validation, early stopping', \\\n"
                  "     'curves_{2}.csv' every ::1 using 1:4 with lines lw 2 "
                  "title 'test, early stopping'\n",
                  early.best.epoch, early.epochs.size(), early.variant.key),
      900, 520);
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  nn::Json j;
  j["train_images"] = o.train_images;
  j["validation_images"] = o.validation_images;
  j["hidden"] = o.hidden;
  j["epochs"] = o.epochs;
  j["batch"] = o.batch;
  j["learning_rate"] = o.learning_rate;
  j["lambda"] = o.lambda;
  j["patience"] = o.patience;
  j["near_zero_below"] = kNearZero;
  j["headline"] = headline(r);
  for (const Run& run : r.runs) j["variants"][run.variant.key] = run_json(run);
  if (!r.full_runs.empty()) {
    j["full"]["epochs"] = o.full_epochs;
    j["full"]["lambda"] = o.full_lambda;
    for (const Run& run : r.full_runs) j["full"]["variants"][run.variant.key] = run_json(run);
  }
  j["seconds"] = r.seconds;
  return j;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  fmt::print(
      "784-{}-10 sigmoid network, cross-entropy, weights and biases from N(0, 1); {} "
      "training images, {} validation, {} epochs of SGD (η = {}, batches of {}):\n",
      o.hidden, o.train_images, o.validation_images, o.epochs, o.learning_rate, o.batch);
  print_runs(r.runs);
  if (!r.full_runs.empty()) {
    fmt::print("The same network on {} images, {} epochs:\n",
               r.full_runs.front().epochs.empty() ? 0 : 60000 - o.validation_images, o.full_epochs);
    print_runs(r.full_runs);
  }
  const nn::Figures figures(common.out_dir, common.plots);
  plot_curves(figures, r.runs, "", fmt::format("{} training images", o.train_images));
  plot_weights(figures, r.runs);
  const Run *none = find(r.runs, "none"), *early = find(r.runs, "early_stopping");
  if (none != nullptr && early != nullptr) plot_early_stopping(figures, *early);
  if (!r.full_runs.empty()) plot_curves(figures, r.full_runs, "full_", "50 000 training images");
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("{}\nResults and figures in {} ({:.1f} s)\n", headline(r),
             common.final_out_dir.string(), r.seconds);
}

}  // namespace ch10
