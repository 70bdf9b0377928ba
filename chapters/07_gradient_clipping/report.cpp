// What chapter 07 shows: the summary of each part, the figures (the cliff's surface and
// gradient norms, the deep network's loss and gradient norm, the threshold sweep) and
// results.json, all from the Results of run().
#include "report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch07 {

namespace {

// ---- 1. The cliff ----------------------------------------------------------------------------

void cliff_figures(const nn::Figures& fig, const Cliff& c, double threshold) {
  const CliffPath &plain = c.plain, &clipped = c.clipped;
  const arma::uword last = plain.w.n_elem - 1;
  fig.csv("cliff_surface.csv", {"w", "b", "E"}, {c.w, c.b, c.E});
  const arma::vec step = arma::regspace(0.0, static_cast<double>(last));
  fig.csv("cliff_unclipped.csv", {"step", "w", "b", "E", "grad_norm"},
          {step, plain.w, plain.b, plain.E, plain.grad_norm});
  fig.csv("cliff_clipped.csv", {"step", "w", "b", "E", "grad_norm"},
          {step, clipped.w, clipped.b, clipped.E, clipped.grad_norm});
  fig.draw(
      "cliff_surface",
      fmt::format("set title 'The cliff: E = (σ(x_{{50}}) − 0.7)^2 over (w, b), gradient descent "
                  "from the same start'\n"
                  "set xlabel 'w'\nset ylabel 'b'\nset cblabel 'error E'\n"
                  "set xrange [{:g}:{:g}]\nset yrange [{:g}:{:g}]\n"
                  "set palette defined (0 '#08306b', 0.1 '#2171b5', 0.25 '#6baed6', "
                  "0.5 '#fee391', 1 '#fff7ec')\nset key bottom left opaque box\n"
                  "set label 1 sprintf('without clipping: thrown to (%.1f, %.1f), E = %.3f', "
                  "{:g}, {:g}, {:g}) at graph 0.98, graph 0.95 right front textcolor 'red'\n"
                  "plot 'cliff_surface.csv' every ::1 using 1:2:3 with image notitle, \\\n"
                  "  'cliff_clipped.csv' every ::1 using 2:3 with linespoints pt 7 ps 0.5 lw 2.5 "
                  "lc 'web-green' title sprintf('clipped by norm, θ = %g', {:g}), \\\n"
                  "  'cliff_unclipped.csv' every ::1 using 2:3 with linespoints pt 7 ps 0.4 lw 1.5 "
                  "lc 'red' title 'without clipping', \\\n"
                  "  'cliff_clipped.csv' every ::1::1 using 2:3 with points pt 9 ps 2.5 lc 'black' "
                  "title 'start', \\\n"
                  "  'cliff_clipped.csv' every ::{} using 2:3 with points pt 3 ps 3 lw 2 "
                  "lc 'black' title 'end of the clipped run'\n",
                  kWLo, kWHi, kBLo, kBHi, plain.w(last), plain.b(last), plain.E(last), threshold,
                  clipped.w.n_elem),
      900, 650);
  // Thrown onto the plateau, the plain run's gradient rounds to exactly 0, which a log scale
  // cannot show: those steps are drawn on the bottom edge, a decade below every other norm, and
  // labelled.
  const arma::vec norms = arma::join_cols(plain.grad_norm, clipped.grad_norm);
  const arma::vec positive = norms.elem(arma::find(norms > 0));
  const double bottom =
      positive.empty() ? 1e-3 : std::pow(10.0, std::floor(std::log10(positive.min())) - 1);
  const arma::uvec zero = arma::find(plain.grad_norm == 0.0);
  std::string zero_label;
  if (!zero.empty())
    zero_label = fmt::format(
        "set label 1 \"without clipping: ‖g‖ = 0 exactly from step {0} on,\\ndrawn on the "
        "bottom edge (a log scale has no 0)\" at {0}, {1:g} offset 1,0 textcolor 'red'\n",
        zero(0), 3 * bottom);
  fig.draw("cliff_gradient_norm",
           "set title 'The cliff: gradient norm along each path'\n"
           "set xlabel 'gradient-descent step'\nset ylabel '‖(∂E/∂w, ∂E/∂b)‖'\n"
           "set logscale y\nset format y '10^{%T}'\nset key top right opaque box\n" +
               fmt::format("set yrange [{0:g}:*]\n", bottom) + zero_label +
               "plot 'cliff_unclipped.csv' every ::1 using 1:($5 > 0 ? $5 : " +
               fmt::format("{:g}", bottom) +
               ") with lines lw 2 lc 'red' title 'without clipping', \\\n"
               "  'cliff_clipped.csv' every ::1 using 1:5 with lines lw 2 lc 'web-green' "
               "title 'clipped by norm (before clipping)', \\\n  " +
               std::to_string(threshold) + " with lines dt 2 lc 'black' title 'θ'\n");
}

void print_cliff(const Cliff& c, const Options& o) {
  const CliffPath &plain = c.plain, &clipped = c.clipped;
  const arma::uword last = plain.w.n_elem - 1;
  fmt::print("1. The cliff: x_t = w·σ(x_{{t−1}}) + b, 50 steps, E = (σ(x_50) − 0.7)²\n");
  fmt::print("   from (w, b) = ({:g}, {:g}), E = {:.4f}, {} steps of learning rate {:g}\n",
             o.cliff_w0, o.cliff_b0, plain.E(0), o.cliff_steps, o.cliff_lr);
  if (c.first_clip)
    fmt::print("   both runs take the same steps until the gradient first exceeds θ, at step {}\n",
               *c.first_clip);
  else
    fmt::print("   the gradient never exceeds θ = {:g}: both runs take the same steps\n",
               o.cliff_threshold);
  fmt::print(
      "   without clipping: largest gradient norm {} at step {}, ends at ({:.2f}, {:.2f}), "
      "E = {:.4f}\n",
      nn::fixed(plain.grad_norm(c.jump), 1), c.jump, plain.w(last), plain.b(last), plain.E(last));
  fmt::print("   clipped by norm at θ = {:g}: ends at ({:.2f}, {:.2f}), E = {:.6f}\n",
             o.cliff_threshold, clipped.w(last), clipped.b(last), clipped.E(last));
}

nn::Json to_json(const Cliff& c, const Options& o) {
  const CliffPath &plain = c.plain, &clipped = c.clipped;
  const arma::uword last = plain.w.n_elem - 1;
  // −1: the gradient never exceeded θ
  const long first_clip = c.first_clip ? static_cast<long>(*c.first_clip) : -1;
  return {{"start_w", o.cliff_w0},
          {"start_b", o.cliff_b0},
          {"start_error", plain.E(0)},
          {"learning_rate", o.cliff_lr},
          {"steps", o.cliff_steps},
          {"threshold", o.cliff_threshold},
          {"max_grad_norm", plain.grad_norm(c.jump)},
          {"max_grad_norm_step", c.jump},
          {"first_clipped_step", first_clip},
          {"unclipped_final_error", plain.E(last)},
          {"unclipped_end", {plain.w(last), plain.b(last)}},
          {"clipped_final_error", clipped.E(last)},
          {"clipped_end", {clipped.w(last), clipped.b(last)}}};
}

// ---- 2. The deep network ---------------------------------------------------------------------

// "leaky-ReLU" or "ReLU": the deep network's hidden units in the printout and the figure.
std::string units(const Options& o) {
  return o.activation == nn::Activation::relu ? "ReLU" : "leaky-ReLU";
}

void deep_figures(const nn::Figures& fig, const Options& o, const Deep& d) {
  const Training &plain = d.plain, &by_norm = d.by_norm, &by_value = d.by_value;
  // x = step + 1, so that a log scale shows the first few steps and the last ones together
  const auto steps = [](const std::vector<double>& v) {
    return arma::regspace(1.0, static_cast<double>(v.size()));
  };
  fig.csv("loss_unclipped.csv", {"step+1", "loss"}, {steps(plain.cost), nn::to_vec(plain.cost)});
  fig.csv("loss_clip_norm.csv", {"step+1", "loss"},
          {steps(by_norm.cost), nn::to_vec(by_norm.cost)});
  fig.csv("loss_clip_value.csv", {"step+1", "loss"},
          {steps(by_value.cost), nn::to_vec(by_value.cost)});
  fig.csv("grad_norm.csv", {"step+1", "norm_clip_norm"},
          {steps(by_norm.grad_norm), nn::to_vec(by_norm.grad_norm)});
  std::string s = fmt::format(
      "set title 'A {}-layer {} network on the flower, He initialisation × {:g}'\n"
      "set xlabel 'gradient-descent step + 1 (log scale)'\nset ylabel 'cross-entropy loss'\n"
      "set logscale xy\nset format y '10^{{%T}}'\nset yrange [0.05:1e4]\nset key top right\n"
      "set xrange [1:{}]\n",
      o.layers, units(o), o.init_gain, o.iterations + 1);
  if (plain.diverged_at) {
    const long at = *plain.diverged_at;
    s += fmt::format(
        "set arrow 1 from {0}, graph 0 to {0}, graph 1 nohead dt 2 lw 2 lc 'red'\n"
        "set label 1 sprintf('no clipping: loss %.1e after step {1}, NaN at step {2}', {3:g}) "
        "at {0}, graph 0.6 offset 1,0 textcolor 'red'\n",
        at + 1, at - 1, at, plain.cost.back());
  }
  s += "plot 'loss_unclipped.csv' every ::1 using 1:2 with linespoints pt 7 lw 2 lc 'red' "
       "title 'no clipping', \\\n"
       "  'loss_clip_norm.csv' every ::1 using 1:2 with lines lw 2 lc 'web-green' "
       "title 'clip by norm', \\\n"
       "  'loss_clip_value.csv' every ::1 using 1:2 with lines lw 2 lc 'blue' "
       "title 'clip by value'\n";
  fig.draw("deep_loss", s);
  fig.draw("deep_grad_norm",
           fmt::format("set title 'Clip by norm: the gradient norm before clipping, θ = {0:g}'\n"
                       "set xlabel 'gradient-descent step + 1'\nset ylabel '‖g‖ over all layers'\n"
                       "set logscale y\nset format y '10^{{%T}}'\nset key top right opaque box\n"
                       "plot 'grad_norm.csv' every ::1 using 1:2 with lines lc 'web-green' "
                       "title '‖g‖', \\\n  {0:g} with lines lw 2 dt 2 lc 'black' "
                       "title 'θ (clipped above)'\n",
                       o.threshold));
}

void print_deep(const Deep& d, const Options& o) {
  const Training &plain = d.plain, &by_norm = d.by_norm, &by_value = d.by_value;
  fmt::print(
      "\n2. A {}-layer {} network ({} parameters), He initialisation × {:g}, "
      "learning rate {:g}, {} steps\n",
      o.layers, units(o), d.parameters, o.init_gain, o.lr, o.iterations);
  fmt::print("   initial loss {}, initial gradient norm {}\n", nn::fixed(plain.cost.front(), 3),
             nn::fixed(plain.grad_norm.front(), 1));
  if (plain.diverged_at)
    fmt::print(
        "   without clipping: the loss is inf/NaN at step {} (it was {:.3g} one step before): "
        "diverged\n",
        *plain.diverged_at, plain.cost.back());
  else
    fmt::print("   without clipping: final loss {} (did not diverge)\n",
               nn::fixed(plain.cost.back(), 4));
  fmt::print(
      "   clip by norm,  θ = {:g}:       final loss {}, accuracy {:.1f} %, {:.1f} % of "
      "steps clipped, cos(g, step) = {:.3f}\n",
      o.threshold, nn::fixed(by_norm.cost.back(), 4), by_norm.accuracy,
      100.0 * by_norm.fraction_clipped(), by_norm.mean_cosine());
  if (by_value.diverged_at)
    fmt::print("   clip by value, c = θ/√P = {:.4f}: diverged at step {}\n", d.value_threshold,
               *by_value.diverged_at);
  else
    fmt::print(
        "   clip by value, c = θ/√P = {:.4f}: final loss {}, accuracy {:.1f} %, {:.1f} % "
        "of steps clipped, cos(g, step) = {:.3f}\n",
        d.value_threshold, nn::fixed(by_value.cost.back(), 4), by_value.accuracy,
        100.0 * by_value.fraction_clipped(), by_value.mean_cosine());
}

nn::Json to_json(const Deep& d, const Options& o) {
  const Training &plain = d.plain, &by_norm = d.by_norm, &by_value = d.by_value;
  nn::Json j{{"layers", o.layers},
             {"width", o.width},
             {"parameters", d.parameters},
             {"init_gain", o.init_gain},
             {"learning_rate", o.lr},
             {"iterations", o.iterations},
             {"threshold", o.threshold},
             {"value_threshold", d.value_threshold},
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

// ---- 3. The threshold ------------------------------------------------------------------------

// A run's final loss, NaN when it diverged (a gap in the figure).
double final_loss(const Training& run) {
  return run.diverged_at ? arma::datum::nan : run.cost.back();
}

void sweep_figure(const nn::Figures& fig, const Results& r, const Options& o) {
  const std::vector<SweepPoint>& points = r.sweep;
  arma::vec theta(points.size()), mean(points.size());
  std::vector<arma::vec> each(kInitialisations, arma::vec(points.size()));
  for (std::size_t k = 0; k < points.size(); ++k) {
    theta(k) = points[k].threshold;
    mean(k) = points[k].mean_final_loss();
    for (int i = 0; i < kInitialisations; ++i) each[i](k) = final_loss(points[k].runs[i]);
  }
  std::vector<arma::vec> columns{theta, mean};
  columns.insert(columns.end(), each.begin(), each.end());
  std::vector<std::string> header{"threshold", "mean"};
  // the runs of one θ drawn a little apart, initialisation 1 leftmost (at(θ, i)), as open
  // circles over the mean's smaller dots, so that a run equal to the mean rings its dot
  const std::string at =
      fmt::format("at(t, i) = t * 10**(0.05 * (i - {:g}))\n", (kInitialisations + 1) / 2.0);
  std::string runs;
  for (int i = 1; i <= kInitialisations; ++i) {
    header.push_back("run_" + std::to_string(i));
    runs += fmt::format(
        ", \\\n  '' every ::1 using (at($1, {})):{} with points pt 6 ps 1.5 lw 1.5 "
        "lc 'gray30' {}",
        i, i + 2,
        i > 1 ? "notitle"
              : fmt::format("title 'one initialisation ({} per θ, left to right)'",
                            kInitialisations));
  }
  fig.csv("threshold_sweep.csv", header, columns);
  const double average = r.average_grad_norm;
  fig.draw("threshold_sweep",
           fmt::format("set title 'Clip by norm: final loss after {} steps for each threshold θ'\n"
                       "set xlabel 'θ (log scale)'\nset ylabel 'final cross-entropy loss'\n"
                       "set logscale x\nset key top left opaque box\nset yrange [0:*]\n"
                       "set offsets 0, 0, graph 0.05, 0\n"
                       "set object 1 rect from {:g}, graph 0 to {:g}, graph 1 "
                       "fillcolor 'light-green' fillstyle solid 0.3 noborder behind\n"
                       "set arrow 1 from {:g}, graph 0 to {:g}, graph 1 nohead dt 2 lc 'black'\n"
                       "set label 1 'average ‖g‖' at {:g}, graph 0.05 offset 0.5,0\n",
                       o.iterations, 0.5 * average, 10 * average, average, average, average) +
               at +
               "plot 'threshold_sweep.csv' every ::1 using 1:2 with linespoints pt 7 ps 1.1 lw 2.5 "
               "lc 'dark-green' title 'mean (shaded: ½ to 10 × average ‖g‖)'" +
               runs + "\n");
}

void print_sweep(const Results& r) {
  fmt::print(
      "\n3. Choosing θ: the average gradient norm (before clipping) was {:.3f};\n"
      "   final loss for θ = multiple × average, mean of {} initialisations\n",
      r.average_grad_norm, kInitialisations);
  for (const SweepPoint& p : r.sweep) {
    std::string line = fmt::format("   θ = {:5.1f} × average = {:7.3f}: final loss {:.4f}",
                                   p.multiple, p.threshold, p.mean_final_loss());
    if (p.diverged() > 0) line += fmt::format(" ({} of the runs diverged)", p.diverged());
    fmt::print("{}\n", line);
  }
}

nn::Json to_json(const std::vector<SweepPoint>& points) {
  nn::Json list = nn::Json::array();
  for (const SweepPoint& p : points) {
    nn::Json losses = nn::Json::array();
    for (const Training& run : p.runs)
      losses.push_back(run.diverged_at ? nn::Json(nullptr) : nn::Json(run.cost.back()));
    const double mean = p.mean_final_loss();
    list.push_back({{"multiple", p.multiple},
                    {"threshold", p.threshold},
                    {"final_loss", std::isfinite(mean) ? nn::Json(mean) : nn::Json(nullptr)},
                    {"final_losses", losses},
                    {"diverged", p.diverged()}});
  }
  return list;
}

std::string headline(const Results& r) {
  const Training& plain = r.deep.plain;
  const std::string deep = plain.diverged_at
                               ? fmt::format("diverged at step {}", *plain.diverged_at)
                               : std::string("did not diverge");
  const arma::uword last = r.cliff.plain.E.n_elem - 1;
  return fmt::format("cliff E {:.3g} → {:.3g} clipped; deep net {}, clipped loss {:.3g}",
                     r.cliff.plain.E(last), r.cliff.clipped.E(last), deep,
                     r.deep.by_norm.cost.back());
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  nn::Json results;
  results["cliff"] = to_json(r.cliff, o);
  results["deep"] = to_json(r.deep, o);
  results["average_grad_norm"] = r.average_grad_norm;
  results["threshold_sweep"] = to_json(r.sweep);
  results["headline"] = headline(r);
  results["seconds"] = r.seconds;
  return results;
}

const char* divergence_flag(Divergence cause) {
  switch (cause) {
    case Divergence::amplified:
      return "--init-gain";
    case Divergence::never_clipped:
      return "--threshold";
    case Divergence::steps_too_long:
      break;
  }
  return "--lr";
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  if (const std::optional<long> step = r.deep.by_norm.diverged_at)
    throw nn::DivergedError("clipped by norm, the network still diverged at step " +
                                std::to_string(*step) + " (try a smaller " +
                                divergence_flag(why_diverged(r.deep.by_norm, o.threshold)) + ")",
                            *step);
  print_cliff(r.cliff, o);
  print_deep(r.deep, o);
  print_sweep(r);
  const nn::Figures fig(common.out_dir, common.plots);
  cliff_figures(fig, r.cliff, o.cliff_threshold);
  deep_figures(fig, o, r.deep);
  sweep_figure(fig, r, o);
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("\n{}\n", headline(r));
}

}  // namespace ch07
