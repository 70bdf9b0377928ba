#include "lesson.hpp"

#include <algorithm>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/plumbing/mnist.hpp"  // nn::one_hot
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/stopwatch.hpp"

namespace ch09 {

Seeds seeds_from(std::uint32_t seed) {
  return {seed, seed + 1, seed + 2, seed + 3};
}

Data labelled(const nn::Dataset& spiral) {
  Data d;
  d.X = spiral.X;
  d.y = arma::conv_to<arma::uvec>::from(spiral.Y.row(0));
  d.Y = nn::one_hot<double>(d.y, kClasses);
  d.w = arma::ones<arma::rowvec>(d.y.n_elem);
  return d;
}

// [book:initialize]
Parameters initialize(const std::vector<arma::uword>& sizes, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);  // np.random.seed(seed)
  const arma::uword L = sizes.size() - 1;
  Parameters p{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  for (arma::uword l = 1; l <= L; ++l) {
    // CS231n's W = 0.01 * np.random.randn(n_(l−1), n_l) multiplies rows of samples; ours
    // multiplies columns, so it is that matrix transposed: n_l × n_(l−1)
    p.W[l] = 0.01 * rng.randn(sizes[l - 1], sizes[l]).t();
    p.b[l].zeros(sizes[l], 1);
  }
  return p;
}
// [/book:initialize]

// [book:forward]
Cache forward(const Parameters& p, const arma::mat& X) {
  const arma::uword L = p.L();
  Cache c{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  c.A[0] = X;
  for (arma::uword l = 1; l <= L; ++l) {
    // Z[l] = W[l] A[l−1] + b[l]: n_l × m
    c.Z[l] = p.W[l] * c.A[l - 1];
    c.Z[l].each_col() += p.b[l];
    // ReLU in the hidden layer; at the top P = softmax(Z[L]): column j sums to 1
    c.A[l] = l < L ? nn::relu(c.Z[l]) : nn::softmax(c.Z[l]);
  }
  return c;
}
// [/book:forward]

// [book:cost]
double cost(const Parameters& p, const Cache& c, const Data& d, const nn::Penalty& penalty) {
  // (1/m) Σ_j w_j (−Σ_k Y(k,j) ln P(k,j)): the cross-entropy is linear in Y, so weighting
  // sample j is scaling its one-hot column by w_j
  arma::mat weighted_Y = d.Y;
  weighted_Y.each_row() %= d.w;
  // + ½λ Σ_l ‖W[l]‖²
  return nn::categorical_cross_entropy(c.Z[p.L()], weighted_Y) + nn::penalty_cost(penalty, p.W);
}
// [/book:cost]

// [book:backward]
Gradients backward(const Parameters& p, const Cache& c, const Data& d) {
  const arma::uword L = p.L();
  const double m = static_cast<double>(d.X.n_cols);
  Gradients g{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  // dZ[L] = P − Y (softmax and cross-entropy together), each column times its weight w_j
  arma::mat dZ = c.A[L] - d.Y;
  dZ.each_row() %= d.w;
  for (arma::uword l = L; l >= 1; --l) {
    // dW[l] = (1/m) dZ[l] A[l−1]ᵀ,  db[l] = (1/m) Σ_columns dZ[l]
    g.dW[l] = dZ * c.A[l - 1].t() / m;
    g.db[l] = arma::sum(dZ, 1) / m;
    // dZ[l−1] = W[l]ᵀ dZ[l] ∘ ReLU′(Z[l−1]): the gradient passes where the unit was on
    if (l > 1) dZ = (p.W[l].t() * dZ) % nn::relu_prime(c.Z[l - 1]);
  }
  return g;
}
// [/book:backward]

// [book:update]
Parameters update(Parameters p, const Gradients& g, double learning_rate,
                  const nn::Penalty& penalty) {
  for (arma::uword l = 1; l <= p.L(); ++l) {
    // W ← (1 − αλ) W − α dW: the L2 term's gradient λW, taken as a shrink (weight decay)
    nn::penalized_step(p.W[l], g.dW[l], learning_rate, penalty);
    // b ← b − α db (biases are not penalised)
    p.b[l] -= learning_rate * g.db[l];
  }
  return p;
}
// [/book:update]

arma::uvec predict(const Parameters& p, const arma::mat& X) {
  return nn::predict_classes(forward(p, X).A.back());
}

// [book:train]
Trained train(Parameters start, const Data& d, double learning_rate, const nn::Penalty& penalty,
              int iterations, int print_every, nn::Progress& progress) {
  Trained t{std::move(start), {}, 0.0};
  t.losses.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    // forward → cost → backward → update
    const Cache c = forward(t.parameters, d.X);
    const double J = cost(t.parameters, c, d, penalty);
    nn::check_finite(J, i);
    t.losses.push_back(J);
    if (i % print_every == 0) progress.step("iteration", i, iterations, {{"loss", J}});
    t.parameters =
        update(std::move(t.parameters), backward(t.parameters, c, d), learning_rate, penalty);
  }
  t.final_loss = cost(t.parameters, forward(t.parameters, d.X), d, penalty);
  return t;
}
// [/book:train]

Parameters random_point(const std::vector<arma::uword>& sizes, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  Parameters p{std::vector<arma::mat>(sizes.size()), std::vector<arma::mat>(sizes.size())};
  for (arma::uword l = 1; l < sizes.size(); ++l) {
    p.W[l] = rng.randn(sizes[l], sizes[l - 1]);
    p.b[l] = rng.randn(sizes[l], 1);
  }
  return p;
}

double gradient_check(Parameters p, const Data& d, const nn::Penalty& penalty) {
  const Gradients g = backward(p, forward(p, d.X), d);
  std::vector<nn::GradientBlock> blocks;
  for (arma::uword l = 1; l <= p.L(); ++l) {
    // ∂J/∂W[l] = dW[l] + λW[l]: the L2 term, which update() takes as a shrink
    blocks.push_back({"W", &p.W[l], g.dW[l] + penalty.strength() * p.W[l]});
    blocks.push_back({"b", &p.b[l], g.db[l]});
  }
  const auto J = [&] { return cost(p, forward(p, d.X), d, penalty); };
  return nn::check_gradients(J, blocks).max_error;
}

Evaluation evaluate(const Parameters& p, const Data& d) {
  const arma::uvec answers = predict(p, d.X);
  Evaluation e;
  e.accuracy = nn::accuracy(answers, d.y);
  e.confusion = nn::confusion_matrix(answers, d.y, kClasses);
  e.scores = nn::class_scores(e.confusion);
  return e;
}

arma::uvec class_counts(const arma::uvec& y) {
  return arma::hist(y, arma::regspace<arma::uvec>(0, kClasses - 1));
}

// [book:remedies]
Data thin(const Data& d, arma::uword rare, arma::uword keep_every) {
  // the n-th point of the rare arm is kept when n is a multiple of keep_every
  std::vector<arma::uword> keep;
  arma::uword n = 0;
  for (arma::uword j = 0; j < d.y.n_elem; ++j)
    if (d.y(j) != rare || n++ % keep_every == 0) keep.push_back(j);
  const arma::uvec k(keep);
  return {d.X.cols(k), d.y(k), d.Y.cols(k), d.w.cols(k)};
}

Data reweighted(Data d) {
  // n_k samples of class k: w_j = m / (K n_(y_j)), so each class weighs m / K in all
  const arma::vec n = arma::conv_to<arma::vec>::from(class_counts(d.y));
  const double m = static_cast<double>(d.y.n_elem);
  for (arma::uword j = 0; j < d.y.n_elem; ++j)
    d.w(j) = m / (static_cast<double>(kClasses) * n(d.y(j)));
  return d;
}

Data oversampled(const Data& d, arma::uword rare, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  const arma::uvec rare_samples = arma::find(d.y == rare);
  const arma::uvec n = class_counts(d.y);
  // np.random.randint(0, n_rare): one draw per extra copy, until the rare class is as large as
  // the largest
  arma::uvec extra(n.max() - rare_samples.n_elem);
  for (arma::uword i = 0; i < extra.n_elem; ++i)
    extra(i) = rare_samples(rng.interval(rare_samples.n_elem - 1));
  const arma::uvec k = arma::join_cols(arma::regspace<arma::uvec>(0, d.y.n_elem - 1), extra);
  return {d.X.cols(k), d.y(k), d.Y.cols(k), d.w.cols(k)};
}
// [/book:remedies]

namespace {

constexpr arma::uword kGrid = 200;  // the decision-region maps: 200 × 200 points

// The predicted class of each model at every point of a grid around the spiral.
Regions regions(const arma::mat& X, const std::vector<const Parameters*>& models) {
  Regions r{nn::grid_points(X.row(0).min() - 0.1, X.row(0).max() + 0.1, X.row(1).min() - 0.1,
                            X.row(1).max() + 0.1, kGrid),
            {}};
  for (const Parameters* p : models) r.class_of.push_back(predict(*p, r.grid));
  return r;
}

// The thinned spiral and its test spiral; the three training sets of the study.
Imbalance imbalance_sets(const Data& train, const Seeds& seeds, const Options& o) {
  const auto keep = static_cast<arma::uword>(o.keep_every);
  const auto test_N = static_cast<arma::uword>(o.study_test_points);
  Imbalance study;
  study.train = thin(train, kRare, keep);
  study.test = thin(labelled(nn::make_spiral(seeds.test, test_N, kClasses)), kRare, keep);
  study.variants = {{"plain", study.train, {}, {}, {}},
                    {"reweighted", reweighted(study.train), {}, {}, {}},
                    {"oversampled", oversampled(study.train, kRare, seeds.oversample), {}, {}, {}}};
  return study;
}

// Every trained model judged: on its spirals, by a gradient check, over the plane.
void evaluate_all(Results& r, const nn::Penalty& l2) {
  std::vector<const Parameters*> models, variants;
  for (Model& m : r.models) {
    m.train = evaluate(m.trained.parameters, r.train);
    m.test = evaluate(m.trained.parameters, r.test);
    m.gradient_error = gradient_check(random_point(m.sizes, r.seeds.init), r.train, l2);
    models.push_back(&m.trained.parameters);
  }
  for (Variant& v : r.imbalance.variants) {
    v.train = evaluate(v.trained.parameters, r.imbalance.train);
    v.test = evaluate(v.trained.parameters, r.imbalance.test);
    variants.push_back(&v.trained.parameters);
  }
  r.regions = regions(r.train.X, models);
  r.imbalance_regions = regions(r.train.X, variants);
}

}  // namespace

// [book:run]
Results run(const Options& o, const nn::CommonOptions& common, nn::Progress& progress) {
  const nn::Stopwatch clock;
  const nn::SingleThreadedBlas one_thread;  // small products: BLAS's threads only cost time
  const nn::Penalty l2{nn::Penalty::Kind::l2, o.reg, 1.0};  // + ½λ Σ‖W‖²
  Results r;
  r.seeds = seeds_from(common.seed);
  // 1. Data: three arms of N points, and a test spiral from the next seed
  const auto N = static_cast<arma::uword>(o.points);
  r.train = labelled(nn::make_spiral(r.seeds.train, N, kClasses));
  r.test = labelled(nn::make_spiral(r.seeds.test, N, kClasses));
  // 2. Softmax regression 2 → 3, from CS231n's small random weights
  const auto h = static_cast<arma::uword>(o.hidden_units);
  const std::vector<arma::uword> linear{2, kClasses}, network{2, h, kClasses};
  r.models = {{"linear", linear, 10, {}, {}, {}, 0}, {"network", network, 1000, {}, {}, {}, 0}};
  r.models[0].trained = train(initialize(linear, r.seeds.init), r.train, o.learning_rate, l2,
                              o.linear_iterations, 10, progress);
  // 3. One arm thinned, and the two remedies: three more training sets
  r.imbalance = imbalance_sets(r.train, r.seeds, o);
  // 4. The network 2 → h ReLU → 3 on the spiral and on the three sets: four trainings from
  //    the same start that do not depend on each other, two at a time
  std::vector<const Data*> sets{&r.train};
  for (const Variant& v : r.imbalance.variants) sets.push_back(&v.data);
  std::vector<Trained> trained(sets.size());
  nn::Progress quiet(nullptr);
  nn::on_two_cores(sets.size(), [&](arma::uword k) {
    // (job 0 runs on this thread: the spiral's network shows its progress)
    trained[k] = train(initialize(network, r.seeds.init), *sets[k], o.learning_rate, l2,
                       o.iterations, 1000, k == 0 ? progress : quiet);
  });
  r.models[1].trained = std::move(trained[0]);
  for (std::size_t v = 0; v < r.imbalance.variants.size(); ++v)
    r.imbalance.variants[v].trained = std::move(trained[v + 1]);
  // 5. Evaluate: accuracies and per-class scores, gradient checks, decision regions
  evaluate_all(r, l2);
  r.seconds = clock.seconds();
  return r;
}
// [/book:run]

}  // namespace ch09
