#include "sq/relu_queries.hpp"

#include "sq/errors.hpp"

#include <cmath>

namespace sq {
namespace {

void check_scale(double scale) {
  require(std::isfinite(scale) && scale > 0.0, "query scale", scale, "must be a finite number > 0");
}

RidgeFunction half_gradient_ridge(double scale) {
  return [scale](const Vector& z, double y) { return (relu(z[0]) - y) * relu_derivative(z[0]) / scale; };
}

}  // namespace

ScalarQuery square_loss_query(const Vector& w, double scale) {
  check_scale(scale);
  RidgeFunction g = [scale](const Vector& z, double y) {
    const double r = relu(z[0]) - y;
    return r * r / scale;
  };
  ScalarQuery q = ScalarQuery::ridge_query(QueryKind::l2, "square_loss", Matrix(w), std::move(g), {},
                                           scale == 1.0 ? ClosedForm::square_loss : ClosedForm::none);
  return q;
}

VectorQuery square_loss_half_gradient_query(const Vector& w, double scale, VectorNorm norm) {
  check_scale(scale);
  return VectorQuery::ridge_times_x(QueryKind::l2, "half_gradient", Matrix(w), half_gradient_ridge(scale), {},
                                    scale == 1.0 ? ClosedForm::square_loss_gradient : ClosedForm::none, norm);
}

ScalarQuery square_loss_half_gradient_coordinate(const Vector& w, Eigen::Index i, double scale) {
  check_scale(scale);
  require(i >= 0 && i < w.size(), "coordinate", i, "must lie in [0, d)");
  return ScalarQuery::ridge_times_linear(QueryKind::l2, "half_gradient[" + std::to_string(i) + "]", Matrix(w),
                                         half_gradient_ridge(scale), Vector::Unit(w.size(), i), {},
                                         scale == 1.0 ? ClosedForm::square_loss_gradient : ClosedForm::none);
}

}  // namespace sq
