// The hard families by name, for the program, the experiments and the Python package alike.
#pragma once

#include "sqsim/lower_bounds/hard_family.hpp"

#include <memory>
#include <string>

namespace sqsim::lower_bounds {

// The lifted parity tabulates ~600 Dawson factors per coordinate and direction: 20000 coordinates are ~200 MB.
constexpr int kMaxFamilyDimension = 20'000;

// lifted-parity (label noise eta) or orthogonal-relu (noiseless: eta must be 0); ParameterError
// naming dim, family or noise, and the family's own checks of k.
std::shared_ptr<HardFamily> make_family(const std::string& name, long long d, int k, double noise);

}  // namespace sqsim::lower_bounds