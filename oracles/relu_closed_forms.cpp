#include "oracles/relu_closed_forms.hpp"

#include <cmath>
#include <numbers>

namespace oracles::closed_form {

double angle(const Vector& w, const Vector& v) {
  const double nv = v.norm();
  if (w.norm() == 0.0 || nv == 0.0) return 0.0;
  // atan2(|w_perp|, w.v^) stays accurate near 0 and pi, unlike acos of the cosine.
  const Vector v_hat = v / nv;
  const double along = w.dot(v_hat);
  return std::atan2((w - along * v_hat).norm(), along);
}

double relu_kernel(const Vector& w, const Vector& v) {
  const double t = angle(w, v);
  return w.norm() * v.norm() * (std::sin(t) + (std::numbers::pi - t) * std::cos(t)) / (2.0 * std::numbers::pi);
}

double realizable_square_loss(const Vector& w, const Vector& v) {
  return 0.5 * w.squaredNorm() + 0.5 * v.squaredNorm() - 2.0 * relu_kernel(w, v);
}

Vector relu_times_step_times_x(const Vector& w, const Vector& v) {
  const double nw = w.norm();
  if (nw == 0.0) return v / 4.0;
  const double t = angle(w, v);
  return ((std::numbers::pi - t) * v + v.norm() * std::sin(t) * (w / nw)) / (2.0 * std::numbers::pi);
}

Vector realizable_half_gradient(const Vector& w, const Vector& v) {
  // E[relu(w.x) relu'(w.x) x] = E[relu(w.x) x] = w/2 (zero at w = 0).
  return 0.5 * w - relu_times_step_times_x(w, v);
}

}  // namespace oracles::closed_form
