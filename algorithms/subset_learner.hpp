// An algorithm that identifies a hidden k-subset S of the coordinates (the parity learners), so that
// an experiment can score it by what it found and size its run before starting it.
#pragma once

#include <vector>

namespace sqsim::algorithms {

class SubsetLearner {
 public:
  virtual ~SubsetLearner() = default;
  // The subset found by the last run (sorted); empty when it found none.
  virtual const std::vector<int>& found() const = 0;
  // The queries its plan asks before the first success on C(d, k) candidates (the scan's length, the
  // halving after it not counted): what an experiment compares with its query cap.
  virtual double planned_queries(int d) const = 0;
};

}  // namespace sqsim::algorithms