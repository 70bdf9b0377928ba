// Chapter 3 in the web book's playground: XOR and the network 2 → n_h → 1 of this lesson,
// trained one sample at a time by its train_per_sample(), one epoch per iteration
// (common/web/model.hpp). Identity hidden units, or a single one, show the failure the chapter
// proves.
#include "common/web/model.hpp"
#include "lesson.hpp"

namespace ch03 {
namespace {

class XorModel final : public web::Model {
 public:
  explicit XorModel(const web::Settings& s) : learning_rate_(s.learning_rate) {
    data_ = nn::make_truth_table("XOR");
    nn::NumpyRandom rng(s.seed);  // the draws of the chapter's steps 4 and 5
    net_ = initialize(rng, 2, static_cast<arma::uword>(s.hidden), s.activation);
    show(data_);
    bounds = {-0.5, 1.5, -0.5, 1.5};  // the chapter's figures
  }

  void train(int epochs) override {
    nn::NoProgress quiet;
    for (int e = 0; e < epochs && !done; ++e) {
      // J before the epoch, then the lesson's epoch: one step per row of the table; it reports
      // when every output is within the tolerance of its label, where the chapter stops
      costs.push_back(cost(net_, data_.X, data_.Y));
      done = train_per_sample(net_, data_, learning_rate_, 1, Options{}.tolerance, quiet).reached;
    }
  }
  arma::mat probabilities(const arma::mat& P) const override {
    return web::two_classes(forward(net_, P).A2);  // A2 = P(y = 1 | x)
  }
  arma::mat hidden(const arma::mat& P) const override { return forward(net_, P).A1; }
  arma::uword hidden_units() const override { return net_.W1.n_rows; }

 private:
  nn::Dataset data_;
  TwoLayerNet net_;
  double learning_rate_;
};

const web::Registration xor_gate({
    .name = "xor",
    .label = "XOR (chapter 3)",
    .order = 30,
    .defaults = {.hidden = 2,
                 .activation = nn::Activation::sigmoid,
                 .learning_rate = Options{}.learning_rate,
                 .seed = kDefaultSeed},
    .activations = {nn::Activation::sigmoid, nn::Activation::tanh, nn::Activation::relu,
                    nn::Activation::identity},
    .make = [](const web::Settings& s) { return std::make_unique<XorModel>(s); },
});

}  // namespace
}  // namespace ch03
