#include "oracles/exact_oracle.hpp"

#include "oracles/gaussian_integral.hpp"
#include "oracles/relu_closed_forms.hpp"
#include "sq/errors.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <limits>

namespace oracles {
namespace {

constexpr double kBoundSlack = 1e-9;  // quadrature error allowed when checking a declared bound

// Orthonormal basis of the column span of A (rank decided relative to the largest column).
Matrix orthonormal_basis(const Matrix& A) {
  if (A.cols() == 0) return Matrix(A.rows(), 0);
  Eigen::ColPivHouseholderQR<Matrix> qr(A);
  const double scale = A.colwise().norm().maxCoeff();
  if (scale == 0.0) return Matrix(A.rows(), 0);
  qr.setThreshold(1e-12);
  const Eigen::Index rank = qr.rank();
  return qr.householderQ() * Matrix::Identity(A.rows(), rank);
}

// Second moment of g * c.x given the moments of g in basis Q: E[g^2 (a.t)^2] + E[g^2] (|c|^2 - |a|^2).
double second_moment_along(const RidgeMoments& m, const Vector& c) {
  const Vector a = m.Q.transpose() * c;
  return a.dot(m.second_times_tt * a) + m.second * std::max(0.0, c.squaredNorm() - a.squaredNorm());
}

bool is_realizable_in_mean(const ReluWorld& world) {
  // E[y | x] = relu(v.x): the closed forms for the gradient apply.
  return world.label_model() == LabelModel::relu || world.label_model() == LabelModel::noisy_relu;
}

}  // namespace

ExactOracle::ExactOracle(const ReluWorld& world, ExactOracleParams params)
    : world_(world), params_(params), perturber_(params.perturbation, params.seed) {}

std::string ExactOracle::name() const { return "exact/" + std::string(to_string(params_.perturbation)); }

const sq::RidgeForm& ExactOracle::require_ridge(const std::optional<sq::RidgeForm>& ridge,
                                                const std::string& name) const {
  if (!ridge)
    throw sq::QueryRefused("query '" + name +
                           "' is a black box: the exact oracle integrates only ridge queries g(Wᵀx, y); "
                           "build it with ridge_query/ridge_times_x or use a sample oracle");
  if (ridge->W.rows() != world_.dimension())
    throw sq::QueryRefused("query '" + name + "' has W with " + std::to_string(ridge->W.rows()) +
                           " rows, the world has dimension " + std::to_string(world_.dimension()));
  return *ridge;
}

RidgeMoments ExactOracle::moments(const sq::RidgeForm& ridge, const std::string& name, bool reference,
                                  const sq::FeatureFunction& feature) const {
  const Vector& v = world_.teacher();
  RidgeMoments result;
  // Under D the label direction v is part of x; under D0 the label is driven by an independent
  // Gaussian coordinate of the same scale, outside x.
  if (reference) {
    result.Q = orthonormal_basis(ridge.W);
  } else {
    Matrix A(ridge.W.rows(), ridge.W.cols() + 1);
    A << ridge.W, v;
    result.Q = orthonormal_basis(A);
  }
  const int k_x = static_cast<int>(result.Q.cols());
  const int k = k_x + (reference ? 1 : 0);
  if (k > 2)
    throw sq::QueryRefused("query '" + name + "': its directions and the label's span " + std::to_string(k) +
                           " dimensions; the exact oracle integrates at most 2");

  const Matrix B = ridge.W.transpose() * result.Q;  // z = B t_x
  std::array<double, 2> label_normal{0.0, 0.0};
  if (reference) {
    label_normal[static_cast<std::size_t>(k_x)] = v.norm();
  } else {
    const Vector p = result.Q.transpose() * v;
    for (int i = 0; i < k_x; ++i) label_normal[static_cast<std::size_t>(i)] = p[i];
  }

  std::vector<Hyperplane> breaks;
  auto add_plane = [&](const std::array<double, 2>& normal, double level) {
    if (normal[0] != 0.0 || normal[1] != 0.0) breaks.push_back(Hyperplane{normal, level});
  };
  auto z_normal = [&](int j) {
    std::array<double, 2> n{0.0, 0.0};
    for (int i = 0; i < k_x; ++i) n[static_cast<std::size_t>(i)] = B(j, i);
    return n;
  };
  for (int j = 0; j < B.rows(); ++j) add_plane(z_normal(j), 0.0);
  for (const sq::Breakpoint& b : ridge.breakpoints) {
    if (b.coordinate < 0 || b.coordinate >= B.rows())
      throw std::invalid_argument("query '" + name + "': breakpoint coordinate " + std::to_string(b.coordinate) +
                                  " is outside 0.." + std::to_string(B.rows() - 1));
    add_plane(z_normal(b.coordinate), b.level);
  }
  for (int branch = 0; branch < world_.branch_count(); ++branch)
    for (double level : world_.label_breakpoints(branch)) add_plane(label_normal, level);

  // sums: E[g], E[g t_i] (2), E[g^2], E[g^2 t_i t_j] (3)
  constexpr int n_values = 7;
  double sums[n_values];
  Vector z(B.rows());
  double min_value = std::numeric_limits<double>::infinity(), max_value = -min_value, max_abs_feature = 0.0;
  const int branches = world_.branch_count();
  integrate_gaussian(k, breaks, n_values, [&](const double* t, double weight, double* acc) {
    double u = 0.0;
    for (int i = 0; i < k; ++i) u += label_normal[static_cast<std::size_t>(i)] * t[i];
    for (Eigen::Index j = 0; j < B.rows(); ++j) {
      double zj = 0.0;
      for (int i = 0; i < k_x; ++i) zj += B(j, i) * t[i];
      z[j] = zj;
    }
    if (feature) max_abs_feature = std::max(max_abs_feature, std::abs(feature(z)));
    const double t0 = k_x > 0 ? t[0] : 0.0, t1 = k_x > 1 ? t[1] : 0.0;
    for (int b = 0; b < branches; ++b) {
      const double g = ridge.g(z, world_.label(u, b));
      min_value = std::min(min_value, g);
      max_value = std::max(max_value, g);
      const double wg = weight * world_.branch_weight(b) * g;
      acc[0] += wg;
      acc[1] += wg * t0;
      acc[2] += wg * t1;
      acc[3] += wg * g;
      acc[4] += wg * g * t0 * t0;
      acc[5] += wg * g * t0 * t1;
      acc[6] += wg * g * t1 * t1;
    }
  }, sums);

  result.mean = sums[0];
  result.mean_times_t = Vector(k_x);
  for (int i = 0; i < k_x; ++i) result.mean_times_t[i] = sums[1 + i];
  result.second = sums[3];
  result.second_times_tt = Matrix::Zero(k_x, k_x);
  if (k_x >= 1) result.second_times_tt(0, 0) = sums[4];
  if (k_x == 2) {
    result.second_times_tt(0, 1) = result.second_times_tt(1, 0) = sums[5];
    result.second_times_tt(1, 1) = sums[6];
  }
  result.min_value = min_value;
  result.max_value = max_value;
  result.max_abs_feature = max_abs_feature;
  return result;
}

namespace {

double scalar_mean(const RidgeMoments& m, const sq::RidgeForm& ridge) {
  return ridge.linear_factor ? (m.Q.transpose() * *ridge.linear_factor).dot(m.mean_times_t) : m.mean;
}

double scalar_second(const RidgeMoments& m, const sq::RidgeForm& ridge) {
  return ridge.linear_factor ? second_moment_along(m, *ridge.linear_factor) : m.second;
}

double vector_max_second(const RidgeMoments& m) {
  double largest = 0.0;
  for (Eigen::Index i = 0; i < m.Q.rows(); ++i) {
    const Vector a = m.Q.row(i).transpose();
    largest = std::max(largest, a.dot(m.second_times_tt * a) + m.second * std::max(0.0, 1.0 - a.squaredNorm()));
  }
  return largest;
}

// The closed form of the tagged query under D, when the world admits one.
std::optional<Vector> closed_form_vector(const ReluWorld& world, const sq::RidgeForm& ridge) {
  if (ridge.closed_form != sq::ClosedForm::square_loss_gradient || ridge.W.cols() != 1 || !is_realizable_in_mean(world))
    return std::nullopt;
  return closed_form::realizable_half_gradient(ridge.W.col(0), world.teacher()) / ridge.closed_form_scale;
}

std::optional<double> closed_form_scalar(const ReluWorld& world, const sq::RidgeForm& ridge) {
  if (ridge.W.cols() != 1 || !is_realizable_in_mean(world)) return std::nullopt;
  if (ridge.closed_form == sq::ClosedForm::square_loss && !ridge.linear_factor) {
    const double noise_variance = world.label_model() == LabelModel::noisy_relu ? world.noise() * world.noise() : 0.0;
    return (closed_form::realizable_square_loss(ridge.W.col(0), world.teacher()) + noise_variance) / ridge.closed_form_scale;
  }
  if (ridge.closed_form == sq::ClosedForm::square_loss_gradient && ridge.linear_factor)
    return ridge.linear_factor->dot(closed_form::realizable_half_gradient(ridge.W.col(0), world.teacher())) / ridge.closed_form_scale;
  return std::nullopt;
}

}  // namespace

double ExactOracle::expectation(const sq::ScalarQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  if (auto exact = closed_form_scalar(world_, ridge)) return *exact;
  return scalar_mean(moments(ridge, query.name, false), ridge);
}

Vector ExactOracle::expectation(const sq::VectorQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  if (auto exact = closed_form_vector(world_, ridge)) return *exact;
  const RidgeMoments m = moments(ridge, query.name, false);
  return m.Q * m.mean_times_t;
}

double ExactOracle::reference_expectation(const sq::ScalarQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  return scalar_mean(moments(ridge, query.name, true), ridge);
}

Vector ExactOracle::reference_expectation(const sq::VectorQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  const RidgeMoments m = moments(ridge, query.name, true);
  return m.Q * m.mean_times_t;
}

double ExactOracle::reference_second_moment(const sq::ScalarQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  return scalar_second(moments(ridge, query.name, true), ridge);
}

double ExactOracle::reference_second_moment(const sq::VectorQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  return vector_max_second(moments(ridge, query.name, true));
}

sq::ScalarAnswer ExactOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  const std::string label = "query '" + query.name + "' (" + std::string(to_string(query.kind)) + ")";
  if (ridge.linear_factor && query.kind != sq::QueryKind::l2)
    throw sq::QueryRefused(label + " has a factor linear in x, so it is unbounded; declare it an l2 query");

  const std::optional<double> exact = closed_form_scalar(world_, ridge);
  // Under D: needed for the truth unless a closed form gives it, and for the sup-norm checks.
  std::optional<RidgeMoments> under_d;
  if (!exact || query.kind != sq::QueryKind::l2) under_d = moments(ridge, query.name, false, query.correlational_feature);
  switch (query.kind) {
    case sq::QueryKind::stat:
      if (std::max(-under_d->min_value, under_d->max_value) > 1.0 + kBoundSlack)
        throw sq::QueryRefused(label + " reaches |q| = " +
                               sq::format_number(std::max(-under_d->min_value, under_d->max_value)) + " > 1");
      break;
    case sq::QueryKind::vstat:
      if (under_d->min_value < -kBoundSlack || under_d->max_value > 1.0 + kBoundSlack)
        throw sq::QueryRefused(label + " takes values in [" + sq::format_number(under_d->min_value) + ", " +
                               sq::format_number(under_d->max_value) + "], outside [0, 1]");
      break;
    case sq::QueryKind::correlational:
      if (under_d->max_abs_feature > 1.0 + kBoundSlack)
        throw sq::QueryRefused(label + " has |h| = " + sq::format_number(under_d->max_abs_feature) + " > 1");
      break;
    case sq::QueryKind::l2: break;
  }
  std::optional<RidgeMoments> under_reference;
  if (query.kind == sq::QueryKind::l2 || params_.perturbation == Perturbation::worst_case)
    under_reference = moments(ridge, query.name, true);
  if (query.kind == sq::QueryKind::l2) {
    const double norm2 = scalar_second(*under_reference, ridge);
    if (norm2 > 1.0 + kBoundSlack)
      throw sq::QueryRefused(label + " has E_D0[q^2] = " + sq::format_number(norm2) +
                             " > 1: scale the query down (and its answer up)");
  }
  const double truth = exact ? *exact : scalar_mean(*under_d, ridge);
  const double reference = under_reference ? scalar_mean(*under_reference, ridge) : truth;
  return sq::ScalarAnswer{perturber_.apply(truth, reference, tolerance, query.kind), truth};
}

sq::VectorAnswer ExactOracle::answer(const sq::VectorQuery& query, double tolerance) {
  const sq::RidgeForm& ridge = require_ridge(query.ridge, query.name);
  if (query.kind != sq::QueryKind::l2)
    throw sq::QueryRefused("query '" + query.name + "' (" + std::string(to_string(query.kind)) +
                           ") is g(Wᵀx, y)·x, unbounded in x; declare it an l2 query");
  const RidgeMoments under_reference = moments(ridge, query.name, true);
  const double norm2 = vector_max_second(under_reference);
  if (norm2 > 1.0 + kBoundSlack)
    throw sq::QueryRefused("query '" + query.name + "' (l2) has a coordinate with E_D0[q_i^2] = " +
                           sq::format_number(norm2) + " > 1: scale the query down (and its answer up)");
  Vector truth;
  if (auto exact = closed_form_vector(world_, ridge)) {
    truth = std::move(*exact);
  } else {
    const RidgeMoments under_d = moments(ridge, query.name, false);
    truth = under_d.Q * under_d.mean_times_t;
  }
  const Vector reference = under_reference.Q * under_reference.mean_times_t;
  return sq::VectorAnswer{perturber_.apply(truth, reference, tolerance, query.norm), truth};
}

}  // namespace oracles
