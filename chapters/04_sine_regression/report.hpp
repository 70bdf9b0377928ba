// What chapter 04 shows: the console summary, the figures and results.json.
#pragma once
#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch04 {

// results.json: the run's settings, the network's and the cubic's test metrics, the polynomial
// sweep and the two searches.
nn::Json to_json(const Results& r, const Options& o);

// Prints the summary, draws the figures into common.out_dir and writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch04
