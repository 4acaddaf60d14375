#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"

#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"
#include "sqsim/numerics/gaussian_quadrature.hpp"
#include "sqsim/oracles/reference_moments.hpp"
#include "sqsim/oracles/relu_closed_forms.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/dispatch.hpp"
#include "sqsim/sq/errors.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace sqsim::lower_bounds {
namespace {

using namespace queries;

// Calls f(sign product, unit vector s . e_S / sqrt(k)) for every s in {+-1}^k.
template <class F>
void for_each_unit(int d, const Subset& member, F&& f) {
  const int k = static_cast<int>(member.size());
  const double entry = 1.0 / std::sqrt(static_cast<double>(k));
  Vector u = Vector::Zero(d);
  for (std::uint32_t mask = 0; mask < (1u << k); ++mask) {
    double sign = 1.0;
    for (int i = 0; i < k; ++i) {
      const bool negative = (mask >> i) & 1u;
      u[member[static_cast<std::size_t>(i)]] = negative ? -entry : entry;
      if (negative) sign = -sign;
    }
    f(sign, u);
  }
}

using OrthogonalScalarTypes = sq::QueryTypes<HalfGradientCoordinate, ReluCorrelation, Character>;
using OrthogonalVectorTypes = sq::QueryTypes<HalfGradient, SurrogateGradient, LabelCorrelation>;

// E_D0[q] and E_D0[q^2] from the closed forms of oracles/reference_moments.hpp (y independent of x
// with E[y] = E[y^3] = 0 and E[y^2] = 1; E[y^4] = E[f^4] is unknown: no square loss), and E_S[q].
struct OrthogonalAnswers {
  const OrthogonalRelu& family;
  static constexpr oracles::LabelMoments kLabels{0.0, 1.0, 0.0, std::nullopt};
  template <class Q>
  auto reference(const Q& q) const {
    return oracles::reference::mean(kLabels, q);
  }
  double reference(const Character&) const { return 0.0; }
  template <class Q>
  double second(const Q& q) const {
    return oracles::reference::second(kLabels, q);
  }
  double second(const Character&) const { return 1.0; }

  double member(const HalfGradientCoordinate& q, const Subset& s) const { return family.half_gradient(q.w, s)[q.coordinate] / q.scale; }
  double member(const ReluCorrelation& q, const Subset& s) const { return family.relu_correlation(q.w, s) / q.scale; }
  double member(const Character& q, const Subset& s) const { return q.subset == s ? family.character_correlation() : 0.0; }
  Vector member(const HalfGradient& q, const Subset& s) const { return family.half_gradient(q.w, s) / q.scale; }
  Vector member(const SurrogateGradient& q, const Subset&) const { return 0.5 * q.w / q.scale; }  // E[f_S x] = 0
  Vector member(const LabelCorrelation& q, const Subset&) const { return Vector::Zero(q.dimension); }
};

// A correlational query h(w.x) y in one direction w (any h with its breakpoints), which the family
// answers by integration rather than by a closed form; nullptr for any other query.
const sq::RidgeForm* one_direction_correlational(const sq::ScalarQuery& query) {
  const sq::RidgeForm* form = query.ridge();
  if (query.kind() != sq::QueryKind::correlational || !form || !form->feature || form->W.cols() != 1 || form->linear_factor) return nullptr;
  return form;
}

// The breakpoints of h(|w| t0) in the plane (t0, t1): t0 = 0 and t0 = level / |w|.
std::vector<numerics::Hyperplane> feature_breaks(const sq::RidgeForm& form, double norm) {
  std::vector<numerics::Hyperplane> breaks{{{1.0, 0.0}, 0.0}};
  for (const sq::Breakpoint& b : form.breakpoints) breaks.push_back({{1.0, 0.0}, b.level / norm});
  return breaks;
}

}  // namespace

// E_S[h(w.x) y] = E[h(w.x) f_S(x)] = (1/Z) sum_s (prod s_i) E[h(w.x) relu(u_s.x)]. For even k the units
// s and -s carry the same sign, and relu(a) + relu(-a) = |a|, so half the units with |u_s.x| suffice.
// In the plane of w and u_s (t0 along w, t1 orthogonal, both N(0, 1)): w.x = |w| t0 and
// u_s.x = c t0 + sqrt(1 - c^2) t1 with c = u_s.w/|w|; one 2-D integral per unit, split where h has
// breakpoints and along the kink of |u_s.x|. (Checked against Monte Carlo and the closed form of
// relu_correlation in tests/test_orthogonal_relu.cpp.)
double OrthogonalRelu::correlational_answer(const sq::RidgeForm& form, const Subset& member) const {
  const Vector w = form.W.col(0);
  const double norm = w.norm();
  if (norm == 0.0) return 0.0;  // h(0) E[f_S] = 0: f_S is odd
  const Vector direction = w / norm;
  double value = 0.0;
  Vector z(1);
  std::vector<numerics::Hyperplane> breaks = feature_breaks(form, norm);
  breaks.emplace_back();  // the kink of |u_s.x|, set per unit
  for_each_unit(params_.d, member, [&](double sign, const Vector& u) {
    if (u[member.front()] < 0.0) return;  // its mirror image -u is counted through |u.x|
    const double c = std::clamp(u.dot(direction), -1.0, 1.0), s = std::sqrt(std::max(0.0, 1.0 - c * c));
    breaks.back() = {{c, s}, 0.0};
    double sum = 0.0;
    numerics::integrate_gaussian(
        2, breaks, 1,
        [&](const double* t, double weight, double* sums) {
          z[0] = norm * t[0];
          sums[0] += weight * form.feature(z) * std::abs(c * t[0] + s * t[1]);
        },
        &sum);
    value += sign * sum;
  });
  return value / norm_;
}

void OrthogonalReluParams::validate() const {
  // Per direction ~600 tabulated factors per coordinate: 20000 coordinates are ~200 MB.
  sq::require(d >= 1 && d <= 20000, "dim", d, "must lie in [1, 20000]");
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(k <= d, "k", k, "must not exceed dim = " + std::to_string(d));
  sq::require(k % 2 == 0, "k", k, "must be even: for odd k the network f_S is identically zero");
  sq::require(k <= 10, "k", k, "must be at most 10 (2^k units per network)");
}

OrthogonalRelu::OrthogonalRelu(OrthogonalReluParams params) : params_(params) {
  params_.validate();
  Subset first(static_cast<std::size_t>(params_.k));
  std::iota(first.begin(), first.end(), 0);
  norm_ = 1.0;
  norm_ = std::sqrt(correlation(first, first));
  // By symmetry the best unit direction is a signed 1_S / sqrt(k); try every sign pattern.
  for_each_unit(params_.k, first, [&](double, const Vector& u) { facts_.rho = std::max(facts_.rho, relu_correlation(u, first)); });
  const double r = std::min(1.0, 2.0 * facts_.rho);  // the loss along the best u is r^2/2 - 2 r rho + 1
  facts_.opt0 = 1.0;
  facts_.optS = 0.5 * r * r - 2.0 * r * facts_.rho + 1.0;
  facts_.gap = facts_.opt0 - facts_.optS;
  facts_.beta = 1.0;
  facts_.gamma = 0.0;
  character_correlation_ =
      std::pow(2.0, params_.k) * ParityCorrelation(queries::Vector::Ones(params_.k) / std::sqrt(params_.k)).value(first) / norm_;
}

std::string OrthogonalRelu::description() const {
  std::ostringstream out;
  out << "orthogonal relu network, k = " << params_.k << " (d = " << params_.d << ")";
  return out.str();
}

Vector OrthogonalRelu::optimal_w(const Subset& member) const {
  Vector best = Vector::Zero(params_.d);
  double value = -1.0;
  for_each_unit(params_.d, member, [&](double, const Vector& u) {
    if (const double c = relu_correlation(u, member); c > value) {
      value = c;
      best = std::min(1.0, 2.0 * c) * u;
    }
  });
  return best;
}

double OrthogonalRelu::label(const Vector& x, const Subset& member) const {
  double value = 0.0;
  for_each_unit(static_cast<int>(x.size()), member, [&](double sign, const Vector& u) { value += sign * queries::relu(u.dot(x)); });
  return value / norm_;
}

double OrthogonalRelu::relu_correlation(const Vector& w, const Subset& member) const {
  double value = 0.0;
  for_each_unit(static_cast<int>(w.size()), member,
                [&](double sign, const Vector& u) { value += sign * oracles::closed_form::relu_kernel(w, u); });
  return value / norm_;
}

Vector OrthogonalRelu::label_step_correlation(const Vector& w, const Subset& member) const {
  Vector value = Vector::Zero(w.size());
  for_each_unit(static_cast<int>(w.size()), member,
                [&](double sign, const Vector& u) { value += sign * oracles::closed_form::relu_times_step_times_x(w, u); });
  return value / norm_;
}

double OrthogonalRelu::correlation(const Subset& a, const Subset& b) const {
  double value = 0.0;
  const int d = params_.d;
  for_each_unit(d, a, [&](double sa, const Vector& u) {
    for_each_unit(d, b, [&](double sb, const Vector& v) { value += sa * sb * oracles::closed_form::relu_kernel(u, v); });
  });
  return value / (norm_ * norm_);
}

double OrthogonalRelu::loss(const Vector& w, const Subset& member) const {
  check_member(member);
  return 0.5 * w.squaredNorm() - 2.0 * relu_correlation(w, member) + 1.0;
}

double OrthogonalRelu::reference_loss(const Vector& w) const { return 0.5 * w.squaredNorm() + 1.0; }

Vector OrthogonalRelu::half_gradient(const Vector& w, const Subset& member) const {
  // E[relu(w.x) relu'(w.x) x] = w/2 (0 at w = 0)
  return 0.5 * w - label_step_correlation(w, member);
}

double OrthogonalRelu::sample(sq::Engine& engine, const Subset& member, Eigen::Ref<Vector> x) const {
  boost::random::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
  return label(x, member);
}

std::string OrthogonalRelu::answers() const {
  std::string text = OrthogonalScalarTypes::names();  // appended: GCC 12 -O3 warns falsely on `a + ", " + b + literal` (bug 105651)
  text.append(", ").append(OrthogonalVectorTypes::names()).append(", and any correlational query h(w.x) y in one direction");
  return text;
}

double OrthogonalRelu::reference_answer(const sq::ScalarQuery& query) const {
  if (one_direction_correlational(query)) return 0.0;  // E_D0[h y] = E[h] E[y] = 0
  const OrthogonalAnswers a{*this};
  return answer_typed<OrthogonalScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q); });
}

Vector OrthogonalRelu::reference_answer(const sq::VectorQuery& query) const {
  const OrthogonalAnswers a{*this};
  return answer_typed<OrthogonalVectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q)); });
}

double OrthogonalRelu::member_answer(const sq::ScalarQuery& query, const Subset& member) const {
  check_member(member);
  if (const sq::RidgeForm* form = one_direction_correlational(query)) return correlational_answer(*form, member);
  const OrthogonalAnswers a{*this};
  return answer_typed<OrthogonalScalarTypes>(*this, query, [&](const auto& q) { return a.member(q, member); });
}

Vector OrthogonalRelu::member_answer(const sq::VectorQuery& query, const Subset& member) const {
  check_member(member);
  const OrthogonalAnswers a{*this};
  return answer_typed<OrthogonalVectorTypes>(*this, query, [&](const auto& q) { return Vector(a.member(q, member)); });
}

void OrthogonalRelu::check_bound(const sq::ScalarQuery& query) const {
  if (const sq::RidgeForm* form = one_direction_correlational(query)) {
    // |h| <= 1 on the integration nodes of z = w.x (where the answer looks at h), as the exact oracle checks it.
    const double norm = form->W.col(0).norm();
    double largest = 0.0;
    Vector z(1);
    const std::vector<numerics::Hyperplane> breaks = norm > 0.0 ? feature_breaks(*form, norm) : std::vector<numerics::Hyperplane>{};
    double unused = 0.0;
    numerics::integrate_gaussian(
        1, breaks, 1,
        [&](const double* t, double, double*) {
          z[0] = norm * t[0];
          largest = std::max(largest, std::abs(form->feature(z)));
        },
        &unused);
    if (largest > 1.0 + 1e-12)
      throw sq::QueryRefused(query.label() + " has |h| = " + sq::format_number(largest) + " > 1 somewhere: not a correlational query");
    return;
  }
  const OrthogonalAnswers a{*this};
  const double second = answer_typed<OrthogonalScalarTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (query.kind() == sq::QueryKind::l2 && second > 1.0 + 1e-12)
    throw sq::QueryRefused(query.label() + " has E_D0[q^2] = " + sq::format_number(second) +
                           " > 1: scale the query down (and its answer up)");
}

void OrthogonalRelu::check_bound(const sq::VectorQuery& query) const {
  const OrthogonalAnswers a{*this};
  const double second = answer_typed<OrthogonalVectorTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (second > 1.0 + 1e-12)
    throw sq::QueryRefused(query.label() + " has a coordinate with E_D0[q_i^2] = " + sq::format_number(second) +
                           " > 1: scale the query down (and its answer up)");
}

HardFamily::LossPin OrthogonalRelu::loss_pin(const Vector& w) const {
  const double scale = std::max(1.0, w.norm() / std::sqrt(2.0));  // E_D0[(y relu(w.x))^2] = |w|^2/2
  return {queries::relu_correlation(w, scale), 2.0 * scale};
}

}  // namespace sqsim::lower_bounds