// The playground's engine as JavaScript sees it (embind): the data sets, their chapters' defaults,
// and a Session that trains one model. Arrays cross as typed-array copies; errors cross as one
// line of text (error()), never as an exception.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <optional>
#include <string>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/web/model.hpp"

namespace web {
namespace {

using emscripten::val;

template <typename T>
val typed_copy(const char* type, const T* data, std::size_t n) {
  // a view of the WebAssembly memory, copied into an array of JavaScript's own
  return val::global(type).new_(val(emscripten::typed_memory_view(n, data)));
}

val to_js(const arma::mat& M) {
  return typed_copy("Float64Array", M.memptr(), M.n_elem);
}

// The page's controls for the likely cause of a divergence (the chapters' mains name their flags
// the same way; the page has no control for the initial weights).
std::string advice(std::optional<nn::Cause> cause) {
  if (cause == nn::Cause::learning_rate) return " (try a smaller learning rate)";
  if (cause == nn::Cause::penalty) return " (try a smaller λ or learning rate)";
  return "";
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

// settings[name] when it is a number, else `fallback`.
double number(const val& settings, const char* name, double fallback) {
  const val v = settings[name];
  return v.isNumber() ? v.as<double>() : fallback;
}

val data_set_names() {
  val list = val::array();
  for (const DataSet& set : data_sets()) list.call<void>("push", set.name);
  return list;
}

std::string label(const std::string& name) {
  const DataSet* set = find_data_set(name);
  return set ? set->label : "";
}

val defaults(const std::string& name) {
  const DataSet* set = find_data_set(name);
  return set ? to_js(*set, set->defaults) : val::undefined();
}

// One model in training, from the page's settings (any field left out takes the default).
class Session {
 public:
  explicit Session(const val& page) {
    const std::string name = page["data"].isString() ? page["data"].as<std::string>() : "";
    const DataSet* set = find_data_set(name);
    if (!set) {
      error_ = "data set: there is none called '" + name + "'";
      return;
    }
    Settings s = set->defaults;
    s.hidden = static_cast<int>(number(page, "hidden", s.hidden));
    s.learning_rate = number(page, "learningRate", s.learning_rate);
    s.lambda = number(page, "lambda", s.lambda);
    const double seed = number(page, "seed", s.seed);
    if (!(seed >= 0 && seed <= 4294967295.0 &&
          seed == static_cast<double>(static_cast<std::uint32_t>(seed)))) {
      error_ = "seed: " + std::to_string(seed) + " is not a whole number from 0 to 4294967295";
      return;
    }
    s.seed = static_cast<std::uint32_t>(seed);
    try {
      if (page["activation"].isString())
        s.activation = nn::activation_from_name(page["activation"].as<std::string>());
      error_ = settings_problem(*set, s);
      if (error_.empty()) model_ = set->make(s);
    } catch (const nn::DivergedError& e) {
      error_ = e.what() + advice(e.cause);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }

  std::string error() const { return error_; }
  bool done() const { return model_ && model_->done; }
  int iteration() const { return model_ ? static_cast<int>(model_->costs.size()) : 0; }

  // n more iterations; false when training stopped: an error, or it ended by itself.
  bool step(int n) {
    if (!model_ || !error_.empty() || model_->done) return false;
    const int start = iteration();
    try {
      model_->train(n);
    } catch (const nn::DivergedError& e) {
      // each call trains from its own iteration 0: only the first call's comes before any step
      const std::optional<nn::Cause> cause =
          start > 0 && e.cause == nn::Cause::initial_scale ? nn::Cause::learning_rate : e.cause;
      error_ = "training diverged by iteration " + std::to_string(start + n) +
               ": the cost is inf, NaN or saturated" + advice(cause);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    return error_.empty() && !model_->done;
  }

  val costs(int from) const {
    if (!model_ || from < 0 || from >= iteration()) return val::global("Float64Array").new_(0);
    return typed_copy("Float64Array", model_->costs.data() + from,
                      model_->costs.size() - static_cast<std::size_t>(from));
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
  val regions(int n) const {
    return on_grid(n, [&](const arma::mat& P) { return model_->probabilities(P); });
  }
  val hidden(int n) const {
    return on_grid(n, [&](const arma::mat& P) { return model_->hidden(P); });
  }

 private:
  template <typename F>
  val on_grid(int n, F f) const {
    if (!model_ || n < 2 || n > 400) return to_js(arma::mat());
    const auto& b = model_->bounds;
    return to_js(f(nn::grid_points(b[0], b[1], b[2], b[3], static_cast<arma::uword>(n))));
  }

  std::unique_ptr<Model> model_;
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
