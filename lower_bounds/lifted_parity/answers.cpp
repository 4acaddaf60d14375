// Exact answers of the lifted parity to the typed queries: E_D0[q], E_D0[q^2] (the declared bound;
// the ReLU queries' closed forms are oracles/reference_moments.hpp with y ~ Bernoulli(1/2)) and
// E_S[q] - E_D0[q], one overload per query type.
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"

#include "sqsim/lower_bounds/lifted_parity/detail/answered_types.hpp"
#include "sqsim/lower_bounds/lifted_parity/detail/caches.hpp"

#include "sqsim/numerics/gaussian_quadrature.hpp"
#include "sqsim/oracles/reference_moments.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/dispatch.hpp"
#include "sqsim/sq/errors.hpp"

#include <cmath>
#include <numbers>
#include <string_view>
#include <type_traits>

namespace sqsim::lower_bounds {
namespace {

using namespace queries;

using ScalarTypes = LiftedParityScalarTypes;
using VectorTypes = LiftedParityVectorTypes;

// The partial derivative of R_S at w along coordinate i, from the member's parts.
double partial(const ParityCorrelation::Parts& parts, const Subset& member, const Vector& w, Eigen::Index i) {
  for (std::size_t j = 0; j < member.size(); ++j)
    if (member[j] == i) return parts.on_subset[j];
  return parts.off_coefficient * w[i];
}

struct Answers {
  const LiftedParity& family;

  // Under D0, y ~ Bernoulli(1/2) independent of x: E[y^j] = 1/2 for every j >= 1.
  static constexpr oracles::LabelMoments kBernoulli{0.5, 0.5, 0.5, 0.5};

  // E_D0[q]
  template <class Q>
  auto reference(const Q& q) const {
    return oracles::reference::mean(kBernoulli, q);
  }
  double reference(const Character& q) const { return q.subset.empty() ? 0.5 : 0.0; }
  double reference(const CharacterSum&) const { return 0.0; }

  // E_D0[q^2] (vector queries: the largest coordinate)
  double second(const SquareLoss& q) const { return *oracles::reference::second(kBernoulli, q); }
  template <class Q>
  double second(const Q& q) const {
    return oracles::reference::second(kBernoulli, q);
  }
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
  // Reached at threshold 0 (or w = 0) only: other thresholds go through ParityRidge (generic_form).
  double deviation(const ThresholdCorrelation&, const Subset&) const {
    return 0.0;  // E[1{z > 0} chi_S] = E[chi_S]/2 = 0 for even k (x -> -x keeps chi_S)
  }
  double deviation(const Character& q, const Subset& s) const { return q.subset == s ? 0.5 * family.signal() : 0.0; }
  double deviation(const CharacterSum& q, const Subset& s) const {
    if (q.order != family.order() || !q.contains(queries::subset_rank(s))) return 0.0;
    return family.signal() / q.norm();
  }
  Vector deviation(const HalfGradient& q, const Subset& s) const {
    return q.w.norm() == 0.0 ? Vector(Vector::Zero(q.w.size()))
                             : Vector(family.half_gradient(q.w, s) - LiftedParity::reference_half_gradient(q.w)) / q.scale;
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

namespace {

// A ridge query in one nonzero direction that no closed form covers (a user's g; a threshold
// correlation away from 0): nullptr for any other query.
const sq::RidgeForm* one_direction(const sq::RidgeForm* form) {
  if (!form || form->W.cols() != 1 || form->W.isZero(0.0)) return nullptr;
  return form;
}

// The 1-D Gaussian integrals of a one-direction form under D0 (y ~ Bernoulli(1/2) independent of x):
// E[gbar(|w| t)], E[gbar(|w| t) t], E[g2bar(|w| t)], E[g2bar(|w| t) t^2] and max |g| on the nodes, with
// gbar = (g(., 0) + g(., 1))/2 and g2bar = (g(., 0)^2 + g(., 1)^2)/2.
struct ReferenceMoments {
  double mean = 0.0, first = 0.0, second = 0.0, second_t2 = 0.0, largest = 0.0, smallest = 0.0;
};
ReferenceMoments reference_moments(const sq::RidgeForm& form) {
  const double norm = form.W.col(0).norm();
  std::vector<numerics::Hyperplane> breaks{{{1.0, 0.0}, 0.0}};
  for (const sq::Breakpoint& b : form.breakpoints) breaks.push_back({{1.0, 0.0}, b.level / norm});
  ReferenceMoments m;
  m.smallest = std::numeric_limits<double>::infinity();
  std::array<double, 4> sums{};
  Vector z(1);
  numerics::integrate_gaussian(
      1, breaks, 4,
      [&](const double* t, double weight, double* out) {
        z[0] = norm * t[0];
        const double g0 = form.g(z, 0.0), g1 = form.g(z, 1.0);
        const double mean = 0.5 * (g0 + g1), square = 0.5 * (g0 * g0 + g1 * g1);
        out[0] += weight * mean;
        out[1] += weight * mean * t[0];
        out[2] += weight * square;
        out[3] += weight * square * t[0] * t[0];
        m.largest = std::max({m.largest, std::abs(g0), std::abs(g1)});
        m.smallest = std::min({m.smallest, g0, g1});
      },
      sums.data());
  m.mean = sums[0];
  m.first = sums[1];
  m.second = sums[2];
  m.second_t2 = sums[3];
  return m;
}

}  // namespace

namespace {

// ParityRidge for a one-direction form, kept for the last few queries (`keep` holds the query).
std::shared_ptr<const ParityRidge> ridge_for(LiftedParityCaches& caches, int k, const sq::RidgeForm* form,
                                             std::shared_ptr<const void> keep) {
  if (!one_direction(form)) return nullptr;
  const std::lock_guard lock(caches.ridge_mutex);
  auto& ridges = caches.ridges;
  for (const auto& entry : ridges)
    if (entry.form == form) return entry.ridge;
  std::vector<double> levels;
  for (const sq::Breakpoint& b : form->breakpoints) levels.push_back(b.level);
  // The h of the query: g(z, 1) - g(z, 0). It holds the query, so the form outlives every copy of the ParityRidge.
  auto h = [form, keep](double z) {
    thread_local Vector point(1);
    point[0] = z;
    return form->g(point, 1.0) - form->g(point, 0.0);
  };
  auto ridge = std::make_shared<const ParityRidge>(h, levels, form->W.col(0).norm(), std::min(k + 1, kMaxParityOrder + 1));
  if (ridges.size() >= LiftedParityCaches::kMaxRidges) ridges.erase(ridges.begin());
  ridges.push_back({form, std::move(keep), ridge});
  return ridge;
}

}  // namespace

const sq::RidgeForm* LiftedParity::generic_form(const sq::ScalarQuery& query) {
  if (const auto* t = query.as<ThresholdCorrelation>(); t && t->threshold != 0.0) return one_direction(query.ridge());
  if (ScalarTypes::visit(query, [](const auto&) { return true; })) return nullptr;
  return one_direction(query.ridge());
}
const sq::RidgeForm* LiftedParity::generic_form(const sq::VectorQuery& query) {
  if (VectorTypes::visit(query, [](const auto&) { return true; })) return nullptr;
  return one_direction(query.ridge());
}

std::shared_ptr<const ParityRidge> LiftedParity::ridge(const sq::ScalarQuery& query) const {
  return ridge_for(*caches_, params_.k, query.ridge(), std::make_shared<const sq::ScalarQuery>(query));
}
std::shared_ptr<const ParityRidge> LiftedParity::ridge(const sq::VectorQuery& query) const {
  return ridge_for(*caches_, params_.k, query.ridge(), std::make_shared<const sq::VectorQuery>(query));
}

double LiftedParity::deviation(const sq::ScalarQuery& query, const Subset& member) const {
  if (label_only(query.ridge())) return 0.0;
  if (const sq::RidgeForm* form = generic_form(query)) {
    const auto r = ridge(query);
    const Vector w = form->W.col(0);
    return 0.5 * signal() * (form->linear_factor ? r->mixed_linear(w, member, *form->linear_factor) : r->mixed(w, member));
  }
  const Answers a{*this};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.deviation(q, member); });
}

Vector LiftedParity::deviation(const sq::VectorQuery& query, const Subset& member) const {
  if (label_only(query.ridge())) return Vector::Zero(params_.d);
  if (const sq::RidgeForm* form = generic_form(query)) return 0.5 * signal() * ridge(query)->mixed_vector(form->W.col(0), member);
  const Answers a{*this};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.deviation(q, member)); });
}

std::string LiftedParity::answers() const {
  std::string text = ScalarTypes::names();  // appended: GCC 12 -O3 warns falsely on `a + ", " + b + literal` (bug 105651)
  text.append(", ")
      .append(VectorTypes::names())
      .append(
          ", and any ridge query g(w.x, y), g(w.x, y) c.x or g(w.x, y) x in one direction w (or none); queries in two or more directions "
          "are refused");
  return text;
}

double LiftedParity::reference_answer(const sq::ScalarQuery& query) const {
  if (const auto q = label_only(query.ridge())) return q->mean();
  if (const sq::RidgeForm* form = generic_form(query)) {
    const ReferenceMoments m = reference_moments(*form);
    // E[gbar(z) c.x] = (c.u) E[gbar(|w| t) t] by Stein's identity along u = w/|w|
    return form->linear_factor ? form->linear_factor->dot(form->W.col(0).normalized()) * m.first : m.mean;
  }
  const Answers a{*this};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q); });
}

Vector LiftedParity::reference_answer(const sq::VectorQuery& query) const {
  if (label_only(query.ridge())) return Vector::Zero(params_.d);
  if (const sq::RidgeForm* form = generic_form(query)) return form->W.col(0).normalized() * reference_moments(*form).first;
  const Answers a{*this};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q)); });
}

double LiftedParity::member_answer(const sq::ScalarQuery& query, const Subset& member) const {
  check_member(member);
  return reference_answer(query) + deviation(query, member);
}

Vector LiftedParity::member_answer(const sq::VectorQuery& query, const Subset& member) const {
  check_member(member);
  return reference_answer(query) + deviation(query, member);
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
      throw sq::QueryRefused(query.label() + ": |q| <= 1 does not hold (" +
                             (q->factor ? "a linear factor is unbounded" : "|g| = " + sq::format_number(largest)) + ")");
    if (query.kind() == sq::QueryKind::vstat && (q->factor || std::min(q->g0, q->g1) < 0.0 || std::max(q->g0, q->g1) > 1.0))
      throw sq::QueryRefused(query.label() + ": a VSTAT query must take values in [0, 1]");
    return;
  }
  if (const sq::RidgeForm* form = generic_form(query)) {
    const ReferenceMoments m = reference_moments(*form);
    if (form->linear_factor) {
      if (query.kind() != sq::QueryKind::l2)
        throw sq::QueryRefused(query.label() + ": a linear factor c.x is unbounded; ask it as an l2 query");
      // E[g2bar(z) (c.x)^2] = g2 (|c|^2 - (c.u)^2) + (c.u)^2 E[g2bar t^2]
      const double cu = form->linear_factor->dot(form->W.col(0).normalized()), c2 = form->linear_factor->squaredNorm();
      check_second(query.label(), m.second * (c2 - cu * cu) + cu * cu * m.second_t2);
      return;
    }
    if (query.kind() == sq::QueryKind::l2) check_second(query.label(), m.second);
    if ((query.kind() == sq::QueryKind::stat || query.kind() == sq::QueryKind::correlational) && m.largest > 1.0 + 1e-12)
      throw sq::QueryRefused(query.label() + ": |q| <= 1 does not hold (|g| = " + sq::format_number(m.largest) +
                             " on the integration nodes)");
    if (query.kind() == sq::QueryKind::vstat && (m.smallest < 0.0 || m.largest > 1.0 + 1e-12))
      throw sq::QueryRefused(query.label() + ": a VSTAT query must take values in [0, 1]");
    return;
  }
  const Answers a{*this};
  // Every typed query fixes its own kind: l2 (checked here) or correlational (characters, |h| = 1 exactly).
  const double second = answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (query.kind() == sq::QueryKind::l2) check_second(query.label(), second);
}

void LiftedParity::check_bound(const sq::VectorQuery& query) const {
  if (const auto q = label_only(query.ridge())) {
    check_second(query.label(), q->second());
    if (query.kind() != sq::QueryKind::l2)
      throw sq::QueryRefused(query.label() + ": |g(y) x| <= 1 cannot hold for Gaussian x; ask it as an l2 query");
    return;
  }
  if (const sq::RidgeForm* form = generic_form(query)) {
    if (query.kind() != sq::QueryKind::l2)
      throw sq::QueryRefused(query.label() + ": |g x| <= 1 cannot hold for Gaussian x; ask it as an l2 query");
    // E[g2bar(z) x_j^2] = g2 (1 - u_j^2) + u_j^2 E[g2bar t^2]: affine in u_j^2, largest at an extreme u_j^2
    const ReferenceMoments m = reference_moments(*form);
    const Vector u2 = form->W.col(0).normalized().cwiseAbs2();
    const double extreme = m.second_t2 > m.second ? u2.maxCoeff() : u2.minCoeff();
    check_second(query.label(), m.second * (1.0 - extreme) + extreme * m.second_t2);
    return;
  }
  const Answers a{*this};
  check_second(query.label(), answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return a.second(q); }));
}

HardFamily::LossPin LiftedParity::loss_pin(const Vector& w) const {
  // Scale 2 keeps the loss query legal for |w| <= 1; beyond, the scale its second moment needs.
  const double scale = std::max(2.0, std::sqrt(Answers{*this}.second(SquareLoss{w, 1.0})));
  return {queries::square_loss(w, scale), scale};
}

}  // namespace sqsim::lower_bounds