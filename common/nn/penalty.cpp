#include "common/nn/penalty.hpp"

namespace nn {

std::string penalty_name(Penalty::Kind kind) {
  switch (kind) {
    case Penalty::Kind::l2:
      return "l2";
    case Penalty::Kind::l1:
      return "l1";
    case Penalty::Kind::none:
      break;
  }
  return "none";
}

double penalty_cost(const Penalty& penalty, const std::vector<arma::mat>& W) {
  double sum = 0.0;
  for (const arma::mat& W_l : W) {
    if (penalty.kind == Penalty::Kind::l2) sum += arma::accu(arma::square(W_l)) / 2.0;
    if (penalty.kind == Penalty::Kind::l1) sum += arma::accu(arma::abs(W_l));
  }
  return penalty.strength() * sum;
}

void penalized_step(arma::mat& W, const arma::mat& dW, double learning_rate,
                    const Penalty& penalty) {
  const double shrink = learning_rate * penalty.strength();  // αλ/n
  switch (penalty.kind) {
    case Penalty::Kind::l2:
      W = (1.0 - shrink) * W - learning_rate * dW;
      return;
    case Penalty::Kind::l1:
      W -= shrink * arma::sign(W) + learning_rate * dW;
      return;
    case Penalty::Kind::none:
      break;
  }
  W -= learning_rate * dW;
}

}  // namespace nn
