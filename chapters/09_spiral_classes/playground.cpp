// Chapter 9 in the web book's playground: the spiral, softmax regression (no hidden unit) or
// one hidden layer, and the spiral with a rare arm, plain, reweighted or oversampled; trained by
// this lesson's train() (common/web/model.hpp).
#include "common/nn/errors.hpp"
#include "common/web/model.hpp"
#include "lesson.hpp"

namespace ch09 {
namespace {

// Which training set: the spiral, or its thinned version with one of the two remedies.
enum class Set { spiral, rare, reweighted, oversampled };

Data training_set(Set set, const Seeds& seeds) {
  const Options o;
  const Data spiral = labelled(nn::make_spiral(seeds.train, o.points, kClasses));
  if (set == Set::spiral) return spiral;
  const Data thinned = thin(spiral, kRare, static_cast<arma::uword>(o.keep_every));
  if (set == Set::reweighted) return reweighted(thinned);
  if (set == Set::oversampled) return oversampled(thinned, kRare, seeds.oversample);
  return thinned;
}

class SpiralModel final : public web::Model {
 public:
  SpiralModel(Set set, const web::Settings& s)
      : learning_rate_(s.learning_rate), penalty_{nn::Penalty::Kind::l2, s.lambda, 1.0} {
    nn::check_penalty_step(s.learning_rate, s.lambda, 1);
    const Seeds seeds = seeds_from(s.seed);
    data_ = training_set(set, seeds);
    // h = 0: softmax regression 2 → K; otherwise 2 → h → K
    std::vector<arma::uword> sizes{2, kClasses};
    if (s.hidden > 0) sizes.insert(sizes.begin() + 1, static_cast<arma::uword>(s.hidden));
    net_ = initialize(sizes, seeds.init, s.activation);
    X = data_.X;
    labels = data_.y;
    classes = kClasses;
    draw_over(grid_over(X, 2));  // the chapter's maps: the data and 0.1 around it
  }

  void train(int steps) override {
    // the lesson's train(), continued: full-batch steps depend on the parameters alone
    nn::NoProgress quiet;
    Trained t = ch09::train(std::move(net_), data_, learning_rate_, penalty_, steps, steps, quiet);
    net_ = std::move(t.net);
    costs.insert(costs.end(), t.losses.begin(), t.losses.end());
  }
  arma::mat probabilities(const arma::mat& P) const override {
    return nn::forward(net_, P).A.back();  // softmax: K × n
  }
  arma::mat hidden(const arma::mat& P) const override {
    return net_.layers() > 1 ? nn::forward(net_, P).A[1] : arma::mat(0, P.n_cols);
  }
  arma::uword hidden_units() const override { return net_.layers() > 1 ? net_.sizes[1] : 0; }

 private:
  Data data_;
  nn::Mlp net_;
  double learning_rate_;
  nn::Penalty penalty_;
};

web::DataSet spiral_set(const char* name, const char* label, int order, Set set) {
  const Options o;
  return {.name = name,
          .label = label,
          .order = order,
          .defaults = {.hidden = o.hidden_units,
                       .activation = nn::Activation::relu,
                       .learning_rate = o.learning_rate,
                       .lambda = o.reg,
                       .seed = kDefaultSeed},
          .min_hidden = 0,
          .penalty = true,
          .activations = {nn::Activation::relu, nn::Activation::tanh, nn::Activation::sigmoid,
                          nn::Activation::leaky_relu},
          .make = [set](const web::Settings& s) { return std::make_unique<SpiralModel>(set, s); }};
}

const web::Registration spiral(spiral_set("spiral", "Spiral, three arms (chapter 9)", 90,
                                          Set::spiral));
const web::Registration rare(spiral_set("rare", "Spiral with a rare arm (chapter 9)", 91,
                                        Set::rare));
const web::Registration rare_reweighted(spiral_set("rare-reweighted",
                                                   "Rare arm, loss reweighted (chapter 9)", 92,
                                                   Set::reweighted));
const web::Registration rare_oversampled(spiral_set("rare-oversampled",
                                                    "Rare arm, oversampled (chapter 9)", 93,
                                                    Set::oversampled));

}  // namespace
}  // namespace ch09
