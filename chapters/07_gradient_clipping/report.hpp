// What chapter 07 shows: the console summary, the figures and results.json.
#pragma once
#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch07 {

// results.json: the cliff, the deep network, the average gradient norm and the sweep.
nn::Json to_json(const Results& r, const Options& o);

// The flag to change for each cause: --init-gain when the network amplifies, --threshold when
// clipping never acted, --lr when the clipped steps were still too long.
const char* divergence_flag(Divergence cause);

// Prints the summary, draws the figures into common.out_dir and writes results.json. When the
// run clipped by norm diverged (and the lesson stopped there), throws nn::DivergedError naming
// the step and the flag to change instead.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch07
