// Every k-subset of [d] in colex order: the members a brute-force check walks.
#pragma once

#include "sqsim/queries/subsets.hpp"

#include <cstdint>
#include <vector>

namespace testing {

using namespace sqsim;

inline std::vector<queries::Subset> all_members(int d, int k) {
  std::vector<queries::Subset> members;
  for (std::uint64_t r = 0; r < queries::binomial_saturating(d, k); ++r) members.push_back(queries::subset_unrank(r, k));
  return members;
}

}  // namespace testing
