// Widening a chapter's kernel spread (tests/expected/spread/CHAPTER.json) with the runs of more
// kernels: tests/kernel_spread.cpp --merge, so that the kernels one processor cannot execute
// (SkylakeX on a machine without AVX-512) keep their share when another measures its own.
#pragma once
#include <algorithm>
#include <string>

#include "common/plumbing/results.hpp"

namespace nn::spread {

// `now` widened by `before`, two spread files of one chapter measured from the same recorded
// values: each value's spread becomes the larger of the two (null, a text that differs, if
// either is), its "min" and "max" the lower and the higher of both files' (a file lists them
// only where its spread is not 0), and "kernels" is `before`'s list with `now`'s new kernels
// after it. A value `before` does not hold keeps `now`'s spread.
inline Json merged(const Json& before, Json now) {
  Json kernels = before.value("kernels", Json::array());
  for (const Json& k : now.value("kernels", Json::array()))
    if (std::find(kernels.begin(), kernels.end(), k) == kernels.end()) kernels.push_back(k);
  now["kernels"] = kernels;
  const Json none = Json::object();
  for (auto& [pointer, s] : now["spread"].items()) {
    const Json& old = before.value("spread", none).value(pointer, Json(0.0));
    s = s.is_null() || old.is_null() ? Json() : Json(std::max(s.get<double>(), old.get<double>()));
    for (const std::string extreme : {"min", "max"}) {
      const Json& from = before.value(extreme, none);
      if (!from.contains(pointer)) continue;
      Json& into = now[extreme][pointer];
      const double o = from[pointer].get<double>();
      if (into.is_null() || (extreme == "min" ? o < into.get<double>() : o > into.get<double>()))
        into = from[pointer];
    }
  }
  return now;
}

}  // namespace nn::spread
