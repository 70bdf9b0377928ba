// What chapter 10 shows: the table of the variants, the figures and results.json, from the
// Results of run().
#include "report.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "common/plumbing/plot.hpp"

namespace ch10 {

const std::vector<std::pair<std::string, Init>>& init_names() {
  static const std::vector<std::pair<std::string, Init>> names{{"large", Init::large},
                                                               {"scaled", Init::scaled}};
  return names;
}

namespace {

// "L2 (λ = 0.1)": a variant's name in the printout, the figures and the CSV headers (no commas).
std::string label(const Variant& v) {
  using Kind = nn::Penalty::Kind;
  const std::string penalty =
      v.penalty == Kind::none
          ? ""
          : fmt::format("{} (λ = {})", v.penalty == Kind::l2 ? "L2" : "L1", v.lambda);
  const std::string stopping =
      v.patience > 0 ? fmt::format("early stopping (patience {})", v.patience) : "";
  if (penalty.empty()) return stopping.empty() ? "no penalty" : stopping;
  return stopping.empty() ? penalty : penalty + " + " + stopping;
}

std::vector<double> curve(const Run& run, double Epoch::*value) {
  std::vector<double> v;
  for (const Epoch& e : run.epochs) v.push_back(e.*value);
  return v;
}

// The first epoch after which every training image is classified right (0: none).
int first_perfect_epoch(const Run& run) {
  for (std::size_t k = 0; k < run.epochs.size(); ++k)
    if (run.epochs[k].train_accuracy == 100.0) return static_cast<int>(k + 1);
  return 0;
}

// The epoch from which every training image stays classified right to the end (0: the last
// epoch is not perfect). The accuracy may reach 100 % and fall back before it stays there.
int perfect_from_epoch(const Run& run) {
  std::size_t k = run.epochs.size();
  while (k > 0 && run.epochs[k - 1].train_accuracy == 100.0) --k;
  return k == run.epochs.size() ? 0 : static_cast<int>(k + 1);
}

nn::Json run_json(const Run& run) {
  const Epoch& last = run.epochs.back();
  return {{"penalty", nn::penalty_name(run.variant.penalty)},
          {"lambda", run.variant.lambda},
          {"patience", run.variant.patience},
          {"epochs_trained", run.epochs.size()},
          {"train_cost", curve(run, &Epoch::train_cost)},
          {"train_accuracy", curve(run, &Epoch::train_accuracy)},
          {"validation_accuracy", curve(run, &Epoch::validation_accuracy)},
          {"final_train_cost", last.train_cost},
          {"final_train_accuracy", last.train_accuracy},
          {"first_perfect_epoch", first_perfect_epoch(run)},
          {"perfect_from_epoch", perfect_from_epoch(run)},
          {"final_validation_accuracy", last.validation_accuracy},
          {"best_validation_epoch", run.best.epoch},
          {"best_validation_accuracy", run.best.validation_accuracy},
          {"final_test_accuracy", run.test_accuracy_last},
          {"test_accuracy_at_best_validation", run.test_accuracy_best},
          {"test_accuracy", run.delivered_test_accuracy()},
          {"near_zero_weights_percent", share_below(run.delivered(), kNearZero)}};
}

const Run* find(const std::vector<Run>& runs, const std::string& key) {
  for (const Run& run : runs)
    if (run.variant.key == key) return &run;
  return nullptr;
}

std::string headline(const Results& r) {
  std::string text = "test accuracy:";
  for (const Run& run : r.runs)
    text += fmt::format(" {} {:.2f} %;", label(run.variant), run.delivered_test_accuracy());
  text.pop_back();
  return text;
}

void print_runs(const std::vector<Run>& runs) {
  fmt::print("  {:<30}{:>9}{:>22}{:>13}{:>20}{:>12}\n", "", "train %", "best validation %",
             "last test %", "best-val. test %", "|w| < 1e-3");
  for (const Run& run : runs) {
    fmt::print("  {:<30}{:>9.1f}{:>14.2f} ({:>4}){:>13.2f}{:>20.2f}{:>11.2f}%\n",
               label(run.variant), run.epochs.back().train_accuracy, run.best.validation_accuracy,
               run.best.epoch, run.test_accuracy_last, run.test_accuracy_best,
               share_below(run.delivered(), kNearZero));
    if (run.variant.patience > 0)
      fmt::print("  {:<30}stopped after epoch {}, kept epoch {}: test accuracy {:.2f} %\n", "",
                 run.epochs.size(), run.best.epoch, run.test_accuracy_best);
  }
}

// ---- figures --------------------------------------------------------------------------------

// <prefix>curves_<key>.csv: epoch, train cost, train accuracy, validation accuracy.
void write_curves(const nn::Figures& figures, const Run& run, const std::string& file) {
  figures.csv(
      file, {"epoch", "train_cost", "train_accuracy", "validation_accuracy"},
      {arma::regspace<arma::vec>(1, static_cast<double>(run.epochs.size())),
       nn::to_vec(curve(run, &Epoch::train_cost)), nn::to_vec(curve(run, &Epoch::train_accuracy)),
       nn::to_vec(curve(run, &Epoch::validation_accuracy))});
}

// `plot` clauses, one per run, of column `column` of <prefix>curves_<key>.csv.
// (`titled` false: no key entry)
std::string clauses(const std::vector<Run>& runs, const std::string& prefix, int column,
                    const std::string& style, bool titled = true) {
  std::string text;
  for (std::size_t k = 0; k < runs.size(); ++k)
    text += fmt::format("{}'{}curves_{}.csv' every ::1 using 1:{} with lines lt {} {} {}",
                        k ? ", \\\n     " : "", prefix, runs[k].variant.key, column, k + 1, style,
                        titled ? "title '" + label(runs[k].variant) + "'" : "notitle");
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
  figures.draw(
      prefix + "accuracy",
      fmt::format("set title '{}: accuracy on the validation images "
                  "(thick) and on the training images (thin)'\nset xlabel 'epoch'\n"
                  "set ylabel 'accuracy (%)'\nset grid\nset key bottom right\n"
                  "set yrange [70:101]\nplot {}, \\\n     {}\n",
                  title, clauses(runs, prefix, 4, "lw 2"), clauses(runs, prefix, 3, "lw 1", false)),
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

// The early-stopping run's validation curve over the unpenalised run's, and the epochs it kept
// and stopped at.
void plot_early_stopping(const nn::Figures& figures, const Run& early) {
  figures.draw(
      "early_stopping",
      fmt::format("set title 'Early stopping keeps the epoch of the best validation accuracy'\n"
                  "set xlabel 'epoch'\nset ylabel 'validation accuracy (%)'\nset grid\n"
                  "set key bottom right\nset yrange [76:88]\n"
                  "set arrow from {0},graph 0 to {0},graph 1 nohead dt 2 lc rgb '#d00000'\n"
                  "set label 'kept: epoch {0}' at {0},graph 0.1 right offset -1,0\n"
                  "set arrow from {1},graph 0 to {1},graph 1 nohead dt 3 lc rgb '#606060'\n"
                  "set label 'stopped: epoch {1}' at {1},graph 0.2 offset 1,0\n"
                  "plot 'curves_none.csv' every ::1 using 1:4 with lines lw 1 lc rgb '#a0a0a0' "
                  "title 'no penalty, every epoch', \\\n"
                  "     'curves_{2}.csv' every ::1 using 1:4 with lines lw 2 lc rgb '#0060c0' "
                  "title 'early stopping'\n",
                  early.best.epoch, early.epochs.size(), early.variant.key),
      900, 520);
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  nn::Json j;
  j["train_images"] = o.train_images;
  j["validation_images"] = o.validation_images;
  j["hidden"] = o.hidden;
  for (const auto& [name, init] : init_names())
    if (init == o.init) j["init"] = name;
  j["epochs"] = o.epochs;
  j["batch"] = o.batch;
  j["learning_rate"] = o.learning_rate;
  j["lambda"] = o.lambda;
  j["patience"] = o.patience;
  j["near_zero_below"] = kNearZero;
  j["blank_pixels"] = r.blank_pixels;
  j["headline"] = headline(r);
  for (const Run& run : r.runs) j["variants"][run.variant.key] = run_json(run);
  if (!r.full_runs.empty()) {
    j["full"]["train_images"] = r.full_images;
    j["full"]["epochs"] = o.full_epochs;
    j["full"]["lambda"] = o.full_lambda;
    for (const Run& run : r.full_runs) j["full"]["variants"][run.variant.key] = run_json(run);
  }
  j["seconds"] = r.seconds;
  return j;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  fmt::print(
      "784-{}-10 sigmoid network, cross-entropy, {}; {} training images ({} of whose 784 pixels "
      "are blank in all), {} validation, {} epochs of SGD (η = {}, batches of {}):\n",
      o.hidden,
      o.init == Init::large ? "weights and biases from N(0, 1)"
                            : "weights N(0, 1/n_in), biases N(0, 1)",
      o.train_images, r.blank_pixels, o.validation_images, o.epochs, o.learning_rate, o.batch);
  print_runs(r.runs);
  if (!r.full_runs.empty()) {
    fmt::print("The same network on {} images, {} epochs (L2 λ = {}):\n", r.full_images,
               o.full_epochs, o.full_lambda);
    print_runs(r.full_runs);
  }
  const nn::Figures figures(common.out_dir, common.plots);
  plot_curves(figures, r.runs, "", fmt::format("{} training images", o.train_images));
  plot_weights(figures, r.runs);
  const Run *none = find(r.runs, "none"), *early = find(r.runs, "early_stopping");
  if (none != nullptr && early != nullptr) plot_early_stopping(figures, *early);
  if (!r.full_runs.empty())
    plot_curves(figures, r.full_runs, "full_", fmt::format("{} training images", r.full_images));
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("{}\nResults and figures in {} ({:.1f} s)\n", headline(r),
             common.final_out_dir.string(), r.seconds);
}

}  // namespace ch10
