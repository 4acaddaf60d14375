// A coordinate-wise correlational search: c_i = E[y sign(x_i)] for every coordinate i (a character
// on {i}, one correlational query each), keep the `keep` largest |c_i| that exceed 2 tau, and
// return w = sqrt(2 pi) c on them (zero elsewhere).
//
// Guarantee: for labels with E[y | x] = relu(v.x), c_i = v_i / sqrt(2 pi) exactly. (With |v| = 1,
// u = v.x and x_i = v_i u + s n, s^2 = 1 - v_i^2: E[sign(x_i) | u] = erf(a u), a = v_i/(s sqrt 2),
// and integrating E[relu(u) erf(a u)] by parts gives a / (sqrt(2 pi) sqrt(1/2 + a^2)) = v_i/sqrt(2 pi);
// checked in the tests.) So w = v to within sqrt(2 pi) * 2 tau per coordinate. On the lifted sparse
// parity every c_i is 0 under every member (k >= 2): it learns nothing, which is the point of the
// correlational lower bound.
// Asks: d Character queries (correlational, |h| = 1).
#pragma once

#include "sqsim/sq/algorithm.hpp"

namespace sqsim::algorithms {

struct CoordinateCsqParams {
  double tolerance = 1e-3;
  int keep = 0;  // how many coordinates to keep (0: every coordinate whose |c_i| exceeds 2 tau)
  void validate() const;
};

class CoordinateCsq : public sq::Algorithm {
 public:
  explicit CoordinateCsq(CoordinateCsqParams params = {});
  std::string name() const override { return "coordinate-csq"; }
  sq::Vector run(sq::QueryChannel& channel) override;

 private:
  CoordinateCsqParams params_;
};

}  // namespace sqsim::algorithms