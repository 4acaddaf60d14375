#include "sqsim/queries/relu_regression.hpp"

#include "sqsim/sq/errors.hpp"

#include <cmath>

namespace sqsim::queries {
namespace {

void check_point(const Vector& w, double scale) {
  sq::require(w.size() >= 1, "dimension of w", w.size(), "must be at least 1");
  sq::require(sq::all_finite(w), "w", "(non-finite entry)", "must be finite");
  sq::require(std::isfinite(scale) && scale > 0.0, "query scale", scale, "must be a finite number > 0");
}

// A ridge form along the single direction w whose g(z, y) = f(z[0], y) / scale: the point form and
// the batch form (one inlined loop over a block, no call per point) come from the same f.
template <class F>
sq::RidgeForm along(const Vector& w, double scale, F f, std::vector<sq::Breakpoint> breakpoints = {}) {
  sq::RidgeForm form;
  form.W = sq::Matrix(w);
  form.g = [f, scale](const Vector& z, double y) { return f(z[0], y) / scale; };
  form.g_batch = [f, scale](const Eigen::Ref<const sq::Matrix>& Z, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> out) {
    for (Eigen::Index j = 0; j < Z.cols(); ++j) out[j] = f(Z(0, j), y[j]) / scale;
  };
  form.breakpoints = std::move(breakpoints);
  return form;
}

}  // namespace

void SquareLoss::validate() const { check_point(w, scale); }
sq::RidgeForm SquareLoss::ridge() const {
  return along(w, scale, [](double z, double y) {
    const double r = relu(z) - y;
    return r * r;
  });
}

void HalfGradient::validate() const { check_point(w, scale); }
sq::RidgeForm HalfGradient::ridge() const {
  return along(w, scale, [](double z, double y) { return (relu(z) - y) * relu_derivative(z); });
}

void HalfGradientCoordinate::validate() const {
  check_point(w, scale);
  sq::require(coordinate >= 0 && coordinate < w.size(), "coordinate", coordinate, "must lie in [0, d)");
}
sq::RidgeForm HalfGradientCoordinate::ridge() const {
  sq::RidgeForm form = HalfGradient{w, scale, sq::VectorNorm::l2}.ridge();
  form.linear_factor = Vector::Unit(w.size(), coordinate);
  return form;
}

void SurrogateGradient::validate() const { check_point(w, scale); }
sq::RidgeForm SurrogateGradient::ridge() const {
  return along(w, scale, [](double z, double y) { return relu(z) - y; });
}

void LabelCorrelation::validate() const { check_point(Vector::Zero(dimension), scale); }
sq::RidgeForm LabelCorrelation::ridge() const {
  // g ignores z: any single direction will do (the zero column spans nothing).
  return along(Vector::Zero(dimension), scale, [](double, double y) { return y; });
}

void ReluCorrelation::validate() const { check_point(w, scale); }
sq::RidgeForm ReluCorrelation::ridge() const {
  return along(w, scale, [](double z, double y) { return y * relu(z); });
}

void ThresholdCorrelation::validate() const {
  check_point(w, scale);
  sq::require(std::isfinite(threshold), "threshold", threshold, "must be finite");
}
sq::RidgeForm ThresholdCorrelation::ridge() const {
  return along(w, scale, [t = threshold](double z, double y) { return z > t ? y : 0.0; }, {sq::Breakpoint{0, threshold}});
}

void ThresholdedLabelCorrelation::validate() const {
  check_point(Vector::Zero(dimension), scale);
  sq::require(std::isfinite(threshold), "threshold", threshold, "must be finite");
}
sq::RidgeForm ThresholdedLabelCorrelation::ridge() const {
  // g ignores z (a zero column); |g| = 1, so E[g^2 x_i^2] = 1 under any D0.
  sq::RidgeForm form = along(Vector::Zero(dimension), scale, [t = threshold](double, double y) { return y > t ? 1.0 : -1.0; });
  form.label_levels = {threshold};  // g jumps where the label crosses t
  return form;
}

sq::ScalarQuery square_loss(const Vector& w, double scale) { return sq::ScalarQuery::of(SquareLoss{w, scale}); }
sq::VectorQuery half_gradient(const Vector& w, double scale, sq::VectorNorm norm) {
  return sq::VectorQuery::of(HalfGradient{w, scale, norm});
}
sq::ScalarQuery half_gradient_coordinate(const Vector& w, Eigen::Index i, double scale) {
  return sq::ScalarQuery::of(HalfGradientCoordinate{w, i, scale});
}
sq::VectorQuery surrogate_gradient(const Vector& w, double scale, sq::VectorNorm norm) {
  return sq::VectorQuery::of(SurrogateGradient{w, scale, norm});
}
sq::VectorQuery label_correlation(Eigen::Index dimension, double scale, sq::VectorNorm norm) {
  return sq::VectorQuery::of(LabelCorrelation{dimension, scale, norm});
}
sq::ScalarQuery relu_correlation(const Vector& w, double scale) { return sq::ScalarQuery::of(ReluCorrelation{w, scale}); }
sq::VectorQuery thresholded_label_correlation(Eigen::Index dimension, double threshold, double scale) {
  return sq::VectorQuery::of(ThresholdedLabelCorrelation{dimension, threshold, scale});
}
sq::ScalarQuery threshold_correlation(const Vector& w, double threshold, double scale) {
  return sq::ScalarQuery::of(ThresholdCorrelation{w, threshold, scale});
}

double half_gradient_second_moment_bound(const Vector& w, double label_second_moment) {
  const double largest = w.size() ? w.cwiseAbs2().maxCoeff() : 0.0;
  return w.squaredNorm() + 2.0 * largest + label_second_moment;
}

double surrogate_gradient_second_moment_bound(const Vector& w, double label_second_moment) {
  const double largest = w.size() ? w.cwiseAbs2().maxCoeff() : 0.0;
  return w.squaredNorm() + 2.0 * largest + 2.0 * label_second_moment;
}

}  // namespace sqsim::queries