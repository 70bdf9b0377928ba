"""The peers of the benchmark: the same work as chapters 1 and 5, written plainly in numpy and in
PyTorch (CPU), as a learner would write them. Run by bench/run_bench.sh; prints one JSON object per
line: {"workload", "impl", "precision", "seconds": [one per epoch or per run]}.

Fairness: same shapes, batch, learning rate and number of samples as the C++ chapters; shuffling
by an index permutation each epoch; the data is synthetic but MNIST-shaped (timings do not depend
on pixel values). PyTorch runs with its default thread count: on 2 cores, raising it while
OpenBLAS also uses 2 threads makes it slower.
"""
import argparse
import json
import time

import numpy as np

M_TRAIN, N_X, N_1, N_2, N_Y = 55000, 784, 64, 16, 10


def mnist_shaped(dtype, seed=0):
    """One sample per column, as in the chapters, and laid out as the course's
    x.reshape(m, -1).T leaves it: each sample's 784 values side by side in memory (numpy's
    Fortran order, Armadillo's column-major order), so that X[:, idx] copies whole runs."""
    rng = np.random.RandomState(seed)
    X = rng.rand(M_TRAIN, N_X).astype(dtype).T
    labels = rng.randint(0, N_Y, M_TRAIN)
    Y = np.eye(N_Y, dtype=dtype)[labels].T
    return X, Y


def numpy_mnist_epochs(dtype, epochs, batch=128, lr=0.2):
    X, Y = mnist_shaped(dtype)
    rng = np.random.RandomState(1)
    s1, s2, s3 = (np.sqrt(2.0 / (a + b)) for a, b in ((N_X, N_1), (N_1, N_2), (N_2, N_Y)))
    W1 = (rng.randn(N_1, N_X) * s1).astype(dtype); b1 = np.zeros((N_1, 1), dtype)
    W2 = (rng.randn(N_2, N_1) * s2).astype(dtype); b2 = np.zeros((N_2, 1), dtype)
    W3 = (rng.randn(N_Y, N_2) * s3).astype(dtype); b3 = np.zeros((N_Y, 1), dtype)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(M_TRAIN)
        for k in range(0, M_TRAIN, batch):
            idx = order[k:k + batch]
            Xb, Yb = X[:, idx], Y[:, idx]
            m = Xb.shape[1]
            Z1 = W1 @ Xb + b1; A1 = 1 / (1 + np.exp(-Z1))
            Z2 = W2 @ A1 + b2; A2 = np.tanh(Z2)
            Z3 = W3 @ A2 + b3
            E = np.exp(Z3 - Z3.max(axis=0, keepdims=True)); A3 = E / E.sum(axis=0, keepdims=True)
            dZ3 = (A3 - Yb) / m
            dW3 = dZ3 @ A2.T; db3 = dZ3.sum(axis=1, keepdims=True)
            dZ2 = (W3.T @ dZ3) * (1 - A2 * A2)
            dW2 = dZ2 @ A1.T; db2 = dZ2.sum(axis=1, keepdims=True)
            dZ1 = (W2.T @ dZ2) * A1 * (1 - A1)
            dW1 = dZ1 @ Xb.T; db1 = dZ1.sum(axis=1, keepdims=True)
            W1 -= lr * dW1; b1 -= lr * db1
            W2 -= lr * dW2; b2 -= lr * db2
            W3 -= lr * dW3; b3 -= lr * db3
        times.append(time.perf_counter() - start)
    return times


def torch_mnist_epochs(dtype, epochs, batch=128, lr=0.2):
    import torch
    torch.manual_seed(1)
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    X, Y = mnist_shaped(dtype)
    X = torch.from_numpy(np.ascontiguousarray(X.T)).to(tdtype)  # PyTorch's layout: rows are samples
    labels = torch.from_numpy(Y.argmax(axis=0))
    model = torch.nn.Sequential(
        torch.nn.Linear(N_X, N_1), torch.nn.Sigmoid(),
        torch.nn.Linear(N_1, N_2), torch.nn.Tanh(),
        torch.nn.Linear(N_2, N_Y)).to(tdtype)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimiser = torch.optim.SGD(model.parameters(), lr=lr)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(M_TRAIN)
        for k in range(0, M_TRAIN, batch):
            idx = order[k:k + batch]
            optimiser.zero_grad()
            loss = loss_fn(model(X[idx]), labels[idx])
            loss.backward()
            optimiser.step()
        times.append(time.perf_counter() - start)
    return times


def numpy_logistic_runs(runs, iterations=2000, lr=0.005):
    """Chapter 1's single neuron: 12288 × 209 inputs, zero start, full-batch gradient descent."""
    rng = np.random.RandomState(0)
    X = rng.rand(12288, 209)
    Y = (rng.rand(1, 209) > 0.5).astype(np.float64)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        w = np.zeros((12288, 1)); b = 0.0
        m = X.shape[1]
        for _ in range(iterations):
            A = 1 / (1 + np.exp(-(w.T @ X + b)))
            cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
            dZ = A - Y
            dw = X @ dZ.T / m; db = np.sum(dZ) / m
            w -= lr * dw; b -= lr * db
        times.append(time.perf_counter() - start)
        assert np.isfinite(cost)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["mnist_epoch", "logistic_2000"])
    parser.add_argument("impl", choices=["numpy", "torch"])
    parser.add_argument("--precision", choices=["float32", "float64"], default="float32")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    dtype = np.float32 if args.precision == "float32" else np.float64
    if args.workload == "mnist_epoch":
        run = numpy_mnist_epochs if args.impl == "numpy" else torch_mnist_epochs
        seconds = run(dtype, args.repeats)
    else:
        seconds = numpy_logistic_runs(args.repeats)
        args.precision = "float64"  # chapter 1 works in double, as the course's numpy does
    print(json.dumps({"workload": args.workload, "impl": args.impl,
                      "precision": args.precision, "seconds": seconds}))


if __name__ == "__main__":
    main()
