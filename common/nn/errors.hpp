// The kinds of failure a chapter reports to the learner, each as one line, and the two checks the
// maths makes on its own numbers (a cost no sane model has, a penalty step that must diverge).
#pragma once
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>

namespace nn {

// A data file is missing, truncated or not what it claims to be. The message names the file.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A flag has a value the chapter cannot use (e.g. --batch larger than the data set).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An output file or folder cannot be written (read-only or full disk, no permission, a folder
// where a file should go). The message names the file and the system's reason.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The run needs more memory than the process may have (`ulimit -v`, the machine). The message
// says how much is missing.
struct MemoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The setting most likely to blame for a divergence. The maths names no flag: the chapter's main
// (or the web page) says which of its flags or controls each cause stands for.
enum class Cause {
  learning_rate,   // the cost left its range after a step: the steps overshoot
  initial_scale,   // the cost was out of range before the first step: the initial weights
  penalty,         // the penalty's step alone must diverge (check_penalty_step)
  searched_rates,  // every trial of a search diverged: the learning rates it tried
};

// Training diverged or saturated: the model has no result worth reporting. The message says what
// left its range, and `cause` (when known) the setting to change.
struct DivergedError : std::runtime_error {
  DivergedError(const std::string& what, long iteration_, std::optional<Cause> cause_ = {})
      : std::runtime_error(what), iteration(iteration_), cause(cause_) {}
  long iteration;
  std::optional<Cause> cause;
};

// Exit codes of every chapter: bad data or flags, an output that cannot be written, or not
// enough memory 2; a diverged run 3; interrupted by SIGINT, SIGTERM, SIGHUP or SIGPIPE 128 + the
// signal's number (130, 143, 129, 141).
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitDiverged = 3;

// 53 ln 2 ≈ 36.7 = −ln 2^−53: the cross-entropy −ln p of an output that gives the right answer a
// probability p below 2^−53, the spacing of the doubles just below 1. Past it σ(z) and softmax
// round to exactly 0 or 1 (|z| > 36.7): the output is saturated, sure of a wrong answer beyond
// what a double can hold.
inline constexpr double kSaturatedLoss = 53 * std::numbers::ln2;
// The squared error's ceiling: none (see check_cost).
inline constexpr double kNoCeiling = std::numeric_limits<double>::infinity();

// The one test of every training loop, once per iteration, on the cost J before that
// iteration's step: throws DivergedError when J is inf or NaN, or above `saturated`.
//
// Why a ceiling: a cross-entropy is computed from the logits (losses.hpp), so it stays finite when
// the outputs saturate, and a run whose weights blew up to 1e10 or 1e300 would train on and
// report an accuracy. J is the mean over the samples of −ln p (p the probability given to the
// right answer; one term per sample for softmax or one sigmoid output, n_y terms for n_y sigmoid
// outputs), so e^(−J/terms) is the geometric mean of p. A model that has learnt nothing costs
// ln 2 per sigmoid output and ln K for K classes (below 2.3 for K ≤ 10); the cost of the
// `terms` outputs at kSaturatedLoss each means the average sample's outputs are saturated on the
// wrong answer, where σ'(z) = a(1 − a) is exactly 0, and a shallow network's steps, whose
// output gradient a − y is at most 1, would take as many steps as the logits are wrong to come
// back. So `saturated` = terms · kSaturatedLoss for a cross-entropy, and kNoCeiling for the
// squared error, which has no ceiling to saturate against (a linear output follows its weights,
// and a cost that keeps growing reaches inf), and for chapter 7, whose clipped deep runs do come
// back from saturated outputs.
//
// The cause: at iteration 0 no step has been taken, so the initial weights (or the data) are to
// blame; later, the steps. `what` names the cost in the message ("validation cost").
void check_cost(double J, long iteration, double saturated = kSaturatedLoss,
                const std::string& what = "cost");

// Gradient descent on the penalty ½(λ/n)‖W‖² alone multiplies W by 1 − αλ/n at every step, so
// the weights grow without bound once αλ/n ≥ 2, whatever the data (and an L1 step of αλ/n is as
// absurd). Throws DivergedError (Cause::penalty) before training for such a pair.
void check_penalty_step(double learning_rate, double lambda, double n);

}  // namespace nn
