// What the learner sees of chapter 10: the table of the variants, the figures and results.json.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch10 {

// The names of --init, as the command line takes them and results.json writes them.
const std::vector<std::pair<std::string, Init>>& init_names();

// results.json: the settings; per variant its curves per epoch (train cost and accuracy,
// validation and test accuracy), the peak and final test accuracy, the epoch early stopping
// chose and its test accuracy, the share of near-zero weights; the --full runs; seconds.
nn::Json to_json(const Results& r, const Options& o);

// Prints the summary lines, draws the figures into common.out_dir, writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch10
