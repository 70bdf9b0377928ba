#include "common/plot.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "common/files.hpp"

namespace nn {

namespace {

bool gnuplot_available() {
  static const bool available = std::system("gnuplot --version > /dev/null 2>&1") == 0;
  return available;
}

// Single quotes for the shell: 'it'\''s'
std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

Figures::Figures(std::filesystem::path out_dir, bool draw) : dir_(std::move(out_dir)), draw_(draw) {
  std::filesystem::create_directories(dir_);
}

void Figures::csv(const std::string& file, const std::vector<std::string>& header,
                  const std::vector<arma::vec>& columns) const {
  std::ostringstream text;
  text.precision(17);
  for (std::size_t c = 0; c < header.size(); ++c) text << (c ? "," : "") << header[c];
  text << '\n';
  const arma::uword rows = columns.empty() ? 0 : columns.front().n_elem;
  for (const auto& column : columns)
    if (column.n_elem != rows) throw std::logic_error(file + ": columns of unequal length");
  for (arma::uword r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) text << (c ? "," : "") << columns[c](r);
    text << '\n';
  }
  write_file_atomic(dir_ / file, text.str());
}

void Figures::draw(const std::string& name, const std::string& script, int width,
                   int height) const {
  const std::string gp = name + ".gp";
  write_file_atomic(dir_ / gp, "# " + name + ": draw with  gnuplot -p " + gp +
                                   "  (or set a terminal and output first)\n"
                                   "set datafile separator ','\n" +
                                   script);
  if (!draw_) return;
  if (!gnuplot_available()) {
    static bool told = false;
    if (!told) std::cerr << "gnuplot not found: figures are written as data and scripts only\n";
    told = true;
    return;
  }
  // Both pictures in one gnuplot run, each to a temporary name renamed when complete.
  const std::string size = std::to_string(width) + "," + std::to_string(height);
  const std::string commands =
      "set terminal pngcairo size " + size + " font 'DejaVu Sans,10'; set output '" + name +
      ".png.tmp'; load '" + gp + "'; unset output; reset; set terminal svg size " + size +
      " font 'DejaVu Sans,10'; set output '" + name + ".svg.tmp'; load '" + gp + "'; unset output";
  const std::string command = "cd " + shell_quote(dir_.string()) + " && gnuplot -e " +
                              shell_quote(commands) + " > " + shell_quote(name + ".log") + " 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::cerr << "warning: gnuplot could not draw " << (dir_ / gp).string() << " (see "
              << (dir_ / (name + ".log")).string() << ")\n";
    return;
  }
  std::filesystem::remove(dir_ / (name + ".log"));
  for (const char* ext : {".png", ".svg"})
    std::filesystem::rename(dir_ / (name + ext + ".tmp"), dir_ / (name + ext));
}

}  // namespace nn
