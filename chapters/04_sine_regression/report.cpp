// What chapter 04 shows: the summary lines, the figures (fit, hidden units, loss, polynomials,
// search) and results.json, all from the Results that run() returned.
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "common/plumbing/plot.hpp"

namespace ch04 {

namespace {

nn::Json to_json(const Metrics& t) {
  return {{"mae", t.mae}, {"mape", t.mape}, {"sse", t.sse},
          {"mse", t.mse}, {"rmse", t.rmse}, {"r2", t.r2}};
}

nn::Json to_json(const Searched& s) {
  const SearchResult& r = s.search;
  nn::Json each = nn::Json::array();  // every trial in the order tried; a diverged one has null
  for (const Trial& t : r.trials)
    each.push_back(
        {{"learning_rate", t.learning_rate},
         {"hidden_units", t.hidden},
         {"validation_loss",
          std::isfinite(t.validation_loss) ? nn::Json(t.validation_loss) : nn::Json(nullptr)}});
  return {
      {"trials", r.trials.size()},
      {"each_trial", each},
      {"diverged", r.diverged()},
      {"best_params", {{"learning_rate", r.best.learning_rate}, {"hidden_units", r.best.hidden}}},
      {"best_validation_loss", r.best.validation_loss},
      {"test_r2", s.test_r2}};
}

nn::Json to_json(const std::vector<PolynomialFit>& fits) {
  nn::Json polynomial = nn::Json::array();
  for (const PolynomialFit& f : fits)
    polynomial.push_back(
        {{"degree", f.degree}, {"validation_loss", f.validation_loss}, {"test_r2", f.test_r2}});
  return polynomial;
}

std::string headline(const Results& r, const Options& o) {
  return fmt::format("test R² {:.4f} (1-{}-1 network), cubic {:.4f}", r.test.r2, o.hidden,
                     r.polynomials[kBaseDegree - 1].test_r2);
}

// ---- console ----------------------------------------------------------------------------

void print_metrics(const std::string& who, const Metrics& t) {
  fmt::print(
      "  {:<20} MAE {:.4f}  MAPE {:6.2f} %  SSE {:.4f}  MSE {:.6f}  RMSE {:.4f}  R² {:.4f}\n", who,
      t.mae, t.mape, t.sse, t.mse, t.rmse, t.r2);
}

void print_training(const Results& r, const Options& o) {
  const Split& s = r.data;
  fmt::print("Data: {} training, {} validation, {} test points of y = sin 2πx\n", s.train.X.n_cols,
             s.validation.X.n_cols, s.test.X.n_cols);
  fmt::print(
      "Training a 1-{}-1 network: α = {:g}, batch {}, until validation J ≤ {:g} or {} epochs\n",
      o.hidden, o.learning_rate, o.batch, o.stop_loss, o.epochs);
  fmt::print("Stopped after {} epochs. Test metrics ({} points; MAPE skips |y| < 1e-8):\n",
             r.history.epochs(), s.test.X.n_cols);
  print_metrics("network", r.test);
  print_metrics("polynomial degree 3", r.cubic_test);
  fmt::print("Polynomial sweep (least squares on the training set, LAPACK):\n");
  for (const PolynomialFit& f : r.polynomials)
    fmt::print("  degree {}: validation J {:.6f}, test R² {:.6f}\n", f.degree, f.validation_loss,
               f.test_r2);
}

void print_searches(const Searches& s, const Options& o) {
  fmt::print("Hyperparameter search ({} trials each, at most {} epochs per trial):\n", kTrials,
             o.search_epochs);
  fmt::print("  {:<28}   {}\n", "grid search", "random search");
  fmt::print("  {:>8} {:>4} {:>12}    {:>8} {:>4} {:>12}\n", "α", "n_h", "validation", "α", "n_h",
             "validation");
  const SearchResult &grid = s.grid.search, &random = s.random.search;
  for (std::size_t t = 0; t < grid.trials.size(); ++t) {
    const Trial &g = grid.trials[t], &r = random.trials[t];
    fmt::print("  {:8.4g} {:4} {:>12.6f}    {:8.4g} {:4} {:>12.6f}\n", g.learning_rate, g.hidden,
               g.validation_loss, r.learning_rate, r.hidden, r.validation_loss);
  }
  const auto winner = [](const std::string& name, const Searched& searched) {
    const Trial& best = searched.search.best;
    fmt::print("  {:<14} best α = {:.4g}, n_h = {}: validation cost {:.6f}, test R² {:.4f}\n", name,
               best.learning_rate, best.hidden, best.validation_loss, searched.test_r2);
  };
  winner("grid search", s.grid);
  winner("random search", s.random);
}

// ---- figures --------------------------------------------------------------------------------

void fit_figures(const nn::Figures& fig, const Results& r, double stop_loss) {
  const Split& s = r.data;
  fig.csv("train.csv", {"x", "y"}, {arma::vectorise(s.train.X), arma::vectorise(s.train.Y)});
  fig.csv("validation.csv", {"x", "y"},
          {arma::vectorise(s.validation.X), arma::vectorise(s.validation.Y)});
  fig.csv(
      "fit.csv", {"x", "sin(2 pi x)", "network"},
      {arma::vectorise(s.test.X), arma::vectorise(s.test.Y), arma::vectorise(r.curves.network)});
  const std::string n_h = std::to_string(r.net.hidden());
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

  // ŷ = Σ_j w2_j σ(w1_j x + b1_j) + b2, each term in the book's notation; colours from the
  // Okabe–Ito set, none of them pale on white
  static const std::vector<std::string> unit_colours{"#d55e00", "#009e73", "#cc79a7",
                                                     "#e69f00", "#56b4e9", "#7b3294"};
  std::vector<arma::vec> columns{arma::vectorise(s.test.X)};
  std::vector<std::string> header{"x"};
  const arma::mat& C = r.curves.contributions;  // n_h × m
  std::string plot =
      "plot 'hidden_units.csv' every ::1 using 1:2 with lines lw 3 dt 2 "
      "lc rgb 'black' title 'sin 2πx', \\\n";
  plot +=
      "  '' every ::1 using 1:3 with lines lw 3 lc rgb '#0072b2' "
      "title 'ŷ: the sum of the units + b^{[2]}'";
  header.insert(header.end(), {"target", "sum + b2"});
  columns.push_back(arma::vectorise(s.test.Y));
  columns.push_back(arma::vectorise(arma::sum(C, 0) + r.net.b2(0, 0)));
  for (arma::uword j = 0; j < C.n_rows; ++j) {
    const std::string unit = std::to_string(j + 1);
    header.push_back("unit " + unit);
    columns.push_back(arma::vectorise(C.row(j)));
    plot += fmt::format(
        ", \\\n  '' every ::1 using 1:{} with lines lw 2 lc rgb '{}' "
        "title 'hidden unit {}: w@_{}^{{[2]}} σ(w@_{}^{{[1]}} x + b@_{}^{{[1]}})'",
        j + 4, unit_colours[j % unit_colours.size()], unit, unit, unit, unit);
  }
  fig.csv("hidden_units.csv", header, columns);
  plot += ", \\\n  " + fmt::format("{:.3f}", r.net.b2(0, 0)) +
          " with lines dt 3 lw 2 lc rgb 'gray40' title 'output bias b^{[2]}'";
  fig.draw("hidden_units",
           "set title 'The 1-" + n_h + "-1 network: ŷ adds n_h = " + n_h +
               " hidden units, each one smoothed step, and b^{[2]}'\n"
               "set xlabel 'x'\nset ylabel 'contribution to ŷ'\n"
               "set key below maxrows 3\nset grid\nset xzeroaxis lt -1\n" +
               plot + "\n",
           900, 580);

  const History& history = r.history;
  const arma::vec epoch = arma::regspace(1, history.epochs());
  fig.csv("loss.csv", {"epoch", "training", "validation"},
          {epoch, nn::to_vec(history.train_loss), nn::to_vec(history.validation_loss)});
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

void polynomial_figure(const nn::Figures& fig, const Results& r) {
  const Split& s = r.data;
  const std::vector<PolynomialFit>& fits = r.polynomials;
  const double net_r2 = r.test.r2;
  fig.csv("polynomial.csv", {"x", "sin(2 pi x)", "network", "degree 3", "degree 9"},
          {arma::vectorise(s.test.X), arma::vectorise(s.test.Y), arma::vectorise(r.curves.network),
           arma::vectorise(r.curves.degree3), arma::vectorise(r.curves.degree9)});
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

// The grid repeats each α for every n_h: where it drew the trial, a few hundredths of a decade
// beside α by the rank of n_h among the grid's widths (smallest leftmost), so that no square
// hides another. The random search's trials are drawn at their own α.
double drawn_at(const Trial& t, const std::vector<int>& widths) {
  const auto rank = std::find(widths.begin(), widths.end(), t.hidden) - widths.begin();
  const double centre = (static_cast<double>(widths.size()) - 1) / 2;
  return t.learning_rate * std::pow(10.0, 0.06 * (static_cast<double>(rank) - centre));
}

void search_figure(const nn::Figures& fig, const SearchResult& grid, const SearchResult& random) {
  std::vector<int> widths;  // the grid's n_h, ascending
  for (const Trial& t : grid.trials) widths.push_back(t.hidden);
  std::sort(widths.begin(), widths.end());
  widths.erase(std::unique(widths.begin(), widths.end()), widths.end());
  const std::vector<int> own;  // no widths: every trial at its own α
  // diverged trials have no finite cost to draw
  int diverged = 0;
  auto write = [&](const std::string& file, const SearchResult& r, const std::vector<int>& w) {
    std::vector<double> rate, hidden, loss, x;
    for (const Trial& t : r.trials) {
      if (!std::isfinite(t.validation_loss)) ++diverged;
      if (!std::isfinite(t.validation_loss)) continue;
      rate.push_back(t.learning_rate);
      hidden.push_back(t.hidden);
      loss.push_back(t.validation_loss);
      x.push_back(w.empty() ? t.learning_rate : drawn_at(t, w));
    }
    fig.csv(file, {"learning rate", "hidden units", "validation cost", "drawn at"},
            {arma::vec(rate), arma::vec(hidden), arma::vec(loss), arma::vec(x)});
  };
  write("search_grid.csv", grid, widths);
  write("search_random.csv", random, own);
  fig.csv("search_winners.csv", {"drawn at", "validation cost"},
          {arma::vec{drawn_at(grid.best, widths), random.best.learning_rate},
           arma::vec{grid.best.validation_loss, random.best.validation_loss}});
  std::string width_list;
  for (std::size_t k = 0; k < widths.size(); ++k)
    width_list += (k ? ", " : "") + std::to_string(widths[k]);
  fig.draw("search",
           "set title 'Hyperparameter search, " + std::to_string(kTrials) + " short trials each (" +
               std::to_string(diverged) +
               " diverged, not drawn)'\n"
               "set xlabel 'learning rate α (log scale; the grid''s squares for n_h = " +
               width_list +
               " are drawn side by side around their α)'\n"
               "set ylabel 'validation cost J (log scale)'\nset logscale xy\nset grid\n"
               "set cblabel 'hidden units n_h'\nset cbrange [0.5:8.5]\nset cbtics 1\n"
               "set palette maxcolors 8\nset palette defined (0 '#440154', 1 '#3b528b', "
               "2 '#21918c', 3 '#5ec962', 4 '#fde725')\nset key top left box opaque\n"
               "plot 'search_grid.csv' every ::1 using 4:3:2 with points pt 5 ps 1.8 lc palette "
               "title 'grid (squares)', \\\n"
               "  '' every ::1 using 4:3 with points pt 4 ps 1.8 lc rgb 'black' notitle, \\\n"
               "  'search_random.csv' every ::1 using 4:3:2 with points pt 7 ps 1.8 lc palette "
               "title 'random (discs)', \\\n"
               "  '' every ::1 using 4:3 with points pt 6 ps 1.8 lc rgb 'black' notitle, \\\n"
               "  'search_winners.csv' every ::1 using 1:2 with points pt 6 ps 3.5 lw 2 "
               "lc rgb 'black' title 'winner of each search'\n",
           900, 540);
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  return {{"hidden_units", o.hidden},
          {"learning_rate", o.learning_rate},
          {"batch", o.batch},
          {"epochs_run", r.history.epochs()},
          {"train_loss", r.history.train_loss.back()},
          {"validation_loss", r.history.validation_loss.back()},
          {"noise_floor", kNoiseFloor},
          {"test", to_json(r.test)},
          {"polynomial_degree3_test", to_json(r.cubic_test)},
          {"polynomial_baseline", to_json(r.polynomials)},
          {"grid_search", to_json(r.searches.grid)},
          {"random_search", to_json(r.searches.random)},
          {"headline", headline(r, o)},
          {"seconds", r.seconds}};
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  print_training(r, o);
  print_searches(r.searches, o);
  const nn::Figures fig(common.out_dir, common.plots);
  fit_figures(fig, r, o.stop_loss);
  polynomial_figure(fig, r);
  search_figure(fig, r.searches.grid.search, r.searches.random.search);
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("Wrote {}/results.json and the figures\n", common.final_out_dir.string());
}

}  // namespace ch04
