#include "sqsim/algorithms/label_correlation.hpp"

#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::algorithms {

void LabelCorrelationParams::validate() const {
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(std::isfinite(label_second_moment) && label_second_moment >= 0.0, "label_second_moment", label_second_moment,
              "must be a finite number >= 0");
}

LabelCorrelation::LabelCorrelation(LabelCorrelationParams params) : params_(params) { params_.validate(); }

sq::Vector LabelCorrelation::run(sq::QueryChannel& channel) {
  // E_D0[(y x_i)^2] = E[y^2] E[x_i^2] <= m2.
  const double scale = std::max(1.0, std::sqrt(params_.label_second_moment));
  const sq::Vector w = 2.0 * scale * channel.ask(queries::label_correlation(channel.dimension(), scale), params_.tolerance);
  channel.report_iterate(w);
  return w;
}

}  // namespace sqsim::algorithms