// What a long loop tells the world about itself: "iteration 3000/10000  cost 0.2613". A lesson
// makes one call per epoch or per printed iteration, naming its numbers; where they go is the
// caller's choice: a line on the terminal (common/plumbing/progress.hpp's ProgressLine), nowhere
// (NoProgress: tests, inner runs of a study, the browser).
#pragma once
#include <initializer_list>
#include <string_view>

namespace nn {

class Progress {
 public:
  // A named number of a progress line ("train loss", 0.1234).
  struct Value {
    std::string_view name;
    double value;
  };

  virtual ~Progress() = default;
  // Step i of n of `what`, and its numbers.
  virtual void step(std::string_view what, long i, long n, std::initializer_list<Value> values) = 0;
};

// A progress that shows nothing.
class NoProgress final : public Progress {
 public:
  void step(std::string_view, long, long, std::initializer_list<Value>) override {}
};

}  // namespace nn
