#include "sq/query.hpp"

#include <stdexcept>
#include <utility>

namespace sq {

std::string_view to_string(QueryKind kind) {
  switch (kind) {
    case QueryKind::stat: return "stat";
    case QueryKind::l2: return "l2";
    case QueryKind::correlational: return "correlational";
    case QueryKind::vstat: return "vstat";
  }
  return "unknown";
}

std::string_view to_string(VectorNorm norm) { return norm == VectorNorm::l2 ? "l2" : "linf"; }

namespace {
void check_ridge_shape(const std::string& name, const Matrix& W, const RidgeFunction& g) {
  if (W.cols() < 1 || W.rows() < 1)
    throw std::invalid_argument("query '" + name + "': W must have at least one row and one column");
  if (!g) throw std::invalid_argument("query '" + name + "': ridge function g is empty");
}
}  // namespace

ScalarQuery ScalarQuery::black_box(QueryKind kind, std::string name, PointFunction q) {
  if (!q) throw std::invalid_argument("query '" + name + "': function is empty");
  ScalarQuery query;
  query.kind = kind;
  query.name = std::move(name);
  query.evaluate = std::move(q);
  return query;
}

ScalarQuery ScalarQuery::ridge_query(QueryKind kind, std::string name, Matrix W, RidgeFunction g,
                                     std::vector<Breakpoint> breakpoints, ClosedForm closed_form) {
  check_ridge_shape(name, W, g);
  ScalarQuery query;
  query.kind = kind;
  query.name = std::move(name);
  query.evaluate = [W, g](const Vector& x, double y) { return g(W.transpose() * x, y); };
  query.ridge = RidgeForm{std::move(W), std::move(g), std::move(breakpoints), closed_form, std::nullopt};
  return query;
}

ScalarQuery ScalarQuery::ridge_times_linear(QueryKind kind, std::string name, Matrix W, RidgeFunction g,
                                            Vector c, std::vector<Breakpoint> breakpoints,
                                            ClosedForm closed_form) {
  check_ridge_shape(name, W, g);
  if (c.size() != W.rows())
    throw std::invalid_argument("query '" + name + "': linear factor has length " + std::to_string(c.size()) +
                                ", expected " + std::to_string(W.rows()));
  ScalarQuery query;
  query.kind = kind;
  query.name = std::move(name);
  query.evaluate = [W, g, c](const Vector& x, double y) { return g(W.transpose() * x, y) * c.dot(x); };
  query.ridge = RidgeForm{std::move(W), std::move(g), std::move(breakpoints), closed_form, std::move(c)};
  return query;
}

ScalarQuery ScalarQuery::correlational(std::string name, Matrix W, FeatureFunction h,
                                       std::vector<Breakpoint> breakpoints) {
  if (!h) throw std::invalid_argument("query '" + name + "': feature function h is empty");
  RidgeFunction g = [h](const Vector& z, double y) { return h(z) * y; };
  ScalarQuery query = ridge_query(QueryKind::correlational, std::move(name), std::move(W), std::move(g),
                                  std::move(breakpoints));
  query.correlational_feature = std::move(h);
  return query;
}

VectorQuery VectorQuery::black_box(QueryKind kind, std::string name, Eigen::Index dimension,
                                   VectorPointFunction q, VectorNorm norm) {
  if (!q) throw std::invalid_argument("query '" + name + "': function is empty");
  if (dimension < 1) throw std::invalid_argument("query '" + name + "': dimension must be >= 1");
  VectorQuery query;
  query.kind = kind;
  query.name = std::move(name);
  query.dimension = dimension;
  query.norm = norm;
  query.evaluate = std::move(q);
  return query;
}

VectorQuery VectorQuery::ridge_times_x(QueryKind kind, std::string name, Matrix W, RidgeFunction g,
                                       std::vector<Breakpoint> breakpoints, ClosedForm closed_form,
                                       VectorNorm norm) {
  check_ridge_shape(name, W, g);
  VectorQuery query;
  query.kind = kind;
  query.name = std::move(name);
  query.dimension = W.rows();
  query.norm = norm;
  query.evaluate = [W, g](const Vector& x, double y, Eigen::Ref<Vector> out) {
    out = g(W.transpose() * x, y) * x;
  };
  query.ridge = RidgeForm{std::move(W), std::move(g), std::move(breakpoints), closed_form, std::nullopt};
  return query;
}

}  // namespace sq
