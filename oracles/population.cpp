#include "sqsim/oracles/population.hpp"

#include "sqsim/queries/relu_regression.hpp"

#include <cmath>

namespace sqsim::oracles {

Population::Population(ReluWorld world) : world_(std::move(world)), exact_(world_) {}

double Population::loss(const Vector& w) const { return exact_.expectation(queries::square_loss(w)); }

Vector Population::gradient(const Vector& w) const { return 2.0 * exact_.expectation(queries::half_gradient(w)); }

std::optional<double> Population::opt() const {
  if (!opt_) solve();
  return opt_;
}

const Vector& Population::optimum() const {
  if (!opt_) solve();
  return optimum_;
}

// Labels depend on x only through v.x, so the loss depends on w only through (w.v^, |w_perp|): the
// minimum over R^d is the minimum over the plane span(v, e) for any unit e orthogonal to v. It is
// found there by gradient descent with exact gradients from several starts; where E[y|x] =
// relu(v.x) the teacher itself is optimal and opt is the label noise variance.
void Population::solve() const {
  const Vector& v = world_.teacher();
  if (world_.label_model() == LabelModel::relu || world_.label_model() == LabelModel::noisy_relu) {
    optimum_ = v;
    opt_ = world_.label_model() == LabelModel::relu ? 0.0 : world_.noise() * world_.noise();  // the label noise variance
    return;
  }
  const double nv = v.norm();
  WorldParams plane_params{world_.label_model(), Vector::Unit(2, 0) * nv, world_.noise()};
  const ReluWorld plane(plane_params);
  const Population plane_population(plane);
  double best = std::numeric_limits<double>::infinity();
  Vector best_w;
  for (const Vector& start :
       {Vector(Vector::Unit(2, 0) * nv), Vector(Vector::Unit(2, 0) * (0.5 * nv)), Vector((Vector(2) << 0.5 * nv, 0.5 * nv).finished())}) {
    Vector w = start;
    for (int step = 0; step < 500; ++step) {
      const Vector g = plane_population.gradient(w);
      w -= g;                         // y >= 0 makes E[y relu(w.x)] convex, so the Hessian is at most I: step 1 is stable
      if (v.size() == 1) w[1] = 0.0;  // no direction orthogonal to v in one dimension
      if (g.norm() < 1e-12) break;
    }
    const double value = plane_population.loss(w);
    if (value < best) {
      best = value;
      best_w = w;
    }
  }
  // Map the planar minimiser back: w = a v^ + b e with e orthogonal to v.
  Vector e = Vector::Zero(v.size());
  if (v.size() > 1) {
    Eigen::Index j = 0;
    v.cwiseAbs().minCoeff(&j);
    e = Vector::Unit(v.size(), j) - v * (v[j] / v.squaredNorm());
    e /= e.norm();
  }
  optimum_ = best_w[0] * (v / nv) + std::abs(best_w[1]) * e;
  opt_ = best;
}

}  // namespace sqsim::oracles