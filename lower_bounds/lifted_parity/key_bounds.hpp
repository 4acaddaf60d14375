// Bounds on a lifted-parity member's deviation by rho_S = sum_{j in S} u_j^2 (parity_ridge.hpp
// derives them), for one-direction queries: what lets the exposure scan (pruned_scan.hpp) and the
// correlation maxima (LiftedParity::largest_correlations) skip every member below a threshold.
// Internal to the lifted parity; not installed.
#pragma once

#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace sqsim::lower_bounds {

// The smallest rho at which bound(rho) exceeds the tolerance (bound increasing in rho; 2 if never):
// members strictly below it cannot be exposed.
double threshold_rho(const std::function<double(double)>& bound, double tolerance);

// Bounds on a member's deviation by rho_S, increasing in rho: `simple` (Hermite levels up to k, cheap)
// and `sharp` (level by level), built only when the simple one lets the heaviest member through.
struct RhoBounds {
  std::function<double(double)> simple;
  std::function<std::function<double(double)>()> sharp;
  // Optional: the smallest rho at which simple (sharp) exceeds a tolerance, from a memo; else bisected.
  std::function<double(bool sharp, double tolerance)> threshold;
  // factor times the bounds of ParityRidge at |w| = norm: scalar (tail_even, scalar_bound) or, when
  // linear, vector (tail, vector_bound).
  static RhoBounds of(std::shared_ptr<const ParityRidge> ridge, double norm, int k, double factor, bool linear);
};

// |R_S(u)| = |E[relu(u.x) chi_S]| (value) or |grad R_S(u)| = |E[1{u.x > 0} x chi_S]| (gradient) at
// |u| = 1, bounded by rho_S and per member: ParityRidge's bounds for h = relu and h = step, whatever
// the ray and the query's scale. Built once per family and kind; thread-safe.
class KeyBounds {
 public:
  KeyBounds(int k, bool gradient);
  bool gradient() const { return gradient_; }
  double simple(double rho) const { return simple_(rho); }
  double sharp(double rho) const { return sharp_(rho); }
  double member_bound(const Vector& u, std::span<const int> S) const;
  // member_bound, or a value in [member_bound, floor] found more cheaply (Series::vector_bound's floor).
  double member_bound(const Vector& u, std::span<const int> S, double floor) const;
  // threshold_rho of factor * simple (sharp), memoised: the same bisection, once per (factor, tolerance).
  double threshold(bool sharp, double factor, double tolerance) const;

 private:
  struct Threshold {
    bool sharp = false;
    double factor = 0.0, tolerance = 0.0, rho = 0.0;
  };
  bool gradient_ = false;
  std::function<double(double)> simple_, sharp_;
  std::unique_ptr<const ParityRidge::Series> series_;
  mutable std::mutex mutex_;
  mutable std::vector<Threshold> thresholds_;
};

}  // namespace sqsim::lower_bounds