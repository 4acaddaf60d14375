// Group testing for a hidden k-sparse parity with character-sum queries: the SQ learner that meets
// the statistical-dimension lower bound up to a constant (DESIGN.md, "Character sums").
//
// A query q_A = (2y - 1) sum_{T in A} chi_T(sign x) / N answers (1 - 2 eta)[S in A]/N under D_S and 0
// under D0. With answers within tau, "S is in A" is decided by answer > s/(2N) (s = `signal`, a lower
// bound on 1 - 2 eta), correct whenever s/N > 2 tau. So groups can hold
//   l2 (N = sqrt|A|, bounded norm):  |A| < s^2 / (4 tau^2) members,
//   stat (N = |A|, |q| <= 1):        |A| < s / (2 tau) members.
// It scans the k-subsets in colex order in groups of that size and, at the first positive group,
// halves it down to one member (log2 |A| more queries): about rank(S)/|A| + log2 |A| queries, and
// C(d, k)/|A| when no group answers (an adversary answering D0's values). The statistical-dimension
// bound is about C(d, k) tau^2 / s^2 for l2 queries: the count is within a factor ~4 of it; with STAT
// queries it grows like C(d, k) tau — the gap between the two query models. Having found S it fits the
// ReLU w = r u_S (u_S = queries::parity_relu_direction) with r = clip(2 E[y relu(u_S.x)], 0, 1), the
// minimiser of the square loss along u_S (one relu-correlation query).
// Asks: character-sum queries (l2 or stat), then one relu-correlation query.
#pragma once

#include "sqsim/algorithms/subset_learner.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <cstdint>
#include <vector>

namespace sqsim::algorithms {

enum class GroupQueries { l2, stat };

struct GroupTestingParams {
  int k = 4;
  double tolerance = 0.01;
  double signal = 1.0;  // s: a lower bound on 1 - 2 eta
  GroupQueries queries = GroupQueries::l2;
  void validate() const;  // also: tolerance < signal / 2, else no group (not even one member) can be decided
};

class GroupTesting : public sq::Algorithm, public SubsetLearner {
 public:
  explicit GroupTesting(GroupTestingParams params);
  std::string name() const override { return params_.queries == GroupQueries::l2 ? "group-testing" : "group-testing-stat"; }
  sq::Vector run(sq::QueryChannel& channel) override;
  const std::vector<int>& found() const override { return found_; }  // empty when no group answered
  double planned_queries(int d) const override;                      // C(d, k) / group_size(d): one query per group
  std::uint64_t group_size(int d) const;

 private:
  GroupTestingParams params_;
  std::vector<int> found_;
};

}  // namespace sqsim::algorithms