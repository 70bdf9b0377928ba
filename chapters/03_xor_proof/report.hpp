// Chapter 3, what the learner sees: the printed proof and numbers, the figures, results.json.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "common/nn/options.hpp"
#include "common/plumbing/results.hpp"
#include "lesson.hpp"

namespace ch03 {

// "w1 + w2 + 2b" for the coefficients (1, 1, 2); "0" when all are zero.
std::string linear_text(const std::array<long, 3>& c);
// The certificate as the book's sentence: "(w2 + b > 0) + (w1 + b > 0) gives w1 + w2 + 2b > 0,
// but (b < 0) + (w1 + w2 + b < 0) gives w1 + w2 + 2b < 0."
std::string certificate_sentence(const std::vector<Demand>& rows, const Certificate& mu);

// results.json: the proof's verdicts, then the numbers of steps 3 to 5.
nn::Json to_json(const Results& r, const Options& o);

// Prints the five steps, draws the figures into common.out_dir, writes results.json.
void report(const Results& r, const Options& o, const nn::CommonOptions& common);

}  // namespace ch03
