#include "sqsim/algorithms/threshold_halfspace.hpp"

#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sqsim::algorithms {

void ThresholdHalfspaceParams::validate() const {
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(!thresholds.empty(), "thresholds", 0, "need at least one threshold");
  for (double t : thresholds) sq::require(std::isfinite(t), "threshold", t, "must be finite");
  sq::require(std::isfinite(max_scale) && max_scale > 0.0, "max_scale", max_scale, "must be a finite number > 0");
  sq::require(std::isfinite(label_second_moment) && label_second_moment >= 0.0, "label_second_moment", label_second_moment, "must be >= 0");
  sq::require(std::isfinite(label_fourth_moment) && label_fourth_moment >= 0.0, "label_fourth_moment", label_fourth_moment, "must be >= 0");
}

ThresholdHalfspace::ThresholdHalfspace(ThresholdHalfspaceParams params) : params_(std::move(params)) { params_.validate(); }

sq::Vector ThresholdHalfspace::run(sq::QueryChannel& channel) {
  const Eigen::Index d = channel.dimension();
  const double tau = params_.tolerance;
  // E_D0[(y relu(u.x))^2] = E[y^2] / 2 for |u| = 1; E_D0[(relu(w.x) - y)^4] <= 8 (3 |w|^4 / 2 + E[y^4]).
  const double relu_scale = std::max(1.0, std::sqrt(params_.label_second_moment / 2.0));
  sq::Vector best = sq::Vector::Zero(d);
  double best_loss = std::numeric_limits<double>::infinity();
  chosen_ = std::numeric_limits<double>::quiet_NaN();
  const auto consider = [&](const sq::Vector& w, double threshold) {
    const double loss_scale = std::max(2.0, std::sqrt(8.0 * (1.5 * std::pow(w.squaredNorm(), 2) + params_.label_fourth_moment)));
    const double loss = loss_scale * channel.ask(queries::square_loss(w, loss_scale), tau);
    if (loss < best_loss) {
      best_loss = loss;
      best = w;
      chosen_ = threshold;
    }
    channel.report_iterate(best);
  };
  for (double t : params_.thresholds) {
    const sq::Vector chow = channel.ask(queries::thresholded_label_correlation(d, t), tau);
    if (chow.norm() <= 2.0 * tau) continue;  // indistinguishable from no direction
    const sq::Vector u = chow / chow.norm();
    const double r = std::clamp(2.0 * relu_scale * channel.ask(queries::relu_correlation(u, relu_scale), tau), 0.0, params_.max_scale);
    consider(r * u, t);
  }
  if (params_.label_correlation_candidate) {
    const double scale = std::max(1.0, std::sqrt(params_.label_second_moment));
    consider(2.0 * scale * channel.ask(queries::label_correlation(d, scale), tau), std::numeric_limits<double>::quiet_NaN());
  }
  return best;  // already reported by the last consider(), if any candidate was tried
}

}  // namespace sqsim::algorithms