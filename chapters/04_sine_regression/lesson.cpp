// The lesson as a story: data → model → train → evaluate → baseline → search → figures →
// results.json. The mathematics lives in sine_regression.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "common/errors.hpp"
#include "common/losses.hpp"
#include "common/plot.hpp"
#include "common/results.hpp"
#include "common/stopwatch.hpp"
#include "sine_regression.hpp"

namespace ch04 {

namespace {

constexpr int kMaxDegree = 9;   // the polynomial sweep runs over degrees 1 … 9
constexpr int kBaseDegree = 3;  // the lesson's "single-layer" polynomial regression

nn::Json to_json(const Metrics& t) {
  return {{"mae", t.mae}, {"mape", t.mape}, {"sse", t.sse},
          {"mse", t.mse}, {"rmse", t.rmse}, {"r2", t.r2}};
}

void print_metrics(const std::string& who, const Metrics& t) {
  std::printf("  %-20s MAE %.4f  MAPE %6.2f %%  SSE %.4f  MSE %.6f  RMSE %.4f  R² %.4f\n",
              who.c_str(), t.mae, t.mape, t.sse, t.mse, t.rmse, t.r2);
}

arma::vec col(const arma::mat& row) {
  return arma::vectorise(row);
}

// ---- the polynomial sweep -------------------------------------------------------------------

struct PolynomialFit {
  int degree;
  arma::vec c;
  double validation_loss, test_r2;
};

std::vector<PolynomialFit> polynomial_sweep(const Split& s) {
  std::vector<PolynomialFit> fits;
  for (int degree = 1; degree <= kMaxDegree; ++degree) {
    const arma::vec c = fit_polynomial(s.train.X, s.train.Y, degree);
    const double validation =
        nn::squared_error_cost(predict_polynomial(c, s.validation.X), s.validation.Y);
    const Metrics test = evaluate(s.test.Y, predict_polynomial(c, s.test.X));
    fits.push_back({degree, c, validation, test.r2});
  }
  return fits;
}

// ---- the searches ---------------------------------------------------------------------------

// Reports one search and scores its winner on the test set: the one time that set is touched
// for this search.
nn::Json report_search(const std::string& name, const SearchResult& r, const Split& s) {
  const double test_r2 = evaluate(s.test.Y, predict(r.best_net, s.test.X)).r2;
  std::printf("  %-14s best α = %.4g, n_h = %d: validation cost %.6f, test R² %.4f\n", name.c_str(),
              r.best.learning_rate, r.best.hidden, r.best.validation_loss, test_r2);
  const auto diverged = std::count_if(r.trials.begin(), r.trials.end(), [](const Trial& t) {
    return !std::isfinite(t.validation_loss);
  });
  return {
      {"trials", r.trials.size()},
      {"diverged", diverged},
      {"best_params", {{"learning_rate", r.best.learning_rate}, {"hidden_units", r.best.hidden}}},
      {"best_validation_loss", r.best.validation_loss},
      {"test_r2", test_r2}};
}

void print_trials(const SearchResult& grid, const SearchResult& random) {
  std::printf("  %-28s   %s\n", "grid search", "random search");
  std::printf("  %8s %4s %12s    %8s %4s %12s\n", "α", "n_h", "validation", "α", "n_h",
              "validation");
  for (std::size_t t = 0; t < grid.trials.size(); ++t) {
    const Trial &g = grid.trials[t], &r = random.trials[t];
    std::printf("  %8.4g %4d %12.6f    %8.4g %4d %12.6f\n", g.learning_rate, g.hidden,
                g.validation_loss, r.learning_rate, r.hidden, r.validation_loss);
  }
}

// ---- figures --------------------------------------------------------------------------------

void fit_figures(const nn::Figures& fig, const Split& s, const Network& net, const History& history,
                 double stop_loss) {
  fig.csv("train.csv", {"x", "y"}, {col(s.train.X), col(s.train.Y)});
  fig.csv("validation.csv", {"x", "y"}, {col(s.validation.X), col(s.validation.Y)});
  fig.csv("fit.csv", {"x", "sin(2 pi x)", "network"},
          {col(s.test.X), col(s.test.Y), col(predict(net, s.test.X))});
  const std::string n_h = std::to_string(net.hidden());
  fig.draw(
      "fit",
      "set title 'A 1-" + n_h +
          "-1 network fits sin 2πx'\n"
          "set xlabel 'x'\nset ylabel 'y'\nset key top right\nset grid\n"
          "plot 'train.csv' every ::1 using 1:2 with points pt 7 ps 0.4 lc rgb '#b0b0b0' "
          "title 'training points', \\\n"
          "  'validation.csv' every ::1 using 1:2 with points pt 7 ps 0.6 lc rgb '#e69f00' "
          "title 'validation points', \\\n"
          "  'fit.csv' every ::1 using 1:2 with lines lw 2 dt 2 lc rgb 'black' "
          "title 'sin 2πx (the test set)', \\\n"
          "  'fit.csv' every ::1 using 1:3 with lines lw 2 lc rgb '#0072b2' title 'network'\n");

  std::vector<arma::vec> columns{col(s.test.X)};
  std::vector<std::string> header{"x"};
  const arma::mat C = hidden_contributions(net, s.test.X);  // n_h × m
  std::string plot =
      "plot 'hidden_units.csv' every ::1 using 1:2 with lines lw 3 dt 2 "
      "lc rgb 'black' title 'sin 2πx', \\\n";
  plot += "  '' every ::1 using 1:3 with lines lw 3 lc rgb '#0072b2' title 'sum + b2 = ŷ'";
  header.insert(header.end(), {"target", "sum + b2"});
  columns.push_back(col(s.test.Y));
  columns.push_back(col(arma::sum(C, 0) + net.b2(0, 0)));
  for (arma::uword j = 0; j < C.n_rows; ++j) {
    const std::string unit = std::to_string(j + 1);
    header.push_back("unit " + unit);
    columns.push_back(col(C.row(j)));
    plot += ", \\\n  '' every ::1 using 1:" + std::to_string(j + 4) +
            " with lines lw 2 title 'unit " + unit + ": w_{2," + unit + "}·σ(w_{1," + unit +
            "} x + b_{1," + unit + "})'";
  }
  fig.csv("hidden_units.csv", header, columns);
  char b2[64];
  std::snprintf(b2, sizeof b2, "%.3f", net.b2(0, 0));
  plot += ", \\\n  " + std::string(b2) + " with lines dt 3 lw 2 lc rgb 'gray40' title 'b2'";
  fig.draw("hidden_units",
           "set title 'ŷ = unit 1 + unit 2 + … + b2: each hidden unit adds one "
           "smoothed step'\nset xlabel 'x'\nset ylabel 'contribution to ŷ'\n"
           "set key below maxrows 2\nset grid\nset xzeroaxis lt -1\n" +
               plot + "\n",
           900, 560);

  const arma::vec epoch = arma::regspace(1, history.epochs());
  fig.csv("loss.csv", {"epoch", "training", "validation"},
          {epoch, arma::vec(history.train_loss), arma::vec(history.validation_loss)});
  fig.draw("loss",
           "set title 'Cost J = (1/2m) Σ (ŷ − y)² during training'\n"
           "set xlabel 'epoch'\nset ylabel 'J (log scale)'\nset logscale y\nset grid\n"
           "set key top right\n"
           "plot 'loss.csv' every ::1 using 1:2 with lines lw 2 title 'training', \\\n"
           "  '' every ::1 using 1:3 with lines lw 2 title 'validation', \\\n"
           "  " +
               std::to_string(stop_loss) +
               " with lines dt 2 lc rgb 'black' "
               "title 'stop when validation reaches this', \\\n"
               "  1.0/600 with lines dt 3 lc rgb 'red' title 'noise floor 1/600'\n");
}

void polynomial_figure(const nn::Figures& fig, const Split& s, const Network& net,
                       const std::vector<PolynomialFit>& fits, double net_r2) {
  fig.csv("polynomial.csv", {"x", "sin(2 pi x)", "network", "degree 3", "degree 9"},
          {col(s.test.X), col(s.test.Y), col(predict(net, s.test.X)),
           col(predict_polynomial(fits[kBaseDegree - 1].c, s.test.X)),
           col(predict_polynomial(fits[kMaxDegree - 1].c, s.test.X))});
  arma::vec degree(fits.size()), unexplained(fits.size());
  for (std::size_t k = 0; k < fits.size(); ++k) {
    degree(k) = fits[k].degree;
    unexplained(k) = 1.0 - fits[k].test_r2;
  }
  fig.csv("polynomial_degrees.csv", {"degree", "1 - test R2"}, {degree, unexplained});
  fig.draw("polynomial",
           "set multiplot layout 1,2\n"
           "set title 'Network vs least-squares polynomials (test set)'\n"
           "set xlabel 'x'\nset ylabel 'y'\nset key bottom left\nset grid\n"
           "plot 'polynomial.csv' every ::1 using 1:2 with lines lw 3 dt 2 lc rgb 'black' "
           "title 'sin 2πx', \\\n"
           "  '' every ::1 using 1:3 with lines lw 2 lc rgb '#0072b2' title 'network', \\\n"
           "  '' every ::1 using 1:4 with lines lw 2 lc rgb '#d55e00' title 'degree 3', \\\n"
           "  '' every ::1 using 1:5 with lines lw 2 lc rgb '#009e73' title 'degree 9'\n"
           "set title 'Unexplained variance 1 − R² by degree'\n"
           "set xlabel 'polynomial degree'\nset ylabel '1 − R² (log scale)'\nset logscale y\n"
           "set xtics 1\nset key top right\nset style fill solid 0.6\nset boxwidth 0.6\n"
           "plot [0.5:9.5] 'polynomial_degrees.csv' every ::1 using 1:2 with boxes "
           "lc rgb '#d55e00' title 'polynomial', \\\n"
           "  " +
               std::to_string(1.0 - net_r2) +
               " with lines lw 2 lc rgb '#0072b2' "
               "title 'network'\nunset multiplot\n",
           1100, 480);
}

void search_figure(const nn::Figures& fig, const SearchResult& grid, const SearchResult& random) {
  // diverged trials have no finite cost to draw
  int diverged = 0;
  auto write = [&](const std::string& file, const SearchResult& r) {
    std::vector<double> rate, hidden, loss;
    for (const Trial& t : r.trials) {
      if (!std::isfinite(t.validation_loss)) ++diverged;
      if (!std::isfinite(t.validation_loss)) continue;
      rate.push_back(t.learning_rate);
      hidden.push_back(t.hidden);
      loss.push_back(t.validation_loss);
    }
    fig.csv(file, {"learning rate", "hidden units", "validation cost"},
            {arma::vec(rate), arma::vec(hidden), arma::vec(loss)});
  };
  write("search_grid.csv", grid);
  write("search_random.csv", random);
  fig.csv("search_winners.csv", {"learning rate", "validation cost"},
          {arma::vec{grid.best.learning_rate, random.best.learning_rate},
           arma::vec{grid.best.validation_loss, random.best.validation_loss}});
  fig.draw("search",
           "set title 'Hyperparameter search, " + std::to_string(kTrials) + " short trials each (" +
               std::to_string(diverged) +
               " diverged, not drawn)'\n"
               "set xlabel 'learning rate α (log scale)'\n"
               "set ylabel 'validation cost J (log scale)'\nset logscale xy\nset grid\n"
               "set cblabel 'hidden units n_h'\nset cbrange [0.5:8.5]\nset cbtics 1\n"
               "set palette maxcolors 8\nset palette defined (0 '#440154', 1 '#3b528b', "
               "2 '#21918c', 3 '#5ec962', 4 '#fde725')\nset key top left box opaque\n"
               "plot 'search_grid.csv' every ::1 using 1:3:2 with points pt 5 ps 1.8 lc palette "
               "title 'grid (squares)', \\\n"
               "  'search_random.csv' every ::1 using 1:3:2 with points pt 7 ps 1.8 lc palette "
               "title 'random (discs)', \\\n"
               "  'search_winners.csv' every ::1 using 1:2 with points pt 6 ps 3.5 lw 2 "
               "lc rgb 'black' title 'winner of each search'\n",
           900, 520);
}

// ---- the steps of the lesson ---------------------------------------------------------------

Split load_data(const Options& o, std::uint32_t seed) {
  const Split s = split_validation(nn::make_sine(seed));
  if (static_cast<arma::uword>(o.batch) > s.train.X.n_cols)
    throw nn::UsageError("--batch: " + std::to_string(o.batch) + " is larger than the " +
                         std::to_string(s.train.X.n_cols) + " training samples");
  std::printf("Data: %llu training, %llu validation, %llu test points of y = sin 2πx\n",
              s.train.X.n_cols, s.validation.X.n_cols, s.test.X.n_cols);
  return s;
}

struct Trained {
  Network net;
  History history;
  Metrics test;
};

Trained train_network(const Options& o, const TrainConfig& config, const Split& s,
                      std::uint32_t seed) {
  // the training draws (weights, mini-batch order) use seed + 1, not the data's numbers
  nn::NumpyRandom rng(seed + 1);
  Trained t{initialize(static_cast<arma::uword>(o.hidden), rng), {}, {}};
  std::printf("Training a 1-%d-1 network: α = %g, batch %d, until validation J ≤ %g or %d epochs\n",
              o.hidden, o.learning_rate, o.batch, o.stop_loss, o.epochs);
  t.history = train(t.net, s.train, s.validation, config, rng, true);
  // the network's one look at the test set
  t.test = evaluate(s.test.Y, predict(t.net, s.test.X));
  std::printf("Stopped after %d epochs. Test metrics (%llu points; MAPE skips |y| < 1e-8):\n",
              t.history.epochs(), s.test.X.n_cols);
  print_metrics("network", t.test);
  return t;
}

nn::Json report_polynomials(const std::vector<PolynomialFit>& fits) {
  std::printf("Polynomial sweep (least squares on the training set, LAPACK):\n");
  nn::Json polynomial = nn::Json::array();
  for (const PolynomialFit& f : fits) {
    std::printf("  degree %d: validation J %.6f, test R² %.6f\n", f.degree, f.validation_loss,
                f.test_r2);
    polynomial.push_back(
        {{"degree", f.degree}, {"validation_loss", f.validation_loss}, {"test_r2", f.test_r2}});
  }
  return polynomial;
}

}  // namespace

void run(const Options& o, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  // data: 450 training, 50 validation, 100 test points
  const Split s = load_data(o, common.seed);
  // model and training: a 1-n_h-1 network, then its test metrics
  const TrainConfig config{o.learning_rate, static_cast<arma::uword>(o.batch), o.epochs,
                           o.stop_loss};
  const Trained t = train_network(o, config, s, common.seed);

  // the baseline: polynomials of degree 1 … 9 by least squares
  const std::vector<PolynomialFit> fits = polynomial_sweep(s);
  const PolynomialFit& cubic = fits[kBaseDegree - 1];
  const Metrics cubic_test = evaluate(s.test.Y, predict_polynomial(cubic.c, s.test.X));
  print_metrics("polynomial degree 3", cubic_test);
  const nn::Json polynomial = report_polynomials(fits);

  // hyperparameter search: the same budget of short trials for the grid and the random draws
  std::printf("Hyperparameter search (%d trials each, at most %d epochs per trial):\n", kTrials,
              o.search_epochs);
  TrainConfig short_config = config;
  short_config.max_epochs = o.search_epochs;
  nn::NumpyRandom draws(common.seed + 2);
  const SearchResult grid = search(grid_candidates(), s, short_config, common.seed + 1);
  const SearchResult random = search(random_candidates(draws), s, short_config, common.seed + 1);
  if (!std::isfinite(grid.best.validation_loss) || !std::isfinite(random.best.validation_loss))
    throw nn::DivergedError("every trial of a search diverged", 0);
  print_trials(grid, random);
  const nn::Json grid_json = report_search("grid search", grid, s);
  const nn::Json random_json = report_search("random search", random, s);

  // figures
  const nn::Figures fig(common.out_dir, common.plots);
  fit_figures(fig, s, t.net, t.history, o.stop_loss);
  polynomial_figure(fig, s, t.net, fits, t.test.r2);
  search_figure(fig, grid, random);

  // results: the noise ε ~ U(−0.1, 0.1) has E[ε²] = 0.2²/12, so even the true sine has an
  // expected cost J = ½ E[ε²] = 1/600 on noisy points
  char headline[96];
  std::snprintf(headline, sizeof headline, "test R² %.4f (1-%d-1 network), cubic %.4f", t.test.r2,
                o.hidden, cubic.test_r2);
  nn::write_results(common.out_dir, {{"hidden_units", o.hidden},
                                     {"learning_rate", o.learning_rate},
                                     {"batch", o.batch},
                                     {"epochs_run", t.history.epochs()},
                                     {"train_loss", t.history.train_loss.back()},
                                     {"validation_loss", t.history.validation_loss.back()},
                                     {"noise_floor", 0.5 * 0.2 * 0.2 / 12.0},
                                     {"test", to_json(t.test)},
                                     {"polynomial_degree3_test", to_json(cubic_test)},
                                     {"polynomial_baseline", polynomial},
                                     {"grid_search", grid_json},
                                     {"random_search", random_json},
                                     {"headline", headline},
                                     {"seconds", clock.seconds()}});
  std::printf("Wrote %s/results.json and the figures\n", common.out_dir.c_str());
}

}  // namespace ch04
