#include "common/web/model.hpp"

#include <algorithm>

#include "common/nn/metrics.hpp"

namespace web {

namespace {

std::vector<DataSet>& registry() {
  static std::vector<DataSet> sets;
  return sets;
}

}  // namespace

double Model::accuracy() const {
  // the most probable class of each point against its label
  return nn::accuracy(arma::index_max(probabilities(X), 0).t(), labels);
}

void Model::show(const nn::Dataset& d) {
  X = d.X;
  labels = arma::conv_to<arma::uvec>::from(d.Y.row(0));
  classes = 2;
}

void Model::draw_over(const arma::mat& grid) {
  bounds = {grid.row(0).min(), grid.row(0).max(), grid.row(1).min(), grid.row(1).max()};
}

arma::mat two_classes(const arma::mat& a) {
  return arma::join_cols(1.0 - a, a);
}

Registration::Registration(DataSet set) {
  std::vector<DataSet>& sets = registry();
  sets.push_back(std::move(set));
  std::stable_sort(sets.begin(), sets.end(),
                   [](const DataSet& a, const DataSet& b) { return a.order < b.order; });
}

const std::vector<DataSet>& data_sets() {
  return registry();
}

const DataSet* find_data_set(const std::string& name) {
  for (const DataSet& set : registry())
    if (set.name == name) return &set;
  return nullptr;
}

std::string settings_problem(const DataSet& set, const Settings& s) {
  if (std::find(set.activations.begin(), set.activations.end(), s.activation) ==
      set.activations.end())
    return "activation: the " + set.label + " model has no " + nn::activation_name(s.activation) +
           " units";
  if (!(s.learning_rate > 0.0 && s.learning_rate <= 100.0))
    return "learning rate: " + std::to_string(s.learning_rate) + " is not in (0, 100]";
  if (!(s.lambda >= 0.0 && s.lambda <= 100.0))
    return "λ: " + std::to_string(s.lambda) + " is not in [0, 100]";
  return "";
}

}  // namespace web
