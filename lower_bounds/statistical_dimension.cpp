#include "sqsim/lower_bounds/statistical_dimension.hpp"

#include "sqsim/sq/errors.hpp"

#include <cmath>
#include <limits>

namespace sqsim::lower_bounds {

QueryLowerBound statistical_query_lower_bound(double family_size, double beta, double gamma, double tolerance) {
  sq::require(family_size >= 1, "family size", family_size, "must be at least 1");
  sq::require(std::isfinite(tolerance) && tolerance > 0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(beta >= 0 && gamma >= 0, "beta", beta, "and gamma must be >= 0");
  QueryLowerBound bound{family_size, beta, gamma, tolerance, 0.0, 0.0, true};
  const double t2 = tolerance * tolerance;
  // tau^2 can underflow to 0 (tau < 1e-154): the ratio below is then +inf, not "does not apply".
  const bool underflow = !(t2 > 0.0);
  if (!underflow && t2 <= gamma) {
    bound.applies = false;
    bound.max_exposed_per_query = family_size;
    return bound;
  }
  double ratio = underflow ? std::numeric_limits<double>::infinity() : (beta - gamma) / (t2 - gamma);
  // An exact integer ratio (0.64 / 1e-6) must not become ratio + 1 ulp through rounding.
  if (std::isfinite(ratio) && std::abs(ratio - std::round(ratio)) <= 1e-9 * ratio) ratio = std::round(ratio);
  bound.max_exposed_per_query = std::max(0.0, std::ceil(ratio) - 1.0);  // the largest integer strictly below ratio
  if (family_size < 2.0) return bound;                                  // one member: nothing to tell apart
  // Telling m >= 2 members apart takes at least one query, however many each query may expose.
  bound.queries = bound.max_exposed_per_query == 0.0 ? std::numeric_limits<double>::infinity()
                                                     : std::max(1.0, std::ceil((family_size - 1.0) / bound.max_exposed_per_query));
  return bound;
}

}  // namespace sqsim::lower_bounds