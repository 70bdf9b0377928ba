// The machinery of two cores working on one batch (chapter 05): shares of a range, a barrier,
// a thread that waits for work, and BLAS held to one thread. common/plumbing/data_parallel.hpp
// builds chapter 05's gradient on it, and on_two_cores runs the independent jobs of chapters 09
// and 10 (TwoCoreJobs); a lesson never sees a thread or a barrier.
#pragma once
#include <armadillo>
#include <atomic>
#include <exception>
#include <functional>
#include <thread>

#include "common/nn/jobs.hpp"

namespace nn {

// The part-th of `parts` consecutive shares of n items, as equal as can be (the first
// n mod parts shares hold one item more): items first … first + count − 1.
struct Share {
  arma::uword first = 0, count = 0;
};
Share share(arma::uword n, int part, int parts);

// Where `threads` threads wait until all of them have arrived; then all go on. Reusable: the
// same barrier serves every step. A step's shares finish microseconds apart, less than waking a
// sleeping thread takes, so a waiting thread first spins; it sleeps only when the wait is long.
class SpinBarrier {
 public:
  explicit SpinBarrier(int threads) : threads_(threads) {}
  void arrive_and_wait();

 private:
  const int threads_;
  std::atomic<int> arrived_{0};
  std::atomic<unsigned> generation_{0};  // how many times all have arrived
};

// While one lives, OpenBLAS runs every product on the thread that calls it, alone. Two cores
// that each multiply their own share must not also start BLAS's helper threads, which would
// compete with them; and a product then rounds the same way on any machine, whatever its
// number of cores (BLAS splits a product among threads differently from a single thread).
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int previous_threads_;
};

// Two cores and one task: run(task) calls task(0) on the calling thread and task(1) on a second
// thread that lives as long as the object, waiting between tasks. BLAS runs on one thread
// meanwhile (each core multiplies alone). Throws MemoryError when an address-space limit leaves
// no room for the second thread.
class TwoCores {
 public:
  static constexpr int count = 2;
  TwoCores();
  ~TwoCores();
  TwoCores(const TwoCores&) = delete;
  TwoCores& operator=(const TwoCores&) = delete;

  // Returns when both cores have finished `task`. An exception thrown by the task on either core
  // is rethrown here, once both cores have finished (core 0's first when both threw); the
  // object then runs tasks as before.
  void run(const std::function<void(int core)>& task);

 private:
  void sync() { barrier_.arrive_and_wait(); }

  SingleThreadedBlas blas_;
  SpinBarrier barrier_{count};
  const std::function<void(int)>* task_ = nullptr;  // nullptr: the second thread ends
  std::exception_ptr second_failed_;                // what task(1) threw, for run() to rethrow
  std::jthread second_;
};

// job(0), …, job(n − 1): n jobs that do not depend on each other, job i on core i mod 2 (core
// 0 is the calling thread), BLAS on one thread (chapter 09 trains four networks this way). An
// exception thrown by a job is rethrown here, once both cores have stopped. Under an
// address-space limit with no room for a second thread, the jobs run in turn on this one.
void on_two_cores(arma::uword n, const std::function<void(arma::uword job)>& job);

// The jobs a lesson hands over (common/nn/jobs.hpp), run by on_two_cores.
class TwoCoreJobs final : public Jobs {
 public:
  void run(arma::uword n, const std::function<void(arma::uword job)>& job) const override {
    on_two_cores(n, job);
  }
};

// The same jobs on two cores that stay: job i on core i mod 2, the second thread started once
// for the object's life (TwoCores), BLAS on one thread meanwhile. For a lesson that hands over
// many small rounds of jobs, where starting a thread per round would cost more than the round:
// chapter 05's two halves of every mini-batch.
class TwoCoreTeam final : public Jobs {
 public:
  void run(arma::uword n, const std::function<void(arma::uword job)>& job) const override {
    cores_.run([&](int core) {
      for (auto i = static_cast<arma::uword>(core); i < n; i += TwoCores::count) job(i);
    });
  }

 private:
  mutable TwoCores cores_;  // run() changes no result, only which thread works
};

}  // namespace nn
