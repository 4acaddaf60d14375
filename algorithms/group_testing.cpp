#include "sqsim/algorithms/group_testing.hpp"

#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::algorithms {

void GroupTestingParams::validate() const {
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(std::isfinite(signal) && signal > 0.0 && signal <= 1.0, "signal", signal, "must lie in (0, 1]");
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(tolerance < signal / 2.0, "tolerance", tolerance,
              "must be below signal/2 = " + sq::format_number(signal / 2.0) + " to decide even a single member");
}

GroupTesting::GroupTesting(GroupTestingParams params) : params_(params) { params_.validate(); }

std::uint64_t GroupTesting::group_size(int d) const {
  const double s = params_.signal, tau = params_.tolerance;
  // The largest integer strictly below the limit (s^2/(4 tau^2) or s/(2 tau)).
  double limit = params_.queries == GroupQueries::l2 ? s * s / (4.0 * tau * tau) : s / (2.0 * tau);
  // An exact integer limit (0.8^2 / (4 0.02^2) = 400) must not become 400 + 1 ulp through rounding.
  if (std::abs(limit - std::round(limit)) <= 1e-9 * limit) limit = std::round(limit);
  const double largest = std::ceil(limit) - 1.0;
  const double members = queries::binomial(d, params_.k);
  return static_cast<std::uint64_t>(std::clamp(largest, 1.0, std::max(1.0, members)));
}

double GroupTesting::planned_queries(int d) const { return queries::binomial(d, params_.k) / static_cast<double>(group_size(d)); }

sq::Vector GroupTesting::run(sq::QueryChannel& channel) {
  const auto d = static_cast<int>(channel.dimension());
  sq::require(params_.k <= d, "k", params_.k, "must not exceed the dimension " + std::to_string(d));
  const std::uint64_t members = queries::binomial_saturating(d, params_.k), size = group_size(d);
  const auto normalization =
      params_.queries == GroupQueries::l2 ? queries::CharacterSum::Normalization::l2 : queries::CharacterSum::Normalization::stat;
  auto contains_s = [&](std::uint64_t begin, std::uint64_t end) {
    const auto query = queries::character_sum(d, params_.k, {{begin, end}}, normalization);
    const double n = query.as<queries::CharacterSum>()->norm();
    return channel.ask(query, params_.tolerance) > params_.signal / (2.0 * n);
  };
  found_.clear();
  for (std::uint64_t begin = 0; begin < members && found_.empty(); begin += size) {
    std::uint64_t lo = begin, hi = std::min(members, begin + size);
    if (!contains_s(lo, hi)) continue;
    while (hi - lo > 1) {  // S is in [lo, hi): keep the half that holds it
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (contains_s(lo, mid))
        hi = mid;
      else
        lo = mid;
    }
    found_ = queries::subset_unrank(lo, params_.k);
  }
  sq::Vector w = sq::Vector::Zero(d);
  if (!found_.empty()) {
    const sq::Vector u = queries::parity_relu_direction(d, found_);
    // E_D0[(y relu(u.x))^2] <= E[relu^2] = 1/2 for y in [0, 1]: scale 1 keeps the query legal.
    const double r = std::clamp(2.0 * channel.ask(queries::relu_correlation(u, 1.0), params_.tolerance), 0.0, 1.0);
    w = r * u;
  }
  channel.report_iterate(w);
  return w;
}

}  // namespace sqsim::algorithms