#include "lesson.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/initializers.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/one_hot.hpp"
#include "common/nn/stopwatch.hpp"
#include "common/plumbing/data_parallel.hpp"
#include "common/plumbing/mnist.hpp"
#include "common/plumbing/model_file.hpp"

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
nn::BlocksOf<eT> blocks(Parameters<eT>& p, Gradients<eT>& g) {
  // [book:blocks]
  return {{"W1", &p.W1, &g.dW1}, {"b1", &p.b1, &g.db1}, {"W2", &p.W2, &g.dW2},
          {"b2", &p.b2, &g.db2}, {"W3", &p.W3, &g.dW3}, {"b3", &p.b3, &g.db3}};
  // [/book:blocks]
}

template <typename eT>
nn::BlocksOf<eT> blocks(Parameters<eT>& p) {
  Gradients<eT> none;
  nn::BlocksOf<eT> list = blocks(p, none);
  for (nn::BlockOf<eT>& block : list) block.dP = nullptr;  // (none ends here)
  return list;
}

template <typename eT>
Parameters<eT> convert(const Parameters<double>& p) {
  const auto to = [](const arma::mat& M) { return arma::conv_to<arma::Mat<eT>>::from(M); };
  return {to(p.W1), to(p.b1), to(p.W2), to(p.b2), to(p.W3), to(p.b3)};
}

template <typename eT>
Cache<eT> forward(const Parameters<eT>& p, const arma::Mat<eT>& X) {
  // [book:forward]
  Cache<eT> c;
  // Z1 = W1 X + b1                       (n_1 × m)
  c.Z1 = p.W1 * X;
  c.Z1.each_col() += p.b1;
  // A1 = σ(Z1) = 1 / (1 + e^−Z1)
  c.A1 = nn::sigmoid(c.Z1);
  // Z2 = W2 A1 + b2                      (n_2 × m)
  c.Z2 = p.W2 * c.A1;
  c.Z2.each_col() += p.b2;
  // A2 = tanh(Z2)
  c.A2 = arma::tanh(c.Z2);
  // Z3 = W3 A2 + b3                      (n_3 × m)
  c.Z3 = p.W3 * c.A2;
  c.Z3.each_col() += p.b3;
  // A3 = softmax(Z3): column j holds the probabilities of the ten digits for sample j
  c.A3 = nn::softmax(c.Z3);
  return c;
  // [/book:forward]
}

template <typename eT>
double cost(const Cache<eT>& c, const arma::Mat<eT>& Y) {
  // J = −(1/m) Σ_j Σ_k Y(k,j) ln A3(k,j), computed from the logits Z3 so that it stays finite
  return nn::categorical_cross_entropy(c.Z3, Y);
}

template <typename eT>
Gradients<eT> backward(const Parameters<eT>& p, const Cache<eT>& c, const arma::Mat<eT>& X,
                       const arma::Mat<eT>& Y) {
  const eT inv_m = eT(1) / static_cast<eT>(X.n_cols);
  // [book:backward]
  Gradients<eT> g;
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
  return g;
  // [/book:backward]
}

template <typename eT>
void update(Parameters<eT>& p, Gradients<eT>& g, double learning_rate) {
  // [book:update]
  // P −= α dP, block by block
  nn::update(blocks(p, g), learning_rate);
  // [/book:update]
}

template Parameters<float> convert<float>(const Parameters<double>&);
template Parameters<double> convert<double>(const Parameters<double>&);
template Cache<float> forward<float>(const Parameters<float>&, const arma::fmat&);
template Cache<double> forward<double>(const Parameters<double>&, const arma::mat&);
template double cost<float>(const Cache<float>&, const arma::fmat&);
template double cost<double>(const Cache<double>&, const arma::mat&);
template Gradients<float> backward<float>(const Parameters<float>&, const Cache<float>&,
                                          const arma::fmat&, const arma::fmat&);
template Gradients<double> backward<double>(const Parameters<double>&, const Cache<double>&,
                                            const arma::mat&, const arma::mat&);
template void update<float>(Parameters<float>&, Gradients<float>&, double);
template void update<double>(Parameters<double>&, Gradients<double>&, double);
template nn::BlocksOf<float> blocks<float>(Parameters<float>&, Gradients<float>&);
template nn::BlocksOf<double> blocks<double>(Parameters<double>&, Gradients<double>&);
template nn::BlocksOf<float> blocks<float>(Parameters<float>&);

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
  Gradients<double> g = backward(p, forward(p, X), X, Y);
  // … against (J(P + ε e_i) − J(P − ε e_i)) / 2ε for every element i of every block
  const auto J = [&] { return cost(forward(p, X), Y); };
  return nn::check_gradients(J, blocks(p, g));
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
  const nn::Mnist mnist = nn::load_mnist(dir, 28, 28);
  const arma::uword m = mnist.train_labels.n_elem;
  if (m <= n_validation)
    throw nn::DataError(dir.string() + ": " + std::to_string(m) +
                        " training images, and the last " + std::to_string(n_validation) +
                        " are held out for validation: the chapter needs more");
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

Evaluation evaluate(const Parameters<float>& p, const Split& s) {
  const Cache<float> c = forward(p, s.X);
  Evaluation e{cost(c, s.Y), 0.0, nn::predict_classes(c.A3)};
  e.accuracy = nn::accuracy(e.predicted, s.labels);
  return e;
}

namespace {

// X_batch(:, j) = X(:, batch(j)): the batch's samples, chosen by the epoch's order. The data set
// itself is never reordered or copied; only the batch's columns are, each one contiguous run of
// n_x pixels. Y_batch is rebuilt from the labels, one 1 per column.
void gather(const Split& s, const arma::uvec& batch, Workspace& w) {
  w.X.set_size(n_x, batch.n_elem);
  w.Y.zeros(n_3, batch.n_elem);
  w.labels.set_size(batch.n_elem);
  // [book:gather]
  for (arma::uword j = 0; j < batch.n_elem; ++j) {
    const arma::uword i = batch(j);
    std::copy_n(s.X.colptr(i), n_x, w.X.colptr(j));
    w.labels(j) = s.labels(i);
    w.Y(w.labels(j), j) = 1.0f;
  }
  // [/book:gather]
}

}  // namespace

void gradient(const Parameters<float>& p, const Split& s, const arma::uvec& batch, Workspace& w) {
  // [book:gradient]
  gather(s, batch, w);
  w.cache = forward(p, w.X);
  w.J = cost(w.cache, w.Y);
  w.grads = backward(p, w.cache, w.X, w.Y);
  // [/book:gradient]
}

namespace {

// One pass over the training set in a fresh random order; the mean loss and the accuracy
// (percent) of the mini-batches, each measured just before its own gradient step.
Evaluation train_epoch(Parameters<float>& p, const Split& s, float learning_rate,
                       arma::uword batch_size, nn::NumpyRandom& rng, const nn::Jobs& cores,
                       long& step) {
  const arma::uword m = s.labels.n_elem;
  const arma::uvec order = rng.permutation(m);
  std::array<Workspace, nn::TwoCores::count> work;  // each core's half of every batch
  double loss_sum = 0.0;
  // [book:epoch]
  for (arma::uword first = 0; first < m; first += batch_size) {
    const arma::uvec batch = order.subvec(first, std::min(first + batch_size, m) - 1);
    // gather → forward → cost → backward, each core on its half of the batch
    // (common/plumbing/data_parallel.hpp)
    const nn::Halves h =
        nn::gradient_on_two_cores(cores, batch, work, [&](const arma::uvec& half, Workspace& w) {
          gradient(p, s, half, w);
          w.correct += arma::accu(nn::predict_classes(w.cache.A3) == w.labels);
          return w.J;
        });
    const double J = h.cost();
    nn::check_cost(J, step);
    // P −= α dP with the whole batch's dP = Σ_k (m_k / m) dP_k: the update, once with each
    // half's gradient and its share of α
    for (int k = 0; k < h.used(); ++k) update(p, work[k].grads, learning_rate * h.weight(k));
    loss_sum += J * static_cast<double>(batch.n_elem);
    ++step;
  }
  // [/book:epoch]
  const arma::uword right = work[0].correct + work[1].correct;
  return {loss_sum / static_cast<double>(m), 100.0 * static_cast<double>(right) / m, {}};
}

}  // namespace

Trained train(Parameters<float> p, const Data& d, int epochs, float learning_rate,
              arma::uword batch_size, double target_loss, nn::NumpyRandom& rng,
              nn::Progress& progress, const nn::Jobs& cores) {
  History h;
  long step = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const nn::Stopwatch clock;
    const Evaluation t = train_epoch(p, d.train, learning_rate, batch_size, rng, cores, step);
    h.seconds.push_back(clock.seconds());
    const Evaluation v = evaluate(p, d.validation);
    h.train_loss.push_back(t.loss);
    h.train_accuracy.push_back(t.accuracy);
    h.validation_loss.push_back(v.loss);
    h.validation_accuracy.push_back(v.accuracy);
    progress.step(
        "epoch", epoch, epochs,
        {{"train loss", t.loss}, {"validation loss", v.loss}, {"accuracy %", v.accuracy}});
    if (v.loss <= target_loss) break;
  }
  return {std::move(p), std::move(h)};
}

// ---------------------------------------------------------------------------------------------
// The saved model

void save_model(Parameters<float> p, const fs::path& file) {
  nn::save_blocks(file, blocks(p));
}

Parameters<float> load_model(const fs::path& file) {
  // the lesson's shapes, which the file must hold; its values replace these
  nn::NumpyRandom rng(0);
  Parameters<float> p = convert<float>(initialize(rng, {n_x, n_1, n_2, n_3}));
  nn::load_blocks(file, blocks(p), "chapter 5's model.bin, as its training run writes it");
  return p;
}

// ---------------------------------------------------------------------------------------------
// The lesson

namespace {

// --load: the saved parameters, evaluated on the same held-out images.
Results evaluate_saved(const Options& o, const fs::path& data_dir) {
  const nn::Stopwatch clock;
  Results r;
  r.model = load_model(o.load);
  r.data = load_data(data_dir);
  r.validation = evaluate(r.model, r.data.validation);
  r.test = evaluate(r.model, r.data.test);
  // finite weights can still be absurd (a flipped exponent bit): a probability of 0 for a true
  // digit makes the loss infinite, and no trained model gives that
  for (const double loss : {r.validation.loss, r.test.loss})
    if (!std::isfinite(loss))
      throw nn::DataError(o.load.string() + ": the model's loss on the held-out images is " +
                          (std::isnan(loss) ? "NaN" : "inf") +
                          ": its weights are damaged or far too large, not a trained model's "
                          "(train again to write model.bin)");
  r.confusion = nn::confusion_matrix(r.test.predicted, r.data.test.labels, n_3);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace

Results run(const Options& o, std::uint32_t seed, const fs::path& data_dir, nn::Progress& progress,
            const nn::Jobs& cores) {
  if (!o.load.empty()) return evaluate_saved(o, data_dir);
  const nn::Stopwatch clock;
  Results r;
  // 1. The data: 55000 training, 5000 validation and 10000 test images.
  r.data = load_data(data_dir);
  const Data& d = r.data;
  const auto batch_size = static_cast<arma::uword>(o.batch_size);
  if (batch_size > d.train.labels.n_elem)
    throw nn::UsageError("--batch: " + std::to_string(batch_size) + " is larger than the " +
                         std::to_string(d.train.labels.n_elem) + " training samples");

  // 2. Is backpropagation right? The same code, in double, on a small network.
  r.check = gradient_check(seed, {28, 9, 6, n_3}, 5);

  // 3. Train the 784-64-16-10 network from Xavier weights.
  nn::NumpyRandom rng(seed);
  r.model = convert<float>(initialize(rng, {n_x, n_1, n_2, n_3}));
  const auto alpha = static_cast<float>(o.learning_rate);
  Trained t = train(r.model, d, o.epochs, alpha, batch_size, o.target_loss, rng, progress, cores);
  r.model = std::move(t.model);
  r.history = std::move(t.history);

  // 4. How well does it read digits it has never seen?
  r.validation = evaluate(r.model, d.validation);
  r.test = evaluate(r.model, d.test);
  r.confusion = nn::confusion_matrix(r.test.predicted, d.test.labels, n_3);

  // 5. Optional: the same training with other seeds, and the learning-rate × batch-size grid.
  r.seed_accuracies = {r.test.accuracy};
  nn::NoProgress quiet;
  for (int k = 1; k < o.seeds; ++k) {
    nn::NumpyRandom other(seed + static_cast<std::uint32_t>(k));
    Parameters<float> p = convert<float>(initialize(other, {n_x, n_1, n_2, n_3}));
    const Trained t = train(p, d, o.epochs, alpha, batch_size, o.target_loss, other, quiet, cores);
    r.seed_accuracies.push_back(evaluate(t.model, d.test).accuracy);
    progress.step("seed", k + 1, o.seeds, {{"test accuracy %", r.seed_accuracies.back()}});
  }
  if (o.study) r.study = study(d, seed, kStudyEpochs, kStudyRates, kStudyBatches, progress, cores);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace ch05
