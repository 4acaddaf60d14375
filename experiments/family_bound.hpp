// `sqsim bound`: a hard family's facts (opt0, optS, gap, rho, beta) and the statistical-dimension
// bound at a tolerance, without running anything.
#pragma once

#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"

#include <string>

namespace sqsim::experiments {

struct FamilyBoundSpec {
  std::string family = "lifted-parity";
  long long d = 50;
  long long k = 4;
  double tolerance = 0.01;
  double noise = 0.0;     // lifted parity only
  void validate() const;  // ParameterError naming tolerance, dim or k
};

struct FamilyBoundReport {
  double family_size = 0.0;  // C(d, k)
  lower_bounds::FamilyFacts facts;
  lower_bounds::QueryLowerBound bound;  // with gamma = 0
};

FamilyBoundReport family_bound(const FamilyBoundSpec& spec);

}  // namespace sqsim::experiments