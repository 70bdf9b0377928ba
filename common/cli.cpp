#include "common/cli.hpp"

#include <cmath>
#include <iostream>

#include "common/errors.hpp"

namespace nn {

namespace {

// CLI11 validators return "" when the text is acceptable and a reason otherwise.
CLI::Validator positive_finite() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') return "'" + text + "' is not a number";
        if (!std::isfinite(v) || v <= 0) return "must be finite and > 0, got " + text;
        return "";
      },
      "> 0");
}

CLI::Validator at_least(int minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        char* end = nullptr;
        const long v = std::strtol(text.c_str(), &end, 10);
        if (end == text.c_str() || *end != '\0') return "'" + text + "' is not a whole number";
        if (v < minimum || v > 1'000'000'000)
          return "must be a whole number >= " + std::to_string(minimum) + ", got " + text;
        return "";
      },
      ">= " + std::to_string(minimum));
}

}  // namespace

ChapterCli::ChapterCli(std::string name, std::string title, std::string book_section,
                       std::uint32_t default_seed)
    : app_(title, name), name_(std::move(name)) {
  common_.data_dir = std::filesystem::path(NN_SOURCE_DIR) / "datasets";
  common_.out_dir = std::filesystem::path("output") / name_;
  common_.seed = default_seed;
  app_.footer("\nThe lesson: book.md, section \"" + book_section + "\".");
  app_.get_formatter()->column_width(30);
  app_.add_option("--data-dir", common_.data_dir, "Folder holding mnist/ and catvnoncat/")
      ->capture_default_str();
  app_.add_option("--out", common_.out_dir, "Folder for results.json and the figures")
      ->capture_default_str();
  app_.add_option("--seed", common_.seed, "Random seed; the same seed gives the same numbers")
      ->capture_default_str();
  app_.add_flag("--no-plots", no_plots_,
                "Write the figures' data and gnuplot scripts, but do not draw");
}

void ChapterCli::add_positive(const std::string& flag, double& value, const std::string& help) {
  app_.add_option(flag, value, help)->capture_default_str()->check(positive_finite());
}

void ChapterCli::add_count(const std::string& flag, int& value, const std::string& help,
                           int minimum) {
  app_.add_option(flag, value, help)->capture_default_str()->check(at_least(minimum));
}

void ChapterCli::add_counts(const std::string& flag, std::vector<int>& values,
                            const std::string& help, int minimum) {
  app_.add_option(flag, values, help)
      ->capture_default_str()
      ->delimiter(',')
      ->check(at_least(minimum));
}

void ChapterCli::add_choice(const std::string& flag, std::string& value, const std::string& help,
                            const std::vector<std::string>& choices) {
  app_.add_option(flag, value, help)->capture_default_str()->check(CLI::IsMember(choices));
}

void ChapterCli::add_switch(const std::string& flag, bool& value, const std::string& help) {
  app_.add_flag(flag, value, help);
}

void ChapterCli::add_existing_file(const std::string& flag, std::filesystem::path& value,
                                   const std::string& help) {
  app_.add_option(flag, value, help)->check(CLI::ExistingFile);
}

int ChapterCli::run(int argc, char** argv, const std::function<void(const CommonOptions&)>& body) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app_.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << name_ << ": " << e.what() << " (see --help)\n";
    return kExitBadInput;
  }
  common_.plots = !no_plots_;
  try {
    std::filesystem::create_directories(common_.out_dir);
    body(common_);
    return 0;
  } catch (const DivergedError& e) {
    std::cerr << name_ << ": " << e.what() << '\n';
    return kExitDiverged;
  } catch (const DataError& e) {
    std::cerr << name_ << ": " << e.what() << '\n';
    return kExitBadInput;
  } catch (const UsageError& e) {
    std::cerr << name_ << ": " << e.what() << " (see --help)\n";
    return kExitBadInput;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << name_ << ": " << e.what() << '\n';
    return kExitBadInput;
  }
}

}  // namespace nn
