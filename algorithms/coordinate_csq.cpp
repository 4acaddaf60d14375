#include "sqsim/algorithms/coordinate_csq.hpp"

#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace sqsim::algorithms {

void CoordinateCsqParams::validate() const {
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(keep >= 0, "keep", keep, "must be >= 0 (0: every coordinate above 2 tau)");
}

CoordinateCsq::CoordinateCsq(CoordinateCsqParams params) : params_(params) { params_.validate(); }

sq::Vector CoordinateCsq::run(sq::QueryChannel& channel) {
  const Eigen::Index d = channel.dimension();
  sq::Vector c(d);
  for (Eigen::Index i = 0; i < d; ++i) c[i] = channel.ask(queries::character(d, {static_cast<int>(i)}), params_.tolerance);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(d));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return std::abs(c[a]) > std::abs(c[b]); });
  const std::size_t keep = params_.keep > 0 ? std::min<std::size_t>(order.size(), static_cast<std::size_t>(params_.keep)) : order.size();
  sq::Vector w = sq::Vector::Zero(d);
  for (std::size_t r = 0; r < keep; ++r) {
    const Eigen::Index i = order[r];
    if (std::abs(c[i]) <= 2.0 * params_.tolerance) break;  // indistinguishable from zero
    w[i] = std::sqrt(2.0 * std::numbers::pi) * c[i];
  }
  channel.report_iterate(w);
  return w;
}

}  // namespace sqsim::algorithms