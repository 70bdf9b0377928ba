#!/usr/bin/env python3
"""Chapter 08's oracle: the L-layer network of deeplearning.ai's "Neural Networks and Deep
Learning", Course 1 Week 4 ("Building your Deep Neural Network: Step by Step" and "Deep Neural
Network - Application"), written out from the algorithm in plain numpy and run on our copy of
the cat data. Prints ch08_deep_numpy.json on stdout:

    /usr/bin/python3 tests/expected/reference/ch08_deep_numpy.py datasets/catvnoncat \
        > tests/expected/reference/ch08_deep_numpy.json
"""
import json
import sys

import h5py
import numpy as np


def load(folder):
    with h5py.File(f"{folder}/train_catvnoncat.h5", "r") as f:
        x_train, y_train = np.array(f["train_set_x"]), np.array(f["train_set_y"])
    with h5py.File(f"{folder}/test_catvnoncat.h5", "r") as f:
        x_test, y_test = np.array(f["test_set_x"]), np.array(f["test_set_y"])
    # each picture a column, pixels scaled to [0, 1]
    X_train = x_train.reshape(x_train.shape[0], -1).T / 255.0
    X_test = x_test.reshape(x_test.shape[0], -1).T / 255.0
    return X_train, y_train.reshape(1, -1), X_test, y_test.reshape(1, -1)


def initialize(layer_dims, scale):
    # np.random.seed(1), then W1, b1, W2, b2, ... in order; b = 0
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = np.random.randn(layer_dims[l], layer_dims[l - 1])
        parameters["W" + str(l)] = W * 0.01 if scale == "0.01" else W / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def forward(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = np.dot(W, A) + b
        caches.append((A, W, b, Z))
        A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
    return A, caches


def cost(AL, Y):
    m = Y.shape[1]
    return float(np.squeeze((1.0 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))))


def backward(AL, Y, caches):
    grads, m, L = {}, AL.shape[1], len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        A_prev, W, b, Z = caches[l - 1]
        if l == L:
            s = 1 / (1 + np.exp(-Z))
            dZ = dA * s * (1 - s)
        else:
            dZ = np.array(dA, copy=True)
            dZ[Z <= 0] = 0
        grads["dW" + str(l)] = 1.0 / m * np.dot(dZ, A_prev.T)
        grads["db" + str(l)] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        dA = np.dot(W.T, dZ)
    return grads


def accuracy(X, Y, parameters):
    AL, _ = forward(X, parameters)
    return 100.0 * float(np.mean((AL > 0.5) == Y))


def model(data, layer_dims, scale, learning_rate=0.0075, iterations=2500):
    X_train, Y_train, X_test, Y_test = data
    parameters = initialize(layer_dims, scale)
    L = len(layer_dims) - 1
    costs = []
    for i in range(iterations):
        AL, caches = forward(X_train, parameters)
        if i % 100 == 0:
            costs.append(cost(AL, Y_train))
        grads = backward(AL, Y_train, caches)
        for l in range(1, L + 1):
            parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
            parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return {"layers": layer_dims, "init": "randn * 0.01" if scale == "0.01" else "randn / sqrt(n[l-1])",
            "learning_rate": learning_rate, "iterations": iterations, "costs_every_100": costs,
            "train_accuracy": accuracy(X_train, Y_train, parameters),
            "test_accuracy": accuracy(X_test, Y_test, parameters)}


if __name__ == "__main__":
    data = load(sys.argv[1] if len(sys.argv) > 1 else "datasets/catvnoncat")
    print(json.dumps({
        "source": f"numpy {np.__version__} run of the course's L-layer algorithm (Course 1 Week 4: "
                  "seed 1, W drawn in order, b = 0, [LINEAR->RELU]x(L-1)->LINEAR->SIGMOID, "
                  "dAL = -(Y/AL - (1-Y)/(1-AL)), full-batch gradient descent, cost recorded before "
                  "the update at iterations 0,100,...), by tests/expected/reference/ch08_deep_numpy.py; "
                  "data catvnoncat/*.h5 as X = x.reshape(m,-1).T/255",
        "two_layer": model(data, [12288, 7, 1], "0.01"),
        "five_layer": model(data, [12288, 20, 7, 5, 1], "sqrt"),
    }, indent=1))
