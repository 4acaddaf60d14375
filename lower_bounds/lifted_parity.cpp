#include "lower_bounds/lifted_parity.hpp"

#include "sq/errors.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <numbers>
#include <numeric>

namespace lower_bounds {
namespace {
const double kReluMean = 1.0 / std::sqrt(2.0 * std::numbers::pi);  // E[relu(u.x)] for |u| = 1
}

void LiftedParityParams::validate() const {
  sq::require(d >= 1, "dim", d, "must be at least 1");
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(k <= d, "k", k, "must not exceed dim = " + std::to_string(d));
  sq::require(k % 2 == 0, "k", k, "must be even: for odd k every ReLU is uncorrelated with the parity (pad with one bit)");
  sq::require(k <= kMaxParityOrder, "k", k, "must be at most 16");
  sq::require(std::isfinite(noise) && noise >= 0.0 && noise < 0.5, "noise", noise, "must lie in [0, 0.5)");
}

Vector signed_parity_direction(int d, const Subset& member) {
  Vector u = Vector::Zero(d);
  const double entry = 1.0 / std::sqrt(static_cast<double>(member.size()));
  for (int j : member) u[j] = entry;
  if (member.size() % 4 == 0) u[member.front()] = -entry;
  return u;
}

LiftedParity::LiftedParity(LiftedParityParams params) : params_(params) {
  params_.validate();
  Subset first(static_cast<std::size_t>(params_.k));
  std::iota(first.begin(), first.end(), 0);
  // The loss at |w| = r in direction u is 1/2 + r^2/2 - r (c + (1 - 2 eta) R_S(u)), c = E[relu(u.x)]:
  // the best direction maximises R_S on the sphere (the signed symmetric one), then r = min(1, a).
  facts_.rho = ParityCorrelation(signed_parity_direction(params_.k, first)).value(first);
  const double a = kReluMean + signal() * facts_.rho;
  facts_.optimal_norm = std::min(1.0, a);
  facts_.optS = 0.5 - facts_.optimal_norm * a + 0.5 * facts_.optimal_norm * facts_.optimal_norm;
  facts_.opt0 = 0.5 - 0.5 * kReluMean * kReluMean;
  facts_.gap = facts_.opt0 - facts_.optS;
}

Vector LiftedParity::optimal_w(const Subset& member) const {
  return facts_.optimal_norm * signed_parity_direction(params_.d, member);
}

double LiftedParity::reference_loss(const Vector& w) {
  // E[relu^2] - 2 E[y] E[relu] + E[y^2]
  return 0.5 * w.squaredNorm() - w.norm() * kReluMean + 0.5;
}

Vector LiftedParity::reference_half_gradient(const Vector& w) {
  // E[relu(w.x) x] - E[y] E[relu'(w.x) x] = w/2 - w^/(2 sqrt(2 pi)); zero at w = 0 (E[x] = 0).
  const double norm = w.norm();
  return norm == 0.0 ? Vector(Vector::Zero(w.size())) : Vector(0.5 * w - 0.5 * kReluMean * w / norm);
}

double LiftedParity::loss(const Vector& w, const Subset& member) const {
  if (member.empty() || w.norm() == 0.0) return reference_loss(w);
  // E_S[y relu] = E_0[y relu] + (1 - 2 eta) R_S / 2
  return reference_loss(w) - signal() * ParityCorrelation(w, member).value(member);
}

Vector LiftedParity::half_gradient(const Vector& w, const Subset& member) const {
  if (member.empty() || w.norm() == 0.0) return reference_half_gradient(w);
  return reference_half_gradient(w) - 0.5 * signal() * ParityCorrelation(w, member).gradient(member);
}

double LiftedParity::sample(boost::random::mt19937_64& engine, const Subset& member, Eigen::Ref<Vector> x) const {
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  double character = 1.0;
  for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
  for (int j : member) character *= x[j] > 0 ? 1.0 : -1.0;
  const double xi = uniform(engine) < params_.noise ? -1.0 : 1.0;
  return 0.5 * (1.0 + character * xi);
}

}  // namespace lower_bounds
