// The time/accuracy tradeoff of GKK 2019 as a measured curve. For a target excess eps, the hardest
// lifted parity that still separates it is the largest even k with gap_k > 2 eps; at tolerance
// tau = (gap_k - eps)/2, an SQ learner whose answers never exposed the planted member ends with loss
// >= optS + gap_k - 2 tau = optS + eps (the certificate of run_hard_instance), so reaching excess
// < eps needs at least the statistical-dimension bound ~ C(d, k) tau^2 queries: d^{Theta(k)} with
// k = Theta(log 1/eps). For each (eps, d): k, tau, the bound, group testing's measured queries
// (against the adversary, and against random planted members), and GD's certified outcome. Per eps,
// the exponent of queries in d is fitted with a 95 % interval.
#pragma once

#include "sqsim/experiments/progress.hpp"

#include "sqsim/experiments/statistics.hpp"

#include <cstdint>
#include <vector>

namespace sqsim::experiments {

struct TradeoffConfig {
  std::vector<double> epsilons{0.03, 0.003, 0.0008};
  std::vector<int> dims{40, 60, 80, 100};
  double noise = 0.0;
  int seeds = 3;                  // random planted members per point (group testing)
  std::int64_t gd_budget = 2000;  // GD's scalar-equivalent budget on each hard instance
  std::uint64_t seed = 1;
  int threads = 0;
  ProgressCallback progress = nullptr;  // optional: (eps, d) points done
  void validate() const;
};

struct TradeoffPoint {
  double epsilon = 0.0;
  int k = 0;  // 0: no even k <= 16 separates eps (gap_k > 2 eps fails for every k)
  double gap = 0.0, tolerance = 0.0;
  int d = 0;
  double family_size = 0.0, bound = 0.0;
  double adversary_queries = 0.0;  // group testing, until at most one member is consistent
  Interval planted;                // group testing against random planted members
  bool gd_certified = false;       // GD's loss >= optS + eps certified
  double gd_excess = 0.0;          // GD's exact excess over optS under the planted member
  bool gd_subfamily = false;       // the adversary tracked a seeded sub-family (statements are about it)
};

struct TradeoffFit {
  double epsilon = 0.0;
  int k = 0;
  Interval bound_exponent, measured_exponent;  // slopes of log(queries) against log d
};

struct TradeoffReport {
  std::vector<TradeoffPoint> points;
  std::vector<TradeoffFit> fits;
};

TradeoffReport run_tradeoff(const TradeoffConfig& config);

// gap_k of the lifted parity at noise eta, for even k in [2, 16] (the same for every d >= k).
double parity_gap(int k, double noise);

}  // namespace sqsim::experiments