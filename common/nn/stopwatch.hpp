// Wall-clock time of a run or an epoch, for "seconds" in results.json (the standard clock: it
// ticks in the browser too).
#pragma once
#include <chrono>

namespace nn {

class Stopwatch {
 public:
  // Seconds since construction.
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace nn
