#include "common/results.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nn {

namespace {
// The path of the first non-finite number in `j`, or "" when all are finite.
std::string first_non_finite(const Json& j, const std::string& path) {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) return path;
  if (!j.is_structured()) return "";
  // items() names an object's members by key and an array's elements by index
  for (const auto& item : j.items())
    if (auto bad = first_non_finite(item.value(), path + "/" + item.key()); !bad.empty())
      return bad;
  return "";
}
}  // namespace

void write_file_atomic(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  std::filesystem::rename(tmp, file);
}

void write_results(const std::filesystem::path& out_dir, const Json& results) {
  if (auto bad = first_non_finite(results, ""); !bad.empty())
    throw std::logic_error("results.json: refusing to write a non-finite number at " + bad);
  write_file_atomic(out_dir / "results.json", results.dump(2) + "\n");
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

Json read_results(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read");
  return Json::parse(in);
}

}  // namespace nn
