// Chapter 8: the L-layer network, written as the course writes it, one function per step.
// It keeps its own forward and backward rather than common/nn/mlp's (which chapters 6, 7, 9 and
// 10 train): here the recurrences are the lesson, spelled in the course's notation (dA[l] and
// dZ[l] per sample, 1/m in dW and db, dA[L] from the cost), and the test holds the two together.
#include "lesson.hpp"

#include <algorithm>
#include <cmath>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/stopwatch.hpp"
#include "common/plumbing/hdf5_data.hpp"

namespace ch08 {

// [book:initialize]
Parameters initialize_parameters_deep(const std::vector<arma::uword>& layer_dims, Init init,
                                      std::uint32_t seed) {
  nn::NumpyRandom rng(seed);  // np.random.seed(seed)
  const arma::uword L = layer_dims.size() - 1;
  Parameters p{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  for (arma::uword l = 1; l <= L; ++l) {
    const arma::uword n = layer_dims[l], n_prev = layer_dims[l - 1];
    const double fan_in = static_cast<double>(n_prev);
    // W[l]: n_l × n_(l−1), small and random, so that no two units start alike
    if (init == Init::small) p.W[l] = rng.randn(n, n_prev) * 0.01;
    if (init == Init::sqrt) p.W[l] = rng.randn(n, n_prev) / std::sqrt(fan_in);
    // (the two symmetric starts the lesson warns against)
    if (init == Init::zeros) p.W[l] = arma::mat(n, n_prev, arma::fill::zeros);
    if (init == Init::equal) p.W[l] = arma::mat(n, n_prev, arma::fill::value(1.0 / fan_in));
    // b[l]: n_l × 1, zero: the random W already tells the units apart
    p.b[l].zeros(n, 1);
  }
  return p;
}
// [/book:initialize]

// [book:forward]
Caches L_model_forward(const Parameters& parameters, const arma::mat& X) {
  const arma::uword L = parameters.L();
  Caches caches{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  for (arma::uword l = 1; l <= L; ++l) {
    // Z[l] = W[l] A[l−1] + b[l]: n_l × m, b[l] added to every column (A[0] = X)
    caches.Z[l] = parameters.W[l] * (l == 1 ? X : caches.A[l - 1]);
    caches.Z[l].each_col() += parameters.b[l];
    // A[l] = ReLU(Z[l]) in the hidden layers, σ(Z[L]) at the output: P(cat) per picture
    caches.A[l] = l < L ? nn::relu(caches.Z[l]) : nn::sigmoid(caches.Z[l]);
  }
  return caches;
}
// [/book:forward]

double compute_cost(const Caches& caches, const arma::rowvec& Y) {
  // from Z[L] rather than A[L], so that a saturated σ cannot give ln 0 (chapter 1)
  return nn::binary_cross_entropy<double>(caches.Z.back(), Y);
}

namespace {

// g′(Z[l]): at the output σ′(Z) = σ(Z)(1 − σ(Z)) = A(1 − A); below, ReLU′(Z) = 1 where Z > 0.
arma::mat g_prime(const Caches& caches, arma::uword l) {
  if (l == caches.Z.size() - 1) return caches.A[l] % (1.0 - caches.A[l]);
  return nn::relu_prime(caches.Z[l]);
}

}  // namespace

// [book:backward]
Gradients L_model_backward(const Parameters& parameters, const Caches& caches, const arma::mat& X,
                           const arma::rowvec& Y) {
  const arma::uword L = parameters.L();
  const double m = static_cast<double>(Y.n_elem);
  Gradients grads{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  const arma::mat& AL = caches.A[L];
  // dA[L] = ∂L/∂A[L] = −(Y / A[L] − (1 − Y) / (1 − A[L])): 1 × m
  arma::mat dA = -(Y / AL - (1.0 - Y) / (1.0 - AL));
  for (arma::uword l = L; l >= 1; --l) {
    // dZ[l] = dA[l] ∘ g′(Z[l]): n_l × m
    const arma::mat dZ = dA % g_prime(caches, l);
    // dW[l] = (1/m) dZ[l] A[l−1]ᵀ: n_l × n_(l−1), one blame per weight, averaged
    grads.dW[l] = dZ * (l == 1 ? X : caches.A[l - 1]).t() / m;
    // db[l] = (1/m) Σ_columns dZ[l]: n_l × 1
    grads.db[l] = arma::sum(dZ, 1) / m;
    // dA[l−1] = W[l]ᵀ dZ[l]: n_(l−1) × m (not for l = 1: nothing learns from dX)
    if (l > 1) dA = parameters.W[l].t() * dZ;
  }
  return grads;
}
// [/book:backward]

// [book:update]
void update_parameters(Parameters& parameters, const Gradients& grads, double learning_rate) {
  for (arma::uword l = 1; l <= parameters.L(); ++l) {
    // W[l] ← W[l] − α dW[l],  b[l] ← b[l] − α db[l]
    parameters.W[l] -= learning_rate * grads.dW[l];
    parameters.b[l] -= learning_rate * grads.db[l];
  }
}
// [/book:update]

// [book:model]
Trained L_layer_model(Parameters parameters, const arma::mat& X, const arma::rowvec& Y,
                      double learning_rate, int iterations, nn::Progress& progress) {
  std::vector<double> costs;
  for (int i = 0; i < iterations; ++i) {
    // forward → cost → backward → update
    const Caches caches = L_model_forward(parameters, X);
    const double J = compute_cost(caches, Y);
    nn::check_cost(J, i);
    costs.push_back(J);
    if (i % 100 == 0) progress.step("iteration", i, iterations, {{"cost", J}});
    const Gradients grads = L_model_backward(parameters, caches, X, Y);
    update_parameters(parameters, grads, learning_rate);
  }
  return {std::move(parameters), std::move(costs)};
}
// [/book:model]

// [book:evaluate]
Model train_and_evaluate(const nn::CatSet& data, const PictureSpace& space,
                         const std::vector<arma::uword>& layers, Init init, double learning_rate,
                         int iterations, std::uint32_t seed, nn::Progress& progress) {
  Model model{layers, init, iterations, {}, 0, 0, {}};
  // L_layer_model on the training pictures, run in their own space (see below)
  model.trained =
      L_layer_model_in_picture_space(initialize_parameters_deep(layers, init, seed), space,
                                     data.Y_train, learning_rate, iterations, progress);
  // how often ŷ = [A[L] > ½] is right, on the pictures it learned from and on the 50 it never saw
  const Parameters& parameters = model.trained.parameters;
  model.train_accuracy =
      nn::binary_accuracy(L_model_forward(parameters, data.X_train).A.back(), data.Y_train);
  model.test_probability = L_model_forward(parameters, data.X_test).A.back();
  model.test_accuracy = nn::binary_accuracy(model.test_probability, data.Y_test);
  return model;
}
// [/book:evaluate]

// ---- under the hood: layer 1 in the pictures' own space ------------------------------------

PictureSpace picture_space(const arma::mat& X) {
  PictureSpace space;
  arma::qr_econ(space.Q, space.R, X);  // X = Q R
  return space;
}

// [book:picture_space]
Trained L_layer_model_in_picture_space(Parameters parameters, const PictureSpace& space,
                                       const arma::rowvec& Y, double learning_rate, int iterations,
                                       nn::Progress& progress) {
  // layer 1 in the pictures' own coordinates: W̃1 = W1 Q (n_1 × m), the inputs R (m × m)
  const arma::mat W1_start = parameters.W[1];
  const arma::mat W1_tilde_start = W1_start * space.Q;
  parameters.W[1] = W1_tilde_start;
  Trained trained =
      L_layer_model(std::move(parameters), space.R, Y, learning_rate, iterations, progress);
  // back to pixels: W1 = W1_start + (W̃1 − W̃1_start) Qᵀ
  trained.parameters.W[1] = W1_start + (trained.parameters.W[1] - W1_tilde_start) * space.Q.t();
  return trained;
}
// [/book:picture_space]

Symmetry symmetry_of(const Parameters& parameters) {
  Symmetry s;
  for (arma::uword l = 1; l < parameters.L(); ++l) {
    const arma::mat& W = parameters.W[l];
    const double size = arma::abs(W).max();
    // unit i of layer l is the row W[l](i, :); equal rows compute equal functions
    const auto apart = [&](arma::uword i, arma::uword k) {
      return size == 0 ? 0.0 : arma::abs(W.row(i) - W.row(k)).max() / size;
    };
    double largest = 0;
    arma::uword distinct = 0;
    for (arma::uword i = 0; i < W.n_rows; ++i) {
      largest = std::max(largest, apart(i, 0));
      bool seen = false;
      for (arma::uword k = 0; k < i && !seen; ++k) seen = apart(i, k) <= 1e-12;
      distinct += seen ? 0 : 1;
    }
    s.max_row_difference.push_back(largest);
    s.distinct_units.push_back(distinct);
  }
  return s;
}

namespace {

nn::CatSet load_data(const std::filesystem::path& dir) {
  nn::CatSet cats = nn::load_cat_set(dir);
  // a classifier learns from pictures of both classes (and the share of cats, label_entropy,
  // is then strictly between 0 and 1)
  if (arma::all(cats.Y_train == cats.Y_train(0)))
    throw nn::DataError((dir / "train_catvnoncat.h5").string() +
                        ": dataset 'train_set_y': every label is " +
                        (cats.Y_train(0) == 1 ? "1 (cat)" : "0 (non-cat)") +
                        ": training needs pictures of both classes");
  return cats;
}

std::vector<arma::uword> dims(const std::vector<int>& layers) {
  return std::vector<arma::uword>(layers.begin(), layers.end());
}

}  // namespace

Results run(const Options& options, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress) {
  const nn::Stopwatch clock;
  Results r;
  // 1. data: 209 training and 50 test pictures, 12288 numbers each
  r.data = load_data(data_dir / "catvnoncat");
  // 2. the models: the course's 2-layer and 5-layer networks, or the one of --layers
  struct Plan {
    std::vector<arma::uword> layers;
    Init init;
  };
  std::vector<Plan> plans{{{12288, 7, 1}, Init::small}, {{12288, 20, 7, 5, 1}, Init::sqrt}};
  if (!options.layers.empty()) plans = {{dims(options.layers), options.init}};
  // 3. train each and evaluate it on the training and the test pictures
  const PictureSpace space = picture_space(r.data.X_train);
  for (const Plan& plan : plans)
    r.models.push_back(train_and_evaluate(r.data, space, plan.layers, plan.init,
                                          options.learning_rate, options.iterations, seed,
                                          progress));
  // 4. symmetry: the deepest net again from W = 0, from W all equal, and from randn · 0.01
  const std::vector<arma::uword>& deep = r.models.back().layers;
  r.parameter_count = 0;
  for (std::size_t l = 1; l < deep.size(); ++l) r.parameter_count += deep[l] * (deep[l - 1] + 1);
  if (deep.size() > 2) {
    for (const Init init : {Init::zeros, Init::equal, Init::small}) {
      r.symmetry.push_back(train_and_evaluate(r.data, space, deep, init, options.learning_rate,
                                              options.symmetry_iterations, seed, progress));
      r.symmetry_facts.push_back(symmetry_of(r.symmetry.back().trained.parameters));
    }
  }
  // the best a net can do that ignores the pictures: answer the share p of cats everywhere
  r.label_entropy = nn::prior_cost(r.data.Y_train);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace ch08
