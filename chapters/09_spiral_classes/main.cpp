// ch09_spiral_classes: three classes on a spiral, softmax regression against a hidden layer,
// and what to do when one class is rare (book.md, chapter 9).
#include <algorithm>

#include "common/nn/errors.hpp"
#include "common/plumbing/cli.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch09::Options o;
  nn::ChapterCli cli("ch09_spiral_classes",
                     "Three classes on CS231n's spiral: softmax regression against a hidden "
                     "layer of ReLU units,\nand a rare class (plain training, reweighting, "
                     "oversampling).\n--seed S draws the training spiral with S, the test "
                     "spiral with S + 1,\nthe weights with S + 2 and the oversampling with S + 3.",
                     "Chapter 9 — Many classes on curved data: the spiral", ch09::kDefaultSeed);
  cli.add_count("--points", o.points, "Points per arm N (training and test spirals)", 10, 100000);
  cli.add_count("--hidden", o.hidden_units, "Hidden ReLU units h", 1, 10000);
  cli.add_positive("--lr", o.learning_rate, "Learning rate α");
  cli.add_positive("--reg", o.reg, "L2 strength λ: the loss adds ½λ Σ‖W‖²");
  cli.add_count("--linear-iterations", o.linear_iterations,
                "Gradient-descent iterations of softmax regression", 1, 10000000);
  cli.add_count("--iterations", o.iterations,
                "Gradient-descent iterations of the network and of each study network", 1,
                10000000);
  cli.add_count("--keep-every", o.keep_every,
                "Imbalance study: class 2 keeps one point in this many", 1, 10000);
  cli.add_count("--study-test-points", o.study_test_points,
                "Imbalance study: points per arm of its test spiral, before thinning", 10, 100000);
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}, {nn::Cause::penalty, "--reg or --lr"}});
  cli.uses_seeds(4);
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    nn::check_penalty_step(o.learning_rate, o.reg, 1);
    // the hidden layer's h × m matrices: about eight per training, two trainings at once on
    // the 3N points; a few more to evaluate the study's test spiral or the 200 × 200 grid
    const double evaluated = std::max(3.0 * o.study_test_points, 40000.0);
    nn::check_memory(8.0 * o.hidden_units * (16.0 * 3.0 * o.points + 4.0 * evaluated), "--hidden");
    nn::reuse_freed_memory();  // each training step frees and rebuilds the same temporaries
    const nn::SingleThreadedBlas one_thread;  // small products: BLAS's threads only cost time
    nn::ProgressLine progress;
    const ch09::Results results = ch09::run(o, common.seed, progress, nn::TwoCoreJobs{});
    progress.finish();  // the report starts on a fresh line
    ch09::report(results, o, common);
  });
}
