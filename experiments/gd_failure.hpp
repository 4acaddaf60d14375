// The lower-bound experiments: gradient descent failing on the hard family and succeeding on an
// easy instance, the size of the hidden signal against d, the price of exact answers, and the
// exhaustive parity search that succeeds where GD fails.
#pragma once

#include "sqsim/experiments/statistics.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/sq/harness.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sqsim::experiments {

using lower_bounds::FamilyFacts;
using lower_bounds::LiftedParity;
using lower_bounds::Subset;
using sq::Vector;

// Least-squares slope of log y against log x.
double loglog_slope(const std::vector<double>& x, const std::vector<double>& y);

// The hard-family component of GD's half-gradient query at w: |E_S[q] - E_D0[q]| = (1-2 eta)/2 |grad R_S(w)|.
double gradient_signal(const LiftedParity& family, const Vector& w, const Subset& member);

struct SignalPoint {
  int d = 0;
  double planted = 0.0;  // geometric mean over random unit w of the planted member's component (its typical size)
  double largest = 0.0;  // mean over random unit w of the largest component over all members (d <= 64)
};
std::vector<SignalPoint> signal_versus_dimension(int k, double noise, const std::vector<int>& dims, int samples, std::uint64_t seed);

struct GdFailureConfig {
  int d = 50;
  int k = 4;
  double noise = 0.0;
  double tolerance = 0.0;  // 0: the geometric mean of the hidden signal and gap/2
  std::int64_t hard_budget = 1'000'000;
  std::int64_t easy_budget = 10'000;
  std::int64_t search_budget = 1'000'000;  // the exhaustive search needs rank(S) + 1 queries: ~C(d, k)/2 for a random S
  std::uint64_t seed = 1;
  int threads = 0;
  void validate() const;
};

struct CurvePoint {
  std::int64_t queries = 0;  // scalar-equivalent spent when the iterate was reported
  double loss = 0.0;
};

struct InstanceReport {
  std::string instance;
  double opt = 0.0;
  double final_loss = 0.0;
  sq::Ledger spent;
  std::uint64_t members_exposed = 0;  // hard instance only
  std::uint64_t members_tracked = 0;
  bool members_enumerated = true;
  std::vector<CurvePoint> curve;        // loss against queries
  std::int64_t queries_to_target = -1;  // easy: first count with loss <= gap/100
  bool verdict = false;                 // the claim holds: hard = certified, easy = loss <= gap/100, search = finds S
  double certified_excess = 0.0;        // hard instance: gap - 2 tau when certified
  std::string certificate;              // hard instance: what the certificate says, or why none holds
};

struct GdFailureReport {
  FamilyFacts facts;
  double tolerance = 0.0;
  double hidden_signal = 0.0;  // the largest member deviation over GD's queries, before choosing tau
  double lower_bound = 0.0;    // statistical-dimension bound on queries at this tolerance
  double family_size = 0.0;
  Subset planted;                 // chosen among the members no answer exposed
  double max_answer_error = 0.0;  // over every answer, |answer - E_{D_S}[q]| (must be <= tau)
  InstanceReport hard, easy, search;
};

GdFailureReport run_gd_failure(const GdFailureConfig& config);

// The GD-failure experiment: GD against the adversary at tau (certificate), the same GD on a realizable
// teacher through the exact oracle with the same worst-case perturbation at the same tau, and group
// testing on the planted member (which finds S in about C(d, k) tau^2 queries).
// With the truthful exact oracle of D_S: GD steps until the loss drops below opt0 - gap/2
// (-1 if not within max_steps).
std::int64_t exact_gd_steps_to_learn(const LiftedParity& family, const Subset& member, std::uint64_t seed, std::int64_t max_steps);

// Queries the exhaustive parity search spends to find S (stopping at the first answer above 2 tau).
std::int64_t parity_search_queries(const LiftedParity& family, const Subset& member, double tolerance);

}  // namespace sqsim::experiments