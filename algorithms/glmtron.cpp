#include "sqsim/algorithms/glmtron.hpp"

#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::algorithms {

void GlmtronParams::validate() const {
  using sq::require;
  require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  require(std::isfinite(step_size) && step_size > 0.0, "step_size", step_size, "must be a finite number > 0");
  require(max_iterations >= 1, "max_iterations", max_iterations, "must be at least 1");
  require(!std::isnan(radius) && radius > 0.0, "radius", radius, "must be > 0 (inf for no projection)");
  require(std::isfinite(label_second_moment) && label_second_moment >= 0.0, "label_second_moment", label_second_moment,
          "must be a finite number >= 0");
  require(std::isfinite(stop_threshold) && stop_threshold >= 0.0, "stop_threshold", stop_threshold, "must be a finite number >= 0");
}

Glmtron::Glmtron(GlmtronParams params) : params_(params) { params_.validate(); }

sq::Vector Glmtron::run(sq::QueryChannel& channel) {
  sq::Vector w = sq::Vector::Zero(channel.dimension());
  channel.report_iterate(w);
  for (iterations_ = 0; iterations_ < params_.max_iterations; ++iterations_) {
    const double scale = std::max(1.0, std::sqrt(queries::surrogate_gradient_second_moment_bound(w, params_.label_second_moment)));
    if (!std::isfinite(scale)) break;  // |w| overflows the bound: diverged (the harness reports failed)
    const sq::Vector gradient = scale * channel.ask(queries::surrogate_gradient(w, scale), params_.tolerance);
    const double stop = params_.stop_threshold > 0.0 ? params_.stop_threshold : 2.0 * params_.tolerance * scale;
    if (gradient.norm() <= stop) break;
    w -= params_.step_size * gradient;
    if (const double norm = w.norm(); norm > params_.radius) w *= params_.radius / norm;
    channel.report_iterate(w);
    if (!w.allFinite()) break;  // diverged: the harness reports the run as failed
  }
  return w;
}

}  // namespace sqsim::algorithms