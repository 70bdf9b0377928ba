// The kinds of failure a chapter reports to the learner, each as one line, and the two checks the
// maths makes on its own numbers (a non-finite cost, a penalty step that must diverge).
#pragma once
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

// Training produced a non-finite cost: the model diverged and has no result worth reporting.
struct DivergedError : std::runtime_error {
  DivergedError(const std::string& what, long iteration_)
      : std::runtime_error(what), iteration(iteration_) {}
  long iteration;
};

// Exit codes of every chapter: bad data or flags, an output that cannot be written, or not
// enough memory 2; a diverged run 3; interrupted by SIGINT, SIGTERM, SIGHUP or SIGPIPE 128 + the
// signal's number (130, 143, 129, 141).
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitDiverged = 3;

// Throws DivergedError when `cost` is inf or NaN (chapters call it once per iteration).
void check_finite(double cost, long iteration, const std::string& what = "cost");

// Gradient descent on the penalty ½(λ/n)‖W‖² alone multiplies W by 1 − αλ/n at every step, so
// the weights grow without bound once αλ/n ≥ 2, whatever the data (and an L1 step of αλ/n is as
// absurd). Throws DivergedError before training, naming both flags (`lambda_flag` with λ, and
// `lr_flag` with α), for such a pair.
void check_penalty_step(double learning_rate, double lambda, double n, const std::string& lr_flag,
                        const std::string& lambda_flag);

}  // namespace nn
