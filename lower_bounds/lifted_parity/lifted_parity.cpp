#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"

#include "sqsim/lower_bounds/lifted_parity/detail/caches.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity_exposure.hpp"

#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <numbers>
#include <numeric>
#include <sstream>

namespace sqsim::lower_bounds {
namespace {
const double kReluMean = 1.0 / std::sqrt(2.0 * std::numbers::pi);  // E[relu(u.x)] for |u| = 1
}  // namespace

void LiftedParityParams::validate() const {
  // Per direction ~600 tabulated factors per coordinate: 20000 coordinates are ~200 MB.
  sq::require(d >= 1 && d <= 20000, "dim", d, "must lie in [1, 20000]");
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(k <= d, "k", k, "must not exceed dim = " + std::to_string(d));
  sq::require(k % 2 == 0, "k", k, "must be even: for odd k every ReLU is uncorrelated with the parity (pad with one bit)");
  sq::require(k <= kMaxParityOrder, "k", k, "must be at most 16");
  sq::require(std::isfinite(noise) && noise >= 0.0 && noise < 0.5, "noise", noise, "must lie in [0, 0.5)");
}

LiftedParity::LiftedParity(LiftedParityParams params) : params_(params), caches_(std::make_unique<LiftedParityCaches>()) {
  params_.validate();
  Subset first(static_cast<std::size_t>(params_.k));
  std::iota(first.begin(), first.end(), 0);
  // The loss at |w| = r in direction u is 1/2 + r^2/2 - r (c + (1 - 2 eta) R_S(u)), c = E[relu(u.x)]:
  // the best direction maximises R_S on the sphere (the signed symmetric one), then r = min(1, a).
  facts_.rho = ParityCorrelation(queries::parity_relu_direction(params_.k, first)).value(first);
  const double a = kReluMean + signal() * facts_.rho;
  optimal_norm_ = std::min(1.0, a);
  facts_.optS = 0.5 - optimal_norm_ * a + 0.5 * optimal_norm_ * optimal_norm_;
  facts_.opt0 = 0.5 - 0.5 * kReluMean * kReluMean;
  facts_.gap = facts_.opt0 - facts_.optS;
  facts_.beta = signal() * signal();
  facts_.gamma = 0.0;
  facts_.noise = params_.noise;
}

LiftedParity::~LiftedParity() = default;

std::unique_ptr<ExposureStrategy> LiftedParity::exposure() const { return std::make_unique<LiftedParityExposure>(*this); }

const KeyBounds& LiftedParity::key_bounds(int kind) const {
  const auto gradient = static_cast<std::size_t>(kind != 0);
  std::call_once(caches_->key_bounds_once[gradient],
                 [this, gradient] { caches_->key_bounds[gradient] = std::make_unique<const KeyBounds>(params_.k, gradient == 1); });
  return *caches_->key_bounds[gradient];
}

std::string LiftedParity::description() const {
  std::ostringstream out;
  out << "lifted " << params_.k << "-parity (d = " << params_.d << ", eta = " << sq::format_number(params_.noise) << ")";
  return out.str();
}

Vector LiftedParity::optimal_w(const Subset& member) const { return optimal_norm_ * queries::parity_relu_direction(params_.d, member); }

double LiftedParity::reference_loss(const Vector& w) const {
  // E[relu^2] - 2 E[y] E[relu] + E[y^2]
  return 0.5 * w.squaredNorm() - w.norm() * kReluMean + 0.5;
}

Vector LiftedParity::reference_half_gradient(const Vector& w) {
  // E[relu(w.x) x] - E[y] E[relu'(w.x) x] = w/2 - w^/(2 sqrt(2 pi)); zero at w = 0 (E[x] = 0).
  const double norm = w.norm();
  return norm == 0.0 ? Vector(Vector::Zero(w.size())) : Vector(0.5 * w - 0.5 * kReluMean * w / norm);
}

ParityCorrelation::Parts LiftedParity::correlation(const Vector& w, const Subset& member) const {
  // Memoised at the unit direction: R_S is 1-homogeneous and its gradient 0-homogeneous, so every
  // point of a ray (all of GD's iterates under D0's answers) shares one evaluation.
  const double r = w.norm();
  if (r == 0.0) return {};
  const Vector u = w / r;
  auto at_radius = [r](ParityCorrelation::Parts parts) {
    parts.value *= r;
    parts.off_coefficient /= r;  // dR/dw_j = C(w) w_j = C(u) u_j
    return parts;
  };
  {
    const std::lock_guard lock(caches_->correlation_mutex);
    for (const auto& [direction, subset, parts] : caches_->correlations)
      if (subset == member && (direction - u).norm() <= 1e-15) return at_radius(parts);
  }
  const ParityCorrelation::Parts parts = ParityCorrelation(u, member).evaluate(member);
  const std::lock_guard lock(caches_->correlation_mutex);
  auto& memo = caches_->correlations;
  if (memo.size() >= LiftedParityCaches::kMaxCorrelations) memo.erase(memo.begin());
  memo.emplace_back(u, member, parts);
  return at_radius(parts);
}

double LiftedParity::loss(const Vector& w, const Subset& member) const {
  check_member(member);
  if (w.norm() == 0.0) return reference_loss(w);
  // E_S[y relu] = E_0[y relu] + (1 - 2 eta) R_S / 2
  return reference_loss(w) - signal() * correlation(w, member).value;
}

Vector LiftedParity::half_gradient(const Vector& w, const Subset& member) const {
  check_member(member);
  if (w.norm() == 0.0) return reference_half_gradient(w);
  const ParityCorrelation::Parts parts = correlation(w, member);
  Vector gradient = parts.off_coefficient * w;
  for (std::size_t i = 0; i < member.size(); ++i) gradient[member[i]] = parts.on_subset[i];
  return reference_half_gradient(w) - 0.5 * signal() * gradient;
}

double LiftedParity::sample(sq::Engine& engine, const Subset& member, Eigen::Ref<Vector> x) const {
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  double character = 1.0;
  for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
  for (int j : member) character *= x[j] > 0 ? 1.0 : -1.0;
  const double xi = uniform(engine) < params_.noise ? -1.0 : 1.0;
  return 0.5 * (1.0 + character * xi);
}

}  // namespace sqsim::lower_bounds