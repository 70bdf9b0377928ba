// Chapter 9: many classes on curved data. CS231n's spiral ("Putting it together: minimal
// neural network case study"): three interleaved arms that no straight line separates, a
// linear softmax classifier against one hidden layer of ReLU units, and what to do when one
// class is rare (plain training, reweighting the loss, oversampling the rare class).
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "common/nn/jobs.hpp"      // nn::Jobs
#include "common/nn/metrics.hpp"   // nn::ClassScores
#include "common/nn/mlp.hpp"       // nn::Mlp
#include "common/nn/penalty.hpp"   // nn::Penalty
#include "common/nn/progress.hpp"  // nn::Progress
#include "datasets/synthetic.hpp"

namespace ch09 {

// --seed when none is given.
inline constexpr std::uint32_t kDefaultSeed = 0;

// The lesson's hyperparameters: CS231n's values.
struct Options {
  int points = 100;              // N, points per arm (class)
  int hidden_units = 100;        // h, ReLU units of the network
  double learning_rate = 1.0;    // α ("step_size")
  double reg = 1e-3;             // λ, the L2 strength: + ½λ Σ‖W‖² ("reg")
  int linear_iterations = 200;   // full-batch steps of the softmax classifier
  int iterations = 10000;        // full-batch steps of the network (and of the study's)
  int keep_every = 10;           // the imbalance study keeps one point in this many of arm 2
  int study_test_points = 1000;  // points per arm of the study's test spiral, before thinning
};

inline constexpr arma::uword kClasses = 3;  // K, the spiral's arms
inline constexpr arma::uword kRare = 2;     // the arm the imbalance study thins

// The seeds of one run: --seed S draws the training spiral from S, the test spiral from
// S + 1, the initial weights from S + 2 and the oversampling from S + 3.
struct Seeds {
  std::uint32_t train, test, init, oversample;
};
Seeds seeds_from(std::uint32_t seed);

// A labelled set, one sample per column, with the weight each sample's loss gets.
struct Data {
  arma::mat X;     // X: 2 × m
  arma::uvec y;    // y: m labels, 0 … K − 1
  arma::mat Y;     // Y: K × m, one-hot (Y(y_j, j) = 1)
  arma::rowvec w;  // w: 1 × m, 1 for every sample except in the reweighting remedy
};
// The spiral (Y 1 × m of labels) as a Data with every weight 1.
Data labelled(const nn::Dataset& spiral);

// The models are common/nn/mlp's network with ReLU hidden units and a softmax output:
// sizes {2, K} is softmax regression (L = 1), {2, h, K} the network (L = 2).

// sizes = {n_0 = 2, …, n_L = K}. W[l] = 0.01·randn as CS231n draws it (n_(l−1) × n_l in
// numpy's order, one generator seeded once, W1 before W2), stored transposed; b[l] = 0. The
// hidden units are ReLU, CS231n's, unless `hidden` says otherwise.
nn::Mlp initialize(const std::vector<arma::uword>& sizes, std::uint32_t seed,
                   nn::Activation hidden = nn::Activation::relu);

// J = (1/m) Σ_j w_j 𝓛⁽ʲ⁾ + ½λ Σ_l ‖W[l]‖², 𝓛⁽ʲ⁾ = −ln P(y_j, j): the weighted cross-entropy
// and the L2 term.
double cost(const nn::Mlp& net, const nn::MlpCache& cache, const Data& d,
            const nn::Penalty& penalty);

// A model trained by full-batch gradient descent.
struct Trained {
  nn::Mlp net;
  std::vector<double> losses;  // J before each step, every iteration
  double final_loss = 0;       // J after the last step
};
// `iterations` steps of forward → cost → backward → update from `start`, with the per-sample
// weights d.w and W's L2 penalty; progress gets one call every `print_every` iterations.
Trained train(nn::Mlp start, const Data& d, double learning_rate, const nn::Penalty& penalty,
              int iterations, int print_every, nn::Progress& progress);

// W[l] and b[l] all drawn from N(0, 1): a point where no gradient is special (at the start,
// W ≈ 0 and the three classes balance, so db ≈ 0 and ReLU's inputs sit near its kink).
nn::Mlp random_point(const std::vector<arma::uword>& sizes, std::uint32_t seed);

// Backprop's ∂J/∂W[l], ∂J/∂b[l] (L2 term and weights included) against central differences of
// cost(), ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖), the largest over the blocks.
double gradient_check(nn::Mlp net, const Data& d, const nn::Penalty& penalty);

// How a trained model does on a labelled set.
struct Evaluation {
  double accuracy = 0;     // percent
  arma::umat confusion;    // K × K: C(i, j) = samples of class i answered j
  nn::ClassScores scores;  // per-class precision and recall, percent
};
Evaluation evaluate(const nn::Mlp& net, const Data& d);

// A model of the main lesson: its training and its scores.
struct Model {
  std::string name;  // "linear", "network"
  std::vector<arma::uword> sizes;
  int print_every = 0;
  Trained trained;
  Evaluation train, test;
  double gradient_error = 0;  // gradient_check at random_point
};

// How many samples of each class: K counts.
arma::uvec class_counts(const arma::uvec& y);

// The imbalance study's training sets.
Data thin(const Data& d, arma::uword rare, arma::uword keep_every);  // every keep_every-th of rare
// The balanced weights w_j = m / (K n_(y_j)): every class carries the same total weight, and the
// weights sum to m.
Data reweighted(Data d);
// The rare class drawn again, with replacement, until it has as many samples as the largest
// class: np.random.seed(seed); extra = rare[randint(0, n_rare, n_max − n_rare)].
Data oversampled(const Data& d, arma::uword rare, std::uint32_t seed);

// One way of training on the thinned spiral.
struct Variant {
  std::string name;  // "plain", "reweighted", "oversampled"
  Data data;         // what it trains on: the thinned spiral, reweighted, or oversampled
  Trained trained;
  Evaluation train, test;  // on the thinned spiral and on the thinned test spiral
};

struct Imbalance {
  Data train, test;               // the thinned spirals
  std::vector<Variant> variants;  // plain, reweighted, oversampled
};

// The points of an n × n grid over the range of X (2 × m) and 0.1 more on each side: 2 × n²,
// the first coordinate fastest (the decision-region maps).
arma::mat grid_over(const arma::mat& X, arma::uword n);

// The decision regions: the predicted class at each point of a grid over the plane.
struct Regions {
  arma::mat grid;                    // 2 × n²
  std::vector<arma::uvec> class_of;  // per model, n² predicted classes
};

struct Results {
  Seeds seeds;
  Data train, test;
  std::vector<Model> models;  // linear, network
  Regions regions;            // of the two models
  Imbalance imbalance;
  Regions imbalance_regions;  // of the three variants
  double seconds = 0;
};

// The whole lesson: data → softmax classifier → network → the rare class. The four trainings of
// the network are independent jobs: `jobs` decides where they run.
Results run(const Options& options, std::uint32_t seed, nn::Progress& progress,
            const nn::Jobs& jobs);

}  // namespace ch09
