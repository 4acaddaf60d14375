#include "sqsim/experiments/family_bound.hpp"

#include "sqsim/lower_bounds/families.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/errors.hpp"

#include <cmath>

namespace sqsim::experiments {

void FamilyBoundSpec::validate() const {
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(d >= 1 && d <= lower_bounds::kMaxFamilyDimension, "dim", d, "must lie in [1, 20000]");
  sq::require(k >= 1, "k", k, "must be at least 1");
  sq::require(k <= d, "k", k, "must not exceed dim = " + std::to_string(d));
}

FamilyBoundReport family_bound(const FamilyBoundSpec& spec) {
  spec.validate();
  FamilyBoundReport report;
  report.facts = lower_bounds::make_family(spec.family, spec.d, static_cast<int>(spec.k), spec.noise)->facts();
  report.family_size = queries::binomial(static_cast<int>(spec.d), static_cast<int>(spec.k));
  report.bound = lower_bounds::statistical_query_lower_bound(report.family_size, report.facts.beta, 0.0, spec.tolerance);
  return report;
}

}  // namespace sqsim::experiments