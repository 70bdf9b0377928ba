// Chapter 2 in the web book's playground: the planar flower and the network 2 → n_h → 1 of this
// lesson, trained by its train() (common/web/model.hpp).
#include "common/web/model.hpp"
#include "lesson.hpp"

namespace ch02 {
namespace {

class FlowerModel final : public web::Model {
 public:
  explicit FlowerModel(const web::Settings& s) : learning_rate_(s.learning_rate) {
    const Seeds seeds = seeds_from(s.seed);
    data_ = nn::make_planar_flower(seeds.data);
    p_ = initialize_parameters(data_.X.n_rows, static_cast<arma::uword>(s.hidden), 1, seeds.init,
                               Options{}.init_scale, s.activation);
    show(data_);
    draw_over(grid_over(data_.X, 2));  // the chapter's maps: the data and one unit around it
  }

  void train(int steps) override {
    // the lesson's train(), continued from where the last call stopped: full-batch steps depend
    // on the parameters alone, so the costs are those of one long run
    nn::NoProgress quiet;
    Training t = ch02::train(data_, std::move(p_), learning_rate_, steps, quiet);
    p_ = std::move(t.parameters);
    costs.insert(costs.end(), t.costs.begin(), t.costs.end());
  }
  arma::mat probabilities(const arma::mat& P) const override {
    return web::two_classes(predict_proba(p_, P));  // A2 = P(y = 1 | x)
  }
  arma::mat hidden(const arma::mat& P) const override { return forward(p_, P).A1; }
  arma::uword hidden_units() const override { return p_.W1.n_rows; }

 private:
  nn::Dataset data_;
  Parameters p_;
  double learning_rate_;
};

const web::Registration flower({
    .name = "flower",
    .label = "Planar flower (chapter 2)",
    .order = 20,
    .defaults = {.hidden = Options{}.hidden_units,
                 .activation = Options{}.g1,
                 .learning_rate = Options{}.learning_rate,
                 .seed = kDefaultSeed},
    .activations = {nn::Activation::tanh, nn::Activation::sigmoid, nn::Activation::relu},
    .make = [](const web::Settings& s) { return std::make_unique<FlowerModel>(s); },
});

}  // namespace
}  // namespace ch02
