// Chapter 3, what the learner sees: the printed proof and numbers, the figures, results.json.
#pragma once
#include "common/plumbing/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch03 {

// results.json: the proof's verdicts, then the numbers of steps 3 to 5.
nn::Json to_json(const Results& r, const Options& o);

// Prints the five steps, draws the figures into common.out_dir, writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch03
