// Keeps book.md and the code from drifting apart. book.md quotes
//  - code:    <!-- code: FILE#NAME --> followed by a fenced block, which must equal the lines of
//             FILE between the markers [book:NAME] and [/book:NAME] (dedented), and captioned
//             *FILE* on the line above;
//  - numbers: <!--n CHAPTER/JSON/POINTER-->TEXT<!--/n-->, where TEXT must be the value at that
//             pointer of tests/expected/CHAPTER.json, rounded to the decimals TEXT shows, and
//             so must the value of every OpenBLAS kernel in tests/expected/spread/CHAPTER.json
//             (a processor of another type prints the same TEXT). POINTER@min and
//             POINTER@max quote the lowest and the highest value the kernels printed, where
//             they differ (a chaotic run's range);
//  - figures: ![caption](PATH), where PATH must exist.
// A number marker never begins a line, indented, quoted or not: Markdown would read it as an HTML
// block.
#pragma once
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/plumbing/results.hpp"

namespace nn::book {

namespace fs = std::filesystem;

inline std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines between [book:name] and [/book:name] in `file`, without their common indentation.
// Empty with `problem` set when a marker is missing.
inline std::vector<std::string> excerpt(const fs::path& file, const std::string& name,
                                        std::string& problem) {
  if (!fs::exists(file)) {
    problem = "no such file";
    return {};
  }
  const auto lines = read_lines(file);
  const auto has = [](const std::string& line, const std::string& tag) {
    return line.find(tag) != std::string::npos;
  };
  const auto open = std::find_if(lines.begin(), lines.end(),
                                 [&](auto& l) { return has(l, "[book:" + name + "]"); });
  const auto close =
      std::find_if(open, lines.end(), [&](auto& l) { return has(l, "[/book:" + name + "]"); });
  if (open == lines.end() || close == lines.end()) {
    problem = "marker [book:" + name + "] or [/book:" + name + "] missing";
    return {};
  }
  std::vector<std::string> body(open + 1, close);
  std::size_t indent = std::string::npos;
  for (const auto& l : body)
    if (l.find_first_not_of(' ') != std::string::npos)
      indent = std::min(indent, l.find_first_not_of(' '));
  for (auto& l : body) l = l.size() > indent ? l.substr(indent) : std::string();
  return body;
}

// TEXT as written in the book ("97.8", "−0.5", "1,024", "70 %") → its value and decimals.
inline bool parse_quoted(std::string text, double& value, int& decimals) {
  for (const std::string junk : {"%", ",", " ", "\u00a0", "*"})
    for (auto at = text.find(junk); at != std::string::npos; at = text.find(junk))
      text.erase(at, junk.size());
  if (auto at = text.find("\u2212"); at != std::string::npos) text.replace(at, 3, "-");
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return false;
  const auto dot = text.find('.');
  const auto exp = text.find_first_of("eE");
  decimals = dot == std::string::npos
                 ? 0
                 : static_cast<int>((exp == std::string::npos ? text.size() : exp) - dot - 1);
  return true;
}

// Every disagreement between the book at `book_file` and the tree at `root`, one line each.
inline std::vector<std::string> check(const fs::path& book_file, const fs::path& root,
                                      const fs::path& expected_dir) {
  std::vector<std::string> problems;
  const auto lines = read_lines(book_file);
  std::map<fs::path, Json> files;  // each JSON file read once; {} when it does not exist
  const auto cached = [&files](const fs::path& file) -> const Json& {
    auto [at, fresh] = files.try_emplace(file);
    if (fresh && fs::exists(file)) at->second = read_results(file);
    return at->second;
  };
  const std::regex code_tag(R"(<!--\s*code:\s*([^#\s]+)#([\w.-]+)\s*-->)");
  const std::regex number_tag(R"(<!--n\s+(\w+)(/[^\s<>]*?)\s*-->(.*?)<!--/n-->)");
  const std::regex figure(R"(!\[[^\]]*\]\(([^)\s]+\.(png|svg))\))");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = book_file.filename().string() + ":" + std::to_string(i + 1) + ": ";
    // CommonMark starts an HTML block at a line beginning with "<!--", splitting the paragraph.
    // (indented, or inside a block quote: "> <!--n …")
    if (const auto text = lines[i].find_first_not_of(" >");
        text != std::string::npos && lines[i].compare(text, 5, "<!--n") == 0)
      problems.push_back(where + "a number marker begins the line: join it to the line before");
    std::smatch m;
    if (std::regex_search(lines[i], m, code_tag)) {
      // every excerpt is captioned with its file, on the line above: *chapters/…/lesson.cpp*
      if (i == 0 || lines[i - 1] != "*" + m[1].str() + "*")
        problems.push_back(where + "the excerpt's caption (the line above) must be *" + m[1].str() +
                           "*");
      std::string problem;
      const auto want = excerpt(root / m[1].str(), m[2].str(), problem);
      if (!problem.empty()) {
        problems.push_back(where + m[1].str() + ": " + problem);
        continue;
      }
      std::vector<std::string> got;
      std::size_t j = i + 2;  // the line after the opening fence
      if (i + 1 >= lines.size() || lines[i + 1].rfind("```", 0) != 0) {
        problems.push_back(where + "no fenced block after the code tag");
        continue;
      }
      for (; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) got.push_back(lines[j]);
      if (got != want) {
        std::size_t k = 0;
        while (k < got.size() && k < want.size() && got[k] == want[k]) ++k;
        problems.push_back(where + "excerpt " + m[1].str() + "#" + m[2].str() +
                           " differs from the source at its line " + std::to_string(k + 1) +
                           ": book has '" + (k < got.size() ? got[k] : "<end>") +
                           "', source has '" + (k < want.size() ? want[k] : "<end>") + "'");
      }
    }
    for (auto it = std::sregex_iterator(lines[i].begin(), lines[i].end(), number_tag);
         it != std::sregex_iterator(); ++it) {
      const std::string chapter = (*it)[1], text = (*it)[3];
      std::string pointer = (*it)[2], extreme;  // extreme: "min" or "max" after '@'
      if (const auto at = pointer.rfind('@'); at != std::string::npos) {
        extreme = pointer.substr(at + 1);
        pointer.erase(at);
      }
      const fs::path file = expected_dir / (chapter + ".json");
      if (!fs::exists(file)) {
        problems.push_back(where + "no expected values " + file.string());
        continue;
      }
      const Json& values = cached(file);
      const Json::json_pointer ptr(pointer);
      if (!values.contains(ptr)) {
        problems.push_back(where + chapter + pointer + " is not in " + file.filename().string());
        continue;
      }
      // How far the value of any kernel of the matrix falls from the recorded one (null: a
      // text or true/false that differs).
      const fs::path spread_file = expected_dir / "spread" / (chapter + ".json");
      const Json& spreads = cached(spread_file);
      if (!spreads.contains("spread") || !spreads["spread"].contains(pointer)) {
        problems.push_back(where + chapter + pointer + " has no kernel spread in " +
                           spread_file.string() + " (tests/kernel_spread.cpp makes it)");
        continue;
      }
      const Json& spread = spreads["spread"][pointer];
      double quoted = 0;
      int decimals = 0;
      if (!extreme.empty()) {  // the lowest or highest value of the kernels
        const bool known = (extreme == "min" || extreme == "max") && spreads.contains(extreme) &&
                           spreads[extreme].contains(pointer);
        if (!known || !parse_quoted(text, quoted, decimals) ||
            std::abs(spreads[extreme][pointer].get<double>() - quoted) >
                0.5 * std::pow(10.0, -decimals) * (1 + 1e-9))
          problems.push_back(where + "'" + text + "' is not the " + extreme + " of " + chapter +
                             pointer + " over the kernels (" + spread_file.string() + ")");
        continue;
      }
      const Json& value = values[ptr];
      if (!value.is_number() || !parse_quoted(text, quoted, decimals)) {
        if (!(value.is_string() && value.get<std::string>() == text) &&
            !(value.is_boolean() && (value.get<bool>() ? "true" : "false") == text))
          problems.push_back(where + "'" + text + "' does not match " + chapter + pointer);
        else if (spread.is_null())
          problems.push_back(where + chapter + pointer + " differs on other processors");
        continue;
      }
      const double tolerance = 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9);
      const double off = std::abs(value.get<double>() - quoted);
      if (off > tolerance)
        problems.push_back(where + "quotes " + text + " for " + chapter + pointer +
                           ", but the expected value is " + value.dump());
      else if (!spread.is_number() || off + spread.get<double>() > tolerance)
        problems.push_back(where + "quotes " + text + " for " + chapter + pointer +
                           ", but other processors print values up to " + spread.dump() +
                           " away from " + value.dump() + ": quote fewer digits");
    }
    for (auto it = std::sregex_iterator(lines[i].begin(), lines[i].end(), figure);
         it != std::sregex_iterator(); ++it)
      if (!fs::exists(root / (*it)[1].str()))
        problems.push_back(where + "figure " + (*it)[1].str() + " does not exist");
  }
  return problems;
}

}  // namespace nn::book
