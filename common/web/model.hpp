// The playground of the web book: a chapter's own model, trained by the chapter's own functions,
// seen from the page. Each chapter that has a playground adapts its lesson to Model in its
// playground.cpp and registers its data sets; common/web/bindings.cpp hands them to JavaScript.
// Armadillo and the standard library only: this is compiled with the lessons to WebAssembly.
#pragma once
#include <armadillo>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/nn/activations.hpp"
#include "datasets/synthetic.hpp"

namespace web {

// The most hidden units a session may have: a few seconds per iteration on the spiral beyond.
constexpr int kMaxHidden = 1000;

// What the page's controls say besides the data set. Each data set opens at its chapter's
// defaults.
struct Settings {
  int hidden = 0;  // n_h, units of the hidden layer (0: no hidden layer, where allowed)
  nn::Activation activation = nn::Activation::tanh;  // g of the hidden units
  double learning_rate = 0.0;                        // α
  double lambda = 0.0;                               // λ of the L2 penalty, where it applies
  std::uint32_t seed = 0;                            // the chapter's --seed
};

// A model in training, as the page sees it: the data, the costs so far, and what the model says
// over the plane.
class Model {
 public:
  virtual ~Model() = default;

  // `steps` more iterations (epochs, where the chapter trains per sample) of the chapter's own
  // training; stops early when the training ends by itself (then done() is true).
  virtual void train(int steps) = 0;
  // P(class k | x) for each column of P (2 × n): K × n, the columns summing to 1.
  virtual arma::mat probabilities(const arma::mat& P) const = 0;
  // The hidden units' activations A1 for each column of P: n_h × n (0 × n without a hidden layer).
  virtual arma::mat hidden(const arma::mat& P) const = 0;
  // The hidden units' count, n_h.
  virtual arma::uword hidden_units() const = 0;

  // Percent of the training points whose most probable class is their label.
  double accuracy() const;

  arma::mat X;                     // the training points, 2 × m
  arma::uvec labels;               // their classes, 0 … K − 1
  arma::uword classes = 2;         // K
  std::array<double, 4> bounds{};  // x1_lo, x1_hi, x2_lo, x2_hi: where the maps are drawn
  std::vector<double> costs;       // J before each iteration so far (the session keeps the latest)
  bool done = false;               // the training ended by itself

 protected:
  // X and labels from a two-class data set (Y: 1 × m of 0 and 1).
  void show(const nn::Dataset& two_classes);
  // bounds from a grid the chapter draws its maps on (2 × n², from the chapter's own rule).
  void draw_over(const arma::mat& grid);
};

// The two classes' probabilities [1 − a; a] (2 × n) of a model whose output a is P(y = 1 | x).
arma::mat two_classes(const arma::mat& a);

// A data set the playground offers, and how to make a model for it.
struct DataSet {
  std::string name;      // "flower"
  std::string label;     // "Planar flower (chapter 2)"
  int order = 0;         // where it is listed: its chapter's number, then its place there
  Settings defaults;     // the chapter's own
  int min_hidden = 1;    // 0 where the model may have no hidden layer
  bool penalty = false;  // λ applies
  std::vector<nn::Activation> activations;  // the hidden units the chapter's model can have
  std::function<std::unique_ptr<Model>(const Settings&)> make;
};

// Adds a data set to the playground; a chapter's playground.cpp holds one Registration per set.
struct Registration {
  explicit Registration(DataSet set);
};

// Every registered data set, in their order.
const std::vector<DataSet>& data_sets();
// The data set called `name`; nullptr when there is none.
const DataSet* find_data_set(const std::string& name);
// "" when `settings` suit `set`; otherwise one line naming the control and what is wrong. The
// hidden units' count is checked (from set.min_hidden to kMaxHidden) before it is an int.
std::string settings_problem(const DataSet& set, const Settings& settings);

}  // namespace web
