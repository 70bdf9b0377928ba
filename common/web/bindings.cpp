// The playground's engine as JavaScript sees it (embind): the data sets, their chapters' defaults,
// and a Session that trains one model. Arrays cross as typed-array copies. Settings a session
// cannot train with cross as one line of text (error()); a call whose argument is refused throws
// a JavaScript TypeError or RangeError whose message is one line naming the argument, and leaves
// the session as it was. Memory is bounded: a map is computed in blocks and its answer checked
// against a budget before anything is allocated, a step trains in chunks, and the engine keeps
// the latest costs only.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/web/model.hpp"

namespace web {
namespace {

using emscripten::val;

constexpr double kMaxSteps = 1e6;  // iterations one step() may ask for
constexpr int kStepChunk = 10000;  // a step trains this many at a time (its costs' memory)
constexpr std::size_t kCostsKept = 1u << 15;   // the latest costs the engine keeps (256 kB)
constexpr double kMaxGrid = 400;               // a map's side, in grid points
constexpr double kAnswerValues = 1 << 22;      // numbers one map may hand back (32 MB)
constexpr arma::uword kBlockValues = 1 << 20;  // numbers per matrix while a map is computed

// An argument the engine refuses: the one line JavaScript gets, and the error's type.
struct Refusal : std::invalid_argument {
  Refusal(const std::string& line, const char* type) : std::invalid_argument(line), type(type) {}
  const char* type;  // "TypeError" or "RangeError"
};

EM_JS(void, throw_error, (const char* type, const char* message),
      { throw new globalThis[UTF8ToString(type)](UTF8ToString(message)); });

// f(); when it refuses an argument, a JavaScript error carrying the refusal's line instead. The
// C++ objects of f are gone by then (the line waits in a static).
template <typename F>
auto refusing(F f) -> decltype(f()) {
  static std::string line;
  const char* type = "RangeError";
  try {
    return f();
  } catch (const Refusal& r) {
    line = r.what();
    type = r.type;
  }
  throw_error(type, line.c_str());
  __builtin_unreachable();
}

// A value as a message shows it, on one line: a number as JavaScript prints it, a string
// quoted (JSON), anything else by its type.
std::string shown(const val& v) {
  if (v.isNumber()) return val::global("String")(v).as<std::string>();
  if (v.isString()) {
    const std::string quoted = val::global("JSON").call<std::string>("stringify", v);
    return quoted.size() <= 40 ? quoted : quoted.substr(0, 36) + "…\"";
  }
  if (v.isNull()) return "null";
  const std::string type = v.typeOf().as<std::string>();
  return type == "undefined" ? type : "a value of type " + type;
}

std::string whole_text(double x) {
  return std::to_string(static_cast<long long>(x));
}

// v as a number, checked before it is converted: finite, and whole from lo to hi when `whole`.
double number_in(const val& v, const std::string& what, double lo, double hi, bool whole) {
  const double x = v.isNumber() ? v.as<double>() : NAN;
  const bool in = std::isfinite(x) && x >= lo && x <= hi && (!whole || x == std::trunc(x));
  if (in) return x;
  const std::string wanted =
      whole ? "a whole number from " + whole_text(lo) + " to " + whole_text(hi) : "a finite number";
  throw Refusal(what + ": " + shown(v) + " is not " + wanted,
                v.isNumber() ? "RangeError" : "TypeError");
}

template <typename T>
val typed_copy(const char* type, const T* data, std::size_t n) {
  // a view of the WebAssembly memory, copied into an array of JavaScript's own
  return val::global(type).new_(val(emscripten::typed_memory_view(n, data)));
}

val to_js(const arma::mat& M) {
  return typed_copy("Float64Array", M.memptr(), M.n_elem);
}

val names(const std::vector<nn::Activation>& activations) {
  val list = val::array();
  for (const nn::Activation g : activations) list.call<void>("push", nn::activation_name(g));
  return list;
}

val to_js(const DataSet& set, const Settings& s) {
  val o = val::object();
  o.set("data", set.name);
  o.set("hidden", s.hidden);
  o.set("activation", nn::activation_name(s.activation));
  o.set("learningRate", s.learning_rate);
  o.set("lambda", s.lambda);
  o.set("seed", s.seed);
  o.set("lambdaApplies", set.penalty);
  o.set("minHidden", set.min_hidden);
  o.set("activations", names(set.activations));
  return o;
}

val data_set_names() {
  val list = val::array();
  for (const DataSet& set : data_sets()) list.call<void>("push", set.name);
  return list;
}

// The data set called `name`, or a Refusal naming `what` and the sets there are.
const DataSet& data_set_named(const val& name, const std::string& what) {
  const DataSet* set = name.isString() ? find_data_set(name.as<std::string>()) : nullptr;
  if (set) return *set;
  std::string known;
  for (const DataSet& s : data_sets()) known += (known.empty() ? "" : ", ") + s.name;
  throw Refusal(what + ": " + shown(name) + " is not one of " + known,
                name.isString() ? "RangeError" : "TypeError");
}

std::string label(const val& name) {
  return refusing([&] { return data_set_named(name, "label(name)").label; });
}

val defaults(const val& name) {
  return refusing([&] {
    const DataSet& set = data_set_named(name, "defaults(name)");
    return to_js(set, set.defaults);
  });
}

// The data set the page's settings name. The settings are an object whose keys are among
// kSettings; a key misspelt would otherwise be a setting silently ignored.
const char* const kSettings[] = {"data", "hidden", "activation", "learningRate", "lambda", "seed"};

const DataSet& data_set_of(const val& page) {
  if (page.isNull() || page.typeOf().as<std::string>() != "object" || page.isArray())
    throw Refusal("settings: " + shown(page) + " is not an object such as {data: \"flower\"}",
                  "TypeError");
  const val keys = val::global("Object").call<val>("keys", page);
  for (unsigned i = 0; i < keys["length"].as<unsigned>(); ++i)
    if (std::find(std::begin(kSettings), std::end(kSettings), keys[i].as<std::string>()) ==
        std::end(kSettings))
      throw Refusal("settings: there is no setting called " + shown(keys[i]) +
                        " (data, hidden, activation, learningRate, lambda, seed)",
                    "TypeError");
  return data_set_named(page["data"], "data set");
}

// The settings of a session on `set`: each one checked before it is converted, any left out
// the chapter's default.
Settings settings_of(const DataSet& set, const val& page) {
  Settings s = set.defaults;
  const auto given = [&](const char* key) { return !page[key].isUndefined(); };
  if (given("hidden"))
    s.hidden = static_cast<int>(
        number_in(page["hidden"], "hidden units", set.min_hidden, kMaxHidden, true));
  if (given("learningRate"))
    s.learning_rate = number_in(page["learningRate"], "learning rate", -HUGE_VAL, HUGE_VAL, false);
  if (given("lambda")) s.lambda = number_in(page["lambda"], "λ", -HUGE_VAL, HUGE_VAL, false);
  if (given("seed"))
    s.seed = static_cast<std::uint32_t>(number_in(page["seed"], "seed", 0, 4294967295.0, true));
  if (given("activation")) {
    const val g = page["activation"];
    if (!g.isString())
      throw Refusal("activation: " + shown(g) + " is not the name of an activation", "TypeError");
    s.activation = nn::activation_from_name(g.as<std::string>());
  }
  return s;
}

// The page's controls for the likely cause of a divergence (the chapters' mains name their flags
// the same way; the page has no control for the initial weights).
std::string advice(std::optional<nn::Cause> cause) {
  if (cause == nn::Cause::learning_rate) return " (try a smaller learning rate)";
  if (cause == nn::Cause::penalty) return " (try a smaller λ or learning rate)";
  return "";
}

// One model in training, from the page's settings (any field left out takes the default).
class Session {
 public:
  explicit Session(const val& page) {
    try {
      const DataSet& set = data_set_of(page);
      const Settings s = settings_of(set, page);
      error_ = settings_problem(set, s);
      if (error_.empty()) model_ = set.make(s);
    } catch (const nn::DivergedError& e) {
      error_ = e.what() + advice(e.cause);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }

  std::string error() const { return error_; }
  bool done() const { return model_ && model_->done; }
  // Iterations so far (the costs forgotten included).
  double iteration() const {
    return model_ ? forgotten_ + static_cast<double>(model_->costs.size()) : 0;
  }

  // n more iterations; false when training stopped: an error, or it ended by itself.
  bool step(const val& n) {
    return refusing([&] {
      const double steps = number_in(n, "step(n)", 1, kMaxSteps, true);
      if (!model_ || !error_.empty() || model_->done) return false;
      train(static_cast<int>(steps));
      return error_.empty() && !model_->done;
    });
  }

  // J before each iteration from `from` on (the engine keeps the latest kCostsKept).
  val costs(const val& from) const {
    return refusing([&] {
      const double first = number_in(from, "costs(from)", 0, iteration(), true);
      if (first < forgotten_)
        throw Refusal("costs(from): " + shown(from) +
                          " is forgotten: the engine keeps the latest " +
                          std::to_string(kCostsKept) + " costs, from iteration " +
                          whole_text(forgotten_) + " on",
                      "RangeError");
      if (!model_) return to_js(arma::mat());
      const auto i = static_cast<std::size_t>(first - forgotten_);
      return typed_copy("Float64Array", model_->costs.data() + i, model_->costs.size() - i);
    });
  }
  double accuracy() const { return model_ ? model_->accuracy() : 0.0; }
  val points() const { return model_ ? to_js(model_->X) : to_js(arma::mat()); }
  val labels() const {
    if (!model_) return val::global("Int32Array").new_(0);
    const std::vector<int> y(model_->labels.begin(), model_->labels.end());
    return typed_copy("Int32Array", y.data(), y.size());
  }
  int classes() const { return model_ ? static_cast<int>(model_->classes) : 0; }
  val bounds() const {
    return model_ ? typed_copy("Float64Array", model_->bounds.data(), 4) : val::undefined();
  }
  int hidden_units() const { return model_ ? static_cast<int>(model_->hidden_units()) : 0; }
  // What the model says on an n × n grid over bounds(): K probabilities, or n_h activations, per
  // grid point (x1 fastest).
  val regions(const val& n) const {
    return refusing([&] {
      return on_grid(n, "regions(n)", static_cast<arma::uword>(classes()),
                     [&](const arma::mat& P) { return model_->probabilities(P); });
    });
  }
  val hidden(const val& n) const {
    return refusing([&] {
      return on_grid(n, "hidden(n)", static_cast<arma::uword>(hidden_units()),
                     [&](const arma::mat& P) { return model_->hidden(P); });
    });
  }

 private:
  // The chapter's training, kStepChunk iterations at a time (each chunk's costs are a vector):
  // full-batch steps depend on the parameters alone, so the costs are those of one long run.
  void train(int steps) {
    double by = iteration(), start = by;
    try {
      for (int left = steps; left > 0 && !model_->done; left -= kStepChunk) {
        start = iteration();
        by = start + std::min(left, kStepChunk);
        model_->train(std::min(left, kStepChunk));
        keep_latest_costs();
      }
    } catch (const nn::DivergedError& e) {
      // each chunk trains from its own iteration 0: only the first chunk's comes before any step
      const std::optional<nn::Cause> cause =
          start > 0 && e.cause == nn::Cause::initial_scale ? nn::Cause::learning_rate : e.cause;
      error_ = "training diverged by iteration " + whole_text(by) +
               ": the cost is inf, NaN or saturated" + advice(cause);
    } catch (const std::bad_alloc&) {
      error_ = "out of memory by iteration " + whole_text(by) + ": try fewer hidden units";
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }

  // An endless run's costs would fill the memory: past kCostsKept, the older half goes.
  void keep_latest_costs() {
    std::vector<double>& J = model_->costs;
    if (J.size() <= kCostsKept) return;
    const std::size_t drop = J.size() - kCostsKept / 2;
    J.erase(J.begin(), J.begin() + static_cast<std::ptrdiff_t>(drop));
    forgotten_ += static_cast<double>(drop);
  }

  // f over the grid's points, rows × n² numbers: refused before anything is allocated when the
  // answer would pass kAnswerValues, and computed a block of points at a time, so that none of
  // the model's matrices (n_h × points) passes kBlockValues.
  template <typename F>
  val on_grid(const val& n_js, const std::string& what, arma::uword rows, F f) const {
    const double n = number_in(n_js, what, 2, kMaxGrid, true);
    if (!model_) return to_js(arma::mat());
    if (static_cast<double>(rows) * n * n > kAnswerValues)
      throw Refusal(what + ": " + shown(n_js) + " is too fine: " + whole_text(n) + "² points × " +
                        std::to_string(rows) + " numbers is more than the " +
                        whole_text(kAnswerValues) + " a map may hold (n ≤ " +
                        whole_text(std::floor(std::sqrt(kAnswerValues / rows))) + " here)",
                    "RangeError");
    const auto& b = model_->bounds;
    const arma::mat P =
        nn::grid_points(b[0], b[1], b[2], b[3], static_cast<arma::uword>(n));  // 2 × n²
    arma::mat answer(rows, P.n_cols);                                          // rows × n²
    const arma::uword widest = std::max<arma::uword>({rows, model_->hidden_units(), 1});
    const arma::uword block = std::max<arma::uword>(1, kBlockValues / widest);
    for (arma::uword first = 0; first < P.n_cols; first += block) {
      const arma::uword last = std::min(P.n_cols, first + block) - 1;
      answer.cols(first, last) = f(P.cols(first, last));
    }
    return to_js(answer);
  }

  std::unique_ptr<Model> model_;
  double forgotten_ = 0;  // the costs dropped by keep_latest_costs()
  std::string error_;
};

}  // namespace
}  // namespace web

EMSCRIPTEN_BINDINGS(playground) {
  using web::Session;
  emscripten::function("dataSets", &web::data_set_names);
  emscripten::function("label", &web::label);
  emscripten::function("defaults", &web::defaults);
  emscripten::class_<Session>("Session")
      .constructor<const emscripten::val&>()
      .function("error", &Session::error)
      .function("step", &Session::step)
      .function("done", &Session::done)
      .function("iteration", &Session::iteration)
      .function("costs", &Session::costs)
      .function("accuracy", &Session::accuracy)
      .function("points", &Session::points)
      .function("labels", &Session::labels)
      .function("classes", &Session::classes)
      .function("bounds", &Session::bounds)
      .function("hiddenUnits", &Session::hidden_units)
      .function("regions", &Session::regions)
      .function("hidden", &Session::hidden);
}
