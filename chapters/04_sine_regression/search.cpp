// Chapter 04's hyperparameter search: the same budget of short trials spent on a grid and on
// random draws, each trial judged on the validation set only.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/nn/errors.hpp"
#include "lesson.hpp"

namespace ch04 {

// ---- hyperparameter search --------------------------------------------------------------

// [book:candidates]
std::vector<double> lesson_grid_rates() {
  std::vector<double> rates;
  // α = 0.01, 0.1, 1, 10: evenly spaced in log from kMinRate to kMaxRate, a factor 10 apart
  for (int i = 0; i < kGridRates; ++i)
    rates.push_back(kMinRate * std::pow(kMaxRate / kMinRate, i / (kGridRates - 1.0)));
  return rates;
}

std::vector<Trial> grid_candidates(const std::vector<double>& rates) {
  std::vector<Trial> grid;
  // 4 rates × n_h = 1, 2, 4, 8: 4 × 4 = kTrials
  for (double rate : rates)
    for (int n_h : {1, 2, 4, 8}) grid.push_back({n_h, rate, 0.0, 0});
  return grid;
}

std::vector<Trial> random_candidates(nn::NumpyRandom& rng) {
  std::vector<Trial> trials;
  for (int t = 0; t < kTrials; ++t) {
    // log-uniform: each factor of 10 in α is equally likely
    const double rate = std::exp(rng.uniform(std::log(kMinRate), std::log(kMaxRate)));
    const int n_h = kMinHidden + static_cast<int>(rng.interval(kMaxHidden - kMinHidden));
    trials.push_back({n_h, rate, 0.0, 0});
  }
  return trials;
}
// [/book:candidates]

// [book:search]
SearchResult search(std::vector<Trial> candidates, const Split& split, const TrainConfig& config,
                    std::uint32_t seed) {
  SearchResult result{{}, {0, 0.0, std::numeric_limits<double>::infinity(), 0}, {}};
  for (Trial trial : candidates) {
    // every trial starts from the same seed, so trials differ by their hyperparameters only
    nn::NumpyRandom rng(seed);
    Training t{initialize(static_cast<arma::uword>(trial.hidden), rng), {}};
    TrainConfig trial_config = config;
    trial_config.learning_rate = trial.learning_rate;
    try {
      nn::NoProgress quiet;  // sixteen short trials: no progress line for each
      t = train(t.net, split.train, split.validation, trial_config, rng, quiet);
      trial.validation_loss = t.history.validation_loss.back();
      trial.epochs = t.history.epochs();
    } catch (const nn::DivergedError& e) {
      trial.validation_loss = std::numeric_limits<double>::infinity();  // too large a step
      trial.epochs = static_cast<int>(e.iteration);
    }
    // chosen on the validation set only: the test set plays no part in the choice
    if (trial.validation_loss < result.best.validation_loss) {
      result.best = trial;
      result.best_net = t.net;
    }
    result.trials.push_back(trial);
  }
  return result;
}
// [/book:search]

long SearchResult::diverged() const {
  return std::count_if(trials.begin(), trials.end(),
                       [](const Trial& t) { return !std::isfinite(t.validation_loss); });
}

Searches search_both(const Split& s, const TrainConfig& config, int search_epochs,
                     const std::vector<double>& grid_rates, std::uint32_t seed) {
  TrainConfig short_config = config;
  short_config.max_epochs = search_epochs;
  // the random candidates are drawn from seed + 2; every trial trains from seed + 1
  nn::NumpyRandom draws(seed + 2);
  const SearchResult grid = search(grid_candidates(grid_rates), s, short_config, seed + 1);
  const SearchResult random = search(random_candidates(draws), s, short_config, seed + 1);
  // the grid's rates are the user's; the random search's are drawn from the lesson's range
  if (!std::isfinite(grid.best.validation_loss))
    throw nn::DivergedError("every trial of the grid search diverged", 0,
                            nn::Cause::searched_rates);
  if (!std::isfinite(random.best.validation_loss))
    throw nn::DivergedError("every trial of the random search diverged", 0);
  // each winner's one look at the test set
  const auto test_r2 = [&](const SearchResult& r) {
    return evaluate(s.test.Y, predict(r.best_net, s.test.X)).r2;
  };
  return {{grid, test_r2(grid)}, {random, test_r2(random)}};
}

}  // namespace ch04
