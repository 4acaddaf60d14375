// GLMtron: projected gradient descent on the convex surrogate L(w) = E[relu(w.x)^2/2 - y (w.x)],
// whose gradient is E[(relu(w.x) - y) x] (Kakade, Kalai, Kanade, Shamir 2011; the O(opt) route of
// Diakonikolas, Goel, Karmalkar, Klivans, Soltanolkotabi, COLT 2020).
//
// Guarantee: under x ~ N(0, I) the surrogate's Hessian is E[1{w.x > 0} x xᵀ] = I/2 for every w != 0,
// so its gradient is (w - w*)/2 with w* = 2 E[y x] its minimiser, and w <- Pi_R(w - step * grad)
// from w0 = 0 converges linearly (factor |1 - step/2|; step 2 lands on w* at once). For labels with
// E[y | x] = relu(v.x), w* = v; with answers within tau * scale the limit is within 2 tau * scale of
// w*. For agnostic labels DGKKS 2020 show the surrogate's minimiser has loss O(opt).
// Asks: one SurrogateGradient vector query per step, divided by max(1, sqrt(bound)) with bound =
// queries::surrogate_gradient_second_moment_bound(w, m2) (legal when E[y^2] <= m2).
#pragma once

#include "sqsim/sq/algorithm.hpp"

#include <limits>

namespace sqsim::algorithms {

struct GlmtronParams {
  double tolerance = 1e-3;
  double step_size = 1.0;
  int max_iterations = 100;
  double radius = std::numeric_limits<double>::infinity();  // project onto |w| <= radius
  double label_second_moment = 1.0;                         // m2 >= E[y^2]
  // Stop once the answered gradient has norm <= this; 0 means twice its error bound.
  double stop_threshold = 0.0;
  void validate() const;
};

class Glmtron : public sq::Algorithm {
 public:
  explicit Glmtron(GlmtronParams params = {});
  std::string name() const override { return "glmtron"; }
  sq::Vector run(sq::QueryChannel& channel) override;
  int iterations() const { return iterations_; }

 private:
  GlmtronParams params_;
  int iterations_ = 0;
};

}  // namespace sqsim::algorithms