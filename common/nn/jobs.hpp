// Jobs that do not depend on each other: chapter 09 trains four networks from one start, chapter
// 10 five variants. A lesson says what the jobs are; how they run is its caller's choice: one
// after another (Jobs itself: tests, the browser), or two at a time on two cores
// (common/plumbing/parallel.hpp's TwoCoreJobs, what the chapters' programs use). Each job runs
// once, and its result does not depend on where it ran.
#pragma once
#include <armadillo>
#include <functional>

namespace nn {

class Jobs {
 public:
  virtual ~Jobs() = default;
  // job(0), …, job(n − 1), each once. An exception of a job is rethrown here.
  virtual void run(arma::uword n, const std::function<void(arma::uword job)>& job) const {
    for (arma::uword i = 0; i < n; ++i) job(i);
  }
};

}  // namespace nn
