#include "sqsim/lower_bounds/lifted_parity/key_bounds.hpp"

#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::lower_bounds {

double threshold_rho(const std::function<double(double)>& bound, double tolerance) {
  if (!(bound(1.0) > tolerance)) return 2.0;
  double lo = 0.0, hi = 1.0;
  if (bound(0.0) > tolerance) return 0.0;
  for (int i = 0; i < 50 && hi - lo > 1e-15; ++i) {  // 2^-50: the threshold stays valid (bound(lo) <= tolerance) either way
    const double mid = 0.5 * (lo + hi);
    (bound(mid) > tolerance ? hi : lo) = mid;
  }
  return lo;  // bound(lo) <= tolerance: members strictly below lo cannot be exposed
}

RhoBounds RhoBounds::of(std::shared_ptr<const ParityRidge> ridge, double norm, int k, double factor, bool linear) {
  // First the simple bound (Hermite levels up to k only: cheap); the level-by-level one only when
  // the simple one lets the heaviest member through.
  RhoBounds bounds;
  if (linear) {
    bounds.simple = [a = factor * ridge->tail(norm, k - 1), k](double rho) { return a * ParityRidge::vector_bound_factor(k, rho); };
    bounds.sharp = [ridge, norm, k, factor]() -> std::function<double(double)> {
      return [factor, b = ridge->vector_bound(norm, k)](double rho) { return factor * b(rho); };
    };
  } else {
    bounds.simple = [a = factor * ridge->tail_even(norm, k), k](double rho) { return a * std::pow(rho, 0.5 * k); };
    bounds.sharp = [ridge, norm, k, factor]() -> std::function<double(double)> {
      return [factor, b = ridge->scalar_bound(norm, k)](double rho) { return factor * b(rho); };
    };
  }
  return bounds;
}

KeyBounds::KeyBounds(int k, bool gradient) : gradient_(gradient) {
  auto h = gradient ? std::function<double(double)>([](double z) { return z > 0.0 ? 1.0 : 0.0; })
                    : std::function<double(double)>([](double z) { return z > 0.0 ? z : 0.0; });
  auto ridge = std::make_shared<const ParityRidge>(std::move(h), std::vector<double>{}, 1.0, std::min(k + 1, kMaxParityOrder + 1));
  const RhoBounds of_rho = RhoBounds::of(ridge, 1.0, k, 1.0, gradient);
  simple_ = of_rho.simple;
  sharp_ = of_rho.sharp();
  series_ = std::make_unique<const ParityRidge::Series>(*ridge, 1.0, k);
}

double KeyBounds::threshold(bool sharp_one, double factor, double tolerance) const {
  const std::lock_guard lock(mutex_);
  for (const auto& t : thresholds_)
    if (t.sharp == sharp_one && t.factor == factor && t.tolerance == tolerance) return t.rho;
  const auto& of = sharp_one ? sharp_ : simple_;
  const double rho = threshold_rho([&of, factor](double r) { return factor * of(r); }, tolerance);
  if (thresholds_.size() >= 16) thresholds_.erase(thresholds_.begin());
  thresholds_.push_back({sharp_one, factor, tolerance, rho});
  return rho;
}

double KeyBounds::member_bound(const Vector& u, std::span<const int> S) const {
  return gradient_ ? series_->vector_bound(u, S) : series_->scalar_bound(u, S);
}

double KeyBounds::member_bound(const Vector& u, std::span<const int> S, double floor) const {
  return gradient_ ? series_->vector_bound(u, S, floor) : series_->scalar_bound(u, S);
}

}  // namespace sqsim::lower_bounds