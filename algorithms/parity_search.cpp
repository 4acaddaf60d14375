#include "algorithms/parity_search.hpp"

#include "sq/errors.hpp"
#include "sq/relu_queries.hpp"

#include <cmath>
#include <numbers>
#include <numeric>

namespace algorithms {

void ParitySearchParams::validate() const {
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
}

ParitySearch::ParitySearch(ParitySearchParams params) : params_(params) { params_.validate(); }

sq::Vector ParitySearch::run(sq::QueryChannel& channel) {
  const auto d = static_cast<int>(channel.dimension());
  sq::require(params_.k <= d, "k", params_.k, "must not exceed the dimension " + std::to_string(d));
  std::vector<int> candidate(static_cast<std::size_t>(params_.k));
  std::iota(candidate.begin(), candidate.end(), 0);
  double best = 2.0 * params_.tolerance;
  found_.clear();
  while (true) {
    const double answer = channel.ask(sq::parity_correlation_query(d, candidate), params_.tolerance);
    if (std::abs(answer) > best) {
      best = std::abs(answer);
      found_ = candidate;
      if (params_.stop_at_first) break;
    }
    // next k-subset in colexicographic order
    int i = 0;
    while (i < params_.k && candidate[static_cast<std::size_t>(i)] + 1 == (i + 1 < params_.k ? candidate[static_cast<std::size_t>(i) + 1] : d)) ++i;
    if (i == params_.k) break;
    ++candidate[static_cast<std::size_t>(i)];
    for (int j = 0; j < i; ++j) candidate[static_cast<std::size_t>(j)] = j;
  }
  sq::Vector w = sq::Vector::Zero(d);
  if (!found_.empty()) {
    const double entry = 1.0 / std::sqrt(2.0 * std::numbers::pi * params_.k);
    for (int j : found_) w[j] = entry;
    if (params_.k % 4 == 0) w[found_.front()] = -entry;  // makes E[relu(w.x) chi_T] positive
  }
  channel.report_iterate(w);
  return w;
}

}  // namespace algorithms
