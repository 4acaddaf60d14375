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
  // |w|^2/2 + |v|^2/2 - 2 K(w, v), rearranged as |w - v|^2/2 - |w||v| (sin t - t cos t)/pi so that
  // it does not cancel near w = v (sin t - t cos t ~ t^3/3).
  const double t = angle(w, v);
  return 0.5 * (w - v).squaredNorm() - w.norm() * v.norm() * (std::sin(t) - t * std::cos(t)) / std::numbers::pi;
}

Vector relu_times_step_times_x(const Vector& w, const Vector& v) {
  const double nw = w.norm();
  if (nw == 0.0) return v / 4.0;
  const double t = angle(w, v);
  return ((std::numbers::pi - t) * v + v.norm() * std::sin(t) * (w / nw)) / (2.0 * std::numbers::pi);
}

Vector realizable_half_gradient(const Vector& w, const Vector& v) {
  // E[relu(w.x) relu'(w.x) x] = E[relu(w.x) x] = w/2 (zero at w = 0); written as
  // (w - v)/2 + (t v - |v| sin t w^)/(2 pi) so that it does not cancel near w = v.
  const double nw = w.norm();
  if (nw == 0.0) return -v / 4.0;
  const double t = angle(w, v);
  return 0.5 * (w - v) + (t * v - v.norm() * std::sin(t) * (w / nw)) / (2.0 * std::numbers::pi);
}

}  // namespace oracles::closed_form

namespace oracles::closed_form {
namespace {
// E[y | x] = relu(v.x): the closed forms of DESIGN.md apply.
bool realizable_in_mean(const ReluWorld& world) {
  return world.label_model() == LabelModel::relu || world.label_model() == LabelModel::noisy_relu;
}
}  // namespace

std::optional<double> typed(const ReluWorld& world, const queries::SquareLoss& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  const double noise_variance = world.label_model() == LabelModel::noisy_relu ? world.noise() * world.noise() : 0.0;
  return (realizable_square_loss(q.w, world.teacher()) + noise_variance) / q.scale;
}

std::optional<double> typed(const ReluWorld& world, const queries::HalfGradientCoordinate& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return realizable_half_gradient(q.w, world.teacher())[q.coordinate] / q.scale;
}

std::optional<double> typed(const ReluWorld& world, const queries::ReluCorrelation& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return relu_kernel(q.w, world.teacher()) / q.scale;
}

std::optional<Vector> typed(const ReluWorld& world, const queries::HalfGradient& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return Vector(realizable_half_gradient(q.w, world.teacher()) / q.scale);
}

std::optional<Vector> typed(const ReluWorld& world, const queries::SurrogateGradient& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return Vector((q.w - world.teacher()) / (2.0 * q.scale));  // E[relu(w.x) x] - E[relu(v.x) x]
}

std::optional<Vector> typed(const ReluWorld& world, const queries::LabelCorrelation& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return Vector(world.teacher() / (2.0 * q.scale));  // E[relu(v.x) x] = v/2
}

}  // namespace oracles::closed_form
