#include "common/plumbing/results.hpp"

#include <cmath>
#include <fstream>
#include <stdexcept>

#include "common/plumbing/blas_kernel.hpp"
#include "common/plumbing/files.hpp"

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

namespace {
template <typename eT>
Json matrix_json(const arma::Mat<eT>& M) {
  if (M.is_vec()) return Json(arma::conv_to<std::vector<eT>>::from(arma::vectorise(M)));
  Json rows = Json::array();
  for (arma::uword r = 0; r < M.n_rows; ++r)
    rows.push_back(arma::conv_to<std::vector<eT>>::from(M.row(r)));
  return rows;
}
}  // namespace

Json to_json(const arma::mat& M) {
  return matrix_json(M);
}
Json to_json(const arma::umat& M) {
  return matrix_json(M);
}

arma::vec to_vec(const std::vector<double>& v) {
  return arma::vec(v);
}

std::vector<double> every_nth(const std::vector<double>& v, std::size_t n) {
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); i += n) out.push_back(v[i]);
  return out;
}

void write_results(const std::filesystem::path& out_dir, const Json& results) {
  if (auto bad = first_non_finite(results, ""); !bad.empty())
    throw std::logic_error("results.json: refusing to write a non-finite number at " + bad);
  Json written = results;
  written["blas_kernel"] = blas_kernel();
  // A path that is not UTF-8 (a byte 0xFF in a --load name) shows U+FFFD where JSON cannot
  // hold it, rather than stopping the run.
  constexpr auto replace = nlohmann::detail::error_handler_t::replace;
  write_file_atomic(out_dir / "results.json", written.dump(2, ' ', false, replace) + "\n");
}

Json read_results(const std::filesystem::path& file) {
  check_regular_file(file);  // a named pipe would keep us waiting
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read");
  return Json::parse(in);
}

}  // namespace nn
