#include "common/progress.hpp"

#include <unistd.h>

namespace nn {

Progress::Progress(std::FILE* stream) : stream_(stream), in_place_(isatty(fileno(stream)) != 0) {}

void Progress::update(const std::string& text) {
  if (in_place_) {
    std::fprintf(stream_, "\r%s\033[K", text.c_str());
    open_ = true;
  } else {
    std::fprintf(stream_, "%s\n", text.c_str());
  }
  std::fflush(stream_);
}

void Progress::finish() {
  if (open_) std::fputc('\n', stream_);
  open_ = false;
  std::fflush(stream_);
}

}  // namespace nn
