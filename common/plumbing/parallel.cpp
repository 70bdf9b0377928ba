#include "common/plumbing/parallel.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "common/nn/errors.hpp"
#include "common/plumbing/memory.hpp"

// OpenBLAS's own interface (cblas.h), which Armadillo does not expose.
extern "C" {
void openblas_set_num_threads(int threads);
int openblas_get_num_threads(void);
}

namespace nn {

Share share(arma::uword n, int part, int parts) {
  const auto k = static_cast<arma::uword>(part), p = static_cast<arma::uword>(parts);
  const arma::uword base = n / p, extra = n % p;
  return {k * base + std::min(k, extra), base + (k < extra ? 1 : 0)};
}

void SpinBarrier::arrive_and_wait() {
  // Read the generation before arriving: the last to arrive advances it, which releases the rest.
  const unsigned generation = generation_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
    arrived_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    return;
  }
  constexpr int spins = 1 << 16;  // some tens of microseconds
  for (int i = 0; generation_.load(std::memory_order_acquire) == generation; ++i)
    if (i >= spins) generation_.wait(generation, std::memory_order_acquire);
}

SingleThreadedBlas::SingleThreadedBlas() : previous_threads_(openblas_get_num_threads()) {
  openblas_set_num_threads(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  openblas_set_num_threads(previous_threads_);
}

TwoCores::TwoCores() {
  if (address_space_left() < kThreadAddressSpace)
    throw MemoryError(
        "not enough memory for a second core: the address-space limit (ulimit -v) "
        "leaves less than the " +
        std::to_string(static_cast<long>(kThreadAddressSpace) >> 20) +
        " MiB a thread that multiplies takes");
  second_ = std::jthread([this] {
    for (;;) {
      sync();  // a task was posted, or the end
      if (task_ == nullptr) return;
      // an exception must not leave this thread (std::terminate) nor skip the meeting below,
      // which the calling thread waits for: it is handed to run() instead
      try {
        (*task_)(1);
      } catch (...) {
        second_failed_ = std::current_exception();
      }
      sync();  // the task is done on this core
    }
  });
}

TwoCores::~TwoCores() {
  task_ = nullptr;
  sync();  // releases the second thread, which then ends
}

void TwoCores::run(const std::function<void(int core)>& task) {
  second_failed_ = nullptr;
  task_ = &task;
  sync();
  std::exception_ptr failed;
  try {
    task(0);
  } catch (...) {
    failed = std::current_exception();
  }
  // Both cores meet here even when one of them threw: the second core is then done with the
  // task and with everything it used, and waits for the next one.
  sync();
  if (!failed) failed = second_failed_;
  second_failed_ = nullptr;
  if (failed) std::rethrow_exception(failed);
}

void on_two_cores(arma::uword n, const std::function<void(arma::uword job)>& job) {
  if (address_space_left() < 2 * kThreadAddressSpace) {  // a second core would not fit
    for (arma::uword i = 0; i < n; ++i) job(i);
    return;
  }
  TwoCores cores;
  cores.run([&](int core) {
    for (auto i = static_cast<arma::uword>(core); i < n; i += TwoCores::count) job(i);
  });
}

}  // namespace nn
