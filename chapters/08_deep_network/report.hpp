// What the learner sees of chapter 8: the printed costs and accuracies, the figures and
// results.json.
#pragma once
#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch08 {

// results.json: each model's layer sizes, costs every 100 iterations and accuracies; the
// symmetry runs' facts; seconds.
nn::Json to_json(const Results& r, const Options& o);

// Prints the summary lines, draws the figures into common.out_dir, writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch08
