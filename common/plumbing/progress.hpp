// A progress line for long loops: on a terminal it is rewritten in place; piped into a file
// or a test log it becomes one plain line per update. A lesson makes one call per epoch or
// per printed iteration, naming its numbers; the formatting happens here. Ending the line is
// presentation, never the lesson's: the chapter's main calls finish() between the lesson's
// run() and its report, and the destructor ends the line when a run throws.
#pragma once
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

namespace nn {

class Progress {
 public:
  // A named number of a progress line ("train loss", 0.1234).
  struct Value {
    std::string_view name;
    double value;
  };

  // stream nullptr: a quiet progress that shows nothing (tests, inner runs of a study).
  explicit Progress(std::FILE* stream = stdout);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { finish(); }

  // "epoch 3/40  train loss 0.1234  validation accuracy 96.5": step i of n and its numbers,
  // each with five significant digits.
  void step(std::string_view what, long i, long n, std::initializer_list<Value> values);
  // Shows `text` as it is (in place on a terminal, as a new line otherwise).
  void update(const std::string& text);
  // Ends the line in place, so the next output starts on a fresh line.
  void finish();

 private:
  std::FILE* stream_;
  bool in_place_;
  bool open_ = false;
};

}  // namespace nn
