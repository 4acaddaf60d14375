// The project's one Gaussian quadrature: Gauss–Legendre rules (Boost.Math's Legendre zeros) and
// composite rules for E[f(t)], t ~ N(0, I_k), k <= 2, split where f has kinks or jumps. The exact
// oracle integrates its reduced ridge queries with it (integrate_gaussian), the hard families their
// low-dimensional answers, and ParityRidge its tables and Hermite spectra (for_each_wide_node).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numbers>
#include <vector>

namespace sqsim::numerics {

inline const double kInvSqrt2Pi = 1.0 / std::sqrt(2.0 * std::numbers::pi);

struct Rule {
  std::vector<double> x, w;
};

// Gauss–Legendre on [-1, 1] with n points, built once per n (thread-safe).
const Rule& legendre(int n);

// Calls visit(node, weight) for a composite rule over [a, b] split at the cuts, in panels of width
// <= max_panel; rule_for(width) picks each panel's rule (weights for the plain integral over [a, b]).
template <class RuleFor, class Visit>
void composite(double a, double b, std::vector<double> cuts, double max_panel, RuleFor&& rule_for, Visit&& visit) {
  cuts.push_back(a);
  cuts.push_back(b);
  std::sort(cuts.begin(), cuts.end());
  for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
    const double lo = std::max(a, cuts[p]), hi = std::min(b, cuts[p + 1]);
    if (!(hi > lo)) continue;
    const int panels = std::max(1, static_cast<int>(std::ceil((hi - lo) / max_panel)));
    const double width = (hi - lo) / panels;
    const Rule& r = rule_for(width);
    for (int q = 0; q < panels; ++q) {
      const double mid = lo + (q + 0.5) * width, half = 0.5 * width;
      for (std::size_t i = 0; i < r.x.size(); ++i) visit(mid + half * r.x[i], half * r.w[i]);
    }
  }
}

// The wide rule, for integrands against high Hermite polynomials: |Z| <= 13 (beyond,
// phi(13) |He_17(13)| |z|^2 < 1e-17), 20-point Gauss–Legendre per panel of width <= 0.5 (exact to
// rounding), split at the cuts. Calls visit(z, weight) with the Gaussian density in the weight.
inline constexpr double kWideRange = 13.0;
inline constexpr double kWidePanel = 0.5;
template <class Visit>
void for_each_wide_node(std::vector<double> cuts, Visit&& visit) {
  const Rule& rule = legendre(20);
  composite(
      -kWideRange, kWideRange, std::move(cuts), kWidePanel, [&rule](double) -> const Rule& { return rule; },
      [&visit](double z, double weight) { visit(z, weight * kInvSqrt2Pi * std::exp(-0.5 * z * z)); });
}

// The cuts of h(tau .) in Z: h's breakpoints over tau.
std::vector<double> scaled_cuts(const std::vector<double>& breakpoints, double tau);

// A hyperplane {t : normal . t = level} across which an integrand may be discontinuous or kinked.
struct Hyperplane {
  std::array<double, 2> normal{0.0, 0.0};
  double level = 0.0;
};

// The nodes and weights of integrate_gaussian's rule, handed over in blocks of at most kNodeBlock, for
// callers that evaluate their integrand on many nodes at once (t1 is 0 when k < 2; k = 0 gives the
// single node t = () of weight 1). The buffers are reused: memory stays small whatever the node count.
constexpr int kNodeBlock = 512;
using NodeBlock = std::function<void(const double* t0, const double* t1, const double* weight, int count)>;
void for_each_node_block(int k, const std::vector<Hyperplane>& breaks, const NodeBlock& block);

// Adds weight * f(t) for the node t into `sums` (length n_values).
using NodeIntegrand = std::function<void(const double* t, double weight, double* sums)>;

// Computes E[f(t)] for t ~ N(0, I_k), k in {0, 1, 2}, writing n_values sums, for f smooth off
// the given hyperplanes. The square [-9, 9]^k (outside it the mass is < 1e-18) is split along the
// hyperplanes (for k = 2 as an iterated integral whose outer cuts include the lines' crossings)
// and each piece integrated by composite Gauss–Legendre, 7 to 20 points by panel width.
// Absolute accuracy ~1e-13 for integrands of polynomial growth (checked in the tests).
void integrate_gaussian(int k, const std::vector<Hyperplane>& breaks, int n_values, const NodeIntegrand& f, double* sums);

}  // namespace sqsim::numerics