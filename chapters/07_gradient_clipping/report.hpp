// What chapter 07 shows: the console summary, the figures and results.json.
#pragma once
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch07 {

// results.json: the cliff, the deep network, the average gradient norm and the sweep.
nn::Json to_json(const Results& r, const Options& o);

// Prints the summary, draws the figures into common.out_dir and writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch07
