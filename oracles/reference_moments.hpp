// Closed forms under a reference distribution D0 in which x ~ N(0, I_d) and the label y is
// independent of x with given moments m_j = E[y^j]: the mean E_D0[q] and the declared L2 norm
// E_D0[q^2] (vector queries: the largest coordinate) of every typed ReLU-regression query. The exact
// oracle of a Gaussian ReLU world (D0: y with the world's label marginal) and the lifted parity
// (y ~ Bernoulli(1/2)) both check their queries' bounds with these, in O(d), exactly.
//
// Derivation (one line each in the .cpp): z = w.x ~ N(0, r^2), P_j = E[z^j 1{z > 0}] =
// r^j 2^{j/2 - 1} Gamma((j + 1)/2) / sqrt(pi); x_i = (w_i / r^2) z + n_i with n_i independent of z
// and Var n_i = 1 - w_i^2 / r^2, so E[f(z) x_i^2] = (w_i^2 / r^4) E[f z^2] + (1 - w_i^2 / r^2) E[f],
// linear in w_i^2: its maximum over i is at the largest or the smallest w_i^2.
#pragma once

#include "sqsim/queries/relu_regression.hpp"

#include <optional>

namespace sqsim::oracles {

struct LabelMoments {
  double m1 = 0.0, m2 = 0.0;     // E[y], E[y^2]
  std::optional<double> m3, m4;  // E[y^3], E[y^4] (the square loss's second moment needs them)
};

// E[z^j 1{z > 0}] for z ~ N(0, r^2).
double positive_gaussian_moment(int j, double r);

namespace reference {

double mean(const LabelMoments& y, const queries::SquareLoss& q);
double mean(const LabelMoments& y, const queries::HalfGradientCoordinate& q);
double mean(const LabelMoments& y, const queries::ReluCorrelation& q);
double mean(const LabelMoments& y, const queries::ThresholdCorrelation& q);
sq::Vector mean(const LabelMoments& y, const queries::HalfGradient& q);
sq::Vector mean(const LabelMoments& y, const queries::SurrogateGradient& q);
sq::Vector mean(const LabelMoments& y, const queries::LabelCorrelation& q);
sq::Vector mean(const LabelMoments& y, const queries::ThresholdedLabelCorrelation& q);

// std::nullopt where the moments needed are not known (the square loss without m3, m4).
std::optional<double> second(const LabelMoments& y, const queries::SquareLoss& q);
double second(const LabelMoments& y, const queries::HalfGradientCoordinate& q);
double second(const LabelMoments& y, const queries::ReluCorrelation& q);
double second(const LabelMoments& y, const queries::ThresholdCorrelation& q);
double second(const LabelMoments& y, const queries::HalfGradient& q);
double second(const LabelMoments& y, const queries::SurrogateGradient& q);
double second(const LabelMoments& y, const queries::LabelCorrelation& q);
double second(const LabelMoments& y, const queries::ThresholdedLabelCorrelation& q);

}  // namespace reference
}  // namespace sqsim::oracles