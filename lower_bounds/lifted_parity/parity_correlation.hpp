// E[relu(w.x) chi_S(sign x)] and its gradient for x ~ N(0, I_d): the signal a ReLU can catch from
// a sparse parity hidden in Gaussian space.
//
// With |t| = (2/pi) int_0^inf (1 - cos(lambda t)) / lambda^2 dlambda, relu(t) = (t + |t|)/2 and the
// characteristic function factorising over coordinates, for even k = |S| >= 2
//   R_S(w) = -(-1)^{k/2} / pi * int_0^inf prod_{j in S} h(lambda w_j) exp(-lambda^2 sigma^2 / 2) / lambda^2 dlambda
// with sigma^2 = |w_{S^c}|^2 and h(mu) = E[sign(z) sin(mu z)] = (2/sqrt(pi)) F(mu/sqrt(2)), F
// Dawson's integral. Differentiating under the integral gives the gradient: on S, h -> lambda h'
// in one factor; off S, dR/dw_j = C_S w_j with one scalar C_S. (For odd k, R_S = 0 unless k = 1.)
// The integral is a trapezoid rule in log(lambda), exponentially convergent for this analytic
// integrand; the per-coordinate factors are tabulated once per w and coordinate, on first use (a
// pruned exposure touches few coordinates), so each member S costs O(k) per node and no
// special-function call once its coordinates are tabulated.
#pragma once

#include "sqsim/sq/query.hpp"

#include <array>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace sqsim::lower_bounds {

using sq::Vector;

constexpr int kMaxParityOrder = 16;

double parity_sine(double mu);             // h(mu)
double parity_sine_derivative(double mu);  // h'(mu) = E[|z| cos(mu z)]

class ParityCorrelation {
 public:
  explicit ParityCorrelation(const Vector& w);
  // Accepts only the given coordinates: evaluate() then refuses subsets with others, and the
  // integration range is set by these coordinates alone. Tables are built lazily either way.
  ParityCorrelation(const Vector& w, std::span<const int> coordinates);

  const Vector& w() const { return w_; }

  struct Parts {
    double value = 0.0;                               // R_S(w)
    std::array<double, kMaxParityOrder> on_subset{};  // dR/dw_j for the j of S, in S's order
    double off_coefficient = 0.0;                     // dR/dw_j = off_coefficient * w_j for j not in S
  };
  // S: distinct coordinates, even size in [2, 16]. Safe to call from several threads at once.
  Parts evaluate(std::span<const int> subset) const;
  double value(std::span<const int> subset) const { return evaluate(subset).value; }
  Vector gradient(std::span<const int> subset) const;
  // |grad R_S(w)| in l2 and linf without forming the d-vector.
  double gradient_norm_l2(std::span<const int> subset, const Parts& parts) const;
  double gradient_norm_linf(std::span<const int> subset, const Parts& parts) const;

 private:
  Vector w_;
  double norm2_ = 0.0;
  std::vector<double> lambda_, weight_;  // nodes and trapezoid weights (d lambda = lambda ds)
  // h(lambda_n w_j), h'(lambda_n w_j): d x N, node-major per coordinate, filled on first use of j
  mutable std::vector<double> h_, dh_;
  std::unique_ptr<std::once_flag[]> tabulated_once_;
  std::vector<int> largest_;    // coordinates by decreasing |w_j| (first 17), for linf norms
  std::vector<char> accepted_;  // which coordinates evaluate() accepts
  void tabulate(int j) const;
};

}  // namespace sqsim::lower_bounds