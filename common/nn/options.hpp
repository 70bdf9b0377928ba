// What every chapter's run takes from the command line besides its own hyperparameters: plain
// values, filled by common/plumbing/cli, so that a lesson's header pulls in no parser.
#pragma once
#include <cstdint>
#include <filesystem>

namespace nn {

struct CommonOptions {
  std::filesystem::path data_dir;       // where datasets/mnist and datasets/catvnoncat live
  std::filesystem::path out_dir;        // results.json and the figures go here (a staging folder
                                        // inside --out, moved into it when the run succeeds)
  std::filesystem::path final_out_dir;  // --out itself: name this one in console lines
  std::uint32_t seed = 0;               // every random draw of the run follows from it
  bool plots = true;                    // false with --no-plots: data and scripts only, no PNGs
};

}  // namespace nn
