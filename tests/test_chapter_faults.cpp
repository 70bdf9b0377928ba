// Faults the chapter programs meet as a learner runs them, from a shell: damaged models, data of
// one class, a path that is not UTF-8, address-space limits, closed standard streams, a closed
// output pipe, a --load that would drop the saved model, and flags whose messages must name
// them. Every run ends (each under `timeout`, far longer than it takes) with exit 0 or with
// exit 2 (141 for the pipe) and one line on stderr, and leaves no staging folder in --out.
#define BOOST_TEST_MODULE chapter_faults
#include <H5Cpp.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/plumbing/blas_kernel.hpp"
#include "common/plumbing/model_file.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;

namespace {

struct Shell {
  int exit_code = -1;
  std::string out, err;
};

using nn::testing::lines;
using nn::testing::read_text;

// Runs `command` with bash (pipefail), bin/ holding the chapters, under a two-minute `timeout`
// (exit 124 when it hangs); stdout and stderr are captured unless the command redirects them.
Shell shell(const std::string& command) {
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-shell");
  const std::string script = "set -o pipefail; bin=" + std::string(NN_BIN_DIR) + "; " + command;
  std::ofstream(dir / "script.sh") << script << '\n';
  const std::string line = "timeout -k 5 120 bash " + (dir / "script.sh").string() + " > " +
                           (dir / "out").string() + " 2> " + (dir / "err").string();
  const int status = std::system(line.c_str());
  Shell s{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir / "out"),
          read_text(dir / "err")};
  BOOST_TEST_MESSAGE(command << " -> exit " << s.exit_code << ", stderr: " << s.err);
  return s;
}

// Staging folders left in `out`.
std::size_t staging_left(const fs::path& out) {
  std::size_t found = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec))
    found += entry.path().filename().string().starts_with(".partial-") ? 1 : 0;
  return found;
}

// One line on stderr holding every one of `parts`, and exit `code`.
void check_one_line(const Shell& s, int code, const std::vector<std::string>& parts) {
  BOOST_TEST(s.exit_code == code, s.err);
  BOOST_TEST(lines(s.err) == 1u, s.err);
  for (const std::string& part : parts)
    BOOST_TEST(s.err.find(part) != std::string::npos, "'" << part << "' in: " << s.err);
}

void check_one_line_exit_2(const Shell& s, const std::vector<std::string>& parts) {
  check_one_line(s, 2, parts);
}

// Chapter 5's six matrices (784-64-16-10), all zero except b3.
void save_ch05_model(const fs::path& file, float b3_0) {
  arma::fmat b3(10, 1, arma::fill::zeros);
  b3(0) = b3_0;
  nn::save_matrices(file,
                    {arma::fmat(64, 784, arma::fill::zeros), arma::fmat(64, 1, arma::fill::zeros),
                     arma::fmat(16, 64, arma::fill::zeros), arma::fmat(16, 1, arma::fill::zeros),
                     arma::fmat(10, 16, arma::fill::zeros), b3});
}

const fs::path kData = fs::path(NN_SOURCE_DIR) / "datasets";

}  // namespace

BOOST_AUTO_TEST_CASE(a_damaged_model_is_refused_naming_it) {
  // Finite weights, but b3 = 3e38 for digit 0: every other digit gets probability 0 and an
  // infinite loss. Before, results.json refused the number and the program aborted (134).
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-model");
  save_ch05_model(dir / "huge.bin", 3e38f);
  const Shell s = shell("$bin/ch05_mnist_three_layer --no-plots --load " +
                        (dir / "huge.bin").string() + " --out " + (dir / "out").string());
  check_one_line_exit_2(s, {(dir / "huge.bin").string() + ": the model's loss on the held-out "
                                                          "images is inf"});
  BOOST_TEST(staging_left(dir / "out") == 0u);
  // A model file whose name is not UTF-8 (byte 0xFF): JSON cannot hold the name as it is.
  // Before, the JSON library threw and the program aborted (134).
  const fs::path odd = dir / "model\xff.bin";
  save_ch05_model(odd, 0);
  const Shell ok = shell("$bin/ch05_mnist_three_layer --no-plots --load $'" +
                         (dir / "model\\xff.bin").string() + "' --out " + (dir / "out2").string());
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(read_text(dir / "out2" / "results.json").find("model\xef\xbf\xbd.bin") !=
             std::string::npos);
  BOOST_TEST(fs::exists(odd));
}

BOOST_AUTO_TEST_CASE(cat_data_of_one_class_is_refused_naming_the_file) {
  // The course's files, every training label set to 1 (cat). Before, chapter 8's label entropy
  // was NaN and the program aborted (134) as it wrote results.json.
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-one-class");
  fs::create_directories(dir / "catvnoncat");
  for (const char* file : {"train_catvnoncat.h5", "test_catvnoncat.h5"})
    fs::copy_file(kData / "catvnoncat" / file, dir / "catvnoncat" / file);
  {
    const H5::H5File h5((dir / "catvnoncat" / "train_catvnoncat.h5").string(), H5F_ACC_RDWR);
    const H5::DataSet y = h5.openDataSet("train_set_y");
    hsize_t m = 0;
    y.getSpace().getSimpleExtentDims(&m);
    const std::vector<std::int64_t> cats(m, 1);
    y.write(cats.data(), H5::PredType::NATIVE_INT64);
  }
  const Shell ch08 = shell("$bin/ch08_deep_network --no-plots --data-dir " + dir.string() +
                           " --out " + (dir / "out8").string());
  check_one_line_exit_2(ch08, {(dir / "catvnoncat" / "train_catvnoncat.h5").string() +
                               ": dataset 'train_set_y': every label is 1 (cat)"});
  BOOST_TEST(staging_left(dir / "out8") == 0u);
  // Chapter 1 trains on it all the same (one neuron learns to answer "cat"), or says why.
  const Shell ch01 = shell("$bin/ch01_logistic_neuron --no-plots --iterations 100 --data-dir " +
                           dir.string() + " --out " + (dir / "out1").string());
  BOOST_TEST((ch01.exit_code == 0 || (ch01.exit_code == 2 && lines(ch01.err) == 1u)), ch01.err);
  BOOST_TEST(staging_left(dir / "out1") == 0u);
}

BOOST_AUTO_TEST_CASE(an_address_space_limit_ends_every_run) {
  // Before, under `ulimit -v 150000` chapter 3 never ended: OpenBLAS retried its 128 MiB buffer
  // for ever (and chapter 9 printed its line, then waited for OpenBLAS's thread at exit).
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-ulimit");
  const std::vector<std::string> runs = {"ch03_xor_proof", "ch09_spiral_classes --points 100",
                                         "ch05_mnist_three_layer --epochs 1"};
  for (const std::string& run : runs) {
    for (const int kib : {100000, 150000, 250000, 400000, 650000}) {
      BOOST_TEST_CONTEXT(run << " under ulimit -v " << kib) {
        const fs::path out = dir / (run.substr(0, 4) + std::to_string(kib));
        const Shell s = shell("ulimit -v " + std::to_string(kib) + "; $bin/" + run +
                              " --no-plots --out " + out.string() + " > /dev/null");
        BOOST_TEST((s.exit_code == 0 || s.exit_code == 2), s.err);
        if (s.exit_code == 2) BOOST_TEST(lines(s.err) == 1u, s.err);
        BOOST_TEST(staging_left(out) == 0u);
      }
    }
  }
}

// Where no mount namespace may be made (an unprivileged user, a locked-down container), Boost.Test
// reports the case as skipped.
boost::test_tools::assertion_result mount_namespaces_permitted(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result permitted =
      std::system("unshare --mount true > /dev/null 2>&1") == 0;
  permitted.message() << "unshare --mount is not permitted here";
  return permitted;
}

BOOST_AUTO_TEST_CASE(an_address_space_limit_without_proc_ends_every_run,
                     *boost::unit_test::precondition(mount_namespaces_permitted)) {
  // A bare container or chroot has no /proc. Before, under `ulimit -v 150000` to 300000 chapter 3
  // never ended there: the program's new start with fewer OpenBLAS threads (through
  // /proc/self/exe) failed unseen, and the address space left read as the whole limit (no
  // /proc/self/statm), so OpenBLAS retried its buffer for ever. Here /proc is an empty tmpfs in
  // a mount namespace of the run's own; shell()'s `timeout` turns a hang into exit 124.
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-no-proc");
  for (const int kib : {150000, 200000, 300000}) {
    BOOST_TEST_CONTEXT("ch03_xor_proof without /proc under ulimit -v " << kib) {
      const fs::path out = dir / std::to_string(kib);
      const Shell s = shell("unshare --mount bash -c \"mount -t tmpfs none /proc && ulimit -v " +
                            std::to_string(kib) + " && $bin/ch03_xor_proof --no-plots --out " +
                            out.string() + " > /dev/null\"");
      BOOST_TEST((s.exit_code == 0 || s.exit_code == 2), s.err);
      if (s.exit_code == 2) BOOST_TEST(lines(s.err) == 1u, s.err);
      BOOST_TEST(staging_left(out) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(huge_numbers_are_printed_short) {
  // ReLU units with weights of scale 1e150 start at a cost of 1.6e300. Before, chapter 2 printed
  // "Cost after iteration 0: " and 301 digits and went on; the run is saturated from the start
  // (exit 3), and the line that says so gives the cost in short form.
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-huge");
  const Shell s = shell(
      "$bin/ch02_shallow_tanh --activation relu --init-scale 1e150 "
      "--iterations 1000 --study-sizes 1 --study-iterations 10 --no-plots --out " +
      (dir / "out").string());
  BOOST_TEST(s.exit_code == 3, s.err);
  BOOST_TEST((s.out + s.err).find("e+300") != std::string::npos, s.out + s.err);
  std::istringstream text(s.out + s.err);
  for (std::string line; std::getline(text, line);)
    BOOST_TEST(line.size() < 250u, line);  // 301 digits cannot fit
  BOOST_TEST(staging_left(dir / "out") == 0u);
}

// OPENBLAS_CORETYPE naming kernels this processor cannot execute: OpenBLAS loads them without a
// check, and the first matrix product died of SIGILL (exit 132) with a staging folder left.
BOOST_AUTO_TEST_CASE(kernels_the_processor_cannot_execute_are_refused) {
  const std::vector<std::string> runs = nn::runnable_blas_kernels(nn::cpu_features());
  std::string unrunnable;
  for (const char* name : {"SkylakeX", "Bulldozer", "Opteron"})
    if (std::find(runs.begin(), runs.end(), name) == runs.end()) unrunnable = name;
  BOOST_REQUIRE_MESSAGE(!unrunnable.empty(), "this processor runs every family");
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-coretype");
  const Shell refused = shell("OPENBLAS_CORETYPE=" + unrunnable + " $bin/ch03_xor_proof --out " +
                              (dir / "out").string() + " --no-plots");
  check_one_line_exit_2(refused, {"OPENBLAS_CORETYPE=" + unrunnable, runs.back()});
  BOOST_TEST(!fs::exists(dir / "out"));
  // A name OpenBLAS does not know: it picks kernels by itself, and the run goes on after a note.
  const Shell unknown =
      shell("OPENBLAS_CORETYPE=foo $bin/ch03_xor_proof --no-plots --out " + (dir / "out").string());
  BOOST_TEST(unknown.exit_code == 0);
  BOOST_TEST(unknown.err.starts_with("note: OPENBLAS_CORETYPE=foo is not a kernel family"),
             unknown.err);
  BOOST_TEST(lines(unknown.err) == 1u, unknown.err);
  BOOST_TEST(fs::exists(dir / "out" / "results.json"));
  BOOST_TEST(staging_left(dir / "out") == 0u);
}

// A process limit (ulimit -u) too small for OpenBLAS's threads: OpenBLAS printed two lines and
// raised SIGINT as it was loaded, and the run ended with 130 as if interrupted. Root ignores the
// limit, so as root the program runs as nobody.
BOOST_AUTO_TEST_CASE(a_process_limit_openblas_cannot_start_its_threads_in_is_named) {
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-nproc");
  fs::permissions(dir, fs::perms::all);
  const std::string as_user =
      ::geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : "";
  const Shell s = shell(as_user + "prlimit --nproc=1 env OPENBLAS_NUM_THREADS=2 " +
                        "$bin/ch03_xor_proof --no-plots --out " + (dir / "out").string());
  check_one_line_exit_2(
      s, {"ch03_xor_proof: OpenBLAS could not start its threads", "ulimit -u, is 1"});
  BOOST_TEST(!fs::exists(dir / "out"));
}

BOOST_AUTO_TEST_CASE(closed_standard_streams_change_nothing) {
  // Before, the signal pipe took descriptors 0 and 1, and the console's text read back as a
  // signal: chapter 9 exited 233 ("interrupted by SIGTERM") and chapter 3 177 after publishing.
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-closed");
  const Shell ch09 =
      shell("$bin/ch09_spiral_classes --points 100 --iterations 200 --no-plots --out " +
            (dir / "out9").string() + " <&- >&-");
  BOOST_TEST(ch09.exit_code == 0, ch09.err);
  BOOST_TEST(fs::exists(dir / "out9" / "results.json"));
  const Shell ch03 =
      shell("$bin/ch03_xor_proof --no-plots --out " + (dir / "out3").string() + " <&- >&- 2>&-");
  BOOST_TEST(ch03.exit_code == 0);
  BOOST_TEST(fs::exists(dir / "out3" / "results.json"));
  BOOST_TEST(staging_left(dir / "out3") == 0u);
}

BOOST_AUTO_TEST_CASE(a_closed_output_pipe_ends_the_run_with_one_line) {
  // `| head -1`: the reader goes after the first line, and the next write raises SIGPIPE.
  // Before, exit 141 with no line and the staging folder left in --out.
  const fs::path out = nn::testing::fresh_dir("chapter-faults-pipe");
  const Shell s = shell("$bin/ch09_spiral_classes --no-plots --out " + out.string() + " | head -1");
  BOOST_TEST(s.exit_code == 141);
  BOOST_TEST(lines(s.err) == 1u, s.err);
  BOOST_TEST(s.err.find("ch09_spiral_classes: interrupted by SIGPIPE") != std::string::npos, s.err);
  BOOST_TEST(staging_left(out) == 0u);
}

BOOST_AUTO_TEST_CASE(evaluating_another_model_keeps_the_trained_one) {
  // Before, `--load other.bin` into a training run's --out removed its model.bin silently.
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-keep");
  const fs::path out = dir / "out";
  const Shell train = shell("$bin/ch05_mnist_three_layer --no-plots --epochs 1 --out " +
                            out.string() + " > /dev/null");
  BOOST_REQUIRE(train.exit_code == 0);
  const std::string trained = read_text(out / "model.bin");
  save_ch05_model(dir / "other.bin", 0);
  check_one_line_exit_2(shell("$bin/ch05_mnist_three_layer --no-plots --load " +
                              (dir / "other.bin").string() + " --out " + out.string()),
                        {"--load " + (dir / "other.bin").string(), (out / "model.bin").string()});
  BOOST_TEST((read_text(out / "model.bin") == trained));
  BOOST_TEST(shell("$bin/ch05_mnist_three_layer --no-plots --load " + (out / "model.bin").string() +
                   " --out " + out.string())
                 .exit_code == 0);
  BOOST_TEST((read_text(out / "model.bin") == trained));
}

// A run whose weights blew up trains on from a cost that stays finite (computed from the logits)
// but is far past where the outputs saturate. Before, each exited 0: chapter 10 reported "test
// accuracy 11.35 %" after --lr 1e300; chapter 2 trained from costs of 1.2e10 and 1.6e300.
BOOST_AUTO_TEST_CASE(saturated_runs_are_divergence) {
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-saturated");
  for (const auto& [run, flags] : std::vector<std::pair<std::string, std::string>>{
           {"ch10_regularization --penalty none --lr 1e300",
            "diverged at iteration 1: cost is 4.7"},
           {"ch02_shallow_tanh --init-scale 1e10", "(before any step): cost is 1.2"},
           {"ch02_shallow_tanh --activation relu --init-scale 1e150",
            "(before any step): cost is 1.59"}}) {
    const Shell s = shell("$bin/" + run + " --no-plots --out " + (dir / "out").string());
    check_one_line(s, 3, {flags});
    BOOST_TEST(s.err.find(run.find("lr") != std::string::npos
                              ? "(try a smaller --lr)"
                              : "(try a smaller --init-scale)") != std::string::npos,
               s.err);
    BOOST_TEST(!fs::exists(dir / "out" / "results.json"));
  }
}

// A flag that would be ignored in this combination is refused, as is an empty item in a list
// (before: each run went on as if the flag, or the item, were not there).
BOOST_AUTO_TEST_CASE(flags_that_would_be_ignored_are_refused) {
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-ignored");
  save_ch05_model(dir / "m.bin", 0);
  const std::string model = (dir / "m.bin").string();
  for (const auto& [run, message] : std::vector<std::pair<std::string, std::string>>{
           {"ch08_deep_network --init 0.01", "--init: only with --layers"},
           {"ch10_regularization --full-epochs 2", "--full-epochs: only with --full"},
           {"ch10_regularization --full-lambda 2", "--full-lambda: only with --full"},
           {"ch10_regularization --penalty none --lambda 2",
            "--lambda: only with --penalty l2, l1 or compare"},
           {"ch05_mnist_three_layer --load " + model + " --seeds 2",
            "--seeds: only when training, not with --load"},
           {"ch05_mnist_three_layer --load " + model + " --study",
            "--study: only when training, not with --load"},
           {"ch04_sine_regression --grid-rates 0.1,,3,4", "--grid-rates: '0.1,,3,4' has an empty"},
           {"ch02_shallow_tanh --study-sizes 2,", "--study-sizes: '2,' has an empty item"}})
    check_one_line_exit_2(shell("$bin/" + run + " --no-plots --out " + (dir / "out").string()),
                          {message});
}

BOOST_AUTO_TEST_CASE(messages_name_the_flag_at_fault) {
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-flags");
  // Before: "training diverged at iteration 1: cost is inf (try a smaller --lr)"; and chapter
  // 10 aborted (134) on its non-finite L1 costs. The maths says what diverged, the chapter's
  // main which of its flags to change.
  for (const auto& [run, flags] : std::vector<std::pair<std::string, std::string>>{
           {"ch09_spiral_classes --reg 1e300", "with λ = 1e+300 and α = 1, the penalty alone"},
           {"ch09_spiral_classes --reg 1e300", "(try a smaller --reg or --lr)"},
           {"ch10_regularization --penalty l1 --lambda 1e300", "(try a smaller --lambda or --lr)"},
           {"ch10_regularization --penalty none --full --full-lambda 1e300",
            "(try a smaller --full-lambda or --lr)"}}) {
    const Shell s = shell("$bin/" + run + " --no-plots --out " + (dir / "out").string());
    check_one_line(s, 3, {flags});
  }
  // Before: every divergence said "try a smaller --lr", and chapter 4's search named no flag.
  for (const auto& [run, flags] : std::vector<std::pair<std::string, std::string>>{
           {"ch02_shallow_tanh --init-scale 1e308", "(try a smaller --init-scale)"},
           {"ch06_vanishing_gradient --xavier-gain 1e308 --seeds 1 --samples 100 --steps 1 "
            "--epochs 1 --train-samples 100 --batch 10",
            "(try a smaller --xavier-gain)"},
           {"ch06_vanishing_gradient --lambda 1e308", "(try a smaller --lambda or --lr)"},
           {"ch04_sine_regression --grid-rates 1e10,1e10,1e10,1e10",
            "every trial of the grid search diverged (try a smaller --grid-rates)"}}) {
    const Shell s = shell("$bin/" + run + " --no-plots --out " + (dir / "out").string());
    check_one_line(s, 3, {flags});
  }
  // Before: ": cannot create the folder: Invalid argument".
  check_one_line_exit_2(shell("$bin/ch03_xor_proof --no-plots --out ''"),
                        {"--out: the folder name is empty"});
}

BOOST_AUTO_TEST_CASE(the_shells_limits_end_a_run_with_one_line_naming_them) {
  // Before: `ulimit -f 1` ended chapter 9 with SIGXFSZ (153), `ulimit -s 64` with SIGSEGV (139),
  // each leaving its staging folder; under `ulimit -n 8` chapter 3 exited 0 with its staging
  // folder left in --out.
  const fs::path dir = nn::testing::fresh_dir("chapter-faults-limits");
  const std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> runs = {
      {"ulimit -f 1",
       "ch09_spiral_classes",
       {"spiral.csv: cannot write: File too large (the file-size limit, ulimit -f, is 1024 "
        "bytes)"}},
      {"ulimit -s 64",
       "ch09_spiral_classes",
       {"the stack limit (ulimit -s) is 64 KiB, too small: a run needs at least 1024 KiB"}},
      {"ulimit -n 8",
       "ch03_xor_proof",
       {"the open-files limit (ulimit -n) is 8, too small: a run needs at least 32"}}};
  for (const auto& [limit, chapter, parts] : runs) {
    BOOST_TEST_CONTEXT(limit) {
      const fs::path out = dir / limit.substr(7, 1);
      check_one_line_exit_2(
          shell(limit + "; $bin/" + chapter + " --no-plots --out " + out.string() + " > /dev/null"),
          parts);
      BOOST_TEST(staging_left(out) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_unusable_plot_time_limit_is_refused_naming_it) {
  // Before, NN_PLOT_SECONDS=1e-9 stopped every gnuplot at once ("did not finish within 1e-09
  // s") and 0, -1 or garbage were taken silently as the default.
  const fs::path out = nn::testing::fresh_dir("chapter-faults-plot-seconds");
  for (const std::string value : {"1e-9", "0", "-1", "abc", "inf"}) {
    BOOST_TEST_CONTEXT(value) {
      check_one_line_exit_2(shell("NN_PLOT_SECONDS=" + value + " $bin/ch03_xor_proof --out " +
                                  out.string() + " > /dev/null"),
                            {"ch03_xor_proof: NN_PLOT_SECONDS=" + value +
                             ": must be a number of seconds, at least 1"});
      BOOST_TEST(staging_left(out) == 0u);
    }
  }
}
