// Exhaustive SQ parity search: one correlational query y * chi_T(sign x) per candidate T, |T| = k,
// in colexicographic order. On the lifted parity D_S the answer is (1 - 2 eta)/2 for T = S and 0
// otherwise, so an answer above 2 tau names S (when tau < (1 - 2 eta)/4). It returns the ReLU
// w = (1/sqrt(2 pi)) u_T on the found subset (u_T = queries::parity_relu_direction), which beats
// every w that ignores S. Asks: up to C(d, k) Character queries.
#pragma once

#include "sqsim/algorithms/subset_learner.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <vector>

namespace sqsim::algorithms {

struct ParitySearchParams {
  int k = 4;
  double tolerance = 0.05;
  bool stop_at_first = true;  // stop at the first candidate whose answer exceeds 2 tau
  void validate() const;
};

class ParitySearch : public sq::Algorithm, public SubsetLearner {
 public:
  explicit ParitySearch(ParitySearchParams params);
  std::string name() const override { return "parity-search"; }
  sq::Vector run(sq::QueryChannel& channel) override;
  const std::vector<int>& found() const override { return found_; }  // empty if no answer exceeded 2 tau
  double planned_queries(int d) const override;                      // C(d, k): one query per candidate

 private:
  ParitySearchParams params_;
  std::vector<int> found_;
};

}  // namespace sqsim::algorithms