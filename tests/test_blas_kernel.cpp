// The choice of OpenBLAS kernels (common/blas_kernel): better ones only when OpenBLAS fell back
// to older ones than the processor runs, and never against OPENBLAS_CORETYPE.
#define BOOST_TEST_MODULE blas_kernel
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/plumbing/blas_kernel.hpp"

namespace {

constexpr nn::CpuFeatures kNone{};
constexpr nn::CpuFeatures kAvx{.avx = true};
constexpr nn::CpuFeatures kAvx2{.avx = true, .avx2 = true, .fma = true};
constexpr nn::CpuFeatures kAvx512{.avx = true, .avx2 = true, .fma = true, .avx512 = true};

// The kernels chosen for `chosen` on `cpu` with OPENBLAS_CORETYPE unset, "" to keep them.
std::string unset(const std::string& chosen, const nn::CpuFeatures& cpu) {
  return nn::better_blas_kernel(chosen, cpu, std::nullopt).value_or("");
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

// Debian 12's OpenBLAS on a Sapphire Rapids: Prescott (SSE3) on an AVX-512 processor.
BOOST_AUTO_TEST_CASE(a_fallback_to_old_kernels_gets_the_best_the_processor_runs) {
  BOOST_TEST(unset("Prescott", kAvx512) == "SkylakeX");
  BOOST_TEST(unset("Prescott", kAvx2) == "Haswell");
  BOOST_TEST(unset("Prescott", kAvx) == "Sandybridge");
  BOOST_TEST(unset("Core2", kAvx2) == "Haswell");
  BOOST_TEST(unset("Nehalem", kAvx512) == "SkylakeX");
  BOOST_TEST(unset("Excavator", kAvx2) == "Haswell");
  BOOST_TEST(unset("Sandybridge", kAvx2) == "Haswell");
  // AVX2 kernels on an AVX-512 processor: OpenBLAS left to itself picks them only for a
  // processor it does not know (with AVX-512 disabled by the system, the features say so)
  BOOST_TEST(unset("Haswell", kAvx512) == "SkylakeX");
  BOOST_TEST(unset("Zen", kAvx512) == "SkylakeX");
}

BOOST_AUTO_TEST_CASE(kernels_as_good_as_the_processor_are_kept_never_downgraded) {
  BOOST_TEST(unset("Cooperlake", kAvx512) == "");
  BOOST_TEST(unset("SkylakeX", kAvx512) == "");
  BOOST_TEST(unset("SapphireRapids", kAvx512) == "");
  BOOST_TEST(unset("Haswell", kAvx2) == "");
  BOOST_TEST(unset("Zen", kAvx2) == "");
  BOOST_TEST(unset("Sandybridge", kAvx) == "");
  BOOST_TEST(unset("SkylakeX", kAvx2) == "");
  BOOST_TEST(unset("Haswell", kAvx) == "");
}

// Any value of OPENBLAS_CORETYPE is the user's choice, even older kernels or a name OpenBLAS
// does not know (it then picks by itself, and says so).
BOOST_AUTO_TEST_CASE(a_value_the_user_set_is_always_kept) {
  for (const char* value : {"Prescott", "prescott", "SkylakeX", "Haswell", "", "no-such-core"})
    BOOST_TEST_CONTEXT("OPENBLAS_CORETYPE=" << value) {
      BOOST_TEST(!nn::better_blas_kernel("Prescott", kAvx512, value).has_value());
      BOOST_TEST(!nn::better_blas_kernel("Haswell", kAvx512, value).has_value());
    }
}

// A name not known here may be newer than any known: left as it is.
BOOST_AUTO_TEST_CASE(unknown_kernel_names_are_kept) {
  for (const char* name : {"Unknown", "", "NEOVERSEN1", "Zen5", "Prescott2"})
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(unset(name, kAvx512) == "");
    }
}

BOOST_AUTO_TEST_CASE(no_wider_instructions_no_change) {
  for (const char* name : {"Prescott", "Core2", "Nehalem", "Katmai", "Opteron_SSE3"})
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(unset(name, kNone) == "");
    }
  // AVX-512 without AVX2 and FMA does not occur; it counts as what it holds of the rest
  BOOST_TEST(unset("Prescott", {.avx = true, .avx512 = true}) == "Sandybridge");
}

// OpenBLAS compares OPENBLAS_CORETYPE ignoring case; so do we its names.
BOOST_AUTO_TEST_CASE(names_compare_ignoring_case) {
  BOOST_TEST(unset("PRESCOTT", kAvx512) == "SkylakeX");
  BOOST_TEST(unset("prescott", kAvx2) == "Haswell");
  BOOST_TEST(unset("cooperLAKE", kAvx512) == "");
  BOOST_TEST(unset("HASWELL", kAvx2) == "");
}

// OPENBLAS_CORETYPE against what the processor executes (driver/others/dynamic.c takes any
// family by name and checks nothing: SkylakeX on an AVX2 processor dies of SIGILL).
constexpr nn::CpuFeatures kZen3{.avx = true, .avx2 = true, .fma = true, .sse4a = true};
constexpr nn::CpuFeatures kBulldozer{.avx = true, .fma4 = true, .amd_3dnow = false, .sse4a = true};
constexpr nn::CpuFeatures kOpteron{.amd_3dnow = true, .ssse3 = false, .sse4_2 = false};

BOOST_AUTO_TEST_CASE(a_family_the_processor_cannot_execute_is_refused) {
  const nn::CoretypeVerdict skylake = nn::judge_coretype("SkylakeX", "SkylakeX", kZen3);
  BOOST_TEST(skylake.refused);
  BOOST_TEST(skylake.line ==
             "OPENBLAS_CORETYPE=SkylakeX: this processor cannot execute those kernels; it runs "
             "Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Nano, Barcelona, Bobcat, "
             "Sandybridge, Haswell, Zen (or leave OPENBLAS_CORETYPE unset)");
  for (const char* name : {"bulldozer", "Piledriver", "Steamroller", "Excavator", "Opteron",
                           "Opteron_SSE3", "SkylakeX", "Cooperlake"})
    BOOST_TEST(nn::judge_coretype(name, name, kZen3).refused, name);
  BOOST_TEST(nn::judge_coretype("Cooperlake", "Cooperlake", kAvx512).refused);  // no BF16
  BOOST_TEST(nn::judge_coretype("Haswell", "Haswell", kBulldozer).refused);     // no AVX2
  BOOST_TEST(nn::judge_coretype("Nehalem", "Nehalem", kOpteron).refused);       // no SSE4.2
}

BOOST_AUTO_TEST_CASE(a_family_the_processor_executes_passes_silently) {
  for (const char* name : {"Prescott", "NEHALEM", "Barcelona", "Sandybridge", "haswell", "Zen"})
    BOOST_TEST(nn::judge_coretype(name, name, kZen3).line == "", name);
  BOOST_TEST(nn::judge_coretype("Bulldozer", "Bulldozer", kBulldozer).line == "");
  BOOST_TEST(nn::judge_coretype("Opteron", "Opteron", kOpteron).line == "");
  BOOST_TEST(nn::judge_coretype("SkylakeX", "SkylakeX", kAvx512).line == "");
}

// A name OpenBLAS does not take (`foo`, Debian's 0.3.21 and Cooperlake): it picks by itself.
BOOST_AUTO_TEST_CASE(a_name_openblas_does_not_take_gets_a_note) {
  for (const char* name : {"foo", "Cooperlake", "Katmai", ""}) {
    const nn::CoretypeVerdict verdict = nn::judge_coretype(name, "Haswell", kZen3);
    BOOST_TEST(!verdict.refused);
    BOOST_TEST(verdict.line.starts_with("note: OPENBLAS_CORETYPE=" + std::string(name) +
                                        " is not a kernel family OpenBLAS knows; it chose "
                                        "Haswell (this processor runs Prescott, "),
               verdict.line);
  }
}

BOOST_AUTO_TEST_CASE(the_runnable_families_follow_the_features) {
  using List = std::vector<std::string>;
  BOOST_TEST(nn::runnable_blas_kernels(kOpteron) == (List{"Prescott", "Opteron", "Opteron_SSE3"}),
             boost::test_tools::per_element());
  const List avx512 = nn::runnable_blas_kernels(kAvx512);
  BOOST_TEST(avx512.back() == "SkylakeX");
  BOOST_TEST(avx512.size() == 11U);  // Intel's and Zen: not Barcelona, Bobcat (SSE4a), Opteron
}

// What the processor says of itself to the operating system (the "flags" line of Linux's
// /proc/cpuinfo) is what cpu_features() reads: an outside witness of the instruction sets.
BOOST_AUTO_TEST_CASE(features_agree_with_the_operating_system) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line) && !line.starts_with("flags")) {
  }
  BOOST_TEST_REQUIRE(line.starts_with("flags"), "/proc/cpuinfo has no flags line");
  std::istringstream words(line);
  const std::set<std::string> flags{std::istream_iterator<std::string>(words), {}};
  const nn::CpuFeatures cpu = nn::cpu_features();
  BOOST_TEST(cpu.avx == flags.contains("avx"));
  BOOST_TEST(cpu.avx2 == flags.contains("avx2"));
  BOOST_TEST(cpu.fma == flags.contains("fma"));
  BOOST_TEST(cpu.avx512 == (flags.contains("avx512f") && flags.contains("avx512bw") &&
                            flags.contains("avx512dq") && flags.contains("avx512vl") &&
                            flags.contains("avx512cd")));
}

// OpenBLAS answers which kernels it runs, and when OPENBLAS_CORETYPE names kernels this
// processor executes (as the extra kernel passes of the CI run do), it runs those.
BOOST_AUTO_TEST_CASE(this_openblas_names_its_kernels) {
  const std::string kernel = nn::blas_kernel();
  BOOST_TEST_MESSAGE("OpenBLAS kernels: " << kernel);
  BOOST_TEST(kernel != "unknown");
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  if (!coretype) return;
  const std::string wanted = lowercase(coretype);
  for (const std::string& family : nn::runnable_blas_kernels(nn::cpu_features()))
    if (lowercase(family) == wanted) BOOST_TEST(lowercase(kernel) == wanted);
}

// A command line that is not the process's own (a test calling nn::ChapterCli::run with flags of
// its own) is never executed again, whatever the kernels: the test goes on here, unchanged.
BOOST_AUTO_TEST_CASE(only_mains_own_command_line_runs_again) {
  const char* was = std::getenv("OPENBLAS_CORETYPE");
  const std::optional<std::string> saved = was ? std::optional<std::string>(was) : std::nullopt;
  ::unsetenv("OPENBLAS_CORETYPE");
  std::string name = "toy", flag = "--not-a-test-flag";
  char* argv[] = {name.data(), flag.data(), nullptr};
  BOOST_TEST(nn::use_best_blas_kernel(argv) == "");
  BOOST_TEST(std::getenv("OPENBLAS_CORETYPE") == nullptr);
  if (saved) ::setenv("OPENBLAS_CORETYPE", saved->c_str(), 1);
}
