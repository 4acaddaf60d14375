// k-subsets of {0, ..., d-1}: counting, ranking in colexicographic order, and enumeration.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace lower_bounds {

using Subset = std::vector<int>;

// C(n, k) as a double (exact up to 2^53) and as an integer, saturating at UINT64_MAX.
double binomial(int n, int k);
std::uint64_t binomial_saturating(int n, int k);

// The rank of a sorted subset in colexicographic order, and its inverse.
std::uint64_t subset_rank(const Subset& sorted);
Subset subset_unrank(std::uint64_t rank, int k);

// A seeded uniform sample of `count` distinct k-subsets of [d], sorted by rank.
std::vector<Subset> random_subsets(int d, int k, std::uint64_t count, std::uint64_t seed);

}  // namespace lower_bounds
