// The command line every chapter shares: --help, --data-dir, --out, --seed, --no-plots, and
// validated hyperparameter flags. A bad value is one line on stderr and exit code 2.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/nn/options.hpp"

namespace nn {

// The largest value a count flag accepts unless the chapter says less.
inline constexpr int kMaxCount = 1'000'000'000;

class ChapterCli {
 public:
  // `name` is the executable (ch05_mnist_three_layer), `title` one line on what it teaches,
  // `book_section` the heading of its section in book.md.
  ChapterCli(std::string name, std::string title, std::string book_section,
             std::uint32_t default_seed);

  // A real number that must be finite and > 0 (learning rates, thresholds), and at most
  // `maximum`; `why` says, in the error, what goes wrong above it.
  void add_positive(const std::string& flag, double& value, const std::string& help,
                    double maximum = std::numeric_limits<double>::infinity(),
                    const std::string& why = "");
  // A list of such real numbers, comma separated (--grid-rates 0.1,0.3,1,3).
  void add_positives(const std::string& flag, std::vector<double>& values, const std::string& help);
  // A real number in minimum..maximum (a grid's spacing).
  void add_between(const std::string& flag, double& value, const std::string& help, double minimum,
                   double maximum);
  // A real number that must be finite and ≥ 0 (penalty strengths λ, where 0 means none).
  void add_nonnegative(const std::string& flag, double& value, const std::string& help);
  // A whole number, written in decimal, in minimum..maximum (iterations, epochs, hidden units,
  // batch size); --help shows the range.
  void add_count(const std::string& flag, int& value, const std::string& help, int minimum = 1,
                 int maximum = kMaxCount);
  // A list of such whole numbers, comma separated (--hidden 4,8).
  void add_counts(const std::string& flag, std::vector<int>& values, const std::string& help,
                  int minimum = 1, int maximum = kMaxCount);
  // A count of consecutive seeds (--seeds N: the run draws from --seed … --seed + N − 1):
  // --seed is refused when the last of them would pass the largest seed, 4294967295.
  void add_seed_count(const std::string& flag, int& value, const std::string& help,
                      int maximum = 1000);
  // A rule between flags, checked once they are parsed and before the run starts: `problem`
  // returns "" when the flags agree, else the complaint, which names the flags
  // ("--batch: 200 is more than the 100 --train-samples").
  void add_rule(std::function<std::string()> problem) { rules_.push_back(std::move(problem)); }
  // The flags to name when training diverges for each cause ("--lr"; "--reg or --lr"): the
  // line then ends "(try a smaller --lr)". A cause with no flag here adds nothing; a later call
  // replaces the flags of the causes it names.
  void blame(const std::vector<std::pair<Cause, std::string>>& flags);
  // A rule for a flag that means something only when `applies()`: given without, it is refused
  // with "`flag`: only `when`" ("--init: only with --layers ..."), never silently ignored.
  void add_only(const std::string& flag, const std::string& when, std::function<bool()> applies) {
    add_rule([this, flag, when, applies]() -> std::string {
      return app_.count(flag) > 0 && !applies() ? flag + ": only " + when : "";
    });
  }
  // The run also draws from --seed + 1 … --seed + count − 1 (e.g. its data from --seed + 1).
  void uses_seeds(int count) { fixed_seeds_ = count; }
  // One of the names of `choices`, stored as the value it stands for (an enum, say), so that the
  // lesson receives a type and never compares strings: {{"large", Init::large}, …}. --help
  // shows the names, and the name of the value `value` holds as the default.
  template <typename T>
  void add_choice(const std::string& flag, T& value, const std::string& help,
                  const std::vector<std::pair<std::string, T>>& choices) {
    std::vector<std::string> names;
    std::string shown;
    for (const auto& [name, meaning] : choices) {
      names.push_back(name);
      if (meaning == value) shown = name;
    }
    const auto store = [&value, choices](const std::string& given) {
      for (const auto& [name, meaning] : choices)
        if (name == given) value = meaning;
    };
    app_.add_option_function<std::string>(flag, store, help)
        ->check(CLI::IsMember(names))
        ->default_str(shown);
  }
  void add_switch(const std::string& flag, bool& value, const std::string& help);
  // A file that must exist. The run reads it: publishing the run's outputs never removes it.
  // `saved_as`: the name this chapter saves such a file under in --out (model.bin); a run that
  // reads another file refuses to start where publishing would remove the saved one.
  void add_existing_file(const std::string& flag, std::filesystem::path& value,
                         const std::string& help, const std::string& saved_as = "");

  // Parses the flags and runs `body`, which writes into common.out_dir: a fresh staging folder
  // inside --out, whose files move into --out only when `body` succeeds (see nn::begin_run).
  // Returns the process's exit code: 0 on success (and after --help); 2 for a bad flag, a bad
  // data file, a UsageError, an output that cannot be written, not enough memory or any other
  // failure; 3 when training diverged; each with one line on stderr. SIGINT, SIGTERM, SIGHUP
  // and SIGPIPE end the process with 128 + signal (130, 143, 129, 141), and a line saying what
  // --out holds (as it was, unless the signal came while the run published).
  int run(int argc, char** argv, const std::function<void(const CommonOptions&)>& body);

  const std::string& name() const { return name_; }

 private:
  // "" when the seeds the run draws fit below 2^32; otherwise the complaint.
  std::string seed_problem() const;

  CLI::App app_;
  std::string name_;
  CommonOptions common_;
  bool no_plots_ = false;
  int fixed_seeds_ = 1;
  std::vector<std::pair<std::string, const int*>> seed_counts_;
  std::vector<std::function<std::string()>> rules_;
  std::map<Cause, std::string> blamed_;
  struct Input {
    std::string flag;
    const std::filesystem::path* value;
    std::string saved_as;
  };
  std::vector<Input> inputs_;
};

}  // namespace nn
