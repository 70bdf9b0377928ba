"""An independent oracle for chapter 06: Nielsen's network2.py measurement in numpy.

Draws the network as network2.Network(sizes) does after np.random.seed(seed) (every bias
vector first, then every weight matrix divided by sqrt(n_in)), backpropagates one image at a
time as network2.backprop does (cross-entropy cost: delta = a - y at the output), averages the
bias gradients over the first 1000 MNIST training images and prints ||dC/db(l)|| per hidden
layer as JSON. The chapter's test holds layer_speeds() to these numbers.

    /usr/bin/python3 chapters/06_vanishing_gradient/nielsen_numpy.py datasets/mnist
"""
import gzip
import json
import sys

import numpy as np


def load(folder, count):
    with gzip.open(folder + "/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:count]
    with gzip.open(folder + "/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:count]
    return [(x.reshape(784, 1) / 255.0, np.eye(10)[[l]].T) for x, l in zip(images, labels)]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def speeds(sizes, seed, data):
    np.random.seed(seed)
    biases = [np.random.randn(y, 1) for y in sizes[1:]]
    weights = [np.random.randn(y, x) / np.sqrt(x) for x, y in zip(sizes[:-1], sizes[1:])]
    nabla_b = [np.zeros(b.shape) for b in biases]
    for x, y in data:
        activation, activations, zs = x, [x], []
        for b, w in zip(biases, weights):
            zs.append(np.dot(w, activation) + b)
            activation = sigmoid(zs[-1])
            activations.append(activation)
        delta = activations[-1] - y
        nabla_b[-1] += delta
        for l in range(2, len(sizes)):
            sp = sigmoid(zs[-l]) * (1 - sigmoid(zs[-l]))
            delta = np.dot(weights[-l + 1].T, delta) * sp
            nabla_b[-l] += delta
    return [float(np.linalg.norm(nb / len(data))) for nb in nabla_b[:-1]]


if __name__ == "__main__":
    data = load(sys.argv[1], 1000)
    nets = [[784, 30, 30, 10], [784, 30, 30, 30, 10], [784, 30, 30, 30, 30, 10]]
    print(json.dumps({"-".join(map(str, s)): speeds(s, 0, data) for s in nets}, indent=2))
