// The label-correlation estimator w = 2 E[y x], asked as one vector query.
//
// Guarantee: for x ~ N(0, I) and labels with E[y | x] = relu(v.x), E[y x] = E[relu(v.x) x] = v/2,
// so |w - v| <= 2 tau * scale. For any labels, 2 E[y x] = v + 2 E[(y - relu(v.x)) x] and
// |E[xi x]| <= sqrt(E[xi^2]) (Bessel), so |w - v| <= 2 sqrt(opt) + 2 tau * scale for the best v.
// Asks: one LabelCorrelation query, divided by scale = max(1, sqrt(m2)) (legal when E[y^2] <= m2).
#pragma once

#include "sqsim/sq/algorithm.hpp"

namespace sqsim::algorithms {

struct LabelCorrelationParams {
  double tolerance = 1e-3;
  double label_second_moment = 1.0;  // m2 >= E[y^2]
  void validate() const;
};

class LabelCorrelation : public sq::Algorithm {
 public:
  explicit LabelCorrelation(LabelCorrelationParams params = {});
  std::string name() const override { return "label-correlation"; }
  sq::Vector run(sq::QueryChannel& channel) override;

 private:
  LabelCorrelationParams params_;
};

}  // namespace sqsim::algorithms