#include "sqsim/oracles/reference_moments.hpp"

#include "sqsim/sq/vector_sums.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace sqsim::oracles {

double positive_gaussian_moment(int j, double r) {
  // E[z^j 1{z > 0}] for z ~ N(0, 1), tabulated for the small j the typed queries use (each is two
  // pow and a tgamma otherwise, several per query).
  static const std::array<double, 9> standard = [] {
    std::array<double, 9> c{};
    for (int i = 0; i < 9; ++i)
      c[static_cast<std::size_t>(i)] = std::pow(2.0, 0.5 * i - 1.0) * std::tgamma(0.5 * (i + 1)) / std::sqrt(std::numbers::pi);
    return c;
  }();
  if (j >= 0 && j < 9) {
    double power = 1.0;
    for (int i = 0; i < j; ++i) power *= r;
    return power * standard[static_cast<std::size_t>(j)];
  }
  return std::pow(r, j) * std::pow(2.0, 0.5 * j - 1.0) * std::tgamma(0.5 * (j + 1)) / std::sqrt(std::numbers::pi);
}

namespace reference {
namespace {

using sq::Vector;

// E[f(z) x_i^2] from E[f z^2] and E[f] (x_i = (w_i / r^2) z + independent noise).
double along(double wi2, double r, double f_z2, double f) { return wi2 / (r * r) * (f_z2 / (r * r)) + (1.0 - wi2 / (r * r)) * f; }

// max over i of along(w_i^2) (r = |w|): linear in w_i^2, so at the largest or the smallest.
double largest_along(const sq::SquareRange& w2, double r, double f_z2, double f) {
  return std::max(along(w2.largest, r, f_z2, f), along(w2.smallest, r, f_z2, f));
}

double P(int j, double r) { return positive_gaussian_moment(j, r); }

double above(double threshold, double r) {
  if (r == 0.0) return 0.0 > threshold ? 1.0 : 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::normal(), threshold / r));
}

// E[(relu(z) - y)^2 1{z > 0} x_i^2] for r > 0: f = (z^2 - 2 m1 z + m2) 1{z > 0}.
double half_gradient_second(const LabelMoments& y, const Vector& w, std::optional<Eigen::Index> i) {
  const sq::SquareRange w2 = i ? sq::SquareRange{w.squaredNorm(), 0.0, 0.0} : sq::square_range(w);  // one pass
  const double r = std::sqrt(w2.sum);
  if (r == 0.0) return y.m2 / 4.0;  // relu'(0) = 1/2: q = -y x_i / 2
  const double f_z2 = P(4, r) - 2 * y.m1 * P(3, r) + y.m2 * P(2, r), f = P(2, r) - 2 * y.m1 * P(1, r) + y.m2 * 0.5;
  return i ? along(w[*i] * w[*i], r, f_z2, f) : largest_along(w2, r, f_z2, f);
}

Vector half_gradient_mean(const LabelMoments& y, const Vector& w) {
  const double r = w.norm();
  if (r == 0.0) return Vector::Zero(w.size());                          // -E[y] E[x] / 2
  return 0.5 * w - y.m1 * w / (r * std::sqrt(2.0 * std::numbers::pi));  // E[relu x] - E[y] E[1{z > 0} x]
}

}  // namespace

double mean(const LabelMoments& y, const queries::SquareLoss& q) {
  const double r = q.w.norm();
  return (P(2, r) - 2 * y.m1 * P(1, r) + y.m2) / q.scale;
}

double mean(const LabelMoments& y, const queries::HalfGradientCoordinate& q) { return half_gradient_mean(y, q.w)[q.coordinate] / q.scale; }
double mean(const LabelMoments& y, const queries::ReluCorrelation& q) { return y.m1 * P(1, q.w.norm()) / q.scale; }
double mean(const LabelMoments& y, const queries::ThresholdCorrelation& q) { return y.m1 * above(q.threshold, q.w.norm()) / q.scale; }
Vector mean(const LabelMoments& y, const queries::HalfGradient& q) { return half_gradient_mean(y, q.w) / q.scale; }
Vector mean(const LabelMoments&, const queries::SurrogateGradient& q) { return 0.5 * q.w / q.scale; }  // E[relu x] - E[y] E[x]
Vector mean(const LabelMoments&, const queries::LabelCorrelation& q) { return Vector::Zero(q.dimension); }

std::optional<double> second(const LabelMoments& y, const queries::SquareLoss& q) {
  if (!y.m3 || !y.m4) return std::nullopt;
  const double r = q.w.norm();
  // E[(relu - y)^4] = P4 - 4 P3 m1 + 6 P2 m2 - 4 P1 m3 + m4
  return (P(4, r) - 4 * P(3, r) * y.m1 + 6 * P(2, r) * y.m2 - 4 * P(1, r) * *y.m3 + *y.m4) / (q.scale * q.scale);
}

double second(const LabelMoments& y, const queries::HalfGradientCoordinate& q) {
  return half_gradient_second(y, q.w, q.coordinate) / (q.scale * q.scale);
}
double second(const LabelMoments& y, const queries::ReluCorrelation& q) { return y.m2 * P(2, q.w.norm()) / (q.scale * q.scale); }
double second(const LabelMoments& y, const queries::ThresholdCorrelation& q) {
  return y.m2 * above(q.threshold, q.w.norm()) / (q.scale * q.scale);
}
double second(const LabelMoments& y, const queries::HalfGradient& q) {
  return half_gradient_second(y, q.w, std::nullopt) / (q.scale * q.scale);
}

double second(const LabelMoments& y, const queries::SurrogateGradient& q) {
  const sq::SquareRange w2 = sq::square_range(q.w);
  const double r = std::sqrt(w2.sum);
  if (r == 0.0) return y.m2 / (q.scale * q.scale);
  // (relu - y)^2 = relu^2 - 2 relu y + y^2
  const double f_z2 = P(4, r) - 2 * y.m1 * P(3, r) + y.m2 * r * r, f = P(2, r) - 2 * y.m1 * P(1, r) + y.m2;
  return largest_along(w2, r, f_z2, f) / (q.scale * q.scale);
}

double second(const LabelMoments& y, const queries::LabelCorrelation& q) { return y.m2 / (q.scale * q.scale); }
double second(const LabelMoments&, const queries::ThresholdedLabelCorrelation& q) { return 1.0 / (q.scale * q.scale); }
Vector mean(const LabelMoments&, const queries::ThresholdedLabelCorrelation& q) { return Vector::Zero(q.dimension); }  // E[sign] E[x]

}  // namespace reference
}  // namespace sqsim::oracles