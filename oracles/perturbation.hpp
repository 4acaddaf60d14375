// How an exact oracle turns the true answer into the answer it gives, within the tolerance.
#pragma once

#include "sqsim/sq/query.hpp"

#include "sqsim/sq/random.hpp"

#include <cstdint>
#include <string_view>

namespace sqsim::oracles {

enum class Perturbation {
  truthful,    // the true value
  uniform,     // uniform in [-tau, tau] (per coordinate for linf, uniform in the ball for l2)
  worst_case,  // moved by up to tau toward the reference (D0) answer: the least informative answer
  vstat,       // the error of a sample mean of size t = 1/tau: N(0, p(1-p)/t), kept within the tolerance
};
std::string_view to_string(Perturbation p);
Perturbation parse_perturbation(std::string_view name);  // throws naming "perturbation"

// The error an oracle may make on a query of this kind: tau, or for VSTAT queries
// max(tau, sqrt(p (1 - p) tau)) with t = 1/tau.
double allowed_error(sq::QueryKind kind, double true_value, double tolerance);

class Perturber {
 public:
  Perturber(Perturbation policy, std::uint64_t seed);
  Perturbation policy() const { return policy_; }
  double apply(double truth, double reference, double tolerance, sq::QueryKind kind);
  sq::Vector apply(const sq::Vector& truth, const sq::Vector& reference, double tolerance, sq::VectorNorm norm);

 private:
  Perturbation policy_;
  sq::Engine engine_;
};

}  // namespace sqsim::oracles