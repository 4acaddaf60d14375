// The reduction of Goel, Karmalkar, Klivans (NeurIPS 2019) from ReLU regression to learning
// halfspaces: for each threshold t of a grid, the thresholded labels z = sign(y - t) are (up to the
// noise) the halfspace sign(v.x - t) of the best ReLU v; under Gaussian inputs the averaging
// estimator (the Chow vector E[z x], one vector query) points along v. Each direction v^ is rescaled
// by r = clip(2 E[y relu(v^.x)], 0, r_max) -- the minimiser of the square loss along v^, since
// E[relu(v^.x)^2] = 1/2 -- and the candidate with the smallest answered square loss is kept.
//
// Guarantee: for labels with E[y | x] = relu(v.x), every t in (0, max y) gives v^ = v/|v| exactly
// (E[sign(relu(v.x) - t) x] = 2 phi(t/|v|) v/|v|) and r = |v|, so w = v up to the answers' errors. GKK
// show excess O(opt^{2/3}) for agnostic labels with a localized halfspace learner; for this averaging
// version the bound we can derive is vacuous at opt = 0.01 (labels can cross t on a set of mass up to
// 3 (phi(0)/|v|)^{2/3} opt^{1/3}, which moves the Chow vector by more than its length), so the
// label-correlation candidate 2 E[y x] is also tried (on by default): the loss selection then gives
// excess <= 8 opt + 4 sqrt(opt) tau_w + tau_w^2 + 2 tau * loss_scale, tau_w = 2 tau * scale (see
// label_correlation.hpp for |2 E[y x] - v| <= 2 sqrt(opt)).
// Asks, per threshold: one ThresholdedLabelCorrelation (vector), one ReluCorrelation and one
// SquareLoss (scalars); with the extra candidate one LabelCorrelation and one SquareLoss more. Each is
// scaled to be legal when E[y^2] <= m2 and E[y^4] <= m4.
#pragma once

#include "sqsim/sq/algorithm.hpp"

#include <vector>

namespace sqsim::algorithms {

struct ThresholdHalfspaceParams {
  double tolerance = 1e-3;
  std::vector<double> thresholds{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  double max_scale = 1.0;                   // r_max
  double label_second_moment = 1.0;         // m2 >= E[y^2]
  double label_fourth_moment = 1.5;         // m4 >= E[y^4] (1.5 for y = relu(v.x) with |v| = 1)
  bool label_correlation_candidate = true;  // also try w = 2 E[y x]
  void validate() const;
};

class ThresholdHalfspace : public sq::Algorithm {
 public:
  explicit ThresholdHalfspace(ThresholdHalfspaceParams params = {});
  std::string name() const override { return "threshold-halfspace"; }
  sq::Vector run(sq::QueryChannel& channel) override;
  // The threshold of the returned candidate; NaN when it is 2 E[y x] or when no candidate gave a direction.
  double chosen_threshold() const { return chosen_; }

 private:
  ThresholdHalfspaceParams params_;
  double chosen_ = 0.0;
};

}  // namespace sqsim::algorithms