#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch05 {

namespace fs = std::filesystem;

namespace {

void draw_curves(const nn::Figures& fig, const History& h) {
  const arma::vec epoch = arma::regspace<arma::vec>(1, static_cast<double>(h.train_loss.size()));
  const arma::vec validation_loss = nn::to_vec(h.validation_loss);
  fig.csv("curves.csv",
          {"epoch", "train_loss", "validation_loss", "train_accuracy", "validation_accuracy"},
          {epoch, nn::to_vec(h.train_loss), validation_loss, nn::to_vec(h.train_accuracy),
           nn::to_vec(h.validation_accuracy)});
  // the epoch of the lowest validation loss, marked in both panels
  const arma::uword lowest = validation_loss.index_min();
  const std::string mark = fmt::format(
      "set arrow 1 from {0}, graph 0 to {0}, graph 1 nohead dt 2 lc 'gray40'\n"
      "set label 1 '' at {0}, {1} point pt 6 ps 2 lc 'black'\n"
      "set label 2 'lowest validation loss: {1:.4f}, epoch {0}' at {0}, graph 0.08 offset 1,0\n",
      lowest + 1, validation_loss(lowest));
  fig.draw(
      "curves",
      R"(set key autotitle columnhead
set multiplot layout 1,2
set grid
set xlabel 'epoch'
set title 'Cross-entropy loss'
set ylabel 'loss J'
set logscale y
)" + mark +
          R"(plot 'curves.csv' using 1:2 with linespoints lw 2 pt 7 ps 0.5 title 'training (during the epoch)', \
     '' using 1:3 with linespoints lw 2 pt 7 ps 0.5 title 'validation (after the epoch)'
unset logscale y
unset label
set title 'Accuracy'
set ylabel 'accuracy (%)'
set key bottom right
plot 'curves.csv' using 1:4 with linespoints lw 2 pt 7 ps 0.5 title 'training (during the epoch)', \
     '' using 1:5 with linespoints lw 2 pt 7 ps 0.5 title 'validation (after the epoch)'
unset multiplot
)",
      1100, 450);
}

void draw_confusion(const nn::Figures& fig, const arma::umat& counts) {
  arma::vec truth(counts.n_elem), predicted(counts.n_elem), n(counts.n_elem);
  for (arma::uword t = 0, i = 0; t < counts.n_rows; ++t)
    for (arma::uword k = 0; k < counts.n_cols; ++k, ++i) {
      truth(i) = static_cast<double>(t);
      predicted(i) = static_cast<double>(k);
      n(i) = static_cast<double>(counts(t, k));
    }
  fig.csv("confusion.csv", {"true_digit", "predicted_digit", "count"}, {truth, predicted, n});
  fig.draw("confusion", R"(set key autotitle columnhead
unset key
set title 'Confusion matrix: the test images by true and predicted digit'
set xlabel 'predicted digit'
set ylabel 'true digit'
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics 0,1,9 scale 0
set ytics 0,1,9 scale 0
set size ratio -1
set palette defined (0 '#ffffff', 1 '#fee0d2', 2 '#fc9272', 3 '#de2d26', 4 '#67000d')
set cbrange [0:log10(1201)]
set cbtics ('0' 0, '1' log10(2), '10' log10(11), '100' log10(101), '1000' log10(1001))
set cblabel 'images (log scale)'
plot 'confusion.csv' using 2:1:(log10($3 + 1)) with image, \
     '' using 2:1:($3 >= 100 ? sprintf('%d', $3) : '') with labels tc 'white' font ',9', \
     '' using 2:1:($3 > 0 && $3 < 100 ? sprintf('%d', $3) : '') with labels font ',9'
)",
           720, 640);
}

// The first 32 misclassified test images in a grid, each captioned "predicted (true)". The
// grid is one picture of (8 × 30) × (4 × 38) pixels: 28 × 28 per digit, margins, captions.
void draw_misclassified(const nn::Figures& fig, const Split& test, const arma::uvec& predicted) {
  const arma::uvec wrong = arma::find(predicted != test.labels);
  const arma::uword columns = 8, rows = 4,
                    tiles = std::min<arma::uword>(columns * rows, wrong.n_elem);
  const arma::uword pitch_x = 30, pitch_y = 38;  // 28 pixels and a margin for the caption
  const arma::uword width = columns * pitch_x, height = rows * pitch_y;
  arma::vec x(width * height), y(width * height), ink(width * height, arma::fill::zeros);
  for (arma::uword i = 0; i < x.n_elem; ++i) {
    x(i) = static_cast<double>(i % width);
    y(i) = static_cast<double>(i / width);
  }
  arma::vec label_x(tiles), label_y(tiles), label_predicted(tiles), label_true(tiles);
  for (arma::uword k = 0; k < tiles; ++k) {
    const arma::uword left = (k % columns) * pitch_x, top = (k / columns) * pitch_y;
    for (arma::uword r = 0; r < 28; ++r)
      for (arma::uword c = 0; c < 28; ++c)
        ink((top + r) * width + left + c) = test.X(r * 28 + c, wrong(k));
    label_x(k) = static_cast<double>(left) + 13.5;
    label_y(k) = static_cast<double>(top) + 32.0;
    label_predicted(k) = static_cast<double>(predicted(wrong(k)));
    label_true(k) = static_cast<double>(test.labels(wrong(k)));
  }
  fig.csv("misclassified_pixels.csv", {"x", "y", "ink"}, {x, y, ink});
  fig.csv("misclassified_labels.csv", {"x", "y", "predicted", "true"},
          {label_x, label_y, label_predicted, label_true});
  fig.draw("misclassified", R"(set key autotitle columnhead
unset key
unset border
unset tics
unset colorbox
set title 'Misclassified test images (the first ones in test-set order): predicted (true)'
set palette gray negative
set size ratio -1
set yrange [*:*] reverse
plot 'misclassified_pixels.csv' using 1:2:3 with image, \
     'misclassified_labels.csv' using 1:2:(sprintf('%d (%d)', $3, $4)) with labels font ',11'
)",
           900, 560);
}

void draw_study(const nn::Figures& fig, const std::vector<StudyPoint>& points,
                const std::vector<double>& learning_rates,
                const std::vector<arma::uword>& batch_sizes, int epochs) {
  arma::vec lr_index(points.size()), batch_index(points.size()), lr(points.size()),
      batch(points.size()), accuracy(points.size());
  std::string xtics, ytics;
  for (std::size_t i = 0; i < learning_rates.size(); ++i)
    xtics += fmt::format("{}'{}' {}", i ? ", " : "", learning_rates[i], i);
  for (std::size_t i = 0; i < batch_sizes.size(); ++i)
    ytics += fmt::format("{}'{}' {}", i ? ", " : "", batch_sizes[i], i);
  for (std::size_t i = 0; i < points.size(); ++i) {
    lr_index(i) = static_cast<double>(i % learning_rates.size());
    batch_index(i) = static_cast<double>(i / learning_rates.size());
    lr(i) = points[i].learning_rate;
    batch(i) = static_cast<double>(points[i].batch_size);
    accuracy(i) = points[i].validation_accuracy;
  }
  fig.csv("study.csv",
          {"lr_index", "batch_index", "learning_rate", "batch_size", "validation_accuracy"},
          {lr_index, batch_index, lr, batch, accuracy});
  fig.draw("study",
           fmt::format(R"(set key autotitle columnhead
unset key
set title 'Validation accuracy (%) after {} epochs'
set xlabel 'learning rate α'
set ylabel 'batch size'
set xtics ({}) scale 0
set ytics ({}) scale 0
set cblabel 'validation accuracy (%)'
set palette defined (0 '#f7fbff', 1 '#9ecae1', 2 '#3182bd', 3 '#08306b')
stats 'study.csv' using 5 nooutput
middle = (STATS_min + STATS_max) / 2
plot 'study.csv' using 1:2:5 with image, \
     '' using 1:2:($5 >= middle ? sprintf('%.2f', $5) : '') with labels tc 'white', \
     '' using 1:2:($5 < middle ? sprintf('%.2f', $5) : '') with labels
)",
                       epochs, xtics, ytics),
           760, 420);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

arma::uword errors(const arma::umat& confusion) {
  return arma::accu(confusion) - arma::trace(confusion);
}

// The held-out numbers, as both the training run and a loaded model report them.
void add_test(nn::Json& j, const Results& r) {
  j["headline"] = fmt::format("test accuracy {:.2f} %", r.test.accuracy);
  j["validation_accuracy"] = r.validation.accuracy;
  j["test_accuracy"] = r.test.accuracy;
  j["test_loss"] = r.test.loss;
  j["test_errors"] = errors(r.confusion);
  j["confusion_matrix"] = nn::to_json(r.confusion);
}

void print_summary(const Results& r, const Options& o, const fs::path& model) {
  const Data& d = r.data;
  fmt::print("MNIST: {} training, {} validation and {} test images of 28 × 28 pixels\n",
             d.train.labels.n_elem, d.validation.labels.n_elem, d.test.labels.n_elem);
  if (o.load.empty()) {
    fmt::print("gradient check (double, central differences): relative error");
    for (const auto& [name, error] : r.check.errors) fmt::print(" {} {:.1e}", name, error);
    fmt::print("\ntrained {} epochs, learning rate {}, batch {}; saved the parameters to {}\n",
               r.history.train_loss.size(), o.learning_rate, o.batch_size, model.string());
  } else {
    fmt::print("loaded the trained parameters from {}\n", o.load.string());
  }
  fmt::print(
      "validation accuracy {:.2f} %, test accuracy {:.2f} % ({} of {} test images misread), "
      "test loss {}\n",
      r.validation.accuracy, r.test.accuracy, errors(r.confusion), d.test.labels.n_elem,
      nn::fixed(r.test.loss, 4));
  if (r.seed_accuracies.size() > 1) {
    const arma::vec a(r.seed_accuracies);
    fmt::print(
        "test accuracy over {} seeds: mean {:.2f} %, standard deviation {:.2f}, min {:.2f}, "
        "max {:.2f}\n",
        a.n_elem, arma::mean(a), arma::stddev(a), a.min(), a.max());
  }
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o, std::uint32_t seed) {
  nn::Json j;
  if (!o.load.empty()) {
    j["model"] = o.load.string();
    add_test(j, r);
    j["seconds"] = r.seconds;
    return j;
  }
  const History& h = r.history;
  j["headline"] = "";  // the test accuracy, below
  j["epochs_run"] = h.train_loss.size();
  j["learning_rate"] = o.learning_rate;
  j["batch_size"] = o.batch_size;
  j["seed"] = seed;
  j["gradient_check_max_rel_error"] = r.check.max_error;
  for (const auto& [name, error] : r.check.errors) j["gradient_check"][name] = error;
  j["train_loss"] = h.train_loss;
  j["validation_loss"] = h.validation_loss;
  j["train_accuracy"] = h.train_accuracy;
  j["validation_accuracy_per_epoch"] = h.validation_accuracy;
  add_test(j, r);
  if (r.seed_accuracies.size() > 1) {
    const arma::vec a(r.seed_accuracies);
    j["seeds"] = {{"test_accuracy", r.seed_accuracies},
                  {"mean", arma::mean(a)},
                  {"standard_deviation", arma::stddev(a)},
                  {"min", a.min()},
                  {"max", a.max()}};
  }
  if (!r.study.empty()) {
    j["study_epochs"] = kStudyEpochs;
    for (const StudyPoint& p : r.study)
      j["study"].push_back({{"learning_rate", p.learning_rate},
                            {"batch_size", p.batch_size},
                            {"validation_accuracy", p.validation_accuracy}});
  }
  j["model"] = "model.bin";
  j["seconds_per_epoch"] = median(h.seconds);
  j["seconds"] = r.seconds;
  return j;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  if (o.load.empty()) save_model(r.model, common.out_dir / "model.bin");
  print_summary(r, o, common.final_out_dir / "model.bin");
  const nn::Figures fig(common.out_dir, common.plots);
  if (o.load.empty()) draw_curves(fig, r.history);
  draw_confusion(fig, r.confusion);
  draw_misclassified(fig, r.data.test, r.test.predicted);
  if (!r.study.empty()) draw_study(fig, r.study, kStudyRates, kStudyBatches, kStudyEpochs);
  nn::write_results(common.out_dir, to_json(r, o, common.seed));
}

}  // namespace ch05
