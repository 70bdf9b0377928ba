// ch03_xor_proof: the proof that one neuron cannot compute XOR, checked in exact arithmetic,
// and a 2-2-1 network that can.
#include "common/plumbing/cli.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch03::Options o;
  nn::ChapterCli cli("ch03_xor_proof", "XOR: what one neuron cannot do, and two layers can",
                     "Chapter 3 — XOR: what one neuron cannot do", ch03::kDefaultSeed);
  cli.add_positive("--lr", o.learning_rate, "Learning rate of every model");
  cli.add_count("--epochs", o.epochs, "Most epochs of training (passes over the four rows)");
  cli.add_positive("--tolerance", o.tolerance, "Training stops when every |a - y| is below this",
                   0.5, "above 0.5 a wrong answer would count as learned");
  cli.add_between("--grid-step", o.grid_step, "Spacing of the grid of lines in [-10, 10]^3", 0.05,
                  20.0);
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}});
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    nn::ProgressLine progress;
    const ch03::Results results = ch03::run(o, common.seed, progress);
    progress.finish();  // the report starts on a fresh line
    ch03::report(results, o, common);
  });
}
