// What chapter 05 shows the learner: the console lines, the figures (curves, confusion matrix,
// misread digits, the study's grid), the saved model and results.json.
#pragma once
#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch05 {

// results.json: the run's settings, the training history, the held-out numbers, and what the
// optional --seeds and --study runs found.
nn::Json to_json(const Results& r, const Options& o, std::uint32_t seed);

// Prints the summary, saves the model (unless it was loaded), draws the figures and writes
// results.json into common.out_dir.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch05
