#include "sqsim/oracles/detail/ridge_moments.hpp"

#include "sqsim/numerics/gaussian_quadrature.hpp"
#include "sqsim/sq/errors.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace sqsim::oracles::detail {
using numerics::for_each_node_block;
using numerics::Hyperplane;
using numerics::integrate_gaussian;
using numerics::kNodeBlock;
namespace {

// Orthonormal basis of the column span of A (rank decided relative to the largest column).
Matrix orthonormal_basis(const Matrix& A) {
  if (A.cols() == 0) return Matrix(A.rows(), 0);
  const double scale = A.colwise().norm().maxCoeff();
  if (scale == 0.0) return Matrix(A.rows(), 0);
  Eigen::ColPivHouseholderQR<Matrix> qr(A);
  qr.setThreshold(1e-12);
  const Eigen::Index rank = qr.rank();
  return qr.householderQ() * Matrix::Identity(A.rows(), rank);
}

// Second moment of g * c.x given the moments of g in basis Q: E[g^2 (a.t)^2] + E[g^2] (|c|^2 - |a|^2).
double second_moment_along(const RidgeMoments& m, const Vector& c) {
  const Vector a = m.Q.transpose() * c;
  return a.dot(m.second_times_tt * a) + m.second * std::max(0.0, c.squaredNorm() - a.squaredNorm());
}

// The integration space: an orthonormal basis Q of the query's directions (and, under D, the label's),
// z = B t_x, the label direction's coordinates, and the dimensions of t_x and of the whole space.
struct RidgeSpan {
  Matrix Q, B;
  std::array<double, 2> label_normal{0.0, 0.0};
  int k_x = 0, k = 0;
};

RidgeSpan ridge_span(const ReluWorld& world, const sq::RidgeForm& ridge, const std::string& label, bool reference) {
  const Vector& v = world.teacher();
  RidgeSpan span;
  // Under D the label direction v is part of x; under D0 the label is driven by an independent
  // Gaussian coordinate of the same scale, outside x.
  if (reference) {
    span.Q = orthonormal_basis(ridge.W);
  } else {
    Matrix A(ridge.W.rows(), ridge.W.cols() + 1);
    A << ridge.W, v;
    span.Q = orthonormal_basis(A);
  }
  span.k_x = static_cast<int>(span.Q.cols());
  span.k = span.k_x + (reference ? 1 : 0);
  if (span.k > 2)
    throw sq::QueryRefused(label + ": its directions and the label's span " + std::to_string(span.k) +
                           " dimensions; the exact oracle integrates at most 2");
  span.B = ridge.W.transpose() * span.Q;
  if (reference) {
    span.label_normal[static_cast<std::size_t>(span.k_x)] = v.norm();
  } else {
    const Vector p = span.Q.transpose() * v;
    for (int i = 0; i < span.k_x; ++i) span.label_normal[static_cast<std::size_t>(i)] = p[i];
  }
  return span;
}

// Where the integrand has kinks: each direction's zero, the query's breakpoints, the label's own
// breakpoints and the label levels' crossings, per branch of the label model.
std::vector<Hyperplane> kink_planes(const ReluWorld& world, const sq::RidgeForm& ridge, const RidgeSpan& span) {
  std::vector<Hyperplane> breaks;
  auto add_plane = [&](const std::array<double, 2>& normal, double level) {
    if (normal[0] != 0.0 || normal[1] != 0.0) breaks.push_back(Hyperplane{normal, level});
  };
  auto z_normal = [&](int j) {
    std::array<double, 2> n{0.0, 0.0};
    for (int i = 0; i < span.k_x; ++i) n[static_cast<std::size_t>(i)] = span.B(j, i);
    return n;
  };
  for (int j = 0; j < span.B.rows(); ++j) add_plane(z_normal(j), 0.0);
  for (const sq::Breakpoint& b : ridge.breakpoints) add_plane(z_normal(b.coordinate), b.level);
  for (int branch = 0; branch < world.branch_count(); ++branch) {
    for (double level : world.label_breakpoints(branch)) add_plane(span.label_normal, level);
    for (double label_level : ridge.label_levels)
      for (double u : world.label_crossings(branch, label_level)) add_plane(span.label_normal, u);
  }
  return breaks;
}

}  // namespace

RidgeMoments ridge_moments(const ReluWorld& world, const sq::RidgeForm& ridge, const std::string& label, bool reference) {
  const RidgeSpan span = ridge_span(world, ridge, label, reference);
  const std::vector<Hyperplane> breaks = kink_planes(world, ridge, span);
  const Matrix& B = span.B;
  const int k_x = span.k_x;
  const auto& label_normal = span.label_normal;
  RidgeMoments result;
  result.Q = span.Q;

  // A block of nodes at a time: z = B t for the block by one product, the label per branch, then g
  // over the block (the query's batch g when it has one: no call per node), then the seven sums
  // E[g], E[g t_i] (2), E[g^2], E[g^2 t_i t_j] (3).
  double sums[7] = {0, 0, 0, 0, 0, 0, 0};
  double min_value = std::numeric_limits<double>::infinity(), max_value = -min_value, max_abs_feature = 0.0;
  const Eigen::Index s = B.rows();
  Matrix Z(s, kNodeBlock);
  Vector y(kNodeBlock), g(kNodeBlock), z(s);
  const double b00 = k_x > 0 ? 1.0 : 0.0, b11 = k_x > 1 ? 1.0 : 0.0;  // t_x = (t0, t1) restricted to the x-directions
  for_each_node_block(span.k, breaks, [&](const double* p0, const double* p1, const double* pw, int count) {
    const Eigen::Map<const Vector> t0(p0, count), t1(p1, count);
    auto Zb = Z.leftCols(count);
    for (Eigen::Index j = 0; j < s; ++j)
      Zb.row(j) = (k_x > 0 ? B(j, 0) : 0.0) * t0.transpose() + (k_x > 1 ? B(j, 1) : 0.0) * t1.transpose();
    auto yb = y.head(count);
    auto gb = g.head(count);
    for (int b = 0; b < world.branch_count(); ++b) {
      for (int i = 0; i < count; ++i) yb[i] = world.label(label_normal[0] * p0[i] + label_normal[1] * p1[i], b);
      if (ridge.g_batch) {
        ridge.g_batch(Zb, yb, gb);
      } else {
        for (int i = 0; i < count; ++i) gb[i] = ridge.g(z = Zb.col(i), yb[i]);
      }
      const double bw = world.branch_weight(b);
      for (int i = 0; i < count; ++i) {
        const double wg = bw * pw[i] * gb[i], wgg = wg * gb[i], x0 = b00 * t0[i], x1 = b11 * t1[i];
        sums[0] += wg;
        sums[1] += wg * x0;
        sums[2] += wg * x1;
        sums[3] += wgg;
        sums[4] += wgg * x0 * x0;
        sums[5] += wgg * x0 * x1;
        sums[6] += wgg * x1 * x1;
      }
      min_value = std::min(min_value, gb.minCoeff());
      max_value = std::max(max_value, gb.maxCoeff());
    }
    if (ridge.feature)
      for (int i = 0; i < count; ++i) max_abs_feature = std::max(max_abs_feature, std::abs(ridge.feature(z = Zb.col(i))));
  });

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

LabelMoments label_moments(const ReluWorld& world) {
  const double nv = world.teacher().norm();
  std::vector<Hyperplane> breaks;
  for (int branch = 0; branch < world.branch_count(); ++branch)
    for (double level : world.label_breakpoints(branch)) breaks.push_back(Hyperplane{{nv, 0.0}, level});
  double sums[4];
  integrate_gaussian(
      1, breaks, 4,
      [&](const double* t, double weight, double* acc) {
        for (int b = 0; b < world.branch_count(); ++b) {
          const double y = world.label(nv * t[0], b), wy = weight * world.branch_weight(b) * y;
          acc[0] += wy;
          acc[1] += wy * y;
          acc[2] += wy * y * y;
          acc[3] += wy * y * y * y;
        }
      },
      sums);
  return {sums[0], sums[1], sums[2], sums[3]};
}

double scalar_mean(const RidgeMoments& m, const sq::RidgeForm& ridge) {
  return ridge.linear_factor ? (m.Q.transpose() * *ridge.linear_factor).dot(m.mean_times_t) : m.mean;
}

double scalar_second(const RidgeMoments& m, const sq::RidgeForm& ridge) {
  return ridge.linear_factor ? second_moment_along(m, *ridge.linear_factor) : m.second;
}

double vector_max_second(const RidgeMoments& m) {
  // Row i of Q is a (at most two entries): E[g^2 x_i^2] = aᵀ E[g^2 t tᵀ] a + E[g^2] (1 - |a|^2). No allocation per row.
  const Eigen::Index k = m.Q.cols();
  const double s00 = k > 0 ? m.second_times_tt(0, 0) : 0.0, s01 = k > 1 ? m.second_times_tt(0, 1) : 0.0,
               s11 = k > 1 ? m.second_times_tt(1, 1) : 0.0;
  double largest = 0.0;
  for (Eigen::Index i = 0; i < m.Q.rows(); ++i) {
    const double a0 = k > 0 ? m.Q(i, 0) : 0.0, a1 = k > 1 ? m.Q(i, 1) : 0.0;
    const double along = a0 * a0 * s00 + 2.0 * a0 * a1 * s01 + a1 * a1 * s11;
    largest = std::max(largest, along + m.second * std::max(0.0, 1.0 - a0 * a0 - a1 * a1));
  }
  return largest;
}

}  // namespace sqsim::oracles::detail