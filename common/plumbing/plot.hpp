// Figures: each is <name>.csv (the data), <name>.gp (the gnuplot script, which names no
// terminal, so a reader can re-draw or change it) and <name>.png / <name>.svg drawn from them.
#pragma once
#include <armadillo>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace nn {

// The two classes of a binary label have the same colours in every figure of the book:
// y = 1 (label 1, cat, the positive class) is blue and y = 0 (label 0, non-cat) is red, as the
// course draws the flower of chapter 2. kClassColour[y] is for points and lines, in gnuplot's
// `lc rgb '#...'`. (Red frames and labels on the cat pictures of chapters 1 and 8 mark a wrong
// answer, not a class.)
inline constexpr std::array<const char*, 2> kClassColour{"#b03a2e", "#1f5fa8"};

// The gnuplot palette and colour range for a map of a model's output a in [0, 1]: pale red
// where it predicts y = 0, pale blue where it predicts y = 1, paler towards the decision
// boundary a = 0.5, where the colour jumps.
std::string class_palette();

// "" when NN_PLOT_SECONDS is unset or a usable time limit for one gnuplot run (1 s or more), the
// reason otherwise: with less, every figure would be stopped before it is drawn.
std::string plot_seconds_problem();

class Figures {
 public:
  // `draw` false (--no-plots) writes data and scripts only. Without gnuplot on the PATH the
  // first draw says so once and later ones are skipped quietly; so are those after a gnuplot
  // that did not finish within NN_PLOT_SECONDS (default 120), which is stopped with a warning.
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
