// A progress line for long loops: on a terminal it is rewritten in place; piped into a file
// or a test log it becomes one plain line per update.
#pragma once
#include <cstdio>
#include <string>

namespace nn {

class Progress {
 public:
  explicit Progress(std::FILE* stream = stdout);
  // Shows `text` (in place on a terminal, as a new line otherwise).
  void update(const std::string& text);
  // Ends the line in place, so the next output starts on a fresh line.
  void finish();
  ~Progress() { finish(); }

 private:
  std::FILE* stream_;
  bool in_place_;
  bool open_ = false;
};

}  // namespace nn
