// Chapter 05's second question: how do the learning rate and the batch size work together? Every
// cell of the grid trains the lesson's network from the same start for a few epochs.
#include "lesson.hpp"

namespace ch05 {

std::vector<StudyPoint> study(const Data& d, std::uint32_t seed, int epochs,
                              const std::vector<double>& learning_rates,
                              const std::vector<arma::uword>& batch_sizes, nn::Progress& progress,
                              const nn::Jobs& cores) {
  std::vector<StudyPoint> points;
  nn::NoProgress quiet;
  for (const arma::uword batch_size : batch_sizes) {
    for (const double learning_rate : learning_rates) {
      // [book:study]
      // Every cell starts from the same weights and sees the same shuffles: only α and the
      // batch size differ.
      nn::NumpyRandom rng(seed);
      Parameters<float> p = convert<float>(initialize(rng, {n_x, n_1, n_2, n_3}));
      const History h =
          train(p, d, epochs, static_cast<float>(learning_rate), batch_size, 0.0, rng, quiet, cores)
              .history;
      // [/book:study]
      points.push_back({learning_rate, batch_size, h.validation_accuracy.back()});
      progress.step("study cell", static_cast<long>(points.size()),
                    static_cast<long>(batch_sizes.size() * learning_rates.size()),
                    {{"batch", static_cast<double>(batch_size)},
                     {"learning rate", learning_rate},
                     {"validation accuracy %", points.back().validation_accuracy}});
    }
  }
  return points;
}

}  // namespace ch05
