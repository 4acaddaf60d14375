#include "sqsim/algorithms/gradient_descent.hpp"

#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::algorithms {

std::string_view to_string(GradientMode mode) { return mode == GradientMode::vector ? "vector" : "coordinates"; }
std::string_view to_string(Initialization init) { return init == Initialization::zero ? "zero" : "random"; }

void GradientDescentParams::validate() const {
  using sq::require;
  require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  require(std::isfinite(step_size) && step_size > 0.0, "step_size", step_size, "must be a finite number > 0");
  require(max_iterations >= 1, "max_iterations", max_iterations, "must be at least 1");
  require(!std::isnan(radius) && radius > 0.0, "radius", radius, "must be > 0 (inf for no projection)");
  require(std::isfinite(init_scale) && init_scale > 0.0, "init_scale", init_scale, "must be a finite number > 0");
  require(std::isfinite(query_scale) && query_scale > 0.0, "query_scale", query_scale, "must be a finite number > 0");
  require(std::isfinite(label_second_moment) && label_second_moment >= 0.0, "label_second_moment", label_second_moment,
          "must be a finite number >= 0");
  require(std::isfinite(loss_query_scale) && loss_query_scale > 0.0, "loss_query_scale", loss_query_scale, "must be a finite number > 0");
  require(std::isfinite(stop_threshold) && stop_threshold >= 0.0, "stop_threshold", stop_threshold, "must be a finite number >= 0");
}

GradientDescent::GradientDescent(GradientDescentParams params) : params_(params) { params_.validate(); }

sq::Vector GradientDescent::run(sq::QueryChannel& channel) {
  const Eigen::Index d = channel.dimension();
  const double tau = params_.tolerance;
  sq::Vector w = params_.init == Initialization::zero ? sq::Vector(sq::Vector::Zero(d))
                                                      : sq::Vector(params_.init_scale * sq::random_unit_vector(d, params_.seed));
  answered_losses_.clear();
  channel.report_iterate(w);
  auto ask_loss = [&] {
    if (params_.loss_queries)
      answered_losses_.push_back(params_.loss_query_scale * channel.ask(queries::square_loss(w, params_.loss_query_scale), tau));
  };
  bool converged = false;
  for (iterations_ = 0; iterations_ < params_.max_iterations;) {
    ask_loss();
    // A scale that keeps the query legal at this w (see the header), and the error it implies on
    // the assembled half-gradient: tau * scale in l2 for one vector query, sqrt(d) times that for
    // d coordinates each within tau * scale.
    const double scale =
        std::max(params_.query_scale, std::sqrt(queries::half_gradient_second_moment_bound(w, params_.label_second_moment)));
    if (!std::isfinite(scale)) return w;  // |w| overflows the bound: diverged (the harness reports failed)
    const double answer_error = tau * scale * (params_.mode == GradientMode::vector ? 1.0 : std::sqrt(static_cast<double>(d)));
    const double stop = params_.stop_threshold > 0.0 ? params_.stop_threshold : 2.0 * answer_error;
    sq::Vector half_gradient(d);
    if (params_.mode == GradientMode::vector) {
      half_gradient = scale * channel.ask(queries::half_gradient(w, scale), tau);
    } else {
      for (Eigen::Index i = 0; i < d; ++i) half_gradient[i] = scale * channel.ask(queries::half_gradient_coordinate(w, i, scale), tau);
    }
    if (params_.stop_early && half_gradient.norm() <= stop) {
      converged = true;
      break;
    }
    w -= params_.step_size * 2.0 * half_gradient;
    if (const double norm = w.norm(); norm > params_.radius) w *= params_.radius / norm;
    ++iterations_;
    channel.report_iterate(w);
    if (!w.allFinite()) return w;  // diverged: the harness reports the run as failed
  }
  if (!converged) ask_loss();  // the final iterate's loss too, so every iterate has one
  return w;
}

}  // namespace sqsim::algorithms