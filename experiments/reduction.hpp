// The reduction run end to end: samples of k-sparse parity with noise, lifted into Gaussian space,
// answered by the sample oracle through the ordinary interface; any ReLU-regression learner; the
// decoder; whether S came back, with samples, queries and time.
#pragma once

#include "sqsim/lower_bounds/parity_reduction.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sqsim::experiments {

struct ReductionConfig {
  int d = 16;
  int k = 2;
  double noise = 0.0;
  double delta = 1e-4;  // the sample oracle's failure probability per query
  std::uint64_t seed = 1;
  int threads = 0;
  std::string learner = "group-testing";  // a catalogue name (run_reduction(config))
  std::optional<double> tolerance;        // of the learner's queries; none: 0.1 (1 - 2 eta)
  double learner_tolerance() const;
  void validate() const;  // ParameterError naming the family's parameters, delta, threads or tolerance
};

struct ReductionReport {
  queries::Subset hidden, decoded;
  bool recovered = false;
  std::string status;        // the learner's run status
  std::int64_t samples = 0;  // fresh noisy-parity samples drawn (each lifted once)
  std::int64_t queries = 0;
  double seconds = 0.0;
  double loss = 0.0;  // of the learner's w under the lifted parity, exact
  double gap = 0.0, optS = 0.0;
};

// The learner by name: a random start for one that has one (at w = 0 gd's gradient under the family
// is 0), the true signal 1 - 2 eta for one that assumes it; or the caller's own learner.
ReductionReport run_reduction(const ReductionConfig& config);
ReductionReport run_reduction(sq::Algorithm& learner, const ReductionConfig& config);

}  // namespace sqsim::experiments