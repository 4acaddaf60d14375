#include "sqsim/oracles/perturbation.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sqsim::oracles {

std::string_view to_string(Perturbation p) {
  switch (p) {
    case Perturbation::truthful:
      return "truthful";
    case Perturbation::uniform:
      return "uniform";
    case Perturbation::worst_case:
      return "worst-case";
    case Perturbation::vstat:
      return "vstat";
  }
  return "unknown";
}

Perturbation parse_perturbation(std::string_view name) {
  for (Perturbation p : {Perturbation::truthful, Perturbation::uniform, Perturbation::worst_case, Perturbation::vstat})
    if (to_string(p) == name) return p;
  throw std::invalid_argument("perturbation = " + std::string(name) + ": must be one of truthful, uniform, worst-case, vstat");
}

double allowed_error(sq::QueryKind kind, double true_value, double tolerance) {
  if (kind != sq::QueryKind::vstat) return tolerance;
  const double p = std::clamp(true_value, 0.0, 1.0);
  return std::max(tolerance, std::sqrt(p * (1.0 - p) * tolerance));
}

Perturber::Perturber(Perturbation policy, std::uint64_t seed) : policy_(policy), engine_(seed) {}

double Perturber::apply(double truth, double reference, double tolerance, sq::QueryKind kind) {
  const double width = allowed_error(kind, truth, tolerance);
  switch (policy_) {
    case Perturbation::truthful:
      return truth;
    case Perturbation::uniform:
      return truth + boost::random::uniform_real_distribution<double>(-width, width)(engine_);
    case Perturbation::worst_case:
      return truth + std::clamp(reference - truth, -width, width);
    case Perturbation::vstat: {
      const double p = std::clamp(truth, 0.0, 1.0);
      const double sd = kind == sq::QueryKind::vstat ? std::sqrt(p * (1.0 - p) * tolerance) : 0.5 * tolerance;
      return truth + std::clamp(boost::random::normal_distribution<double>(0.0, sd)(engine_), -width, width);
    }
  }
  return truth;
}

sq::Vector Perturber::apply(const sq::Vector& truth, const sq::Vector& reference, double tolerance, sq::VectorNorm norm) {
  const Eigen::Index m = truth.size();
  sq::Vector error = sq::Vector::Zero(m);
  switch (policy_) {
    case Perturbation::truthful:
      break;
    case Perturbation::uniform:
    case Perturbation::vstat: {
      if (norm == sq::VectorNorm::linf) {
        boost::random::uniform_real_distribution<double> uniform(-tolerance, tolerance);
        boost::random::normal_distribution<double> normal(0.0, 0.5 * tolerance);
        for (Eigen::Index i = 0; i < m; ++i)
          error[i] = policy_ == Perturbation::uniform ? uniform(engine_) : std::clamp(normal(engine_), -tolerance, tolerance);
      } else {
        boost::random::normal_distribution<double> normal;
        for (Eigen::Index i = 0; i < m; ++i) error[i] = normal(engine_);
        const double length = error.norm();
        if (length > 0.0) {
          // uniform: a uniform point of the ball; vstat: a Gaussian error of total sd tau/2, kept in the ball.
          const double radius =
              policy_ == Perturbation::uniform
                  ? tolerance * std::pow(boost::random::uniform_real_distribution<double>(0.0, 1.0)(engine_), 1.0 / static_cast<double>(m))
                  : std::min(tolerance, 0.5 * tolerance * length / std::sqrt(static_cast<double>(m)));
          error *= radius / length;
        }
      }
      break;
    }
    case Perturbation::worst_case: {
      const sq::Vector toward = reference - truth;
      if (norm == sq::VectorNorm::linf) {
        error = toward.cwiseMax(-tolerance).cwiseMin(tolerance);
      } else {
        const double length = toward.norm();
        error = length <= tolerance ? toward : sq::Vector(toward * (tolerance / length));
      }
      break;
    }
  }
  return truth + error;
}

}  // namespace sqsim::oracles