// Which OpenBLAS kernels a program runs with. OpenBLAS picks them for the processor when it is
// loaded; on a processor newer than it knows (Debian 12's 0.3.21 on a Sapphire Rapids) it falls
// back to its oldest x86-64 kernels, Prescott (SSE3), and chapter 5's epoch takes twice as long.
// Every program checks this first (nn::ChapterCli::run, the benchmark) and then runs with the
// best kernels the processor can; results.json names the kernels ("blas_kernel").
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nn {

// What the processor runs and the operating system has enabled (it saves the wide registers).
struct CpuFeatures {
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool avx512 = false;       // AVX-512 F, BW, DQ, VL and CD: what OpenBLAS's SkylakeX kernels use
  bool avx512_bf16 = false;  // Cooperlake's kernels
  bool fma4 = false;         // AMD's Bulldozer family (FMA4 and XOP), gone since Zen
  bool amd_3dnow = false;    // AMD's 3DNow!, which the Opteron kernels use, gone since Bulldozer
  bool sse4a = false;        // AMD's, for the Barcelona and Bobcat kernels
  bool ssse3 = true;         // Core2 onwards; every x86-64 of the last fifteen years has both
  bool sse4_2 = true;        // Nehalem onwards
};

// The OpenBLAS kernel families (OPENBLAS_CORETYPE values, spelled as OpenBLAS names them) that
// `cpu` can execute, oldest first: "Prescott", …, "Haswell", "Zen".
std::vector<std::string> runnable_blas_kernels(const CpuFeatures& cpu);

// What to say of OPENBLAS_CORETYPE=`coretype` when OpenBLAS then chose the `chosen` kernels:
// nothing (""), a note when OpenBLAS did not take the name (it picks by itself then, Haswell on
// an AVX2 processor for `foo`), or a refusal when the kernels need instructions that `cpu`
// lacks (SkylakeX on an AVX2 processor: the first matrix product would die of SIGILL).
struct CoretypeVerdict {
  bool refused = false;
  std::string line;  // without the program's name
};
CoretypeVerdict judge_coretype(std::string_view coretype, std::string_view chosen,
                               const CpuFeatures& cpu);

// The kernels to run instead of `chosen`, those OpenBLAS picked, or none to keep them. When
// `chosen` is older than `cpu` supports, the best that `cpu` runs: SkylakeX (AVX-512), Haswell
// (AVX2 and FMA) or Sandybridge (AVX). Never older ones; never when OPENBLAS_CORETYPE is set
// (`coretype`: any value, even Prescott, is the user's choice); never from a name not known
// here. Haswell or Zen chosen on an AVX-512 processor become SkylakeX: OpenBLAS left to itself
// picks those only for a processor it does not know. Names compare ignoring case, as OpenBLAS's.
std::optional<std::string> better_blas_kernel(std::string_view chosen, const CpuFeatures& cpu,
                                              std::optional<std::string_view> coretype);

// This processor's features, as GCC's __builtin_cpu_supports sees them (it checks the
// operating system's support too); none on other architectures.
CpuFeatures cpu_features();

// The name of the OpenBLAS kernels this process runs with ("Haswell").
std::string blas_kernel();

// First judges OPENBLAS_CORETYPE (judge_coretype): a refusal is returned, the one line to print
// before exit code 2; a note is printed here. Then, when better_blas_kernel() finds better
// kernels, runs the program again with them: OpenBLAS reads OPENBLAS_CORETYPE only when it is
// loaded, so this sets it and calls execute_self() with the same `argv`, after one line on
// stderr; if that fails, one more line, and the program goes on with the old kernels. Call it
// first thing, before any BLAS work, with main's argv: it runs nothing again for another
// command line (a test calling nn::ChapterCli::run with its own flags). "" when all is well.
[[nodiscard]] std::string use_best_blas_kernel(char** argv);

}  // namespace nn
