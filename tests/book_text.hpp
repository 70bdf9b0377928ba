// What the tests that read book.md (and the pages made from it) share: the prose of a Markdown
// text, its lines and paragraphs outside fenced code blocks.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "tests/chapter_test.hpp"  // read_text

namespace nn::testing {

// A line of the text, or a paragraph with the number of its first line.
struct Line {
  int number;
  std::string text;
};

// The lines outside fenced code blocks (``` … ```), with their line numbers.
inline std::vector<Line> prose_lines(const std::string& markdown) {
  std::vector<Line> lines;
  std::istringstream in(markdown);
  bool fenced = false;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) lines.push_back({number, line});
  }
  return lines;
}

// The paragraphs outside fenced code blocks: runs of non-blank lines joined by line breaks.
// Markdown drops the indent of a paragraph's next lines, and so do they.
inline std::vector<Line> prose_paragraphs(const std::string& markdown) {
  std::vector<Line> paragraphs;
  int previous = -1;
  for (const Line& line : prose_lines(markdown)) {
    const auto indent = line.text.find_first_not_of(" \t");
    if (indent == std::string::npos) continue;
    if (line.number == previous + 1)
      paragraphs.back().text.append("\n").append(line.text, indent);
    else
      paragraphs.push_back(line);
    previous = line.number;
  }
  return paragraphs;
}

}  // namespace nn::testing
