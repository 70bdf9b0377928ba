"""Reads the JSON lines of bench/run_bench.sh and prints, per workload, the median and spread of
the seconds of each implementation, the ratios against ours, the OpenBLAS kernels ours ran with,
and the targets met or missed."""
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
            runs[(row["workload"], row["impl"])] += row["seconds"]
            if "blas_kernel" in row:
                kernels[(row["workload"], row["impl"])].add(row["blas_kernel"])
            if "square_2048_gflops" in row:
                extra["gflops"] = row["square_2048_gflops"]
                extra["kernel"] = row.get("blas_kernel", "not reported")
    for workload, unit in (("mnist_epoch", "s/epoch"), ("logistic_2000", "s/2000 iterations")):
        print(f"\n{workload} ({unit})")
        print(f"  {'implementation':<14} {'median':>9} {'min':>9} {'max':>9} {'n':>4} {'vs ours':>9}"
              "  BLAS kernel")
        ours = statistics.median(runs[(workload, "cpp")]) if runs[(workload, "cpp")] else None
        for impl in ("cpp", "numpy", "torch", "gemm_bound"):
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
    if "gflops" in extra:
        print(f"\nBLAS: 2048 x 2048 float product at {extra['gflops']:.1f} GFLOP/s"
              f" (OpenBLAS kernels: {extra['kernel']})")


if __name__ == "__main__":
    main(sys.argv[1])
