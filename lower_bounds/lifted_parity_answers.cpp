// Exact answers of the lifted parity to the typed queries: E_D0[q], E_D0[q^2] (the declared bound)
// and E_S[q] - E_D0[q], one overload per query type. Under D0, y ~ Bernoulli(1/2) independent of
// x; z = w.x ~ N(0, r^2) with r = |w|, m_j = E[z^j 1{z > 0}]; x_i = (w_i/r^2) z + n_i with n_i
// independent of z, Var n_i = 1 - w_i^2/r^2.
#include "lower_bounds/lifted_parity.hpp"

#include "queries/parity.hpp"
#include "queries/relu_regression.hpp"
#include "sq/dispatch.hpp"
#include "sq/errors.hpp"

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <numbers>

namespace lower_bounds {
namespace {

using namespace queries;

const double kReluMean = 1.0 / std::sqrt(2.0 * std::numbers::pi);

using ScalarTypes = sq::QueryTypes<SquareLoss, HalfGradientCoordinate, ReluCorrelation, ThresholdCorrelation, Character, CharacterSum>;
using VectorTypes = sq::QueryTypes<HalfGradient, SurrogateGradient, LabelCorrelation>;

// E[z^m 1{z > 0}] for z ~ N(0, r^2).
double positive_moment(int m, double r) {
  return std::pow(r, m) * std::pow(2.0, 0.5 * m - 1.0) * std::tgamma(0.5 * (m + 1)) / std::sqrt(std::numbers::pi);
}

// E[f(z) x_i^2] from E[f(z) z^2] and E[f(z)] (x_i = (w_i/r^2) z + independent noise).
double along_coordinate(double wi2, double r, double f_z2, double f) {
  return wi2 / (r * r) * (f_z2 / (r * r)) + (1.0 - wi2 / (r * r)) * f;
}

// max over i of along_coordinate: linear in w_i^2, so one of the ends.
double largest_along(const Vector& w, double f_z2, double f) {
  const double r = w.norm();
  const Vector w2 = w.cwiseAbs2();
  return std::max(along_coordinate(w2.maxCoeff(), r, f_z2, f), along_coordinate(w2.minCoeff(), r, f_z2, f));
}

void require_threshold_supported(const ThresholdCorrelation& q, const std::string& label) {
  if (q.threshold != 0.0 && q.w.norm() > 0.0)
    throw sq::QueryRefused(label + ": the lifted-parity family answers threshold_correlation only at threshold 0 "
                                   "(where every member agrees with D0); other thresholds are not implemented");
}

// The partial derivative of R_S at w along coordinate i, from the member's parts.
double partial(const ParityCorrelation::Parts& parts, const Subset& member, const Vector& w, Eigen::Index i) {
  for (std::size_t j = 0; j < member.size(); ++j)
    if (member[j] == i) return parts.on_subset[j];
  return parts.off_coefficient * w[i];
}

struct Answers {
  const LiftedParity& family;
  std::string label;

  // E_D0[q]
  double reference(const SquareLoss& q) const { return family.reference_loss(q.w) / q.scale; }
  double reference(const HalfGradientCoordinate& q) const { return LiftedParity::reference_half_gradient(q.w)[q.coordinate] / q.scale; }
  double reference(const ReluCorrelation& q) const { return 0.5 * kReluMean * q.w.norm() / q.scale; }
  double reference(const ThresholdCorrelation& q) const {
    require_threshold_supported(q, label);
    const double r = q.w.norm();
    const double above = r == 0.0 ? (0.0 > q.threshold ? 1.0 : 0.0)
                                  : boost::math::cdf(boost::math::complement(boost::math::normal(), q.threshold / r));
    return 0.5 * above / q.scale;
  }
  double reference(const Character& q) const { return q.subset.empty() ? 0.5 : 0.0; }
  double reference(const CharacterSum&) const { return 0.0; }
  Vector reference(const HalfGradient& q) const { return LiftedParity::reference_half_gradient(q.w) / q.scale; }
  Vector reference(const SurrogateGradient& q) const { return 0.5 * q.w / q.scale; }
  Vector reference(const LabelCorrelation& q) const { return Vector::Zero(q.dimension); }

  // E_D0[q^2] (vector queries: the largest coordinate)
  double second(const SquareLoss& q) const {
    const double r = q.w.norm();
    const double m1 = positive_moment(1, r), m2 = positive_moment(2, r), m3 = positive_moment(3, r), m4 = positive_moment(4, r);
    // (1/2) E[relu(z)^4] + (1/2) E[(relu(z) - 1)^4]
    return (0.5 * m4 + 0.5 * (0.5 + m4 - 4 * m3 + 6 * m2 - 4 * m1 + 0.5)) / (q.scale * q.scale);
  }
  double gradient_second(const Vector& w, std::optional<Eigen::Index> coordinate) const {
    const double r = w.norm();
    if (r == 0.0) return 1.0 / 8.0;  // (y/2)^2 x_i^2
    // q_i = (z - y) 1{z > 0} x_i, E_y[(z - y)^2] = z^2 - z + 1/2
    const double m0 = 0.5, m1 = positive_moment(1, r), m2 = positive_moment(2, r), m3 = positive_moment(3, r),
                 m4 = positive_moment(4, r);
    const double f_z2 = m4 - m3 + 0.5 * m2, f = m2 - m1 + 0.5 * m0;
    return coordinate ? along_coordinate(w[*coordinate] * w[*coordinate], r, f_z2, f) : largest_along(w, f_z2, f);
  }
  double second(const HalfGradientCoordinate& q) const { return gradient_second(q.w, q.coordinate) / (q.scale * q.scale); }
  double second(const ReluCorrelation& q) const { return 0.25 * q.w.squaredNorm() / (q.scale * q.scale); }
  double second(const ThresholdCorrelation& q) const { return reference(q) / q.scale; }  // E[y^2 1] = E[y 1] (y in {0, 1})
  double second(const Character&) const { return 0.5; }
  double second(const CharacterSum&) const { return 1.0; }  // orthonormal characters, E[(2y - 1)^2] = 1
  double second(const HalfGradient& q) const { return gradient_second(q.w, std::nullopt) / (q.scale * q.scale); }
  double second(const SurrogateGradient& q) const {
    const double r = q.w.norm();
    if (r == 0.0) return 0.5 / (q.scale * q.scale);
    // E_y[(relu(z) - y)^2] = relu(z)^2 - relu(z) + 1/2
    const double m1 = positive_moment(1, r), m2 = positive_moment(2, r), m3 = positive_moment(3, r), m4 = positive_moment(4, r);
    return largest_along(q.w, m4 - m3 + 0.5 * r * r, m2 - m1 + 0.5) / (q.scale * q.scale);
  }
  double second(const LabelCorrelation& q) const { return 0.5 / (q.scale * q.scale); }

  // E_S[q] - E_D0[q] = (1 - 2 eta)/2 E[h(z) chi_S], h(z) = g(z, 1) - g(z, 0)
  double deviation(const SquareLoss& q, const Subset& s) const {
    return q.w.norm() == 0.0 ? 0.0 : -family.signal() * family.correlation(q.w, s).value / q.scale;  // h = 1 - 2 relu
  }
  double deviation(const HalfGradientCoordinate& q, const Subset& s) const {
    if (q.w.norm() == 0.0) return 0.0;  // E[chi_S x_i] = 0 for k >= 2
    return -0.5 * family.signal() * partial(family.correlation(q.w, s), s, q.w, q.coordinate) / q.scale;
  }
  double deviation(const ReluCorrelation& q, const Subset& s) const {
    return q.w.norm() == 0.0 ? 0.0 : 0.5 * family.signal() * family.correlation(q.w, s).value / q.scale;
  }
  double deviation(const ThresholdCorrelation& q, const Subset&) const {
    require_threshold_supported(q, label);
    return 0.0;  // E[1{z > 0} chi_S] = E[chi_S]/2 = 0 for even k (x -> -x keeps chi_S)
  }
  double deviation(const Character& q, const Subset& s) const { return q.subset == s ? 0.5 * family.signal() : 0.0; }
  double deviation(const CharacterSum& q, const Subset& s) const {
    if (q.order != family.order() || !q.contains(queries::subset_rank(s))) return 0.0;
    return family.signal() / std::sqrt(static_cast<double>(q.size()));
  }
  Vector deviation(const HalfGradient& q, const Subset& s) const {
    return q.w.norm() == 0.0 ? Vector(Vector::Zero(q.w.size())) : Vector(family.half_gradient(q.w, s) - LiftedParity::reference_half_gradient(q.w)) / q.scale;
  }
  Vector deviation(const SurrogateGradient& q, const Subset&) const { return Vector::Zero(q.w.size()); }  // E[chi_S x] = 0
  Vector deviation(const LabelCorrelation& q, const Subset&) const { return Vector::Zero(q.dimension); }
};


}  // namespace

std::string LiftedParity::answers() const { return ScalarTypes::names() + ", " + VectorTypes::names(); }

double LiftedParity::reference_answer(const sq::ScalarQuery& query) const {
  const Answers a{*this, query.label()};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q); });
}

Vector LiftedParity::reference_answer(const sq::VectorQuery& query) const {
  const Answers a{*this, query.label()};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q)); });
}

double LiftedParity::member_answer(const sq::ScalarQuery& query, const Subset& member) const {
  check_member(member);
  const Answers a{*this, query.label()};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q) + a.deviation(q, member); });
}

Vector LiftedParity::member_answer(const sq::VectorQuery& query, const Subset& member) const {
  check_member(member);
  const Answers a{*this, query.label()};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q) + a.deviation(q, member)); });
}

namespace {
void check_second(const std::string& label, double second) {
  if (second > 1.0 + 1e-12)
    throw sq::QueryRefused(label + " has E_D0[q^2] = " + sq::format_number(second) + " > 1: scale the query down (and its answer up)");
}
}  // namespace

void LiftedParity::check_bound(const sq::ScalarQuery& query) const {
  const Answers a{*this, query.label()};
  // Every typed query fixes its own kind: l2 (checked here) or correlational (characters, |h| = 1 exactly).
  const double second = answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (query.kind() == sq::QueryKind::l2) check_second(query.label(), second);
}

void LiftedParity::check_bound(const sq::VectorQuery& query) const {
  const Answers a{*this, query.label()};
  check_second(query.label(), answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return a.second(q); }));
}

HardFamily::LossPin LiftedParity::loss_pin(const Vector& w) const {
  // Scale 2 keeps the loss query legal for |w| <= 1; beyond, the scale its second moment needs.
  const double scale = std::max(2.0, std::sqrt(Answers{*this, ""}.second(SquareLoss{w, 1.0})));
  return {queries::square_loss(w, scale), scale};
}

}  // namespace lower_bounds
