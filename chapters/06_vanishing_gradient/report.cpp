// What chapter 06 shows: the tables of speeds, the figures and results.json, from the Results
// of run().
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/nn/activations.hpp"
#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch06 {

namespace {

using Sizes = std::vector<arma::uword>;

// "784-30-30-10": the name of a network in the printout and in results.json.
std::string network_name(const Sizes& sizes) {
  std::string name;
  for (auto n : sizes) {
    if (!name.empty()) name += '-';
    name += std::to_string(n);
  }
  return name;
}

// "sigmoid + Xavier", or "sigmoid + Xavier × 4" when its weights were scaled: a variant's name
// in the printout and the figure.
std::string label(const Variant& variant) {
  return variant.gain == 1.0 ? variant.label
                             : fmt::format("{} × {:g}", variant.label, variant.gain);
}

// "L2 weight decay, λ = 5" or "no penalty": a track's name in the printout and the figure.
std::string penalty_label(const nn::Penalty& penalty) {
  return penalty.kind == nn::Penalty::Kind::l2
             ? fmt::format("L2 weight decay, λ = {:g}", penalty.lambda)
             : std::string("no penalty");
}

// The speed of the first hidden layer over the last one's, after the last step (as
// Speeds::first_to_last at initialisation).
double first_to_last_end(const Track& track) {
  const arma::rowvec end = track.speeds.row(track.speeds.n_rows - 1);
  return end.front() / end.back();
}

std::string headline(const Results& r) {
  return "first layer of 784-30-30-30-30-10 learns 1/" +
         fmt::format("{:.0f}", 1.0 / r.at_init.back().first_to_last) + " as fast as its last";
}

// `text` followed by spaces up to `width` characters (UTF-8: "±" is one character, two bytes).
std::string cell(const std::string& text, std::size_t width = 15) {
  const auto chars =
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  return text + std::string(width > std::size_t(chars) ? width - chars : 1, ' ');
}

void print_table_header(const std::string& first_column) {
  fmt::print("  {}{}{}{}{}first/last\n", cell(first_column, 22), cell("hidden 1"), cell("hidden 2"),
             cell("hidden 3"), cell("hidden 4"));
}

// One row of the table: mean ± std per hidden layer, then first / last; Nielsen's row under it.
void print_speeds(const std::string& name, const Speeds& speeds,
                  const std::vector<double>& published) {
  std::string row = "  " + cell(name, 22);
  for (arma::uword l = 0; l < 4; ++l)
    row += cell(l < speeds.mean.n_elem ? fmt::format("{:.4f}", speeds.mean(l)) + "±" +
                                             fmt::format("{:.4f}", speeds.std(l))
                                       : "");
  fmt::print("{}{:.4f}\n", row, speeds.first_to_last);
  if (published.empty()) return;
  row = "  " + cell("  Nielsen (published)", 22);
  for (arma::uword l = 0; l < 4; ++l)
    row += cell(l < published.size() ? fmt::format("{:.3f}", published[l]) : "");
  fmt::print("{}{:.4f}\n", row, published.front() / published.back());
}

// Grouped bars: one group per network, one bar per hidden layer, Nielsen's values as points.
void draw_init_figure(const nn::Figures& figures, const std::vector<Speeds>& speeds) {
  arma::vec x, layer, mean, std, published;
  std::string tics;
  double position = 0;
  for (std::size_t n = 0; n < sigmoid_networks().size(); ++n) {
    const arma::uword layers = speeds[n].mean.n_elem;
    tics += (n ? ", '" : "'") + network_name(sigmoid_networks()[n]) + "' " +
            std::to_string(position + (layers + 1) / 2.0);
    for (arma::uword l = 0; l < layers; ++l) {
      position += 1;
      x.resize(x.n_elem + 1), x.back() = position;
      layer.resize(layer.n_elem + 1), layer.back() = double(l + 1);
      mean.resize(mean.n_elem + 1), mean.back() = speeds[n].mean(l);
      std.resize(std.n_elem + 1), std.back() = speeds[n].std(l);
      published.resize(published.n_elem + 1), published.back() = published_speeds()[n][l];
    }
    position += 1;  // a gap between groups
  }
  figures.csv("init_norms.csv", {"x", "layer", "mean", "std", "nielsen"},
              {x, layer, mean, std, published});
  figures.draw("init_norms",
               "set title 'Speed of learning at initialisation: ‖∂C/∂b^{[l]}‖ per hidden layer'\n"
               "set ylabel 'gradient norm (log scale)'\nset logscale y\nset yrange [1e-3:3]\n"
               "set xtics (" +
                   tics + ")\nset xrange [0:" + std::to_string(position) +
                   "]\n"
                   "set style fill solid 0.8 border -1\nset boxwidth 0.8\n"
                   "set key top left Left reverse\nset grid ytics\n"
                   "plot for [l=1:4] 'init_norms.csv' every ::1 using 1:($2==l ? $3 : 1/0) "
                   "with boxes lc l title sprintf('hidden layer %d', l), \\\n"
                   "  '' every ::1 using 1:3:4 with yerrorbars ps 0 lc 'black' notitle, \\\n"
                   "  '' every ::1 using 1:5 with points pt 7 ps 1.2 lc 'black' "
                   "title 'Nielsen (published)'\n");
}

// One panel per network and penalty: the speed of each hidden layer during full-batch training
// (top row with Nielsen's weight decay, bottom row without).
void draw_training_figure(const nn::Figures& figures, const std::vector<const Tracks*>& rows) {
  std::string script = fmt::format(
      "set multiplot layout {},3 title 'Speed of learning during training (full batch, "
      "1000 images)'\nset logscale y\nset yrange [1e-6:1]\nset format y '10^{{%L}}'\n"
      "set xlabel 'gradient step'\nset key top right autotitle columnhead\nset grid\n",
      rows.size());
  for (const Tracks* tracks : rows) {
    const std::string penalty = penalty_label(tracks->penalty);
    for (std::size_t n = 0; n < tracks->networks.size(); ++n) {
      const std::string name = network_name(sigmoid_networks()[n]);
      const std::string file =
          fmt::format("training_{}_{}.csv", name, nn::penalty_name(tracks->penalty.kind));
      const arma::mat& speeds = tracks->networks[n].track.speeds;
      std::vector<std::string> header = {"step"};
      std::vector<arma::vec> columns = {arma::regspace(0, double(speeds.n_rows) - 1)};
      for (arma::uword l = 0; l < speeds.n_cols; ++l) {
        header.push_back(fmt::format("hidden layer {}", l + 1));
        columns.push_back(speeds.col(l));
      }
      header.push_back("cost");
      columns.push_back(tracks->networks[n].track.cost);
      figures.csv(file, header, columns);
      script += fmt::format(
          "set title '{}, {}'\n{}plot for [i=2:{}] '{}' using 1:i with lines "
          "lw 2 lc (i-1)\n",
          name, penalty, n == 0 ? "set ylabel '‖∂C/∂b^{[l]}‖'\n" : "unset ylabel\n",
          speeds.n_cols + 1, file);
    }
  }
  figures.draw("training_norms", script + "unset multiplot\n", 1200, 450 * rows.size());
}

// Left: the speed of every layer for each variant; right: first / last as bars (log scale).
void draw_remedies_figure(const nn::Figures& figures, const std::vector<Remedy>& all) {
  std::vector<std::string> header = {"layer"};
  std::vector<arma::vec> columns = {arma::regspace(1, double(all.front().speeds.mean.n_elem))};
  arma::vec ratio(all.size());
  std::string tics;
  for (std::size_t v = 0; v < all.size(); ++v) {
    header.push_back(label(all[v].variant));
    columns.push_back(all[v].speeds.mean);
    ratio(v) = all[v].speeds.first_to_last;
    tics += (v ? ", '" : "'") + label(all[v].variant) + "' " + std::to_string(v);
  }
  figures.csv("remedies_layers.csv", header, columns);
  figures.csv("remedies_ratio.csv", {"variant", "first_to_last"},
              {arma::regspace(0, double(all.size()) - 1), ratio});
  figures.draw(
      "remedies",
      "set multiplot layout 1,2 title 'Remedies, network 784-30-30-30-30-10 at initialisation'\n"
      "set logscale y\nset grid\nset key bottom right autotitle columnhead\n"
      "set title 'speed of learning per hidden layer'\nset xlabel 'hidden layer'\n"
      "set ylabel '‖∂C/∂b^{[l]}‖'\nset xtics 1\n"
      "plot for [i=2:" +
          std::to_string(all.size() + 1) +
          "] 'remedies_layers.csv' "
          "using 1:i with linespoints lw 2 pt 7\n"
          "set title 'first layer / last layer'\nunset xlabel\nunset ylabel\nset yrange [1e-3:3]\n"
          "set key top left noautotitle\n"
          "set xtics (" +
          tics + ")\nset xrange [-0.6:" + std::to_string(all.size() - 0.4) +
          "]\n"
          "set style fill solid 0.8 border -1\nset boxwidth 0.6\n"
          "plot 'remedies_ratio.csv' every ::1 using 1:2:($1+1) with boxes lc variable notitle, "
          "\\\n"
          "  '' every ::1 using 1:2:(sprintf('%.3f', $2)) with labels offset 0,1 notitle, \\\n"
          "  1 with lines dt 2 lc 'black' title 'no vanishing'\nunset multiplot\n",
      1200, 450);
}

// Left: σ' and tanh' with their maxima; right: the best-case product 0.25^k against the
// measured first / last of the three sigmoid networks (k = layers the error crosses).
void draw_bound_figure(const nn::Figures& figures, const std::vector<Speeds>& speeds) {
  const arma::vec z = arma::linspace(-6, 6, 241);
  figures.csv("derivatives.csv", {"z", "sigmoid'", "tanh'"},
              {z, nn::sigmoid_prime<double>(z), nn::tanh_prime<double>(z)});
  arma::vec crossed(speeds.size()), measured(speeds.size());
  for (std::size_t n = 0; n < speeds.size(); ++n) {
    crossed(n) = double(speeds[n].mean.n_elem - 1);
    measured(n) = speeds[n].first_to_last;
  }
  figures.csv("bound_measured.csv", {"k", "first/last"}, {crossed, measured});
  // the bound as far as the measurements go
  const arma::vec k = arma::regspace(0, crossed.max());
  figures.csv("bound.csv", {"k", "0.25^k"}, {k, arma::exp(k * std::log(0.25))});
  figures.draw(
      "derivatives",
      "set multiplot layout 1,2\nset grid\nset key top right\n"
      "set title 'derivatives of the activations'\nset xlabel 'z'\nset yrange [0:1.35]\n"
      "plot 'derivatives.csv' every ::1 using 1:2 with lines lw 2 title \"σ'(z), max 1/4\", \\\n"
      "  '' every ::1 using 1:3 with lines lw 2 title \"tanh'(z), max 1\", \\\n"
      "  0.25 with lines dt 2 lc 'black' notitle, 1 with lines dt 2 lc 'black' notitle\n"
      "set title 'product of k sigmoid factors σ'' ≤ 1/4'\nset xlabel 'layers crossed k'\n"
      "set logscale y\nset yrange [*:2]\nset format y '10^{%L}'\nset key bottom left\n"
      "set xtics 1\nset autoscale xfix\nset offsets 0.3, 0.3, 0, 0\n"
      "plot 'bound.csv' every ::1 using 1:2 with linespoints lw 2 title '0.25^k (the bound)', \\\n"
      "  'bound_measured.csv' every ::1 using 1:2 with points pt 7 ps 1.5 "
      "title 'measured first/last'\nunset multiplot\n",
      1100, 420);
}

// The book's front part: σ, tanh, ReLU and leaky ReLU (solid) with their derivatives (dashed).
void draw_activations_figure(const nn::Figures& figures) {
  const arma::vec z = arma::linspace(-4, 4, 321);
  const std::vector<nn::Activation> kinds{nn::Activation::sigmoid, nn::Activation::tanh,
                                          nn::Activation::relu, nn::Activation::leaky_relu};
  std::vector<std::string> header{"z"};
  std::vector<arma::vec> columns{z};
  for (const auto g : kinds) {
    header.insert(header.end(), {nn::activation_name(g), nn::activation_name(g) + "'"});
    columns.insert(columns.end(),
                   {nn::activate(g, arma::mat(z)), nn::activate_prime(g, arma::mat(z))});
  }
  figures.csv("activations.csv", header, columns);
  const char* titles[] = {"sigmoid σ(z)", "tanh(z)", "ReLU(z) = max(0, z)",
                          "leaky ReLU (slope 0.01 for z < 0)"};
  std::string script =
      "set multiplot layout 1,4\nset grid\nset xlabel 'z'\nset key top left\n"
      "set yrange [-1.2:2.2]\n";
  for (int i = 0; i < 4; ++i)
    script += "set title '" + std::string(titles[i]) +
              "'\nplot 'activations.csv' every ::1 using 1:" + std::to_string(2 * i + 2) +
              " with lines lw 2 title 'g(z)', '' every ::1 using 1:" + std::to_string(2 * i + 3) +
              " with lines lw 2 dt 2 title \"g'(z)\"\n";
  figures.draw("activations", script + "unset multiplot\n", 1400, 360);
}

// 1. The table of speeds at initialisation, with Nielsen's published row under each network.
void print_at_init(const Results& r, const Options& options, std::uint32_t seed) {
  fmt::print(
      "Speed of learning ‖∂C/∂b(l)‖ at initialisation, averaged over {} images;\n"
      "mean ± std over {} networks (seeds {}, {}, …):\n",
      options.samples, options.seeds, seed, seed + 1);
  print_table_header("network");
  for (std::size_t n = 0; n < r.at_init.size(); ++n)
    print_speeds(network_name(sigmoid_networks()[n]), r.at_init[n], published_speeds()[n]);
}

// 2. The cost and the speeds at the end of full-batch training, with and without weight decay.
void print_training(const Results& r, const Options& options) {
  fmt::print(
      "\nFull-batch gradient descent on the {} images, {} steps, learning rate {:g}\n"
      "(cost of guessing each digit's frequency, ignoring the pixels: {:.4f}):\n",
      options.samples, options.steps, options.learning_rate, r.prior_cost);
  for (const Tracks* tracks : {&r.trained, &r.trained_plain}) {
    fmt::print(" {}:\n", penalty_label(tracks->penalty));
    for (std::size_t n = 0; n < tracks->networks.size(); ++n) {
      const TrackedNetwork& trained = tracks->networks[n];
      std::string line =
          fmt::format("  {:<22} cost {} -> {}, training accuracy {:.1f} %, speeds at the end:",
                      network_name(sigmoid_networks()[n]), nn::fixed(trained.track.cost(0), 4),
                      nn::fixed(trained.track.cost(options.steps), 4), trained.accuracy);
      for (double v : trained.track.speeds.row(options.steps)) line += fmt::format(" {:.1e}", v);
      fmt::print("{} (first/last {:.2g})\n", line, first_to_last_end(trained.track));
    }
  }
}

// 3. The remedies' speeds and their test accuracy.
void print_remedies(const Results& r, const Options& options) {
  fmt::print(
      "\nRemedies on {}: speeds at initialisation (mean ± std over {} networks),\n"
      "test accuracy after {} epoch(s) of SGD (batch {}, learning rate {:g}, {} images):\n",
      network_name(sigmoid_networks().back()), options.seeds, options.epochs, options.batch,
      options.learning_rate, options.train_samples);
  print_table_header("variant");
  for (const Remedy& remedy : r.remedies) {
    print_speeds(label(remedy.variant), remedy.speeds, {});
    fmt::print("  {}test accuracy {:.2f} %\n", cell("", 22), remedy.test_accuracy);
  }
}

}  // namespace

nn::Json to_json(const Results& r, const Options& options) {
  nn::Json results;
  for (std::size_t n = 0; n < r.at_init.size(); ++n) {
    const std::string name = network_name(sigmoid_networks()[n]);
    results["init_norms"][name] = nn::to_json(r.at_init[n].mean);
    results["init_norms_std"][name] = nn::to_json(r.at_init[n].std);
    results["first_to_last_ratio"][name] = r.at_init[n].first_to_last;
    results["published_norms"][name] = published_speeds()[n];
  }
  results["training_prior_cost"] = r.prior_cost;
  results["training_lambda"] = r.trained.penalty.lambda;
  for (const auto& [key, tracks] :
       {std::pair{"training", &r.trained}, std::pair{"training_no_penalty", &r.trained_plain}})
    for (std::size_t n = 0; n < tracks->networks.size(); ++n) {
      const TrackedNetwork& trained = tracks->networks[n];
      results[key][network_name(sigmoid_networks()[n])] = {
          {"cost_start", trained.track.cost(0)},
          {"cost_end", trained.track.cost(options.steps)},
          {"accuracy_end", trained.accuracy},
          {"norms_end", nn::to_json(trained.track.speeds.row(options.steps))},
          {"first_to_last_end", first_to_last_end(trained.track)}};
    }
  for (const Remedy& remedy : r.remedies)
    results["remedies"][remedy.variant.name] = {
        {"init_norms", nn::to_json(remedy.speeds.mean)},
        {"first_to_last_ratio", remedy.speeds.first_to_last},
        {"test_accuracy", remedy.test_accuracy}};
  results["headline"] = headline(r);
  results["seconds"] = r.seconds;
  return results;
}

void report(const Results& r, const Options& options, const nn::CommonOptions& common) {
  print_at_init(r, options, common.seed);
  print_training(r, options);
  print_remedies(r, options);
  const nn::Figures figures(common.out_dir, common.plots);
  draw_init_figure(figures, r.at_init);
  draw_training_figure(figures, {&r.trained, &r.trained_plain});
  draw_remedies_figure(figures, r.remedies);
  draw_bound_figure(figures, r.at_init);
  draw_activations_figure(figures);
  nn::write_results(common.out_dir, to_json(r, options));
  fmt::print("\n{} ({:.1f} s)\n", headline(r), r.seconds);
}

}  // namespace ch06
