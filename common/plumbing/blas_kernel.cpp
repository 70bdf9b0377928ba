#include "common/plumbing/blas_kernel.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "common/plumbing/memory.hpp"

// OpenBLAS's own interface (cblas.h), which Armadillo does not expose.
extern "C" char* openblas_get_corename(void);

namespace nn {

namespace {

// The widest instructions a set of kernels, or a processor, uses.
enum class Level { older, avx, avx2, avx512 };

// OpenBLAS's x86-64 kernel names (driver/others/dynamic.c), in lower case, with their level.
constexpr std::array<std::pair<std::string_view, Level>, 26> kKernels{{
    {"katmai", Level::older},       {"coppermine", Level::older},
    {"northwood", Level::older},    {"prescott", Level::older},
    {"banias", Level::older},       {"atom", Level::older},
    {"core2", Level::older},        {"penryn", Level::older},
    {"dunnington", Level::older},   {"nehalem", Level::older},
    {"athlon", Level::older},       {"opteron", Level::older},
    {"opteron_sse3", Level::older}, {"barcelona", Level::older},
    {"nano", Level::older},         {"bobcat", Level::older},
    {"bulldozer", Level::older},    {"piledriver", Level::older},
    {"steamroller", Level::older},  {"excavator", Level::older},
    {"sandybridge", Level::avx},    {"haswell", Level::avx2},
    {"zen", Level::avx2},           {"skylakex", Level::avx512},
    {"cooperlake", Level::avx512},  {"sapphirerapids", Level::avx512},
}};

// The kernels run on a processor of each level, and how the note names the level. SkylakeX,
// not Cooperlake: Cooperlake's need AVX-512 BF16 as well.
struct Upgrade {
  Level level;
  const char* kernel;
  const char* instructions;
};
constexpr std::array<Upgrade, 3> kUpgrades{{{Level::avx512, "SkylakeX", "AVX-512"},
                                            {Level::avx2, "Haswell", "AVX2"},
                                            {Level::avx, "Sandybridge", "AVX"}}};

std::optional<Level> kernel_level(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [kernel, level] : kKernels)
    if (kernel == lower) return level;
  return std::nullopt;
}

Level cpu_level(const CpuFeatures& cpu) {
  if (cpu.avx512 && cpu.avx2 && cpu.fma) return Level::avx512;
  if (cpu.avx2 && cpu.fma) return Level::avx2;
  return cpu.avx ? Level::avx : Level::older;
}

}  // namespace

std::optional<std::string> better_blas_kernel(std::string_view chosen, const CpuFeatures& cpu,
                                              std::optional<std::string_view> coretype) {
  const std::optional<Level> have = kernel_level(chosen);
  const Level can = cpu_level(cpu);
  if (coretype || !have || *have >= can) return std::nullopt;
  for (const Upgrade& u : kUpgrades)
    if (u.level == can) return u.kernel;
  return std::nullopt;
}

CpuFeatures cpu_features() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return {.avx = __builtin_cpu_supports("avx") != 0,
          .avx2 = __builtin_cpu_supports("avx2") != 0,
          .fma = __builtin_cpu_supports("fma") != 0,
          .avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
                    __builtin_cpu_supports("avx512cd")};
#else
  return {};
#endif
}

std::string blas_kernel() {
  const char* name = openblas_get_corename();
  return name ? name : "unknown";
}

void use_best_blas_kernel(char** argv) {
  // main's argv: glibc's program_invocation_name is main's argv[0] itself, not a copy
  if (argv == nullptr || argv[0] != program_invocation_name) return;
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  const std::string chosen = blas_kernel();
  const std::optional<std::string> better = better_blas_kernel(
      chosen, cpu_features(), coretype ? std::optional<std::string_view>(coretype) : std::nullopt);
  if (!better) return;
  const auto upgrade = std::find_if(kUpgrades.begin(), kUpgrades.end(),
                                    [&](const Upgrade& u) { return u.kernel == *better; });
  fmt::print(stderr,
             "note: OpenBLAS chose its {} kernels, older than this processor supports ({}); "
             "running with OPENBLAS_CORETYPE={} (set OPENBLAS_CORETYPE yourself to choose)\n",
             chosen, upgrade->instructions, *better);
  std::fflush(stderr);
  // The new program finds the variable set, and keeps it: it runs again once at most.
  int error = errno;
  if (::setenv("OPENBLAS_CORETYPE", better->c_str(), 1) == 0) error = execute_self(argv, environ);
  ::unsetenv("OPENBLAS_CORETYPE");
  fmt::print(stderr, "note: could not run again ({}): going on with the {} kernels\n",
             std::strerror(error), chosen);
}

}  // namespace nn
