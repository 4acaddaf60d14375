// The k-subsets of [d] whose weight sum_{j in S} weight_j reaches a threshold, without visiting the
// others: a depth-first search over the coordinates by decreasing weight that drops a branch as
// soon as its heaviest completion falls short. How the lifted parity finds the only members a
// one-direction query can expose (their deviation is bounded by an increasing function of
// rho_S = sum_{j in S} u_j^2, pruned_scan.hpp).
#pragma once

#include "sqsim/queries/subsets.hpp"

#include <cstdint>
#include <functional>
#include <span>

namespace sqsim::lower_bounds {

// Calls visit(sorted subset, its colex rank queries::subset_rank) for every k-subset with weight >=
// threshold (in no particular order) and returns how many there were. Weights must be nonnegative.
// With parts > 1, only part `part` of them: the branches of the search four coordinates deep are dealt out by a hash of their sequence
// number, so the parts are disjoint, cover every heavy subset, and are of similar size.
std::uint64_t for_each_heavy_subset(std::span<const double> weight, int k, double threshold,
                                    const std::function<void(const queries::Subset&, std::uint64_t rank)>& visit, int part = 0,
                                    int parts = 1);

// The number of such subsets, counting whole branches whose lightest completion already reaches
// the threshold by a binomial instead of visiting them (saturating at UINT64_MAX).
std::uint64_t count_heavy_subsets(std::span<const double> weight, int k, double threshold);

}  // namespace sqsim::lower_bounds