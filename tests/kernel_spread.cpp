// kernel_spread: how many digits of each recorded number every processor prints alike.
//
// OpenBLAS picks its kernels by processor type, and kernels of different types round a matrix
// product differently in its last bits; OPENBLAS_CORETYPE=NAME makes one machine run another
// type's kernels. This program runs the commands that tests/expected/CHAPTER.json was recorded
// from (its "commands": a JSON pointer into the file → the command line whose results.json
// holds the values below that pointer) under each kernel of a list, and writes
// tests/expected/spread/CHAPTER.json: for every recorded value, the largest distance of any
// kernel's value from it (null where a text or a true/false differs), and where they differ, the
// lowest and the highest value any kernel printed. The chapter tests compare
// a run with the recorded value only within that spread, and the book check refuses a quoted
// number with more digits than the spread leaves (tests/book_check.hpp).
//
//   kernel_spread [--record | --merge] [--jobs N] [--kernels A,B,...] [--only POINTER,...]
//                 CHAPTER...
//
// --record first rewrites the recorded values themselves from the runs under the first kernel
// of the list (after a change that moves numbers on purpose). --only runs the commands recorded
// at those "commands" pointers alone (a new exercise's, say) and keeps every other value's spread
// as the spread file has it, which must have been made with the same kernels. --merge widens the
// spread file instead of replacing it: each value's spread becomes the larger of the file's and
// this run's, its lowest and highest values the lowest and highest of both, and the file's kernel
// list gains the ones run now, so that kernels this processor cannot execute (SkylakeX on a
// machine without AVX-512) keep their share. Without --record the recorded values stay as they
// are and every kernel of the list is measured against them alike. The default list is the one
// the spread files were first made with, on a machine with AVX-512; the "kernels" of a spread
// file say which families its values have met since. Build it with `cmake --build build --target
// kernel_spread`.
//
// Which families a processor runs: every name OpenBLAS 0.3.21 knows (Debian's build, with
// DYNAMIC_OLDER: driver/others/dynamic.c's force_coretype), tried as OPENBLAS_CORETYPE on
// chapter 1 on an AMD EPYC (Zen 3: AVX2 and FMA, no AVX-512), with the "Core:" line of
// OPENBLAS_VERBOSE=2:
//   runs as itself   Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Nano, Barcelona,
//                    Bobcat, Sandybridge, Haswell, Zen (twelve families; Barcelona and Bobcat
//                    print the same digits in chapter 1, and so do Haswell and Zen)
//   falls back       Cooperlake and SapphireRapids to Haswell (no AVX-512 here); Athlon,
//                    Katmai, Coppermine, Northwood and Banias (32-bit cores) to Prescott
//   dies (SIGILL)    SkylakeX (AVX-512), and with instructions Zen dropped Opteron,
//                    Opteron_SSE3 and the Bulldozer line (Bulldozer, Piledriver, Steamroller,
//                    Excavator: FMA4)
// So such a machine measures twelve families, and keeps SkylakeX's share with --merge.
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/plumbing/results.hpp"
#include "tests/spread_merge.hpp"

namespace fs = std::filesystem;
using nn::Json;

namespace {

// The kernel families of x86-64 OpenBLAS that round differently: AVX-512 (SkylakeX; Cooperlake,
// whose single-precision products differ from SkylakeX's: chapter 5 lists it with --kernels),
// AVX2 (Haswell; OpenBLAS 0.3.21's Zen kernels give Haswell's digits, byte for byte in
// chapters 5 and 9), AVX (Sandybridge) and SSE3 (Prescott, what OpenBLAS falls back to on a
// processor it does not know). The first records. The older SSE families (Nehalem and the
// others listed above) round in their own ways too: --merge adds them where they run.
const std::vector<std::string> kDefaultKernels{"SkylakeX", "Haswell", "Sandybridge", "Prescott"};

struct Leaf {
  std::string pointer;  // where the value sits in the expected file
  std::string owner;    // the "commands" pointer whose run prints it
};

// Every value of `j` below `at` that is not an object or an array, skipping the file's own
// "commands" and "commands_note".
void leaves(const Json& j, const std::string& at, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (at.empty() && key.starts_with("commands")) continue;
      leaves(value, at + "/" + key, out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) leaves(j[i], at + "/" + std::to_string(i), out);
  } else {
    out.push_back(at);
  }
}

bool below(const std::string& pointer, const std::string& prefix) {
  return prefix.empty() || pointer == prefix || pointer.starts_with(prefix + "/");
}

// Where the run of the command recorded at `owner` prints the value recorded at `pointer`: at the
// same place relative to its own top (an exercise's keys), else at the same pointer (a sub-tree
// such as /seeds that the run also writes under that name).
std::optional<Json> printed(const Json& results, const std::string& owner,
                            const std::string& pointer) {
  const std::string relative = pointer.substr(owner.size());
  for (const std::string& candidate : {relative, pointer}) {
    if (candidate.empty()) continue;
    const Json::json_pointer p(candidate);
    if (results.contains(p)) return results[p];
  }
  return std::nullopt;
}

struct Options {
  std::vector<std::string> kernels, only;
  bool record = false, merge = false;
  int jobs = 1;
};

struct Task {
  std::string kernel, owner, command;
  Json results;
  std::string failure;
};

void run(Task& task, const fs::path& scratch, int number) {
  const fs::path out = scratch / std::to_string(number);
  fs::remove_all(out);
  const std::string shell = "OPENBLAS_CORETYPE=" + task.kernel + " " + NN_BIN_DIR + "/" +
                            task.command + " --no-plots --out '" + out.string() + "' > '" +
                            (scratch / (std::to_string(number) + ".log")).string() + "' 2>&1";
  const int status = std::system(shell.c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(out / "results.json")) {
    task.failure = task.kernel + ": '" + task.command +
                   "' failed (log: " + (scratch / (std::to_string(number) + ".log")).string() + ")";
    return;
  }
  task.results = nn::read_results(out / "results.json");
  fs::remove_all(out);
  // OpenBLAS ignores a name it does not know: the run must say it used the kernels asked for
  const auto lower = [](std::string name) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  };
  const std::string used = task.results.value("blas_kernel", std::string("?"));
  if (lower(used) != lower(task.kernel))
    task.failure = task.kernel + ": '" + task.command + "' ran the " + used + " kernels";
}

// Runs every task, `jobs` at a time, with a line per finished run.
void run_all(std::vector<Task>& tasks, int jobs, const fs::path& scratch) {
  std::atomic<std::size_t> next{0};
  std::mutex print;
  const auto worker = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      const auto start = std::chrono::steady_clock::now();
      run(tasks[i], scratch, static_cast<int>(i));
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      const std::lock_guard lock(print);
      std::cerr << "kernel_spread: " << tasks[i].kernel << ": " << tasks[i].command << " ("
                << static_cast<int>(took.count()) << " s)"
                << (tasks[i].failure.empty() ? "" : " FAILED") << '\n';
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
}

std::string write_json(const fs::path& file, const Json& j) {
  std::ofstream out(file);
  out << j.dump(1) << '\n';
  return out ? "" : "cannot write " + file.string();
}

// One chapter: runs its commands under every kernel, then writes the spread (and, with
// `record`, the expected values from the first kernel's runs). Returns the problems found.
std::vector<std::string> chapter(const std::string& name, const Options& options) {
  const auto& [kernels, only, record, merge, jobs] = options;
  const fs::path expected_file = fs::path(NN_TESTS_DIR) / "expected" / (name + ".json");
  if (!fs::exists(expected_file)) return {"no " + expected_file.string()};
  Json expected = nn::read_results(expected_file);
  if (!expected.contains("commands") || !expected["commands"].is_object())
    return {expected_file.string() + " has no \"commands\" object"};
  std::vector<std::string> owners;
  for (const auto& [pointer, command] : expected["commands"].items()) owners.push_back(pointer);
  std::vector<std::string> pointers;
  leaves(expected, "", pointers);
  std::vector<Leaf> all;
  for (const std::string& p : pointers) {
    std::string owner;  // the longest "commands" pointer above p
    bool found = false;
    for (const std::string& o : owners)
      if (below(p, o) && (!found || o.size() > owner.size())) owner = o, found = true;
    if (!found) return {name + p + ": no command in \"commands\" records it"};
    all.push_back({p, owner});
  }

  const auto chosen = [&](const std::string& owner) {
    return only.empty() || std::find(only.begin(), only.end(), owner) != only.end();
  };
  for (const std::string& o : only)
    if (std::find(owners.begin(), owners.end(), o) == owners.end())
      return {name + ": --only " + o + ": not a pointer of \"commands\""};
  // with --only, the other values keep the spread the file already holds
  const fs::path spread_file = expected_file.parent_path() / "spread" / (name + ".json");
  Json before;
  if (fs::exists(spread_file)) before = nn::read_results(spread_file);
  if ((!only.empty() || merge) && before.is_null())
    return {(merge ? "--merge needs " : "--only needs ") + spread_file.string()};
  if (!only.empty() && !merge && before.value("kernels", Json::array()) != Json(kernels))
    return {spread_file.string() + " was made with other kernels than --kernels gives"};

  std::vector<Task> tasks;
  for (const std::string& kernel : kernels)
    for (const std::string& owner : owners)
      if (!expected["commands"][owner].is_null() && chosen(owner))
        tasks.push_back({kernel, owner, expected["commands"][owner].get<std::string>(), {}, {}});
  const fs::path scratch = fs::temp_directory_path() / ("kernel_spread-" + name);
  fs::create_directories(scratch);
  run_all(tasks, jobs, scratch);
  std::vector<std::string> problems;
  for (const Task& t : tasks)
    if (!t.failure.empty()) problems.push_back(t.failure);
  if (!problems.empty()) return problems;

  // value[kernel][pointer]
  std::map<std::string, std::map<std::string, Json>> value;
  for (const Task& t : tasks)
    for (const Leaf& leaf : all)
      if (leaf.owner == t.owner) {
        const auto v = printed(t.results, t.owner, leaf.pointer);
        // another kernel's run may end sooner (a shorter list): that value differs; the
        // recording kernel must print them all
        if (!v && record && t.kernel == kernels.front())
          problems.push_back(name + leaf.pointer + ": '" + t.command + "' does not print it");
        value[t.kernel][leaf.pointer] = v ? *v : Json("(not printed)");
      }
  for (const Leaf& leaf : all)  // a value no run prints is a pointer the chapter lost
    if (chosen(leaf.owner) && !expected["commands"][leaf.owner].is_null() &&
        std::all_of(kernels.begin(), kernels.end(), [&](const std::string& k) {
          return value[k][leaf.pointer] == Json("(not printed)");
        }))
      problems.push_back(name + leaf.pointer + ": no kernel's run prints it");
  if (!problems.empty()) return problems;

  if (record)
    for (const Leaf& leaf : all)
      if (value[kernels.front()].contains(leaf.pointer))
        expected[Json::json_pointer(leaf.pointer)] = value[kernels.front()][leaf.pointer];
  Json spread = Json::object(), lowest = Json::object(), highest = Json::object();
  for (const Leaf& leaf : all) {
    if (!chosen(leaf.owner)) {  // not run now: as before
      const auto keep = [&](const char* key, Json& into) {
        if (before.contains(key) && before[key].contains(leaf.pointer))
          into[leaf.pointer] = before[key][leaf.pointer];
      };
      keep("spread", spread), keep("min", lowest), keep("max", highest);
      if (!spread.contains(leaf.pointer))
        return {name + leaf.pointer + ": not in " + spread_file.string() + " (run without --only)"};
      continue;
    }
    if (expected["commands"][leaf.owner].is_null()) {
      spread[leaf.pointer] = 0.0;  // a source's number
      continue;
    }
    const Json& want = expected[Json::json_pointer(leaf.pointer)];
    Json s = 0.0, lo = want, hi = want;
    for (const std::string& kernel : kernels) {
      const Json& got = value[kernel][leaf.pointer];
      if (want.is_number() && got.is_number()) {
        const double d = std::abs(got.get<double>() - want.get<double>());
        if (!s.is_null()) s = std::max(s.get<double>(), d);
        if (got.get<double>() < lo.get<double>()) lo = got;
        if (got.get<double>() > hi.get<double>()) hi = got;
      } else if (got != want) {
        s = nullptr;
      }
    }
    spread[leaf.pointer] = s;
    if (s.is_number() && s.get<double>() > 0) {
      lowest[leaf.pointer] = lo;
      highest[leaf.pointer] = hi;
    }
  }
  Json file;
  file["recorded_with"] = record ? kernels.front() : before.value("recorded_with", kernels.front());
  file["kernels"] = kernels;
  file["spread"] = spread;
  // where the kernels differ, the lowest and the highest value they printed (the book may quote
  // the range of a chaotic value: CHAPTER/POINTER@min, @max)
  file["min"] = lowest;
  file["max"] = highest;
  if (merge) file = nn::spread::merged(before, file);
  fs::create_directories(expected_file.parent_path() / "spread");
  if (const auto p = write_json(spread_file, file); !p.empty()) problems.push_back(p);
  if (record)
    if (const auto p = write_json(expected_file, expected); !p.empty()) problems.push_back(p);
  fs::remove_all(scratch);
  return problems;
}

}  // namespace

int main(int argc, char** argv) {
  Options options{kDefaultKernels, {}};
  std::vector<std::string> chapters;
  const auto list = [](const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
      if (!item.empty()) items.push_back(item);
    return items;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--record") {
      options.record = true;
    } else if (arg == "--merge") {
      options.merge = true;
    } else if (arg == "--jobs" && i + 1 < argc) {
      options.jobs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--kernels" && i + 1 < argc) {
      options.kernels = list(argv[++i]);
    } else if (arg == "--only" && i + 1 < argc) {
      const std::string text = argv[++i];
      options.only = list(text);
      if (text.empty()) options.only.push_back("");  // --only "": the default run's pointer
    } else if (!arg.starts_with("-")) {
      chapters.push_back(arg);
    } else {
      chapters.clear();
      break;
    }
  }
  // recording moves the values the old spread was measured from: nothing left to merge with
  if (chapters.empty() || options.kernels.empty() || (options.record && options.merge)) {
    std::cerr << "usage: kernel_spread [--record | --merge] [--jobs N] [--kernels A,B,...] "
                 "[--only POINTER,...] CHAPTER...\n";
    return 2;
  }
  int status = 0;
  for (const std::string& name : chapters) {
    const auto problems = chapter(name, options);
    for (const auto& p : problems) std::cerr << "kernel_spread: " << p << '\n';
    if (!problems.empty()) status = 1;
  }
  return status;
}
