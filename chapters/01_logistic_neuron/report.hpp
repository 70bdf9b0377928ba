// Chapter 1, what the learner sees: the printed lines, the figures and results.json.
#pragma once
#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch01 {

// results.json: the lesson's run, its curvature at the start and the end, the study.
nn::Json to_json(const Results& r, const Options& o);

// Prints the summary lines, draws the figures into common.out_dir, writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch01
