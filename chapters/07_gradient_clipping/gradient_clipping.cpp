#include "gradient_clipping.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "common/clipping.hpp"
#include "common/errors.hpp"
#include "common/grid.hpp"
#include "common/initializers.hpp"
#include "common/metrics.hpp"
#include "common/numpy_random.hpp"
#include "common/plot.hpp"
#include "common/progress.hpp"
#include "common/results.hpp"
#include "common/stopwatch.hpp"

namespace ch07 {

namespace {
double sigma(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}
double sigma_prime(double z) {
  return sigma(z) * (1.0 - sigma(z));
}
}  // namespace

// ---- 1. The cliff ----------------------------------------------------------------------------

double cliff_error(double w, double b) {
  return cliff_gradient(w, b).E;
}

// [book:bptt]
CliffGradient cliff_gradient(double w, double b) {
  // forward: x_t = w·σ(x_{t−1}) + b, kept for every t
  arma::vec x(kCliffSteps + 1);  // x: (T+1)
  x(0) = kCliffX0;
  for (int t = 1; t <= kCliffSteps; ++t) x(t) = w * sigma(x(t - 1)) + b;
  const double s = sigma(x(kCliffSteps));
  CliffGradient g{(s - kCliffTarget) * (s - kCliffTarget), 0.0, 0.0};
  // ∂E/∂x_T = 2(σ(x_T) − 0.7)·σ'(x_T)
  double dx = 2.0 * (s - kCliffTarget) * sigma_prime(x(kCliffSteps));
  for (int t = kCliffSteps; t >= 1; --t) {
    // every step uses the same w and b, so their gradients add up over t
    g.dw += dx * sigma(x(t - 1));  // ∂E/∂w += ∂E/∂x_t · σ(x_{t−1})
    g.db += dx;                    // ∂E/∂b += ∂E/∂x_t
    // ∂E/∂x_{t−1} = ∂E/∂x_t · w·σ'(x_{t−1}): one more factor of the product
    dx *= w * sigma_prime(x(t - 1));
  }
  return g;
}
// [/book:bptt]

// [book:descend]
CliffPath descend_cliff(double w0, double b0, double lr, int steps,
                        std::optional<double> threshold) {
  CliffPath path{arma::vec(steps + 1), arma::vec(steps + 1), arma::vec(steps + 1),
                 arma::vec(steps + 1)};
  double w = w0, b = b0;
  for (int k = 0; k <= steps; ++k) {
    const CliffGradient g = cliff_gradient(w, b);
    nn::check_finite(g.E, k, "the cliff's error");
    arma::mat grad{g.dw, g.db};  // (∂E/∂w, ∂E/∂b)
    const nn::ClipReport report =
        threshold ? nn::clip_by_norm({&grad}, *threshold) : nn::ClipReport{arma::norm(grad), false};
    path.w(k) = w, path.b(k) = b, path.E(k) = g.E, path.grad_norm(k) = report.norm;
    if (k == steps) break;
    w -= lr * grad(0);
    b -= lr * grad(1);
  }
  return path;
}
// [/book:descend]

// ---- 2. The deep network ---------------------------------------------------------------------

// [book:deep_network]
nn::Mlp deep_network(const Options& options, std::uint32_t seed) {
  std::vector<arma::uword> sizes{2};
  for (int l = 1; l < options.layers; ++l) sizes.push_back(options.width);
  sizes.push_back(1);
  nn::Mlp net(sizes, nn::Activation::leaky_relu, nn::Output::sigmoid);
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
nn::ClipReport clip_gradients(nn::MlpGradients& grads, Clip clip, double threshold) {
  switch (clip) {
    case Clip::by_norm:
      return nn::clip_by_norm(grads, threshold);
    case Clip::by_value:
      return nn::clip_by_value(grads, threshold);
    case Clip::none:
      break;
  }
  return {nn::global_norm(nn::gradient_blocks(grads)), false};
}

// cos ∠(g, ĝ) over all blocks: 1 when the clipped step ĝ points where the gradient g does.
double cosine(nn::MlpGradients& g, nn::MlpGradients& g_hat) {
  const std::vector<arma::mat*> u = nn::gradient_blocks(g), v = nn::gradient_blocks(g_hat);
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
      nn::forward(net, data.X, cache);
      const double J = nn::cost(net, cache, data.Y);
      nn::check_finite(J, i);  // throws when the loss is inf or NaN
      run.cost.push_back(J);
      if (i == iterations) break;
      nn::MlpGradients grads = nn::backward(net, cache, data.Y);
      nn::MlpGradients gradient = grads;  // g before clipping, to measure the turn
      // clip (or not), remembering ‖g‖ before clipping
      const nn::ClipReport report = clip_gradients(grads, clip, threshold);
      run.grad_norm.push_back(report.norm);
      run.clipped_steps += report.clipped;
      if (report.clipped) run.cosine_sum += cosine(gradient, grads);
      nn::gradient_step(net, grads, lr);  // W[l] −= α dW[l], b[l] −= α db[l]
    }
  } catch (const nn::DivergedError& e) {
    run.diverged_at = e.iteration;  // the expected outcome of an exploding run: report it
    return run;
  }
  run.accuracy = nn::binary_accuracy(cache.A[net.layers()], data.Y);
  return run;
}
// [/book:train]

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
                                        double average_norm, const std::vector<double>& multiples) {
  std::vector<SweepPoint> sweep;
  nn::Progress progress;
  for (double multiple : multiples) {
    SweepPoint point{multiple, multiple * average_norm, {}};
    char text[80];
    std::snprintf(text, sizeof text, "threshold sweep %zu/%zu: θ = %.3f", sweep.size() + 1,
                  multiples.size(), point.threshold);
    progress.update(text);
    for (int k = 0; k < initialisations; ++k)
      point.runs.push_back(train(deep_network(options, seed + static_cast<std::uint32_t>(k)), data,
                                 options.lr, options.iterations, Clip::by_norm, point.threshold));
    sweep.push_back(std::move(point));
  }
  progress.finish();
  return sweep;
}

// ---- The story -------------------------------------------------------------------------------

namespace {

// The window of the error surface: both plateaus and the wall between them.
constexpr double kWLo = 3.5, kWHi = 5.5, kBLo = -3.0, kBHi = -1.5;
constexpr arma::uword kGrid = 201;

void cliff_figures(const nn::Figures& fig, const CliffPath& plain, const CliffPath& clipped,
                   double threshold) {
  const arma::mat P = nn::grid_points(kWLo, kWHi, kBLo, kBHi, kGrid);  // P: 2 × kGrid²
  const arma::vec w = P.row(0).t(), b = P.row(1).t();
  arma::vec E(w.n_elem);
  for (arma::uword k = 0; k < w.n_elem; ++k) E(k) = cliff_error(w(k), b(k));
  fig.csv("cliff_surface.csv", {"w", "b", "E"}, {w, b, E});
  const arma::vec step = arma::regspace(0.0, static_cast<double>(plain.w.n_elem - 1));
  fig.csv("cliff_unclipped.csv", {"step", "w", "b", "E", "grad_norm"},
          {step, plain.w, plain.b, plain.E, plain.grad_norm});
  fig.csv("cliff_clipped.csv", {"step", "w", "b", "E", "grad_norm"},
          {step, clipped.w, clipped.b, clipped.E, clipped.grad_norm});
  std::ostringstream s;
  s << "set title 'The cliff: E = (σ(x_{50}) − 0.7)^2 over (w, b), gradient descent from the "
       "same start'\n"
       "set xlabel 'w'\nset ylabel 'b'\nset cblabel 'error E'\n"
       "set xrange ["
    << kWLo << ":" << kWHi << "]\nset yrange [" << kBLo << ":" << kBHi
    << "]\nset palette defined (0 '#08306b', 0.1 '#2171b5', 0.25 '#6baed6', 0.5 '#fee391', "
       "1 '#fff7ec')\nset key bottom left opaque box\n"
       "set label 1 sprintf('without clipping: thrown to (%.1f, %.1f), E = %.3f', "
    << plain.w(plain.w.n_elem - 1) << ", " << plain.b(plain.b.n_elem - 1) << ", "
    << plain.E(plain.E.n_elem - 1)
    << ") at graph 0.98, graph 0.95 right front textcolor 'red'\n"
       "plot 'cliff_surface.csv' every ::1 using 1:2:3 with image notitle, \\\n"
       "  'cliff_clipped.csv' every ::1 using 2:3 with linespoints pt 7 ps 0.5 lw 2.5 "
       "lc 'web-green' title sprintf('clipped by norm, θ = %g', "
    << threshold
    << "), \\\n"
       "  'cliff_unclipped.csv' every ::1 using 2:3 with linespoints pt 7 ps 0.4 lw 1.5 "
       "lc 'red' title 'without clipping', \\\n"
       "  'cliff_clipped.csv' every ::1::1 using 2:3 with points pt 9 ps 2.5 lc 'black' "
       "title 'start', \\\n"
       "  'cliff_clipped.csv' every ::"
    << clipped.w.n_elem
    << " using 2:3 with points pt 3 ps 3 lw 2 lc 'black' "
       "title 'end of the clipped run'\n";
  fig.draw("cliff_surface", s.str(), 900, 650);
  fig.draw("cliff_gradient_norm",
           "set title 'The cliff: gradient norm along each path'\n"
           "set xlabel 'gradient-descent step'\nset ylabel '‖(∂E/∂w, ∂E/∂b)‖'\n"
           "set logscale y\nset format y '10^{%T}'\nset key bottom right opaque box\n"
           "plot 'cliff_unclipped.csv' using 1:5 with lines lw 2 lc 'red' "
           "title 'without clipping', \\\n"
           "  'cliff_clipped.csv' using 1:5 with lines lw 2 lc 'web-green' "
           "title 'clipped by norm (before clipping)', \\\n  " +
               std::to_string(threshold) + " with lines dt 2 lc 'black' title 'θ'\n");
}

nn::Json cliff(const Options& o, const nn::Figures& fig) {
  std::cout << "1. The cliff: x_t = w·σ(x_{t−1}) + b, 50 steps, E = (σ(x_50) − 0.7)²\n";
  const CliffPath plain = descend_cliff(o.cliff_w0, o.cliff_b0, o.cliff_lr, o.cliff_steps, {});
  const CliffPath clipped =
      descend_cliff(o.cliff_w0, o.cliff_b0, o.cliff_lr, o.cliff_steps, o.cliff_threshold);
  const arma::uword last = plain.w.n_elem - 1, jump = plain.grad_norm.index_max();
  std::printf("   from (w, b) = (%g, %g), E = %.4f, %d steps of learning rate %g\n", o.cliff_w0,
              o.cliff_b0, plain.E(0), o.cliff_steps, o.cliff_lr);
  // the two runs are one until the gradient first exceeds θ (−1: it never does)
  const arma::uvec above = arma::find(clipped.grad_norm > o.cliff_threshold, 1);
  const long first_clip = above.is_empty() ? -1 : static_cast<long>(above(0));
  std::printf("   both runs take the same steps until the gradient first exceeds θ, at step %ld\n",
              first_clip);
  std::printf(
      "   without clipping: largest gradient norm %.1f at step %llu, ends at (%.2f, %.2f)"
      ", E = %.4f\n",
      plain.grad_norm(jump), static_cast<unsigned long long>(jump), plain.w(last), plain.b(last),
      plain.E(last));
  std::printf("   clipped by norm at θ = %g: ends at (%.2f, %.2f), E = %.6f\n", o.cliff_threshold,
              clipped.w(last), clipped.b(last), clipped.E(last));
  cliff_figures(fig, plain, clipped, o.cliff_threshold);
  return nn::Json{{"start_w", o.cliff_w0},
                  {"start_b", o.cliff_b0},
                  {"start_error", plain.E(0)},
                  {"learning_rate", o.cliff_lr},
                  {"steps", o.cliff_steps},
                  {"threshold", o.cliff_threshold},
                  {"max_grad_norm", plain.grad_norm(jump)},
                  {"max_grad_norm_step", jump},
                  {"first_clipped_step", first_clip},
                  {"unclipped_final_error", plain.E(last)},
                  {"unclipped_end", {plain.w(last), plain.b(last)}},
                  {"clipped_final_error", clipped.E(last)},
                  {"clipped_end", {clipped.w(last), clipped.b(last)}}};
}

arma::vec as_vec(const std::vector<double>& v) {
  return arma::vec(v);
}

void deep_figures(const nn::Figures& fig, const Options& o, const Training& plain,
                  const Training& by_norm, const Training& by_value) {
  // x = step + 1, so that a log scale shows the first few steps and the last ones together
  const auto steps = [](const std::vector<double>& v) {
    return arma::regspace(1.0, static_cast<double>(v.size()));
  };
  fig.csv("loss_unclipped.csv", {"step+1", "loss"}, {steps(plain.cost), as_vec(plain.cost)});
  fig.csv("loss_clip_norm.csv", {"step+1", "loss"}, {steps(by_norm.cost), as_vec(by_norm.cost)});
  fig.csv("loss_clip_value.csv", {"step+1", "loss"}, {steps(by_value.cost), as_vec(by_value.cost)});
  fig.csv("grad_norm.csv", {"step+1", "norm_clip_norm"},
          {steps(by_norm.grad_norm), as_vec(by_norm.grad_norm)});
  std::ostringstream s;
  s << "set title 'A " << o.layers
    << "-layer leaky-ReLU network on the flower, He initialisation × " << o.init_gain
    << "'\nset xlabel 'gradient-descent step + 1 (log scale)'\nset ylabel 'cross-entropy loss'\n"
       "set logscale xy\nset format y '10^{%T}'\nset yrange [0.05:1e4]\nset key top right\nset "
       "xrange [1:"
    << o.iterations + 1 << "]\n";
  if (plain.diverged_at)
    s << "set arrow 1 from " << *plain.diverged_at + 1 << ", graph 0 to " << *plain.diverged_at + 1
      << ", graph 1 nohead dt 2 lw 2 lc 'red'\n"
      << "set label 1 sprintf('no clipping: loss %.1e after step " << *plain.diverged_at - 1
      << ", NaN at step " << *plain.diverged_at << "', " << plain.cost.back() << ") at "
      << *plain.diverged_at + 1 << ", graph 0.6 offset 1,0 textcolor 'red'\n";
  s << "plot 'loss_unclipped.csv' every ::1 using 1:2 with linespoints pt 7 lw 2 lc 'red' "
       "title 'no clipping', \\\n"
       "  'loss_clip_norm.csv' every ::1 using 1:2 with lines lw 2 lc 'web-green' "
       "title 'clip by norm', \\\n"
       "  'loss_clip_value.csv' every ::1 using 1:2 with lines lw 2 lc 'blue' "
       "title 'clip by value'\n";
  fig.draw("deep_loss", s.str());
  std::ostringstream t;
  t << "set title 'Clip by norm: the gradient norm before clipping, θ = " << o.threshold
    << "'\nset xlabel 'gradient-descent step + 1'\nset ylabel '‖g‖ over all layers'\n"
       "set logscale y\nset format y '10^{%T}'\nset key top right opaque box\n"
       "plot 'grad_norm.csv' every ::1 using 1:2 with lines lc 'web-green' title '‖g‖', \\\n  "
    << o.threshold << " with lines lw 2 dt 2 lc 'black' title 'θ (clipped above)'\n";
  fig.draw("deep_grad_norm", t.str());
}

nn::Json deep(const Options& o, const nn::Dataset& data, const nn::Mlp& net, double value_c,
              const nn::Figures& fig, Training& by_norm) {
  std::printf(
      "\n2. A %d-layer leaky-ReLU network (%llu parameters), He initialisation × %g, "
      "learning rate %g, %d steps\n",
      o.layers, static_cast<unsigned long long>(parameter_count(net)), o.init_gain, o.lr,
      o.iterations);
  const Training plain = train(net, data, o.lr, o.iterations, Clip::none, 0.0);
  by_norm = train(net, data, o.lr, o.iterations, Clip::by_norm, o.threshold);
  const Training by_value = train(net, data, o.lr, o.iterations, Clip::by_value, value_c);
  // the clipped run must train; when it does, the first cost of all three runs is finite
  if (by_norm.diverged_at)
    throw nn::DivergedError("clipped by norm, the network still diverged at step " +
                                std::to_string(*by_norm.diverged_at) +
                                " (try a smaller --threshold)",
                            *by_norm.diverged_at);
  std::printf("   initial loss %.3f, initial gradient norm %.1f\n", plain.cost.front(),
              plain.grad_norm.front());
  if (plain.diverged_at)
    std::printf(
        "   without clipping: the loss is inf/NaN at step %ld (it was %.3g one step "
        "before): diverged\n",
        *plain.diverged_at, plain.cost.back());
  else
    std::printf("   without clipping: final loss %.4f (did not diverge)\n", plain.cost.back());
  std::printf(
      "   clip by norm,  θ = %g:       final loss %.4f, accuracy %.1f %%, %.1f %% of "
      "steps clipped, cos(g, step) = %.3f\n",
      o.threshold, by_norm.cost.back(), by_norm.accuracy, 100.0 * by_norm.fraction_clipped(),
      by_norm.mean_cosine());
  if (by_value.diverged_at)
    std::printf("   clip by value, c = θ/√P = %.4f: diverged at step %ld\n", value_c,
                *by_value.diverged_at);
  else
    std::printf(
        "   clip by value, c = θ/√P = %.4f: final loss %.4f, accuracy %.1f %%, %.1f %% "
        "of steps clipped, cos(g, step) = %.3f\n",
        value_c, by_value.cost.back(), by_value.accuracy, 100.0 * by_value.fraction_clipped(),
        by_value.mean_cosine());
  deep_figures(fig, o, plain, by_norm, by_value);
  nn::Json j{{"layers", o.layers},
             {"width", o.width},
             {"parameters", parameter_count(net)},
             {"init_gain", o.init_gain},
             {"learning_rate", o.lr},
             {"iterations", o.iterations},
             {"threshold", o.threshold},
             {"value_threshold", value_c},
             {"initial_loss", plain.cost.front()},
             {"initial_grad_norm", plain.grad_norm.front()},
             {"diverged_without_clipping", plain.diverged_at.has_value()}};
  j["divergence_step"] = plain.diverged_at ? nn::Json(*plain.diverged_at) : nn::Json(nullptr);
  j["last_finite_loss_without_clipping"] = plain.cost.back();
  j["final_loss_clip_norm"] = by_norm.cost.back();
  j["accuracy_clip_norm"] = by_norm.accuracy;
  j["final_loss_clip_value"] =
      by_value.diverged_at ? nn::Json(nullptr) : nn::Json(by_value.cost.back());
  j["accuracy_clip_value"] = by_value.diverged_at ? nn::Json(nullptr) : nn::Json(by_value.accuracy);
  j["fraction_clipped"] = by_norm.fraction_clipped();
  j["fraction_clipped_value"] = by_value.fraction_clipped();
  j["mean_cosine_clip_norm"] = by_norm.mean_cosine();
  j["mean_cosine_clip_value"] = by_value.mean_cosine();
  return j;
}

nn::Json sweep(const Options& o, const nn::Dataset& data, std::uint32_t seed, double average,
               const nn::Figures& fig) {
  constexpr int kInitialisations = 3;
  std::printf(
      "\n3. Choosing θ: the average gradient norm (before clipping) was %.3f;\n"
      "   final loss for θ = multiple × average, mean of %d initialisations\n",
      average, kInitialisations);
  const std::vector<double> multiples{0.1, 0.5, 1, 2, 5, 10, 100};
  const std::vector<SweepPoint> points =
      threshold_sweep(data, o, seed, kInitialisations, average, multiples);
  nn::Json list = nn::Json::array();
  arma::vec theta(points.size()), mean(points.size());
  std::vector<arma::vec> each(kInitialisations, arma::vec(points.size()));
  for (std::size_t k = 0; k < points.size(); ++k) {
    const SweepPoint& p = points[k];
    theta(k) = p.threshold;
    mean(k) = p.mean_final_loss();
    nn::Json losses = nn::Json::array();
    for (int r = 0; r < kInitialisations; ++r) {
      const Training& run = p.runs[r];
      each[r](k) = run.diverged_at ? arma::datum::nan : run.cost.back();
      losses.push_back(run.diverged_at ? nn::Json(nullptr) : nn::Json(run.cost.back()));
    }
    std::printf("   θ = %5.1f × average = %7.3f: final loss %.4f", p.multiple, p.threshold,
                mean(k));
    if (p.diverged() > 0) std::printf(" (%ld of the runs diverged)", p.diverged());
    std::printf("\n");
    list.push_back({{"multiple", p.multiple},
                    {"threshold", p.threshold},
                    {"final_loss", std::isfinite(mean(k)) ? nn::Json(mean(k)) : nn::Json(nullptr)},
                    {"final_losses", losses},
                    {"diverged", p.diverged()}});
  }
  std::vector<arma::vec> columns{theta, mean};
  columns.insert(columns.end(), each.begin(), each.end());
  fig.csv("threshold_sweep.csv", {"threshold", "mean", "run_1", "run_2", "run_3"}, columns);
  std::ostringstream s;
  s << "set title 'Clip by norm: final loss after " << o.iterations
    << " steps for each threshold θ'\nset xlabel 'θ (log scale)'\n"
       "set ylabel 'final cross-entropy loss'\nset logscale x\nset key top left opaque box\n"
       "set yrange [0:*]\nset object 1 rect from "
    << 0.5 * average << ", graph 0 to " << 10 * average
    << ", graph 1 fillcolor 'light-green' fillstyle solid 0.3 noborder behind\n"
       "set arrow 1 from "
    << average << ", graph 0 to " << average
    << ", graph 1 nohead dt 2 lc 'black'\n"
       "set label 1 'average ‖g‖' at "
    << average
    << ", graph 0.05 offset 0.5,0\n"
       "plot 'threshold_sweep.csv' every ::1 using 1:3 with points pt 6 lc 'gray40' "
       "title 'one initialisation', \\\n"
       "  '' every ::1 using 1:4 with points pt 6 lc 'gray40' notitle, \\\n"
       "  '' every ::1 using 1:5 with points pt 6 lc 'gray40' notitle, \\\n"
       "  '' every ::1 using 1:2 with linespoints pt 7 ps 1.2 lw 2 lc 'web-green' "
       "title 'mean (shaded: ½ to 10 × average ‖g‖)'\n";
  fig.draw("threshold_sweep", s.str());
  return list;
}

}  // namespace

void run(const Options& options, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  const nn::Figures fig(common.out_dir, common.plots);
  nn::Json results;
  results["cliff"] = cliff(options, fig);

  const nn::Dataset data = nn::make_planar_flower(1);
  const nn::Mlp net = deep_network(options, common.seed);
  // c = θ/√P: the box [−c, c]^P fits inside the ball ‖g‖ ≤ θ, so both rules bound the step
  const double value_c = options.threshold / std::sqrt(static_cast<double>(parameter_count(net)));
  Training by_norm;
  results["deep"] = deep(options, data, net, value_c, fig, by_norm);
  const double average = arma::mean(as_vec(by_norm.grad_norm));
  results["average_grad_norm"] = average;
  results["threshold_sweep"] = sweep(options, data, common.seed, average, fig);

  std::ostringstream headline;
  headline.precision(3);
  headline << "cliff E " << results["cliff"]["unclipped_final_error"].get<double>() << " → "
           << results["cliff"]["clipped_final_error"].get<double>() << " clipped; deep net "
           << (results["deep"]["diverged_without_clipping"].get<bool>()
                   ? "diverged at step " + results["deep"]["divergence_step"].dump()
                   : std::string("did not diverge"))
           << ", clipped loss " << results["deep"]["final_loss_clip_norm"].get<double>();
  results["headline"] = headline.str();
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
  std::cout << "\n" << headline.str() << "\n";
}

}  // namespace ch07
