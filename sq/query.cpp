#include "sqsim/sq/query.hpp"

#include "sqsim/sq/vector_sums.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace sqsim::sq {

std::string_view to_string(QueryKind kind) {
  switch (kind) {
    case QueryKind::stat:
      return "stat";
    case QueryKind::l2:
      return "l2";
    case QueryKind::correlational:
      return "correlational";
    case QueryKind::vstat:
      return "vstat";
  }
  return "unknown";
}

std::string_view to_string(VectorNorm norm) { return norm == VectorNorm::l2 ? "l2" : "linf"; }

bool all_finite(const Eigen::Ref<const Matrix>& m) {
  if (m.size() == 0) return true;
  // Contiguous (a vector, a whole matrix): a finite sum of squares means finite entries; entries
  // beyond ~1e154 overflow it, and then x * 0 (NaN for inf and NaN) decides.
  if (m.cols() == 1 || m.outerStride() == m.rows()) {
    if (std::isfinite(squared_sum(m.data(), m.size()))) return true;
    return (Eigen::Map<const Eigen::ArrayXd>(m.data(), m.size()) * 0.0).sum() == 0.0;
  }
  return (m.array() * 0.0).sum() == 0.0;
}

namespace detail {
void check_ridge(const std::string& name, const RidgeForm& form, bool vector) {
  if (form.W.cols() < 1 || form.W.rows() < 1)
    throw std::invalid_argument("query '" + name + "': W must have at least one row and one column");
  if (!all_finite(form.W)) throw std::invalid_argument("query '" + name + "': W has a non-finite entry");
  if (!form.g) throw std::invalid_argument("query '" + name + "': ridge function g is empty");
  for (const Breakpoint& b : form.breakpoints)
    if (b.coordinate < 0 || b.coordinate >= form.W.cols())
      throw std::invalid_argument("query '" + name + "': breakpoint coordinate " + std::to_string(b.coordinate) + " is outside 0.." +
                                  std::to_string(form.W.cols() - 1));
  if (form.linear_factor) {
    if (vector) throw std::invalid_argument("query '" + name + "': a vector ridge query is g(Wᵀx, y)·x; it takes no linear factor");
    if (form.linear_factor->size() != form.W.rows())
      throw std::invalid_argument("query '" + name + "': linear factor has length " + std::to_string(form.linear_factor->size()) +
                                  ", expected " + std::to_string(form.W.rows()));
  }
}

RidgeSource::RidgeSource(RidgeForm form) : form_(std::move(form)) { built_.store(&*form_, std::memory_order_release); }

RidgeSource::RidgeSource(std::function<RidgeForm()> make, std::string name, bool vector, std::optional<Eigen::Index> rows)
    : make_(std::move(make)), name_(std::move(name)), vector_(vector), rows_(rows) {}

const RidgeForm& RidgeSource::get() const {
  if (const RidgeForm* form = built_.load(std::memory_order_acquire)) return *form;
  const std::lock_guard lock(mutex_);
  if (!form_) {
    RidgeForm form = make_();
    check_ridge(name_, form, vector_);
    if (rows_ && form.W.rows() != *rows_)
      throw std::invalid_argument("query '" + name_ + "': W has " + std::to_string(form.W.rows()) +
                                  " rows, but the query's dimension() is " + std::to_string(*rows_));
    form_ = std::move(form);
    built_.store(&*form_, std::memory_order_release);
  }
  return *form_;
}

}  // namespace detail

ScalarQuery ScalarQuery::black_box(QueryKind kind, std::string name, PointFunction q) {
  if (!q) throw std::invalid_argument("query '" + name + "': function is empty");
  ScalarQuery query;
  query.kind_ = kind;
  query.name_ = std::move(name);
  query.evaluate_ = std::move(q);
  return query;
}

ScalarQuery ScalarQuery::ridge(QueryKind kind, std::string name, RidgeForm form) {
  detail::check_ridge(name, form, false);
  return from_source(kind, std::move(name), std::make_shared<const detail::RidgeSource>(std::move(form)));
}

ScalarQuery ScalarQuery::from_source(QueryKind kind, std::string name, std::shared_ptr<const detail::RidgeSource> source) {
  ScalarQuery query;
  query.kind_ = kind;
  query.name_ = std::move(name);
  query.evaluate_ = [source](const Vector& x, double y) {
    const RidgeForm& f = source->get();
    const double g = f.g(f.W.transpose() * x, y);
    return f.linear_factor ? g * f.linear_factor->dot(x) : g;
  };
  query.ridge_ = std::move(source);
  return query;
}

ScalarQuery ScalarQuery::ridge_query(QueryKind kind, std::string name, Matrix W, RidgeFunction g, std::vector<Breakpoint> breakpoints) {
  RidgeForm form;
  form.W = std::move(W);
  form.g = std::move(g);
  form.breakpoints = std::move(breakpoints);
  return ridge(kind, std::move(name), std::move(form));
}

ScalarQuery ScalarQuery::ridge_times_linear(QueryKind kind, std::string name, Matrix W, RidgeFunction g, Vector c,
                                            std::vector<Breakpoint> breakpoints) {
  RidgeForm form;
  form.W = std::move(W);
  form.g = std::move(g);
  form.breakpoints = std::move(breakpoints);
  form.linear_factor = std::move(c);
  return ridge(kind, std::move(name), std::move(form));
}

ScalarQuery ScalarQuery::correlational(std::string name, Matrix W, FeatureFunction h, std::vector<Breakpoint> breakpoints) {
  if (!h) throw std::invalid_argument("query '" + name + "': feature function h is empty");
  RidgeForm form;
  form.W = std::move(W);
  form.g = [h](const Vector& z, double y) { return h(z) * y; };
  form.breakpoints = std::move(breakpoints);
  form.feature = std::move(h);
  return ridge(QueryKind::correlational, std::move(name), std::move(form));
}

std::string ScalarQuery::label() const { return "query '" + name_ + "' (" + std::string(to_string(kind_)) + ")"; }

VectorQuery VectorQuery::black_box(QueryKind kind, std::string name, Eigen::Index dimension, VectorPointFunction q, VectorNorm norm) {
  if (!q) throw std::invalid_argument("query '" + name + "': function is empty");
  if (dimension < 1) throw std::invalid_argument("query '" + name + "': dimension must be >= 1");
  VectorQuery query;
  query.kind_ = kind;
  query.name_ = std::move(name);
  query.dimension_ = dimension;
  query.norm_ = norm;
  query.evaluate_ = std::move(q);
  return query;
}

VectorQuery VectorQuery::ridge(QueryKind kind, std::string name, RidgeForm form, VectorNorm norm) {
  detail::check_ridge(name, form, true);
  const Eigen::Index dimension = form.W.rows();
  return from_source(kind, std::move(name), dimension, std::make_shared<const detail::RidgeSource>(std::move(form)), norm);
}

VectorQuery VectorQuery::from_source(QueryKind kind, std::string name, Eigen::Index dimension,
                                     std::shared_ptr<const detail::RidgeSource> source, VectorNorm norm) {
  VectorQuery query;
  query.kind_ = kind;
  query.name_ = std::move(name);
  query.dimension_ = dimension;
  query.norm_ = norm;
  query.evaluate_ = [source](const Vector& x, double y, Eigen::Ref<Vector> out) {
    const RidgeForm& f = source->get();
    out = f.g(f.W.transpose() * x, y) * x;
  };
  query.ridge_ = std::move(source);
  return query;
}

VectorQuery VectorQuery::ridge_times_x(QueryKind kind, std::string name, Matrix W, RidgeFunction g, std::vector<Breakpoint> breakpoints,
                                       VectorNorm norm) {
  RidgeForm form;
  form.W = std::move(W);
  form.g = std::move(g);
  form.breakpoints = std::move(breakpoints);
  return ridge(kind, std::move(name), std::move(form), norm);
}

std::string VectorQuery::label() const { return "query '" + name_ + "' (" + std::string(to_string(kind_)) + ")"; }

}  // namespace sqsim::sq