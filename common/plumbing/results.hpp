// results.json: what a run found, as the learner and the tests read it.
#pragma once
#include <armadillo>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nn {

// Keys stay in the order the chapter wrote them, so results.json reads like the run.
using Json = nlohmann::ordered_json;

// The one converter between Armadillo and JSON: a vector (either orientation) becomes an array
// of numbers, any other matrix an array of its rows.
Json to_json(const arma::mat& M);
Json to_json(const arma::umat& M);
// A JSON array of numbers, or a std::vector<double>, as a column vector.
arma::vec to_vec(const std::vector<double>& v);

// v[0], v[n], v[2n], …: the costs a lesson prints every n iterations, out of all of them.
std::vector<double> every_nth(const std::vector<double>& v, std::size_t n);

// Writes <out_dir>/results.json: `results` and, last, "blas_kernel", the OpenBLAS kernels the
// run used (nn::blas_kernel). Refuses (std::logic_error) any inf or NaN in `results`: a number
// from a diverged model is not a result. Bytes of a string that are not UTF-8 are written as
// U+FFFD.
void write_results(const std::filesystem::path& out_dir, const Json& results);

// Reads a results.json back (tests and the run script use it); DataError unless it is a
// regular file.
Json read_results(const std::filesystem::path& file);

}  // namespace nn
