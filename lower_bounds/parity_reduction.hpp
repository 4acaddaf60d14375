// The hardness reduction of GKK 2019 as a program: k-sparse parity with noise on {+-1}^d becomes a
// ReLU-regression instance under Gaussian inputs by the lift x = b (.) |g| (g ~ N(0, I_d), so
// x ~ N(0, I_d) and sign(x) = b) and y = (1 + label)/2; the lifted samples have exactly the law of the
// lifted parity D_{S, eta}. A learner that reaches excess below gap/2 must have found a w correlated
// with chi_S; the decoder reads S off as the k coordinates carrying the most weight of w (the optimal
// w for S is a multiple of the signed direction on S: all its weight sits on S).
#pragma once

#include "sqsim/queries/subsets.hpp"
#include "sqsim/sq/query.hpp"

#include "sqsim/sq/random.hpp"

namespace sqsim::lower_bounds {

struct NoisyParity {
  int d = 16;
  queries::Subset S;  // the hidden parity, sorted
  double eta = 0.0;   // P[label is flipped]
  void validate() const;
};

// One sample of k-sparse parity with noise: b uniform on {+-1}^d (written into b), returns
// label = chi_S(b) xi in {+-1} with P[xi = -1] = eta.
double draw_noisy_parity(const NoisyParity& source, sq::Engine& engine, Eigen::Ref<sq::Vector> b);

// The lift of one sample: x = b (.) |g| with fresh g ~ N(0, I_d); returns y = (1 + label)/2.
double lift(sq::Engine& engine, const Eigen::Ref<const sq::Vector>& b, double label, Eigen::Ref<sq::Vector> x);

// The k coordinates with the largest |w_i|, sorted (ties to the smaller index).
queries::Subset decode_parity(const sq::Vector& w, int k);

}  // namespace sqsim::lower_bounds