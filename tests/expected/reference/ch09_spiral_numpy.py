#!/usr/bin/env python3
"""Chapter 09's oracle: CS231n's "Putting it together: minimal neural network case study"
(https://cs231n.github.io/neural-networks-case-study/), its spiral, softmax classifier and
2-layer network written out in plain numpy as the notes write them (one sample per row), with
the chapter's seeds; then the class-imbalance study. Prints ch09_spiral_numpy.json on stdout:

    /usr/bin/python3 tests/expected/reference/ch09_spiral_numpy.py \
        > tests/expected/reference/ch09_spiral_numpy.json

Seeds as the program draws them with --seed S (default 0): the training spiral from S, the
test spiral from S + 1, the weights from S + 2, the oversampling from S + 3.
"""
import json

import numpy as np

S = 0
N, D, K = 100, 2, 3          # points per class, dimensions, classes
STEP, REG, H = 1.0, 1e-3, 100
RARE, KEEP_EVERY, STUDY_TEST_N = 2, 10, 1000


def spiral(seed, N=N):
    np.random.seed(seed)
    X = np.zeros((N * K, D))
    y = np.zeros(N * K, dtype="uint8")
    for j in range(K):
        ix = range(N * j, N * (j + 1))
        r = np.linspace(0.0, 1, N)  # radius
        t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * 0.2  # theta
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return X, y


def train(X, y, hidden, iterations, print_every, w=None):
    """Full-batch gradient descent; w: per-sample loss weights (None: all 1)."""
    np.random.seed(S + 2)
    num_examples = X.shape[0]
    w = np.ones(num_examples) if w is None else w
    sizes = [D, K] if hidden == 0 else [D, hidden, K]
    Ws = [0.01 * np.random.randn(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros((1, b)) for b in sizes[1:]]
    losses = []
    for i in range(iterations):
        A = [X]
        for l in range(len(Ws)):
            Z = np.dot(A[-1], Ws[l]) + bs[l]
            A.append(Z if l == len(Ws) - 1 else np.maximum(0, Z))
        scores = A[-1]
        exp_scores = np.exp(scores - np.max(scores, axis=1, keepdims=True))
        probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        correct_logprobs = -np.log(probs[range(num_examples), y])
        data_loss = np.sum(w * correct_logprobs) / num_examples
        reg_loss = sum(0.5 * REG * np.sum(W * W) for W in Ws)
        loss = data_loss + reg_loss
        if i % print_every == 0:
            losses.append(float(loss))
        dscores = probs
        dscores[range(num_examples), y] -= 1
        dscores *= w[:, None] / num_examples
        d = dscores
        for l in reversed(range(len(Ws))):
            dW = np.dot(A[l].T, d) + REG * Ws[l]
            db = np.sum(d, axis=0, keepdims=True)
            if l > 0:
                d = np.dot(d, Ws[l].T)
                d[A[l] <= 0] = 0
            Ws[l] += -STEP * dW
            bs[l] += -STEP * db

    def predict(Xq):
        A = Xq
        for l in range(len(Ws)):
            A = np.dot(A, Ws[l]) + bs[l]
            A = A if l == len(Ws) - 1 else np.maximum(0, A)
        return np.argmax(A, axis=1)

    return losses, predict


def scores(predicted, y):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y, predicted):
        C[t, p] += 1
    recall = 100.0 * np.diag(C) / C.sum(axis=1)
    precision = 100.0 * np.diag(C) / np.maximum(C.sum(axis=0), 1)
    return {"accuracy": 100.0 * np.trace(C) / C.sum(), "precision": precision.tolist(),
            "recall": recall.tolist(), "confusion": C.tolist()}


def thin(X, y, n):
    # keep every KEEP_EVERY-th point of the rare arm, all of the others
    keep = [i for i in range(len(y)) if y[i] != RARE or (i - RARE * n) % KEEP_EVERY == 0]
    return X[keep], y[keep]


X, y = spiral(S)
X_test, y_test = spiral(S + 1)
out = {"seed": S, "spiral": X.tolist(), "test_first_points": X_test[::N].tolist()}
for name, hidden, iterations, every in (("linear", 0, 200, 10), ("network", H, 10000, 1000)):
    losses, predict = train(X, y, hidden, iterations, every)
    out[name] = {"losses": losses,
                 "train_accuracy": 100.0 * float(np.mean(predict(X) == y)),
                 "test_accuracy": 100.0 * float(np.mean(predict(X_test) == y_test))}

# The imbalance study: the rare arm thinned; plain, reweighted by class, oversampled.
Xi, yi = thin(X, y, N)
Xt, yt = thin(*spiral(S + 1, STUDY_TEST_N), STUDY_TEST_N)
m = len(yi)
counts = np.bincount(yi, minlength=K)
weights = (m / (K * counts))[yi]           # the balanced weights: they sum to m
np.random.seed(S + 3)
rare = np.where(yi == RARE)[0]
extra = rare[np.random.randint(0, len(rare), counts.max() - counts[RARE])]
Xo, yo = np.r_[Xi, Xi[extra]], np.r_[yi, yi[extra]]
out["imbalance"] = {"train_counts": counts.tolist(), "oversample_draws": extra.tolist()}
for name, (Xv, yv, wv) in (("plain", (Xi, yi, None)), ("reweighted", (Xi, yi, weights)),
                           ("oversampled", (Xo, yo, None))):
    losses, predict = train(Xv, yv, H, 10000, 1000, wv)
    out["imbalance"][name] = {"losses": losses, **scores(predict(Xt), yt)}
print(json.dumps(out, indent=1))
