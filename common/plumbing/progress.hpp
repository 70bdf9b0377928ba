// The progress line of a chapter's run: on a terminal it is rewritten in place; piped into a
// file or a test log it becomes one plain line per update. Ending the line is presentation,
// never the lesson's: the chapter's main calls finish() between the lesson's run() and its
// report, and the destructor ends the line when a run throws.
#pragma once
#include <cstdio>
#include <string>

#include "common/nn/progress.hpp"

namespace nn {

class ProgressLine final : public Progress {
 public:
  explicit ProgressLine(std::FILE* stream = stdout);  // stream: an open stream, not nullptr
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() override { finish(); }

  // "epoch 3/40  train loss 0.1234  validation accuracy 96.5": step i of n and its numbers,
  // each with five significant digits.
  void step(std::string_view what, long i, long n, std::initializer_list<Value> values) override;
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
