#define BOOST_TEST_MODULE parallel
#include <array>
#include <boost/test/unit_test.hpp>
#include <stdexcept>
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

// TwoCores runs each task once on each of two threads, and sync() inside a task is a meeting of
// both: what one core wrote before it, the other reads after it. Many tasks in a row reuse the
// same second thread; BLAS is held to one thread while the object lives.
BOOST_AUTO_TEST_CASE(two_cores_run_tasks_and_meet) {
  const int before = openblas_get_num_threads();
  {
    nn::TwoCores cores;
    BOOST_TEST(openblas_get_num_threads() == 1);
    std::array<std::thread::id, 2> ids;
    std::array<long, 2> written{};
    std::array<long, 2> wrong{};  // each core counts its own
    for (long round = 1; round <= 2000; ++round)
      cores.run([&](int core) {
        ids[core] = std::this_thread::get_id();
        written[core] = round * (core + 1);
        cores.sync();
        if (written[1 - core] != round * (2 - core))
          ++wrong[core];  // the other's value, this round
      });
    BOOST_TEST(wrong[0] + wrong[1] == 0);
    BOOST_TEST((ids[0] == std::this_thread::get_id()));
    BOOST_TEST((ids[1] != ids[0]));
  }
  BOOST_TEST(openblas_get_num_threads() == before);
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
