// Exact answers of the lifted parity to the typed queries: E_D0[q], E_D0[q^2] (the declared bound;
// the ReLU queries' closed forms are oracles/reference_moments.hpp with y ~ Bernoulli(1/2)) and
// E_S[q] - E_D0[q], one overload per query type.
#include "lower_bounds/lifted_parity.hpp"

#include "oracles/reference_moments.hpp"
#include "queries/parity.hpp"
#include "queries/relu_regression.hpp"
#include "sq/dispatch.hpp"
#include "sq/errors.hpp"

#include <cmath>
#include <numbers>
#include <string_view>
#include <type_traits>

namespace lower_bounds {
namespace {

using namespace queries;


using ScalarTypes = sq::QueryTypes<SquareLoss, HalfGradientCoordinate, ReluCorrelation, ThresholdCorrelation, Character, CharacterSum>;
using VectorTypes = sq::QueryTypes<HalfGradient, SurrogateGradient, LabelCorrelation, ThresholdedLabelCorrelation>;

void require_threshold_supported(const ThresholdCorrelation& q, std::string_view name) {
  if (q.threshold != 0.0 && q.w.norm() > 0.0)
    throw sq::QueryRefused("query '" + std::string(name) + "': the lifted-parity family answers threshold_correlation only at threshold 0 "
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
  std::string_view name;  // of the query, for a refusal (the query outlives the Answers)

  // Under D0, y ~ Bernoulli(1/2) independent of x: E[y^j] = 1/2 for every j >= 1.
  static constexpr oracles::LabelMoments kBernoulli{0.5, 0.5, 0.5, 0.5};

  // E_D0[q]
  template <class Q>
  auto reference(const Q& q) const {
    if constexpr (std::is_same_v<Q, ThresholdCorrelation>) require_threshold_supported(q, name);
    return oracles::reference::mean(kBernoulli, q);
  }
  double reference(const Character& q) const { return q.subset.empty() ? 0.5 : 0.0; }
  double reference(const CharacterSum&) const { return 0.0; }

  // E_D0[q^2] (vector queries: the largest coordinate)
  double second(const SquareLoss& q) const { return *oracles::reference::second(kBernoulli, q); }
  template <class Q>
  double second(const Q& q) const { return oracles::reference::second(kBernoulli, q); }
  double second(const Character&) const { return 0.5; }
  double second(const CharacterSum& q) const {  // orthonormal characters, E[(2y - 1)^2] = 1
    return static_cast<double>(q.size()) / (q.norm() * q.norm());
  }

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
    require_threshold_supported(q, name);
    return 0.0;  // E[1{z > 0} chi_S] = E[chi_S]/2 = 0 for even k (x -> -x keeps chi_S)
  }
  double deviation(const Character& q, const Subset& s) const { return q.subset == s ? 0.5 * family.signal() : 0.0; }
  double deviation(const CharacterSum& q, const Subset& s) const {
    if (q.order != family.order() || !q.contains(queries::subset_rank(s))) return 0.0;
    return family.signal() / q.norm();
  }
  Vector deviation(const HalfGradient& q, const Subset& s) const {
    return q.w.norm() == 0.0 ? Vector(Vector::Zero(q.w.size())) : Vector(family.half_gradient(q.w, s) - LiftedParity::reference_half_gradient(q.w)) / q.scale;
  }
  Vector deviation(const SurrogateGradient& q, const Subset&) const { return Vector::Zero(q.w.size()); }  // E[chi_S x] = 0
  Vector deviation(const LabelCorrelation& q, const Subset&) const { return Vector::Zero(q.dimension); }
  // sign(y - t) is a function of y alone: its correlation with chi_S(sign x) x vanishes for k >= 2.
  Vector deviation(const ThresholdedLabelCorrelation& q, const Subset&) const { return Vector::Zero(q.dimension); }
};


}  // namespace

std::optional<LabelOnlyQuery> label_only(const sq::RidgeForm* form) {
  if (!form || form->W.cols() == 0 || !form->W.isZero(0.0)) return std::nullopt;
  const Vector zero = Vector::Zero(form->W.cols());
  return LabelOnlyQuery{form->g(zero, 0.0), form->g(zero, 1.0), form->linear_factor};
}

std::string LiftedParity::answers() const {
  return ScalarTypes::names() + ", " + VectorTypes::names() + ", and any ridge query whose directions are zero (a function of the label)";
}

double LiftedParity::reference_answer(const sq::ScalarQuery& query) const {
  if (const auto q = label_only(query.ridge())) return q->mean();
  const Answers a{*this, query.name()};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q); });
}

Vector LiftedParity::reference_answer(const sq::VectorQuery& query) const {
  if (label_only(query.ridge())) return Vector::Zero(params_.d);
  const Answers a{*this, query.name()};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q)); });
}

double LiftedParity::member_answer(const sq::ScalarQuery& query, const Subset& member) const {
  check_member(member);
  if (const auto q = label_only(query.ridge())) return q->mean();
  const Answers a{*this, query.name()};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q) + a.deviation(q, member); });
}

Vector LiftedParity::member_answer(const sq::VectorQuery& query, const Subset& member) const {
  check_member(member);
  if (label_only(query.ridge())) return Vector::Zero(params_.d);
  const Answers a{*this, query.name()};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q) + a.deviation(q, member)); });
}

namespace {
void check_second(const std::string& label, double second) {
  if (second > 1.0 + 1e-12)
    throw sq::QueryRefused(label + " has E_D0[q^2] = " + sq::format_number(second) + " > 1: scale the query down (and its answer up)");
}
}  // namespace

void LiftedParity::check_bound(const sq::ScalarQuery& query) const {
  if (const auto q = label_only(query.ridge())) {
    const double largest = std::max(std::abs(q->g0), std::abs(q->g1));
    if (query.kind() == sq::QueryKind::l2) check_second(query.label(), q->second());
    if ((query.kind() == sq::QueryKind::stat || query.kind() == sq::QueryKind::correlational) && (q->factor || largest > 1.0))
      throw sq::QueryRefused(query.label() + ": |q| <= 1 does not hold (" + (q->factor ? "a linear factor is unbounded" : "|g| = " + sq::format_number(largest)) + ")");
    if (query.kind() == sq::QueryKind::vstat && (q->factor || std::min(q->g0, q->g1) < 0.0 || std::max(q->g0, q->g1) > 1.0))
      throw sq::QueryRefused(query.label() + ": a VSTAT query must take values in [0, 1]");
    return;
  }
  const Answers a{*this, query.name()};
  // Every typed query fixes its own kind: l2 (checked here) or correlational (characters, |h| = 1 exactly).
  const double second = answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (query.kind() == sq::QueryKind::l2) check_second(query.label(), second);
}

void LiftedParity::check_bound(const sq::VectorQuery& query) const {
  if (const auto q = label_only(query.ridge())) {
    check_second(query.label(), q->second());
    if (query.kind() != sq::QueryKind::l2) throw sq::QueryRefused(query.label() + ": |g(y) x| <= 1 cannot hold for Gaussian x; ask it as an l2 query");
    return;
  }
  const Answers a{*this, query.name()};
  check_second(query.label(), answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return a.second(q); }));
}

HardFamily::LossPin LiftedParity::loss_pin(const Vector& w) const {
  // Scale 2 keeps the loss query legal for |w| <= 1; beyond, the scale its second moment needs.
  const double scale = std::max(2.0, std::sqrt(Answers{*this, "square_loss"}.second(SquareLoss{w, 1.0})));
  return {queries::square_loss(w, scale), scale};
}

}  // namespace lower_bounds
