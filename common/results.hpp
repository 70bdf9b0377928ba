// results.json and every other file a chapter writes: written whole or not at all.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace nn {

// Keys stay in the order the chapter wrote them, so results.json reads like the run.
using Json = nlohmann::ordered_json;

// Writes `text` to `file.tmp`, then renames it over `file`: an interrupted run never leaves a
// truncated file behind. Throws std::runtime_error naming the file when it cannot write.
void write_file_atomic(const std::filesystem::path& file, const std::string& text);

// Writes <out_dir>/results.json. Refuses (std::logic_error) any inf or NaN in `results`:
// a number from a diverged model is not a result.
void write_results(const std::filesystem::path& out_dir, const Json& results);

// `value` with `decimals` digits after the point, as printf's "%.*f": for headlines and the
// titles of figures.
std::string fixed(double value, int decimals);

// Reads a results.json back (tests and the run script use it).
Json read_results(const std::filesystem::path& file);

}  // namespace nn
