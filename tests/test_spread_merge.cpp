// kernel_spread --merge (tests/spread_merge.hpp): a spread measured on one processor widens the
// spread file of another without losing what that one measured.
#define BOOST_TEST_MODULE spread_merge
#include <boost/test/unit_test.hpp>

#include "tests/spread_merge.hpp"

using nn::Json;
using nn::spread::merged;

namespace {

// The spread file of four kernels on an AVX-512 machine: one value they part on (/a, 90.5 to
// 91.0), one they agree on (/b), one text that differs (/c).
Json recorded_before() {
  return Json::parse(R"({"recorded_with": "SkylakeX", "kernels": ["SkylakeX", "Haswell"],
    "spread": {"/a": 0.25, "/b": 0.0, "/c": null, "/d": 0.5},
    "min": {"/a": 90.5, "/d": 1.0}, "max": {"/a": 91.0, "/d": 1.5}})");
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_value_keeps_the_wider_spread_and_the_union_of_the_ranges) {
  // Nehalem on another machine: /a lower still, /b now parts, /c agrees, /d agrees
  const Json now = Json::parse(R"({"recorded_with": "SkylakeX", "kernels": ["Nehalem"],
    "spread": {"/a": 0.5, "/b": 0.5, "/c": 0.0, "/d": 0.0, "/e": 0.125},
    "min": {"/a": 90.25, "/b": 1.0, "/e": 2.0}, "max": {"/a": 90.75, "/b": 1.5, "/e": 2.125}})");
  const Json m = merged(recorded_before(), now);
  BOOST_TEST(m["kernels"] == Json::parse(R"(["SkylakeX", "Haswell", "Nehalem"])"));
  BOOST_TEST(m["spread"]["/a"].get<double>() == 0.5);
  BOOST_TEST(m["min"]["/a"].get<double>() == 90.25);  // the new kernel's low
  BOOST_TEST(m["max"]["/a"].get<double>() == 91.0);   // the old kernels' high
  BOOST_TEST(m["spread"]["/b"].get<double>() == 0.5);
  BOOST_TEST(m["min"]["/b"].get<double>() == 1.0);
  BOOST_TEST(m["spread"]["/c"].is_null());             // a text that differed still differs
  BOOST_TEST(m["spread"]["/d"].get<double>() == 0.5);  // what only the old kernels saw stays
  BOOST_TEST(m["min"]["/d"].get<double>() == 1.0);
  BOOST_TEST(m["max"]["/d"].get<double>() == 1.5);
  BOOST_TEST(m["spread"]["/e"].get<double>() == 0.125);  // a value the old file lacks
  BOOST_TEST(m["max"]["/e"].get<double>() == 2.125);
  BOOST_TEST(m["recorded_with"] == "SkylakeX");
}

BOOST_AUTO_TEST_CASE(merging_the_same_kernels_again_changes_nothing) {
  BOOST_TEST(merged(recorded_before(), recorded_before()) == recorded_before());
}
