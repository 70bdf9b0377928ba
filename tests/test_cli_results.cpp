// The chapter command line, results.json and figures of common/.
#define BOOST_TEST_MODULE cli_results
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <limits>
#include <optional>

#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/plumbing/blas_kernel.hpp"
#include "common/plumbing/cli.hpp"
#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"
#include "common/plumbing/results.hpp"
#include "tests/chapter_test.hpp"

namespace {

enum class Init { small, large };
enum class Activation { tanh, relu };

struct Flags {
  double lr = 0.1;
  int hidden = 4;
  Activation activation = Activation::tanh;
  Init init = Init::small;
  std::optional<int> penalty;  // none: "compare"
  double step = 0.1;
  double tolerance = 0.01;
  int batch = 10;
};

// Runs a toy chapter with `args`; returns its exit code.
int run_cli(
    std::vector<std::string> args, Flags& flags,
    const std::function<void(const nn::CommonOptions&)>& body = [](auto&) {}) {
  nn::ChapterCli cli("toy", "A toy chapter", "Chapter 0", 7);
  cli.add_positive("--lr", flags.lr, "learning rate");
  cli.add_count("--hidden", flags.hidden, "hidden units");
  cli.add_choice("--activation", flags.activation, "hidden activation",
                 {{"tanh", Activation::tanh}, {"relu", Activation::relu}});
  cli.add_choice("--init", flags.init, "initial weights",
                 {{"small", Init::small}, {"large", Init::large}});
  cli.add_choice<std::optional<int>>("--penalty", flags.penalty, "penalty",
                                     {{"compare", std::nullopt}, {"l1", 1}, {"l2", 2}});
  cli.add_between("--step", flags.step, "grid step", 0.05, 20.0);
  cli.add_positive("--tolerance", flags.tolerance, "tolerance", 0.5, "too lenient");
  cli.add_count("--batch", flags.batch, "batch size");
  cli.add_rule([&flags]() -> std::string {
    return flags.batch > 100 * flags.hidden ? "--batch: more than 100 × --hidden" : "";
  });
  args.insert(args.begin(), "toy");
  const auto out = nn::testing::fresh_dir("cli");
  args.insert(args.end(), {"--out", out.string()});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return cli.run(static_cast<int>(argv.size()), argv.data(), body);
}

}  // namespace

BOOST_AUTO_TEST_CASE(good_flags_reach_the_chapter) {
  Flags f;
  std::uint32_t seed = 0;
  BOOST_TEST(run_cli({"--lr", "0.5", "--hidden", "3", "--activation", "relu", "--seed", "9"}, f,
                     [&](const nn::CommonOptions& c) { seed = c.seed; }) == 0);
  BOOST_TEST(f.lr == 0.5);
  BOOST_TEST(f.hidden == 3);
  BOOST_TEST((f.activation == Activation::relu));
  BOOST_TEST(seed == 9u);
  BOOST_TEST(run_cli({"--help"}, f) == 0);
}

// A name becomes the value it stands for; a flag not given keeps its default.
BOOST_AUTO_TEST_CASE(choices_arrive_as_values) {
  Flags f;
  BOOST_TEST(run_cli({}, f) == 0);
  BOOST_TEST((f.init == Init::small));
  BOOST_TEST(!f.penalty.has_value());
  BOOST_TEST(run_cli({"--init", "large", "--penalty", "l2", "--step", "20", "--tolerance", "0.5"},
                     f) == 0);
  BOOST_TEST((f.init == Init::large));
  BOOST_TEST((f.penalty == std::optional<int>(2)));
  BOOST_TEST(f.step == 20.0);
  BOOST_TEST(run_cli({"--penalty", "compare"}, f) == 0);
  BOOST_TEST(!f.penalty.has_value());
}

BOOST_AUTO_TEST_CASE(bad_flags_exit_2) {
  for (const auto& bad : std::vector<std::vector<std::string>>{{"--lr", "-1"},
                                                               {"--lr", "0"},
                                                               {"--lr", "nan"},
                                                               {"--lr", "inf"},
                                                               {"--lr", "fast"},
                                                               {"--hidden", "0"},
                                                               {"--hidden", "2.5"},
                                                               {"--activation", "swish"},
                                                               {"--frobnicate"},
                                                               {"--seed", "-3"},
                                                               {"--init", "huge"},
                                                               {"--init", "1"},
                                                               {"--penalty", "l3"},
                                                               {"--step", "0.01"},
                                                               {"--step", "21"},
                                                               {"--tolerance", "0.7"},
                                                               {"--batch", "401"}}) {
    Flags f;
    BOOST_TEST_CONTEXT(bad.front()) {
      BOOST_TEST(run_cli(bad, f) == nn::kExitBadInput);
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_in_the_chapter_become_exit_codes) {
  Flags f;
  BOOST_TEST(run_cli({}, f, [](auto&) { throw nn::DataError("x.gz: truncated"); }) == 2);
  BOOST_TEST(run_cli({}, f, [](auto&) { throw nn::UsageError("--batch: too large"); }) == 2);
  BOOST_TEST(run_cli({}, f, [](auto&) { nn::check_cost(INFINITY, 3); }) == 3);
}

BOOST_AUTO_TEST_CASE(results_are_written_whole_and_never_non_finite) {
  const auto dir = nn::testing::fresh_dir("results");
  nn::Json good{{"accuracy", 97.5}, {"costs", {0.5, 0.25}}};
  nn::write_results(dir, good);
  // and, last, the OpenBLAS kernels the run used
  nn::Json written = good;
  written["blas_kernel"] = nn::blas_kernel();
  BOOST_TEST(nn::read_results(dir / "results.json") == written);
  BOOST_TEST(!std::filesystem::exists(dir / "results.json.tmp"));
  nn::Json bad{{"costs", {0.5, std::nan("")}}};
  BOOST_CHECK_THROW(nn::write_results(dir, bad), std::logic_error);
  BOOST_TEST(nn::read_results(dir / "results.json") == written);  // the old file is untouched
}

BOOST_AUTO_TEST_CASE(figures_write_data_and_script) {
  const auto dir = nn::testing::fresh_dir("figures");
  const nn::Figures figures(dir, false);
  figures.csv("line.csv", {"x", "y"}, {arma::vec{0, 1, 2}, arma::vec{0.5, 1.5, 2.5}});
  figures.draw("line", "plot 'line.csv' using 1:2 with lines\n");
  std::ifstream csv(dir / "line.csv");
  std::string header, row;
  std::getline(csv, header);
  std::getline(csv, row);
  BOOST_TEST(header == "x,y");
  BOOST_TEST(row == "0,0.5");
  BOOST_TEST(std::filesystem::exists(dir / "line.gp"));
  BOOST_TEST(!std::filesystem::exists(dir / "line.png"));  // drawing was off
  BOOST_CHECK_THROW(figures.csv("bad.csv", {"x", "y"}, {arma::vec{1}, arma::vec{1, 2}}),
                    std::logic_error);
}

BOOST_AUTO_TEST_CASE(grid_points_vary_x_fastest) {
  const arma::mat G = nn::grid_points(0.0, 2.0, -1.0, 1.0, 3);  // 2 × 9
  BOOST_TEST(G.n_cols == 9u);
  BOOST_TEST((G(0, 0) == 0.0 && G(1, 0) == -1.0));
  BOOST_TEST((G(0, 1) == 1.0 && G(1, 1) == -1.0));  // x moves first …
  BOOST_TEST((G(0, 3) == 0.0 && G(1, 3) == 0.0));   // … then y
  BOOST_TEST((G(0, 8) == 2.0 && G(1, 8) == 1.0));
}

BOOST_AUTO_TEST_CASE(huge_numbers_print_short_and_others_keep_their_digits) {
  // Before, a cost of 1.6e300 printed with {:.6f} was 301 digits and six zeros.
  BOOST_TEST(nn::fixed(1.5912372e300, 6) == "1.5912e+300");
  BOOST_TEST(nn::fixed(-2.5e12, 4) == "-2.5e+12");
  BOOST_TEST(nn::fixed(std::numeric_limits<double>::infinity(), 6) == "inf");
  BOOST_TEST(nn::fixed(std::numeric_limits<double>::quiet_NaN(), 6) == "nan");
  BOOST_TEST(nn::fixed(0.69314718056, 6) == "0.693147");
  BOOST_TEST(nn::fixed(0.6931471806, 10) == "0.6931471806");
  BOOST_TEST(nn::fixed(123456789.25, 1) == "123456789.2");
  BOOST_TEST(nn::fixed(2.0, 0) == "2");
}
