#include "lesson.hpp"

#include <algorithm>

#include "common/nn/errors.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/one_hot.hpp"
#include "common/nn/stopwatch.hpp"

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
nn::Mlp initialize(const std::vector<arma::uword>& sizes, std::uint32_t seed,
                   nn::Activation hidden) {
  nn::NumpyRandom rng(seed);                        // np.random.seed(seed)
  nn::Mlp net(sizes, hidden, nn::Output::softmax);  // every b[l] = 0
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    // CS231n's W = 0.01 * np.random.randn(n_(l−1), n_l) multiplies rows of samples; ours
    // multiplies columns, so it is that matrix transposed: n_l × n_(l−1)
    net.W[l] = 0.01 * rng.randn(sizes[l - 1], sizes[l]).t();
  }
  return net;
}
// [/book:initialize]

// [book:cost]
double cost(const nn::Mlp& net, const nn::MlpCache& cache, const Data& d,
            const nn::Penalty& penalty) {
  // (1/m) Σ_j w_j 𝓛⁽ʲ⁾ + ½λ Σ_l ‖W[l]‖²
  return nn::cost(net, cache, d.Y, d.w) + nn::penalty_cost(penalty, net.W);
}
// [/book:cost]

// [book:train]
Trained train(nn::Mlp start, const Data& d, double learning_rate, const nn::Penalty& penalty,
              int iterations, int print_every, nn::Progress& progress) {
  Trained t{std::move(start), {}, 0.0};
  t.losses.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    // forward → cost → backward → update
    const nn::MlpCache cache = nn::forward(t.net, d.X);
    const double J = cost(t.net, cache, d, penalty);
    nn::check_cost(J, i, nn::saturated_cost(t.net));
    t.losses.push_back(J);
    if (i % print_every == 0) progress.step("iteration", i, iterations, {{"loss", J}});
    // dZ[L] = (P − Y) ∘ w; W ← (1 − αλ) W − α dW (the L2 term as a shrink), b ← b − α db
    nn::update(t.net, nn::backward(t.net, cache, d.X, d.Y, d.w), learning_rate, penalty);
  }
  t.final_loss = cost(t.net, nn::forward(t.net, d.X), d, penalty);
  return t;
}
// [/book:train]

nn::Mlp random_point(const std::vector<arma::uword>& sizes, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  nn::Mlp net(sizes, nn::Activation::relu, nn::Output::softmax);
  for (arma::uword l = 1; l < sizes.size(); ++l) {
    net.W[l] = rng.randn(sizes[l], sizes[l - 1]);
    net.b[l] = rng.randn(sizes[l], 1);
  }
  return net;
}

double gradient_check(nn::Mlp net, const Data& d, const nn::Penalty& penalty) {
  nn::MlpGradients g = nn::backward(net, nn::forward(net, d.X), d.X, d.Y, d.w);
  // ∂J/∂W[l] = dW[l] + λW[l]: the L2 term, which nn::update takes as a shrink
  for (arma::uword l = 1; l <= net.layers(); ++l) g.dW[l] += penalty.strength() * net.W[l];
  const auto J = [&] { return cost(net, nn::forward(net, d.X), d, penalty); };
  return nn::check_gradients(J, nn::blocks(net, g)).max_error;
}

Evaluation evaluate(const nn::Mlp& net, const Data& d) {
  const arma::uvec answers = nn::predict(net, d.X);
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

arma::mat grid_over(const arma::mat& X, arma::uword n) {
  return nn::grid_points(X.row(0).min() - 0.1, X.row(0).max() + 0.1, X.row(1).min() - 0.1,
                         X.row(1).max() + 0.1, n);
}

namespace {

constexpr arma::uword kGrid = 200;  // the decision-region maps: 200 × 200 points

// The predicted class of each model at every point of a grid around the spiral.
Regions regions(const arma::mat& X, const std::vector<const nn::Mlp*>& models) {
  Regions r{grid_over(X, kGrid), {}};
  for (const nn::Mlp* net : models) r.class_of.push_back(nn::predict(*net, r.grid));
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

// [book:train_each]
std::vector<Trained> train_each(const nn::Mlp& start, const std::vector<const Data*>& sets,
                                double learning_rate, const nn::Penalty& penalty, int iterations,
                                nn::Progress& progress, const nn::Jobs& jobs) {
  std::vector<Trained> trained(sets.size());
  nn::NoProgress quiet;
  // the trainings do not depend on each other: jobs, which the program runs two at a time
  jobs.run(sets.size(), [&](arma::uword k) {
    // (the first set's training shows its progress)
    trained[k] =
        train(start, *sets[k], learning_rate, penalty, iterations, 1000, k == 0 ? progress : quiet);
  });
  return trained;
}
// [/book:train_each]

// Every trained model judged: on its spirals, by a gradient check, over the plane.
void evaluate_all(Results& r, const nn::Penalty& l2) {
  std::vector<const nn::Mlp*> models, variants;
  for (Model& m : r.models) {
    m.train = evaluate(m.trained.net, r.train);
    m.test = evaluate(m.trained.net, r.test);
    m.gradient_error = gradient_check(random_point(m.sizes, r.seeds.init), r.train, l2);
    models.push_back(&m.trained.net);
  }
  for (Variant& v : r.imbalance.variants) {
    v.train = evaluate(v.trained.net, r.imbalance.train);
    v.test = evaluate(v.trained.net, r.imbalance.test);
    variants.push_back(&v.trained.net);
  }
  r.regions = regions(r.train.X, models);
  r.imbalance_regions = regions(r.train.X, variants);
}

}  // namespace

// [book:run]
Results run(const Options& o, std::uint32_t seed, nn::Progress& progress, const nn::Jobs& jobs) {
  const nn::Stopwatch clock;
  const nn::Penalty l2{nn::Penalty::Kind::l2, o.reg, 1.0};  // + ½λ Σ‖W‖² (λ/n, n = 1)
  Results r;
  r.seeds = seeds_from(seed);
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
  // 4. The network 2 → h ReLU → 3, from one start, on the spiral and on the three sets
  std::vector<const Data*> sets{&r.train};
  for (const Variant& v : r.imbalance.variants) sets.push_back(&v.data);
  std::vector<Trained> trained = train_each(initialize(network, r.seeds.init), sets,
                                            o.learning_rate, l2, o.iterations, progress, jobs);
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
