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

// The nodes and weights of the rule below, handed over in blocks of at most kNodeBlock, for callers
// that evaluate their integrand on many nodes at once (t1 is 0 when k < 2; k = 0 gives the single
// node t = () of weight 1). The buffers are reused: memory stays small whatever the node count.
constexpr int kNodeBlock = 512;
using NodeBlock = std::function<void(const double* t0, const double* t1, const double* weight, int count)>;
void for_each_node_block(int k, const std::vector<Hyperplane>& breaks, const NodeBlock& block);

// Adds weight * f(t) for the node t into `sums` (length n_values).
using NodeIntegrand = std::function<void(const double* t, double weight, double* sums)>;

// Computes E[f(t)] for t ~ N(0, I_k), k in {0, 1, 2}, writing n_values sums, for f smooth off
// the given hyperplanes. The square [-9, 9]^k (outside it the mass is < 1e-18) is split along the
// hyperplanes (for k = 2 as an iterated integral whose outer cuts include the lines' crossings)
// and each piece integrated by composite Gauss–Legendre, 7 to 20 points by panel width (Boost.Math's nodes).
// Absolute accuracy ~1e-13 for integrands of polynomial growth (checked in the tests).
void integrate_gaussian(int k, const std::vector<Hyperplane>& breaks, int n_values, const NodeIntegrand& f,
                        double* sums);

}  // namespace oracles
