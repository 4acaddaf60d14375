#include "sqsim/experiments/bound_window.hpp"

#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::experiments {

void BoundWindowConfig::validate() const {
  lower_bounds::LiftedParityParams{d, k, noise}.validate();
  sq::require(seeds >= 1, "bound-seeds", seeds, "must be at least 1");
}

BoundWindowReport run_bound_window(const BoundWindowConfig& config) {
  config.validate();
  const lower_bounds::LiftedParity family({config.d, config.k, config.noise});
  const double beta = family.facts().beta, size = queries::binomial(config.d, config.k);
  BoundWindowReport report;
  report.tolerance = std::min(0.45 * family.signal(), std::sqrt(150.0 * beta / std::max(2.0, size - 1.0)));
  SqBoundConfig bound;
  bound.k = config.k;
  bound.noise = config.noise;
  bound.dims.clear();
  for (int d : {20, 30, 40, 50, 60, 80})
    if (d >= config.k && d < config.d) bound.dims.push_back(d);
  bound.dims.push_back(config.d);
  bound.tolerances = {report.tolerance};
  bound.seeds = config.seeds;
  bound.seed = config.seed;
  bound.threads = config.threads;
  bound.algorithms = {"group-testing"};
  report.points = run_sq_bound(bound);
  return report;
}

}  // namespace sqsim::experiments