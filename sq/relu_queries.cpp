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
  ScalarQuery q = ScalarQuery::ridge_query(QueryKind::l2, "square_loss", Matrix(w), std::move(g), {}, ClosedForm::square_loss);
  q.ridge->closed_form_scale = scale;
  return q;
}

VectorQuery square_loss_half_gradient_query(const Vector& w, double scale, VectorNorm norm) {
  check_scale(scale);
  VectorQuery q = VectorQuery::ridge_times_x(QueryKind::l2, "half_gradient", Matrix(w), half_gradient_ridge(scale), {},
                                             ClosedForm::square_loss_gradient, norm);
  q.ridge->closed_form_scale = scale;
  return q;
}

ScalarQuery square_loss_half_gradient_coordinate(const Vector& w, Eigen::Index i, double scale) {
  check_scale(scale);
  require(i >= 0 && i < w.size(), "coordinate", i, "must lie in [0, d)");
  ScalarQuery q = ScalarQuery::ridge_times_linear(QueryKind::l2, "half_gradient[" + std::to_string(i) + "]", Matrix(w),
                                                  half_gradient_ridge(scale), Vector::Unit(w.size(), i), {},
                                                  ClosedForm::square_loss_gradient);
  q.ridge->closed_form_scale = scale;
  return q;
}

ScalarQuery parity_correlation_query(Eigen::Index d, const std::vector<int>& subset) {
  require(d >= 1, "d", d, "must be at least 1");
  Matrix W = Matrix::Zero(d, static_cast<Eigen::Index>(subset.size()));
  std::string name = "parity{";
  for (std::size_t j = 0; j < subset.size(); ++j) {
    require(subset[j] >= 0 && subset[j] < d, "parity coordinate", subset[j], "must lie in [0, d)");
    W(subset[j], static_cast<Eigen::Index>(j)) = 1.0;
    if (j > 0) name += ',';
    name += std::to_string(subset[j]);
  }
  name += "}";
  ScalarQuery q = ScalarQuery::correlational(std::move(name), std::move(W), [](const Vector& z) {
    double sign = 1.0;
    for (Eigen::Index j = 0; j < z.size(); ++j) sign *= z[j] > 0 ? 1.0 : -1.0;
    return sign;
  });
  q.ridge->closed_form = ClosedForm::parity_character;
  return q;
}

}  // namespace sq
