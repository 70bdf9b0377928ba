// The lesson of chapter 07: the cliff of a recurrent unit, a deep network that explodes, and
// the threshold of clipping. run() tells it in the book's order.
#include "lesson.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/nn/activations.hpp"
#include "common/nn/clipping.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/initializers.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/stopwatch.hpp"

namespace ch07 {

// ---- 1. The cliff ----------------------------------------------------------------------------

double cliff_error(double w, double b) {
  return cliff_gradient(w, b).E;
}

arma::vec cliff_errors(const arma::vec& w, const arma::vec& b) {
  // the forward recursion of cliff_gradient, for every point (w_k, b_k) at once
  arma::vec x(w.n_elem, arma::fill::value(kCliffX0));
  for (int t = 1; t <= kCliffSteps; ++t) x = w % nn::sigmoid<double>(x) + b;
  return arma::square(nn::sigmoid<double>(x) - kCliffTarget);
}

// [book:bptt]
CliffGradient cliff_gradient(double w, double b) {
  // forward: x_t = w·σ(x_{t−1}) + b, kept for every t
  arma::vec x(kCliffSteps + 1);  // x: (T+1)
  x(0) = kCliffX0;
  for (int t = 1; t <= kCliffSteps; ++t) x(t) = w * nn::sigmoid(x(t - 1)) + b;
  const double s = nn::sigmoid(x(kCliffSteps));
  CliffGradient g{(s - kCliffTarget) * (s - kCliffTarget), 0.0, 0.0};
  // ∂E/∂x_T = 2(σ(x_T) − 0.7)·σ'(x_T)
  double dx = 2.0 * (s - kCliffTarget) * nn::sigmoid_prime(x(kCliffSteps));
  for (int t = kCliffSteps; t >= 1; --t) {
    // every step uses the same w and b, so their gradients add up over t
    g.dw += dx * nn::sigmoid(x(t - 1));  // ∂E/∂w += ∂E/∂x_t · σ(x_{t−1})
    g.db += dx;                          // ∂E/∂b += ∂E/∂x_t
    // ∂E/∂x_{t−1} = ∂E/∂x_t · w·σ'(x_{t−1}): one more factor of the product
    dx *= w * nn::sigmoid_prime(x(t - 1));
  }
  return g;
}
// [/book:bptt]

namespace {
// A step so long that (w, b), E or the gradient left the finite numbers: the run diverged, and
// the flag to blame is the step's size, --cliff-lr (the start itself is always finite).
void check_finite_point(double w, double b, const CliffGradient& g, long step) {
  const bool finite = std::isfinite(w) && std::isfinite(b) && std::isfinite(g.E) &&
                      std::isfinite(g.dw) && std::isfinite(g.db);
  if (!finite)
    throw nn::DivergedError("the cliff: gradient descent left the finite numbers at step " +
                                std::to_string(step) + " (try a smaller --cliff-lr)",
                            step);
}

// A step that dwarfs the point it starts from, so that w − Δw rounds to −Δw (w is lost to
// rounding, as with --cliff-lr 1e308), has thrown the descent out of the problem: it diverged.
void check_step(double w, double b, double dw, double db, long step) {
  const bool lost = (w != 0.0 && w - dw == -dw) || (b != 0.0 && b - db == -db);
  if (lost)
    throw nn::DivergedError("the cliff: the step to step " + std::to_string(step) +
                                " is so long that it loses the point it starts from" +
                                " (try a smaller --cliff-lr)",
                            step);
}
}  // namespace

// [book:descend]
CliffPath descend_cliff(double w0, double b0, double lr, int steps,
                        std::optional<double> threshold) {
  CliffPath path{arma::vec(steps + 1), arma::vec(steps + 1), arma::vec(steps + 1),
                 arma::vec(steps + 1)};
  double w = w0, b = b0;
  for (int k = 0; k <= steps; ++k) {
    const CliffGradient g = cliff_gradient(w, b);
    check_finite_point(w, b, g, k);
    arma::mat grad{g.dw, g.db};  // (∂E/∂w, ∂E/∂b)
    const nn::ClipReport report =
        threshold ? nn::clip_by_norm({&grad}, *threshold) : nn::ClipReport{arma::norm(grad), false};
    path.w(k) = w, path.b(k) = b, path.E(k) = g.E, path.grad_norm(k) = report.norm;
    if (k == steps) break;
    check_step(w, b, lr * grad(0), lr * grad(1), k + 1);
    w -= lr * grad(0);
    b -= lr * grad(1);
  }
  return path;
}
// [/book:descend]

Cliff cliff(const Options& o) {
  Cliff c;
  c.plain = descend_cliff(o.cliff_w0, o.cliff_b0, o.cliff_lr, o.cliff_steps, {});
  c.clipped = descend_cliff(o.cliff_w0, o.cliff_b0, o.cliff_lr, o.cliff_steps, o.cliff_threshold);
  c.jump = c.plain.grad_norm.index_max();
  // the two runs are one until the gradient first exceeds θ
  const arma::uvec above = arma::find(c.clipped.grad_norm > o.cliff_threshold, 1);
  if (!above.is_empty()) c.first_clip = above(0);
  // the surface: E over a kGrid × kGrid grid of the window
  const arma::mat P = nn::grid_points(kWLo, kWHi, kBLo, kBHi, kGrid);  // P: 2 × kGrid²
  c.w = P.row(0).t();
  c.b = P.row(1).t();
  c.E = cliff_errors(c.w, c.b);
  return c;
}

// ---- 2. The deep network ---------------------------------------------------------------------

// [book:deep_network]
nn::Mlp deep_network(const Options& options, std::uint32_t seed) {
  std::vector<arma::uword> sizes{2};
  for (int l = 1; l < options.layers; ++l) sizes.push_back(options.width);
  sizes.push_back(1);
  nn::Mlp net(sizes, options.activation, nn::Output::sigmoid);
  nn::NumpyRandom rng(seed);
  // W[l] = gain·N(0, 2/n_(l−1)): with gain > 1 each layer multiplies the signal by about gain,
  // forward and backward, so after L layers the gradient is about gain^L too large
  for (arma::uword l = 1; l <= net.layers(); ++l)
    net.W[l] = options.init_gain * nn::he(rng, sizes[l], sizes[l - 1]);
  return net;
}
// [/book:deep_network]

arma::uword parameter_count(const nn::Mlp& net) {
  arma::uword P = 0;
  for (arma::uword l = 1; l <= net.layers(); ++l) P += net.W[l].n_elem + net.b[l].n_elem;
  return P;
}

double Training::fraction_clipped() const {
  return steps() == 0 ? 0.0 : static_cast<double>(clipped_steps) / static_cast<double>(steps());
}

double Training::mean_cosine() const {
  return clipped_steps == 0 ? 1.0 : cosine_sum / static_cast<double>(clipped_steps);
}

namespace {
// The clipping rule applied to the gradient before the step.
nn::ClipReport clip_gradients(const nn::Blocks& blocks, Clip clip, double threshold) {
  switch (clip) {
    case Clip::by_norm:
      return nn::clip_by_norm(blocks, threshold);
    case Clip::by_value:
      return nn::clip_by_value(blocks, threshold);
    case Clip::none:
      break;
  }
  return {nn::global_norm(nn::gradients(blocks)), false};
}

// cos ∠(g, ĝ) over all blocks: 1 when the clipped step ĝ points where the gradient g does.
double cosine(const nn::Blocks& g, const nn::Blocks& g_hat) {
  const std::vector<arma::mat*> u = nn::gradients(g), v = nn::gradients(g_hat);
  double dot = 0.0;
  for (std::size_t k = 0; k < u.size(); ++k) dot += arma::dot(*u[k], *v[k]);
  return dot / (nn::global_norm(u) * nn::global_norm(v));
}
}  // namespace

// [book:train]
Training train(nn::Mlp net, const nn::Dataset& data, double lr, int iterations, Clip clip,
               double threshold) {
  Training run;
  nn::MlpCache cache;
  try {
    for (long i = 0;; ++i) {
      cache = nn::forward(net, data.X);
      const double J = nn::cost(net, cache, data.Y);
      // throws when J is inf or NaN; no ceiling: this chapter's clipped runs come back from
      // saturated outputs (a bounded step undoes logits that a deep product made huge)
      nn::check_cost(J, i, nn::kNoCeiling);
      run.cost.push_back(J);
      if (i == iterations) break;
      nn::MlpGradients grads = nn::backward(net, cache, data.X, data.Y);
      nn::MlpGradients gradient = grads;  // g before clipping, to measure the turn
      // clip (or not), remembering ‖g‖ before clipping
      const nn::ClipReport report = clip_gradients(nn::blocks(net, grads), clip, threshold);
      run.grad_norm.push_back(report.norm);
      run.clipped_steps += report.clipped;
      if (report.clipped)
        run.cosine_sum += cosine(nn::blocks(net, gradient), nn::blocks(net, grads));
      nn::update(net, grads, lr);  // W[l] −= α dW[l], b[l] −= α db[l]
    }
  } catch (const nn::DivergedError& e) {
    run.diverged_at = e.iteration;  // the expected outcome of an exploding run: report it
    return run;
  }
  run.accuracy = nn::binary_accuracy(cache.A[net.layers()], data.Y);
  return run;
}
// [/book:train]

Divergence why_diverged(const Training& run, double threshold) {
  // the initial network is already inf/NaN, or its gradient overflowed: the network amplifies
  const bool overflow =
      run.cost.empty() || std::any_of(run.grad_norm.begin(), run.grad_norm.end(),
                                      [](double norm) { return !std::isfinite(norm); });
  if (overflow) return Divergence::amplified;
  // every gradient was below θ: clipping never acted
  const bool never_clipped = std::all_of(run.grad_norm.begin(), run.grad_norm.end(),
                                         [&](double norm) { return norm <= threshold; });
  return never_clipped ? Divergence::never_clipped : Divergence::steps_too_long;
}

Deep deep(const Options& o, const nn::Dataset& data, std::uint32_t seed) {
  const nn::Mlp net = deep_network(o, seed);
  const arma::uword P = parameter_count(net);
  // c = θ/√P: the box [−c, c]^P fits inside the ball ‖g‖ ≤ θ, so both rules bound the step
  const double c = o.threshold / std::sqrt(static_cast<double>(P));
  return {P, c, train(net, data, o.lr, o.iterations, Clip::none, 0.0),
          train(net, data, o.lr, o.iterations, Clip::by_norm, o.threshold),
          train(net, data, o.lr, o.iterations, Clip::by_value, c)};
}

// ---- 3. The threshold ------------------------------------------------------------------------

double SweepPoint::mean_final_loss() const {
  double sum = 0.0;
  long n = 0;
  for (const Training& run : runs)
    if (!run.diverged_at) sum += run.cost.back(), ++n;
  return n == 0 ? arma::datum::nan : sum / static_cast<double>(n);
}

long SweepPoint::diverged() const {
  return std::count_if(runs.begin(), runs.end(), [](const Training& r) { return r.diverged_at; });
}

std::vector<SweepPoint> threshold_sweep(const nn::Dataset& data, const Options& options,
                                        std::uint32_t seed, int initialisations,
                                        double average_norm, const std::vector<double>& multiples,
                                        nn::Progress& progress) {
  std::vector<SweepPoint> sweep;
  for (double multiple : multiples) {
    SweepPoint point{multiple, multiple * average_norm, {}};
    progress.step("threshold", static_cast<long>(sweep.size()) + 1,
                  static_cast<long>(multiples.size()), {{"θ", point.threshold}});
    for (int k = 0; k < initialisations; ++k)
      point.runs.push_back(train(deep_network(options, seed + static_cast<std::uint32_t>(k)), data,
                                 options.lr, options.iterations, Clip::by_norm, point.threshold));
    sweep.push_back(std::move(point));
  }
  return sweep;
}

// ---- The story -------------------------------------------------------------------------------

Results run(const Options& options, std::uint32_t seed, nn::Progress& progress) {
  const nn::Stopwatch clock;
  // 1. the cliff: one recurrent unit, with and without clipping
  Cliff c = cliff(options);
  // 2. the deep network on the flower: no clipping, clip by norm, clip by value
  const nn::Dataset data = nn::make_planar_flower(1);
  Deep d = deep(options, data, seed);
  // the clipped run must train (when it does, the first cost of all three runs is finite)
  if (d.by_norm.diverged_at)
    return {std::move(c), std::move(d), arma::datum::nan, {}, clock.seconds()};
  // 3. the threshold: multiples of the average gradient norm of the clip-by-norm run
  const double average = arma::mean(arma::vec(d.by_norm.grad_norm));
  const std::vector<double> multiples{0.1, 0.5, 1, 2, 5, 10, 100};
  std::vector<SweepPoint> sweep =
      threshold_sweep(data, options, seed, kInitialisations, average, multiples, progress);
  return {std::move(c), std::move(d), average, std::move(sweep), clock.seconds()};
}

}  // namespace ch07
