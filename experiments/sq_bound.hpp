// The optimal SQ learner beside the lower bound: for each (d, tau), the statistical-dimension bound on
// queries for the lifted k-parity, and the measured query counts of group testing (l2 and STAT
// queries) and the exhaustive parity search, against the adversary (queries until at most one member
// is consistent: never below the bound) and against a random planted member (mean over seeds with a
// 95 % interval).
#pragma once

#include "sqsim/experiments/progress.hpp"

#include "sqsim/experiments/statistics.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sqsim::experiments {

struct SqBoundConfig {
  int k = 4;
  std::vector<int> dims{20, 40, 80};
  std::vector<double> tolerances{0.02, 0.01};
  double noise = 0.0;
  int seeds = 10;
  std::uint64_t seed = 1;
  std::uint64_t max_queries = 20'000'000;  // an algorithm whose count would exceed this is skipped (said so)
  std::vector<std::string> algorithms{"group-testing", "group-testing-stat", "parity-search"};
  int threads = 0;
  ProgressCallback progress = nullptr;  // optional: (d, tau) points done
  void validate() const;
};

struct SqBoundMeasure {
  std::string algorithm;                              // group-testing, group-testing-stat, parity-search
  bool run = false;                                   // false: skipped (its expected count exceeds max_queries)
  double adversary_queries = 0.0;                     // queries until at most one member was consistent
  Interval planted;                                   // queries to finish against a random planted member
  double ratio_adversary = 0.0, ratio_planted = 0.0;  // measured / bound
  bool found_all = true;                              // every planted member was found
};

struct SqBoundPoint {
  int d = 0;
  double tolerance = 0.0;
  double family_size = 0.0;
  double bound = 0.0;  // ceil((C - 1)/e), e = largest count one query may expose
  std::vector<SqBoundMeasure> measures;
};

std::vector<SqBoundPoint> run_sq_bound(const SqBoundConfig& config);

}  // namespace sqsim::experiments