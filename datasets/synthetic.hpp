// The synthetic data sets, generated rather than downloaded: the planar "flower" (chapter 02),
// the noisy sine (chapter 04), the truth tables of the logic gates (chapter 03) and the spiral
// (chapter 09).
// Columns are samples: X is n_x × m, Y is 1 × m.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>

namespace nn {

struct Dataset {
  arma::mat X;  // n_x × m
  arma::mat Y;  // n_y × m
};

// The flower of the numpy lesson (load_planar_dataset): np.random.seed(seed), two petals
// classes of m/2 points each, t = linspace(j·3.12, (j+1)·3.12, N) + 0.2·randn(N),
// r = a·sin(4t) + 0.2·randn(N), point (r sin t, r cos t), label j.
Dataset make_planar_flower(std::uint32_t seed = 1, arma::uword m = 400, double a = 4.0);

// The sine of chapter 04: m_train points x ~ U[0, 1), y = sin(2πx) + U(−0.1, 0.1), drawn as
// np.random.seed(seed); x = rand(m); noise = uniform(−0.1, 0.1, m); and m_test noiseless
// points on linspace(0, 1, m_test).
struct SineData {
  Dataset train, test;
};
SineData make_sine(std::uint32_t seed, arma::uword m_train = 500, arma::uword m_test = 100);

// The four rows of a two-input truth table: X = [0 0 1 1; 0 1 0 1], Y the gate's outputs.
// Gates: AND, OR, NAND, NOR, XOR, XNOR (throws nn::UsageError for another name).
Dataset make_truth_table(const std::string& gate);

// CS231n's spiral ("Putting it together: minimal neural network case study"): K arms of N
// points each, drawn as np.random.seed(seed) and, for arm j, r = linspace(0, 1, N),
// t = linspace(4j, 4(j + 1), N) + 0.2·randn(N), point (r sin t, r cos t), label j.
// X is 2 × NK, Y is 1 × NK (the label of each point, 0 … K − 1).
Dataset make_spiral(std::uint32_t seed, arma::uword N = 100, arma::uword K = 3);

}  // namespace nn
