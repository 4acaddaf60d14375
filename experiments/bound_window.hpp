// Where the SQ lower bound bites (part 4 of the demo): at the tolerance where the statistical-
// dimension bound for the lifted k-parity at dimension d is about 150 queries, the bound beside
// group testing's measured counts for d from 20 up to d.
#pragma once

#include "sqsim/experiments/sq_bound.hpp"

#include <cstdint>
#include <vector>

namespace sqsim::experiments {

struct BoundWindowConfig {
  int d = 50, k = 4;
  double noise = 0.0;
  int seeds = 5;  // random planted members per d
  std::uint64_t seed = 1;
  int threads = 0;
  void validate() const;  // ParameterError naming bound-seeds, or the family's own parameters
};

struct BoundWindowReport {
  double tolerance = 0.0;            // min(0.45 (1 - 2 eta), sqrt(150 beta / (C(d, k) - 1)))
  std::vector<SqBoundPoint> points;  // one per d, group testing's measure first
};

BoundWindowReport run_bound_window(const BoundWindowConfig& config);

}  // namespace sqsim::experiments