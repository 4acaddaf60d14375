#include "sqsim/oracles/relu_closed_forms.hpp"

#include "sqsim/sq/vector_sums.hpp"

#include <cmath>
#include <numbers>

namespace sqsim::oracles::closed_form {

namespace {
// The angle from |w|^2, |v|^2 and w.v already at hand (each a pass over d coordinates otherwise).
double angle_given_sums(const Vector& w, const Vector& v, double nw2, double nv2, double wv) {
  if (nw2 == 0.0 || nv2 == 0.0) return 0.0;
  // atan2(|w_perp|, w.v^) stays accurate near 0 and pi, unlike acos of the cosine. |w_perp|^2 =
  // |w|^2 - (w.v)^2/|v|^2 loses a few eps |w|^2 to cancellation, an error in t of ~eps/(2 sin t),
  // ~1e-15 at sin t = 0.1; nearer 0 and pi, |w - (w.v/|v|^2) v| is summed directly (one more pass).
  const double perp2 = nw2 - wv * (wv / nv2);
  const double perp = perp2 > 1e-2 * nw2 ? std::sqrt(perp2) : (w - (wv / nv2) * v).norm();
  return std::atan2(perp, wv / std::sqrt(nv2));
}
}  // namespace

double angle(const Vector& w, const Vector& v) { return angle_given_sums(w, v, w.squaredNorm(), v.squaredNorm(), w.dot(v)); }

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

Vector realizable_half_gradient(const Vector& w, const Vector& v, double divisor) {
  return realizable_half_gradient(w, v, divisor, v.squaredNorm());
}

Vector realizable_half_gradient(const Vector& w, const Vector& v, double divisor, double nv2) {
  // E[relu(w.x) relu'(w.x) x] = E[relu(w.x) x] = w/2 (zero at w = 0); written as
  // (w - v)/2 + (t v - |v| sin t w^)/(2 pi) so that it does not cancel near w = v.
  // Two passes over w: |w|^2 with w.v, then the answer.
  const sq::DotSums sums = sq::dot_sums(w, v);
  if (sums.ww == 0.0) return -v / (4.0 * divisor);
  const double t = angle_given_sums(w, v, sums.ww, nv2, sums.wv), c = 1.0 / (2.0 * std::numbers::pi);
  return sq::combine((0.5 - c * std::sqrt(nv2 / sums.ww) * std::sin(t)) / divisor, w, (c * t - 0.5) / divisor, v);
}

}  // namespace sqsim::oracles::closed_form
namespace sqsim::oracles::closed_form {
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
  return realizable_half_gradient(q.w, world.teacher(), q.scale, world.teacher_squared_norm())[q.coordinate];
}

std::optional<double> typed(const ReluWorld& world, const queries::ReluCorrelation& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return relu_kernel(q.w, world.teacher()) / q.scale;
}

std::optional<Vector> typed(const ReluWorld& world, const queries::HalfGradient& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return realizable_half_gradient(q.w, world.teacher(), q.scale, world.teacher_squared_norm());
}

std::optional<Vector> typed(const ReluWorld& world, const queries::SurrogateGradient& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return Vector((q.w - world.teacher()) / (2.0 * q.scale));  // E[relu(w.x) x] - E[relu(v.x) x]
}

std::optional<Vector> typed(const ReluWorld& world, const queries::LabelCorrelation& q) {
  if (!realizable_in_mean(world)) return std::nullopt;
  return Vector(world.teacher() / (2.0 * q.scale));  // E[relu(v.x) x] = v/2
}

}  // namespace sqsim::oracles::closed_form