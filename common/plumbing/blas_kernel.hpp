// Which OpenBLAS kernels a program runs with. OpenBLAS picks them for the processor when it is
// loaded; on a processor newer than it knows (Debian 12's 0.3.21 on a Sapphire Rapids) it falls
// back to its oldest x86-64 kernels, Prescott (SSE3), and chapter 5's epoch takes twice as long.
// Every program checks this first (nn::ChapterCli::run, the benchmark) and then runs with the
// best kernels the processor can; results.json names the kernels ("blas_kernel").
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace nn {

// What the processor runs and the operating system has enabled (it saves the wide registers).
struct CpuFeatures {
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool avx512 = false;  // AVX-512 F, BW, DQ, VL and CD: what OpenBLAS's SkylakeX kernels use
};

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

// When better_blas_kernel() finds better kernels, runs the program again with them: OpenBLAS
// reads OPENBLAS_CORETYPE only when it is loaded, so this sets it and calls execute_self()
// with the same `argv`, after one line on stderr; if that fails, one more line, and the program
// goes on with the old kernels. Call it first thing, before any BLAS work, with main's argv: it
// does nothing for another command line (a test calling nn::ChapterCli::run with its own flags).
void use_best_blas_kernel(char** argv);

}  // namespace nn
