#include "lower_bounds/orthogonal_relu.hpp"

#include "oracles/relu_closed_forms.hpp"
#include "sq/errors.hpp"

#include <cmath>
#include <numeric>

namespace lower_bounds {
namespace {

using sq::Vector;

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

}  // namespace

void OrthogonalReluParams::validate() const {
  sq::require(d >= 1, "dim", d, "must be at least 1");
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
  for_each_unit(params_.k, first, [&](double, const Vector& u) { rho_ = std::max(rho_, relu_correlation(u, first)); });
}

double OrthogonalRelu::label(const Vector& x, const Subset& member) const {
  double value = 0.0;
  for_each_unit(static_cast<int>(x.size()), member, [&](double sign, const Vector& u) { value += sign * sq::relu(u.dot(x)); });
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
  return 0.5 * w.squaredNorm() - 2.0 * relu_correlation(w, member) + 1.0;
}

Vector OrthogonalRelu::half_gradient(const Vector& w, const Subset& member) const {
  // E[relu(w.x) relu'(w.x) x] = w/2 (0 at w = 0)
  return 0.5 * w - label_step_correlation(w, member);
}

OrthogonalReluOracle::OrthogonalReluOracle(const OrthogonalRelu& family, Subset member) : family_(family), member_(std::move(member)) {}

namespace {
[[noreturn]] void refuse(const std::string& name) {
  throw sq::QueryRefused("query '" + name + "': the orthogonal-relu oracle answers only the square loss and its gradient");
}
}  // namespace

sq::ScalarAnswer OrthogonalReluOracle::answer(const sq::ScalarQuery& query, double) {
  if (!query.ridge || query.ridge->W.cols() != 1 || query.ridge->W.rows() != dimension()) refuse(query.name);
  const sq::RidgeForm& r = *query.ridge;
  const Vector w = r.W.col(0);
  double truth;
  if (r.closed_form == sq::ClosedForm::square_loss && !r.linear_factor)
    truth = family_.loss(w, member_);
  else if (r.closed_form == sq::ClosedForm::square_loss_gradient && r.linear_factor)
    truth = r.linear_factor->dot(family_.half_gradient(w, member_));
  else
    refuse(query.name);
  truth /= r.closed_form_scale;
  return {truth, truth};
}

sq::VectorAnswer OrthogonalReluOracle::answer(const sq::VectorQuery& query, double) {
  if (!query.ridge || query.ridge->W.cols() != 1 || query.ridge->W.rows() != dimension() ||
      query.ridge->closed_form != sq::ClosedForm::square_loss_gradient)
    refuse(query.name);
  const Vector truth = family_.half_gradient(query.ridge->W.col(0), member_) / query.ridge->closed_form_scale;
  return {truth, truth};
}

}  // namespace lower_bounds
