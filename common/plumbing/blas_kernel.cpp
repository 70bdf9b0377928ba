#include "common/plumbing/blas_kernel.hpp"

#include <fmt/core.h>
#include <fmt/format.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
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

// The instructions a family of kernels needs beyond x86-64's SSE2 and SSE3.
constexpr unsigned kSsse3 = 1, kSse42 = 2, kSse4a = 4, k3dnow = 8, kAvx = 16, kFma4 = 32,
                   kAvx2 = 64 /* with FMA */, kAvx512 = 128, kBf16 = 256;

struct Family {
  std::string_view name;  // as OpenBLAS spells it; names compare ignoring case, as OpenBLAS's
  Level level;
  unsigned needs;
};

// The x86-64 families OpenBLAS 0.3.21 takes by name in OPENBLAS_CORETYPE and runs under that
// name (driver/others/dynamic.c, force_coretype), oldest first. Katmai, Coppermine, Northwood,
// Banias and Athlon are 32-bit kernels it replaces by Prescott; Debian 12's build does not take
// SapphireRapids (nor Cooperlake, which a later OpenBLAS does), and picks by itself instead.
constexpr std::array<Family, 20> kFamilies{{
    {"Prescott", Level::older, 0},
    {"Core2", Level::older, kSsse3},
    {"Penryn", Level::older, kSsse3},
    {"Dunnington", Level::older, kSsse3},
    {"Nehalem", Level::older, kSsse3 | kSse42},
    {"Atom", Level::older, kSsse3},
    {"Nano", Level::older, kSsse3},
    {"Opteron", Level::older, k3dnow},
    {"Opteron_SSE3", Level::older, k3dnow},
    {"Barcelona", Level::older, kSse4a},
    {"Bobcat", Level::older, kSsse3 | kSse4a},
    {"Sandybridge", Level::avx, kAvx},
    {"Bulldozer", Level::older, kAvx | kFma4},
    {"Piledriver", Level::older, kAvx | kFma4},
    {"Steamroller", Level::older, kAvx | kFma4},
    {"Excavator", Level::older, kAvx | kFma4 | kAvx2},
    {"Haswell", Level::avx2, kAvx | kAvx2},
    {"Zen", Level::avx2, kAvx | kAvx2},
    {"SkylakeX", Level::avx512, kAvx | kAvx2 | kAvx512},
    {"Cooperlake", Level::avx512, kAvx | kAvx2 | kAvx512 | kBf16},
}};

// The instructions of kFamilies' needs that `cpu` has.
unsigned has(const CpuFeatures& cpu) {
  return (cpu.ssse3 ? kSsse3 : 0) | (cpu.sse4_2 ? kSse42 : 0) | (cpu.sse4a ? kSse4a : 0) |
         (cpu.amd_3dnow ? k3dnow : 0) | (cpu.avx ? kAvx : 0) | (cpu.fma4 ? kFma4 : 0) |
         (cpu.avx2 && cpu.fma ? kAvx2 : 0) | (cpu.avx512 ? kAvx512 : 0) |
         (cpu.avx512_bf16 ? kBf16 : 0);
}

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

const Family* family_named(std::string_view name) {
  for (const Family& family : kFamilies)
    if (same_name(family.name, name)) return &family;
  return nullptr;
}

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
  const Family* family = family_named(name);
  return family ? std::optional<Level>(family->level) : std::nullopt;
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

std::vector<std::string> runnable_blas_kernels(const CpuFeatures& cpu) {
  std::vector<std::string> names;
  for (const Family& family : kFamilies)
    if ((family.needs & ~has(cpu)) == 0) names.emplace_back(family.name);
  return names;
}

CoretypeVerdict judge_coretype(std::string_view coretype, std::string_view chosen,
                               const CpuFeatures& cpu) {
  const auto runs = [&] { return fmt::format("{}", fmt::join(runnable_blas_kernels(cpu), ", ")); };
  if (!same_name(coretype, chosen))
    return {false, fmt::format("note: OPENBLAS_CORETYPE={} is not a kernel family OpenBLAS "
                               "knows; it chose {} (this processor runs {})",
                               coretype, chosen, runs())};
  const Family* family = family_named(chosen);
  if (family == nullptr || (family->needs & ~has(cpu)) == 0) return {};
  return {true, fmt::format("OPENBLAS_CORETYPE={}: this processor cannot execute those kernels; "
                            "it runs {} (or leave OPENBLAS_CORETYPE unset)",
                            coretype, runs())};
}

#if defined(__x86_64__) || defined(__i386__)
// 3DNow!: bit 31 of EDX in CPUID leaf 0x80000001 (GCC's __builtin_cpu_supports has no name
// for it).
bool amd_3dnow() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) != 0 && (edx >> 31) != 0;
}
#endif

CpuFeatures cpu_features() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return {.avx = __builtin_cpu_supports("avx") != 0,
          .avx2 = __builtin_cpu_supports("avx2") != 0,
          .fma = __builtin_cpu_supports("fma") != 0,
          .avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
                    __builtin_cpu_supports("avx512cd"),
          .avx512_bf16 = __builtin_cpu_supports("avx512bf16") != 0,
          .fma4 = __builtin_cpu_supports("fma4") != 0,
          .amd_3dnow = amd_3dnow(),
          .sse4a = __builtin_cpu_supports("sse4a") != 0,
          .ssse3 = __builtin_cpu_supports("ssse3") != 0,
          .sse4_2 = __builtin_cpu_supports("sse4.2") != 0};
#else
  return {};
#endif
}

std::string blas_kernel() {
  const char* name = openblas_get_corename();
  return name ? name : "unknown";
}

std::string use_best_blas_kernel(char** argv) {
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  const std::string chosen = blas_kernel();
  if (coretype != nullptr) {
    const CoretypeVerdict verdict = judge_coretype(coretype, chosen, cpu_features());
    if (verdict.refused) return verdict.line;
    if (!verdict.line.empty()) fmt::print(stderr, "{}\n", verdict.line);
  }
  // main's argv: glibc's program_invocation_name is main's argv[0] itself, not a copy
  if (argv == nullptr || argv[0] != program_invocation_name) return "";
  const std::optional<std::string> better = better_blas_kernel(
      chosen, cpu_features(), coretype ? std::optional<std::string_view>(coretype) : std::nullopt);
  if (!better) return "";
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
  return "";
}

}  // namespace nn
