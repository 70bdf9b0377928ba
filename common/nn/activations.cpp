#include "common/nn/activations.hpp"

#include <array>
#include <utility>

#include "common/nn/errors.hpp"

namespace nn {

namespace {
constexpr std::array<std::pair<Activation, const char*>, 5> kNames{{
    {Activation::identity, "identity"},
    {Activation::sigmoid, "sigmoid"},
    {Activation::tanh, "tanh"},
    {Activation::relu, "relu"},
    {Activation::leaky_relu, "leaky_relu"},
}};
}  // namespace

Activation activation_from_name(const std::string& name) {
  for (const auto& [g, text] : kNames)
    if (name == text) return g;
  throw UsageError("unknown activation '" + name +
                   "' (known: identity, sigmoid, tanh, relu, leaky_relu)");
}

std::string activation_name(Activation g) {
  for (const auto& [known, text] : kNames)
    if (known == g) return text;
  return "identity";
}

}  // namespace nn
