// What every chapter's regression test needs: run the chapter's lesson in-process, once per
// configuration (shared_run), compare its results.json values with the expected values kept in
// tests/expected/, and run the chapter's executable as a learner would on one cheap
// configuration (check_program).
#pragma once
#include <sched.h>
#include <algorithm>
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/plumbing/blas_kernel.hpp"
#include "common/plumbing/results.hpp"

namespace nn::testing {

namespace fs = std::filesystem;

struct ChapterRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
  fs::path out_dir;
  Json results;  // empty unless results.json was written
};

// The folders this test program made, each with the test case that made it. A folder is
// removed when the program ends if its test case passed, and kept otherwise, so that a
// failure's output can be looked at.
struct MadeDir {
  fs::path dir;
  boost::unit_test::test_unit_id test_case;
};

inline std::vector<MadeDir>& made_dirs() {
  static std::vector<MadeDir> dirs;
  return dirs;
}

struct RemoveDirsOfPassedTests {
  RemoveDirsOfPassedTests() = default;
  RemoveDirsOfPassedTests(const RemoveDirsOfPassedTests&) = delete;
  RemoveDirsOfPassedTests& operator=(const RemoveDirsOfPassedTests&) = delete;
  ~RemoveDirsOfPassedTests() {
    for (const MadeDir& made : made_dirs()) {
      if (boost::unit_test::results_collector.results(made.test_case).passed()) {
        std::error_code ignored;
        fs::remove_all(made.dir, ignored);
      } else {
        std::fprintf(stderr, "kept for inspection: %s\n", made.dir.c_str());
      }
    }
  }
};
BOOST_TEST_GLOBAL_FIXTURE(RemoveDirsOfPassedTests);

// A fresh, empty folder under the system's temporary directory.
inline fs::path fresh_dir(const std::string& stem) {
  std::random_device random;
  const fs::path dir = fs::temp_directory_path() / (stem + "-" + std::to_string(random()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  made_dirs().push_back({dir, boost::unit_test::framework::current_test_case().p_id});
  return dir;
}

// The whole text of `file` ("" when it cannot be read).
inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// How many lines `text` holds (its newlines).
inline std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Runs build/bin/<name> <args> --out <fresh dir> and collects what it printed and wrote.
inline ChapterRun run_chapter(const std::string& name, const std::string& args) {
  ChapterRun run;
  run.out_dir = fresh_dir(name);
  const fs::path log = run.out_dir / "log.txt";
  const std::string command = std::string(NN_BIN_DIR) + "/" + name + " " + args + " --out '" +
                              run.out_dir.string() + "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.output = read_text(log);
  if (fs::exists(run.out_dir / "results.json"))
    run.results = read_results(run.out_dir / "results.json");
  BOOST_TEST_MESSAGE(name << " " << args << " -> exit " << run.exit_code);
  return run;
}

// tests/expected/<name>.json: the numbers the chapter must print (and the book quotes), read once.
inline const Json& recorded(const std::string& name) {
  static std::map<std::string, Json> files;
  auto [at, fresh] = files.try_emplace(name);
  if (fresh) at->second = read_results(fs::path(NN_TESTS_DIR) / "expected" / (name + ".json"));
  return at->second;
}
inline Json expected(const std::string& name) {
  return recorded(name);
}

// tests/expected/spread/<name>.json (made by tests/kernel_spread.cpp): for every value of
// tests/expected/<name>.json, at its JSON pointer, how far the runs under the OpenBLAS kernels of
// several processor types fell from it; null where a text or a true/false differs.
inline const Json& spread(const std::string& name) {
  static std::map<std::string, Json> files;
  auto [at, fresh] = files.try_emplace(name);
  if (fresh)
    at->second = read_results(fs::path(NN_TESTS_DIR) / "expected" / "spread" / (name + ".json"));
  return at->second["spread"];
}

// tests/tolerance.json: the one tolerance rule of the tests (its factor and floor explained
// there), shared with the playground's Node.js and browser tests.
inline const Json& tolerance_rule() {
  static const Json rule = read_results(fs::path(NN_TESTS_DIR) / "tolerance.json");
  return rule;
}

// How far a run on another processor may print from the recorded value at `pointer`: the rule's
// factor times the spread the kernels showed, plus its floor (the last bits of a double).
// Negative when the kernels do not even agree to three significant digits: a chaotic value,
// which a test holds by what the book says of it, never by its digits.
inline double portable_tolerance(const std::string& name, const std::string& pointer) {
  const Json& s = spread(name);
  BOOST_TEST_REQUIRE(s.contains(pointer), name << pointer << " has no recorded spread");
  const Json& want = recorded(name).at(Json::json_pointer(pointer));
  if (s[pointer].is_null() || !want.is_number()) return s[pointer].is_null() ? -1.0 : 0.0;
  const Json& rule = tolerance_rule();
  const double magnitude = std::abs(want.get<double>());
  const double kernels = rule["factor"].get<double>() * s[pointer].get<double>();
  const bool chaotic = kernels > rule["chaotic"].get<double>() * magnitude &&
                       kernels > rule["floor_chaotic"].get<double>();
  return chaotic ? -1.0 : kernels + rule["floor"].get<double>() * std::max(1.0, magnitude);
}

// Whether JSON pointer `at` is `prefix` or below it ("" holds every pointer).
inline bool below(const std::string& at, const std::string& prefix) {
  return prefix.empty() || at == prefix || at.starts_with(prefix + "/");
}

// `got` (what a run printed) against the value recorded at `pointer`, within `tolerance`.
inline void compare_recorded(const Json& got, const std::string& name, const std::string& pointer,
                             double tolerance) {
  const Json& want = recorded(name).at(Json::json_pointer(pointer));
  BOOST_TEST_CONTEXT(name << pointer << ": got " << got.dump() << ", recorded " << want.dump()) {
    if (want.is_number() && got.is_number())
      BOOST_TEST(std::abs(got.get<double>() - want.get<double>()) <= tolerance);
    else
      BOOST_TEST(got == want);
  }
}

// `got` (what a run printed) against the value recorded at `pointer` of
// tests/expected/<name>.json, to the digits every kernel agrees on (portable_tolerance).
// A chaotic value fails the check: the test must not hold its digits.
inline void check_recorded(const Json& got, const std::string& name, const std::string& pointer) {
  const double tolerance = portable_tolerance(name, pointer);
  BOOST_TEST_REQUIRE(tolerance >= 0,
                     name << pointer << " is not the same on every kernel: hold its claim");
  compare_recorded(got, name, pointer, tolerance);
}

// Every recorded value whose pointer `at` is chosen by `where` (the place in `got` to compare
// it with, or none to leave it out) and that all kernels print alike; chaotic values are
// skipped, and their number returned, so that a test can say what it holds of them instead.
template <typename Where>
int check_recorded_values(const Json& got, const std::string& name, Where where) {
  int chaotic = 0;
  for (const auto& [at, s] : spread(name).items()) {
    const std::optional<std::string> in_got = where(at);
    if (!in_got) continue;
    const double tolerance = portable_tolerance(name, at);
    if (tolerance < 0) {
      ++chaotic;
      continue;
    }
    const Json::json_pointer place(*in_got);
    BOOST_TEST_REQUIRE(got.contains(place), "the run printed no " << *in_got);
    compare_recorded(got[place], name, at, tolerance);
  }
  return chaotic;
}

// Every value recorded below `pointer` of tests/expected/<name>.json, against the run's `got`
// at the same place below `got_pointer` (default: the same pointer).
inline int check_recorded_tree(const Json& got, const std::string& name, const std::string& pointer,
                               const std::optional<std::string>& got_pointer = std::nullopt) {
  const std::string in_got = got_pointer.value_or(pointer);
  return check_recorded_values(got, name, [&](const std::string& at) {
    return below(at, pointer) ? std::optional(in_got + at.substr(pointer.size())) : std::nullopt;
  });
}

// Every value recorded from the chapter's default command (tests/expected/<name>.json's
// "commands" pointer "": not below another command's pointer), against the run's `got`.
inline int check_default_run(const Json& got, const std::string& name) {
  const Json& commands = recorded(name).at("commands");
  return check_recorded_values(got, name, [&](const std::string& at) -> std::optional<std::string> {
    for (const auto& [owner, command] : commands.items())
      if (!owner.empty() && below(at, owner)) return std::nullopt;
    return at;
  });
}

// A bad flag value: exit code 2 and a single line on the output that mentions `needle`.
inline void check_rejected(const std::string& name, const std::string& args,
                           const std::string& needle) {
  const ChapterRun run = run_chapter(name, args);
  BOOST_TEST_CONTEXT(name << " " << args << " printed: " << run.output) {
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(run.output.find(needle) != std::string::npos);
    BOOST_TEST(lines(run.output) == 1u);
    BOOST_TEST(!fs::exists(run.out_dir / "results.json"));
  }
}

// results.json without its timings ("seconds", "seconds_per_epoch", …).
inline Json without_timings(Json j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (it.key().rfind("seconds", 0) == 0) {
        it = j.erase(it);
      } else {
        *it = without_timings(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& item : j) item = without_timings(item);
  }
  return j;
}

// One run of a lesson per configuration `key`, made by `make` the first time a test case asks
// for it and shared by every test case of the program after that: all the assertions about a
// configuration are made on that one result.
template <typename Lesson>
const Lesson& shared_run(const std::string& key, const std::function<Lesson()>& make) {
  static std::map<std::string, Lesson> runs;
  auto at = runs.find(key);
  if (at == runs.end()) at = runs.emplace(key, make()).first;
  return at->second;
}

// The numbers are the program's, not the machine's: BLAS told to use one thread, or the whole
// program held to one core, gives byte for byte `want`, a free run's results (timings aside).
inline void check_machine_independent(const std::string& name, const std::string& args,
                                      const std::string& want) {
  ::setenv("OPENBLAS_NUM_THREADS", "1", 1);
  const ChapterRun one_blas_thread = run_chapter(name, args);
  ::unsetenv("OPENBLAS_NUM_THREADS");
  cpu_set_t all, one;
  BOOST_REQUIRE(sched_getaffinity(0, sizeof all, &all) == 0);
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &all)) {
      CPU_SET(cpu, &one);
      break;
    }
  BOOST_REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);  // the child inherits it
  const ChapterRun one_core = run_chapter(name, args);
  sched_setaffinity(0, sizeof all, &all);
  BOOST_REQUIRE(one_blas_thread.exit_code == 0);
  BOOST_REQUIRE(one_core.exit_code == 0);
  BOOST_TEST(without_timings(one_blas_thread.results).dump() == want);
  BOOST_TEST(without_timings(one_core.results).dump() == want);
}

// The program as a learner runs it, on one cheap configuration `args` (one spawn each for the
// free run, BLAS held to one thread, and the whole program held to one core):
// - exit 0, a summary line (naming the --out folder, or the run's headline), and --out holding
//   results.json and `files`;
// - byte for byte the same results (timings aside) in all three runs: the numbers are the
//   program's, not the machine's, and the same run after run;
// - the same results as `in_process`, the lesson's run() of the same configuration turned into
//   JSON by the chapter's to_json: the test's in-process runs are the program's.
// Returns the free run, for the chapter's own checks of what it printed.
inline ChapterRun check_program(const std::string& name, const std::string& args,
                                const std::vector<std::string>& files, const Json& in_process) {
  const ChapterRun free_run = run_chapter(name, args);
  BOOST_TEST_REQUIRE(free_run.exit_code == 0, free_run.output);
  const std::string& said = free_run.output;
  const bool summary =
      said.find(free_run.out_dir.string()) != std::string::npos ||
      said.find(free_run.results.value("headline", "(no headline)")) != std::string::npos;
  BOOST_TEST(summary, "no summary line (naming --out, or the headline) in: " << said);
  BOOST_TEST(fs::exists(free_run.out_dir / "results.json"));
  for (const std::string& file : files) BOOST_TEST(fs::exists(free_run.out_dir / file), file);
  const std::string want = without_timings(free_run.results).dump();
  Json published = in_process;  // as write_results publishes it
  published["blas_kernel"] = blas_kernel();
  BOOST_TEST(without_timings(published).dump() == want, "in-process run differs from " << args);
  // (the figures' images once are enough: they change no number)
  const bool drawn = args.find("--no-plots") == std::string::npos;
  check_machine_independent(name, drawn ? args + " --no-plots" : args, want);
  return free_run;
}

}  // namespace nn::testing
