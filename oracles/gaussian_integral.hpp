// Integrals of piecewise-smooth functions against the standard Gaussian in one or two dimensions.
// Used by the exact oracle after it has reduced a ridge query to the few directions it depends on.
#pragma once

#include <array>
#include <functional>
#include <vector>

namespace oracles {

// A hyperplane {t : normal . t = level} across which the integrand may be discontinuous or kinked.
struct Hyperplane {
  std::array<double, 2> normal{0.0, 0.0};
  double level = 0.0;
};

// Adds weight * f(t) for the node t into `sums` (length n_values).
using NodeIntegrand = std::function<void(const double* t, double weight, double* sums)>;

// Computes E[f(t)] for t ~ N(0, I_k), k in {0, 1, 2}, writing n_values sums, for f smooth off
// the given hyperplanes. The square [-9, 9]^k (outside it the mass is < 1e-18) is split along the
// hyperplanes (for k = 2 as an iterated integral whose outer cuts include the lines' crossings)
// and each piece integrated by composite 30-point Gauss–Legendre (Boost.Math's nodes).
// Absolute accuracy ~1e-13 for integrands of polynomial growth (checked in the tests).
void integrate_gaussian(int k, const std::vector<Hyperplane>& breaks, int n_values, const NodeIntegrand& f,
                        double* sums);

}  // namespace oracles
