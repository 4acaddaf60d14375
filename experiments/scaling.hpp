// Three measurements against the dimension d on the lifted k-parity, each with its log-log slope:
//   signal         the planted member's component of a random unit w (theory: slope -(k-1)/2), and
//                  the largest component over all members;
//   exactness      steps of exact-gradient GD from random starts until it learns S (median, heavy-tailed);
//   parity-search  queries of the exhaustive parity search to find a random S, beside C(d, k) and the SD bound.
#pragma once

#include "sqsim/experiments/progress.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sqsim::experiments {

enum class Scaling { signal, exactness, parity_search };
std::string to_string(Scaling experiment);  // signal, exactness, parity-search

struct ScalingConfig {
  Scaling experiment = Scaling::signal;
  int k = 4;
  double noise = 0.0;
  std::vector<int> dims{8, 16, 32, 64};
  int samples = 10;                    // random w (signal), starts (exactness) or subsets S (parity-search) per d
  double tolerance = 0.01;             // parity-search
  std::int64_t max_steps = 1'000'000;  // exactness: give up after this many steps
  std::uint64_t seed = 1;
  ProgressCallback progress = nullptr;  // optional: samples done of all, for exactness
  void validate() const;                // ParameterError naming dims, samples, tolerance, max-steps or the family's parameters
};

struct ScalingRow {
  int d = 0;
  double planted = 0.0, largest = 0.0;                                    // signal (largest NaN above d = 64)
  std::vector<double> steps;                                              // exactness: steps of the starts that learned, sorted
  double median_steps = 0.0;                                              // exactness: NaN when no start learned
  double mean_queries = 0.0, family_size = 0.0, query_lower_bound = 0.0;  // parity-search (bound inf when tau^2 >= beta)
};

struct ScalingReport {
  std::vector<ScalingRow> rows;
  std::vector<double> x, y;  // the measured curve (d, value) the slope is fitted on
  double slope = 0.0;        // NaN with fewer than two points
};

ScalingReport run_scaling(const ScalingConfig& config);

}  // namespace sqsim::experiments