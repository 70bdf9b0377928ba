"""Reads the JSON lines of bench/run_bench.sh and prints, per workload, the median and spread of
the seconds of each implementation, the ratios against ours, the OpenBLAS kernels ours ran with,
and the targets met or missed; for the playground's workloads, the engine compiled to WebAssembly
against the native program."""
import json
import statistics
import sys
from collections import defaultdict

TARGETS = {  # (workload, peer): how many times faster ours must be (or, for the bound, how close)
    ("mnist_epoch", "numpy"): 2.5,
    ("mnist_epoch", "torch"): 2.5,
    ("logistic_2000", "numpy"): 5.0,
}
BOUND_FACTOR = 1.5  # ours within 1.5× of the GEMM lower bound


def main(path):
    runs = defaultdict(list)
    kernels = defaultdict(set)  # the OpenBLAS kernels of each (workload, impl), where it says
    extra = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if row["workload"] == "browser":
                extra["browser"] = row
                continue
            runs[(row["workload"], row["impl"])] += row["seconds"]
            if "blas_kernel" in row:
                kernels[(row["workload"], row["impl"])].add(row["blas_kernel"])
            if "square_2048_gflops" in row:
                extra["gflops"] = row["square_2048_gflops"]
                extra["kernel"] = row.get("blas_kernel", "not reported")
    workloads = (("mnist_epoch", "s/epoch"), ("logistic_2000", "s/2000 iterations"),
                 ("flower_1000", "s/1000 iterations, the playground's chapter 2"),
                 ("spiral_1000", "s/1000 iterations, the playground's chapter 9"))
    for workload, unit in workloads:
        if not any(w == workload for w, _ in runs):
            continue
        print(f"\n{workload} ({unit})")
        print(f"  {'implementation':<14} {'median':>9} {'min':>9} {'max':>9} {'n':>4} {'vs ours':>9}"
              "  BLAS kernel")
        ours = statistics.median(runs[(workload, "cpp")]) if runs[(workload, "cpp")] else None
        for impl in ("cpp", "numpy", "torch", "gemm_bound", "wasm"):
            t = runs.get((workload, impl))
            if not t:
                continue
            med = statistics.median(t)
            ratio = f"{med / ours:8.2f}x" if ours else ""
            kernel = ", ".join(sorted(kernels.get((workload, impl), ())))
            print(f"  {impl:<14} {med:9.4f} {min(t):9.4f} {max(t):9.4f} {len(t):4d} {ratio:>9}"
                  f"  {kernel}".rstrip())
        for (w, peer), factor in TARGETS.items():
            if w == workload and ours and runs.get((w, peer)):
                speedup = statistics.median(runs[(w, peer)]) / ours
                verdict = "met" if speedup >= factor else "MISSED"
                print(f"  target: ours >= {factor}x faster than {peer}: {speedup:.2f}x, {verdict}")
        if workload == "mnist_epoch" and ours and runs.get((workload, "gemm_bound")):
            bound = statistics.median(runs[(workload, "gemm_bound")])
            verdict = "met" if ours <= BOUND_FACTOR * bound else "MISSED"
            print(f"  target: ours within {BOUND_FACTOR}x of the GEMM bound: "
                  f"{ours / bound:.2f}x, {verdict}")
        if runs.get((workload, "wasm")) and ours:
            slower = statistics.median(runs[(workload, "wasm")]) / ours
            print(f"  the engine (WebAssembly, Node.js's V8) takes {slower:.2f}x the native time")
    if "browser" in extra:
        page = extra["browser"]
        print("\nthe playground in headless Chromium (chapter 2's page, one run each, frames drawn)")
        for workload, key in (("flower_1000", "flower"), ("spiral_1000", "spiral")):
            per_second = page.get(f"{key}_iterations_per_second")
            native = runs.get((workload, "cpp"))
            if per_second and native:
                seconds = 1000 / per_second
                print(f"  {key}: {per_second} iterations/s, {seconds:.4f} s/1000 iterations, "
                      f"{seconds / statistics.median(native):.2f}x the native time, "
                      f"{page.get(f'{key}_fps')} frames/s")
    if "gflops" in extra:
        print(f"\nBLAS: 2048 x 2048 float product at {extra['gflops']:.1f} GFLOP/s"
              f" (OpenBLAS kernels: {extra['kernel']})")


if __name__ == "__main__":
    main(sys.argv[1])
