// What ParityRidge's bounds (parity_ridge_bounds.cpp) and its exposure series (parity_ridge_series.cpp)
// share: the number of Hermite levels held, x^n, the vector bounds' tail and the level weights of chi_S.
// Internal to the lifted parity; not installed.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace sqsim::lower_bounds::detail {

inline constexpr int kLevels = 64;

// x^n for n >= 0 by squaring (the per-member bounds run for millions of members: no pow()).
inline double power(double x, int n) {
  double result = 1.0;
  for (; n > 0; n >>= 1, x *= x)
    if (n & 1) result *= x;
  return result;
}

// The vector bounds' tail beyond level kLevels: Cauchy–Schwarz with level weights summing to at most
// 2 and factors f_l = rho^l + l (1 - rho) rho^{l-1} = P(at most one failure in l trials), largest at l = kLevels.
inline double beyond_vector_levels(double rho) {
  const double top = power(rho, kLevels - 1);
  return std::sqrt(2.0 * std::min(1.0, top * rho + kLevels * (1.0 - rho) * top));
}

// The Hermite weights of chi_S (W) and of |x_i| chi_{S \ i} (V) by level, |S| = k.
struct LevelWeights {
  std::vector<double> W, V;
};
LevelWeights level_weights(int k);

}  // namespace sqsim::lower_bounds::detail