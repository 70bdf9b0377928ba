#include "lesson.hpp"

#include <cmath>
#include <cstdio>

#include "common/errors.hpp"
#include "common/hdf5_data.hpp"
#include "common/losses.hpp"
#include "common/metrics.hpp"
#include "common/numpy_math.hpp"
#include "common/plot.hpp"
#include "common/progress.hpp"
#include "common/results.hpp"
#include "common/stopwatch.hpp"

namespace ch01 {

CatSet load_data(const std::filesystem::path& data_dir) {
  const nn::CatData cats = nn::load_catvnoncat(data_dir);
  CatSet data;
  // [book:data]
  // Column j is image j's bytes in (row, column, channel) order, scaled to [0, 1].
  data.X_train = arma::conv_to<arma::mat>::from(cats.train_images) / 255.0;
  data.X_test = arma::conv_to<arma::mat>::from(cats.test_images) / 255.0;
  // [/book:data]
  data.Y_train = cats.train_labels;
  data.Y_test = cats.test_labels;
  data.test_images = cats.test_images;
  data.classes = cats.classes;
  return data;
}

Neuron initialize_zeros(arma::uword n_x) {
  // A single unit has no symmetry to break: w = 0, b = 0 is a fine start (A = ½ everywhere).
  return Neuron{arma::vec(n_x, arma::fill::zeros), 0.0};
}

// [book:forward]
Forward forward(const Neuron& neuron, const arma::mat& X) {
  Forward f;
  // Z = wᵀX + b: one weighted sum per column (sample)
  f.Z = neuron.w.t() * X + neuron.b;
  // A = σ(Z) = 1 / (1 + e^−Z): the probability that each picture is a cat. e^−Z is rounded
  // as numpy rounds it, so that even the chaotic α = 0.05 run retraces the course's.
  f.A = 1.0 / (1.0 + nn::numpy_exp(-f.Z));
  return f;
}
// [/book:forward]

double textbook_cost(const arma::rowvec& A, const arma::rowvec& Y) {
  // ln 0 = −inf, and 0 · (−inf) = NaN: one saturated sample spoils the whole sum
  return -arma::accu(Y % arma::log(A) + (1.0 - Y) % arma::log(1.0 - A)) /
         static_cast<double>(A.n_elem);
}

// [book:backward]
Gradients backward(const arma::mat& X, const arma::rowvec& A, const arma::rowvec& Y) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ = A − Y: σ' and the derivative of the log cancel (see the book)
  const arma::rowvec dZ = A - Y;
  // dw = (1/m) X dZᵀ: each weight's blame, averaged over the samples
  g.dw = X * dZ.t() / m;
  // db = (1/m) Σ dZ
  g.db = nn::pairwise_sum(dZ.memptr(), dZ.n_elem) / m;
  return g;
}
// [/book:backward]

// [book:update]
void update(Neuron& neuron, const Gradients& grads, double learning_rate) {
  // w ← w − α dw,  b ← b − α db: a step downhill on J
  neuron.w -= learning_rate * grads.dw;
  neuron.b -= learning_rate * grads.db;
}
// [/book:update]

Training train(const arma::mat& X, const arma::rowvec& Y, const Options& options,
               const std::function<void(int, double)>& report) {
  Training t{initialize_zeros(X.n_rows), {}};
  t.costs.reserve(static_cast<std::size_t>(options.iterations));
  // [book:train]
  for (int i = 0; i < options.iterations; ++i) {
    const Forward f = forward(t.neuron, X);
    // J = (1/m) Σ [−y ln a − (1 − y) ln(1 − a)], computed from Z so that it stays finite
    const double J = nn::binary_cross_entropy<double>(f.Z, Y);
    nn::check_finite(J, i);
    t.costs.push_back(J);
    if (!std::isfinite(textbook_cost(f.A, Y))) ++t.textbook_failures;
    if (report && i % 100 == 0) report(i, J);
    update(t.neuron, backward(X, f.A, Y), options.learning_rate);
  }
  // [/book:train]
  return t;
}

arma::mat gram(const arma::mat& X) {
  // X̃ᵀX̃ = XᵀX + 1·1ᵀ
  return X.t() * X + 1.0;
}

// [book:curvature]
double curvature(const arma::mat& G, const arma::rowvec& A) {
  // H = (1/m) X̃ diag(a(1 − a)) X̃ᵀ is 12289 × 12289, but with S = diag(√(a(1 − a)/m)) it
  // is (X̃S)(X̃S)ᵀ, whose nonzero eigenvalues are those of the m × m matrix S X̃ᵀX̃ S
  const arma::vec s = arma::sqrt(A % (1.0 - A) / static_cast<double>(A.n_elem)).t();
  const arma::mat K = G % (s * s.t());
  return arma::eig_sym(K).max();
}
// [/book:curvature]

arma::rowvec predict(const Neuron& neuron, const arma::mat& X) {
  // ŷ = 1 when a > ½, that is when z > 0
  return arma::conv_to<arma::rowvec>::from(forward(neuron, X).A > 0.5);
}

Evaluation evaluate(const Training& training, const CatSet& data, const arma::mat& G,
                    double learning_rate) {
  const Forward train_pass = forward(training.neuron, data.X_train);
  const Forward test_pass = forward(training.neuron, data.X_test);
  return Evaluation{learning_rate,
                    nn::binary_accuracy(train_pass.A, data.Y_train),
                    nn::binary_accuracy(test_pass.A, data.Y_test),
                    nn::binary_cross_entropy<double>(train_pass.Z, data.Y_train),
                    training.textbook_failures,
                    curvature(G, train_pass.A)};
}

const std::vector<double>& study_learning_rates() {
  static const std::vector<double> rates{0.05, 0.01, 0.005, 0.001, 0.0001};
  return rates;
}

namespace {

// The costs recorded every 100 iterations, as the course prints and plots them.
std::vector<double> every_100(const std::vector<double>& costs) {
  std::vector<double> out;
  for (std::size_t i = 0; i < costs.size(); i += 100) out.push_back(costs[i]);
  return out;
}

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

// The same model, from the same zero start, at each of the study's learning rates. The run
// at the lesson's own rate is reused rather than repeated.
std::vector<Training> learning_rate_study(const CatSet& data, const Options& options,
                                          const Training& lesson_run) {
  std::printf("Learning-rate study (%d iterations each):\n", options.iterations);
  std::vector<Training> runs;
  nn::Progress progress;
  for (const double rate : study_learning_rates()) {
    if (rate == options.learning_rate) {
      runs.push_back(lesson_run);
      continue;
    }
    const auto report = [&](int i, double J) {
      if (i % 500 == 0)
        progress.update("learning rate " + format("%g", rate) + ": iteration " + std::to_string(i) +
                        ", cost " + format("%.6f", J));
    };
    runs.push_back(train(data.X_train, data.Y_train, Options{options.iterations, rate}, report));
  }
  progress.finish();
  return runs;
}

void plot_cost(const nn::Figures& figures, const Training& run, double learning_rate) {
  const arma::vec J(run.costs);
  figures.csv("cost.csv", {"iteration", "cost"},
              {arma::regspace<arma::vec>(0, static_cast<double>(J.n_elem) - 1), J});
  figures.draw("cost", "set title 'One sigmoid neuron learns cat or not cat (learning rate " +
                           format("%g", learning_rate) +
                           ")'\n"
                           "set xlabel 'iteration'\nset ylabel 'cost J (cross-entropy)'\n"
                           "set grid\nset key top right\n"
                           "plot 'cost.csv' every 2::1 using 1:2 with lines lw 2 lc rgb '#1f77b4' "
                           "title 'J at even iterations', \\\n"
                           "     '' every 2::2 using 1:2 with lines lw 2 lc rgb '#ff7f0e' "
                           "title 'J at odd iterations', \\\n"
                           "     '' every 100::1 using 1:2 with points pt 7 ps 1 lc rgb '#d62728' "
                           "title 'J every 100 iterations (printed)'\n");
}

void plot_study(const nn::Figures& figures, const std::vector<Training>& runs) {
  std::vector<std::string> header{"iteration"};
  std::vector<arma::vec> columns{
      arma::regspace<arma::vec>(0, static_cast<double>(runs.front().costs.size()) - 1)};
  for (std::size_t k = 0; k < runs.size(); ++k) {
    header.push_back("α = " + format("%g", study_learning_rates()[k]));
    columns.emplace_back(runs[k].costs);
  }
  figures.csv("learning_rates.csv", header, columns);
  figures.draw("learning_rates",
               "set title 'The same neuron at five learning rates'\n"
               "set xlabel 'iteration'\nset ylabel 'cost J (log scale)'\n"
               "set logscale y\nset grid\nset key bottom left autotitle columnhead\n"
               "set linetype 5 lc rgb '#606060'\n"
               "plot for [c=2:" +
                   std::to_string(runs.size() + 1) +
                   "] 'learning_rates.csv' using 1:c with lines lw 1.5\n",
               900, 550);
}

// The collage of test images: 64 × 64 tiles, ten to a row, with a band above each tile for
// its label and a gap between tiles.
constexpr arma::uword kSide = 64, kGap = 8, kBand = 16, kPerRow = 10;

arma::uword collage_width() {
  return kPerRow * (kSide + kGap) - kGap;
}
arma::uword collage_height(arma::uword m) {
  return (m + kPerRow - 1) / kPerRow * (kSide + kBand);
}

// Every pixel of the collage as x, y, r, g, b: gnuplot's rgbimage needs a full rectangle, so
// the bands and gaps are white. Image row 0 is at the top.
void write_collage(const nn::Figures& figures, const arma::Mat<unsigned char>& images) {
  const arma::uword width = collage_width(), height = collage_height(images.n_cols);
  arma::vec x(width * height), y(width * height);
  std::vector<arma::vec> rgb(3, arma::vec(width * height, arma::fill::value(255.0)));
  for (arma::uword py = 0, p = 0; py < height; ++py) {
    for (arma::uword px = 0; px < width; ++px, ++p) {
      x(p) = static_cast<double>(px);
      y(p) = static_cast<double>(height - 1 - py);
      const arma::uword tile = (py / (kSide + kBand)) * kPerRow + px / (kSide + kGap);
      const arma::uword r = py % (kSide + kBand), c = px % (kSide + kGap);
      if (tile >= images.n_cols || r < kBand || c >= kSide) continue;
      // byte (row, column, channel) of the picture, in numpy's C order
      for (arma::uword ch = 0; ch < 3; ++ch)
        rgb[ch](p) = images(((r - kBand) * kSide + c) * 3 + ch, tile);
    }
  }
  figures.csv("test_images.csv", {"x", "y", "r", "g", "b"}, {x, y, rgb[0], rgb[1], rgb[2]});
}

// Each tile's centre, the neuron's answer ŷ, the truth y and the probability a.
void write_labels(const nn::Figures& figures, const CatSet& data, const Neuron& neuron) {
  const arma::rowvec A = forward(neuron, data.X_test).A;
  const arma::rowvec y_hat = predict(neuron, data.X_test);
  const arma::uword m = A.n_elem, height = collage_height(m);
  arma::vec cx(m), cy(m);
  for (arma::uword j = 0; j < m; ++j) {
    cx(j) = static_cast<double>((j % kPerRow) * (kSide + kGap) + kSide / 2);
    cy(j) = static_cast<double>(height - (j / kPerRow) * (kSide + kBand) - kBand - kSide / 2);
  }
  figures.csv("test_labels.csv", {"x", "y", "predicted", "truth", "a"},
              {cx, cy, y_hat.t(), data.Y_test.t(), A.t()});
}

// The test pictures with the predicted label and a above each; wrong ones red and framed.
void plot_test_images(const nn::Figures& figures, const CatSet& data, const Neuron& neuron) {
  write_collage(figures, data.test_images);
  write_labels(figures, data, neuron);
  const std::string label = "($3 > 0.5 ? '" + data.classes[1] + "' : '" + data.classes[0] + "')";
  figures.draw("test_images",
               "width = " + std::to_string(collage_width()) +
                   "\nheight = " + std::to_string(collage_height(data.test_images.n_cols)) +
                   "\nside = " + std::to_string(kSide) + "\nband = " + std::to_string(kBand) +
                   "\nlabel = \"" + label +
                   "\"\n"
                   "set title \"Test images: predicted label and a = σ(z); red = wrong "
                   "(the truth is the other class)\"\n"
                   "unset border\nunset tics\nunset key\nset size ratio -1\n"
                   "set lmargin 1\nset rmargin 1\n"
                   "set xrange [-1:width]\nset yrange [-1:height]\n"
                   "wrong(v) = ($3 != $4) ? v : NaN\n"
                   "plot 'test_images.csv' every ::1 using 1:2:3:4:5 with rgbimage, \\\n"
                   "     'test_labels.csv' every ::1 using 1:($2 + side/2 + band/2):"
                   "(sprintf('%s %.2f', @label, $5)):($3 == $4 ? 0x202020 : 0xd00000) "
                   "with labels textcolor rgb variable font ',9', \\\n"
                   "     'test_labels.csv' every ::1 using (wrong($1)):2:(side/2):(side/2) "
                   "with boxxy fs empty lw 2 lc rgb '#d00000'\n",
               1200, 760);
}

// Prints the study's table and returns it for results.json.
nn::Json report_study(const std::vector<Training>& study, const CatSet& data, const arma::mat& G) {
  std::printf("  rate    final cost  train %%  test %%  2/lambda at end  textbook cost inf/NaN\n");
  nn::Json table = nn::Json::array();
  for (std::size_t k = 0; k < study.size(); ++k) {
    const Evaluation e = evaluate(study[k], data, G, study_learning_rates()[k]);
    std::printf("  %-7g %10.6f  %7.1f  %6.1f  %15.6g  %d iterations\n", e.learning_rate,
                e.final_cost, e.train_accuracy, e.test_accuracy, 2.0 / e.final_curvature,
                e.textbook_failures);
    table.push_back(nn::Json{{"learning_rate", e.learning_rate},
                             {"train_accuracy", e.train_accuracy},
                             {"test_accuracy", e.test_accuracy},
                             {"final_cost", e.final_cost},
                             {"final_curvature", e.final_curvature},
                             {"textbook_cost_failures", e.textbook_failures}});
  }
  return table;
}

nn::Json lesson_results(const Options& options, const Training& lesson, const Evaluation& result,
                        double lambda_start) {
  nn::Json results;
  results["iterations"] = options.iterations;
  results["learning_rate"] = options.learning_rate;
  results["costs"] = every_100(lesson.costs);
  results["train_accuracy"] = result.train_accuracy;
  results["test_accuracy"] = result.test_accuracy;
  results["headline"] = "test accuracy " + format("%.1f", result.test_accuracy) + " %";
  results["final_cost"] = result.final_cost;
  results["textbook_cost_failures"] = result.textbook_failures;
  results["curvature_start"] = lambda_start;
  results["stable_rate_start"] = 2.0 / lambda_start;
  results["curvature_end"] = result.final_curvature;
  results["stable_rate_end"] = 2.0 / result.final_curvature;
  return results;
}

}  // namespace

void run(const Options& options, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  // Data: 209 training and 50 test pictures, each a column of 12288 numbers in [0, 1].
  const CatSet data = load_data(common.data_dir / "catvnoncat");
  std::printf("%llu training and %llu test images of 64x64x3 = %llu pixel values each\n",
              static_cast<unsigned long long>(data.X_train.n_cols),
              static_cast<unsigned long long>(data.X_test.n_cols),
              static_cast<unsigned long long>(data.X_train.n_rows));

  // How steep is J at the start? At w = 0, b = 0 every a is ½.
  const arma::mat G = gram(data.X_train);
  const double lambda_start = curvature(G, arma::rowvec(G.n_cols, arma::fill::value(0.5)));
  std::printf(
      "Curvature of J at the start: lambda = %.6g (steps are stable for alpha < "
      "2/lambda = %.6g)\n",
      lambda_start, 2.0 / lambda_start);

  // Model and training: one neuron, w = 0, b = 0, full-batch gradient descent.
  std::printf("Training one neuron: %d iterations at learning rate %g\n", options.iterations,
              options.learning_rate);
  const Training lesson = train(data.X_train, data.Y_train, options, [](int i, double J) {
    std::printf("Cost after iteration %d: %f\n", i, J);
  });

  // Evaluation: ŷ = 1 when a > ½.
  const Evaluation result = evaluate(lesson, data, G, options.learning_rate);
  std::printf("train accuracy: %g %%\ntest accuracy: %g %%\n", result.train_accuracy,
              result.test_accuracy);
  if (lesson.textbook_failures > 0)
    std::printf("(the textbook cost formula gave inf or NaN at %d iterations)\n",
                lesson.textbook_failures);

  // The learning-rate study: the same model at five rates.
  const std::vector<Training> study = learning_rate_study(data, options, lesson);
  const nn::Json lr_study = report_study(study, data, G);

  // Figures.
  const nn::Figures figures(common.out_dir, common.plots);
  plot_cost(figures, lesson, options.learning_rate);
  plot_study(figures, study);
  plot_test_images(figures, data, lesson.neuron);

  // Results.
  nn::Json results = lesson_results(options, lesson, result, lambda_start);
  results["lr_study"] = lr_study;
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
  std::printf("Results and figures in %s\n", common.out_dir.string().c_str());
}

}  // namespace ch01
