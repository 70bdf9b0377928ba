#include "mnist_three_layer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <thread>

#include "common/errors.hpp"
#include "common/initializers.hpp"
#include "common/losses.hpp"
#include "common/metrics.hpp"
#include "common/mnist.hpp"
#include "common/parallel.hpp"
#include "common/plot.hpp"
#include "common/progress.hpp"
#include "common/results.hpp"
#include "common/stopwatch.hpp"

namespace ch05 {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// The network

Parameters<double> initialize(nn::NumpyRandom& rng, const std::vector<arma::uword>& sizes) {
  // W_l ~ N(0, 2 / (n_in + n_out)) keeps σ and tanh in their steep middle at the start;
  // the biases may start at zero because the random weights already break the symmetry.
  Parameters<double> p;
  p.W1 = nn::xavier(rng, sizes[1], sizes[0]);
  p.W2 = nn::xavier(rng, sizes[2], sizes[1]);
  p.W3 = nn::xavier(rng, sizes[3], sizes[2]);
  p.b1 = arma::zeros(sizes[1], 1);
  p.b2 = arma::zeros(sizes[2], 1);
  p.b3 = arma::zeros(sizes[3], 1);
  return p;
}

template <typename eT>
Parameters<eT> convert(const Parameters<double>& p) {
  const auto to = [](const arma::mat& M) { return arma::conv_to<arma::Mat<eT>>::from(M); };
  return {to(p.W1), to(p.b1), to(p.W2), to(p.b2), to(p.W3), to(p.b3)};
}

namespace {

// A3 = softmax(Z3), column by column: e^(z − max z) / Σ e^(z − max z). Subtracting the
// column's maximum changes nothing mathematically and keeps e^z from overflowing. Written into
// the cache's own storage, step by step, so that no temporary matrix is allocated.
template <typename eT>
void softmax(Cache<eT>& c) {
  // [book:softmax]
  // the largest logit of every column
  c.z_max = arma::max(c.Z3, 0);
  // E = e^(Z3 − max): every exponent ≤ 0, so every E ≤ 1
  c.A3 = c.Z3;
  c.A3.each_row() -= c.z_max;
  c.A3 = arma::exp(c.A3);
  // A3 = E / Σ_rows E: each column now sums to 1
  c.e_sum = arma::sum(c.A3, 0);
  c.A3.each_row() /= c.e_sum;
  // [/book:softmax]
}

}  // namespace

template <typename eT>
void forward(const Parameters<eT>& p, const arma::Mat<eT>& X, Cache<eT>& c) {
  // [book:forward]
  // Z1 = W1 X + b1                       (n_1 × m)
  c.Z1 = p.W1 * X;
  c.Z1.each_col() += p.b1;
  // A1 = σ(Z1) = 1 / (1 + e^−Z1)
  c.A1 = eT(1) / (eT(1) + arma::exp(-c.Z1));
  // Z2 = W2 A1 + b2                      (n_2 × m)
  c.Z2 = p.W2 * c.A1;
  c.Z2.each_col() += p.b2;
  // A2 = tanh(Z2)
  c.A2 = arma::tanh(c.Z2);
  // Z3 = W3 A2 + b3                      (n_3 × m)
  c.Z3 = p.W3 * c.A2;
  c.Z3.each_col() += p.b3;
  // A3 = softmax(Z3): column j holds the probabilities of the ten digits for sample j
  softmax(c);
  // [/book:forward]
}

template <typename eT>
double cost(const Cache<eT>& c, const arma::Mat<eT>& Y) {
  // J = −(1/m) Σ_j Σ_k Y(k,j) ln A3(k,j), computed from the logits Z3 so that it stays finite
  return nn::categorical_cross_entropy(c.Z3, Y);
}

template <typename eT>
void backward(const Parameters<eT>& p, const arma::Mat<eT>& X, const arma::Mat<eT>& Y,
              const Cache<eT>& c, Gradients<eT>& g) {
  const eT inv_m = eT(1) / static_cast<eT>(X.n_cols);
  // [book:backward]
  // dZ3 = A3 − Y                         (softmax and cross-entropy together)
  g.dZ3 = c.A3 - Y;
  // dW3 = (1/m) dZ3 A2ᵀ,  db3 = (1/m) Σ_columns dZ3
  g.dW3 = inv_m * g.dZ3 * c.A2.t();
  g.db3 = inv_m * arma::sum(g.dZ3, 1);
  // dA2 = W3ᵀ dZ3
  g.dA2 = p.W3.t() * g.dZ3;
  // dZ2 = dA2 ∘ (1 − A2²)                (tanh′ = 1 − tanh²)
  g.dZ2 = g.dA2 % (eT(1) - arma::square(c.A2));
  // dW2 = (1/m) dZ2 A1ᵀ,  db2 = (1/m) Σ_columns dZ2
  g.dW2 = inv_m * g.dZ2 * c.A1.t();
  g.db2 = inv_m * arma::sum(g.dZ2, 1);
  // dA1 = W2ᵀ dZ2
  g.dA1 = p.W2.t() * g.dZ2;
  // dZ1 = dA1 ∘ A1 ∘ (1 − A1)            (σ′ = σ(1 − σ))
  g.dZ1 = g.dA1 % c.A1 % (eT(1) - c.A1);
  // dW1 = (1/m) dZ1 Xᵀ,  db1 = (1/m) Σ_columns dZ1
  g.dW1 = inv_m * g.dZ1 * X.t();
  g.db1 = inv_m * arma::sum(g.dZ1, 1);
  // [/book:backward]
}

template Parameters<float> convert<float>(const Parameters<double>&);
template Parameters<double> convert<double>(const Parameters<double>&);
template void forward<float>(const Parameters<float>&, const arma::fmat&, Cache<float>&);
template void forward<double>(const Parameters<double>&, const arma::mat&, Cache<double>&);
template double cost<float>(const Cache<float>&, const arma::fmat&);
template double cost<double>(const Cache<double>&, const arma::mat&);
template void backward<float>(const Parameters<float>&, const arma::fmat&, const arma::fmat&,
                              const Cache<float>&, Gradients<float>&);
template void backward<double>(const Parameters<double>&, const arma::mat&, const arma::mat&,
                               const Cache<double>&, Gradients<double>&);

// ---------------------------------------------------------------------------------------------
// Gradient check

nn::GradientReport gradient_check(std::uint32_t seed, const std::vector<arma::uword>& sizes,
                                  arma::uword m) {
  nn::NumpyRandom rng(seed);
  Parameters<double> p = initialize(rng, sizes);
  // Random biases too, so that no block is checked only at the special point zero.
  p.b1 = rng.randn(sizes[1], 1) * 0.5;
  p.b2 = rng.randn(sizes[2], 1) * 0.5;
  p.b3 = rng.randn(sizes[3], 1) * 0.5;
  const arma::mat X = rng.rand(sizes[0], m);
  arma::uvec labels(m);
  for (arma::uword j = 0; j < m; ++j) labels(j) = rng.interval(sizes[3] - 1);
  const arma::mat Y = nn::one_hot<double>(labels, sizes[3]);
  // [book:gradient_check]
  // Backpropagation's gradients at P …
  Cache<double> c;
  Gradients<double> g;
  forward(p, X, c);
  backward(p, X, Y, c, g);
  // … against (J(P + ε e_i) − J(P − ε e_i)) / 2ε for every element i of every block
  const auto J = [&] {
    forward(p, X, c);
    return cost(c, Y);
  };
  return nn::check_gradients(J, {{"W1", &p.W1, g.dW1},
                                 {"b1", &p.b1, g.db1},
                                 {"W2", &p.W2, g.dW2},
                                 {"b2", &p.b2, g.db2},
                                 {"W3", &p.W3, g.dW3},
                                 {"b3", &p.b3, g.db3}});
  // [/book:gradient_check]
}

// ---------------------------------------------------------------------------------------------
// Data

namespace {

Split make_split(const arma::Mat<unsigned char>& pixels, const arma::uvec& labels) {
  return {nn::scale_pixels<float>(pixels), nn::one_hot<float>(labels, n_3), labels};
}

}  // namespace

Data load_data(const fs::path& data_dir) {
  const fs::path dir = data_dir / "mnist";
  const nn::Mnist mnist = nn::load_mnist(dir);
  const arma::uword m = mnist.train_labels.n_elem;
  if (mnist.train.pixels.n_rows != n_x || m <= n_validation)
    throw nn::DataError(dir.string() + ": expected more than " + std::to_string(n_validation) +
                        " training images of 28 × 28 pixels");
  // The first m − 5000 training images train, the last 5000 validate.
  const arma::uword m_train = m - n_validation;
  Data d;
  d.train = make_split(mnist.train.pixels.cols(0, m_train - 1),
                       mnist.train_labels.subvec(0, m_train - 1));
  d.validation = make_split(mnist.train.pixels.cols(m_train, m - 1),
                            mnist.train_labels.subvec(m_train, m - 1));
  d.test = make_split(mnist.test.pixels, mnist.test_labels);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Training

Evaluation evaluate(const Parameters<float>& p, const Split& s, Cache<float>& c) {
  const nn::SingleThreadedBlas blas;  // rounded as in training, whatever the machine
  forward(p, s.X, c);
  return {cost(c, s.Y), nn::accuracy(nn::predict_classes(c.A3), s.labels)};
}

namespace {

// Training runs on two cores (data parallelism): each core takes half of every batch.
constexpr int n_cores = 2;

// One core's half of a mini-batch: its own copy of the samples' pixels and labels side by side,
// and the storage forward and backward write into. Made when an epoch starts, on the core that
// uses it, and reused every step.
struct Batch {
  explicit Batch(arma::uword m) : X(n_x, m), Y(n_3, m), labels(m) {}
  arma::fmat X, Y;    // X: n_x × m, Y: n_3 × m
  arma::uvec labels;  // m
  Cache<float> cache;
  Gradients<float> grads;
};

// X_batch(:, j) = X(:, order(first + j)): the next m samples of this epoch's order. The data
// set itself is never reordered or copied; only the batch's columns are, each one contiguous
// run of n_x pixels. Y_batch is rebuilt from the labels, one 1 per column.
void gather(const Split& s, const arma::uvec& order, arma::uword first, Batch& b) {
  // [book:gather]
  b.Y.zeros();
  for (arma::uword j = 0; j < b.labels.n_elem; ++j) {
    const arma::uword i = order(first + j);
    std::copy_n(s.X.colptr(i), n_x, b.X.colptr(j));
    b.labels(j) = s.labels(i);
    b.Y(b.labels(j), j) = 1.0f;
  }
  // [/book:gather]
}

// Samples whose most probable digit (the largest entry of their column of A3) is the true one.
arma::uword count_correct(const arma::fmat& A3, const arma::uvec& labels) {
  arma::uword correct = 0;
  for (arma::uword j = 0; j < labels.n_elem; ++j) correct += A3.col(j).index_max() == labels(j);
  return correct;
}

// What the cores hand each other in a step: each half's size, cost and gradients, written by
// its own core before the step's first barrier, read by both after it.
struct Halves {
  std::array<arma::uword, n_cores> m{};
  std::array<double, n_cores> J{};
  std::array<const Gradients<float>*, n_cores> grads{};
  // the whole batch's size
  arma::uword total() const { return std::accumulate(m.begin(), m.end(), arma::uword{0}); }
};

// The whole batch's cost: the mean of the halves' costs, weighted by their sizes.
double batch_cost(const Halves& h) {
  double sum = 0.0;
  for (int k = 0; k < n_cores; ++k)
    if (h.m[k] > 0) sum += h.J[k] * static_cast<double>(h.m[k]);
  return sum / static_cast<double>(h.total());
}

// P −= α dP for every parameter block, where dP is the whole batch's gradient: the mean of the
// halves' gradients, weighted by their sizes (each half's gradient is already the mean over
// its own samples). Each core updates its own share of every block's columns.
void descend(Parameters<float>& p, const Halves& h, float learning_rate, int core) {
  // [book:descend]
  const auto m = static_cast<float>(h.total());
  const auto step = [&](arma::fmat& P, arma::fmat Gradients<float>::*dP) {
    const nn::Share mine = nn::share(P.n_cols, core, n_cores);  // this core's columns of P
    if (mine.count == 0) return;
    const arma::span cols(mine.first, mine.first + mine.count - 1);
    for (int k = 0; k < n_cores; ++k)  // P −= α (m_k / m) dP_k, one half after the other
      if (h.m[k] > 0) P.cols(cols) -= learning_rate * (h.m[k] / m) * (h.grads[k]->*dP).cols(cols);
  };
  step(p.W1, &Gradients<float>::dW1);
  step(p.b1, &Gradients<float>::db1);
  step(p.W2, &Gradients<float>::dW2);
  step(p.b2, &Gradients<float>::db2);
  step(p.W3, &Gradients<float>::dW3);
  step(p.b3, &Gradients<float>::db3);
  // [/book:descend]
}

// One pass over the training set in a fresh random order; the mean loss and the accuracy
// (percent) of the mini-batches, each measured just before its own gradient step.
Evaluation train_epoch(Parameters<float>& p, const Split& s, float learning_rate,
                       arma::uword batch_size, nn::NumpyRandom& rng, long& step) {
  const arma::uword m = s.labels.n_elem;
  const arma::uvec order = rng.permutation(m);
  Halves halves;
  nn::SpinBarrier barrier(n_cores);
  std::array<arma::uword, n_cores> correct{};
  double loss_sum = 0.0;
  // [book:epoch]
  const auto core_trains = [&](int core) {
    // this core's half of a full batch, and of the last one (m mod batch_size samples)
    Batch full(nn::share(batch_size, core, n_cores).count);
    Batch rest(nn::share(m % batch_size, core, n_cores).count);
    for (arma::uword first = 0; first < m; first += batch_size) {
      const arma::uword size = std::min(batch_size, m - first);
      const nn::Share mine = nn::share(size, core, n_cores);
      Batch& b = size == batch_size ? full : rest;
      halves.m[core] = mine.count;
      if (mine.count > 0) {  // (a batch of one sample has an empty half)
        gather(s, order, first + mine.first, b);
        forward(p, b.X, b.cache);
        halves.J[core] = cost(b.cache, b.Y);
        backward(p, b.X, b.Y, b.cache, b.grads);
        halves.grads[core] = &b.grads;
        correct[core] += count_correct(b.cache.A3, b.labels);
      }
      barrier.arrive_and_wait();  // both halves' gradients are ready
      const double J = batch_cost(halves);
      if (!std::isfinite(J)) return;  // both cores stop; train_epoch reports the step
      descend(p, halves, learning_rate, core);
      if (core == 0) {
        loss_sum += J * static_cast<double>(size);
        ++step;
      }
      barrier.arrive_and_wait();  // W and b are updated: the next step may read them
    }
  };
  {
    const nn::SingleThreadedBlas blas;  // each core multiplies on its own
    std::vector<std::jthread> other_cores;
    for (int core = 1; core < n_cores; ++core) other_cores.emplace_back(core_trains, core);
    core_trains(0);
  }  // (the other cores' threads end here)
  // [/book:epoch]
  nn::check_finite(batch_cost(halves), step);  // the last step's cost: finite unless it diverged
  const arma::uword right = std::accumulate(correct.begin(), correct.end(), arma::uword{0});
  return {loss_sum / static_cast<double>(m), 100.0 * static_cast<double>(right) / m};
}

std::string epoch_line(int epoch, int epochs, const History& h) {
  char text[160];
  std::snprintf(text, sizeof text,
                "epoch %2d/%d  train loss %.4f  validation loss %.4f  accuracy %.2f %%  %.2f s",
                epoch, epochs, h.train_loss.back(), h.validation_loss.back(),
                h.validation_accuracy.back(), h.seconds.back());
  return text;
}

}  // namespace

History train(Parameters<float>& p, const Data& d, int epochs, float learning_rate,
              arma::uword batch_size, double target_loss, nn::NumpyRandom& rng,
              bool show_progress) {
  Cache<float> validation_cache;
  History h;
  nn::Progress progress;
  long step = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const nn::Stopwatch clock;
    const Evaluation t = train_epoch(p, d.train, learning_rate, batch_size, rng, step);
    h.seconds.push_back(clock.seconds());
    const Evaluation v = evaluate(p, d.validation, validation_cache);
    h.train_loss.push_back(t.loss);
    h.train_accuracy.push_back(t.accuracy);
    h.validation_loss.push_back(v.loss);
    h.validation_accuracy.push_back(v.accuracy);
    if (show_progress) progress.update(epoch_line(epoch, epochs, h));
    if (v.loss <= target_loss) break;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Evaluation and the saved model

arma::umat confusion_matrix(const arma::uvec& truth, const arma::uvec& predicted) {
  arma::umat counts(n_3, n_3, arma::fill::zeros);
  for (arma::uword j = 0; j < truth.n_elem; ++j) ++counts(truth(j), predicted(j));
  return counts;
}

namespace {

std::string shape(const arma::fmat& M) {
  return std::to_string(M.n_rows) + "×" + std::to_string(M.n_cols);
}

}  // namespace

void save_model(const Parameters<float>& p, const fs::path& file) {
  const arma::field<arma::fmat> blocks = {p.W1, p.b1, p.W2, p.b2, p.W3, p.b3};
  const fs::path tmp = file.string() + ".tmp";
  if (!blocks.save(tmp.string(), arma::arma_binary))
    throw nn::DataError(tmp.string() + ": cannot write the model");
  fs::rename(tmp, file);
}

Parameters<float> load_model(const fs::path& file) {
  const std::string expected =
      "six float matrices W1 64×784, b1 64×1, W2 16×64, b2 16×1, "
      "W3 10×16, b3 10×1 as written by this chapter";
  arma::field<arma::fmat> blocks;
  if (!blocks.load(file.string(), arma::arma_binary))
    throw nn::DataError(file.string() + ": not a saved model (expected " + expected + ")");
  const std::vector<std::pair<arma::uword, arma::uword>> want = {{n_1, n_x}, {n_1, 1},   {n_2, n_1},
                                                                 {n_2, 1},   {n_3, n_2}, {n_3, 1}};
  bool ok = blocks.n_elem == want.size();
  for (arma::uword i = 0; ok && i < blocks.n_elem; ++i)
    ok = blocks(i).n_rows == want[i].first && blocks(i).n_cols == want[i].second &&
         blocks(i).is_finite();
  if (!ok) {
    std::string found;
    for (arma::uword i = 0; i < blocks.n_elem; ++i) found += (i ? ", " : "") + shape(blocks(i));
    throw nn::DataError(file.string() + ": holds " + std::to_string(blocks.n_elem) + " matrices (" +
                        found + "), expected " + expected);
  }
  return {blocks(0), blocks(1), blocks(2), blocks(3), blocks(4), blocks(5)};
}

// ---------------------------------------------------------------------------------------------
// The learning-rate × batch-size study

std::vector<StudyPoint> study(const Data& d, std::uint32_t seed, int epochs,
                              const std::vector<double>& learning_rates,
                              const std::vector<arma::uword>& batch_sizes) {
  std::vector<StudyPoint> points;
  nn::Progress progress;
  for (const arma::uword batch_size : batch_sizes) {
    for (const double learning_rate : learning_rates) {
      // [book:study]
      // Every cell starts from the same weights and sees the same shuffles: only α and the
      // batch size differ.
      nn::NumpyRandom rng(seed);
      Parameters<float> p = convert<float>(initialize(rng, {n_x, n_1, n_2, n_3}));
      const History h =
          train(p, d, epochs, static_cast<float>(learning_rate), batch_size, 0.0, rng, false);
      // [/book:study]
      points.push_back({learning_rate, batch_size, h.validation_accuracy.back()});
      char text[120];
      std::snprintf(text, sizeof text,
                    "study: batch %3llu  learning rate %.2f  validation accuracy %.2f %%",
                    static_cast<unsigned long long>(batch_size), learning_rate,
                    points.back().validation_accuracy);
      progress.update(text);
    }
  }
  return points;
}

// ---------------------------------------------------------------------------------------------
// Figures

namespace {

arma::vec column(const std::vector<double>& v) {
  return arma::vec(v);
}

void draw_curves(const nn::Figures& fig, const History& h) {
  const arma::vec epoch = arma::regspace<arma::vec>(1, static_cast<double>(h.train_loss.size()));
  fig.csv("curves.csv",
          {"epoch", "train_loss", "validation_loss", "train_accuracy", "validation_accuracy"},
          {epoch, column(h.train_loss), column(h.validation_loss), column(h.train_accuracy),
           column(h.validation_accuracy)});
  fig.draw("curves", R"(set key autotitle columnhead
set multiplot layout 1,2
set grid
set xlabel 'epoch'
set title 'Cross-entropy loss'
set ylabel 'loss J'
set logscale y
plot 'curves.csv' using 1:2 with linespoints lw 2 pt 7 ps 0.5 title 'training (during the epoch)', \
     '' using 1:3 with linespoints lw 2 pt 7 ps 0.5 title 'validation (after the epoch)'
unset logscale y
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
    xtics += (i ? ", '" : "'") + nn::Json(learning_rates[i]).dump() + "' " + std::to_string(i);
  for (std::size_t i = 0; i < batch_sizes.size(); ++i)
    ytics += (i ? ", '" : "'") + std::to_string(batch_sizes[i]) + "' " + std::to_string(i);
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
           "set key autotitle columnhead\nunset key\n"
           "set title 'Validation accuracy (%) after " +
               std::to_string(epochs) + " epochs'\n" +
               "set xlabel 'learning rate α'\nset ylabel 'batch size'\n"
               "set xtics (" +
               xtics + ") scale 0\nset ytics (" + ytics + ") scale 0\n" +
               R"(set cblabel 'validation accuracy (%)'
set palette defined (0 '#f7fbff', 1 '#9ecae1', 2 '#3182bd', 3 '#08306b')
stats 'study.csv' using 5 nooutput
middle = (STATS_min + STATS_max) / 2
plot 'study.csv' using 1:2:5 with image, \
     '' using 1:2:($5 >= middle ? sprintf('%.2f', $5) : '') with labels tc 'white', \
     '' using 1:2:($5 < middle ? sprintf('%.2f', $5) : '') with labels
)",
           760, 420);
}

// ---------------------------------------------------------------------------------------------
// The lesson

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

nn::Json matrix_json(const arma::umat& M) {
  nn::Json rows = nn::Json::array();
  for (arma::uword r = 0; r < M.n_rows; ++r) {
    nn::Json row = nn::Json::array();
    for (arma::uword c = 0; c < M.n_cols; ++c) row.push_back(M(r, c));
    rows.push_back(row);
  }
  return rows;
}

// Validation and test accuracy of a trained model, the confusion matrix and the grid of errors;
// prints them and adds them to `results`.
void report_test(const Parameters<float>& p, const Data& d, const nn::Figures& fig,
                 nn::Json& results) {
  Cache<float> c;
  const Evaluation v = evaluate(p, d.validation, c);
  const Evaluation t = evaluate(p, d.test, c);
  const arma::uvec predicted = nn::predict_classes(c.A3);
  const arma::umat counts = confusion_matrix(d.test.labels, predicted);
  std::printf(
      "validation accuracy %.2f %%, test accuracy %.2f %% (%llu of %llu test images "
      "misread), test loss %.4f\n",
      v.accuracy, t.accuracy,
      static_cast<unsigned long long>(arma::accu(counts) - arma::trace(counts)),
      static_cast<unsigned long long>(d.test.labels.n_elem), t.loss);
  draw_confusion(fig, counts);
  draw_misclassified(fig, d.test, predicted);
  results["headline"] = [&] {
    char text[64];
    std::snprintf(text, sizeof text, "test accuracy %.2f %%", t.accuracy);
    return std::string(text);
  }();
  results["validation_accuracy"] = v.accuracy;
  results["test_accuracy"] = t.accuracy;
  results["test_loss"] = t.loss;
  results["test_errors"] = arma::accu(counts) - arma::trace(counts);
  results["confusion_matrix"] = matrix_json(counts);
}

void print_gradient_check(const nn::GradientReport& report) {
  std::printf("gradient check (double, central differences): relative error");
  for (const auto& [name, error] : report.errors) std::printf(" %s %.1e", name.c_str(), error);
  std::printf("\n");
}

// --seeds N: the same training again with seeds seed + 1 … seed + N − 1; the test accuracies of
// all N runs (the first is this run's) with their mean and spread.
void add_other_seeds(const Options& o, const Data& d, std::uint32_t seed, nn::Json& results) {
  std::vector<double> accuracies = {results["test_accuracy"].get<double>()};
  Cache<float> c;
  for (int k = 1; k < o.seeds; ++k) {
    nn::NumpyRandom rng(seed + static_cast<std::uint32_t>(k));
    Parameters<float> p = convert<float>(initialize(rng, {n_x, n_1, n_2, n_3}));
    train(p, d, o.epochs, static_cast<float>(o.learning_rate),
          static_cast<arma::uword>(o.batch_size), o.target_loss, rng, false);
    accuracies.push_back(evaluate(p, d.test, c).accuracy);
    std::printf("seed %u: test accuracy %.2f %%\n", seed + k, accuracies.back());
    std::fflush(stdout);
  }
  const arma::vec a(accuracies);
  std::printf(
      "test accuracy over %d seeds: mean %.2f %%, standard deviation %.2f, "
      "min %.2f, max %.2f\n",
      o.seeds, arma::mean(a), arma::stddev(a), a.min(), a.max());
  results["seeds"] = {{"test_accuracy", accuracies},
                      {"mean", arma::mean(a)},
                      {"standard_deviation", arma::stddev(a)},
                      {"min", a.min()},
                      {"max", a.max()}};
}

// The study's grid: learning rates from timid to bold, small to the lesson's batch size.
const std::vector<double> kStudyRates = {0.05, 0.1, 0.2, 0.5, 0.8};
const std::vector<arma::uword> kStudyBatches = {16, 32, 128};
constexpr int kStudyEpochs = 3;

void add_study(const Data& d, std::uint32_t seed, const nn::Figures& fig, nn::Json& results) {
  const std::vector<StudyPoint> points = study(d, seed, kStudyEpochs, kStudyRates, kStudyBatches);
  draw_study(fig, points, kStudyRates, kStudyBatches, kStudyEpochs);
  results["study_epochs"] = kStudyEpochs;
  for (const StudyPoint& p : points)
    results["study"].push_back({{"learning_rate", p.learning_rate},
                                {"batch_size", p.batch_size},
                                {"validation_accuracy", p.validation_accuracy}});
}

// What training did, epoch by epoch, and what the gradient check found.
nn::Json training_results(const Options& o, std::uint32_t seed, const nn::GradientReport& check,
                          const History& h) {
  nn::Json results;
  results["headline"] = "";  // filled in by report_test
  results["epochs_run"] = h.train_loss.size();
  results["learning_rate"] = o.learning_rate;
  results["batch_size"] = o.batch_size;
  results["seed"] = seed;
  results["gradient_check_max_rel_error"] = check.max_error;
  for (const auto& [name, error] : check.errors) results["gradient_check"][name] = error;
  results["train_loss"] = h.train_loss;
  results["validation_loss"] = h.validation_loss;
  results["train_accuracy"] = h.train_accuracy;
  results["validation_accuracy_per_epoch"] = h.validation_accuracy;
  return results;
}

void run_saved(const Options& o, const nn::CommonOptions& common, const nn::Stopwatch& clock) {
  const Parameters<float> p = load_model(o.load);
  const Data d = load_data(common.data_dir);
  std::printf("loaded the trained parameters from %s\n", o.load.c_str());
  const nn::Figures fig(common.out_dir, common.plots);
  nn::Json results;
  results["model"] = o.load.string();
  report_test(p, d, fig, results);
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
}

}  // namespace

void run(const Options& o, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  if (!o.load.empty()) return run_saved(o, common, clock);
  const Data d = load_data(common.data_dir);
  const arma::uword batch_size = static_cast<arma::uword>(o.batch_size);
  if (batch_size > d.train.labels.n_elem)
    throw nn::UsageError("--batch: " + std::to_string(batch_size) + " is larger than the " +
                         std::to_string(d.train.labels.n_elem) + " training samples");
  std::printf("MNIST: %llu training, %llu validation and %llu test images of 28 × 28 pixels\n",
              static_cast<unsigned long long>(d.train.labels.n_elem),
              static_cast<unsigned long long>(d.validation.labels.n_elem),
              static_cast<unsigned long long>(d.test.labels.n_elem));

  // 1. Is backpropagation right? The same code, in double, on a small network.
  const nn::GradientReport check = gradient_check(common.seed, {28, 9, 6, n_3}, 5);
  print_gradient_check(check);

  // 2. Train the 784-64-16-10 network from Xavier weights.
  nn::NumpyRandom rng(common.seed);
  Parameters<float> p = convert<float>(initialize(rng, {n_x, n_1, n_2, n_3}));
  std::printf("training %d epochs at most, learning rate %g, batch %d\n", o.epochs, o.learning_rate,
              o.batch_size);
  std::fflush(stdout);
  const History h = train(p, d, o.epochs, static_cast<float>(o.learning_rate), batch_size,
                          o.target_loss, rng, true);
  const fs::path model = common.out_dir / "model.bin";
  save_model(p, model);
  std::printf("saved the trained parameters to %s\n", model.c_str());

  // 3. How well does it read digits it has never seen?
  const nn::Figures fig(common.out_dir, common.plots);
  draw_curves(fig, h);
  nn::Json results = training_results(o, common.seed, check, h);
  report_test(p, d, fig, results);

  // 4. Optional: other seeds, and the learning-rate × batch-size study.
  if (o.seeds > 1) add_other_seeds(o, d, common.seed, results);
  if (o.study) add_study(d, common.seed, fig, results);
  results["model"] = model.filename().string();
  results["seconds_per_epoch"] = median(h.seconds);
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
}

}  // namespace ch05
