// The command line every chapter shares: --help, --data-dir, --out, --seed, --no-plots, and
// validated hyperparameter flags. A bad value is one line on stderr and exit code 2.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/options.hpp"

namespace nn {

class ChapterCli {
 public:
  // `name` is the executable (ch05_mnist_three_layer), `title` one line on what it teaches,
  // `book_section` the heading of its section in book.md.
  ChapterCli(std::string name, std::string title, std::string book_section,
             std::uint32_t default_seed);

  // A real number that must be finite and > 0 (learning rates, thresholds).
  void add_positive(const std::string& flag, double& value, const std::string& help);
  // A whole number ≥ minimum (iterations, epochs, hidden units, batch size).
  void add_count(const std::string& flag, int& value, const std::string& help, int minimum = 1);
  // A list of whole numbers ≥ minimum, comma separated (--hidden 4,8).
  void add_counts(const std::string& flag, std::vector<int>& values, const std::string& help,
                  int minimum = 1);
  // One of `choices` (activation names, variants).
  void add_choice(const std::string& flag, std::string& value, const std::string& help,
                  const std::vector<std::string>& choices);
  void add_switch(const std::string& flag, bool& value, const std::string& help);
  // A file that must exist.
  void add_existing_file(const std::string& flag, std::filesystem::path& value,
                         const std::string& help);

  // Parses the flags and runs `body`. Returns the process's exit code: 0 on success (and after
  // --help), 2 for a bad flag, a bad data file or a UsageError, 3 when training diverged.
  int run(int argc, char** argv, const std::function<void(const CommonOptions&)>& body);

  const std::string& name() const { return name_; }

 private:
  CLI::App app_;
  std::string name_;
  CommonOptions common_;
  bool no_plots_ = false;
};

}  // namespace nn
