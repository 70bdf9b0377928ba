// What chapter 06 shows: the console tables, the figures and results.json.
#pragma once
#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch06 {

// results.json: the speeds at initialisation (with Nielsen's), during training, and of the
// remedies.
nn::Json to_json(const Results& r, const Options& options);

// Prints the tables, draws the figures into common.out_dir and writes results.json.
void report(const Results& r, const Options& options, const nn::CommonOptions& common);

}  // namespace ch06
