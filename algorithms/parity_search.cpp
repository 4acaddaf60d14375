#include "sqsim/algorithms/parity_search.hpp"

#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/errors.hpp"

#include <cmath>
#include <numbers>
#include <numeric>

namespace sqsim::algorithms {

void ParitySearchParams::validate() const {
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
}

ParitySearch::ParitySearch(ParitySearchParams params) : params_(params) { params_.validate(); }

double ParitySearch::planned_queries(int d) const { return queries::binomial(d, params_.k); }

sq::Vector ParitySearch::run(sq::QueryChannel& channel) {
  const auto d = static_cast<int>(channel.dimension());
  sq::require(params_.k <= d, "k", params_.k, "must not exceed the dimension " + std::to_string(d));
  queries::Subset candidate(static_cast<std::size_t>(params_.k));
  std::iota(candidate.begin(), candidate.end(), 0);
  double best = 2.0 * params_.tolerance;
  found_.clear();
  do {
    const double answer = channel.ask(queries::character(d, candidate), params_.tolerance);
    if (std::abs(answer) > best) {
      best = std::abs(answer);
      found_ = candidate;
      if (params_.stop_at_first) break;
    }
  } while (queries::next_subset(candidate, d));
  const sq::Vector w = queries::parity_relu_direction(d, found_) / std::sqrt(2.0 * std::numbers::pi);
  channel.report_iterate(w);
  return w;
}

}  // namespace sqsim::algorithms