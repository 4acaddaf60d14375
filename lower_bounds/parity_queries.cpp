#include "lower_bounds/parity_queries.hpp"

#include "sq/errors.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lower_bounds {
namespace {

// E[z^m 1{z > 0}] for z ~ N(0, r^2).
double positive_moment(int m, double r) {
  return std::pow(r, m) * std::pow(2.0, 0.5 * m - 1.0) * std::tgamma(0.5 * (m + 1)) / std::sqrt(std::numbers::pi);
}

Vector column(const sq::RidgeForm& ridge) { return ridge.W.col(0); }

[[noreturn]] void refuse(const std::string& name) {
  throw sq::QueryRefused("query '" + name +
                         "': the lifted-parity oracles answer only the square loss, its gradient and parity "
                         "correlations (built by sq::square_loss_query, square_loss_half_gradient_query / "
                         "_coordinate, parity_correlation_query)");
}

}  // namespace

ParityQuery recognize(const sq::ScalarQuery& query, Eigen::Index d) {
  if (!query.ridge || query.ridge->W.rows() != d) refuse(query.name);
  const sq::RidgeForm& ridge = *query.ridge;
  ParityQuery q;
  q.scale = ridge.closed_form_scale;
  switch (ridge.closed_form) {
    case sq::ClosedForm::square_loss:
      if (ridge.W.cols() != 1 || ridge.linear_factor) refuse(query.name);
      q.shape = ParityQuery::Shape::loss;
      q.w = column(ridge);
      return q;
    case sq::ClosedForm::square_loss_gradient:
      if (ridge.W.cols() != 1 || !ridge.linear_factor) refuse(query.name);
      q.shape = ParityQuery::Shape::half_gradient;
      q.w = column(ridge);
      q.factor = *ridge.linear_factor;
      return q;
    case sq::ClosedForm::parity_character: {
      q.shape = ParityQuery::Shape::parity_character;
      for (Eigen::Index c = 0; c < ridge.W.cols(); ++c) {
        Eigen::Index row = 0;
        const double top = ridge.W.col(c).maxCoeff(&row);
        if (top != 1.0 || ridge.W.col(c).squaredNorm() != 1.0) refuse(query.name);
        q.subset.push_back(static_cast<int>(row));
      }
      std::sort(q.subset.begin(), q.subset.end());
      if (std::adjacent_find(q.subset.begin(), q.subset.end()) != q.subset.end()) refuse(query.name);
      return q;
    }
    case sq::ClosedForm::none: break;
  }
  refuse(query.name);
}

ParityQuery recognize(const sq::VectorQuery& query, Eigen::Index d) {
  if (!query.ridge || query.ridge->W.rows() != d || query.ridge->W.cols() != 1 ||
      query.ridge->closed_form != sq::ClosedForm::square_loss_gradient)
    refuse(query.name);
  ParityQuery q;
  q.shape = ParityQuery::Shape::half_gradient;
  q.scale = query.ridge->closed_form_scale;
  q.w = column(*query.ridge);
  q.vector = true;
  return q;
}

double ParityQuery::reference_value() const {
  switch (shape) {
    case Shape::loss: return LiftedParity::reference_loss(w) / scale;
    case Shape::half_gradient: return factor->dot(LiftedParity::reference_half_gradient(w)) / scale;
    case Shape::parity_character: return 0.0;  // E[chi_T] E[y] = 0
  }
  return 0.0;
}

Vector ParityQuery::reference_vector() const { return LiftedParity::reference_half_gradient(w) / scale; }

double ParityQuery::reference_second_moment() const {
  const double r = w.norm();
  const double m0 = 0.5, m1 = positive_moment(1, r), m2 = positive_moment(2, r), m3 = positive_moment(3, r),
               m4 = positive_moment(4, r);
  switch (shape) {
    case Shape::parity_character: return 0.5;  // E[y^2]
    case Shape::loss:
      // (1/2) E[relu(z)^4] + (1/2) E[(relu(z) - 1)^4], y ~ Bernoulli(1/2) independent of z = w.x
      return (0.5 * m4 + 0.5 * (0.5 + m4 - 4 * m3 + 6 * m2 - 4 * m1 + m0)) / (scale * scale);
    case Shape::half_gradient: {
      if (r == 0.0) return (vector ? 1.0 : factor->squaredNorm()) / 8.0 / (scale * scale);  // (y/2)^2 x_i^2
      // q = (z - y) 1{z > 0} c.x with c.x = (c.w / r^2) z + independent noise of variance |c|^2 - (c.w)^2/r^2.
      const double A = m4 - m3 + 0.5 * m2, B = m2 - m1 + 0.5 * m0;  // E_y[(z-y)^2] = z^2 - z + 1/2
      auto along = [&](double cw2, double c2) { return cw2 / (r * r) * (A / (r * r)) + (c2 - cw2 / (r * r)) * B; };
      double largest;
      if (vector) {
        const double w2max = w.cwiseAbs2().maxCoeff(), w2min = w.cwiseAbs2().minCoeff();
        largest = std::max(along(w2max, 1.0), along(w2min, 1.0));  // linear in w_i^2: an end point
      } else {
        largest = along(std::pow(factor->dot(w), 2), factor->squaredNorm());
      }
      return largest / (scale * scale);
    }
  }
  return 0.0;
}

void check_bound(const ParityQuery& q, const std::string& name, sq::QueryKind kind) {
  if (q.shape == ParityQuery::Shape::parity_character) return;  // |h| = 1, E[q^2] = 1/2: every kind holds
  if (kind != sq::QueryKind::l2) throw sq::QueryRefused("query '" + name + "' is unbounded in x; declare it an l2 query");
  const double second = q.reference_second_moment();
  if (second > 1.0 + 1e-12)
    throw sq::QueryRefused("query '" + name + "' (l2) has E_D0[q^2] = " + sq::format_number(second) +
                           " > 1: scale the query down (and its answer up)");
}

double member_deviation(const ParityQuery& q, const LiftedParity& family, const Subset& member) {
  switch (q.shape) {
    case ParityQuery::Shape::parity_character:
      return q.subset == member ? 0.5 * family.signal() : 0.0;
    case ParityQuery::Shape::loss:
      return q.w.norm() == 0.0 ? 0.0 : -family.signal() * ParityCorrelation(q.w, member).value(member) / q.scale;
    case ParityQuery::Shape::half_gradient:
      return q.factor->dot(member_deviation_vector(q, family, member));
  }
  return 0.0;
}

Vector member_deviation_vector(const ParityQuery& q, const LiftedParity& family, const Subset& member) {
  if (q.w.norm() == 0.0) return Vector::Zero(q.w.size());
  return -0.5 * family.signal() * ParityCorrelation(q.w, member).gradient(member) / q.scale;
}

}  // namespace lower_bounds
