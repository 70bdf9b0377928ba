// ch08_deep_network: an L-layer network back on the cats (book.md, chapter 8).
#include <string>

#include "common/nn/errors.hpp"
#include "common/plumbing/cli.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch08::Options options;
  nn::ChapterCli cli("ch08_deep_network",
                     "A deep network, step by step: 2 and 5 layers learn cat or not cat",
                     "Chapter 8 — A deep network, step by step", 1);
  cli.add_counts("--layers", options.layers,
                 "Layer sizes n_x,n_1,...,1 (default: the lesson's 12288,7,1 and 12288,20,7,5,1)",
                 1, 100000);
  cli.add_choice("--init", options.init, "With --layers: W = randn/sqrt(n[l-1]) or randn*0.01",
                 {{"sqrt", ch08::Init::sqrt}, {"0.01", ch08::Init::small}});
  cli.add_only("--init", "with --layers (the lesson's own networks fix their initialisation)",
               [&] { return !options.layers.empty(); });
  cli.add_positive("--lr", options.learning_rate, "Learning rate α");
  cli.add_count("--iterations", options.iterations, "Gradient-descent iterations");
  cli.add_count("--symmetry-iterations", options.symmetry_iterations,
                "Iterations of the symmetry runs (W = 0, W equal) and of the deep net at ·0.01");
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}});
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    const std::vector<int>& layers = options.layers;
    if (!layers.empty() &&
        (layers.size() < 2 || layers.front() != ch08::kPixels || layers.back() != 1))
      throw nn::UsageError("--layers: must start with " + std::to_string(ch08::kPixels) +
                           " (the pixels) and end with 1 (cat or not)");
    // W[l] and dW[l] (n_l × n_(l−1)), A[l] and Z[l] for the 209 training pictures, in double
    double bytes = 0.0;
    for (std::size_t l = 1; l < layers.size(); ++l)
      bytes += 8.0 * (3.0 * layers[l] * layers[l - 1] + 4.0 * layers[l] * 209);
    nn::check_memory(bytes, "--layers");
    // every product on one thread: then it rounds the same on any machine, and equal rows of W
    // stay equal to the last bit (BLAS threads split a product's rows in uneven blocks)
    const nn::SingleThreadedBlas one_thread;
    nn::ProgressLine progress;
    const ch08::Results results = ch08::run(options, common.seed, common.data_dir, progress);
    progress.finish();  // the report starts on a fresh line
    ch08::report(results, options, common);
  });
}
