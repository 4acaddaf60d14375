#include "lower_bounds/orthogonal_relu.hpp"

#include "lower_bounds/parity_correlation.hpp"
#include "oracles/reference_moments.hpp"
#include "oracles/relu_closed_forms.hpp"
#include "queries/parity.hpp"
#include "queries/relu_regression.hpp"
#include "sq/dispatch.hpp"
#include "sq/errors.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <cmath>
#include <numeric>
#include <sstream>

namespace lower_bounds {
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

using ScalarTypes = sq::QueryTypes<HalfGradientCoordinate, ReluCorrelation, Character>;
using VectorTypes = sq::QueryTypes<HalfGradient, SurrogateGradient, LabelCorrelation>;

// E_D0[q] and E_D0[q^2] from the closed forms of oracles/reference_moments.hpp (y independent of x
// with E[y] = E[y^3] = 0 and E[y^2] = 1; E[y^4] = E[f^4] is unknown: no square loss), and E_S[q].
struct Answers {
  const OrthogonalRelu& family;
  static constexpr oracles::LabelMoments kLabels{0.0, 1.0, 0.0, std::nullopt};
  template <class Q>
  auto reference(const Q& q) const { return oracles::reference::mean(kLabels, q); }
  double reference(const Character&) const { return 0.0; }
  template <class Q>
  double second(const Q& q) const { return oracles::reference::second(kLabels, q); }
  double second(const Character&) const { return 1.0; }

  double member(const HalfGradientCoordinate& q, const Subset& s) const { return family.half_gradient(q.w, s)[q.coordinate] / q.scale; }
  double member(const ReluCorrelation& q, const Subset& s) const { return family.relu_correlation(q.w, s) / q.scale; }
  double member(const Character& q, const Subset& s) const { return q.subset == s ? family.character_correlation() : 0.0; }
  Vector member(const HalfGradient& q, const Subset& s) const { return family.half_gradient(q.w, s) / q.scale; }
  Vector member(const SurrogateGradient& q, const Subset&) const { return 0.5 * q.w / q.scale; }  // E[f_S x] = 0
  Vector member(const LabelCorrelation& q, const Subset&) const { return Vector::Zero(q.dimension); }
};


}  // namespace

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
  character_correlation_ = std::pow(2.0, params_.k) * ParityCorrelation(queries::Vector::Ones(params_.k) / std::sqrt(params_.k)).value(first) / norm_;
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
  for_each_unit(static_cast<int>(w.size()), member, [&](double sign, const Vector& u) { value += sign * oracles::closed_form::relu_kernel(w, u); });
  return value / norm_;
}

Vector OrthogonalRelu::label_step_correlation(const Vector& w, const Subset& member) const {
  Vector value = Vector::Zero(w.size());
  for_each_unit(static_cast<int>(w.size()), member, [&](double sign, const Vector& u) {
    value += sign * oracles::closed_form::relu_times_step_times_x(w, u);
  });
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

double OrthogonalRelu::sample(boost::random::mt19937_64& engine, const Subset& member, Eigen::Ref<Vector> x) const {
  boost::random::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
  return label(x, member);
}

std::string OrthogonalRelu::answers() const { return ScalarTypes::names() + ", " + VectorTypes::names(); }

double OrthogonalRelu::reference_answer(const sq::ScalarQuery& query) const {
  const Answers a{*this};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.reference(q); });
}

Vector OrthogonalRelu::reference_answer(const sq::VectorQuery& query) const {
  const Answers a{*this};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.reference(q)); });
}

double OrthogonalRelu::member_answer(const sq::ScalarQuery& query, const Subset& member) const {
  check_member(member);
  const Answers a{*this};
  return answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.member(q, member); });
}

Vector OrthogonalRelu::member_answer(const sq::VectorQuery& query, const Subset& member) const {
  check_member(member);
  const Answers a{*this};
  return answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return Vector(a.member(q, member)); });
}

void OrthogonalRelu::check_bound(const sq::ScalarQuery& query) const {
  const Answers a{*this};
  const double second = answer_typed<ScalarTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (query.kind() == sq::QueryKind::l2 && second > 1.0 + 1e-12)
    throw sq::QueryRefused(query.label() + " has E_D0[q^2] = " + sq::format_number(second) + " > 1: scale the query down (and its answer up)");
}

void OrthogonalRelu::check_bound(const sq::VectorQuery& query) const {
  const Answers a{*this};
  const double second = answer_typed<VectorTypes>(*this, query, [&](const auto& q) { return a.second(q); });
  if (second > 1.0 + 1e-12)
    throw sq::QueryRefused(query.label() + " has a coordinate with E_D0[q_i^2] = " + sq::format_number(second) +
                           " > 1: scale the query down (and its answer up)");
}

HardFamily::LossPin OrthogonalRelu::loss_pin(const Vector& w) const {
  const double scale = std::max(1.0, w.norm() / std::sqrt(2.0));  // E_D0[(y relu(w.x))^2] = |w|^2/2
  return {queries::relu_correlation(w, scale), 2.0 * scale};
}

}  // namespace lower_bounds
