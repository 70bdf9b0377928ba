#include "common/plumbing/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace nn {

ProgressLine::ProgressLine(std::FILE* stream)
    : stream_(stream), in_place_(isatty(fileno(stream)) != 0) {}

void ProgressLine::step(std::string_view what, long i, long n,
                        std::initializer_list<Value> values) {
  std::string text = fmt::format("{} {}/{}", what, i, n);
  for (const Value& v : values) text += fmt::format("  {} {:.5g}", v.name, v.value);
  update(text);
}

void ProgressLine::update(const std::string& text) {
  if (in_place_) {
    fmt::print(stream_, "\r{}\033[K", text);
    open_ = true;
  } else {
    fmt::print(stream_, "{}\n", text);
  }
  std::fflush(stream_);
}

void ProgressLine::finish() {
  if (open_) std::fputc('\n', stream_);
  open_ = false;
  std::fflush(stream_);
}

}  // namespace nn
