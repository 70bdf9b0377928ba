// ch01_logistic_neuron: one sigmoid neuron learns "cat or not cat" (book.md, chapter 1).
#include "common/plumbing/cli.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  ch01::Options options;
  nn::ChapterCli cli("ch01_logistic_neuron",
                     "One sigmoid neuron (logistic regression) learns cat or not cat",
                     "Chapter 1 — A single neuron: cat or not cat", 1);
  cli.add_count("--iterations", options.iterations, "Gradient-descent iterations");
  cli.add_positive("--lr", options.learning_rate, "Learning rate α");
  // the flags a divergence names, by its likely cause
  cli.blame({{nn::Cause::learning_rate, "--lr"}});
  return cli.run(argc, argv, [&](const nn::CommonOptions& common) {
    // Every product on one BLAS thread: the numbers are the same on any machine.
    const nn::SingleThreadedBlas one_thread;
    nn::ProgressLine progress;
    const ch01::Results results = ch01::run(options, common.data_dir, progress);
    progress.finish();  // the report starts on a fresh line
    ch01::report(results, options, common);
  });
}
