#include "vanishing_gradient.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/errors.hpp"
#include "common/initializers.hpp"
#include "common/metrics.hpp"
#include "common/mnist.hpp"
#include "common/plot.hpp"
#include "common/progress.hpp"
#include "common/stopwatch.hpp"

namespace ch06 {

namespace {

using Sizes = std::vector<arma::uword>;

// Nielsen's three networks: two, three and four hidden layers of 30 sigmoid units.
const std::vector<Sizes> kNetworks = {
    {784, 30, 30, 10}, {784, 30, 30, 30, 10}, {784, 30, 30, 30, 30, 10}};

// The speeds he printed at initialisation (Neural Networks and Deep Learning, chapter 5).
const std::vector<std::vector<double>> kPublished = {
    {0.07, 0.31}, {0.012, 0.060, 0.283}, {0.003, 0.017, 0.070, 0.285}};

// "784-30-30-10": the name of a network in the printout and in results.json.
std::string network_name(const Sizes& sizes) {
  std::string name;
  for (auto n : sizes) name += (name.empty() ? "" : "-") + std::to_string(n);
  return name;
}

nn::Json to_json(const arma::vec& v) {
  return nn::Json(arma::conv_to<std::vector<double>>::from(v));
}

}  // namespace

std::vector<Variant> variants() {
  return {{"sigmoid", "sigmoid (Nielsen)", nn::Activation::sigmoid, Init::nielsen},
          {"tanh", "tanh + Xavier", nn::Activation::tanh, Init::xavier},
          {"relu_he", "ReLU + He", nn::Activation::relu, Init::he},
          {"sigmoid_xavier", "sigmoid + Xavier", nn::Activation::sigmoid, Init::xavier}};
}

// [book:init]
nn::Mlp make_network(const Sizes& sizes, const Variant& variant, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  nn::Mlp net(sizes, variant.hidden, nn::Output::sigmoid);
  // b[l] ~ N(0, 1) for every layer first, then W[l], as network2.py draws them
  for (arma::uword l = 1; l <= net.layers(); ++l) net.b[l] = rng.randn(sizes[l], 1);
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    const arma::uword n_in = sizes[l - 1], n_out = sizes[l];
    switch (variant.init) {
      case Init::nielsen:  // W[l] ~ N(0, 1/n_in): z stays of order 1 whatever n_in is
        net.W[l] = nn::scaled_normal(rng, n_out, n_in, 1.0 / std::sqrt(double(n_in)));
        break;
      case Init::xavier:
        net.W[l] = nn::xavier(rng, n_out, n_in);
        break;
      case Init::he:
        net.W[l] = nn::he(rng, n_out, n_in);
        break;
    }
  }
  return net;
}
// [/book:init]

// [book:speeds]
arma::vec hidden_speeds(const nn::MlpGradients& grads) {
  const arma::uword L = grads.db.size() - 1;
  arma::vec speeds(L - 1);  // hidden layers 1 … L−1; the output layer is not asked
  // ‖∂C/∂b[l]‖: the length of δ[l] averaged over the samples
  for (arma::uword l = 1; l < L; ++l) speeds(l - 1) = arma::norm(grads.db[l]);
  return speeds;
}

arma::vec layer_speeds(const nn::Mlp& net, const arma::mat& X, const arma::mat& Y) {
  nn::MlpCache cache;
  nn::forward(net, X, cache);
  // db[l] = (1/m) Σ_samples δ[l]: the gradient of the mean cost C with respect to b[l]
  return hidden_speeds(nn::backward(net, cache, Y));
}
// [/book:speeds]

Speeds measure_at_init(const Sizes& sizes, const Variant& variant, const arma::mat& X,
                       const arma::mat& Y, std::uint32_t seed, int seeds) {
  arma::mat all(sizes.size() - 2, seeds);  // one column of speeds per drawn network
  for (int k = 0; k < seeds; ++k)
    all.col(k) = layer_speeds(make_network(sizes, variant, seed + k), X, Y);
  Speeds speeds;
  speeds.mean = arma::mean(all, 1);
  // the spread between networks (zero when only one is drawn)
  speeds.std = seeds > 1 ? arma::vec(arma::stddev(all, 0, 1)) : arma::vec(all.n_rows).zeros();
  speeds.first_to_last = speeds.mean.front() / speeds.mean.back();
  return speeds;
}

// [book:track]
arma::mat track_training(nn::Mlp& net, const arma::mat& X, const arma::mat& Y, int steps,
                         double learning_rate, arma::vec& cost) {
  arma::mat speeds(steps + 1, net.layers() - 1);  // row k: before step k
  cost.set_size(steps + 1);
  nn::MlpCache cache;
  for (int k = 0; k <= steps; ++k) {
    nn::forward(net, X, cache);
    cost(k) = nn::cost(net, cache, Y);
    nn::check_finite(cost(k), k);
    const nn::MlpGradients grads = nn::backward(net, cache, Y);
    speeds.row(k) = hidden_speeds(grads).t();
    // W[l] −= α ∂C/∂W[l], b[l] −= α ∂C/∂b[l], with C averaged over all m samples
    if (k < steps) nn::gradient_step(net, grads, learning_rate);
  }
  return speeds;
}
// [/book:track]

void train_sgd(nn::Mlp& net, const arma::mat& X, const arma::mat& Y, int epochs, int batch,
               double learning_rate, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  nn::MlpCache cache;
  const arma::uword m = X.n_cols;
  long iteration = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const arma::uvec order = rng.permutation(m);  // a fresh shuffle every epoch
    for (arma::uword start = 0; start < m; start += batch, ++iteration) {
      const arma::uvec pick = order.subvec(start, std::min<arma::uword>(start + batch, m) - 1);
      const arma::mat Y_batch = Y.cols(pick);
      nn::forward(net, X.cols(pick), cache);
      nn::check_finite(nn::cost(net, cache, Y_batch), iteration);
      // W[l] −= α ∂C_batch/∂W[l], b[l] −= α ∂C_batch/∂b[l]
      nn::gradient_step(net, nn::backward(net, cache, Y_batch), learning_rate);
    }
  }
}

// [book:prior]
double prior_cost(const arma::mat& Y) {
  // p_k: the frequency of digit k; the best constant output is A = p for every image
  const arma::vec p = arma::mean(Y, 1);
  // C = Σ_k −p_k ln p_k − (1 − p_k) ln(1 − p_k), the cross-entropy of that constant guess
  double C = 0.0;
  for (const double p_k : p)
    if (p_k > 0 && p_k < 1) C -= p_k * std::log(p_k) + (1 - p_k) * std::log(1 - p_k);
  return C;  // a digit that never (or always) occurs costs nothing: 0 · ln 0 = 0
}
// [/book:prior]

double test_accuracy(const nn::Mlp& net, const arma::mat& X, const arma::uvec& labels) {
  nn::MlpCache cache;
  return nn::accuracy(nn::predict_classes(nn::forward(net, X, cache)), labels);
}

namespace {

// The data of the lesson: the first `samples` training images for the measurements, and the
// first `train_samples` training images with the test set for the short SGD training.
struct Data {
  arma::mat X, Y;              // X: 784 × samples, Y: 10 × samples
  arma::mat X_train, Y_train;  // 784 × train_samples, 10 × train_samples
  arma::mat X_test;            // 784 × 10000
  arma::uvec test_labels;
};

// The speeds and the cost of one network during full-batch training.
struct Track {
  arma::mat speeds;  // (steps + 1) × hidden layers
  arma::vec cost;    // steps + 1
};

Data load_data(const Options& options, const nn::CommonOptions& common) {
  const nn::Mnist mnist = nn::load_mnist(common.data_dir / "mnist");
  const auto n = static_cast<int>(mnist.train.pixels.n_cols);
  if (options.samples > n)
    throw nn::UsageError("--samples: " + std::to_string(options.samples) + " is larger than the " +
                         std::to_string(n) + " training images");
  if (options.train_samples > n)
    throw nn::UsageError("--train-samples: " + std::to_string(options.train_samples) +
                         " is larger than the " + std::to_string(n) + " training images");
  if (options.batch > options.train_samples)
    throw nn::UsageError("--batch: " + std::to_string(options.batch) + " is larger than the " +
                         std::to_string(options.train_samples) + " training samples");
  Data data;
  const arma::mat X_all = nn::scale_pixels<double>(mnist.train.pixels);
  const arma::mat Y_all = nn::one_hot<double>(mnist.train_labels, 10);
  data.X = X_all.head_cols(options.samples);
  data.Y = Y_all.head_cols(options.samples);
  data.X_train = X_all.head_cols(options.train_samples);
  data.Y_train = Y_all.head_cols(options.train_samples);
  data.X_test = nn::scale_pixels<double>(mnist.test.pixels);
  data.test_labels = mnist.test_labels;
  return data;
}

// `text` followed by spaces up to `width` characters (UTF-8: "±" is one character, two bytes).
std::string cell(const std::string& text, std::size_t width = 15) {
  const auto chars =
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  return text + std::string(width > std::size_t(chars) ? width - chars : 1, ' ');
}

void print_table_header(const std::string& first_column) {
  std::printf("  %s%s%s%s%sfirst/last\n", cell(first_column, 22).c_str(), cell("hidden 1").c_str(),
              cell("hidden 2").c_str(), cell("hidden 3").c_str(), cell("hidden 4").c_str());
}

// One row of the table: mean ± std per hidden layer, then first / last; Nielsen's row under it.
void print_speeds(const std::string& name, const Speeds& speeds,
                  const std::vector<double>& published) {
  std::string row = "  " + cell(name, 22);
  for (arma::uword l = 0; l < 4; ++l)
    row += cell(l < speeds.mean.n_elem ? fmt::format("{:.4f}", speeds.mean(l)) + "±" +
                                             fmt::format("{:.4f}", speeds.std(l))
                                       : "");
  std::printf("%s%.4f\n", row.c_str(), speeds.first_to_last);
  if (published.empty()) return;
  row = "  " + cell("  Nielsen (published)", 22);
  for (arma::uword l = 0; l < 4; ++l)
    row += cell(l < published.size() ? fmt::format("{:.3f}", published[l]) : "");
  std::printf("%s%.4f\n", row.c_str(), published.front() / published.back());
}

// Grouped bars: one group per network, one bar per hidden layer, Nielsen's values as points.
void draw_init_figure(const nn::Figures& figures, const std::vector<Speeds>& speeds) {
  arma::vec x, layer, mean, std, published;
  std::string tics;
  double position = 0;
  for (std::size_t n = 0; n < kNetworks.size(); ++n) {
    const arma::uword layers = speeds[n].mean.n_elem;
    tics += (n ? ", '" : "'") + network_name(kNetworks[n]) + "' " +
            std::to_string(position + (layers + 1) / 2.0);
    for (arma::uword l = 0; l < layers; ++l) {
      position += 1;
      x.resize(x.n_elem + 1), x.back() = position;
      layer.resize(layer.n_elem + 1), layer.back() = double(l + 1);
      mean.resize(mean.n_elem + 1), mean.back() = speeds[n].mean(l);
      std.resize(std.n_elem + 1), std.back() = speeds[n].std(l);
      published.resize(published.n_elem + 1), published.back() = kPublished[n][l];
    }
    position += 1;  // a gap between groups
  }
  figures.csv("init_norms.csv", {"x", "layer", "mean", "std", "nielsen"},
              {x, layer, mean, std, published});
  figures.draw("init_norms",
               "set title 'Speed of learning at initialisation: ‖∂C/∂b^{(l)}‖ per hidden layer'\n"
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

// One panel per network: the speed of each hidden layer during full-batch training.
void draw_training_figure(const nn::Figures& figures, const std::vector<Track>& tracks) {
  std::string script =
      "set multiplot layout 1,3 title 'Speed of learning during training (full batch, "
      "1000 images)'\nset logscale y\nset yrange [1e-5:1]\nset format y '10^{%L}'\n"
      "set xlabel 'gradient step'\nset key top right autotitle columnhead\nset grid\n";
  for (std::size_t n = 0; n < tracks.size(); ++n) {
    const std::string name = network_name(kNetworks[n]);
    const arma::mat& speeds = tracks[n].speeds;
    std::vector<std::string> header = {"step"};
    std::vector<arma::vec> columns = {arma::regspace(0, double(speeds.n_rows) - 1)};
    for (arma::uword l = 0; l < speeds.n_cols; ++l) {
      header.push_back("hidden layer " + std::to_string(l + 1));
      columns.push_back(speeds.col(l));
    }
    header.push_back("cost");
    columns.push_back(tracks[n].cost);
    figures.csv("training_" + name + ".csv", header, columns);
    script += "set title '" + name + "'\n" +
              (n == 0 ? "set ylabel '‖∂C/∂b^{(l)}‖'\n" : "unset ylabel\n") +
              "plot for [i=2:" + std::to_string(speeds.n_cols + 1) + "] 'training_" + name +
              ".csv' using 1:i with lines lw 2 lc (i-1)\n";
  }
  figures.draw("training_norms", script + "unset multiplot\n", 1200, 450);
}

// Left: the speed of every layer for each variant; right: first / last as bars (log scale).
void draw_remedies_figure(const nn::Figures& figures, const std::vector<Speeds>& speeds) {
  const auto all = variants();
  std::vector<std::string> header = {"layer"};
  std::vector<arma::vec> columns = {arma::regspace(1, double(speeds.front().mean.n_elem))};
  arma::vec ratio(all.size());
  std::string tics;
  for (std::size_t v = 0; v < all.size(); ++v) {
    header.push_back(all[v].label);
    columns.push_back(speeds[v].mean);
    ratio(v) = speeds[v].first_to_last;
    tics += (v ? ", '" : "'") + all[v].label + "' " + std::to_string(v);
  }
  figures.csv("remedies_layers.csv", header, columns);
  figures.csv("remedies_ratio.csv", {"variant", "first_to_last"},
              {arma::regspace(0, double(all.size()) - 1), ratio});
  figures.draw(
      "remedies",
      "set multiplot layout 1,2 title 'Remedies, network 784-30-30-30-30-10 at initialisation'\n"
      "set logscale y\nset grid\nset key bottom right autotitle columnhead\n"
      "set title 'speed of learning per hidden layer'\nset xlabel 'hidden layer'\n"
      "set ylabel '‖∂C/∂b^{(l)}‖'\nset xtics 1\n"
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
  const arma::vec k = arma::regspace(0, 8);
  figures.csv("bound.csv", {"k", "0.25^k"}, {k, arma::exp(k * std::log(0.25))});
  arma::vec crossed(speeds.size()), measured(speeds.size());
  for (std::size_t n = 0; n < speeds.size(); ++n) {
    crossed(n) = double(speeds[n].mean.n_elem - 1);
    measured(n) = speeds[n].first_to_last;
  }
  figures.csv("bound_measured.csv", {"k", "first/last"}, {crossed, measured});
  figures.draw(
      "derivatives",
      "set multiplot layout 1,2\nset grid\nset key top right\n"
      "set title 'derivatives of the activations'\nset xlabel 'z'\nset yrange [0:1.35]\n"
      "plot 'derivatives.csv' every ::1 using 1:2 with lines lw 2 title \"σ'(z), max 1/4\", \\\n"
      "  '' every ::1 using 1:3 with lines lw 2 title \"tanh'(z), max 1\", \\\n"
      "  0.25 with lines dt 2 lc 'black' notitle, 1 with lines dt 2 lc 'black' notitle\n"
      "set title 'product of k sigmoid factors σ'' ≤ 1/4'\nset xlabel 'layers crossed k'\n"
      "set logscale y\nset yrange [1e-5:2]\nset format y '10^{%L}'\nset key bottom left\n"
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

// 1. Nielsen's measurement: the speed of each hidden layer of the three sigmoid networks.
std::vector<Speeds> measure_sigmoid_networks(const Options& options, const Data& data,
                                             std::uint32_t seed, nn::Json& results) {
  std::printf(
      "Speed of learning ‖∂C/∂b(l)‖ at initialisation, averaged over %d images;\n"
      "mean ± std over %d networks (seeds %u, %u, …):\n",
      options.samples, options.seeds, seed, seed + 1);
  print_table_header("network");
  std::vector<Speeds> speeds;
  for (std::size_t n = 0; n < kNetworks.size(); ++n) {
    const std::string name = network_name(kNetworks[n]);
    speeds.push_back(
        measure_at_init(kNetworks[n], variants().front(), data.X, data.Y, seed, options.seeds));
    print_speeds(name, speeds.back(), kPublished[n]);
    results["init_norms"][name] = to_json(speeds.back().mean);
    results["init_norms_std"][name] = to_json(speeds.back().std);
    results["first_to_last_ratio"][name] = speeds.back().first_to_last;
    results["published_norms"][name] = kPublished[n];
  }
  return speeds;
}

// 2. The same speeds while each network learns by full-batch gradient descent.
std::vector<Track> track_sigmoid_networks(const Options& options, const Data& data,
                                          std::uint32_t seed, nn::Json& results) {
  const double guess = prior_cost(data.Y);
  std::printf(
      "\nFull-batch gradient descent on the %d images, %d steps, learning rate %g\n"
      "(cost of guessing each digit's frequency, ignoring the pixels: %.4f):\n",
      options.samples, options.steps, options.learning_rate, guess);
  results["training_prior_cost"] = guess;
  std::vector<Track> tracks(kNetworks.size());
  for (std::size_t n = 0; n < kNetworks.size(); ++n) {
    const std::string name = network_name(kNetworks[n]);
    nn::Mlp net = make_network(kNetworks[n], variants().front(), seed);
    Track& track = tracks[n];
    track.speeds =
        track_training(net, data.X, data.Y, options.steps, options.learning_rate, track.cost);
    const arma::vec end = track.speeds.row(options.steps).t();
    const double accuracy = test_accuracy(net, data.X, nn::predict_classes(data.Y));
    std::printf("  %-22s cost %.4f -> %.4f, training accuracy %.1f %%, speeds at the end:",
                name.c_str(), track.cost(0), track.cost(options.steps), accuracy);
    for (double v : end) std::printf(" %.1e", v);
    std::printf("\n");
    results["training"][name] = {{"cost_start", track.cost(0)},
                                 {"cost_end", track.cost(options.steps)},
                                 {"accuracy_end", accuracy},
                                 {"norms_end", to_json(end)}};
  }
  return tracks;
}

// 3. The remedies on the deepest network: the speeds at initialisation, measured as in 1,
// and the test accuracy after a short mini-batch SGD training on MNIST.
std::vector<Speeds> try_remedies(const Options& options, const Data& data, std::uint32_t seed,
                                 nn::Json& results) {
  const Sizes& deepest = kNetworks.back();
  std::printf(
      "\nRemedies on %s: speeds at initialisation (mean ± std over %d networks),\n"
      "test accuracy after %d epoch(s) of SGD (batch %d, learning rate %g, %d images):\n",
      network_name(deepest).c_str(), options.seeds, options.epochs, options.batch,
      options.learning_rate, options.train_samples);
  print_table_header("variant");
  std::vector<Speeds> speeds;
  for (const Variant& variant : variants()) {
    speeds.push_back(measure_at_init(deepest, variant, data.X, data.Y, seed, options.seeds));
    nn::Progress progress;
    progress.update("  training " + variant.label + " …");
    nn::Mlp net = make_network(deepest, variant, seed);
    train_sgd(net, data.X_train, data.Y_train, options.epochs, options.batch, options.learning_rate,
              seed);
    const double accuracy = test_accuracy(net, data.X_test, data.test_labels);
    progress.finish();
    print_speeds(variant.label, speeds.back(), {});
    std::printf("  %stest accuracy %.2f %%\n", cell("", 22).c_str(), accuracy);
    results["remedies"][variant.name] = {{"init_norms", to_json(speeds.back().mean)},
                                         {"first_to_last_ratio", speeds.back().first_to_last},
                                         {"test_accuracy", accuracy}};
  }
  return speeds;
}

}  // namespace

// [book:run]
nn::Json run(const Options& options, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  const Data data = load_data(options, common);
  nn::Json results;
  const auto at_init = measure_sigmoid_networks(options, data, common.seed, results);
  const auto tracks = track_sigmoid_networks(options, data, common.seed, results);
  const auto remedies = try_remedies(options, data, common.seed, results);

  const nn::Figures figures(common.out_dir, common.plots);
  draw_init_figure(figures, at_init);
  draw_training_figure(figures, tracks);
  draw_remedies_figure(figures, remedies);
  draw_bound_figure(figures, at_init);
  draw_activations_figure(figures);

  results["headline"] = "first layer of 784-30-30-30-30-10 learns 1/" +
                        fmt::format("{:.0f}", 1.0 / at_init.back().first_to_last) +
                        " as fast as its last";
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
  std::printf("\n%s (%.1f s)\n", results["headline"].get<std::string>().c_str(), clock.seconds());
  return results;
}
// [/book:run]

}  // namespace ch06
