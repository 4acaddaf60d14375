// Composite Gauss–Legendre rules for E[f(Z)], Z ~ N(0, 1), split at a function's cuts: the one
// quadrature behind ParityRidge's tables (parity_ridge.cpp) and its Hermite spectra
// (parity_ridge_bounds.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace lower_bounds::gaussian {

inline constexpr double kZRange = 13.0;  // |Z| <= 13: phi(13) |He_17(13)| |z|^2 < 1e-17
inline constexpr double kZPanel = 0.5;   // 20-point Gauss–Legendre per panel of width <= 0.5: exact to rounding
inline const double kInvSqrt2Pi = 1.0 / std::sqrt(2.0 * std::numbers::pi);

struct Rule {
  std::vector<double> x, w;
};

// Gauss–Legendre on [-1, 1] with n points (n even), from Boost's Legendre zeros; built once per n.
const Rule& legendre(int n);

// The cuts of h(tau .) in Z: its breakpoints over tau.
std::vector<double> scaled_cuts(const std::vector<double>& breakpoints, double tau);

// Calls visit(z, weight) on a composite Gauss–Legendre rule for E[f(Z)] over |Z| <= 13 (beyond,
// phi(13) |He_17(13)| |z|^2 < 1e-17), in panels of width <= 0.5 split at the given cuts.
template <class Visit>
void for_each_node(std::vector<double> cuts, Visit&& visit) {
  cuts.push_back(-kZRange);
  cuts.push_back(kZRange);
  std::sort(cuts.begin(), cuts.end());
  const Rule& rule = legendre(20);
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    const double lo = std::max(-kZRange, cuts[c]), hi = std::min(kZRange, cuts[c + 1]);
    if (!(hi > lo)) continue;
    const int panels = std::max(1, static_cast<int>(std::ceil((hi - lo) / kZPanel)));
    const double width = (hi - lo) / panels;
    for (int q = 0; q < panels; ++q) {
      const double mid = lo + (q + 0.5) * width;
      for (std::size_t i = 0; i < rule.x.size(); ++i) {
        const double z = mid + 0.5 * width * rule.x[i];
        visit(z, 0.5 * width * rule.w[i] * kInvSqrt2Pi * std::exp(-0.5 * z * z));
      }
    }
  }
}

}  // namespace lower_bounds::gaussian
