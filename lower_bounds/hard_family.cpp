#include "sqsim/lower_bounds/hard_family.hpp"

#include "sqsim/lower_bounds/exposure.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::lower_bounds {

std::uint64_t HardFamily::size() const { return queries::binomial_saturating(static_cast<int>(dimension()), order()); }

void HardFamily::check_member(const Subset& member) const {
  sq::require(static_cast<int>(member.size()) == order(), "member size", member.size(), "must equal k = " + std::to_string(order()));
  queries::check_subset(member, static_cast<int>(dimension()), "member");
}

std::unique_ptr<ExposureStrategy> HardFamily::exposure() const { return std::make_unique<ExhaustiveExposure>(*this); }

}  // namespace sqsim::lower_bounds