// Faults a learner or the machine can cause, and how every chapter meets them through
// ChapterCli::run and the shared writers and readers: exit 2 with one line for an output that
// cannot be written, outputs published together or not at all, 130/143 on SIGINT/SIGTERM with
// nothing left behind, decimal-only whole numbers, seeds that cannot wrap, memory estimates,
// and the saved-model reader (common/model_file).
#define BOOST_TEST_MODULE faults
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <boost/test/unit_test.hpp>
#include <chrono>

#include <cerrno>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <system_error>
#include <thread>

#include "common/nn/errors.hpp"
#include "common/plumbing/cli.hpp"
#include "common/plumbing/files.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/model_file.hpp"
#include "common/plumbing/plot.hpp"
#include "common/plumbing/results.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;
using Body = std::function<void(const nn::CommonOptions&)>;

namespace {

struct Outcome {
  int exit_code = -1;  // 128 + signal when the child was killed by one
  std::string err;     // what it printed on stderr
};

using nn::testing::lines;
using nn::testing::read_text;

// A toy chapter: --hidden (1..10), --seeds (consecutive seeds), --load (an input file).
struct Toy {
  int hidden = 4;
  int seeds = 1;
  fs::path load;
  int fixed_seeds = 1;

  int run(std::vector<std::string> args, const Body& body) {
    nn::ChapterCli cli("toy", "A toy chapter", "Chapter 0", 7);
    cli.add_count("--hidden", hidden, "hidden units", 1, 10);
    cli.add_seed_count("--seeds", seeds, "seeds");
    cli.add_existing_file("--load", load, "a saved model", "model.bin");
    cli.uses_seeds(fixed_seeds);
    args.insert(args.begin(), "toy");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return cli.run(static_cast<int>(argv.size()), argv.data(), body);
  }
};

// An Outcome's exit code for a child that had not ended after two minutes (it was killed).
constexpr int kHung = -2;

// Runs the toy chapter in a child process (its own process group, stderr captured), after
// `setup` (which may end the child with 77: "cannot test here"), and `after` it. `while_running`
// runs in the parent with the child's pid. A child that hangs is killed after two minutes, far
// more than any of these takes.
Outcome run_child(
    const std::vector<std::string>& args, const Body& body,
    const std::function<void()>& setup = [] {},
    const std::function<void(pid_t)>& while_running = [](pid_t) {},
    const std::function<void()>& after = [] {}) {
  const fs::path err = nn::testing::fresh_dir("faults-stderr") / "stderr.txt";
  std::fflush(nullptr);
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    setup();
    Toy toy;
    const int code = toy.run(args, body);
    after();
    std::fflush(nullptr);
    ::_exit(code);
  }
  while_running(pid);
  int status = 0;
  Outcome outcome;
  for (int waited = 0; ::waitpid(pid, &status, WNOHANG) == 0; ++waited) {
    if (waited == 120 * 50) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      outcome.exit_code = kHung;
      BOOST_ERROR("the child hung: killed after two minutes");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (outcome.exit_code != kHung)
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.err = read_text(err);
  BOOST_TEST_MESSAGE("exit " << outcome.exit_code << ", stderr: " << outcome.err);
  return outcome;
}

// Files in `dir` (recursively) whose names say they are unfinished: *.tmp*, .partial-*.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp") != std::string::npos || name.starts_with(".partial-"))
      found.push_back(entry.path().string());
  }
  return found;
}

// Waits (at most 10 s) until the run in the child has made its staging folder in `out`: its
// signal handling is in place by then.
void wait_for_staging(const fs::path& out) {
  for (int i = 0; i < 500 && leftovers(out).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

// A body that writes results.json and a figure's data, `size` bytes in all.
Body writes(std::size_t size) {
  return [size](const nn::CommonOptions& common) {
    nn::write_results(common.out_dir, {{"accuracy", 0.5}});
    nn::write_file_atomic(common.out_dir / "big.csv", std::string(size, 'x'));
  };
}

void check_one_line_exit_2(const Outcome& o, std::initializer_list<std::string> parts) {
  BOOST_TEST(o.exit_code == 2);
  BOOST_TEST(lines(o.err) == 1u);
  for (const std::string& part : parts)
    BOOST_TEST(o.err.find(part) != std::string::npos, "'" << part << "' in: " << o.err);
}

}  // namespace

// ---- 1. Writing fails ----

BOOST_AUTO_TEST_CASE(out_in_proc_self_or_under_a_file_exits_2) {
  // Both fail for root too: /proc/self takes no new files; a path under a file is no folder.
  check_one_line_exit_2(run_child({"--out", "/proc/self"}, writes(10)),
                        {"toy: /proc/self: cannot write"});
  const fs::path dir = nn::testing::fresh_dir("faults-file");
  write_text(dir / "plain", "a file\n");
  check_one_line_exit_2(run_child({"--out", (dir / "plain" / "out").string()}, writes(10)),
                        {"plain/out: cannot create the folder", "Not a directory"});
}

BOOST_AUTO_TEST_CASE(a_tmp_name_that_is_a_folder_exits_2) {
  const fs::path out = nn::testing::fresh_dir("faults-tmpdir");
  const Outcome o = run_child({"--out", out.string()}, [](const nn::CommonOptions& common) {
    fs::create_directory(common.out_dir / "results.json.tmp");
    nn::write_results(common.out_dir, {{"accuracy", 0.5}});
  });
  check_one_line_exit_2(o,
                        {(out / "results.json.tmp").string() + ": cannot write: Is a directory"});
  BOOST_TEST(leftovers(out).empty());
  BOOST_TEST(!fs::exists(out / "results.json"));
}

BOOST_AUTO_TEST_CASE(a_full_disk_exits_2_and_leaves_nothing) {
  // A 64 KiB tmpfs in a mount namespace of the child's own (as root, or as a user where user
  // namespaces are allowed): the real "No space left on device".
  const fs::path out = nn::testing::fresh_dir("faults-full");
  const auto tiny_disk = [out] {
    if (::geteuid() != 0) {
      const uid_t uid = ::getuid();
      if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) ::_exit(77);
      std::ofstream("/proc/self/setgroups") << "deny";
      std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
    } else if (::unshare(CLONE_NEWNS) != 0) {
      ::_exit(77);
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", out.c_str(), "tmpfs", 0, "size=64k") != 0)
      ::_exit(77);
  };
  const auto writes_then_lists = [](const nn::CommonOptions& common) { writes(1 << 20)(common); };
  const Outcome o = run_child({"--out", out.string()}, writes_then_lists, tiny_disk);
  if (o.exit_code == 77) {
    BOOST_TEST_MESSAGE(
        "skipped the tmpfs case: no mount namespace here; the file-size limit "
        "case below covers the same path");
  } else {
    check_one_line_exit_2(o, {(out / "big.csv").string(), "No space left on device"});
  }
  // Everywhere: the file-size limit (RLIMIT_FSIZE) makes the same write fail, root or not.
  const fs::path out2 = nn::testing::fresh_dir("faults-fsize");
  const auto small_files = [] {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
  };
  check_one_line_exit_2(run_child({"--out", out2.string()}, writes(1 << 20), small_files),
                        {(out2 / "big.csv").string(), "cannot write: File too large"});
  BOOST_TEST(leftovers(out2).empty());
  BOOST_TEST(!fs::exists(out2 / "results.json"));  // written before the failure: not published
}

BOOST_AUTO_TEST_CASE(saving_a_model_that_cannot_be_written_leaves_no_temporary_file) {
  const fs::path out = nn::testing::fresh_dir("faults-model");
  const auto small_files = [] {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
  };
  const Outcome o = run_child(
      {"--out", out.string()},
      [](const nn::CommonOptions& c) {
        nn::save_matrices(c.out_dir / "model.bin", {arma::fmat(64, 784, arma::fill::ones)});
      },
      small_files);
  check_one_line_exit_2(o, {(out / "model.bin").string() + ": cannot write: File too large"});
  BOOST_TEST(fs::is_empty(out));
}

// ---- 7. Outputs of two runs never mix ----

BOOST_AUTO_TEST_CASE(outputs_appear_together_or_not_at_all) {
  const fs::path out = nn::testing::fresh_dir("faults-publish");
  write_text(out / "notes.txt", "the learner's own file\n");
  Toy toy;
  const std::vector<std::string> args = {"--out", out.string()};
  // Run 1 writes a.txt and b.txt.
  BOOST_TEST(toy.run(args, [](const nn::CommonOptions& c) {
    BOOST_TEST(c.final_out_dir == fs::path(c.out_dir).parent_path());
    nn::write_file_atomic(c.out_dir / "a.txt", "run 1\n");
    nn::write_file_atomic(c.out_dir / "b.txt", "run 1\n");
  }) == 0);
  BOOST_TEST(read_text(out / "a.txt") == "run 1\n");
  // Run 2 fails after writing a.txt: --out keeps run 1's files, and nothing of run 2.
  BOOST_TEST(toy.run(args, [&](const nn::CommonOptions& c) {
    nn::write_file_atomic(c.out_dir / "a.txt", "run 2\n");
    BOOST_TEST(read_text(out / "a.txt") == "run 1\n");  // not yet published
    throw nn::DataError("x.gz: truncated");
  }) == 2);
  BOOST_TEST(read_text(out / "a.txt") == "run 1\n");
  BOOST_TEST(read_text(out / "b.txt") == "run 1\n");
  // Run 3 writes only a.txt: run 1's b.txt goes, the learner's notes.txt stays.
  BOOST_TEST(toy.run(args, [](const nn::CommonOptions& c) {
    nn::write_file_atomic(c.out_dir / "a.txt", "run 3\n");
  }) == 0);
  BOOST_TEST(read_text(out / "a.txt") == "run 3\n");
  BOOST_TEST(!fs::exists(out / "b.txt"));
  BOOST_TEST(read_text(out / "notes.txt") == "the learner's own file\n");
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(a_file_the_run_reads_is_never_removed) {
  const fs::path out = nn::testing::fresh_dir("faults-input");
  Toy toy;
  BOOST_TEST(toy.run({"--out", out.string()}, [](const nn::CommonOptions& c) {
    nn::write_file_atomic(c.out_dir / "model.bin", "weights\n");
  }) == 0);
  // Evaluating that model writes results.json only; model.bin, its input, stays.
  BOOST_TEST(toy.run({"--out", out.string(), "--load", (out / "model.bin").string()}, writes(1)) ==
             0);
  BOOST_TEST(read_text(out / "model.bin") == "weights\n");
  BOOST_TEST(fs::exists(out / "results.json"));
}

// ---- 8. Interrupted ----

BOOST_AUTO_TEST_CASE(sigterm_ends_the_run_with_143_and_leaves_out_as_it_was) {
  const fs::path out = nn::testing::fresh_dir("faults-term");
  write_text(out / "results.json", "{\"old\": 1}\n");
  const Outcome o = run_child(
      {"--out", out.string()},
      [](const nn::CommonOptions& c) {
        nn::write_results(c.out_dir, {{"new", 2}});
        for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // training …
      },
      [] {},
      [&](pid_t pid) {
        wait_for_staging(out);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ::kill(pid, SIGTERM);
      });
  BOOST_TEST(o.exit_code == 143);
  BOOST_TEST(lines(o.err) == 1u);
  BOOST_TEST(o.err.find("interrupted by SIGTERM") != std::string::npos);
  BOOST_TEST(read_text(out / "results.json") == "{\"old\": 1}\n");
  BOOST_TEST(leftovers(out).empty());
}

namespace {

// Without gnuplot there is nothing to interrupt: Boost.Test reports the case as skipped.
boost::test_tools::assertion_result gnuplot_installed(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result installed =
      std::system("gnuplot --version > /dev/null 2>&1") == 0;
  installed.message() << "gnuplot is not installed";
  return installed;
}

}  // namespace

BOOST_AUTO_TEST_CASE(ctrl_c_while_gnuplot_draws_ends_the_run_with_130,
                     *boost::unit_test::precondition(gnuplot_installed)) {
  const fs::path out = nn::testing::fresh_dir("faults-int");
  const Outcome o = run_child(
      {"--out", out.string()},
      [](const nn::CommonOptions& c) {
        const nn::Figures figures(c.out_dir, true);
        figures.csv("line.csv", {"x", "y"}, {arma::vec{0, 1}, arma::vec{1, 2}});
        figures.draw("slow", "plot 'line.csv' using 1:2 with lines\npause 30\n");
        nn::write_results(c.out_dir, {{"drawn", true}});
      },
      [] {},
      [&](pid_t pid) {
        // Ctrl-C: SIGINT to the whole process group, once gnuplot is drawing.
        wait_for_staging(out);
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        ::kill(-pid, SIGINT);
      });
  BOOST_TEST(o.exit_code == 130);
  BOOST_TEST(lines(o.err) == 1u);
  BOOST_TEST(o.err.find("interrupted by SIGINT") != std::string::npos);
  BOOST_TEST(fs::is_empty(out));  // no results.json, no curves, no *.tmp, no staging folder
}

// ---- 10. Whole numbers are decimal; seeds do not wrap ----

BOOST_AUTO_TEST_CASE(whole_numbers_are_decimal) {
  const fs::path out = nn::testing::fresh_dir("faults-decimal");
  Toy toy;
  std::uint32_t seed = 0;
  const Body keep_seed = [&](const nn::CommonOptions& c) { seed = c.seed; };
  BOOST_TEST(toy.run({"--out", out.string(), "--hidden", "010", "--seed", "017"}, keep_seed) == 0);
  BOOST_TEST(toy.hidden == 10);
  BOOST_TEST(seed == 17u);
  BOOST_TEST(toy.run({"--out", out.string(), "--hidden", "09"}, keep_seed) == 0);
  BOOST_TEST(toy.hidden == 9);
  for (const auto& bad :
       std::vector<std::vector<std::string>>{{"--seed", "0x10"},
                                             {"--hidden", "0x3"},
                                             {"--hidden", "11"},
                                             {"--hidden", "1e1"},
                                             {"--seed", "4294967296"},
                                             {"--seed", "-1"},
                                             {"--hidden", "99999999999999999999"}}) {
    BOOST_TEST_CONTEXT(bad.front() << " " << bad.back()) {
      auto args = bad;
      args.insert(args.end(), {"--out", out.string()});
      BOOST_TEST(Toy().run(args, keep_seed) == nn::kExitBadInput);
    }
  }
}

BOOST_AUTO_TEST_CASE(seeds_past_the_largest_are_refused) {
  const fs::path out = nn::testing::fresh_dir("faults-seeds");
  const std::vector<std::string> base = {"--out", out.string()};
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), base.begin(), base.end());
    return args;
  };
  const Outcome o = run_child(with({"--seed", "4294967295", "--seeds", "2"}), writes(1));
  check_one_line_exit_2(
      o, {"--seed 4294967295 with --seeds 2", "4294967296", "use --seed 4294967294 or less"});
  BOOST_TEST(Toy().run(with({"--seed", "4294967294", "--seeds", "2"}), writes(1)) == 0);
  BOOST_TEST(Toy().run(with({"--seed", "4294967295"}), writes(1)) == 0);
  Toy three;  // a chapter that also draws from --seed + 1 and --seed + 2
  three.fixed_seeds = 3;
  BOOST_TEST(three.run(with({"--seed", "4294967294"}), writes(1)) == nn::kExitBadInput);
  BOOST_TEST(three.run(with({"--seed", "4294967293"}), writes(1)) == 0);
}

// ---- 5. Sizes that cannot fit ----

BOOST_AUTO_TEST_CASE(counts_show_their_range_and_memory_is_checked) {
  const fs::path out = nn::testing::fresh_dir("faults-memory");
  const Outcome help = run_child({"--help"}, writes(1));
  BOOST_TEST(help.exit_code == 0);
  const Outcome big = run_child({"--out", out.string()}, [](const nn::CommonOptions&) {
    nn::check_memory(nn::memory_limit_bytes() * 2, "--hidden 1000000000");
  });
  check_one_line_exit_2(big, {"toy: --hidden 1000000000: this run needs about", "GiB of memory"});
  BOOST_CHECK_NO_THROW(nn::check_memory(1e6, "--hidden 4"));
  BOOST_TEST(nn::memory_limit_bytes() > 1e8);
}

// ---- 6. The saved-model reader ----

namespace {

const std::vector<nn::MatrixShape> kShapes = {{"W1", 3, 2}, {"b1", 3, 1}};
const std::string kHolds = "a 3×2 W1 and a 3×1 b1";

std::vector<arma::fmat> model() {
  return {arma::fmat{{1, 2}, {3, 4}, {5, 6}}, arma::fmat(arma::fcolvec{0.5f, -0.5f, 0.25f})};
}

std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void check_refused(const fs::path& file, std::initializer_list<std::string> parts) {
  try {
    nn::load_matrices(file, kShapes, kHolds);
    BOOST_ERROR("no DataError for " << file);
  } catch (const nn::DataError& e) {
    const std::string message = e.what();
    BOOST_TEST_MESSAGE(message);
    BOOST_TEST(message.find('\n') == std::string::npos);
    BOOST_TEST(message.find(file.string()) != std::string::npos, message);
    for (const std::string& part : parts)
      BOOST_TEST(message.find(part) != std::string::npos, "'" << part << "' in: " << message);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(models_round_trip_and_old_files_still_load) {
  const fs::path dir = nn::testing::fresh_dir("faults-model-ok");
  nn::save_matrices(dir / "model.bin", model());
  const auto loaded = nn::load_matrices(dir / "model.bin", kShapes, kHolds);
  BOOST_TEST(arma::approx_equal(loaded[0], model()[0], "absdiff", 0.0f));
  BOOST_TEST(arma::approx_equal(loaded[1], model()[1], "absdiff", 0.0f));
  // chapter 5's model.bin before nn::save_matrices: arma::field<fmat>::save, byte for byte.
  const arma::field<arma::fmat> old = {model()[0], model()[1]};
  BOOST_REQUIRE(old.save((dir / "old.bin").string(), arma::arma_binary));
  BOOST_TEST(bytes_of(dir / "old.bin") == bytes_of(dir / "model.bin"));
  BOOST_TEST(nn::load_matrices(dir / "old.bin", kShapes, kHolds)[1](2, 0) == 0.25f);
  BOOST_TEST(leftovers(dir).empty());
}

BOOST_AUTO_TEST_CASE(bad_models_are_refused_with_the_reason) {
  const fs::path dir = nn::testing::fresh_dir("faults-model-bad");
  nn::save_matrices(dir / "good.bin", model());
  const std::string good = bytes_of(dir / "good.bin");
  write_text(dir / "trailing.bin", good + "extra");
  check_refused(dir / "trailing.bin", {"5 unexpected bytes after the data", "expected " + kHolds});
  write_text(dir / "short.bin", good.substr(0, good.size() - 3));
  check_refused(dir / "short.bin", {"truncated: b1 needs 12 bytes, 9 are left"});
  auto nan = model();
  nan[1](1, 0) = std::nanf("");
  nn::save_matrices(dir / "nan.bin", nan);
  check_refused(dir / "nan.bin", {"b1 holds NaN at element 1"});
  nn::save_matrices(dir / "shape.bin", {arma::fmat(2, 3, arma::fill::ones), model()[1]});
  check_refused(dir / "shape.bin", {"W1 has shape '2 3', expected 3×2"});
  nn::save_matrices(dir / "count.bin", {model()[0]});
  check_refused(dir / "count.bin", {"the matrix count is '1'"});
  check_refused(dir / "absent.bin", {"file not found"});
  // Special files: refused at once, never read (a pipe would wait for ever, /dev/zero never end).
  BOOST_REQUIRE(::mkfifo((dir / "pipe.bin").c_str(), 0644) == 0);
  check_refused(dir / "pipe.bin", {"is a named pipe (FIFO), not a regular file"});
  try {
    nn::load_matrices("/dev/zero", kShapes, kHolds);
    BOOST_ERROR("/dev/zero was read");
  } catch (const nn::DataError& e) {
    BOOST_TEST(std::string(e.what()) == "/dev/zero: is a character device, not a regular file");
  }
  check_refused(dir, {"is a directory, not a regular file"});
  // A 4 GiB file (sparse: it takes no disk) is refused after reading a few bytes.
  { std::ofstream(dir / "huge.bin") << good; }
  fs::resize_file(dir / "huge.bin", std::uintmax_t{1} << 32);
  check_refused(dir / "huge.bin", {"unexpected bytes after the data"});
}

// Top level, so that CI can name it alone: --run_test=writes_model_fuzz_seed_corpus
BOOST_AUTO_TEST_CASE(writes_model_fuzz_seed_corpus) {
  const fs::path dir = nn::testing::fresh_dir("faults-model-corpus");
  nn::save_matrices(dir / "good", model());
  const std::string good = bytes_of(dir / "good");
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"good", good}, {"truncated", good.substr(0, 40)}, {"trailing", good + "x"}};
  BOOST_TEST(nn::parse_matrices({reinterpret_cast<const unsigned char*>(good.data()), good.size()},
                                kShapes, kHolds, "seed")
                 .size() == 2u);
  if (const char* corpus = std::getenv("NN_FUZZ_CORPUS")) {
    fs::create_directories(corpus);
    for (const auto& [name, bytes] : seeds) write_text(fs::path(corpus) / ("model_" + name), bytes);
  }
}

// ---- Round 3: any failure is one line; publishing is exclusive and all or nothing; every
// ---- signal that ends a run says what --out holds; a gnuplot that never returns ----

namespace {

// Writes `count` small files f00000.txt … holding `tag`, and results.json.
Body writes_files(int count, const std::string& tag) {
  return [count, tag](const nn::CommonOptions& c) {
    for (int i = 0; i < count; ++i)
      nn::write_file_atomic(c.out_dir / fmt::format("f{:05}.txt", i), tag);
    nn::write_results(c.out_dir, {{"tag", tag}});
  };
}

// The tags the f*.txt files in `out` hold, and how many files hold each.
std::map<std::string, int> tags_in(const fs::path& out) {
  std::map<std::string, int> tags;
  for (const auto& entry : fs::directory_iterator(out))
    if (entry.path().filename().string().starts_with("f")) ++tags[read_text(entry.path())];
  return tags;
}

// --out holds the files of one run only: all `count` of them, and its results.json.
void check_one_run(const fs::path& out, int count) {
  const auto tags = tags_in(out);
  BOOST_REQUIRE(tags.size() == 1u);
  BOOST_TEST(tags.begin()->second == count);
  BOOST_TEST(read_text(out / "results.json").find(tags.begin()->first) != std::string::npos);
  BOOST_TEST(leftovers(out).empty());
}

// The bytes of the address space the process maps now.
rlim_t mapped_now() {
  std::ifstream statm("/proc/self/statm");
  rlim_t pages = 0;
  statm >> pages;
  return pages * static_cast<rlim_t>(::sysconf(_SC_PAGE_SIZE));
}

}  // namespace

BOOST_AUTO_TEST_CASE(any_other_failure_is_one_line_and_exit_2) {
  // The last resort of ChapterCli::run: before it, each of these aborted (exit 134, no line,
  // the staging folder left in --out).
  const fs::path out = nn::testing::fresh_dir("faults-last-resort");
  const std::vector<std::pair<std::string, Body>> failures = {
      {"a bug", [](const nn::CommonOptions&) { throw std::logic_error("a bug"); }},
      {"unknown error", [](const nn::CommonOptions&) { throw 42; }},
      {"non-finite",
       [](const nn::CommonOptions& c) {
         nn::write_results(c.out_dir, {{"loss", std::numeric_limits<double>::infinity()}});
       }},
      {"cannot start a thread", [](const nn::CommonOptions&) {
         throw std::system_error(EAGAIN, std::generic_category(), "cannot start a thread");
       }}};
  for (const auto& [message, body] : failures) {
    BOOST_TEST_CONTEXT(message) {
      check_one_line_exit_2(run_child({"--out", out.string()}, body), {"toy: ", message});
      BOOST_TEST(leftovers(out).empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(an_address_space_too_small_for_a_thread_is_one_line) {
  // 8 MiB more than the process maps: no room for a thread with the default 8 MiB stack (the
  // one that watches for signals was one: std::system_error, abort), nor for OpenBLAS's buffer.
  const fs::path out = nn::testing::fresh_dir("faults-no-thread");
  const auto tight = [] {
    const rlim_t bytes = mapped_now() + (8 << 20);
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
  };
  check_one_line_exit_2(run_child({"--out", out.string()}, writes(10), tight), {"toy: ", "memory"});
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(a_publish_that_cannot_finish_leaves_the_previous_run_whole) {
  // Run 2 writes a.txt, b.txt and c.txt; b.txt of run 1 has become a folder of the learner's.
  // Before, a.txt of run 2 was published beside run 1's c.txt and results.json (exit 2).
  const fs::path out = nn::testing::fresh_dir("faults-half-publish");
  const auto three = [](const std::string& tag) {
    return [tag](const nn::CommonOptions& c) {
      for (const char* name : {"a.txt", "b.txt", "c.txt"})
        nn::write_file_atomic(c.out_dir / name, tag);
      nn::write_results(c.out_dir, {{"run", tag}});
    };
  };
  BOOST_TEST(Toy().run({"--out", out.string()}, three("run 1")) == 0);
  fs::remove(out / "b.txt");
  fs::create_directory(out / "b.txt");
  write_text(out / "b.txt" / "mine", "the learner's\n");
  check_one_line_exit_2(run_child({"--out", out.string()}, three("run 2")),
                        {(out / "b.txt").string(), "is a folder"});
  BOOST_TEST(read_text(out / "a.txt") == "run 1");
  BOOST_TEST(read_text(out / "c.txt") == "run 1");
  BOOST_TEST(read_text(out / "results.json").find("run 1") != std::string::npos);
  BOOST_TEST(read_text(out / "b.txt" / "mine") == "the learner's\n");
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(a_publish_killed_half_way_is_undone_by_the_next_run) {
  // Run 2 is killed (SIGKILL) while it moves its 5000 files into --out, over run 1's; run 3
  // then fails. Before, --out was left holding files of both runs. (Should the kill come
  // before or after the moves, --out holds one run's files all the same.)
  const fs::path out = nn::testing::fresh_dir("faults-killed-publish");
  constexpr int count = 5000;
  BOOST_TEST(Toy().run({"--out", out.string()}, writes_files(count, "1")) == 0);
  const Outcome killed = run_child(
      {"--out", out.string()}, writes_files(count, "2"), [] {},
      [&](pid_t pid) {
        for (int i = 0; i < 60000 && read_text(out / "f00000.txt") != "2"; ++i)
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        ::kill(pid, SIGKILL);
      });
  BOOST_TEST(killed.exit_code == 128 + SIGKILL);
  BOOST_TEST(Toy().run({"--out", out.string()},
                       [](const nn::CommonOptions&) { throw nn::DataError("x: bad"); }) == 2);
  check_one_run(out, count);
}

BOOST_AUTO_TEST_CASE(two_runs_into_one_folder_never_mix) {
  // Run A is stopped (SIGSTOP) while it moves its 5000 files into --out; run B, into the same
  // folder, then waits for A's lock instead of publishing beside it; A goes on (SIGCONT) and
  // ends, then B publishes. --out ends with all of B's files. Before, B published while A was
  // stopped and A's remaining files then replaced B's: a mix of both runs.
  const fs::path out = nn::testing::fresh_dir("faults-two-runs");
  constexpr int count = 5000;
  Outcome b;
  const Outcome a = run_child(
      {"--out", out.string()}, writes_files(count, "A"), [] {},
      [&](pid_t a_pid) {
        for (int i = 0; i < 600000 && !fs::exists(out / "f00000.txt"); ++i)
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        ::kill(a_pid, SIGSTOP);
        b = run_child(
            {"--out", out.string()}, writes_files(count, "B"), [] {},
            [&](pid_t b_pid) {
              // B's files are ready (or B waits to begin, A holding the lock): give it a second
              const std::string staging = ".partial-" + std::to_string(b_pid) + "-";
              const auto b_ready = [&] {
                for (const auto& entry : fs::directory_iterator(out))
                  if (entry.path().filename().string().starts_with(staging))
                    return fs::exists(entry.path() / "results.json");
                return false;
              };
              for (int i = 0; i < 500 && !b_ready(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
              std::this_thread::sleep_for(std::chrono::seconds(1));
              ::kill(a_pid, SIGCONT);
            });
      });
  BOOST_TEST(a.exit_code == 0);
  BOOST_TEST(b.exit_code == 0);
  check_one_run(out, count);
  BOOST_TEST(read_text(out / "f00000.txt") == "B");
}

BOOST_AUTO_TEST_CASE(a_live_run_is_known_by_its_lock_not_its_pid) {
  // A staging folder whose name carries a pid this process cannot see (a run in another PID
  // namespace, a container), locked by the run that writes there: left alone.
  const fs::path out = nn::testing::fresh_dir("faults-other-namespace");
  pid_t unseen = 999999;
  while (::kill(unseen, 0) == 0 || errno != ESRCH) --unseen;
  const fs::path live = out / (".partial-" + std::to_string(unseen) + "-abcdef");
  fs::create_directory(live);
  write_text(live / "results.json", "{}\n");
  const int lock = ::open(live.c_str(), O_RDONLY | O_DIRECTORY);
  BOOST_REQUIRE(::flock(lock, LOCK_EX) == 0);
  BOOST_TEST(Toy().run({"--out", out.string()}, writes(1)) == 0);
  BOOST_TEST(fs::exists(live / "results.json"));
  ::close(lock);
  BOOST_TEST(Toy().run({"--out", out.string()}, writes(1)) == 0);  // its run has ended
  BOOST_TEST(!fs::exists(live));
}

BOOST_AUTO_TEST_CASE(loading_another_model_never_drops_the_saved_one) {
  const fs::path out = nn::testing::fresh_dir("faults-keep-model");
  const fs::path other = nn::testing::fresh_dir("faults-other-model") / "other.bin";
  write_text(other, "other weights\n");
  BOOST_TEST(Toy().run({"--out", out.string()}, [](const nn::CommonOptions& c) {
    nn::write_file_atomic(c.out_dir / "model.bin", "trained weights\n");
  }) == 0);
  check_one_line_exit_2(run_child({"--out", out.string(), "--load", other.string()}, writes(1)),
                        {"--load " + other.string(), (out / "model.bin").string()});
  BOOST_TEST(read_text(out / "model.bin") == "trained weights\n");
  BOOST_TEST(!fs::exists(out / "results.json"));
  BOOST_TEST(Toy().run({"--out", out.string(), "--load", (out / "model.bin").string()},
                       writes(1)) == 0);  // the saved model itself: evaluated, kept
  BOOST_TEST(read_text(out / "model.bin") == "trained weights\n");
}

BOOST_AUTO_TEST_CASE(sighup_and_sigpipe_end_the_run_like_sigterm) {
  const fs::path out = nn::testing::fresh_dir("faults-hup");
  const Body trains = [](const nn::CommonOptions& c) {
    nn::write_results(c.out_dir, {{"new", 2}});
    for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  const Outcome hup = run_child(
      {"--out", out.string()}, trains, [] {},
      [&](pid_t pid) {
        wait_for_staging(out);
        ::kill(pid, SIGHUP);  // the terminal closed
      });
  BOOST_TEST(hup.exit_code == 129);
  BOOST_TEST(lines(hup.err) == 1u);
  BOOST_TEST(hup.err.find("interrupted by SIGHUP: nothing written to " + out.string()) !=
             std::string::npos);
  BOOST_TEST(fs::is_empty(out));
  // stdout a pipe whose reader has gone (`| head -1`): the first line written raises SIGPIPE
  const auto closed_pipe = [] {
    int ends[2];
    if (::pipe(ends) != 0) ::_exit(77);
    ::close(ends[0]);
    ::dup2(ends[1], 1);
  };
  const Outcome pipe = run_child(
      {"--out", out.string()},
      [](const nn::CommonOptions& c) {
        nn::write_results(c.out_dir, {{"new", 2}});
        for (;;) std::cout << "epoch 1: cost 0.5" << std::endl;
      },
      closed_pipe);
  BOOST_TEST(pipe.exit_code == 141);
  BOOST_TEST(lines(pipe.err) == 1u);
  BOOST_TEST(pipe.err.find("interrupted by SIGPIPE: nothing written to " + out.string()) !=
             std::string::npos);
  BOOST_TEST(fs::is_empty(out));
}

BOOST_AUTO_TEST_CASE(a_signal_after_publishing_says_the_outputs_are_all_there) {
  // The signal comes once --out holds the run's files (during the publish the handler waits
  // for it to end): before, exit 143 with no line at all.
  const fs::path out = nn::testing::fresh_dir("faults-late-signal");
  const Outcome late = run_child(
      {"--out", out.string()}, writes(10), [] {}, [](pid_t) {},
      [] {
        ::kill(::getpid(), SIGTERM);
        for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      });
  BOOST_TEST(late.exit_code == 143);
  BOOST_TEST(lines(late.err) == 1u);
  BOOST_TEST(late.err.find("interrupted by SIGTERM after its outputs were published: " +
                           out.string() + " holds them all") != std::string::npos);
  BOOST_TEST(fs::exists(out / "big.csv"));
  // SIGTERM once the first of 5000 files has moved into --out (while the others move, or
  // just after): one line, and it says what --out holds.
  const fs::path out2 = nn::testing::fresh_dir("faults-publish-signal");
  constexpr int count = 5000;
  const Outcome during = run_child(
      {"--out", out2.string()}, writes_files(count, "new"), [] {},
      [&](pid_t pid) {
        for (int i = 0; i < 600000 && !fs::exists(out2 / "f00000.txt"); ++i)
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        ::kill(pid, SIGTERM);
      },
      [] {
        for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // until the signal
      });
  BOOST_TEST(during.exit_code == 143);
  BOOST_TEST(lines(during.err) == 1u);
  if (during.err.find("published") != std::string::npos) {
    check_one_run(out2, count);
  } else {
    BOOST_TEST(fs::is_empty(out2));
  }
}

BOOST_AUTO_TEST_CASE(a_gnuplot_that_never_returns_is_stopped) {
  // A gnuplot that answers --version and then hangs (a stuck display): after NN_PLOT_SECONDS
  // it is stopped, one warning says so, no other figure is tried, and the run ends with its
  // data and scripts. Before, the run waited for ever.
  const fs::path out = nn::testing::fresh_dir("faults-stuck-gnuplot");
  const fs::path bin = nn::testing::fresh_dir("faults-fake-gnuplot");
  write_text(bin / "gnuplot", "#!/bin/sh\n[ \"$1\" = --version ] && exit 0\nexec sleep 600\n");
  fs::permissions(bin / "gnuplot", fs::perms::owner_all);
  const auto stuck_gnuplot = [&] {
    ::setenv("PATH", (bin.string() + ":" + std::getenv("PATH")).c_str(), 1);
    ::setenv("NN_PLOT_SECONDS", "1", 1);
  };
  const Outcome o = run_child(
      {"--out", out.string()},
      [](const nn::CommonOptions& c) {
        const nn::Figures figures(c.out_dir, true);
        figures.csv("line.csv", {"x", "y"}, {arma::vec{0, 1}, arma::vec{1, 2}});
        figures.draw("first", "plot 'line.csv' using 1:2 with lines\n");
        figures.draw("second", "plot 'line.csv' using 1:2 with points\n");
        nn::write_results(c.out_dir, {{"drawn", false}});
      },
      stuck_gnuplot);
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(lines(o.err) == 1u);
  BOOST_TEST(o.err.find("gnuplot did not finish " + (out / "first.gp").string() + " within 1 s") !=
             std::string::npos);
  for (const char* file : {"line.csv", "first.gp", "second.gp", "results.json"})
    BOOST_TEST(fs::exists(out / file), file);
  BOOST_TEST(!fs::exists(out / "first.png"));
  BOOST_TEST(!fs::exists(out / "first.log"));
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(an_out_that_names_no_folder_is_named) {
  check_one_line_exit_2(run_child({"--out", ""}, writes(1)),
                        {"toy: --out: the folder name is empty"});
  check_one_line_exit_2(run_child({"--data-dir", ""}, writes(1)),
                        {"toy: --data-dir: the folder name is empty"});
  const fs::path dir = nn::testing::fresh_dir("faults-dangling");
  fs::create_symlink(dir / "gone", dir / "out");
  check_one_line_exit_2(run_child({"--out", (dir / "out").string()}, writes(1)),
                        {"--out " + (dir / "out").string() + ": is a symbolic link to " +
                         (dir / "gone").string() + ", which does not exist"});
  fs::create_symlink("loop", dir / "loop");
  check_one_line_exit_2(run_child({"--out", (dir / "loop").string()}, writes(1)),
                        {"--out " + (dir / "loop").string() + ": is a symbolic link to loop",
                         "Too many levels of symbolic links"});
  write_text(dir / "file", "not a folder\n");
  check_one_line_exit_2(run_child({"--out", (dir / "file").string()}, writes(1)),
                        {"--out " + (dir / "file").string() + ": is a file, not a folder"});
}

// ---- Round 4: every signal that ends a process cleans up; limits are named; publishing
// ---- touches only its own folders and only the newest state; gnuplot's failures are warnings

namespace {

// A body that writes results.json, then trains for ever (until a signal ends it).
void trains_for_ever(const nn::CommonOptions& c) {
  nn::write_results(c.out_dir, {{"new", 2}});
  for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// Recurses `depth` calls deep, 4 KiB of stack each: past any stack limit when depth is huge.
std::size_t deep(std::size_t depth) {
  volatile char frame[4096];
  frame[0] = static_cast<char>(depth);
  if (depth == 0) return 0;
  return deep(depth - 1) + static_cast<std::size_t>(frame[0]);
}

// A gnuplot of `script` (a shell script) in a fresh folder, put first on the PATH by the
// setup this returns, with NN_PLOT_SECONDS 1.
std::function<void()> fake_gnuplot(const std::string& name, const std::string& script) {
  const fs::path bin = nn::testing::fresh_dir(name);
  write_text(bin / "gnuplot", "#!/bin/sh\n" + script);
  fs::permissions(bin / "gnuplot", fs::perms::owner_all);
  return [bin] {
    ::setenv("PATH", (bin.string() + ":" + std::getenv("PATH")).c_str(), 1);
    ::setenv("NN_PLOT_SECONDS", "1", 1);
  };
}

// A body that draws one figure, "first", and writes results.json.
void draws_one_figure(const nn::CommonOptions& c) {
  const nn::Figures figures(c.out_dir, true);
  figures.csv("line.csv", {"x", "y"}, {arma::vec{0, 1}, arma::vec{1, 2}});
  figures.draw("first", "plot 'line.csv' using 1:2 with lines\n");
  nn::write_results(c.out_dir, {{"drawn", true}});
}

// Whether process `pid` has ended (gone, or a zombie that nobody has waited for yet).
bool has_ended(pid_t pid) {
  std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return stat.empty() || (paren != std::string::npos && stat.substr(paren + 2, 1) == "Z");
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_signal_that_ends_a_process_ends_the_run_like_sigterm) {
  // Before, each of these ended the process at once: no line, the staging folder left in --out.
  const fs::path out = nn::testing::fresh_dir("faults-other-signals");
  write_text(out / "results.json", "{\"old\": 1}\n");
  for (const int signal : {SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU}) {
    BOOST_TEST_CONTEXT("SIG" << ::sigabbrev_np(signal)) {
      const Outcome o = run_child(
          {"--out", out.string()}, trains_for_ever, [] {},
          [&](pid_t pid) {
            wait_for_staging(out);
            ::kill(pid, signal);
          });
      BOOST_TEST(o.exit_code == 128 + signal);
      BOOST_TEST(lines(o.err) == 1u);
      BOOST_TEST(o.err.find("interrupted by SIG" + std::string(::sigabbrev_np(signal))) !=
                 std::string::npos);
      BOOST_TEST(read_text(out / "results.json") == "{\"old\": 1}\n");
      BOOST_TEST(leftovers(out).empty());
    }
  }
  // `ulimit -t`: the soft CPU-time limit sends SIGXCPU, which names the limit.
  const auto one_cpu_second = [] {
    const rlimit limit{1, RLIM_INFINITY};
    ::setrlimit(RLIMIT_CPU, &limit);
  };
  const Outcome cpu = run_child(
      {"--out", out.string()},
      [](const nn::CommonOptions& c) {
        nn::write_results(c.out_dir, {{"new", 2}});
        volatile double x = 0;
        for (;;) x = x + 1;
      },
      one_cpu_second);
  BOOST_TEST(cpu.exit_code == 128 + SIGXCPU);
  BOOST_TEST(lines(cpu.err) == 1u);
  BOOST_TEST(cpu.err.find("SIGXCPU (the CPU-time limit, ulimit -t)") != std::string::npos);
  BOOST_TEST(read_text(out / "results.json") == "{\"old\": 1}\n");
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(a_file_size_limit_is_a_write_error_that_names_it) {
  // `ulimit -f` with SIGXFSZ as the shell leaves it: before, the write raised SIGXFSZ and the
  // run died (exit 153, no line, the staging folder left).
  const fs::path out = nn::testing::fresh_dir("faults-xfsz");
  const auto small_files = [] {
    const rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
  };
  check_one_line_exit_2(run_child({"--out", out.string()}, writes(1 << 20), small_files),
                        {(out / "big.csv").string() + ": cannot write: File too large",
                         "the file-size limit, ulimit -f, is 65536 bytes"});
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(a_stack_overflow_leaves_no_staging_folder) {
  // Before, SIGSEGV ended the run with no line and left its staging folder in --out.
  const fs::path out = nn::testing::fresh_dir("faults-stack");
  const Outcome o = run_child({"--out", out.string()}, [](const nn::CommonOptions& c) {
    nn::write_results(c.out_dir, {{"new", 2}});
    std::cout << deep(std::numeric_limits<std::size_t>::max()) << std::endl;
  });
  BOOST_TEST(o.exit_code == 128 + SIGSEGV);
  BOOST_TEST(lines(o.err) == 1u);
  BOOST_TEST(o.err.find("toy: crashed with SIGSEGV (out of stack? see ulimit -s): nothing "
                        "written to " +
                        out.string()) != std::string::npos);
  BOOST_TEST(fs::is_empty(out));
}

BOOST_AUTO_TEST_CASE(folders_of_the_learners_named_like_staging_are_kept) {
  // Before, `.partial-mine` was taken for an abandoned staging folder and removed with all it
  // held.
  const fs::path out = nn::testing::fresh_dir("faults-partial-mine");
  for (const char* name :
       {".partial-mine", ".partial-12", ".partial-12-abcdefg", ".partial--abcdef"}) {
    fs::create_directory(out / name);
    write_text(out / name / "notes.txt", "mine\n");
  }
  BOOST_TEST(Toy().run({"--out", out.string()}, writes(1)) == 0);
  BOOST_TEST(Toy().run({"--out", out.string()}, writes(1)) == 0);
  for (const char* name :
       {".partial-mine", ".partial-12", ".partial-12-abcdefg", ".partial--abcdef"})
    BOOST_TEST(read_text(out / name / "notes.txt") == "mine\n", name);
}

BOOST_AUTO_TEST_CASE(an_abandoned_publish_is_undone_before_a_newer_one) {
  // Run A was killed half-way through its publish while run 2 worked: x.txt of A had moved into
  // --out, x.txt of run 1 waits in A's staging folder. Run 2 publishes x.txt; run 3 fails.
  // Before, run 3 undid A's publish over run 2's: x.txt of run 1 came back.
  const fs::path out = nn::testing::fresh_dir("faults-stale-journal");
  const auto writes_x = [](const std::string& tag) {
    return [tag](const nn::CommonOptions& c) { nn::write_file_atomic(c.out_dir / "x.txt", tag); };
  };
  BOOST_TEST(Toy().run({"--out", out.string()}, writes_x("1")) == 0);
  const auto killed_while_run_2_works = [&](const nn::CommonOptions& c) {
    const fs::path a = out / ".partial-999999-abcdef";
    fs::create_directories(a / ".previous");
    write_text(a / ".publishing", "x.txt\n");
    fs::rename(out / "x.txt", a / ".previous" / "x.txt");
    write_text(out / "x.txt", "A");
    writes_x("2")(c);
  };
  BOOST_TEST(Toy().run({"--out", out.string()}, killed_while_run_2_works) == 0);
  BOOST_TEST(read_text(out / "x.txt") == "2");
  BOOST_TEST(Toy().run({"--out", out.string()},
                       [](const nn::CommonOptions&) { throw nn::DataError("x: bad"); }) == 2);
  BOOST_TEST(read_text(out / "x.txt") == "2");
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(an_out_moved_during_the_run_publishes_nothing_and_leaves_nothing) {
  // Before, the run said "filesystem error: directory iterator cannot open directory" with the
  // staging folder's path, and left that folder in the moved one.
  const fs::path dir = nn::testing::fresh_dir("faults-moved-out");
  const fs::path out = dir / "out", moved = dir / "moved";
  const Outcome o = run_child({"--out", out.string()}, [&](const nn::CommonOptions& c) {
    nn::write_results(c.out_dir, {{"new", 2}});
    fs::rename(out, moved);
  });
  check_one_line_exit_2(o, {"--out " + out.string() +
                            ": the folder was moved or removed during the run: nothing published"});
  BOOST_TEST(o.err.find(".partial-") == std::string::npos);
  BOOST_TEST(fs::is_empty(moved));
  BOOST_TEST(!fs::exists(out));
}

BOOST_AUTO_TEST_CASE(a_gnuplot_that_draws_nothing_is_a_warning) {
  // A stand-in for gnuplot that ends well without drawing. Before: "cannot rename
  // …/.partial-…/first.png.tmp", exit 2.
  const fs::path out = nn::testing::fresh_dir("faults-idle-gnuplot");
  const Outcome idle = run_child({"--out", out.string()}, draws_one_figure,
                                 fake_gnuplot("faults-idle-gnuplot-bin", "exit 0\n"));
  BOOST_TEST(idle.exit_code == 0);
  BOOST_TEST(lines(idle.err) == 1u);
  BOOST_TEST(idle.err.find("warning: gnuplot drew no picture of " + (out / "first.gp").string()) !=
             std::string::npos);
  BOOST_TEST(idle.err.find(".partial-") == std::string::npos);
  BOOST_TEST(fs::exists(out / "results.json"));
  BOOST_TEST(!fs::exists(out / "first.png"));
  BOOST_TEST(leftovers(out).empty());
}

BOOST_AUTO_TEST_CASE(a_stopped_gnuplot_takes_its_children_with_it) {
  // A gnuplot that starts a program of its own and waits for it, past NN_PLOT_SECONDS. Before,
  // only gnuplot was killed: the program it started ran on.
  const fs::path out = nn::testing::fresh_dir("faults-gnuplot-group");
  const fs::path pid_file = nn::testing::fresh_dir("faults-gnuplot-group-pid") / "child.pid";
  const Outcome o = run_child({"--out", out.string()}, draws_one_figure,
                              fake_gnuplot("faults-gnuplot-group-bin",
                                           "[ \"$1\" = --version ] && exit 0\nsleep 600 &\n"
                                           "echo $! > " +
                                               pid_file.string() + "\nwait\n"));
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(o.err.find("gnuplot did not finish") != std::string::npos);
  const pid_t sleeper = std::stoi(read_text(pid_file));
  for (int i = 0; i < 100 && !has_ended(sleeper); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  BOOST_TEST(has_ended(sleeper));
  ::kill(sleeper, SIGKILL);
  BOOST_TEST(leftovers(out).empty());
}
