// Figures: each is <name>.csv (the data), <name>.gp (the gnuplot script, which names no
// terminal, so a reader can re-draw or change it) and <name>.png / <name>.svg drawn from them.
#pragma once
#include <armadillo>
#include <filesystem>
#include <string>
#include <vector>

namespace nn {

class Figures {
 public:
  // `draw` false (--no-plots) writes data and scripts only. Without gnuplot on the PATH the
  // first draw says so once and later ones are skipped quietly.
  Figures(std::filesystem::path out_dir, bool draw);

  // Writes <out>/<file> (e.g. "cost.csv"): a header line, then one row per element of the
  // equally long columns, with 17 significant digits.
  void csv(const std::string& file, const std::vector<std::string>& header,
           const std::vector<arma::vec>& columns) const;

  // Writes <out>/<name>.gp and draws <name>.png and <name>.svg (width × height pixels).
  // The script reads its data files by name, relative to the output folder.
  void draw(const std::string& name, const std::string& script, int width = 800,
            int height = 500) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  bool draw_;
};

}  // namespace nn
