// Isotron (Kalai and Sastry, COLT 2009; the prior work the seed builds on), as an SQ algorithm: a
// single-index model E[y | x] = u(w.x) with u nondecreasing, learned by alternating
//   the link:  u <- the isotonic (pool-adjacent-violators) fit of the label's mean in `bins` bins of
//              w.x of equal Gaussian mass, the bins' masses from threshold queries E[y 1{w.x > t}];
//   the index: w <- w + E[(y - u(w.x)) x], one vector ridge query (g a step function of w.x).
// from w = E[y x] (Isotron's first step from w = 0). ReLU regression wants a ReLU, so after every
// step the direction w^ = w/|w| is rescaled to r = 2 E[y relu(w^.x)] (the square loss's minimiser
// along w^, as E[relu(w^.x)^2] = 1/2) and the candidate r w^ with the smallest answered square loss
// is returned.
//
// Guarantee: Kalai and Sastry bound the excess of the learned SIM u(w.x) for labels E[y | x] = u*(w*.x),
// u* monotone and 1-Lipschitz, |w*| <= W: after O((W/eps)^2) steps, on average over the steps, with
// exact means. Here the means come within tau (a bin's conditional mean within 2 tau * scale * bins)
// and the link is a step function of `bins` levels, so its resolution limits what the SIM reaches; for
// E[y | x] = relu(v.x) the first direction is already v/|v| (E[relu(v.x) x] = v/2) and the rescaling
// gives v. For agnostic labels Isotron itself has no guarantee; the first candidate is 2 E[y x]'s ray at
// its best length, so the loss selection keeps excess <= 8 opt + O(sqrt(opt) tau) + 2 tau * loss_scale
// (the label-correlation bound, label_correlation.hpp).
// Asks: one LabelCorrelation and one label-mean ridge query E[y] once; per step bins - 1
// ThresholdCorrelation (the link), one ridge-times-x vector query (the update), and one ReluCorrelation
// and one SquareLoss per candidate. Each is scaled to be legal when E[y^2] <= m2 and y, u in [0, 1].
#pragma once

#include "sqsim/sq/algorithm.hpp"

#include <vector>

namespace sqsim::algorithms {

struct IsotronParams {
  double tolerance = 1e-3;
  int bins = 12;                     // levels of the link estimate
  int max_iterations = 20;           // Isotron steps
  double label_second_moment = 1.0;  // m2 >= E[y^2]
  double label_fourth_moment = 1.0;  // m4 >= E[y^4] (the square-loss query's scale)
  void validate() const;
};

// The weighted least-squares nondecreasing fit to `values` (pool adjacent violators); weights > 0.
std::vector<double> isotonic_fit(const std::vector<double>& values, const std::vector<double>& weights);

class Isotron : public sq::Algorithm {
 public:
  explicit Isotron(IsotronParams params = {});
  std::string name() const override { return "isotron"; }
  sq::Vector run(sq::QueryChannel& channel) override;
  int iterations() const { return iterations_; }  // Isotron steps asked (update queries)

 private:
  IsotronParams params_;
  int iterations_ = 0;
};

}  // namespace sqsim::algorithms
