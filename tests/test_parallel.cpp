#define BOOST_TEST_MODULE parallel
#include <array>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/plumbing/parallel.hpp"

extern "C" int openblas_get_num_threads(void);

// Shares cover 0 … n − 1 once each, in order, and differ in size by at most one.
BOOST_AUTO_TEST_CASE(shares_cover_the_range_once) {
  for (arma::uword n : {0u, 1u, 2u, 7u, 128u, 88u, 1001u})
    for (int parts : {1, 2, 3, 8}) {
      BOOST_TEST_CONTEXT("n " << n << ", parts " << parts) {
        arma::uword next = 0, smallest = n, largest = 0;
        for (int k = 0; k < parts; ++k) {
          const nn::Share s = nn::share(n, k, parts);
          BOOST_TEST(s.first == next);
          next += s.count;
          smallest = std::min(smallest, s.count);
          largest = std::max(largest, s.count);
        }
        BOOST_TEST(next == n);
        BOOST_TEST(largest - smallest <= 1u);
      }
    }
  // 7 in two: the first share takes the extra item.
  BOOST_TEST(nn::share(7, 0, 2).count == 4u);
  BOOST_TEST(nn::share(7, 1, 2).first == 4u);
  BOOST_TEST(nn::share(1, 1, 2).count == 0u);
}

// Three threads pass the same barrier 5000 times. After every meeting each thread reads the
// round number all the others wrote before it: a thread let through early would read an old one.
BOOST_AUTO_TEST_CASE(barrier_holds_every_thread_until_all_arrive) {
  constexpr int threads = 3, rounds = 5000;
  nn::SpinBarrier barrier(threads);
  std::vector<int> written(threads, -1);
  std::vector<int> wrong(threads, 0);
  const auto run = [&](int t) {
    for (int r = 0; r < rounds; ++r) {
      written[t] = r;
      barrier.arrive_and_wait();  // everybody has written round r
      for (int u = 0; u < threads; ++u) wrong[t] += written[u] != r;
      barrier.arrive_and_wait();  // everybody has read before anybody writes r + 1
    }
  };
  {
    std::vector<std::jthread> others;
    for (int t = 1; t < threads; ++t) others.emplace_back(run, t);
    run(0);
  }
  for (int t = 0; t < threads; ++t) BOOST_TEST(wrong[t] == 0);
}

// A long wait (one thread sleeps) ends too: the spinning thread falls asleep and is woken.
BOOST_AUTO_TEST_CASE(barrier_survives_a_long_wait) {
  nn::SpinBarrier barrier(2);
  int value = 0;
  std::jthread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    value = 42;
    barrier.arrive_and_wait();
  });
  barrier.arrive_and_wait();
  BOOST_TEST(value == 42);
}

// BLAS runs on one thread while the guard lives, and as before once it is gone (nested too).
BOOST_AUTO_TEST_CASE(single_threaded_blas_restores_the_thread_count) {
  const int before = openblas_get_num_threads();
  {
    const nn::SingleThreadedBlas outer;
    BOOST_TEST(openblas_get_num_threads() == 1);
    {
      const nn::SingleThreadedBlas inner;
      BOOST_TEST(openblas_get_num_threads() == 1);
    }
    BOOST_TEST(openblas_get_num_threads() == 1);
  }
  BOOST_TEST(openblas_get_num_threads() == before);
}

// TwoCores runs each task once on each of two threads and returns when both are done: what
// either core wrote in a task, the caller reads after run(), and the next task on the other core
// reads too. Many tasks in a row reuse the same second thread; BLAS is held to one thread while
// the object lives.
BOOST_AUTO_TEST_CASE(two_cores_run_tasks_and_meet) {
  const int before = openblas_get_num_threads();
  {
    nn::TwoCores cores;
    BOOST_TEST(openblas_get_num_threads() == 1);
    std::array<std::thread::id, 2> ids;
    // round r writes written[r % 2] and reads written[(r − 1) % 2]: no element is read and
    // written in the same round
    std::array<std::array<long, 2>, 2> written{};
    std::array<long, 2> wrong{};  // each core counts its own
    for (long round = 1; round <= 2000; ++round) {
      const auto now = static_cast<std::size_t>(round % 2), last = 1 - now;
      cores.run([&](int core) {
        ids[core] = std::this_thread::get_id();
        // what the other core wrote in the last round
        if (round > 1 && written[last][1 - core] != (round - 1) * (2 - core)) ++wrong[core];
        written[now][core] = round * (core + 1);
      });
      // and what both wrote in this one
      wrong[0] += written[now][0] != round || written[now][1] != 2 * round;
    }
    BOOST_TEST(wrong[0] + wrong[1] == 0);
    BOOST_TEST((ids[0] == std::this_thread::get_id()));
    BOOST_TEST((ids[1] != ids[0]));
  }
  BOOST_TEST(openblas_get_num_threads() == before);
}

namespace {

// Runs `work` on a thread of its own and waits for it at most a minute: its result, or nothing
// when it hangs (the test then fails instead of stalling the suite, and the stuck thread is
// left behind). Assertions stay on the test's own thread.
template <typename Result>
std::optional<Result> in_time(const std::function<Result()>& work) {
  std::packaged_task<Result()> task(work);
  std::future<Result> done = task.get_future();
  std::thread(std::move(task)).detach();
  if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) return std::nullopt;
  return done.get();
}

struct Thrown : std::runtime_error {
  int core;
  explicit Thrown(int c) : std::runtime_error("core " + std::to_string(c)), core(c) {}
};

// What a task that throws on core `thrower` (2: on both) left behind.
struct AfterThrow {
  int caught = -1;                // the core whose exception run() rethrew
  std::array<int, 2> finished{};  // the cores that ran their part to the end
  double written = 0.0;           // what the other core wrote into the caller's buffer
  int ran_after = 0;              // cores that ran the next task
};

}  // namespace

// A task that throws, on core 0 (the calling thread), on core 1 (the second thread) or on both:
// run() rethrows it (core 0's when both threw) only once the other core has finished its own
// part, which ran to its end into a buffer still alive; the same object then runs the next task
// on both cores. Nothing hangs and nothing terminates.
BOOST_AUTO_TEST_CASE(two_cores_hand_back_an_exception_from_either_core) {
  const auto results = in_time<std::vector<AfterThrow>>([] {
    std::vector<AfterThrow> results;
    nn::TwoCores cores;
    for (const int thrower : {0, 1, 2}) {
      AfterThrow r;
      std::vector<double> buffer(1000, 0.0);
      try {
        cores.run([&](int core) {
          if (core == thrower || thrower == 2) throw Thrown(core);
          // the other core is slower than the throw, and writes into the caller's buffer
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          for (double& x : buffer) x += 1.0;
          r.finished[static_cast<std::size_t>(core)] = 1;
        });
      } catch (const Thrown& e) {
        r.caught = e.core;
        r.written = buffer.back();  // read as the exception arrives
      }
      std::array<int, 2> ran{};
      cores.run([&](int core) { ran[static_cast<std::size_t>(core)] = 1; });
      r.ran_after = ran[0] + ran[1];
      results.push_back(r);
    }
    return results;
  });
  BOOST_REQUIRE(results.has_value());
  for (const int thrower : {0, 1, 2}) {
    BOOST_TEST_CONTEXT(
        "throwing: " << (thrower == 2 ? "both cores" : "core " + std::to_string(thrower))) {
      const AfterThrow& r = (*results)[static_cast<std::size_t>(thrower)];
      BOOST_TEST(r.caught == (thrower == 2 ? 0 : thrower));
      if (thrower != 2) {
        BOOST_TEST(r.finished[static_cast<std::size_t>(1 - thrower)] == 1);
        BOOST_TEST(r.written == 1.0);
      }
      BOOST_TEST(r.ran_after == 2);
    }
  }
  // An object destroyed as the exception leaves its scope ends its thread too.
  const auto caught = in_time<bool>([] {
    try {
      nn::TwoCores cores;
      cores.run([](int core) {
        if (core == 1) throw std::runtime_error("core 1");
      });
    } catch (const std::runtime_error&) {
      return true;
    }
    return false;
  });
  BOOST_REQUIRE(caught.has_value());
  BOOST_TEST(*caught);
}

// on_two_cores runs every job once, on both threads, and hands back a job's exception after
// both have stopped (the other jobs still ran).
BOOST_AUTO_TEST_CASE(on_two_cores_runs_every_job_once_and_rethrows) {
  std::array<int, 7> runs{};
  std::array<std::thread::id, 7> ids;
  nn::on_two_cores(7, [&](arma::uword i) {
    ++runs[i];
    ids[i] = std::this_thread::get_id();
  });
  for (const int r : runs) BOOST_TEST(r == 1);
  BOOST_TEST((ids[0] == std::this_thread::get_id()));
  BOOST_TEST((ids[1] != ids[0]));
  BOOST_TEST((ids[3] == ids[1]));
  std::array<int, 4> done{};
  BOOST_CHECK_THROW(nn::on_two_cores(4,
                                     [&](arma::uword i) {
                                       if (i == 1) throw std::runtime_error("job 1");
                                       done[i] = 1;
                                     }),
                    std::runtime_error);
  BOOST_TEST(done[0] + done[2] == 2);
}
