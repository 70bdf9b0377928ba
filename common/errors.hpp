// The three kinds of failure a chapter reports to the learner, each as one line.
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

// Training produced a non-finite cost: the model diverged and has no result worth reporting.
struct DivergedError : std::runtime_error {
  DivergedError(const std::string& what, long iteration_)
      : std::runtime_error(what), iteration(iteration_) {}
  long iteration;
};

// Exit codes of every chapter: bad data or flags 2, a diverged run 3.
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitDiverged = 3;

// Throws DivergedError when `cost` is inf or NaN (chapters call it once per iteration).
void check_finite(double cost, long iteration, const std::string& what = "cost");

}  // namespace nn
